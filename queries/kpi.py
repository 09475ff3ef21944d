"""Receivables KPIs a CFO reads first: the overview's tiles (kpi_summary) and the trend page's months
(monthly_kpis). Their parts have modules of their own: the pure formulas (queries.kpi_formulas: DSO
simple, countback and best possible, days delinquent, CEI, shares), the figures as of a date
(queries.kpi_position: position, expected inflow, days delinquent by counterparty) and over periods
(queries.kpi_periods: credit sales, period KPIs). docs/kpis.md states each formula with a worked example.

Money is integer kopecks; a ratio becomes a Decimal (days or percent, one decimal, half away from zero)
only where it is computed, from exact fractions, never a float. Everything is per currency.

Definitions shared by every KPI here:
- receivables as of D: the open debits as of D (queries.ledger), gross of advances, which stand apart
  (in Russian books, 62.01 debit balances vs 62.02 advances received);
- current receivables as of D: the part of them not yet due (due date >= D), as in aging's not_due;
- credit sales of a period: debits of kind shipment or adjustment (a positive adjustment: the true-up
  of a sale, e.g. goods sold by weight) dated in the period. Gross: returns and negative adjustments
  are not netted (they lower receivables instead), so a month's sales are never negative. Opening
  balances are not sales: they are debt carried in at cut-over.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection

from queries.kpi_formulas import Period
from queries.kpi_periods import kpis_over
from queries.kpi_position import debits_with_days, inflow_of, position_of
from queries.ledger import open_credits
from queries.scope import Scope


def monthly_kpis(conn: Connection, *, date_from: date, date_to: date, scope: Scope | None = None) -> pl.DataFrame:
    """period_kpis for each calendar month from date_from to date_to (the first and last clipped to them),
    one row per month and currency, for a chart. `month` is the month's first day."""
    frame = kpis_over(conn, Period.months(date_from, date_to), scope or Scope.everything())
    month = pl.col("period_from").dt.truncate("1mo").alias("month")
    return frame.select(month, pl.all()).sort(["month", "currency"])


SUMMARY_COLUMNS = [
    "currency",
    "receivables",
    "advances",
    "balance",
    "not_due",
    "overdue",
    "overdue_pct",
    "weighted_days_overdue",
    "inflow_week",
    "inflow_month",
    "period_from",
    "period_to",
    "period_days",
    "credit_sales",
    "receivables_start",
    "dso_simple",
    "dso_countback",
    "dso_countback_is_lower_bound",
    "best_possible_dso",
    "average_days_delinquent",
    "cei",
]


def kpi_summary(
    conn: Connection,
    *,
    as_of: date,
    scope: Scope | None = None,
    period_days: int = 90,
    date_from: date | None = None,
) -> pl.DataFrame:
    """Every tile, one row per currency: the position and expected inflow as of D, and the period KPIs for
    the period ending on D (the last `period_days` days, or date_from..D)."""
    scope = scope or Scope.everything()
    period = Period(date_from, as_of) if date_from is not None else Period.trailing(as_of, period_days)
    debits = debits_with_days(conn, as_of, scope)
    position = position_of(debits, open_credits(conn, as_of=as_of, scope=scope))
    known = {as_of: {r[0]: (r[1], r[2]) for r in position.select("currency", "receivables", "not_due").iter_rows()}}
    over_period = kpis_over(conn, [period], scope, known).drop("receivables", "current_receivables")
    frame = position.join(inflow_of(debits, as_of).drop("week_to", "month_to"), on="currency", how="left").join(
        over_period, on="currency", how="full", coalesce=True
    )
    # A currency on one side only (sold in the period but nothing open at D, or just an advance) still gets
    # a full row: zero money, undefined ratios.
    money = ["receivables", "advances", "balance", "not_due", "overdue", "inflow_week", "inflow_month"]
    frame = frame.with_columns(
        pl.col(*money, "credit_sales", "receivables_start").fill_null(0),
        pl.lit(period.date_from).alias("period_from"),
        pl.lit(period.date_to).alias("period_to"),
        pl.lit(period.days, dtype=pl.Int64).alias("period_days"),
        pl.col("dso_countback_is_lower_bound").fill_null(False),
    )
    return frame.select(SUMMARY_COLUMNS).sort("currency")
