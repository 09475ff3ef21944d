"""A document's open period [doc_date, settled_date) and the indexes that find the documents open on a day:
by the period's class of length (ix_documents_open_span, both databases), and on PostgreSQL as a point
(ix_documents_open_range). Made for warehouse.schema's documents; queries.ledger reads them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Index, Integer, Table, and_, case, func, literal, literal_column, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import operators
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
    most payments), never are. PostgreSQL's ix_documents_open_range holds only these, and a query that
    states it may use the index (open_on)."""
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
    in the key on SQLite (it has no INCLUDE) and INCLUDEd on PostgreSQL, whose index leaves out class 0."""
    span = Grouping(open_span_class(documents))
    reads = [documents.c[name] for name in OPEN_SPAN_READS]
    Index("ix_documents_open_span", documents.c.side, span, documents.c.doc_date, *reads).ddl_if(dialect="sqlite")
    Index(
        "ix_documents_open_span",
        documents.c.side,
        span,
        documents.c.doc_date,
        postgresql_include=["doc_pk", *OPEN_SPAN_READS],
        # Class 0 (settled the day it was dated) is open on no day: aging's terms ask for classes 1 and up, which
        # PostgreSQL proves this condition from (revision 0011: the build at 1M in about half the time).
        postgresql_where=open_span_class(documents) != literal_column("0"),
    ).ddl_if(dialect="postgresql")


# PostgreSQL: a document's open period as the point (x, y) = (doc_date, settled_date) in days since ORIGIN,
# y NEVER_SETTLED while it is open, and x moved by SIDE_GAP to each side's own half of the plane (debits
# below 0, credits above). Open on D is a box: of the side, dated by D and settled after D, x <= D and
# y >= D + 1; a GiST index of the points answers it, each side's box without a look at the other's (open
# credits a year back at 1M: 195 of 52,000 ever-open rows, 0.3-0.5 ms against 20-39 ms). PostgreSQL 14+
# builds a GiST of points sorted, like a btree (revision 0010): 2-4 s at 1M in a first load, where the same
# index over daterange(doc_date, settled_date, '[)') took 24-32 s, the load's longest build (load average 4-7).
ORIGIN = date(2000, 1, 1)
NEVER_SETTLED = 100_000_000  # days: beyond every date (Python's last, 9999-12-31, is 2,914,000 days on)
SIDE_GAP = 10_000_000  # days: x = days - side * SIDE_GAP keeps each side's dates (|days| < SIDE_GAP / 2) apart
_FAR = 1_000_000_000  # the box's upper y: above every point


def _number(value: int) -> ColumnElement[int]:
    """A constant of the index's expression, written into the SQL as the index has it."""
    return literal_column(str(value), Integer())


def open_point(table: Table) -> ColumnElement[Any]:
    """The open period as a point, the expression of ix_documents_open_range: PostgreSQL uses the index only
    for this very expression (open_on). It is written with the parentheses PostgreSQL gives the index back
    with, so that Alembic's comparison of the index with the schema finds them equal: SQLAlchemy would put
    the first difference of `a - b - c` in parentheses, this `-` binding tighter does not."""
    origin = literal_column(f"'{ORIGIN.isoformat()}'::date", Date())
    days = table.c.doc_date.op("-", precedence=operators._PRECEDENCE[operators.mul], return_type=Integer())(origin)
    dated = Grouping(days - table.c.side * _number(SIDE_GAP))
    settled = func.coalesce(table.c.settled_date - origin, _number(NEVER_SETTLED))
    return func.point(dated, settled)


def open_on(table: Table, side: int, day: date) -> ColumnElement[bool]:
    """PostgreSQL: a document of `side` (1 debits, -1 credits) open on `day` (dated by it, settled after it or
    not yet), as its GiST index reads it: the point in the side's box of those (no other side's point is in
    it), and the index's own condition (ever_open, true of every such document: a partial index serves only
    a query that implies it)."""
    settled_after, dated_by = open_on_bounds(side, day)
    return open_in_box(table, side, literal(settled_after), literal(dated_by))


def open_on_bounds(side: int, day: date) -> tuple[int, int]:
    """The numbers of `day` in open_on's box of `side`: the lowest y (settled after the day) and the highest x
    (dated by it)."""
    n = (day - ORIGIN).days
    return n + 1, -side * SIDE_GAP + n


def open_in_box(table: Table, side: int, settled_after: Any, dated_by: Any) -> ColumnElement[bool]:
    """open_on with the day's numbers (open_on_bounds) given as expressions, such as parameters."""
    lowest = literal(-side * SIDE_GAP - SIDE_GAP // 2)  # before every date of the side
    box = func.box(func.point(lowest, settled_after), func.point(dated_by, literal(_FAR)))
    return and_(open_point(table).op("<@")(box), ever_open(table))


def open_range_index(documents: Table) -> None:
    """PostgreSQL's ix_documents_open_range on `documents`: GiST over open_point, of the documents ever open
    only (the 825,000 documents at 1M settled the day they were dated are open on no day)."""
    Index(
        "ix_documents_open_range",
        open_point(documents),
        postgresql_using="gist",
        postgresql_where=ever_open(documents),
        _table=documents,  # SQLAlchemy would take the table of the expression's first column: a constant's
    ).ddl_if(dialect="postgresql")
