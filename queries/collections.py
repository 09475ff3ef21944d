"""Collections: the notes of contacts with clients, promises to pay as of a date, disputes open on a date.

A note counts from its date on: as of D, only notes dated on or before D exist. A promise or a dispute
resolved on R is over as of R and later, and as it was before R. Rules (docs/semantics.md, «Notes, promises,
disputes»):

- a promise's `paid` is the sum of the counterparty's payments (documents of kind payment) in the
  promise's currency dated from the note's date to the earlier of its last day (`until`) and D;
- its status as of D, first that applies: withdrawn (resolved on or before D), kept (paid >= amount),
  broken (D after until and paid < amount), else open; `missing` = amount - paid, never below 0;
- a dispute is open as of D when dated on or before D and not resolved by D; its document's open amount
  is the open debits' (queries.ledger) as of D, 0 when paid.

Frames of numbers and codes only, money in Int64 kopecks; the scope applied in SQL on the counterparty.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, Connection, Date, Select, and_, bindparam, case, func, or_, select

import warehouse
from queries.ledger import open_debits
from queries.scope import Scope

NOTE_SCHEMA = pl.Schema(
    {
        "note_id": pl.Int64(),
        "counterparty_id": pl.String(),
        "document_id": pl.String(),
        "kind": pl.String(),
        "note_date": pl.Date(),
        "amount": pl.Int64(),
        "until": pl.Date(),
        "currency": pl.String(),
        "text": pl.String(),
        "author": pl.String(),
        "created_at": pl.Datetime("us"),
        "resolved_on": pl.Date(),
        "resolved_by": pl.String(),
    }
)
PROMISE_SCHEMA = pl.Schema(
    {
        "note_id": pl.Int64,
        "counterparty_id": pl.String,
        "document_id": pl.String,
        "currency": pl.String,
        "note_date": pl.Date,
        "amount": pl.Int64,
        "until": pl.Date,
        "resolved_on": pl.Date,
        "paid": pl.Int64,
    }
)
DISPUTE_SCHEMA = pl.Schema(
    {
        "note_id": pl.Int64,
        "counterparty_id": pl.String,
        "document_id": pl.String,
        "currency": pl.String,
        "note_date": pl.Date,
        "author": pl.String,
    }
)
PROMISE_STATUSES = ("open", "kept", "broken", "withdrawn")


def _frame(conn: Connection, query: Select, schema: pl.Schema) -> pl.DataFrame:
    """Rows through SQLAlchemy's types (dates and datetimes alike on both dialects): notes are few."""
    rows: list[Any] = [tuple(row) for row in conn.execute(query)]
    return pl.DataFrame(rows, schema=schema, orient="row")


def _scoped(scope: Scope) -> ColumnElement[bool]:
    n = warehouse.notes
    conditions = [scope.counterparty_filter(n.c.counterparty_id)]
    if scope.currencies is not None:
        conditions.append(n.c.currency.in_(scope.currencies))
    return and_(*conditions)


def notes_of(conn: Connection, *, scope: Scope, counterparty_id: str | None = None) -> pl.DataFrame:
    """Every note in the scope (or of one counterparty), newest first (by date, then the later written)."""
    n = warehouse.notes
    query = select(*(n.c[name] for name in NOTE_SCHEMA.names())).where(_scoped(scope))
    if counterparty_id is not None:
        query = query.where(n.c.counterparty_id == counterparty_id)
    return _frame(conn, query.order_by(n.c.note_date.desc(), n.c.note_id.desc()), NOTE_SCHEMA)


def note_counterparty(conn: Connection, note_id: int, *, scope: Scope) -> str | None:
    """The counterparty of a note the scope sees; None for no such note (or one outside the scope)."""
    n = warehouse.notes
    return conn.execute(select(n.c.counterparty_id).where(n.c.note_id == note_id, _scoped(scope))).scalar()


def counterparty_in_scope(conn: Connection, counterparty_id: str, *, scope: Scope) -> bool:
    """Whether the counterparty exists and the scope sees it (who may write a note on it)."""
    c = warehouse.counterparties
    query = select(c.c.counterparty_id).where(
        c.c.counterparty_id == counterparty_id, scope.counterparty_filter(c.c.counterparty_id)
    )
    return conn.execute(query).first() is not None


