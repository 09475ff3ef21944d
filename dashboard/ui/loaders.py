"""What the pages read from the warehouse: one named, cached loader per question of queries/.

A loader is its query without the connection: `loaders.aging(as_of=D, scope=S)` runs
`queries.aging.aging(conn, as_of=D, scope=S)`. Every loader goes through one cache keyed by the query,
its parameters and the warehouse version (the last load's id), so a new load shows at once and nothing
stale lingers; the first pages' default answers, computed right after a load
(dashboard.services.first_pages), are read from the warehouse on a miss. The engine is one per process
(st.cache_resource). Parameters are keyword-only and
hashable (dates, strings, Scope, rule dataclasses, tuples).

The reminders' plan and send log change without a load (a sent reminder, saved rules): their loaders
are keyed by the send log's stamp as well. What must be read anew on every run (the audit log, which an
export writes without a new version; settings a page is about to edit; a ZIP of acts built on a click)
has loaders named `uncached_...`. Pages hold no connection: they call these, or dashboard.ui.actions to
change something.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any, Concatenate, ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import Connection, Engine

from dashboard.services import bank_hold, first_pages, reminder_run, send_log, wording
from dashboard.services import notes as notes_service
from dashboard.services.act_document import Signer
from dashboard.services.acts import Batch, acts_zip
from dashboard.services.reminders import ReminderSettings, effective_settings, saved_overrides
from dashboard.ui.db import app_config, get_engine
from queries import act as act_queries
from queries import aging as aging_queries
from queries import audit as audit_queries
from queries import calendar as calendar_queries
from queries import contracts as contracts_queries
from queries import counterparty as counterparty_queries
from queries import dimensions as dimensions_queries
from queries import documents as documents_queries
from queries import exceptions as exceptions_queries
from queries import exceptions_unowned as unowned_queries
from queries import kpi as kpi_queries
from queries import ledger as ledger_queries
from queries import loads as loads_queries
from queries import rejects as rejects_queries
from queries import releases as releases_queries
from queries import reminders as reminders_queries
from queries import status as status_queries
from queries import stoplist as stoplist_queries
from queries import trend as trend_queries
from queries import worklist as worklist_queries
from queries.scope import Scope
from warehouse import answer_store
from warehouse.calendar import work_calendar as warehouse_calendar
from warehouse.state import warehouse_version

P = ParamSpec("P")
R = TypeVar("R")

_QUERIES: dict[str, Callable[..., Any]] = {}


def current_version() -> int:
    with get_engine().connect() as conn:
        return warehouse_version(conn)


# How many answers this process computed, by query name, and how many it found stored in the warehouse
# (dashboard.services.first_pages): a test reads them to see that the first pages computed nothing.
COMPUTED: Counter[str] = Counter()
STORED_READ: Counter[str] = Counter()


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(_engine: Engine, name: str, version: int, params: tuple[tuple[str, Any], ...]) -> Any:
    with _engine.connect() as conn:
        if name in first_pages.STORED:  # computed after the load for the first pages' default view?
            stored = answer_store.fetch(conn, name, dict(params), version)
            if stored is not None:
                STORED_READ[name] += 1
                return stored
        COMPUTED[name] += 1
        return _QUERIES[name](conn, **dict(params))


def reminder_stamp() -> tuple[Any, ...]:
    """What changes with the send log or the saved reminder settings (dashboard.services.send_log)."""
    with get_engine().connect() as conn:
        return send_log.log_stamp(conn)


@st.cache_data(show_spinner=False, max_entries=48)  # exceptions, stop-list, worklist, reminders follow notes
def _cached_with_log(
    _engine: Engine, name: str, version: int, stamp: tuple[Any, ...], params: tuple[tuple[str, Any], ...]
) -> Any:
    with _engine.connect() as conn:
        return _QUERIES[name](conn, **dict(params))


def loader(query: Callable[Concatenate[Connection, P], R], *, follows_send_log: bool = False) -> Callable[P, R]:
    """The query as a cached loader: the same parameters, keyword-only, without the connection.
    `follows_send_log`: the answer also changes with the reminders' send log, which no load versions."""
    name = first_pages.query_name(query)
    _QUERIES[name] = query

    @functools.wraps(query)
    def load(*args: P.args, **params: P.kwargs) -> R:
        if args:
            raise TypeError(f"{query.__name__}: pass the parameters by name")
        key = tuple(sorted(params.items()))
        if follows_send_log:
            result: R = _cached_with_log(get_engine(), name, current_version(), reminder_stamp(), key)
        else:
            result = _cached(get_engine(), name, current_version(), key)
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
exceptions = loader(exceptions_queries.exceptions, follows_send_log=True)  # so do promises and disputes
filter_options = loader(dimensions_queries.filter_options)
kpi_summary = loader(kpi_queries.kpi_summary)
load_counts = loader(loads_queries.load_counts)
load_history = loader(loads_queries.load_history)
loaded_files = loader(loads_queries.loaded_files)
monthly_kpis = loader(kpi_queries.monthly_kpis)
open_documents = loader(documents_queries.open_documents)
overdue_trend = loader(trend_queries.overdue_trend)
payment_calendar = loader(calendar_queries.payment_calendar)
amounts_fell_due = loader(calendar_queries.amounts_fell_due)
bank_check = loader(bank_hold.bank_check)
receivables_by_contract = loader(contracts_queries.receivables_by_contract)
rejects_list = loader(rejects_queries.rejects_list)
unidentified_payments = loader(unowned_queries.unidentified_payments)
settled_shipments = loader(counterparty_queries.settled_shipments)
overdue_shipments = loader(counterparty_queries.overdue_shipments)
stoplist = loader(stoplist_queries.stoplist, follows_send_log=True)  # disputes (notes) and releases change it
active_releases = loader(releases_queries.active_releases, follows_send_log=True)  # given without a load
warehouse_status = loader(status_queries.warehouse_status)
# The exceptions list with its sentences in the page's language, worded once per load (a rerun of the page
# does not word 100,000 overdue debits again).
# Promises and disputes (the notes, written without a new version) change the exceptions and the worklist:
# they follow the send log's stamp, which the notes are part of.
exceptions_in_language = loader(wording.exceptions_in_language, follows_send_log=True)
worklist = loader(worklist_queries.worklist, follows_send_log=True)

