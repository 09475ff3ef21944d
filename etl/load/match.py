"""The load's fourth stage: due dates and FIFO matches (etl.matching) of the counterparties it changed.

A counterparty whose only change is new documents dated after everything matched before goes on
matching from its open documents (`continue_matching`); any other change (a document edited or
deleted, a contract moved, an allocation, a new payer identified) matches it again from scratch
(`rematch`), and a changed calendar matches everyone again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import polars as pl
from sqlalchemy import Connection, Row, case, delete, func, select

import warehouse
from domain.calendar import CALENDAR, WorkCalendar
from etl import matching
from etl.kernels.match_frames import ALLOCATIONS, DOCUMENTS, match_frames
from etl.load.known import Known
from etl.load.types import CHUNK, Progress
from warehouse.bulk import bulk_insert, bulk_update, deferred_indexes
from warehouse.calendar import work_calendar
from warehouse.rollups.checks import ROLLUP_DOCUMENTS, ROLLUP_MATCHES, Frames
from warehouse.rollups.frame_io import insert_frame, read_frame, update_frame

MATCH_COLUMNS = ("counterparty_id", "debit_pk", "credit_pk", "amount", "match_date")
_NO_DUE = date.min  # not worked out yet (a due date is never this day)


@dataclass
class Matched:
    """What the matching stage did, for the rollups and the load's result."""

    counterparties: int = 0  # matched again or on
    continued: int = 0  # of those, matched on from their open documents (new documents only)
    written: int = 0  # matches written
    everyone: bool = False  # every counterparty was matched from scratch
    again: set[str] = field(default_factory=set)  # matched from scratch
    since: dict[str, date] = field(default_factory=dict)  # matched on: its first new day
    # everyone: the documents and matches as the rollups read them (handed over rather than read again)
    frames: Frames | None = None


def match(conn: Connection, known: Known, load_id: int, progress: Progress | None) -> Matched:
    """Match the counterparties the upserts touched again, and those they only appended to onwards."""
    if known.touch_all:
        matched, written, frames = rematch(conn, None, progress)
        return Matched(matched, 0, written, everyone=True, frames=frames)
    again = set(known.touched)
    fallback, continued, written, since = continue_matching(conn, known.appended - again, load_id, progress)
    again |= fallback
    matched, more, _ = rematch(conn, again, progress) if again else (0, 0, None)
    return Matched(matched + continued, continued, written + more, False, again, since)


# The columns a matching.Doc is made of, then the counterparty (continue_matching's queries).
_DOC_COLUMNS = (
    warehouse.documents.c.doc_pk,
    warehouse.documents.c.kind,
    warehouse.documents.c.document_id,
    warehouse.documents.c.contract_id,
    warehouse.documents.c.currency,
    warehouse.documents.c.doc_date,
    warehouse.documents.c.side,
    warehouse.documents.c.amount,
    warehouse.documents.c.due_date,
    warehouse.documents.c.shipment_id,
    warehouse.documents.c.counterparty_id,
)


def _doc(row: Row, remaining: int = 0) -> matching.Doc:
    """A matching.Doc from a row of _DOC_COLUMNS."""
    pk, kind, document_id, contract_id, currency, doc_date, side, amount, due_date, shipment_id = row[:10]
    return matching.Doc(
        pk, kind, document_id, contract_id, currency, doc_date, side, amount, due_date, shipment_id, remaining
    )


