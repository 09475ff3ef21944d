"""The rows of an act's period (queries.act): the documents dated in it, and on a contract's act the parts of
credits matched across contracts.

Each entry carries what names it (queries.documents.act_description_expr, in any language): the document's
kind, number, id and own date, and for a part matched across contracts which way it crossed
(`cross_contract`: "out", the contract's credit taken by another contract's debit on a later day; "in",
a credit from outside closing the contract's debits) and the other contract's number (`other_contract`).
The entry's `day` is when it counts in the act: the document's date, or the day of the match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import date

import polars as pl
from sqlalchemy import ColumnElement, Connection, Row, Table, case, func, or_, select

import warehouse
from warehouse.frames import frame

ENTRY_SCHEMA = pl.Schema(
    {
        "day": pl.Date,
        "side": pl.Int64,
        "amount": pl.Int64,
        "document_id": pl.String,
        "doc_kind": pl.String,
        "doc_pk": pl.Int64,
        "contract_id": pl.String,
        "number": pl.String,
        "doc_date": pl.Date,
        "other_contract": pl.String,
        "cross_contract": pl.String,
    }
)
_FETCHED = pl.Schema(
    {
        "doc_pk": pl.Int64,
        "kind": pl.String,
        "document_id": pl.String,
        "number": pl.String,
        "contract_id": pl.String,
        "doc_date": pl.Date,
        "side": pl.Int64,
        "amount": pl.Int64,
    }
)


@dataclass(frozen=True)
class _Entry:
    """The part of a credit matched across contracts, in ENTRY_SCHEMA's order."""

    day: date
    side: int
    amount: int
    document_id: str
    doc_kind: str
    doc_pk: int
    contract_id: str | None
    number: str | None
    doc_date: date
    other_contract: str | None
    cross_contract: str


def signed(documents: Table = warehouse.documents) -> ColumnElement[int]:
    """Debits less credits of the documents selected."""
    return func.coalesce(func.sum(case((documents.c.side > 0, documents.c.amount), else_=-documents.c.amount)), 0)


def documents_entries(
    conn: Connection,
    where: list[ColumnElement[bool]],
    date_from: date,
    date_to: date,
    opening: int | None = None,
) -> tuple[int, pl.DataFrame]:
    """The balance of the documents before the period (unless given), and the period's documents
    (columnar: an act of a large counterparty has tens of thousands of rows)."""
    d = warehouse.documents
    if opening is None:
        opening = int(conn.execute(select(signed()).where(*where, d.c.doc_date < date_from)).scalar() or 0)
    fetched = frame(
        conn,
        select(
            d.c.doc_pk, d.c.kind, d.c.document_id, d.c.number, d.c.contract_id, d.c.doc_date, d.c.side, d.c.amount
        ).where(*where, d.c.doc_date >= date_from, d.c.doc_date <= date_to),
        _FETCHED,
    )
    entries = fetched.select(
        pl.col("doc_date").alias("day"),
        "side",
        "amount",
        "document_id",
        pl.col("kind").alias("doc_kind"),
        "doc_pk",
        "contract_id",
        "number",
        "doc_date",
        pl.lit(None, dtype=pl.String).alias("other_contract"),
        pl.lit(None, dtype=pl.String).alias("cross_contract"),
    )
    return opening, entries


def _cross_matches(
    conn: Connection, counterparty_id: str, contracts: tuple[str, ...], date_to: date, *, into: bool
) -> Sequence[Row]:
    """Matches up to date_to between the contracts and the outside, summed per credit and match date.

    into=True: credits from outside (counterparty-level payments, other contracts) closing the contracts'
    debits. into=False: the contracts' credits closing debits outside them (with that debit's contract).
    """
    m, c = warehouse.matches, warehouse.contracts
    debit, credit = warehouse.documents.alias("debit"), warehouse.documents.alias("credit")
    inside, outside = (debit, credit) if into else (credit, debit)
    other_contract = outside.c.contract_id
    credit_keys = (
        credit.c.doc_pk,
        credit.c.kind,
        credit.c.document_id,
        credit.c.number,
        credit.c.contract_id,
        credit.c.doc_date,
    )
    query = (
        select(
            *credit_keys,
            m.c.match_date,
            func.sum(m.c.amount).label("amount"),
            other_contract.label("other_contract_id"),
            c.c.number.label("other_contract_number"),
        )
        .select_from(
            m.join(debit, debit.c.doc_pk == m.c.debit_pk)
            .join(credit, credit.c.doc_pk == m.c.credit_pk)
            .outerjoin(c, c.c.contract_id == other_contract)
        )
        .where(
            m.c.counterparty_id == counterparty_id,
            m.c.match_date <= date_to,
            inside.c.contract_id.in_(contracts),
            or_(outside.c.contract_id.is_(None), outside.c.contract_id.not_in(contracts)),
        )
        .group_by(*credit_keys, m.c.match_date, other_contract, c.c.number)
    )
    return conn.execute(query).all()


def _crossed(r: Row, amount: int, direction: str) -> _Entry:
    """A part of credit r matched across contracts, on the day of the match; the other contract named by its
    number, else its id (none: a payment without a contract)."""
    other = r.other_contract_number or r.other_contract_id
    side = 1 if direction == "out" else -1
    return _Entry(
        r.match_date,
        side,
        amount,
        r.document_id,
        r.kind,
        int(r.doc_pk),
        r.contract_id,
        r.number,
        r.doc_date,
        other,
        direction,
    )


def contract_entries(
    conn: Connection, counterparty_id: str, contracts: tuple[str, ...], date_from: date, date_to: date
) -> tuple[int, pl.DataFrame]:
    """The opening balance and the period's entries of an act over some of a counterparty's contracts."""
    d = warehouse.documents
    opening, documents = documents_entries(conn, [d.c.contract_id.in_(contracts)], date_from, date_to)

    same_day_out: dict[int, int] = {}
    extra: list[_Entry] = []
    for r in _cross_matches(conn, counterparty_id, contracts, date_to, into=False):
        amount = int(r.amount)
        if r.match_date == r.doc_date:
            # Taken by another contract the day the credit was booked: the credit was never this contract's.
            same_day_out[r.doc_pk] = same_day_out.get(r.doc_pk, 0) + amount
            if r.doc_date < date_from:
                opening += amount
            continue
        if r.match_date < date_from:
            opening += amount
            continue
        extra.append(_crossed(r, amount, "out"))
    if same_day_out:
        taken = pl.DataFrame(
            {"doc_pk": list(same_day_out), "taken": list(same_day_out.values())},
            schema={"doc_pk": pl.Int64, "taken": pl.Int64},
        )
        documents = (
            documents.join(taken, on="doc_pk", how="left", maintain_order="left")
            .with_columns(
                pl.when(pl.col("side") < 0)
                .then(pl.col("amount") - pl.col("taken").fill_null(0))
                .otherwise(pl.col("amount"))
                .alias("amount")
            )
            .drop("taken")
        )

    for r in _cross_matches(conn, counterparty_id, contracts, date_to, into=True):
        amount = int(r.amount)
        if r.match_date < date_from:
            opening -= amount
            continue
        # The other contract is the credit's own (none for a payment without a contract).
        extra.append(_crossed(r, amount, "in"))
    if extra:
        documents = pl.concat([documents, pl.DataFrame([astuple(e) for e in extra], schema=ENTRY_SCHEMA, orient="row")])
    return opening, documents.filter(pl.col("amount") != 0)