def promise_status(conn: Connection, *, as_of: date, scope: Scope) -> pl.DataFrame:
    """One row per promise dated on or before as_of: note_id, counterparty_id, document_id, currency,
    note_date, amount, until, paid, missing, status (open | kept | broken | withdrawn); oldest first."""
    n, d = warehouse.notes, warehouse.documents
    day = bindparam("as_of", as_of, type_=Date())
    last = case((n.c.until < day, n.c.until), else_=day)
    paid = (
        select(func.coalesce(func.sum(d.c.amount), 0))
        .where(
            d.c.kind == "payment",
            d.c.counterparty_id == n.c.counterparty_id,
            d.c.currency == n.c.currency,
            d.c.doc_date >= n.c.note_date,
            d.c.doc_date <= last,
        )
        .scalar_subquery()
    )
    query = (
        select(
            n.c.note_id,
            n.c.counterparty_id,
            n.c.document_id,
            n.c.currency,
            n.c.note_date,
            n.c.amount,
            n.c.until,
            n.c.resolved_on,
            paid.label("paid"),
        )
        .where(n.c.kind == "promise", n.c.note_date <= day, _scoped(scope))
        .order_by(n.c.note_date, n.c.note_id)
    )
    promises = _frame(conn, query, PROMISE_SCHEMA)
    amount, paid_col = pl.col("amount"), pl.col("paid")
    status = (
        pl.when(pl.col("resolved_on").is_not_null() & (pl.col("resolved_on") <= as_of))
        .then(pl.lit("withdrawn"))
        .when(paid_col >= amount)
        .then(pl.lit("kept"))
        .when((pl.col("until") < as_of) & (paid_col < amount))
        .then(pl.lit("broken"))
        .otherwise(pl.lit("open"))
    )
    return promises.with_columns(
        (amount - paid_col).clip(lower_bound=0).alias("missing"),
        status.alias("status"),
    ).drop("resolved_on")


def disputes_open(conn: Connection, *, as_of: date, scope: Scope) -> pl.DataFrame:
    """Disputes dated on or before as_of and not resolved by then: note_id, counterparty_id, document_id,
    currency, note_date, author, open_amount (the document's open debit as of as_of, 0 when paid) and
    days (since the note's date); oldest first."""
    n = warehouse.notes
    query = (
        select(*(n.c[name] for name in DISPUTE_SCHEMA.names()))
        .where(
            n.c.kind == "dispute",
            n.c.note_date <= as_of,
            or_(n.c.resolved_on.is_(None), n.c.resolved_on > as_of),
            _scoped(scope),
        )
        .order_by(n.c.note_date, n.c.note_id)
    )
    disputes = _frame(conn, query, DISPUTE_SCHEMA)
    keys = ["counterparty_id", "document_id"]
    if disputes.is_empty():
        opened = pl.DataFrame(schema={"counterparty_id": pl.String, "document_id": pl.String, "open_amount": pl.Int64})
    else:
        among = scope.narrowed(counterparty_ids=tuple(disputes["counterparty_id"].unique().sort()))
        opened = (
            open_debits(conn, as_of=as_of, scope=among)
            .filter(pl.col("document_id").is_in(disputes["document_id"].unique().implode()))
            .group_by(keys)
            .agg(pl.col("open_amount").sum())
        )
    return (
        disputes.join(opened, on=keys, how="left")
        .with_columns(
            pl.col("open_amount").fill_null(0).cast(pl.Int64),
            (pl.lit(as_of) - pl.col("note_date")).dt.total_days().cast(pl.Int64).alias("days"),
        )
        .sort("note_date", "note_id")
    )


def note_documents(conn: Connection, *, counterparty_id: str, document_ids: list[str]) -> pl.DataFrame:
    """The debits the notes name, as people know them: document_id, number (its own, "" when the source gave
    none), doc_date. A note names a document by id; the card shows «УПД-2 от 20.01.2025»."""
    d = warehouse.documents
    query = select(d.c.document_id, d.c.number, d.c.doc_date).where(
        d.c.counterparty_id == counterparty_id, d.c.side == 1, d.c.document_id.in_(document_ids or [""])
    )
    schema = pl.Schema({"document_id": pl.String(), "number": pl.String(), "doc_date": pl.Date()})
    return _frame(conn, query, schema).unique("document_id", keep="first")
