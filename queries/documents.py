"""Drill-down: the open documents behind an aging figure, and the matches behind one document.

`open_documents` lists what is still owed as of D (optionally the unused credits too), with days
overdue and bucket exactly as aging counts them, so a figure on any page can be opened down to the
documents that make it. `document_matches` answers "which payments closed this shipment?" (or, for a
credit, "which debits did this payment close?") up to D. Documents are described the way 1C prints
them (`description_expr`), the same strings the reconciliation act uses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection, FromClause, Select, and_, func, select

import warehouse
from domain.buckets import DEFAULT_BUCKETS, Buckets
from queries.aging import with_days
from queries.ledger import OPEN_DOCUMENT_SCHEMA, open_credits_query, open_debits_query
from queries.scope import Scope
from warehouse.frames import frame

KIND_TITLES = {
    "shipment": "Реализация",
    "payment": "Оплата",
    "return": "Возврат",
    "adjustment": "Корректировка долга",
    "opening": "Начальный остаток",
}


@dataclass(frozen=True)
class DocumentWords:
    """The words a document is named in: its kind's title, the marker before a payment order's number and
    before any other document's, the word before its date, and how its date is written; on a contract's act,
    the words before another contract that took part of the contract's credit (`set_off_under`) or whose
    credit closed the contract's debits (`under`)."""

    titles: Mapping[str, str]
    payment_number: str
    number: str
    of: str
    day: Callable[[pl.Expr], pl.Expr]
    set_off_under: str
    under: str


# 1C's own, as the act's PDF and XLSX, the CLI's act and every other page print it; the app's English words
# come from its catalog (dashboard.services.acts.document_words).
RUSSIAN = DocumentWords(
    KIND_TITLES, "п/п №", "№", "от", lambda value: value.dt.strftime("%d.%m.%Y"), "зачтено по договору", "по договору"
)


def description_expr(
    kind: str = "kind",
    number: str = "number",
    document_id: str = "document_id",
    doc_date: str = "doc_date",
    *,
    words: DocumentWords = RUSSIAN,
) -> pl.Expr:
    """A document as 1C names it, for a whole column at once: "Реализация (№ 123 от 05.02.2025)", "Оплата (п/п
    № 45 от 10.02.2025)"; the document's own number when it has one, else its id (every document has an id,
    not every export carries numbers). In other `words`, the same rule in another language ("Shipment (No. 123
    of 2025-02-05)")."""
    reference = pl.when(pl.col(number).is_null() | (pl.col(number) == "")).then(pl.col(document_id))
    return pl.concat_str(
        pl.col(kind).replace_strict(dict(words.titles), default=pl.col(kind), return_dtype=pl.String),
        pl.lit(" ("),
        pl.when(pl.col(kind) == "payment").then(pl.lit(words.payment_number)).otherwise(pl.lit(words.number)),
        pl.lit(" "),
        reference.otherwise(pl.col(number)),
        pl.lit(f" {words.of} "),
        words.day(pl.col(doc_date)),
        pl.lit(")"),
    )


def act_description_expr(words: DocumentWords = RUSSIAN) -> pl.Expr:
    """An act row's document (queries.act.ACT_SCHEMA's columns): the document by its own kind, number and date,
    and, for the part of a credit matched across contracts (`cross_contract`), the other contract:
    "out", the contract's credit set off against another contract's debit on a later day («Оплата (п/п № 13
    от 15.02.2025), зачтено по договору Д-3»); "in", another contract's credit closing the contract's debits
    («…, по договору Д-2»; a payment without a contract is named alone)."""
    own = description_expr(kind="doc_kind", doc_date="doc_date", words=words)
    other = pl.col("other_contract")
    return (
        pl.when((pl.col("cross_contract") == "out") & other.is_not_null())
        .then(pl.concat_str(own, pl.lit(f", {words.set_off_under} "), other))
        .when((pl.col("cross_contract") == "in") & other.is_not_null())
        .then(pl.concat_str(own, pl.lit(f", {words.under} "), other))
        .otherwise(own)
    )


OPEN_DOCUMENTS_SCHEMA = pl.Schema(
    {
        "doc_pk": pl.Int64,
        "document_id": pl.String,
        "kind": pl.String,
        "side": pl.Int64,
        "number": pl.String,
        "counterparty_id": pl.String,
        "counterparty_name": pl.String,
        "contract_id": pl.String,
        "contract_number": pl.String,
        "currency": pl.String,
        "doc_date": pl.Date,
        "due_date": pl.Date,
        "amount": pl.Int64,
        "open_amount": pl.Int64,
        "days_overdue": pl.Int64,
        "bucket": pl.String,
    }
)


def _with_names(query: Select, documents: FromClause = warehouse.documents) -> Select:
    """The open-documents query with the counterparty's name and the contract's number joined in SQL."""
    c, k = warehouse.contracts, warehouse.counterparties
    return (
        query.outerjoin(c, c.c.contract_id == documents.c.contract_id)
        .outerjoin(k, k.c.counterparty_id == documents.c.counterparty_id)
        .add_columns(c.c.number.label("contract_number"), k.c.name.label("counterparty_name"))
    )


_NAMED_SCHEMA = pl.Schema({**OPEN_DOCUMENT_SCHEMA, "contract_number": pl.String(), "counterparty_name": pl.String()})


