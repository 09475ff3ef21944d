"""The reconciliation act (акт сверки взаиморасчётов) of a counterparty over a period.

Rows, as 1C prints them: the opening balance, every document of the period in date order (debits
before credits on one date, then by document_id), the period's turnovers, and the closing balance. A
balance owed to us stands in debit, one we owe (an advance) in credit.

For the whole counterparty (one currency) the act holds every document of that currency, counterparty-
level payments included, so its balance at any date is simply debits - credits dated on or before it,
and the closing balance equals the sum of the counterparty's aging rows in that currency.

For one contract a payment without a contract belongs to the contract only for the part matched to the
contract's debits: that part appears as a payment row on the match date, the rest (the counterparty's
advance) does not. Symmetrically, the part of a contract's credit matched to another contract's debits
(an explicit allocation or a return naming another contract's shipment) leaves the contract: netted into
the credit's row when matched the same day, else a debit row on the match date. The closing balance then
equals the contract's aging row balance.

Scope: a counterparty (or contract, or currency) outside the caller's scope gives an empty frame, as
every query of this package does; it is never an error, and says nothing about whether it exists. An act
that can be shown always has at least its opening, turnover and closing rows, so an empty frame is never
mistaken for a zero balance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import date

import polars as pl
from sqlalchemy import ColumnElement, Connection, Row, Table, case, func, or_, select

import warehouse
from queries.documents import description_expr, document_description
from queries.ledger import frame
from queries.scope import Scope
from warehouse.rollups import flows

ACT_SCHEMA = pl.Schema(
    {
        "kind": pl.String,  # opening, document, turnover, closing
        "date": pl.Date,
        "document": pl.String,
        "debit": pl.Int64,
        "credit": pl.Int64,
        "document_id": pl.String,
        "doc_kind": pl.String,
        "doc_pk": pl.Int64,
        "contract_id": pl.String,
        "number": pl.String,
    }
)
_ActRow = tuple[str, date | None, str, int | None, int | None, None, None, None, None, None]  # a summary row

OPENING_TITLE = "Сальдо начальное"
TURNOVER_TITLE = "Обороты за период"
CLOSING_TITLE = "Сальдо конечное"


@dataclass(frozen=True)
class _Entry:
    """One row of the act's period: a document, or the part of a credit matched across contracts."""

    day: date
    side: int
    amount: int
    document: str
    document_id: str
    doc_kind: str
    doc_pk: int
    contract_id: str | None
    number: str


def _signed(documents: Table = warehouse.documents) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((documents.c.side > 0, documents.c.amount), else_=-documents.c.amount)), 0)


def _resolve(
    conn: Connection, counterparty_id: str, contract_id: str | None, currency: str, scope: Scope
) -> tuple[str, tuple[str, ...] | None] | None:
    """(currency, the contracts the act covers or None for the whole counterparty), or None: nothing visible."""
    k, c = warehouse.counterparties, warehouse.contracts
    visible = conn.execute(
        select(k.c.counterparty_id).where(
            k.c.counterparty_id == counterparty_id, scope.counterparty_filter(k.c.counterparty_id)
        )
    ).first()
    if visible is None:
        return None
    if contract_id is not None:
        contract_currency = conn.execute(
            select(c.c.currency).where(c.c.contract_id == contract_id, c.c.counterparty_id == counterparty_id)
        ).scalar()
        if contract_currency is None or (scope.contract_ids is not None and contract_id not in scope.contract_ids):
            return None
        currency, contracts = contract_currency, (contract_id,)
    elif scope.contract_ids is not None:
        # A scope narrowed to some contracts: the act of those of the counterparty's contracts.
        contracts = tuple(
            sorted(
                conn.execute(
                    select(c.c.contract_id).where(
                        c.c.counterparty_id == counterparty_id,
                        c.c.currency == currency,
                        c.c.contract_id.in_(scope.contract_ids),
                    )
                ).scalars()
            )
        )
        if not contracts:
            return None
    else:
        contracts = None
    if scope.currencies is not None and currency not in scope.currencies:
        return None
    return currency, contracts