def continue_matching(
    conn: Connection, counterparty_ids: set[str], load_id: int, progress: Progress | None = None
) -> tuple[set[str], int, int, dict[str, date]]:
    """Match the documents this load added after everything matched before, for counterparties whose
    only change is new documents: their old matches stand and FIFO goes on from the open documents.

    That holds when each counterparty's new documents all come after its old ones in event order (date,
    debits first, document_id) and no open credit still waits for a shipment it names (a reservation).
    Returns (counterparties that need matching from scratch instead, counterparties done, matches written,
    the first new day of each counterparty done: its flows change from that day on).
    """
    d, m, a = warehouse.documents, warehouse.matches, warehouse.allocations
    fallback: set[str] = set()
    done = written = 0
    since: dict[str, date] = {}
    ids = sorted(counterparty_ids)
    for start in range(0, len(ids), CHUNK):
        group = ids[start : start + CHUNK]
        mine = d.c.counterparty_id.in_(group)
        new_rows = conn.execute(select(*_DOC_COLUMNS).where(mine, d.c.load_id == load_id)).all()
        new_by: dict[str, list[matching.Doc]] = defaultdict(list)
        for r in new_rows:
            new_by[r.counterparty_id].append(_doc(r))
        first_new = {cp: min(matching.event_order(doc) for doc in docs) for cp, docs in new_by.items()}
        earliest = min((key[0] for key in first_new.values()), default=None)
        if earliest is None:
            continue
        # Old documents on or after the earliest new date: any of them after a new one breaks the order.
        for r in conn.execute(select(*_DOC_COLUMNS).where(mine, d.c.doc_date >= earliest, d.c.load_id != load_id)):
            doc = _doc(r)
            if r.counterparty_id in first_new and matching.event_order(doc) > first_new[r.counterparty_id]:
                fallback.add(r.counterparty_id)
        # The open documents (never settled), with what is left of each.
        as_debit = select(func.coalesce(func.sum(m.c.amount), 0)).where(m.c.debit_pk == d.c.doc_pk).scalar_subquery()
        as_credit = select(func.coalesce(func.sum(m.c.amount), 0)).where(m.c.credit_pk == d.c.doc_pk).scalar_subquery()
        remaining = case((d.c.side > 0, as_debit), else_=as_credit)
        booked: dict[str, dict[int, matching.Doc]] = defaultdict(dict)
        candidates = [cp for cp in new_by if cp not in fallback]
        for r in conn.execute(
            select(*_DOC_COLUMNS, (d.c.amount - remaining).label("left")).where(
                d.c.counterparty_id.in_(candidates), d.c.settled_date.is_(None), d.c.load_id != load_id
            )
        ):
            doc = _doc(r, int(r.left))
            booked[r.counterparty_id][doc.pk] = doc
        # Shipments named by an open credit or a new one, whether open or not.
        payments = [doc.document_id for cp in candidates for doc in (*booked[cp].values(), *new_by[cp]) if doc.side < 0]
        allocations: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for chunk_start in range(0, len(payments), CHUNK):
            chunk = payments[chunk_start : chunk_start + CHUNK]
            for payment_id, shipment_id, amount in conn.execute(
                select(a.c.payment_id, a.c.shipment_id, a.c.amount).where(a.c.payment_id.in_(chunk))
            ):
                allocations[payment_id].append((shipment_id, amount))
        for index, cp in enumerate(candidates):
            if progress is not None and index % 20 == 0:
                progress("match", start + index, len(ids))
            docs = booked[cp]
            named = {
                shipment_id
                for doc in (*docs.values(), *new_by[cp])
                if doc.side < 0
                for shipment_id in (
                    [s for s, _ in allocations.get(doc.document_id, [])] if doc.kind == "payment" else [doc.shipment_id]
                )
                if shipment_id
            }
            known = {doc.document_id for doc in (*docs.values(), *new_by[cp]) if doc.kind == "shipment"}
            missing = sorted(named - known)
            found: set[str] = set()
            for chunk_start in range(0, len(missing), CHUNK):
                chunk = missing[chunk_start : chunk_start + CHUNK]
                for r in conn.execute(
                    select(*_DOC_COLUMNS, (d.c.amount - remaining).label("left")).where(
                        d.c.kind == "shipment", d.c.counterparty_id == cp, d.c.document_id.in_(chunk)
                    )
                ):
                    docs[r[0]] = _doc(r, int(r.left))
                    found.add(r[2])
            old_credits_wait = any(
                doc.side < 0
                and doc.remaining > 0
                and any(
                    s not in known and s not in found
                    for s in (
                        [s for s, _ in allocations.get(doc.document_id, [])]
                        if doc.kind == "payment"
                        else [doc.shipment_id]
                    )
                    if s
                )
                for doc in docs.values()
            )
            if old_credits_wait:
                fallback.add(cp)  # a reservation is not kept in the warehouse: match this one from scratch
                continue
            found_matches = matching.continue_counterparty(docs.values(), new_by[cp], dict(allocations))
            rows = [(cp, x.debit_pk, x.credit_pk, x.amount, x.match_date) for x in found_matches]
            bulk_insert(conn, m, MATCH_COLUMNS, rows)
            written += len(rows)
            settled = [
                (doc.pk, doc.due_date, doc.settled_date)
                for doc in (*docs.values(), *new_by[cp])
                if doc.settled_date is not None
            ]
            bulk_update(conn, d, "doc_pk", ("due_date", "settled_date"), settled)
            since[cp] = first_new[cp][0]
            done += 1
    return fallback, done, written, since


def rematch(
    conn: Connection, counterparty_ids: set[str] | None, progress: Progress | None = None
) -> tuple[int, int, Frames | None]:
    """Recompute due dates and FIFO matches for the given counterparties (None: all of them).

    Returns (counterparties matched, matches written, and for all of them the documents and matches as
    the rollups read them: warehouse.rollups.checks.read_all's frames). All of them: the matches are
    written with the table's indexes deferred (warehouse.bulk.deferred_indexes), made once over the new
    rows."""
    with deferred_indexes(conn, warehouse.matches, when=counterparty_ids is None):
        return _rematch(conn, counterparty_ids, progress)


_READ = pl.Schema(
    {
        "doc_pk": pl.Int64,
        "kind": pl.String,
        "document_id": pl.String,
        "contract_id": pl.String,
        "currency": pl.String,
        "doc_date": pl.Date,
        "side": pl.Int64,
        "amount": pl.Int64,
        "stored_due": pl.Date,
        "own_due_date": pl.Date,
        "shipment_id": pl.String,
        "counterparty_id": pl.String,
        "stored_settled": pl.Date,
    }
)


