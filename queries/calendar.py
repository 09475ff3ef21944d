"""The payment calendar: per day, what falls due and is still unpaid as of a date (contract section 4).

For each day of [date_from, date_to] and currency: the open amount as of `as_of` of the debits due that
day (booked on or before as_of, less the matches dated on or before as_of), and how many of them are
open. A past day (before as_of) shows what fell due then and is still unpaid; a future day shows what
is expected. A debit paid after as_of still shows: as of as_of it was open.

`calendar_layout` spreads a calendar over every day of the range (zeros where nothing is due) with the
coordinates of a weeks x weekdays heatmap; `calendar_totals` sums it by week or month;
`documents_due_on` lists the documents behind one day, for the drill-down.
Money is Int64 kopecks, never summed across currencies.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

import polars as pl
from sqlalchemy import Connection, func, select

import warehouse
from queries.ledger import OPEN_DOCUMENT_SCHEMA, counterparty_names, open_debits_query
from queries.scope import Scope
from warehouse.frames import frame

CALENDAR_SCHEMA = pl.Schema(
    {
        "date": pl.Date(),
        "currency": pl.String(),
        "due": pl.Int64(),
        "documents": pl.Int64(),
    }
)

FELL_DUE_SCHEMA = pl.Schema({"date": pl.Date(), "currency": pl.String(), "fell_due": pl.Int64()})

LAYOUT_SCHEMA = pl.Schema(
    {
        **CALENDAR_SCHEMA,
        "fell_due": pl.Int64(),
        "weekday": pl.Int8(),
        "week_start": pl.Date(),
        "month": pl.Date(),
        "is_past": pl.Boolean(),
    }
)

DUE_DOCUMENT_COLUMNS = [
    "document_id",
    "number",
    "counterparty_id",
    "counterparty_name",
    "contract_id",
    "currency",
    "doc_date",
    "due_date",
    "amount",
    "open_amount",
    "kind",
]


def _check_range(date_from: date, date_to: date) -> None:
    if date_from > date_to:
        raise ValueError(f"date_from {date_from} is after date_to {date_to}")


def payment_calendar(
    conn: Connection, *, as_of: date, date_from: date, date_to: date, scope: Scope | None = None
) -> pl.DataFrame:
    """Columns date, currency, due, documents: one row per day and currency with an open amount due."""
    _check_range(date_from, date_to)
    d = warehouse.documents
    debits = (
        open_debits_query(as_of, scope or Scope.everything())
        .where(d.c.due_date >= date_from, d.c.due_date <= date_to)
        .subquery()
    )
    query = (
        select(debits.c.due_date, debits.c.currency, func.sum(debits.c.open_amount), func.count())
        .where(debits.c.open_amount > 0)
        .group_by(debits.c.due_date, debits.c.currency)
    )
    return frame(conn, query, CALENDAR_SCHEMA).sort("date", "currency")


def amounts_fell_due(
    conn: Connection, *, as_of: date, date_from: date, date_to: date, scope: Scope | None = None
) -> pl.DataFrame:
    """Columns date, currency, fell_due: per day, the whole amount of the debits due that day (booked on or
    before as_of), paid or not. Beside `due` (what is still open) it says how much of a past day was paid:
    a past week read «к оплате 21,4 млн, не оплачено 21,4 млн», like nothing ever paid."""
    _check_range(date_from, date_to)
    d = warehouse.documents
    query = (
        select(d.c.due_date, d.c.currency, func.sum(d.c.amount))
        .where(
            d.c.side == 1,
            d.c.due_date >= date_from,
            d.c.due_date <= date_to,
            d.c.doc_date <= as_of,
            (scope or Scope.everything()).document_filter(d),
        )
        .group_by(d.c.due_date, d.c.currency)
    )
    return frame(conn, query, FELL_DUE_SCHEMA).sort("date", "currency")


def calendar_layout(
    calendar: pl.DataFrame,
    date_from: date,
    date_to: date,
    as_of: date,
    *,
    currencies: Sequence[str] | None = None,
    fell_due: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Every day of the range for every currency (zeros filled), placed for a weeks x weekdays heatmap.

    Columns: date, currency, due, documents, fell_due (from `fell_due`, amounts_fell_due: 0 without it),
    weekday (0 = Monday), week_start (the Monday of its ISO week), month (its first day), is_past
    (date < as_of). Currencies: the given ones, else those of the
    calendar; when there are none, one row per day with an empty currency, so an empty month still draws.
    """
    _check_range(date_from, date_to)
    names: list[str | None] = list(currencies) if currencies is not None else sorted(calendar["currency"].unique())
    if not names:
        names = [None]
    days = pl.DataFrame(
        {"date": [date_from + timedelta(days=i) for i in range((date_to - date_from).days + 1)]},
        schema={"date": pl.Date},
    )
    grid = days.join(pl.DataFrame({"currency": names}, schema={"currency": pl.String}), how="cross")
    day = pl.col("date")
    amounts = fell_due if fell_due is not None else pl.DataFrame(schema=FELL_DUE_SCHEMA)
    return (
        grid.join(calendar.select(CALENDAR_SCHEMA.keys()), on=["date", "currency"], how="left", nulls_equal=True)
        .join(amounts.select(FELL_DUE_SCHEMA.keys()), on=["date", "currency"], how="left", nulls_equal=True)
        .with_columns(
            pl.col("due").fill_null(0),
            pl.col("fell_due").fill_null(0),
            pl.col("documents").fill_null(0),
            (day.dt.weekday() - 1).alias("weekday"),
            (day - pl.duration(days=day.dt.weekday() - 1)).alias("week_start"),
            day.dt.month_start().alias("month"),
            (day < as_of).alias("is_past"),
        )
        .cast(LAYOUT_SCHEMA)
        .select(LAYOUT_SCHEMA.keys())
        .sort("date", "currency", nulls_last=True)
    )


