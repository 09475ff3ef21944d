"""The load's fourth stage: due dates and FIFO matches (etl.matching) of the counterparties it changed.

A counterparty whose only change is new documents dated after everything matched before goes on
matching from its open documents (`continue_matching`); any other change (a document edited or
deleted, a contract moved, an allocation of a payment matched before, a new payer identified) matches it
again from scratch (`rematch`), and a changed calendar matches everyone again. An allocation of a payment
the load brings goes on with it; one of an earlier load's open payment to a shipment the load brings goes
on where etl/load/allocated.py can show it changes nothing matched before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl
from sqlalchemy import ColumnElement, Connection, case, delete, func, select

import warehouse
from domain.calendar import CALENDAR, WorkCalendar
from etl.kernels.match_frames import ALLOCATIONS, DOCUMENTS, match_frames
from etl.load.allocated import go_on
from etl.load.known import Known
from etl.load.types import CHUNK, Progress
from warehouse.bulk import deferred_indexes
from warehouse.calendar import work_calendar
from warehouse.rollups.checks import ROLLUP_DOCUMENTS, ROLLUP_MATCHES, Frames
from warehouse.rollups.frame_io import insert_frame, read_frame, update_frame

MATCH_COLUMNS = ("counterparty_id", "debit_pk", "credit_pk", "amount", "match_date")


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
    # An allocated open payment's counterparty without new documents (cannot be: its shipment is new).
    again = set(known.touched) | (set(known.allocated.values()) - known.appended)
    fallback, continued, written, since = continue_matching(
        conn, known.appended - again, load_id, progress, known.allocated, known.last_pk_before
    )
    again |= fallback
    matched, more, _ = rematch(conn, again, progress) if again else (0, 0, None)
    return Matched(matched + continued, continued, written + more, False, again, since)


# The columns etl.kernels.match_frames takes (DOCUMENTS), as continue_matching reads them.
_COLUMNS = tuple(warehouse.documents.c[name] for name in DOCUMENTS.names())
_EVENT_ORDER = ("doc_date", "credit", "document_id", "kind")  # etl.matching.event_order
_WITH_LEFT = pl.Schema([*DOCUMENTS.items(), ("remaining", pl.Int64)])
_ALLOCATED = pl.Schema([*ALLOCATIONS.items(), ("load_id", pl.Int64)])


def continue_matching(
    conn: Connection,
    counterparty_ids: set[str],
    load_id: int,
    progress: Progress | None = None,
    allocated: dict[str, str] | None = None,
    last_pk_before: int = 0,
) -> tuple[set[str], int, int, dict[str, date]]:
    """Match the documents this load added after everything matched before, for counterparties whose
    only change is new documents: their old matches stand and FIFO goes on from the open documents.

    That holds when each counterparty's new documents all come after its old ones in event order (date,
    debits first, document_id) and no open credit still waits for a shipment it names (a reservation).
    `allocated`: earlier loads' open payments this load allocates to shipments it brings (payment id ->
    counterparty), gone on with where etl.load.allocated.go_on allows. `last_pk_before`: every document this
    load inserted has a larger key (etl.load.known.last_pk).
    Returns (counterparties that need matching from scratch instead, counterparties done, matches written,
    the first new day of each counterparty done: its flows change from that day on).
    """
    d, m = warehouse.documents, warehouse.matches
    fallback: set[str] = set()
    done = written = 0
    since: dict[str, date] = {}
    ids = sorted(counterparty_ids)
    as_debit = select(func.coalesce(func.sum(m.c.amount), 0)).where(m.c.debit_pk == d.c.doc_pk).scalar_subquery()
    as_credit = select(func.coalesce(func.sum(m.c.amount), 0)).where(m.c.credit_pk == d.c.doc_pk).scalar_subquery()
    left = (d.c.amount - case((d.c.side > 0, as_debit), else_=as_credit)).label("remaining")
    for start in range(0, len(ids), CHUNK):
        if progress is not None:
            progress("match", start, len(ids))
        group = ids[start : start + CHUNK]
        mine = d.c.counterparty_id.in_(group)
        # This load's documents (only inserted ones: an update would have touched the counterparty), found by
        # their keys' range: without an index on load_id the filter read every document of the counterparties.
        new = read_frame(
            conn, select(*_COLUMNS).where(mine, d.c.doc_pk > last_pk_before, d.c.load_id == load_id), DOCUMENTS
        )
        if new.is_empty():
            continue
        first = _in_event_order(new).group_by("counterparty_id", maintain_order=True).first()
        # Old documents on or after the earliest new date: any of them after a new one breaks the order.
        old = read_frame(
            conn,
            select(*_COLUMNS).where(mine, d.c.doc_date >= first["doc_date"].min(), d.c.load_id != load_id),
            DOCUMENTS,
        )
        late = _after_first(old, first)
        fallback |= late
        candidates = [cp for cp in first["counterparty_id"].to_list() if cp not in late]
        # The open documents (never settled), with what is left of each.
        booked = read_frame(
            conn,
            select(*_COLUMNS, left).where(
                d.c.counterparty_id.in_(candidates), d.c.settled_date.is_(None), d.c.load_id != load_id
            ),
            _WITH_LEFT,
        )
        new = new.filter(pl.col("counterparty_id").is_in(candidates))
        found, allocations, waiting = _named_shipments(conn, booked, new, left)
        fallback |= waiting  # a reservation is not kept in the warehouse: matched from scratch
        going = {payment: cp for payment, cp in (allocated or {}).items() if cp in set(candidates)}
        # Open documents matched before keep their first match date (go_on books some credits again as new).
        matched_before = booked.filter(pl.col("remaining") < pl.col("amount"))["doc_pk"].implode()
        booked, allocations, failed = go_on(booked, new, allocations, going, load_id)
        fallback |= failed
        documents = pl.concat(
            [
                booked,
                found.with_columns(pre=pl.lit(True)),
                new.with_columns(remaining=pl.lit(0, pl.Int64), pre=pl.lit(False)),
            ]
        ).filter(~pl.col("counterparty_id").is_in(list(waiting | failed)))
        if documents.is_empty():
            continue
        matches, state = match_frames(documents, allocations.select(ALLOCATIONS.names()))
        insert_frame(conn, m, matches.select(MATCH_COLUMNS))
        first_now = pl.col("first_match_date").is_not_null() & ~pl.col("doc_pk").is_in(matched_before)
        update_frame(conn, d, "doc_pk", state.filter(first_now).select("doc_pk", "settled_date", "first_match_date"))
        settled = state.filter(~first_now, pl.col("settled_date").is_not_null())
        update_frame(conn, d, "doc_pk", settled.select("doc_pk", "settled_date"))
        written += matches.height
        going_on = first.filter(pl.col("counterparty_id").is_in(documents["counterparty_id"].unique().implode()))
        since |= dict(going_on.select("counterparty_id", "doc_date").iter_rows())
        done += going_on.height
    return fallback, done, written, since


def _in_event_order(documents: pl.DataFrame) -> pl.DataFrame:
    """By counterparty, then etl.matching.event_order: date, debits first, document_id, kind."""
    return documents.with_columns(credit=pl.col("side") < 0).sort("counterparty_id", *_EVENT_ORDER)


def _after_first(old: pl.DataFrame, first: pl.DataFrame) -> set[str]:
    """Counterparties with an old document after their first new one in event order."""
    if old.is_empty():
        return set()
    marked = _in_event_order(
        pl.concat(
            [
                old.select("counterparty_id", "doc_date", "side", "document_id", "kind", new=pl.lit(False)),
                first.select("counterparty_id", "doc_date", "side", "document_id", "kind", new=pl.lit(True)),
            ]
        )
    ).with_columns(place=pl.int_range(pl.len()).over("counterparty_id"))
    new_place = pl.col("place").filter(pl.col("new")).first().over("counterparty_id")
    after = marked.filter(~pl.col("new"), pl.col("place") > new_place)
    return set(after["counterparty_id"].to_list())


def _named_shipments(
    conn: Connection, booked: pl.DataFrame, new: pl.DataFrame, left: ColumnElement[int]
) -> tuple[pl.DataFrame, pl.DataFrame, set[str]]:
    """The shipments an open or new credit names that are neither (with what is left of each), the
    credits' allocations (with the load that wrote each), and the counterparties with an open credit
    waiting for a shipment not booked."""
    d, a = warehouse.documents, warehouse.allocations
    credits = pl.concat([booked, new.with_columns(remaining=pl.lit(None, pl.Int64))]).filter(pl.col("side") < 0)
    payments = credits.filter(pl.col("kind") == "payment")["document_id"].unique().sort().to_list()
    allocations = pl.concat(
        [
            read_frame(
                conn,
                select(a.c.payment_id, a.c.shipment_id, a.c.amount, a.c.load_id).where(a.c.payment_id.in_(chunk)),
                _ALLOCATED,
            )
            for chunk in _chunks(payments)
        ]
        or [pl.DataFrame(schema=_ALLOCATED)]
    )
    links = pl.concat(
        [
            credits.filter(pl.col("kind") == "payment")
            .join(allocations, left_on="document_id", right_on="payment_id", suffix="_allocated")
            .select("counterparty_id", "remaining", pl.col("shipment_id_allocated").alias("named")),
            credits.filter(pl.col("kind") != "payment").select(
                "counterparty_id", "remaining", pl.col("shipment_id").alias("named")
            ),
        ]
    ).filter(pl.col("named").is_not_null(), pl.col("named") != "")
    known = pl.concat([booked.drop("remaining"), new]).filter(pl.col("kind") == "shipment")
    known = known.select("counterparty_id", named="document_id")
    missing = links.select("counterparty_id", "named").unique().join(known, on=["counterparty_id", "named"], how="anti")
    found = pl.concat(
        [
            read_frame(
                conn, select(*_COLUMNS, left).where(d.c.kind == "shipment", d.c.document_id.in_(chunk)), _WITH_LEFT
            )
            for chunk in _chunks(missing["named"].unique().sort().to_list())
        ]
        or [pl.DataFrame(schema=_WITH_LEFT)]
    ).join(missing.rename({"named": "document_id"}), on=["counterparty_id", "document_id"], how="semi")
    waiting = (
        links.filter(pl.col("remaining") > 0)
        .join(known, on=["counterparty_id", "named"], how="anti")
        .join(found.select("counterparty_id", named="document_id"), on=["counterparty_id", "named"], how="anti")
    )
    return found, allocations, set(waiting["counterparty_id"].to_list())


def _chunks(values: list[str]) -> list[list[str]]:
    return [values[start : start + CHUNK] for start in range(0, len(values), CHUNK)]


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
        "stored_first": pl.Date,
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
        d.c.first_match_date,
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
    """Due, settled and first match dates where they changed. Most documents change only their settled and
    first match dates (a fresh load's: all of them): that update leaves the due date's index alone."""
    d = warehouse.documents
    changed = (
        documents.select("doc_pk", "due_date", "stored_due", "stored_settled", "stored_first")
        .join(state.select("doc_pk", "settled_date", "first_match_date"), on="doc_pk")
        .filter(
            pl.col("due_date").ne_missing(pl.col("stored_due"))
            | pl.col("settled_date").ne_missing(pl.col("stored_settled"))
            | pl.col("first_match_date").ne_missing(pl.col("stored_first"))
        )
    )
    same_due = pl.col("due_date").eq_missing(pl.col("stored_due"))
    dates = ["settled_date", "first_match_date"]
    update_frame(conn, d, "doc_pk", changed.filter(~same_due).select("doc_pk", "due_date", *dates))
    update_frame(conn, d, "doc_pk", changed.filter(same_due).select("doc_pk", *dates))
