"""The `flows` rollup: daily sums of debits, credits and matches per counterparty, for the trend.

Built in full by a load that matches everything, rebuilt per counterparty by one that matches some
again, and from the first new day by one that only continues matching (etl.load.match.continue_matching).
`meta.flows` = "1" says the table is complete; until a load has built it, queries.trend reads documents
and matches directly (a warehouse written by an older version).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import polars as pl
from sqlalchemy import Connection, Date, Select, case, delete, func, insert, literal_column, null, select

import warehouse
from warehouse.bulk import deferred_indexes
from warehouse.rollups.frame_io import insert_frame
from warehouse.rollups.pieces import ROWS, in_pieces
from warehouse.state import read_meta, write_meta

READY = "flows"
CHUNK = 500


def _sources(counterparty_ids: list[str] | None, since: date | None) -> list[Select]:
    """The four SELECTs whose rows are the flows of the given counterparties (None: all), from a day on."""
    d, m = warehouse.documents, warehouse.matches
    due = func.coalesce(d.c.due_date, d.c.doc_date, type_=Date)
    debit = d.c.side > 0
    kind = case((debit, literal_column("'d'")), else_=literal_column("'c'"))
    doc_due = case((debit, due), else_=null())
    documents = select(d.c.counterparty_id, d.c.currency, kind, d.c.doc_date, doc_due, func.sum(d.c.amount)).where(
        d.c.counterparty_id.is_not(None)
    )
    on_debits = select(
        m.c.counterparty_id, d.c.currency, literal_column("'dm'"), m.c.match_date, due, func.sum(m.c.amount)
    ).select_from(m.join(d, d.c.doc_pk == m.c.debit_pk))
    on_credits = select(
        m.c.counterparty_id, d.c.currency, literal_column("'cm'"), m.c.match_date, null(), func.sum(m.c.amount)
    ).select_from(m.join(d, d.c.doc_pk == m.c.credit_pk))
    if counterparty_ids is not None:
        documents = documents.where(d.c.counterparty_id.in_(counterparty_ids))
        on_debits = on_debits.where(m.c.counterparty_id.in_(counterparty_ids))
        on_credits = on_credits.where(m.c.counterparty_id.in_(counterparty_ids))
    if since is not None:
        documents = documents.where(d.c.doc_date >= since)
        on_debits = on_debits.where(m.c.match_date >= since)
        on_credits = on_credits.where(m.c.match_date >= since)
    return [
        documents.group_by(d.c.counterparty_id, d.c.currency, kind, d.c.doc_date, doc_due),
        on_debits.group_by(m.c.counterparty_id, d.c.currency, m.c.match_date, due),
        on_credits.group_by(m.c.counterparty_id, d.c.currency, m.c.match_date),
    ]


COLUMNS = ("counterparty_id", "currency", "kind", "day", "due_date", "amount")


def _fill(conn: Connection, counterparty_ids: list[str] | None, since: date | None = None) -> None:
    f = warehouse.flows
    for query in _sources(counterparty_ids, since):
        conn.execute(insert(f).from_select(list(COLUMNS), query))


def rebuild_all(conn: Connection) -> None:
    conn.execute(delete(warehouse.flows))
    _fill(conn, None)
    write_meta(conn, READY, "1")


def grouped_all(documents: pl.DataFrame, matches: pl.DataFrame, rows: int = ROWS) -> Iterator[pl.DataFrame]:
    """The flows of read_all's frames, the same rows rebuild_all's three GROUP BYs give, grouped by polars (at
    1M documents SQLite sorts 3.3M rows for them, and PostgreSQL took 15-22 s of a first load's wall time), a
    piece of whole counterparties (about `rows` documents) at a time (warehouse.rollups.pieces). No database:
    a first load on PostgreSQL groups them while the server builds the documents' indexes (etl.load.rollups)."""
    for piece in in_pieces(documents, matches, rows):
        # Sorted as an index (the pieces come in counterparty order): SQLite builds it in half the CPU.
        yield _grouped(*piece).sort("counterparty_id", "day")


def write_all(conn: Connection, pieces: Iterable[pl.DataFrame]) -> None:
    """The table made again of these rows (grouped_all's), its indexes deferred."""
    conn.execute(delete(warehouse.flows))
    with deferred_indexes(conn, warehouse.flows):
        for piece in pieces:
            insert_frame(conn, warehouse.flows, piece)
    write_meta(conn, READY, "1")


def _grouped(documents: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    """The flows of these documents and matches (both sides of each match among the documents)."""
    debit = pl.col("side") > 0
    due = pl.coalesce("due_date", "doc_date")
    keys = ["counterparty_id", "currency", "kind", "day", "due_date"]
    # Lazy: polars groups each part as it makes it, rather than holding the three at once.
    documents_now, matches_now = documents.lazy(), matches.lazy()
    own = documents_now.filter(pl.col("counterparty_id").is_not_null()).select(
        "counterparty_id",
        "currency",
        kind=pl.when(debit).then(pl.lit("d")).otherwise(pl.lit("c")),
        day="doc_date",
        due_date=pl.when(debit).then(due),
        amount="amount",
    )
    of_documents = documents_now.select("doc_pk", "currency", due=due)
    on_debits = matches_now.join(of_documents, left_on="debit_pk", right_on="doc_pk").select(
        "counterparty_id", "currency", kind=pl.lit("dm"), day="match_date", due_date="due", amount="amount"
    )
    on_credits = matches_now.join(of_documents, left_on="credit_pk", right_on="doc_pk").select(
        "counterparty_id",
        "currency",
        kind=pl.lit("cm"),
        day="match_date",
        due_date=pl.lit(None, dtype=pl.Date),
        amount="amount",
    )
    parts = [part.group_by(keys).agg(pl.col("amount").sum()) for part in (own, on_debits, on_credits)]
    return pl.concat(parts).select(COLUMNS).collect()


def rebuild(conn: Connection, counterparty_ids: Iterable[str]) -> None:
    """The flows of these counterparties, from scratch (after they were matched again)."""
    f = warehouse.flows
    ids = sorted(counterparty_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        conn.execute(delete(f).where(f.c.counterparty_id.in_(chunk)))
        _fill(conn, chunk)


def by_day(since: dict[str, date]) -> list[tuple[date, list[str]]]:
    """counterparty -> first new day, as (day, its counterparties) from the earliest day: how both rollups
    (flows, warehouse.rollups.checks) rebuild after matching went on."""
    days: dict[date, list[str]] = {}
    for counterparty_id, day in since.items():
        days.setdefault(day, []).append(counterparty_id)
    return sorted(days.items())


def rebuild_since(conn: Connection, since: dict[str, date]) -> None:
    """The flows of each counterparty from its day on (after matching went on from that day)."""
    f = warehouse.flows
    for day, ids in by_day(since):
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            conn.execute(delete(f).where(f.c.counterparty_id.in_(chunk), f.c.day >= day))
            _fill(conn, chunk, day)


def ready(conn: Connection) -> bool:
    return read_meta(conn, READY) == "1"