def calendar_totals(
    calendar: pl.DataFrame, freq: Literal["week", "month"] = "week", columns: Sequence[str] = ()
) -> pl.DataFrame:
    """A calendar (or its layout) summed per week (Monday to Sunday) or calendar month and currency.

    Columns: period_start, period_end, currency, and the sums of `columns` (by default due and documents);
    periods with nothing due are left out unless the frame is a layout, which has zero rows for them.
    """
    day = pl.col("date")
    if freq == "week":
        start = day - pl.duration(days=day.dt.weekday() - 1)
        end = start + pl.duration(days=6)
    elif freq == "month":
        start, end = day.dt.month_start(), day.dt.month_end()
    else:
        raise ValueError(f"freq must be week or month, not {freq!r}")
    summed = columns or ("due", "documents")
    sums = [pl.col(c).sum().cast(pl.Int64) for c in summed]
    return (
        calendar.group_by(start.alias("period_start"), end.alias("period_end"), "currency")
        .agg(sums)
        .sort("period_start", "currency", nulls_last=True)
    )


def documents_due_on(conn: Connection, *, as_of: date, day: date, scope: Scope | None = None) -> pl.DataFrame:
    """The debits due on `day` that are open as of `as_of`: the documents behind one calendar cell.

    Columns: document_id, number, counterparty_id, counterparty_name, contract_id, currency, doc_date,
    due_date, amount, open_amount, kind; the largest open amount first.
    """
    d = warehouse.documents
    query = open_debits_query(as_of, scope or Scope.everything()).where(d.c.due_date == day)
    debits = frame(conn, query, OPEN_DOCUMENT_SCHEMA).filter(pl.col("open_amount") > 0)
    names = counterparty_names(conn, debits["counterparty_id"].unique().to_list()).select(
        "counterparty_id", "counterparty_name"
    )
    return (
        debits.join(names, on="counterparty_id", how="left")
        .select(DUE_DOCUMENT_COLUMNS)
        .sort(["open_amount", "document_id"], descending=[True, False])
    )
