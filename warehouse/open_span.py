"""The class of a document's open period [doc_date, settled_date), by its length, and the index of documents
by it (ix_documents_open_span, made for warehouse.schema's documents): queries.ledger reads ranges of it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Index, Integer, Table, case, literal_column, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement, Grouping
from sqlalchemy.sql.functions import FunctionElement


class _DaysOpen(FunctionElement[int]):
    """settled_date - doc_date in days (NULL while the document is open), in each database's date arithmetic."""

    inherit_cache = True
    type = Integer()


@compiles(_DaysOpen)
def _days_open_default(element: _DaysOpen, compiler: Any, **kw: Any) -> str:
    settled, dated = element.clauses
    return f"({compiler.process(settled, **kw)} - {compiler.process(dated, **kw)})"


@compiles(_DaysOpen, "sqlite")
def _days_open_sqlite(element: _DaysOpen, compiler: Any, **kw: Any) -> str:
    settled, dated = element.clauses  # ISO text in SQLite
    return f"(julianday({compiler.process(settled, **kw)}) - julianday({compiler.process(dated, **kw)}))"


# Which documents were open on a day D (dated by D, not settled by D) is the question behind aging and every
# as-of figure. An index on either date alone reads every document dated before D, or every one settled
# after it: a year back at 1M documents, half a million index entries for fifty thousand open. Open periods
# are short (most payments are used up the day they come, most shipments are paid within months), so
# documents are classed by the length of their open period [doc_date, settled_date), in powers of 4
# days, and indexed by class, then date: in the class of periods shorter than L days, a document open on D
# is dated in (D - L, D], a range the index reads directly (queries.ledger). Class 0: settled the day it
# was dated, never open as of any day; OPEN_SPAN_STILL_OPEN: not settled yet.
OPEN_SPAN_EDGES = (1, 4, 16, 64, 256, 1024)
OPEN_SPAN_STILL_OPEN = len(OPEN_SPAN_EDGES) + 1


def ever_open(table: Table) -> ColumnElement[bool]:
    """The document was open on some day: settled after the day it was dated, or not yet. Every document open
    on D is (dated by D, settled after D); the rest, settled the day they were dated (at 1M 46% of documents,
    most payments), never are. PostgreSQL's ix_documents_open_range holds only these (warehouse.schema), and a
    query that states it may use the index."""
    return or_(table.c.settled_date.is_(None), table.c.settled_date > table.c.doc_date)


def open_span_class(table: Table) -> ColumnElement[int]:
    """The class of a document's open period: k for a length in [EDGES[k-1], EDGES[k]) days (0 below 1 day),
    len(EDGES) from the last edge on, OPEN_SPAN_STILL_OPEN when not settled. Its numbers are literals: SQLite
    uses an expression index only for the very same expression."""
    days = _DaysOpen(table.c.settled_date, table.c.doc_date)
    return case(
        (table.c.settled_date.is_(None), literal_column(str(OPEN_SPAN_STILL_OPEN))),
        *[(days < literal_column(str(edge)), literal_column(str(k))) for k, edge in enumerate(OPEN_SPAN_EDGES)],
        else_=literal_column(str(len(OPEN_SPAN_EDGES))),
    )


# What aging reads of an open document besides its side, class and date (queries.ledger.open_by_class), so
# that the index alone answers: a year back at 1M, the debits' rows in 0.12 s CPU instead of 0.25 on SQLite,
# the credits' in none instead of 0.04 s. first_match_date (revision 0008): a document first matched after D
# has all its amount open on D, without a look at its matches. SQLite keeps doc_pk (the rowid) in every
# index; PostgreSQL needs it INCLUDEd for the matches.
OPEN_SPAN_READS = (
    "settled_date",
    "counterparty_id",
    "contract_id",
    "currency",
    "due_date",
    "amount",
    "first_match_date",
)


def open_span_indexes(documents: Table) -> None:
    """ix_documents_open_span on `documents`: (side, class of the open period, doc_date), with OPEN_SPAN_READS
    in the key on SQLite (it has no INCLUDE) and INCLUDEd on PostgreSQL."""
    span = Grouping(open_span_class(documents))
    reads = [documents.c[name] for name in OPEN_SPAN_READS]
    Index("ix_documents_open_span", documents.c.side, span, documents.c.doc_date, *reads).ddl_if(dialect="sqlite")
    Index(
        "ix_documents_open_span",
        documents.c.side,
        span,
        documents.c.doc_date,
        postgresql_include=["doc_pk", *OPEN_SPAN_READS],
    ).ddl_if(dialect="postgresql")
