"""The two building blocks of every as-of question: open debits and open credits (advances) as of D.

A debit's open amount as of D is its amount less the matches dated on or before D; a credit's unused
amount likewise. Documents settled on or before D (documents.settled_date) are skipped without
touching their matches, so an as-of query reads only what was open then.

`balances` composes the two into each contract's balance (open debits less its advance): the one
definition that aging, the exceptions and the stop-list share.

Money is integer kopecks in every frame of this package; renderers turn it into rubles.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    Date,
    Select,
    Table,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles

import warehouse
from queries.scope import Scope
from warehouse.frames import frame

OPEN_DOCUMENT_SCHEMA = pl.Schema(
    {
        "doc_pk": pl.Int64,
        "kind": pl.String,
        "document_id": pl.String,
        "number": pl.String,
        "counterparty_id": pl.String,
        "contract_id": pl.String,
        "currency": pl.String,
        "doc_date": pl.Date,
        "due_date": pl.Date,
        "amount": pl.Int64,
        "open_amount": pl.Int64,
    }
)


class _OpenOn(ColumnElement[bool]):
    """ "The document's open period [doc_date, settled_date) holds `as_of`", for the index of its dialect.

    The plain conditions (dated by D, not settled by D) stand beside it in every query; on PostgreSQL this
    adds `daterange(doc_date, settled_date, '[)') @> D`, which its GiST index answers (warehouse,
    ix_documents_open_range); elsewhere it is TRUE."""

    inherit_cache = True
    type = Boolean()

    def __init__(self, documents: Table, as_of: date) -> None:
        self.documents = documents
        self.as_of = as_of


@compiles(_OpenOn)
def _open_on_default(element: _OpenOn, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(true(), **kw))


@compiles(_OpenOn, "postgresql")
def _open_on_postgresql(element: _OpenOn, compiler: Any, **kw: Any) -> str:
    d = element.documents
    period = func.daterange(d.c.doc_date, d.c.settled_date, literal_column("'[)'"))
    return compiler.process(period.op("@>")(bindparam(None, element.as_of, type_=Date())), **kw)


def _open_query(as_of: date, scope: Scope, side: int) -> Select:
    d, m = warehouse.documents, warehouse.matches
    key = m.c.debit_pk if side > 0 else m.c.credit_pk
    matched = (
        select(func.coalesce(func.sum(m.c.amount), 0))
        .where(key == d.c.doc_pk, m.c.match_date <= as_of)
        .scalar_subquery()
    )
    return select(
        d.c.doc_pk,
        d.c.kind,
        d.c.document_id,
        d.c.number,
        d.c.counterparty_id,
        d.c.contract_id,
        d.c.currency,
        d.c.doc_date,
        d.c.due_date,
        d.c.amount,
        (d.c.amount - matched).label("open_amount"),
    ).where(
        d.c.side == side,
        d.c.doc_date <= as_of,
        d.c.counterparty_id.is_not(None),
        or_(d.c.settled_date.is_(None), d.c.settled_date > as_of),
        _OpenOn(d, as_of),
        scope.document_filter(d),
    )


def open_debits_query(as_of: date, scope: Scope) -> Select:
    """Debits (shipments, positive adjustments and opening balances) dated <= as_of and not settled by then."""
    return _open_query(as_of, scope, 1)


def open_credits_query(as_of: date, scope: Scope) -> Select:
    """Credits dated <= as_of with money not yet matched by then: advances (contract_id NULL: the counterparty's)."""
    return _open_query(as_of, scope, -1)


def open_debits(conn: Connection, *, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    result = frame(conn, open_debits_query(as_of, scope or Scope.everything()), OPEN_DOCUMENT_SCHEMA)
    return result.filter(pl.col("open_amount") > 0)


def open_credits(conn: Connection, *, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    result = frame(conn, open_credits_query(as_of, scope or Scope.everything()), OPEN_DOCUMENT_SCHEMA)
    return result.filter(pl.col("open_amount") > 0)


BALANCE_KEYS = ["counterparty_id", "contract_id", "currency"]


def balances(debits: pl.DataFrame, credits: pl.DataFrame) -> pl.DataFrame:
    """Per counterparty, contract and currency, from open_debits and open_credits of one day: open_debits,
    advance (the credits' unused money) and balance = open_debits - advance (contract section 2).

    A credit without a contract (a counterparty's payment not yet used) stands on its own row with an
    empty contract_id: it lowers no contract's balance. Money Int64 kopecks; rows in no particular order.
    """
    money = pl.col("open_amount")
    open_by_key = debits.group_by(BALANCE_KEYS).agg(money.sum().alias("open_debits"))
    advance_by_key = credits.group_by(BALANCE_KEYS).agg(money.sum().alias("advance"))
    return (
        open_by_key.join(advance_by_key, on=BALANCE_KEYS, how="full", coalesce=True, nulls_equal=True)
        .with_columns(pl.col("open_debits", "advance").fill_null(0).cast(pl.Int64))
        .with_columns((pl.col("open_debits") - pl.col("advance")).alias("balance"))
    )


def counterparty_names(conn: Connection, ids: list[str]) -> pl.DataFrame:
    c = warehouse.counterparties
    rows: list[tuple[object, ...]] = []
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        query = select(c.c.counterparty_id, c.c.name, c.c.manager, c.c.group_name).where(c.c.counterparty_id.in_(chunk))
        rows += [tuple(r) for r in conn.execute(query)]
    return pl.DataFrame(
        rows,
        schema={"counterparty_id": pl.String, "counterparty_name": pl.String, "manager": pl.String, "group": pl.String},
        orient="row",
    )


def contract_details(conn: Connection, scope: Scope) -> pl.DataFrame:
    c = warehouse.contracts
    conditions = [scope.counterparty_filter(c.c.counterparty_id)]
    if scope.contract_ids is not None:
        conditions.append(c.c.contract_id.in_(scope.contract_ids))
    if scope.currencies is not None:
        conditions.append(c.c.currency.in_(scope.currencies))
    rows = conn.execute(
        select(
            c.c.contract_id,
            c.c.counterparty_id,
            c.c.number,
            c.c.contract_date,
            c.c.currency,
            c.c.terms_days,
            c.c.terms_basis,
            c.c.credit_limit,
        ).where(and_(*conditions))
    ).all()
    return pl.DataFrame(
        [tuple(r) for r in rows],
        schema={
            "contract_id": pl.String,
            "counterparty_id": pl.String,
            "contract_number": pl.String,
            "contract_date": pl.Date,
            "currency": pl.String,
            "terms_days": pl.Int64,
            "terms_basis": pl.String,
            "credit_limit": pl.Int64,
        },
        orient="row",
    )


def counterparty_currencies(conn: Connection, counterparty_id: str, scope: Scope) -> list[str]:
    """The currencies a counterparty deals in, as the scope shows it: its contracts' and those of its
    documents without a contract (a payment to the counterparty as a whole), sorted."""
    d = warehouse.documents
    contracts = contract_details(conn, scope).filter(pl.col("counterparty_id") == counterparty_id)
    found = set(contracts["currency"].to_list())
    if scope.contract_ids is None:
        loose = (
            select(d.c.currency)
            .distinct()
            .where(
                d.c.counterparty_id == counterparty_id,
                d.c.contract_id.is_(None),
                scope.counterparty_filter(d.c.counterparty_id),
            )
        )
        if scope.currencies is not None:
            loose = loose.where(d.c.currency.in_(scope.currencies))
        found.update(conn.execute(loose).scalars())
    return sorted(found)
