"""One counterparty's card: its header data and the shipments it settled (for payment behaviour)."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from queries.ledger import open_debits
from queries.scope import Scope
from warehouse.frames import frame

SETTLED_SCHEMA = pl.Schema(
    {
        "doc_pk": pl.Int64,
        "document_id": pl.String,
        "number": pl.String,
        "counterparty_id": pl.String,
        "contract_id": pl.String,
        "currency": pl.String,
        "doc_date": pl.Date,
        "due_date": pl.Date,
        "settled_date": pl.Date,
        "amount": pl.Int64,
    }
)


def settled_shipments(conn: Connection, *, date_from: date, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    """Shipments settled in full in [date_from, as_of] (documents.settled_date), inside the scope.

    settled_date is the day the last match closed the shipment; one on or before as_of was already
    settled then, so the answer as of a past date is the same as it was on that date.
    """
    scope = scope or Scope.everything()
    d = warehouse.documents
    query = select(
        d.c.doc_pk,
        d.c.document_id,
        d.c.number,
        d.c.counterparty_id,
        d.c.contract_id,
        d.c.currency,
        d.c.doc_date,
        d.c.due_date,
        d.c.settled_date,
        d.c.amount,
    ).where(
        d.c.kind == "shipment",
        d.c.side == 1,
        d.c.counterparty_id.is_not(None),
        d.c.settled_date >= date_from,
        d.c.settled_date <= as_of,
        scope.document_filter(d),
    )
    return frame(conn, query, SETTLED_SCHEMA).sort(["settled_date", "doc_date", "document_id"])


def overdue_shipments(conn: Connection, *, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    """Shipments still open as of D and past their due date: not paid yet, late so far (the card counts them in
    its payment behaviour beside the settled ones, or a client 150 days overdue read «2,5 days late»)."""
    debits = open_debits(conn, as_of=as_of, scope=scope or Scope.everything())
    return debits.filter((pl.col("kind") == "shipment") & (pl.col("due_date") < as_of)).select(
        "document_id", "counterparty_id", "currency", "doc_date", "due_date", "open_amount"
    )


PROFILE_SCHEMA = pl.Schema(
    {
        "counterparty_id": pl.String,
        "name": pl.String,
        "inn": pl.String,
        "kpp": pl.String,
        "manager": pl.String,
        "group": pl.String,
        "email": pl.String,
    }
)


def counterparty_profile(conn: Connection, *, counterparty_id: str, scope: Scope | None = None) -> pl.DataFrame:
    """The counterparty's card header (one row), or an empty frame when it is unknown or out of scope."""
    scope = scope or Scope.everything()
    c = warehouse.counterparties
    query = select(c.c.counterparty_id, c.c.name, c.c.inn, c.c.kpp, c.c.manager, c.c.group_name, c.c.email).where(
        c.c.counterparty_id == counterparty_id, scope.counterparty_filter(c.c.counterparty_id)
    )
    return frame(conn, query, PROFILE_SCHEMA)