ENTRY_SCHEMA = pl.Schema(
    {
        "day": pl.Date,
        "side": pl.Int64,
        "amount": pl.Int64,
        "document": pl.String,
        "document_id": pl.String,
        "doc_kind": pl.String,
        "doc_pk": pl.Int64,
        "contract_id": pl.String,
        "number": pl.String,
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


def _entries(rows: list[_Entry]) -> pl.DataFrame:
    """The few entries built one by one (matches across contracts) as a frame like _documents' one."""
    return pl.DataFrame([astuple(e) for e in rows], schema=ENTRY_SCHEMA, orient="row")  # _Entry: ENTRY_SCHEMA's order


def _opening_from_flows(conn: Connection, counterparty_id: str, currency: str, date_from: date) -> int | None:
    """A counterparty's balance in a currency before date_from from the `flows` rollup (a few thousand rows
    of daily sums instead of its whole history of documents); None until a load has built the rollup."""
    if not flows.ready(conn):
        return None
    f = warehouse.flows
    signed = case((f.c.kind == "d", f.c.amount), (f.c.kind == "c", -f.c.amount), else_=0)
    return int(
        conn.execute(
            select(func.coalesce(func.sum(signed), 0)).where(
                f.c.counterparty_id == counterparty_id, f.c.currency == currency, f.c.day < date_from
            )
        ).scalar()
        or 0
    )


def _documents(
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
        opening = int(conn.execute(select(_signed()).where(*where, d.c.doc_date < date_from)).scalar() or 0)
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
        description_expr().alias("document"),
        "document_id",
        pl.col("kind").alias("doc_kind"),
        "doc_pk",
        "contract_id",
        "number",
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
    query = (
        select(
            credit.c.doc_pk,
            credit.c.kind,
            credit.c.document_id,
            credit.c.number,
            credit.c.contract_id,
            credit.c.doc_date,
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
        .group_by(
            credit.c.doc_pk,
            credit.c.kind,
            credit.c.document_id,
            credit.c.number,
            credit.c.contract_id,
            credit.c.doc_date,
            m.c.match_date,
            other_contract,
            c.c.number,
        )
    )
    return conn.execute(query).all()


def _contract_entries(
    conn: Connection, counterparty_id: str, contracts: tuple[str, ...], date_from: date, date_to: date
) -> tuple[int, pl.DataFrame]:
    d = warehouse.documents
    opening, documents = _documents(conn, [d.c.contract_id.in_(contracts)], date_from, date_to)

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
        description = document_description(r.kind, r.number, r.document_id, r.doc_date)
        elsewhere = r.other_contract_number or r.other_contract_id
        extra.append(
            _Entry(
                r.match_date,
                1,
                amount,
                f"{description}, зачтено по договору {elsewhere}",
                r.document_id,
                r.kind,
                int(r.doc_pk),
                r.contract_id,
                r.number,
            )
        )
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
        description = document_description(r.kind, r.number, r.document_id, r.doc_date)
        if r.contract_id is not None:
            description = f"{description}, по договору {r.other_contract_number or r.contract_id}"
        extra.append(
            _Entry(r.match_date, -1, amount, description, r.document_id, r.kind, int(r.doc_pk), r.contract_id, r.number)
        )
    entries = pl.concat([documents, _entries(extra)]) if extra else documents
    return opening, entries.filter(pl.col("amount") != 0)


def _balance_row(kind: str, day: date, title: str, balance: int) -> _ActRow:
    debit, credit = (balance, None) if balance >= 0 else (None, -balance)
    return (kind, day, title, debit, credit, None, None, None, None, None)


def act(
    conn: Connection,
    *,
    counterparty_id: str,
    date_from: date,
    date_to: date,
    contract_id: str | None = None,
    currency: str = "RUB",
    scope: Scope | None = None,
) -> pl.DataFrame:
    """The reconciliation act: opening (as of the close of date_from - 1, dated date_from), the period's
    documents, turnovers (undated), closing (as of date_to). Money: Int64 kopecks, null where empty.

    Without `contract_id`: all the counterparty's documents in `currency` (its contracts in that currency
    and its payments without a contract). With it: that contract, in the contract's own currency (the
    `currency` argument is then ignored).
    """
    if date_from > date_to:
        raise ValueError(f"the act's period starts after it ends: {date_from} > {date_to}")
    scope = scope or Scope.everything()
    resolved = _resolve(conn, counterparty_id, contract_id, currency, scope)
    if resolved is None:
        return pl.DataFrame(schema=ACT_SCHEMA)
    currency, contracts = resolved
    d = warehouse.documents
    if contracts is None:
        where = [d.c.counterparty_id == counterparty_id, d.c.currency == currency]
        opening, entries = _documents(
            conn, where, date_from, date_to, _opening_from_flows(conn, counterparty_id, currency, date_from)
        )
    else:
        opening, entries = _contract_entries(conn, counterparty_id, contracts, date_from, date_to)
    # Date order; on one date debits before credits, then by document_id (as _Entry.sort_key).
    entries = entries.sort(
        pl.col("day"), pl.col("side") < 0, pl.col("document_id"), pl.col("doc_kind"), pl.col("doc_pk")
    )

    debit_turnover = int(entries.filter(pl.col("side") > 0)["amount"].sum())
    credit_turnover = int(entries.filter(pl.col("side") < 0)["amount"].sum())
    closing = opening + debit_turnover - credit_turnover
    documents = entries.select(
        pl.lit("document").alias("kind"),
        pl.col("day").alias("date"),
        "document",
        pl.when(pl.col("side") > 0).then(pl.col("amount")).alias("debit"),
        pl.when(pl.col("side") < 0).then(pl.col("amount")).alias("credit"),
        "document_id",
        "doc_kind",
        "doc_pk",
        "contract_id",
        "number",
    )

    def summary(*rows: _ActRow) -> pl.DataFrame:
        return pl.DataFrame(list(rows), schema=ACT_SCHEMA, orient="row")

    return pl.concat(
        [
            summary(_balance_row("opening", date_from, OPENING_TITLE, opening)),
            documents,
            summary(
                ("turnover", None, TURNOVER_TITLE, debit_turnover, credit_turnover, None, None, None, None, None),
                _balance_row("closing", date_to, CLOSING_TITLE, closing),
            ),
        ]
    )


def act_balance(act_frame: pl.DataFrame, kind: str = "closing") -> int:
    """The signed balance of an act's opening or closing row (> 0 owed to us, < 0 an advance)."""
    row = act_frame.filter(pl.col("kind") == kind)
    if row.height == 0:
        raise ValueError(f"the act has no {kind} row")
    return int(row["debit"].fill_null(0)[0]) - int(row["credit"].fill_null(0)[0])
