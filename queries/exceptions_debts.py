"""The exceptions that the open debits and credits as of D raise (queries.exceptions): overdue, due_today,
due_before_date, no_payment_recently and advance, each a frame of the list's columns built column-wise (100,000 overdue
debits take no Python loop).
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from domain.buckets import days_overdue

# The columns of a row about one open debit (its `days` computed by the code).
_OPEN_DEBIT = {
    "counterparty_id": pl.col("counterparty_id"),
    "contract_id": pl.col("contract_id"),
    "document_id": pl.col("document_id"),
    "currency": pl.col("currency"),
    "amount": pl.col("open_amount"),
    "days": pl.col("days"),
    "doc_kind": pl.col("kind"),
    "doc_number": pl.col("number"),
    "doc_date": pl.col("doc_date"),
}


def debit_rows(debits: pl.DataFrame, as_of: date, *, high_overdue_days: int, large_overdue_amount: int) -> pl.DataFrame:
    """overdue and due_today: the debits open as of D and due on or before it, oldest due first."""
    overdue = pl.col("days") > 0
    high = (pl.col("days") > high_overdue_days) | (pl.col("open_amount") >= large_overdue_amount)
    return (
        debits.filter(pl.col("due_date") <= as_of)
        .sort(["due_date", "doc_date", "document_id"])
        .with_columns(days=days_overdue(as_of, pl.col("due_date")))
        .select(
            code=pl.when(overdue).then(pl.lit("overdue")).otherwise(pl.lit("due_today")),
            severity=pl.when(overdue)
            .then(pl.when(high).then(pl.lit("high")).otherwise(pl.lit("medium")))
            .otherwise(pl.lit("low")),
            **_OPEN_DEBIT,
        )
    )


def due_before_date_rows(debits: pl.DataFrame) -> pl.DataFrame:
    """due_before_date: the shipments open as of D due before their own date (a date typed wrong, or day and
    month swapped on the way through Excel), furthest first; days = how many days before."""
    return (
        debits.filter((pl.col("kind") == "shipment") & (pl.col("due_date") < pl.col("doc_date")))
        .with_columns(days=(pl.col("doc_date") - pl.col("due_date")).dt.total_days())
        .sort(["days", "doc_date", "document_id"], descending=[True, False, False])
        .select(
            code=pl.lit("due_before_date"),
            severity=pl.lit("medium"),
            **_OPEN_DEBIT,
        )
    )


def advance_rows(credits: pl.DataFrame, as_of: date, contracts: pl.DataFrame) -> pl.DataFrame:
    """advance: the credits with money unused as of D, by counterparty and date; contract_number is their
    contract's (empty for the counterparty's own advance)."""
    numbers = contracts.select("contract_id", "contract_number")
    return (
        credits.join(numbers, on="contract_id", how="left")
        .sort(["counterparty_id", "doc_date", "document_id"])
        .select(
            code=pl.lit("advance"),
            severity=pl.lit("low"),
            counterparty_id="counterparty_id",
            contract_id="contract_id",
            contract_number="contract_number",
            document_id="document_id",
            currency="currency",
            amount="open_amount",
            days=(pl.lit(as_of) - pl.col("doc_date")).dt.total_days(),
            doc_kind="kind",
            doc_number="number",
            doc_date="doc_date",
        )
    )


def _last_payments(conn: Connection, counterparty_ids: list[str], as_of: date) -> pl.DataFrame:
    """counterparty_id -> the date of its last payment on or before D (only those that ever paid).

    Any payment of the counterparty counts, whatever its contract: the question is whether they pay at
    all. One backward walk of (counterparty_id, doc_date) per counterparty, stopping at the first
    payment: a GROUP BY over every payment read a million rows at 1M documents."""
    d, c = warehouse.documents, warehouse.counterparties
    last_payment = (
        select(d.c.doc_date)
        .where(d.c.counterparty_id == c.c.counterparty_id, d.c.kind == "payment", d.c.doc_date <= as_of)
        .order_by(d.c.doc_date.desc())
        .limit(1)
        .scalar_subquery()
    )
    last_paid: dict[str, date] = {}
    for start in range(0, len(counterparty_ids), 1000):
        chunk = counterparty_ids[start : start + 1000]
        for counterparty_id, last in conn.execute(
            select(c.c.counterparty_id, last_payment).where(c.c.counterparty_id.in_(chunk))
        ):
            if last is not None:
                # SQLite hands a scalar subquery's date over as text: the column type does not reach it.
                last_paid[counterparty_id] = last if isinstance(last, date) else date.fromisoformat(last)
    return pl.DataFrame(
        {"counterparty_id": list(last_paid), "last_payment": list(last_paid.values())},
        schema={"counterparty_id": pl.String, "last_payment": pl.Date},
    )


def no_payment_rows(conn: Connection, debits: pl.DataFrame, as_of: date, *, no_payment_days: int) -> pl.DataFrame:
    """no_payment_recently: per counterparty and currency with overdue debt, when its last payment is
    no_payment_days or more days old, or it never paid."""
    overdue = (
        debits.filter(days_overdue(as_of, pl.col("due_date")) > 0)
        .group_by(["counterparty_id", "currency"])
        .agg(pl.col("open_amount").sum().alias("overdue"))
    )
    last = _last_payments(conn, overdue["counterparty_id"].unique().sort().to_list(), as_of)
    days = (pl.lit(as_of) - pl.col("last_payment")).dt.total_days()
    return (
        overdue.join(last, on="counterparty_id", how="left")
        .with_columns(days=days)
        .filter(pl.col("days").is_null() | (pl.col("days") >= no_payment_days))
        .sort(["counterparty_id", "currency"])
        .select(
            code=pl.lit("no_payment_recently"),
            severity=pl.lit("high"),
            counterparty_id="counterparty_id",
            currency="currency",
            amount="overdue",
            days="days",
            last_payment="last_payment",
        )
    )
