"""Receivables KPIs as of one date, per currency: the position (receivables, advances, overdue and its
share, weighted days overdue), the inflow expected this week and month, and days delinquent by
counterparty. Definitions as in queries.kpi; formulas in queries.kpi_formulas.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from sqlalchemy import Connection

from queries.aging import with_days
from queries.kpi_formulas import DAYS, PERCENT, month_end, percent_of, weighted_days
from queries.ledger import counterparty_names, open_credits, open_debits
from queries.scope import Scope


def debits_with_days(conn: Connection, as_of: date, scope: Scope) -> pl.DataFrame:
    """The open debits as of the date with their days overdue (queries.aging.with_days)."""
    return with_days(open_debits(conn, as_of=as_of, scope=scope), as_of)


POSITION_SCHEMA = pl.Schema(
    {
        "currency": pl.String(),
        "receivables": pl.Int64(),
        "advances": pl.Int64(),
        "balance": pl.Int64(),
        "not_due": pl.Int64(),
        "overdue": pl.Int64(),
        "overdue_pct": PERCENT,
        "weighted_days_overdue": DAYS,
    }
)


def position_of(debits: pl.DataFrame, credits: pl.DataFrame) -> pl.DataFrame:
    """receivables_position from debits_with_days and the open credits of the same day."""
    money, overdue = pl.col("open_amount"), pl.col("days_overdue") > 0
    totals = debits.group_by("currency").agg(
        money.sum().alias("receivables"),
        money.filter(~overdue).sum().alias("not_due"),
        money.filter(overdue).sum().alias("overdue"),
        (money * pl.col("days_overdue")).filter(overdue).sum().alias("overdue_amount_days"),
    )
    advances = credits.group_by("currency").agg(money.sum().alias("advances"))
    joined = totals.join(advances, on="currency", how="full", coalesce=True)
    rows = []
    for r in joined.sort("currency").iter_rows(named=True):
        receivables, advance, overdue_amount = (int(r[k] or 0) for k in ("receivables", "advances", "overdue"))
        rows.append(
            (
                r["currency"],
                receivables,
                advance,
                receivables - advance,
                int(r["not_due"] or 0),
                overdue_amount,
                percent_of(overdue_amount, receivables),
                weighted_days(int(r["overdue_amount_days"] or 0), overdue_amount),
            )
        )
    return pl.DataFrame(rows, schema=POSITION_SCHEMA, orient="row")


def receivables_position(conn: Connection, *, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    """Per currency as of D: receivables (open debits), advances, balance = receivables - advances, not_due,
    overdue, overdue_pct = overdue / receivables x 100, weighted_days_overdue = sum(open x days overdue) /
    overdue over the overdue debits. The same figures as the aging summed per currency."""
    scope = scope or Scope.everything()
    return position_of(debits_with_days(conn, as_of, scope), open_credits(conn, as_of=as_of, scope=scope))


INFLOW_SCHEMA = pl.Schema(
    {
        "currency": pl.String,
        "week_to": pl.Date,
        "inflow_week": pl.Int64,
        "month_to": pl.Date,
        "inflow_month": pl.Int64,
    }
)


def inflow_of(debits: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """expected_inflow from debits_with_days of as_of."""
    week_to, month_to = as_of + timedelta(days=6), month_end(as_of)
    money, due = pl.col("open_amount"), pl.col("due_date")
    frame = debits.group_by("currency").agg(
        money.filter(due.is_between(as_of, week_to)).sum().alias("inflow_week"),
        money.filter(due.is_between(as_of, month_to)).sum().alias("inflow_month"),
    )
    return (
        frame.with_columns(pl.lit(week_to).alias("week_to"), pl.lit(month_to).alias("month_to"))
        .select(list(INFLOW_SCHEMA))
        .cast(INFLOW_SCHEMA)
        .sort("currency")
    )


def expected_inflow(conn: Connection, *, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    """Per currency: open debits as of D falling due this week, D..D+6 (inflow_week), and this month,
    D..the month's last day (inflow_month, this week's days of the month included). What is already
    overdue is not expected: it is the overdue tile."""
    return inflow_of(debits_with_days(conn, as_of, scope or Scope.everything()), as_of)


DELINQUENCY_SCHEMA = pl.Schema(
    {
        "counterparty_id": pl.String(),
        "counterparty_name": pl.String(),
        "currency": pl.String(),
        "overdue": pl.Int64(),
        "overdue_documents": pl.Int64(),
        "average_days_overdue": DAYS,
        "max_days_overdue": pl.Int64(),
    }
)


def days_delinquent_by_counterparty(conn: Connection, *, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    """Per counterparty and currency with overdue debits as of D: the overdue amount and its amount-weighted
    average days overdue, sum(open x days overdue) / sum(open). Largest overdue first."""
    debits = debits_with_days(conn, as_of, scope or Scope.everything()).filter(pl.col("days_overdue") > 0)
    money = pl.col("open_amount")
    totals = debits.group_by("counterparty_id", "currency").agg(
        money.sum().alias("overdue"),
        pl.len().cast(pl.Int64).alias("overdue_documents"),
        (money * pl.col("days_overdue")).sum().alias("amount_days"),
        pl.col("days_overdue").max().alias("max_days_overdue"),
    )
    names = counterparty_names(conn, totals["counterparty_id"].unique().to_list())
    totals = totals.join(names.select("counterparty_id", "counterparty_name"), on="counterparty_id", how="left")
    rows = [
        (
            r["counterparty_id"],
            r["counterparty_name"],
            r["currency"],
            r["overdue"],
            r["overdue_documents"],
            weighted_days(int(r["amount_days"]), int(r["overdue"])),
            r["max_days_overdue"],
        )
        for r in totals.iter_rows(named=True)
    ]
    frame = pl.DataFrame(rows, schema=DELINQUENCY_SCHEMA, orient="row")
    return frame.sort(["currency", "overdue", "counterparty_id"], descending=[False, True, False])
