"""What the pages read from the warehouse: one named, cached loader per question of queries/.

A loader is its query without the connection: `loaders.aging(as_of=D, scope=S)` runs
`queries.aging.aging(conn, as_of=D, scope=S)`. Every loader goes through one cache keyed by the query,
its parameters and the warehouse version (the last load's id), so a new load shows at once and nothing
stale lingers. The engine is one per process (st.cache_resource). Parameters are keyword-only and
hashable (dates, strings, Scope, rule dataclasses, tuples).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import Connection, Engine

from dashboard.services import wording
from dashboard.ui.db import get_engine
from queries import act as act_queries
from queries import aging as aging_queries
from queries import calendar as calendar_queries
from queries import contracts as contracts_queries
from queries import counterparty as counterparty_queries
from queries import dimensions as dimensions_queries
from queries import documents as documents_queries
from queries import exceptions as exceptions_queries
from queries import kpi as kpi_queries
from queries import ledger as ledger_queries
from queries import loads as loads_queries
from queries import rejects as rejects_queries
from queries import status as status_queries
from queries import stoplist as stoplist_queries
from queries import trend as trend_queries
from warehouse.state import warehouse_version

P = ParamSpec("P")
R = TypeVar("R")

_QUERIES: dict[str, Callable[..., Any]] = {}


def current_version() -> int:
    with get_engine().connect() as conn:
        return warehouse_version(conn)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(_engine: Engine, name: str, version: int, params: tuple[tuple[str, Any], ...]) -> Any:
    with _engine.connect() as conn:
        return _QUERIES[name](conn, **dict(params))


def loader(query: Callable[Concatenate[Connection, P], R]) -> Callable[P, R]:
    """The query as a cached loader: the same parameters, keyword-only, without the connection."""
    name = f"{query.__module__}.{query.__qualname__}"
    _QUERIES[name] = query

    @functools.wraps(query)
    def load(*args: P.args, **params: P.kwargs) -> R:
        if args:
            raise TypeError(f"{query.__name__}: pass the parameters by name")
        result: R = _cached(get_engine(), name, current_version(), tuple(sorted(params.items())))
        return result

    return load


# The questions the pages ask, by the name of the query that answers each.
act = loader(act_queries.act)
aging = loader(aging_queries.aging)
company_name = loader(status_queries.company_name)
contract_details = loader(ledger_queries.contract_details)
counterparty_profile = loader(counterparty_queries.counterparty_profile)
document_matches = loader(documents_queries.document_matches)
documents_due_on = loader(calendar_queries.documents_due_on)
exceptions = loader(exceptions_queries.exceptions)
filter_options = loader(dimensions_queries.filter_options)
kpi_summary = loader(kpi_queries.kpi_summary)
load_counts = loader(loads_queries.load_counts)
load_history = loader(loads_queries.load_history)
loaded_files = loader(loads_queries.loaded_files)
monthly_kpis = loader(kpi_queries.monthly_kpis)
open_documents = loader(documents_queries.open_documents)
overdue_trend = loader(trend_queries.overdue_trend)
payment_calendar = loader(calendar_queries.payment_calendar)
receivables_by_contract = loader(contracts_queries.receivables_by_contract)
rejects_list = loader(rejects_queries.rejects_list)
settled_shipments = loader(counterparty_queries.settled_shipments)
stoplist = loader(stoplist_queries.stoplist)
warehouse_status = loader(status_queries.warehouse_status)

# The exceptions list with its sentences in the page's language, worded once per load (a rerun of the page
# does not word 100,000 overdue debits again).
exceptions_in_language = loader(wording.exceptions_in_language)
