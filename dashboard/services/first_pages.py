"""The first pages' default answers, computed right after a load and kept in the warehouse.

At a million documents the overview's first run took 4 s and the trend's 6 s: the KPI tiles and the monthly
DSO scan every document. Nobody should wait for that on the first page after a load or on a fresh server.
So whatever loads data (`receivables load` and `demo`, an upload in the app) and `receivables serve`
before it starts compute here the answers these pages ask for in their default view (as of today, in
roubles, for a user who sees every counterparty: the CFO, a controller), and store them with the
warehouse version (warehouse.answer_store); the app's loaders read a stored answer before they compute one.

The default view is defined once, here: the pages take their default periods from these functions, and a
test runs the overview and the trend after warm() and checks that nothing was computed live.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine

from domain.buckets import Buckets
from queries.aging import aging
from queries.kpi import kpi_summary, monthly_kpis
from queries.scope import Scope
from queries.trend import Freq, overdue_trend
from warehouse import answer_store
from warehouse.state import warehouse_version

DEFAULT_CURRENCY = "RUB"  # the sidebar's currency until the user picks another
OVERVIEW_WEEKS = 26  # the overview's trend: the last half year, week by week
TREND_FREQ: Freq = "week"  # the trend page's default step


def overview_trend_period(as_of: date) -> tuple[date, date]:
    """The overview's trend chart: 26 weeks up to the as-of date."""
    return as_of - timedelta(weeks=OVERVIEW_WEEKS), as_of


def trend_default_period(as_of: date) -> tuple[date, date]:
    """The trend page's default period: the as-of month and the 11 before it, whole from their first day."""
    months_back = as_of.year * 12 + as_of.month - 1 - 11
    return date(months_back // 12, months_back % 12 + 1, 1), as_of


def query_name(query: Callable[..., Any]) -> str:
    """The name a query's answers go by (in the app's cache and in the warehouse)."""
    return f"{query.__module__}.{query.__qualname__}"


@dataclass(frozen=True)
class Question:
    query: Callable[..., Any]
    params: dict[str, Any]

    @property
    def name(self) -> str:
        return query_name(self.query)


def first_questions(as_of: date, buckets: Buckets, scope: Scope | None = None) -> list[Question]:
    """What the overview and the trend page ask in their default view, with the parameters they pass."""
    scope = (scope or Scope.everything()).narrowed(currencies=(DEFAULT_CURRENCY,))
    overview_from, overview_to = overview_trend_period(as_of)
    trend_from, trend_to = trend_default_period(as_of)
    return [
        Question(kpi_summary, {"as_of": as_of, "scope": scope}),
        Question(
            overdue_trend,
            {"date_from": overview_from, "date_to": overview_to, "freq": "week", "scope": scope, "buckets": buckets},
        ),
        Question(aging, {"as_of": as_of, "scope": scope, "by": "counterparty", "buckets": buckets}),
        Question(
            overdue_trend,
            {"date_from": trend_from, "date_to": trend_to, "freq": TREND_FREQ, "scope": scope, "buckets": buckets},
        ),
        Question(monthly_kpis, {"date_from": trend_from, "date_to": trend_to, "scope": scope}),
    ]


# The queries whose answers may be stored: the app's loaders look in the warehouse for these only.
STORED = frozenset(question.name for question in first_questions(date(2000, 1, 1), Buckets()))


@dataclass(frozen=True)
class Warmed:
    version: int
    answers: int
    seconds: float

    def describe(self) -> str:
        return f"first pages ready: {self.answers} answers computed in {self.seconds:.1f} s"


def is_warm(engine: Engine, buckets: Buckets, as_of: date | None = None) -> bool:
    """Whether the answers of today's default view (or as_of's) are stored at the current version (an empty
    warehouse has none to store)."""
    with engine.connect() as conn:
        version = warehouse_version(conn)
        return not version or all(
            answer_store.has(conn, q.name, q.params, version) for q in first_questions(as_of or date.today(), buckets)
        )


def carry_over(engine: Engine) -> int:
    """After a load that changed nothing: the answers computed for the version before it are its answers."""
    with engine.begin() as conn:
        return answer_store.carry_over(conn, warehouse_version(conn))


def warm(engine: Engine, buckets: Buckets, as_of: date | None = None) -> Warmed:
    """Compute and store the first pages' default answers (as of today, or as_of) at the current version,
    dropping those of older versions. They are computed on a reading connection and written in one short
    transaction (a load waits for no query); a load that landed meanwhile makes them stale, so they are
    not written. An empty warehouse has nothing to show: nothing is stored."""
    started = time.perf_counter()
    questions = first_questions(as_of or date.today(), buckets)
    with engine.connect() as conn:
        version = warehouse_version(conn)
        computed = [(q, q.query(conn, **q.params)) for q in questions] if version else []
    with engine.begin() as conn:
        if warehouse_version(conn) != version:
            return Warmed(version, 0, time.perf_counter() - started)
        answer_store.forget_older(conn, version)
        for question, frame in computed:
            answer_store.store(conn, question.name, question.params, version, frame)
    return Warmed(version, len(computed), time.perf_counter() - started)
