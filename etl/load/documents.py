"""A document entity's validation and upsert over frames: what validate.records and upsert._documents do
row by row, for whole files at a time.

A file read as a frame (etl.load.columnar) has its duplicate keys rejected column-wise (the first row of a
key wins, as row by row), then its rows vouched for (etl.load.vouch) become records at once; the rest,
like every batch that is not a frame (the retried rows, bank statements, EDO documents, XLSX files),
goes through the row-wise validator and joins them as records. The records of all batches, in load
order, are then counted (new, updated, unchanged, deleted), hashed (etl.load.rowhash) and written from
the frame: the same counts, hashes, rejects and rows as upsert._documents gives.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import delete

import warehouse
from domain.calendar import CALENDAR
from domain.entities import BANK_PAYMENTS, DOCUMENT_KIND
from etl.columns import record_key
from etl.load import validate
from etl.load.columnar import LINE, FileFrame, stripped
from etl.load.first import Held
from etl.load.known import DocIndex, Known, StoredDoc
from etl.load.read import Batch, PendingFile
from etl.load.record import documents_loaded
from etl.load.rowhash import row_hashes
from etl.load.types import CHUNK, Progress, Record, Reject, Row, Tally
from etl.load.upsert import DOCUMENT_COLUMNS, DOCUMENT_VALUES, WRITE_BATCH
from etl.load.vouch import RECORD_SCHEMA, vouch
from warehouse.bulk import bulk_update
from warehouse.rollups.frame_io import insert_frame

SLICE = 100_000  # rows checked or hashed at a time


def documents(
    entity: str,
    batches: Sequence[Batch],
    known: Known,
    tally: Tally,
    load_id: int,
    progress: Progress,
    held: Held | None = None,
) -> None:
    """Validate and write one document entity's batches (in load order: the last occurrence of a key wins).
    `held`: a first load's, which keeps the new documents to be matched before they are written
    (etl.load.first)."""
    progress(f"validate {entity}", 0, 1)
    kind = DOCUMENT_KIND[entity]
    existing = known.docs(kind)
    if not existing.complete:  # a small load: its files read at once, and the documents they name too
        batches = [batch.open(tally) if isinstance(batch, PendingFile) else batch for batch in batches]
        existing.fetch(_keys(entity, batches))
    parts: list[pl.DataFrame] = []
    for pending in batches:
        batch = pending.open(tally) if isinstance(pending, PendingFile) else pending
        if isinstance(batch, FileFrame):
            parts.extend(_hashed(piece) for piece in _file_pieces(entity, batch, known, tally))
        else:
            parts.append(_hashed(records_frame(list(validate._validated(entity, [batch], known, tally)))))
    # Handed over in a list the callee empties: at 1M rows every copy of the records held by a caller's
    # name would stay in memory until the write is done.
    records = [pl.concat(parts, how="vertical") if parts else _hashed(records_frame([]))]
    del parts
    _upsert(entity, kind, records, known, tally, load_id, progress, held)


def _keys(entity: str, batches: Sequence[Batch]) -> list[str]:
    keys: list[str] = []
    for batch in batches:
        if isinstance(batch, PendingFile):
            continue
        if isinstance(batch, FileFrame):
            for part in batch.each("document_id"):
                keys.extend(part.select(stripped("document_id"))["document_id"].to_list())
        else:
            keys.extend(
                str(row.record["document_id"]) if row.record is not None else record_key(entity, row.values)
                for row in batch
            )
    return keys


def _file_records(entity: str, batch: FileFrame, known: Known, tally: Tally) -> pl.DataFrame:
    """A file's records; its duplicates and the rows the row-wise validator refuses go to the tally, in
    line order as row by row."""
    pieces = _file_pieces(entity, batch, known, tally)
    return pl.concat(pieces) if pieces else records_frame([])


def _file_pieces(entity: str, batch: FileFrame, known: Known, tally: Tally) -> list[pl.DataFrame]:
    """_file_records in pieces of at most SLICE records in line order. The file's slices are let go of
    one by one as they become records."""
    counts = tally.counts[entity]
    start = len(tally.rejects)
    key = stripped("document_id")
    slices = batch.each(LINE, "document_id")
    keys = pl.concat([part.select(LINE, key.alias("_key")) for part in slices]) if batch.count else None
    duplicate = (
        keys.select((pl.col("_key") != "") & ~pl.col("_key").is_first_distinct()).to_series()
        if keys is not None
        else pl.Series([], dtype=pl.Boolean)
    )
    if keys is not None and duplicate.any():
        # The line each repeated key was first at, for the keys repeated only (a window over every key of
        # a million-row file held about 100 MB more for nothing).
        repeated = keys.filter(duplicate)
        firsts = (
            keys.rename({LINE: "_first"})
            .filter(pl.col("_key").is_in(repeated["_key"].implode()))
            .unique("_key", keep="first", maintain_order=True)
        )
        repeated = repeated.join(firsts, on="_key", how="left", maintain_order="left")
        for line, document_id, first in repeated.iter_rows():
            counts.read += 1
            counts.rejected += 1
            reason = f"duplicate key: the same document_id is already at line {first} of this file"
            tally.rejects.append(
                Reject("row", entity, batch.file, line, "document_id", document_id[:500], reason, document_id[:500])
            )
        del repeated, firsts
    del keys
    parts: list[pl.DataFrame] = []
    offset = 0
    while (part := batch.take()) is not None:  # let go of once its rows are records or rejects
        flags = duplicate.slice(offset, part.height)
        offset += part.height
        part = part.filter(~flags) if flags.any() else part
        # A slice at a time: the column-wise checks' working frames stay small (a big file's peak of memory).
        for first in range(0, part.height, SLICE):
            records, rest = vouch(entity, batch.file, part.slice(first, SLICE), known)
            counts.read += records.height
            if rest.height:
                columns = [c for c in rest.columns if c != LINE]
                rows = [Row(batch.file, line, dict(zip(columns, v, strict=True))) for line, *v in rest.iter_rows()]
                validated = records_frame(list(validate._validated(entity, [rows], known, tally)))
                records = pl.concat([records, validated]).sort("source_line")
            parts.append(records)
        del part
    if len(tally.rejects) > start:
        tally.rejects[start:] = sorted(tally.rejects[start:], key=lambda reject: reject.line or 0)
    return parts


def _hashed(records: pl.DataFrame) -> pl.DataFrame:
    """The records with their row hash (none for a deleted one), made SLICE rows at a time. The column is
    in one piece, like the records of a slice or of a batch validated row by row: a frame whose columns
    are cut into pieces at different rows is copied whole by polars' next operation on it (at 1M
    shipments, 200 MB more at once)."""
    hashes = pl.concat(
        [row_hashes(records.slice(s, SLICE), DOCUMENT_VALUES) for s in range(0, records.height, SLICE)]
        or [pl.Series([], dtype=pl.String)]
    )
    return records.with_columns(row_hash=pl.when(pl.col("deleted")).then(None).otherwise(hashes.rechunk()))


def records_frame(pairs: list[tuple[Row, Record]]) -> pl.DataFrame:
    """Records the row-wise validator made, as a frame of RECORD_SCHEMA."""
    data: dict[str, list[Any]] = {name: [] for name in RECORD_SCHEMA}
    for row, record in pairs:
        for name in DOCUMENT_VALUES:
            data[name].append(record.get(name))
        data["kind"].append(record["kind"])
        data["document_id"].append(record["document_id"])
        data["deleted"].append(bool(record["deleted"]))
        data["bank"].append(row.record is not None)
        data["source_file"].append(row.file)
        data["source_line"].append(row.line)
    return pl.DataFrame(data, schema=RECORD_SCHEMA)


def _stored(existing: dict[str, StoredDoc], keys: pl.Series) -> pl.DataFrame:
    """The stored documents of these keys: document_id, s_pk, s_hash, s_counterparty."""
    found = [(k, *v) for k in keys.to_list() if (v := existing.get(k)) is not None] if existing else []
    return pl.DataFrame(
        found,
        schema={"document_id": pl.String, "s_pk": pl.Int64, "s_hash": pl.String, "s_counterparty": pl.String},
        orient="row",
    )


def _upsert(
    entity: str,
    kind: str,
    handed: list[pl.DataFrame],
    known: Known,
    tally: Tally,
    load_id: int,
    progress: Progress,
    held: Held | None,
) -> None:
    existing = known.docs(kind)
    records = handed.pop()
    keys = records["document_id"]
    # Counted, not listed (a third of the CPU): the keys are listed only to look up what is stored under them.
    # Keys in increasing order (files in the order of their ids, as the demo's) are distinct without hashing
    # them: at 1M shipments 76 -> 4 ms.
    increasing = keys.len() < 2 or (
        keys.null_count() == 0 and bool((keys.slice(1) > keys.slice(0, keys.len() - 1)).all())
    )
    distinct = keys.len() if increasing else keys.n_unique()
    stored = _stored(existing, keys.unique() if existing else keys.clear())
    # Nothing stored under these keys (a first load): no join, no copy, no columns of the stored rows.
    if stored.height:
        records = records.join(stored, on="document_id", how="left", maintain_order="left")
    before = pl.col("s_hash") if stored.height else pl.lit(None, dtype=pl.String)
    if distinct == records.height:  # each key once (every first load): the stored hash is the one before
        previous = before
    else:  # windows over the keys only when needed: at 1M they held 250-350 MB
        first = pl.col("document_id").is_first_distinct()
        previous = pl.when(first).then(before).otherwise(pl.col("row_hash").shift(1).over("document_id"))
    status = (
        pl.when(pl.col("deleted"))
        .then(pl.when(previous.is_not_null()).then(pl.lit("deleted")).otherwise(pl.lit("unchanged")))
        .when(previous.is_null())
        .then(pl.lit("new"))
        .when(previous == pl.col("row_hash"))
        .then(pl.lit("unchanged"))
        .otherwise(pl.lit("updated"))
    )
    summary = records.lazy().group_by("bank", status.alias("status")).agg(pl.len()).collect().iter_rows()
    for bank, what, n in summary:
        counts = tally.counts[BANK_PAYMENTS if bank else entity]
        setattr(counts, what, getattr(counts, what) + n)
    unidentified = pl.col("bank") & ~pl.col("deleted") & pl.col("counterparty_id").is_null()
    tally.bank_unidentified += records.lazy().select(unidentified.sum()).collect().item()
    documents_loaded(known.conn, tally, entity, keys)
    if distinct < records.height:  # a key more than once: its last record, in the place of its first
        places = records.select(pl.col("document_id").filter(pl.col("document_id").is_first_distinct()))
        last = records.filter(pl.col("document_id").is_last_distinct())
        del records
        records = places.join(last, on="document_id", how="left", maintain_order="left").select(last.columns)
        del places, last
    del keys
    handed.append(records)
    del records
    _write(kind, handed, known, load_id, progress, held)


def _pieces(handed: list[pl.DataFrame], keep: pl.Expr | None, columns: dict[str, pl.Expr]) -> Iterator[pl.DataFrame]:
    """The records handed over in `handed` filtered by `keep` and with `columns` added, SLICE rows at a
    time, each piece made one chunk and its part of the records let go of once the next is asked for: done
    whole, the records were in memory twice (a filter copies them; a column cut into pieces other than the
    frame's has polars copy the frame at its next step: at 1M shipments, 160-210 MB more at once)."""
    final = handed.pop()
    if not final.height:
        yield (final.filter(keep) if keep is not None else final).with_columns(**columns)
        return
    pieces = [final.slice(start, SLICE) for start in range(0, final.height, SLICE)]
    del final
    while pieces:
        piece = pieces.pop(0)
        done = (piece.filter(keep) if keep is not None else piece).with_columns(**columns).rechunk()
        del piece
        yield done


def _due_dates(frame: pl.DataFrame, known: Known, keep: pl.Expr | None = None) -> pl.Expr:
    """known.due_date per row, once per distinct (date, terms): credits none, a debit's own, else by terms.
    A row's terms are looked up as their number among the contracts' distinct terms (a few), and its due
    date by one integer (that number and the day): keyed by (contract, date) pairs, 200k of them at 1M
    shipments, the column took 0.45 s of CPU (a Python loop over the pairs, a lookup of that size per row);
    text keys for a million documents held about 100 MB more while the column was made."""
    terms = {cid: (c.terms_days, c.terms_basis) for cid, c in known.contracts.items()}
    # The terms' numbers; 0 is (0, CALENDAR), a row's without a contract the load knows (due_date_of).
    kinds = [(0, CALENDAR), *dict.fromkeys(t for t in terms.values() if t != (0, CALENDAR))]
    number = {t: n for n, t in enumerate(kinds)}
    code = (
        pl.col("contract_id")
        .replace_strict(list(terms), [number[t] for t in terms.values()], default=0, return_dtype=pl.Int64)
        .fill_null(0)
    )
    key = code * 10_000_000 + pl.col("doc_date").cast(pl.Int64) + 1_000_000
    # The distinct keys of the rows that look their due date up (few: the terms times the days).
    wanted = (
        frame.lazy()
        .filter(
            (pl.col("side") > 0)
            & pl.col("own_due_date").is_null()
            & pl.col("doc_date").is_not_null()
            & (True if keep is None else keep)
        )
        .select(key.unique().alias("key"))
        .collect()["key"]
        .to_list()
    )
    calendar = known.calendar
    assert calendar is not None
    epoch = date(1970, 1, 1).toordinal() - 1_000_000
    days = [calendar.due_date(date.fromordinal(k % 10_000_000 + epoch), *kinds[k // 10_000_000]) for k in wanted]
    by_terms = key.replace_strict(wanted, days, default=None, return_dtype=pl.Date)
    return (
        pl.when(pl.col("side") < 0)
        .then(None)
        .when(pl.col("own_due_date").is_not_null())
        .then(pl.col("own_due_date"))
        .otherwise(by_terms)
    )


def _appended(inserts: pl.DataFrame, known: Known) -> pl.DataFrame:
    """The inserted records, their counterparties noted as having new documents."""
    known.appended.update(inserts["counterparty_id"].drop_nulls().unique().to_list())
    return inserts


def _write(
    kind: str, handed: list[pl.DataFrame], known: Known, load_id: int, progress: Progress, held: Held | None
) -> None:
    """Write the last record of each key (handed over in `handed`): delete, insert or update by its hash.
    A first load's new documents are held instead (`held`), to be written once matched."""
    conn = known.conn
    existing = known.docs(kind)
    d = warehouse.documents
    keep = None
    if "s_pk" in handed[-1].columns:
        final = handed[-1]
        gone = final.filter(pl.col("deleted") & pl.col("s_pk").is_not_null())
        for key, _pk, counterparty_id in gone.select("document_id", "s_pk", "s_counterparty").iter_rows():
            known.touch(counterparty_id)
            del existing[key]
        deletes = gone["s_pk"].to_list()
        for start in range(0, len(deletes), CHUNK):
            conn.execute(delete(d).where(d.c.doc_pk.in_(deletes[start : start + CHUNK])))
        keep = ~pl.col("deleted") & (pl.col("s_hash").is_null() | (pl.col("s_hash") != pl.col("row_hash")))
        del final
    elif handed[-1]["deleted"].any():  # nothing stored under these keys: every record not deleted is new
        keep = ~pl.col("deleted")
    # The load's id as a column computed from one (a literal is one piece: see _pieces).
    load = (pl.col("side").cast(pl.Int64) * 0 + load_id).cast(pl.Int64)  # side: never null
    due = _due_dates(handed[-1], known, keep)
    pieces = _pieces(handed, keep, {"due_date": due, "load_id": load})
    if held is not None and "s_pk" not in handed[-1].columns:  # a first load: every record kept is new
        # Held a piece at a time as it is made: the records and a whole copy of them with the due dates
        # were the peak of a 1M load (at "validate payments").
        held.hold(kind, (_appended(piece, known).select(DOCUMENT_COLUMNS) for piece in pieces), known)
        return
    written = pl.concat(list(pieces))
    if "s_pk" not in written.columns or written["s_pk"].null_count() == written.height:
        inserts, updates = written, written.clear()
    else:
        inserts = written.filter(pl.col("s_pk").is_null())
        updates = written.filter(pl.col("s_pk").is_not_null())
    del written
    _appended(inserts, known)
    if updates.height:
        known.touch(*updates["s_counterparty"].unique().to_list(), *updates["counterparty_id"].unique().to_list())
    if held is not None:  # a first load: nothing stored, so nothing to update
        assert not updates.height
        held.hold(kind, [inserts.select(DOCUMENT_COLUMNS)], known)
        return
    total = inserts.height
    for start in range(0, total, WRITE_BATCH):
        progress(f"write {kind}", start, total)
        insert_frame(conn, d, inserts.slice(start, WRITE_BATCH).select(DOCUMENT_COLUMNS))
    if updates.height:
        changing = [c for c in DOCUMENT_COLUMNS if c not in ("kind", "document_id")]
        bulk_update(conn, d, "doc_pk", changing, updates.select("s_pk", *changing).rows())
    if inserts.height or updates.height:
        # The entities after this one look the kind's documents up by key, in bulk (returns their shipments,
        # allocations their payments): a million of them kept as a dict would outweigh the rest of the load.
        known.documents[kind] = DocIndex(conn, kind, complete=False)