def open_documents(
    conn: Connection,
    *,
    as_of: date,
    scope: Scope | None = None,
    contract_id: str | None = None,
    counterparty_id: str | None = None,
    overdue_only: bool = False,
    include_advances: bool = False,
    buckets: Buckets = DEFAULT_BUCKETS,
) -> pl.DataFrame:
    """Debits open as of `as_of` (amount less what credits closed by then), one row each.

    days_overdue: as_of - due date (negative: days to due; 0 on the due date); bucket as in aging.
    `contract_id` / `counterparty_id` narrow the scope (never widen it). `overdue_only`: only debits
    past their due date. `include_advances`: also the credits with money not yet used (side -1, no due
    date, days and bucket empty; a counterparty-level advance has an empty contract_id), so the aging
    `advance` column can be drilled too. Sorted by counterparty, contract, due date, date, document_id.
    """
    scope = scope or Scope.everything()
    d = warehouse.documents
    narrowing = []
    if contract_id is not None:
        narrowing.append(d.c.contract_id == contract_id)
    if counterparty_id is not None:
        narrowing.append(d.c.counterparty_id == counterparty_id)
    debit_query = open_debits_query(as_of, scope).where(*narrowing)
    if overdue_only:
        debit_query = debit_query.where(d.c.due_date < as_of)
    debits = frame(conn, _with_names(debit_query), _NAMED_SCHEMA).filter(pl.col("open_amount") > 0)
    parts = [with_days(debits, as_of, buckets).with_columns(pl.lit(1, dtype=pl.Int64).alias("side"))]
    if include_advances and not overdue_only:
        credits = frame(conn, _with_names(open_credits_query(as_of, scope).where(*narrowing)), _NAMED_SCHEMA)
        parts.append(
            credits.filter(pl.col("open_amount") > 0).with_columns(
                pl.lit(None, dtype=pl.Int64).alias("days_overdue"),
                pl.lit(None, dtype=pl.String).alias("bucket"),
                pl.lit(-1, dtype=pl.Int64).alias("side"),
            )
        )
    result = pl.concat([p.select(list(OPEN_DOCUMENTS_SCHEMA)).cast(OPEN_DOCUMENTS_SCHEMA) for p in parts])
    return result.sort(
        ["counterparty_id", "contract_id", "side", "due_date", "doc_date", "document_id", "kind"],
        descending=[False, False, True, False, False, False, False],
        nulls_last=True,
    )


DOCUMENT_MATCHES_SCHEMA = pl.Schema(
    {
        "match_date": pl.Date,
        "amount": pl.Int64,
        "doc_pk": pl.Int64,
        "kind": pl.String,
        "document_id": pl.String,
        "number": pl.String,
        "doc_date": pl.Date,
        "contract_id": pl.String,
        "contract_number": pl.String,
        "currency": pl.String,
        "document": pl.String,
    }
)


def document_matches(
    conn: Connection,
    *,
    as_of: date,
    doc_pk: int | None = None,
    kind: str | None = None,
    document_id: str | None = None,
    scope: Scope | None = None,
) -> pl.DataFrame:
    """What closed one document up to `as_of`: for a debit, the credits matched to it; for a credit, the
    debits it closed. One row per other document and match date, amount = the part matched that day.

    The document is given by `doc_pk`, or by (`kind`, `document_id`). A document that does not exist or
    lies outside the scope gives an empty frame, as every query in this package does.
    """
    if doc_pk is None and (kind is None or document_id is None):
        raise ValueError("document_matches needs doc_pk, or kind and document_id")
    scope = scope or Scope.everything()
    d, m, c = warehouse.documents, warehouse.matches, warehouse.contracts
    key = d.c.doc_pk == doc_pk if doc_pk is not None else and_(d.c.kind == kind, d.c.document_id == document_id)
    target = conn.execute(select(d.c.doc_pk, d.c.side).where(key, scope.document_filter(d))).first()
    if target is None:
        return pl.DataFrame(schema=DOCUMENT_MATCHES_SCHEMA)
    own, other = (m.c.debit_pk, m.c.credit_pk) if target.side > 0 else (m.c.credit_pk, m.c.debit_pk)
    o = d.alias("other")
    amount = func.sum(m.c.amount).label("amount")
    query = (
        select(
            m.c.match_date,
            amount,
            o.c.doc_pk,
            o.c.kind,
            o.c.document_id,
            o.c.number,
            o.c.doc_date,
            o.c.contract_id,
            c.c.number.label("contract_number"),
            o.c.currency,
        )
        .select_from(m.join(o, o.c.doc_pk == other).outerjoin(c, c.c.contract_id == o.c.contract_id))
        .where(own == target.doc_pk, m.c.match_date <= as_of)
        .group_by(
            m.c.match_date,
            o.c.doc_pk,
            o.c.kind,
            o.c.document_id,
            o.c.number,
            o.c.doc_date,
            o.c.contract_id,
            c.c.number,
            o.c.currency,
        )
    )
    rows = [(*r[:1], int(r[1]), *r[2:], None) for r in conn.execute(query)]
    result = pl.DataFrame(rows, schema=DOCUMENT_MATCHES_SCHEMA, orient="row").with_columns(
        description_expr().alias("document")
    )
    return result.sort(["match_date", "doc_date", "document_id", "kind"])
