"""The exceptions that collections' notes raise (queries.exceptions): broken_promise and disputed, from the
promises and disputes of queries.collections as of D; and the disputed debits the debt codes leave out.

- ``broken_promise`` (high): one row per promise broken as of D (queries.collections.promise_status).
  amount = what is missing (promised - paid); days = D - its last day (`until`); promised, until and
  note_id name the promise; document_id and contract_id its document's, when it names one.
- ``disputed`` (medium): one row per dispute open as of D (queries.collections.disputes_open). amount = the
  document's open amount as of D (0 once paid: the dispute stays until it is resolved); days = D - the
  dispute's date; the document's contract, kind, number and date as for ``overdue``.

A disputed debit is left out of ``overdue``, ``due_today`` and ``no_payment_recently``'s overdue sum while
its dispute is open (`undisputed`): it shows once, as ``disputed``. It still counts in balances (the credit
limit codes): the debt is there, only its collection waits. What was overdue on a past shipment's day
(``shipped_while_overdue``, queries.exceptions_shipped) leaves it out on the days its dispute was open, as
the stop-list's overdue rules did on those days.

Scope: the notes' counterparties and currencies (queries.collections); a scope restricting contracts keeps a
dispute whose document is on one of them and a promise only when it names such a document.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from queries.collections import disputes_open, promise_status
from queries.scope import Scope
from warehouse.frames import frame

KEYS = ["counterparty_id", "document_id"]
_FACTS_SCHEMA = pl.Schema(
    {
        "counterparty_id": pl.String,
        "document_id": pl.String,
        "contract_id": pl.String,
        "doc_kind": pl.String,
        "doc_number": pl.String,
        "doc_date": pl.Date,
    }
)


def notes_as_of(conn: Connection, as_of: date, scope: Scope) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(promises, disputes): every promise dated by D with its status, and the disputes open as of D."""
    return promise_status(conn, as_of=as_of, scope=scope), disputes_open(conn, as_of=as_of, scope=scope)


def undisputed(debits: pl.DataFrame, disputes: pl.DataFrame) -> pl.DataFrame:
    """The open debits without those under a dispute open as of D."""
    if disputes.is_empty():
        return debits
    return debits.join(disputes.select(KEYS).unique(), on=KEYS, how="anti")


def _document_facts(conn: Connection, notes: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    """The contract, kind, number and date of the documents the notes name, inside the scope (a debit's
    first, as the note was written against it); one query, none when no note names a document."""
    named = notes.filter(pl.col("document_id").is_not_null())
    if named.is_empty():
        return pl.DataFrame(schema=_FACTS_SCHEMA)
    d = warehouse.documents
    query = (
        select(d.c.counterparty_id, d.c.document_id, d.c.contract_id, d.c.kind, d.c.number, d.c.doc_date)
        .where(d.c.document_id.in_(named["document_id"].unique().sort().to_list()), scope.document_filter(d))
        .order_by(d.c.document_id, d.c.side.desc(), d.c.kind)
    )
    facts = frame(conn, query, _FACTS_SCHEMA)
    return facts.unique(KEYS, keep="first", maintain_order=True)


def broken_promise_rows(conn: Connection, promises: pl.DataFrame, as_of: date, scope: Scope) -> pl.DataFrame:
    """broken_promise: the promises broken as of D, the most missing first, then the oldest."""
    broken = promises.filter(pl.col("status") == "broken")
    facts = _document_facts(conn, broken, scope)
    broken = broken.join(facts, on=KEYS, how="left")
    if scope.contract_ids is not None:  # only a promise on a document of the scope's contracts
        broken = broken.filter(pl.col("contract_id").is_not_null())
    return broken.sort(["missing", "until", "note_id"], descending=[True, False, False]).select(
        code=pl.lit("broken_promise"),
        severity=pl.lit("high"),
        counterparty_id="counterparty_id",
        contract_id="contract_id",
        document_id="document_id",
        currency="currency",
        amount="missing",
        days=(pl.lit(as_of) - pl.col("until")).dt.total_days(),
        doc_kind="doc_kind",
        doc_number="doc_number",
        doc_date="doc_date",
        promised="amount",
        until="until",
        note_id="note_id",
    )


def disputed_rows(conn: Connection, disputes: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    """disputed: the documents under a dispute open as of D, the oldest dispute first."""
    facts = _document_facts(conn, disputes, scope)
    return (
        disputes.join(facts, on=KEYS, how="inner")
        .sort(["note_date", "note_id"])
        .select(
            code=pl.lit("disputed"),
            severity=pl.lit("medium"),
            counterparty_id="counterparty_id",
            contract_id="contract_id",
            document_id="document_id",
            currency="currency",
            amount="open_amount",
            days="days",
            doc_kind="doc_kind",
            doc_number="doc_number",
            doc_date="doc_date",
            note_id="note_id",
        )
    )
