"""Receivables KPIs over periods, per currency: credit sales, receivables at each end, DSO (simple,
countback, best possible), average days delinquent and CEI, for one period or each month of a range.
Definitions as in queries.kpi; formulas in queries.kpi_formulas.

The warehouse is read in a few set queries: open debits summed in SQL as of each period end, and the
debits of sale and opening kinds summed per day once, then summed over any range by bisection.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

import polars as pl
from sqlalchemy import BigInteger, ColumnElement, Connection, case, cast, func, select

import warehouse
from queries.kpi_formulas import (
    DAYS,
    PERCENT,
    Period,
    average_days_delinquent,
    best_possible_dso,
    cei_percent,
    countback_dso,
    dso_simple,
)
from queries.ledger import open_debits_query
from queries.scope import Scope

SALE_KINDS = ("shipment", "adjustment")  # with side +1: shipments and positive adjustments


def _money(expression: ColumnElement[int]) -> ColumnElement[int]:
    # SUM of BIGINT is NUMERIC in PostgreSQL: cast back so the driver hands over ints.
    return cast(func.sum(expression), BigInteger)


def _receivables_at(conn: Connection, as_of: date, scope: Scope) -> dict[str, tuple[int, int]]:
    """currency -> (receivables, current receivables) as of the date, summed in SQL over ledger's open debits."""
    debits = open_debits_query(as_of, scope).subquery()
    current = case((debits.c.due_date >= as_of, debits.c.open_amount), else_=0)
    rows = conn.execute(
        select(debits.c.currency, _money(debits.c.open_amount), _money(current)).group_by(debits.c.currency)
    ).all()
    return {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in rows}


@dataclass
class _DailyAmounts:
    """One currency's debits of some kinds, summed per day, for sums over any date range by bisection."""

    days: list[date]
    amounts: list[int]
    cumulative: list[int]

    def between(self, date_from: date, date_to: date) -> int:
        low, high = bisect_left(self.days, date_from), bisect_right(self.days, date_to)
        if high <= low:
            return 0
        return self.cumulative[high - 1] - (self.cumulative[low - 1] if low else 0)

    def months_back(self, end: date) -> list[tuple[int, int]]:
        """(days, sales) per month, newest first: end's month up to end, then whole months back to the
        first month with sales."""
        if not self.days or self.days[0] > end:
            return []
        months, last = [], end
        while last >= self.days[0].replace(day=1):
            first = last.replace(day=1)
            months.append(((last - first).days + 1, self.between(first, last)))
            last = first - timedelta(days=1)
        return months


def _daily_debits(
    conn: Connection, scope: Scope, date_to: date, date_from: date | None = None
) -> tuple[dict[str, _DailyAmounts], dict[str, _DailyAmounts]]:
    """Per currency, day by day up to date_to: credit sales, and opening balances (debits), in one scan."""
    d = warehouse.documents
    conditions = [
        d.c.side == 1,
        d.c.kind.in_((*SALE_KINDS, "opening")),
        d.c.doc_date <= date_to,
        d.c.counterparty_id.is_not(None),
        scope.document_filter(d),
    ]
    if date_from is not None:
        conditions.append(d.c.doc_date >= date_from)
    rows = conn.execute(
        select(d.c.currency, d.c.kind, d.c.doc_date, _money(d.c.amount))
        .where(*conditions)
        .group_by(d.c.currency, d.c.kind, d.c.doc_date)
    ).all()
    sales: dict[str, dict[date, int]] = {}
    opening: dict[str, dict[date, int]] = {}
    for currency, kind, day, amount in rows:
        by_day = (opening if kind == "opening" else sales).setdefault(currency, {})
        by_day[day] = by_day.get(day, 0) + int(amount)
    return _series(sales), _series(opening)


def _series(by_currency: dict[str, dict[date, int]]) -> dict[str, _DailyAmounts]:
    result = {}
    for currency, by_day in by_currency.items():
        days = sorted(by_day)
        amounts = [by_day[day] for day in days]
        result[currency] = _DailyAmounts(days, amounts, list(accumulate(amounts)))
    return result