reminder_log = loader(reminders_queries.reminder_log, follows_send_log=True)


@st.cache_data(show_spinner=False, max_entries=16)
def _reminder_plan(_engine: Engine, version: int, stamp: tuple[Any, ...], as_of: date, scope: Scope) -> Any:
    return reminder_run.plan(_engine, app_config(), as_of=as_of, scope=scope)


def reminder_plan(*, as_of: date, scope: Scope) -> reminder_run.Plan:
    """What a run on `as_of` would send (the dry run), cached like reminder_log."""
    result: reminder_run.Plan = _reminder_plan(get_engine(), current_version(), reminder_stamp(), as_of, scope)
    return result


# ------------------------------------------------------------------------------ uncached: anew on every run


def uncached(query: Callable[Concatenate[Connection, P], R]) -> Callable[P, R]:
    """The query read anew on every call, for what must not be cached: the same parameters, keyword-only."""

    @functools.wraps(query)
    def load(*args: P.args, **params: P.kwargs) -> R:
        if args:
            raise TypeError(f"{query.__name__}: pass the parameters by name")
        with get_engine().connect() as conn:
            return query(conn, *args, **params)

    return load


# An export writes the audit log without a new warehouse version.
uncached_audit_log = uncached(audit_queries.audit_log)
# The official calendar with the warehouse's overrides: cheap to read, costly to copy out of a cache.
uncached_work_calendar = uncached(warehouse_calendar)
# Notes are written without a new warehouse version: the card's timeline shows a new one at once.
uncached_note_timeline = uncached(notes_service.timeline)


def uncached_reminder_settings() -> ReminderSettings:
    """The reminder rules and templates in force (the page's saved edits, else the config's); ValueError
    when the config's are wrong."""
    with get_engine().connect() as conn:
        return effective_settings(conn, app_config())


def uncached_rules_saved_on_page() -> bool:
    """Whether the reminder rules in force were saved on the page (rather than read from the file)."""
    with get_engine().connect() as conn:
        return bool(saved_overrides(conn))


def uncached_acts_zip(
    *,
    date_from: date,
    date_to: date,
    scope: Scope,
    fmt: str,
    per_contract: bool,
    with_balance: bool,
    signer: Signer,
) -> Batch:
    """Many acts as one ZIP (dashboard.services.acts.acts_zip), built when the download is asked for."""
    with get_engine().connect() as conn:
        return acts_zip(
            conn,
            app_config(),
            date_from=date_from,
            date_to=date_to,
            scope=scope,
            fmt=fmt,
            per_contract=per_contract,
            with_balance=with_balance,
            signer=signer,
        )


# ------------------------------------------------------------------------------ the client's own account
from queries import client as client_queries  # noqa: E402 - appended with the client role's pages

client_account = loader(client_queries.account_by_contract)
client_totals = loader(client_queries.account_totals)
client_payments = loader(client_queries.payment_history)
client_payment_closures = loader(client_queries.payment_closures)


# ------------------------------------------------------------------------- the client's act reconciled
from dashboard.services import their_acts as their_acts_service  # noqa: E402 - appended with the reconciliation
from dashboard.services.act_document import ActHeader  # noqa: E402
from dashboard.services.reconcile import Reconciliation, reconciliation_header  # noqa: E402

# Their act (the file's bytes are a parameter) matched with our act of the period: cached like the act itself.
reconciliation = loader(their_acts_service.reconcile_file)
# Clients' copies are stored without a new warehouse version: read anew, as the notes are.
uncached_their_acts = uncached(their_acts_service.copies)
uncached_latest_their_act = uncached(their_acts_service.latest)
uncached_their_act_file = uncached(their_acts_service.copy_file)


def uncached_reconciliation_header(rec: Reconciliation, signer: Signer | None = None) -> ActHeader:
    """The reconciliation's act header (parties, period, contract, currency) for its XLSX."""
    with get_engine().connect() as conn:
        return reconciliation_header(conn, app_config(), rec, signer)


# ------------------------------------------------------------------------------- the cash-in forecast
from queries import forecast as forecast_queries  # noqa: E402 - appended with the forecast

forecast_cash_in = loader(forecast_queries.forecast_cash_in)
forecast_documents = loader(forecast_queries.forecast_documents)
