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
equals the contract's aging row balance. Those rows are built in queries.act_entries.

Every document row carries what names it (its kind, number, id, own date, and for a part matched across
contracts the other contract and which way it crossed): `document` is 1C's Russian name of it
(queries.documents.act_description_expr), and the app words the same columns in another language
(dashboard.services.acts.act_rows_in).

Scope: a counterparty (or contract, or currency) outside the caller's scope gives an empty frame, as
every query of this package does; it is never an error, and says nothing about whether it exists. An act
that can be shown always has at least its opening, turnover and closing rows, so an empty frame is never
mistaken for a zero balance.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection, case, func, select

import warehouse
from queries.act_entries import ENTRY_SCHEMA, contract_entries, documents_entries
from queries.documents import act_description_expr
from queries.scope import Scope
from warehouse.rollups import flows

_DOCUMENT_COLUMNS = [name for name in ENTRY_SCHEMA if name not in ("day", "side", "amount")]
ACT_SCHEMA = pl.Schema(
    {
        "kind": pl.String(),  # opening, document, turnover, closing
        "date": pl.Date(),
        "document": pl.String(),
        "debit": pl.Int64(),
        "credit": pl.Int64(),
        # The document row's own (null on the summary rows): document_id, doc_kind, doc_pk, contract_id, number,
        # and what names it in any language (queries.documents.act_description_expr): the document's own date,
        # and for the part of a credit matched across contracts the other contract's number and which way it
        # crossed ("out" or "in"; queries.act_entries).
        **{name: ENTRY_SCHEMA[name] for name in _DOCUMENT_COLUMNS},
    }
)
_ActRow = tuple[str, date | None, str, int | None, int | None, *tuple[None, ...]]  # a summary row
_NO_DOCUMENT = (None,) * len(_DOCUMENT_COLUMNS)  # a summary row's document columns

OPENING_TITLE = "Сальдо начальное"
TURNOVER_TITLE = "Обороты за период"
CLOSING_TITLE = "Сальдо конечное"


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


def _balance_row(kind: str, day: date, title: str, balance: int) -> _ActRow:
    debit, credit = (balance, None) if balance >= 0 else (None, -balance)
    return (kind, day, title, debit, credit, *_NO_DOCUMENT)


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
        opening, entries = documents_entries(
            conn, where, date_from, date_to, _opening_from_flows(conn, counterparty_id, currency, date_from)
        )
    else:
        opening, entries = contract_entries(conn, counterparty_id, contracts, date_from, date_to)
    # Date order; on one date debits before credits, then by document_id.
    entries = entries.sort(
        pl.col("day"), pl.col("side") < 0, pl.col("document_id"), pl.col("doc_kind"), pl.col("doc_pk")
    )

    debit_turnover = int(entries.filter(pl.col("side") > 0)["amount"].sum())
    credit_turnover = int(entries.filter(pl.col("side") < 0)["amount"].sum())
    closing = opening + debit_turnover - credit_turnover
    documents = entries.select(
        pl.lit("document").alias("kind"),
        pl.col("day").alias("date"),
        act_description_expr().alias("document"),
        pl.when(pl.col("side") > 0).then(pl.col("amount")).alias("debit"),
        pl.when(pl.col("side") < 0).then(pl.col("amount")).alias("credit"),
        *_DOCUMENT_COLUMNS,
    )

    def summary(*rows: _ActRow) -> pl.DataFrame:
        return pl.DataFrame(list(rows), schema=ACT_SCHEMA, orient="row")

    return pl.concat(
        [
            summary(_balance_row("opening", date_from, OPENING_TITLE, opening)),
            documents,
            summary(
                ("turnover", None, TURNOVER_TITLE, debit_turnover, credit_turnover, *_NO_DOCUMENT),
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