def credit_sales(conn: Connection, *, period: Period, scope: Scope | None = None) -> pl.DataFrame:
    """Per currency: credit sales of the period (shipments and positive adjustments dated in it)."""
    sales, _ = _daily_debits(conn, scope or Scope.everything(), period.date_to, period.date_from)
    rows = [(currency, series.between(period.date_from, period.date_to)) for currency, series in sales.items()]
    rows = [row for row in rows if row[1]]
    return pl.DataFrame(rows, schema={"currency": pl.String, "credit_sales": pl.Int64}, orient="row").sort("currency")


PERIOD_SCHEMA = pl.Schema(
    {
        "period_from": pl.Date(),
        "period_to": pl.Date(),
        "period_days": pl.Int64(),
        "currency": pl.String(),
        "receivables_start": pl.Int64(),
        "credit_sales": pl.Int64(),
        "receivables": pl.Int64(),
        "current_receivables": pl.Int64(),
        "dso_simple": DAYS,
        "dso_countback": DAYS,
        "dso_countback_is_lower_bound": pl.Boolean(),
        "best_possible_dso": DAYS,
        "average_days_delinquent": DAYS,
        "cei": PERCENT,
    }
)


def kpis_over(
    conn: Connection,
    periods: Sequence[Period],
    scope: Scope,
    known: dict[date, dict[str, tuple[int, int]]] | None = None,
) -> pl.DataFrame:
    """One row per period and currency. receivables_start: open debits as of the day before the period, plus
    opening balances booked in it (debt carried in at cut-over: not a sale, yet to be collected), so that
    start + sales - end is exactly what credits closed in the period."""
    if not periods:
        return pl.DataFrame(schema=PERIOD_SCHEMA)
    totals = dict(known or {})
    for day in sorted({p.date_to for p in periods} | {p.date_from - timedelta(days=1) for p in periods}):
        if day not in totals:
            totals[day] = _receivables_at(conn, day, scope)
    sales, opening = _daily_debits(conn, scope, max(p.date_to for p in periods))
    currencies = sorted({c for day in totals.values() for c in day} | set(sales) | set(opening))
    empty = _DailyAmounts([], [], [])
    rows = []
    for period in periods:
        start_totals = totals[period.date_from - timedelta(days=1)]
        for currency in currencies:
            receivables, current = totals[period.date_to].get(currency, (0, 0))
            history = sales.get(currency, empty)
            sold = history.between(period.date_from, period.date_to)
            start = start_totals.get(currency, (0, 0))[0] + opening.get(currency, empty).between(
                period.date_from, period.date_to
            )
            simple = dso_simple(receivables, sold, period.days)
            best = best_possible_dso(current, sold, period.days)
            countback = countback_dso(receivables, history.months_back(period.date_to))
            rows.append(
                (
                    period.date_from,
                    period.date_to,
                    period.days,
                    currency,
                    start,
                    sold,
                    receivables,
                    current,
                    simple,
                    countback.days,
                    countback.is_lower_bound,
                    best,
                    average_days_delinquent(simple, best),
                    cei_percent(start, sold, receivables, current),
                )
            )
    frame = pl.DataFrame(rows, schema=PERIOD_SCHEMA, orient="row")
    # A currency with nothing owed or sold in any of the periods (only older history) has no row.
    money = pl.sum_horizontal(pl.col("receivables_start", "credit_sales", "receivables").abs())
    return frame.filter(money.sum().over("currency") > 0)


def period_kpis(conn: Connection, *, period: Period, scope: Scope | None = None) -> pl.DataFrame:
    """Per currency for the period: receivables at its start and end, credit sales, DSO (simple and countback,
    both as of the period end), best possible DSO, average days delinquent and CEI."""
    return kpis_over(conn, [period], scope or Scope.everything())