def _rematch(
    conn: Connection, counterparty_ids: set[str] | None, progress: Progress | None
) -> tuple[int, int, Frames | None]:
    progress = progress or (lambda _stage, _done, _total: None)
    d, m, c, a = warehouse.documents, warehouse.matches, warehouse.contracts, warehouse.allocations
    calendar = work_calendar(conn)
    terms = read_frame(
        conn,
        select(c.c.contract_id, c.c.terms_days, c.c.terms_basis),
        pl.Schema({"contract_id": pl.String, "terms_days": pl.Int64, "terms_basis": pl.String}),
    )
    columns = (
        d.c.doc_pk,
        d.c.kind,
        d.c.document_id,
        d.c.contract_id,
        d.c.currency,
        d.c.doc_date,
        d.c.side,
        d.c.amount,
        d.c.due_date,
        d.c.own_due_date,
        d.c.shipment_id,
        d.c.counterparty_id,
        d.c.settled_date,
    )
    if counterparty_ids is None:
        conn.execute(delete(m))
        groups: list[list[str] | None] = [None]
    else:
        ids = sorted(counterparty_ids)
        for start in range(0, len(ids), CHUNK):
            conn.execute(delete(m).where(m.c.counterparty_id.in_(ids[start : start + CHUNK])))
        groups = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
    matched = written = 0
    frames: Frames | None = None
    for group_index, group in enumerate(groups):
        progress("match", group_index, len(groups))
        query = select(*columns).where(d.c.counterparty_id.is_not(None))
        alloc_query = select(a.c.payment_id, a.c.shipment_id, a.c.amount)
        if group is not None:
            query = query.where(d.c.counterparty_id.in_(group))
            alloc_query = alloc_query.where(
                a.c.payment_id.in_(select(d.c.document_id).where(d.c.kind == "payment", d.c.counterparty_id.in_(group)))
            )
        documents = read_frame(conn, query, _READ)
        documents = documents.with_columns(due_date=_due_dates(documents, terms, calendar))
        found, state = match_frames(documents.select(DOCUMENTS.names()), read_frame(conn, alloc_query, ALLOCATIONS))
        insert_frame(conn, m, found.select(MATCH_COLUMNS))
        _write_dates(conn, documents, state)
        matched += documents["counterparty_id"].n_unique()
        written += found.height
        if group is None:
            frames = (documents.select(ROLLUP_DOCUMENTS.names()), found.select(ROLLUP_MATCHES.names()))
    return matched, written, frames


def _due_dates(documents: pl.DataFrame, terms: pl.DataFrame, calendar: WorkCalendar) -> pl.Series:
    """Each document's due date (domain.calendar.due_date_of): its own, else its contract's terms from its
    date (none: 0 calendar days), credits none. One calendar walk per distinct (terms, day)."""
    debit = pl.col("side") >= 0
    on_terms = (
        documents.filter(debit, pl.col("own_due_date").is_null())
        .select("contract_id", "doc_date")
        .unique()
        .join(terms, on="contract_id", how="left")
        .with_columns(pl.col("terms_days").fill_null(0), pl.col("terms_basis").fill_null(CALENDAR))
    )
    walks = on_terms.select("terms_days", "terms_basis", "doc_date").unique()
    walked = walks.with_columns(
        walked=pl.Series([calendar.due_date(day, days, basis) for days, basis, day in walks.rows()], dtype=pl.Date)
    )
    dues = on_terms.join(walked, on=["terms_days", "terms_basis", "doc_date"]).select(
        "contract_id", "doc_date", "walked"
    )
    return (
        documents.select("contract_id", "doc_date", "side", "own_due_date")
        .join(
            dues.select("contract_id", "doc_date", "walked"),
            on=["contract_id", "doc_date"],
            how="left",
            nulls_equal=True,
            maintain_order="left",
        )
        .select(
            pl.when(~debit)
            .then(None)
            .when(pl.col("own_due_date").is_not_null())
            .then("own_due_date")
            .otherwise("walked")
            .alias("due_date")
        )
        .to_series()
    )


def _write_dates(conn: Connection, documents: pl.DataFrame, state: pl.DataFrame) -> None:
    """Due and settled dates where they changed. Most documents change only their settled date (a fresh
    load's: all of them): that update leaves the due date's index alone."""
    d = warehouse.documents
    changed = (
        documents.select("doc_pk", "due_date", "stored_due", "stored_settled")
        .join(state.select("doc_pk", "settled_date"), on="doc_pk")
        .filter(
            pl.col("due_date").ne_missing(pl.col("stored_due"))
            | pl.col("settled_date").ne_missing(pl.col("stored_settled"))
        )
    )
    same_due = pl.col("due_date").eq_missing(pl.col("stored_due"))
    update_frame(conn, d, "doc_pk", changed.filter(~same_due).select("doc_pk", "due_date", "settled_date"))
    update_frame(conn, d, "doc_pk", changed.filter(same_due).select("doc_pk", "settled_date"))
