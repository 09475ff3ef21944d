"""A first load (into an empty warehouse) matched before it is written: each document is inserted once,
with its due and settled dates, and never read back or updated.

Later loads write their documents, then match (etl.load.match) and update the settled dates. Into an
empty warehouse the loader knows every document's key before writing it (the next key plus the row's
place), so the documents stage hands its frames here instead (`Held.hold`) and they stay in memory
until every entity is through: the later entities look them up by key from the frames (`HeldIndex`, the
returns their shipments, the allocations their payments). Then FIFO runs over the frames
(etl.kernels.match_frames), the matches are inserted, the documents are inserted with every column of
the settled state the documents table has (settled_date, and whatever else the kernel's state gains),
and the frames are handed to the rollups (`Matched.frames`), which read nothing back either.

The result is the one the other path gives, table for table and key for key: tests/etl/load/test_first.py
loads the same folders both ways on SQLite and PostgreSQL.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO

import numpy as np
import polars as pl
from sqlalchemy import Connection, select

import warehouse
from etl.kernels.match_frames import ALLOCATIONS, DOCUMENTS, match_frames
from etl.load.known import DocIndex, Known
from etl.load.match import MATCH_COLUMNS, Matched
from etl.load.types import Progress
from etl.load.upsert import DOCUMENT_COLUMNS, WRITE_BATCH
from warehouse.bulk import deferred_indexes
from warehouse.rollups.checks import ROLLUP_DOCUMENTS, ROLLUP_MATCHES
from warehouse.rollups.frame_io import insert_frame, read_frame

# A DocIndex's value, keyed by document_id, less its row hash: the later entities look held documents up by
# key for their doc_pk and counterparty, and nothing compares a held row's hash (each kind is validated
# once, before it is held), so the hashes wait with the texts (1.8M of them held 58 MB at 1M).
LOOKUP = ("document_id", "doc_pk", "counterparty_id")
# What stays in memory until the documents are written: the keys, what matching and the lookups read. The
# other columns (texts such as the purpose, the payer, the source file, the row hash) wait in a temporary
# file.
KEPT = tuple(dict.fromkeys(("doc_pk", *DOCUMENTS.names(), *LOOKUP)))
FEW = 64  # keys: fewer than this are looked up in the sorted keys, more by a filter
SORTED_PIECE = 200_000  # matches gathered in their index's order and inserted at a time


class Held:
    """A first load's documents, kind by kind in the order they would have been inserted, each row with the
    key it will be inserted under."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # Each kind's kept columns, and its other columns in temporary files of at most WRITE_BATCH rows each
        # (with how many).
        self.frames: list[tuple[str, pl.DataFrame, list[tuple[IO[bytes], int]]]] = []
        self._next: int | None = None
        self._contracts: dict[str, str | None] | None = None

    def attach(self, known: Known) -> None:
        """Let `known` find a shipment's contract among the held documents: a correction that names its
        shipment but no contract (etl.load.resolve) takes the shipment's."""
        known.held_contract = self.shipment_contract

    def hold(self, kind: str, pieces: Iterable[pl.DataFrame], known: Known) -> None:
        """Keep a kind's new documents (DOCUMENT_COLUMNS), given a piece at a time (one at least, if empty)
        and each let go of once kept, with their keys; the entities after it find them through
        known.docs(kind)."""
        kept: list[pl.DataFrame] = []
        spilled: list[tuple[IO[bytes], int]] = []
        for piece in pieces:
            first = self._reserve(piece.height)
            frame = piece.select(
                pl.int_range(first, first + piece.height, dtype=pl.Int64).alias("doc_pk"), *DOCUMENT_COLUMNS
            )
            del piece
            texts = frame.select(c for c in frame.columns if c not in KEPT)
            for start in range(0, texts.height, WRITE_BATCH):  # read back a batch at a time when written
                # Unlinked at once: the file goes with the process, however it ends.
                spill = tempfile.TemporaryFile()  # noqa: SIM115 (closed in write or close)
                texts.slice(start, WRITE_BATCH).write_ipc(spill)
                spilled.append((spill, min(WRITE_BATCH, texts.height - start)))
            del texts
            kept.append(frame.select(KEPT))
            del frame
        frame = pl.concat(kept)  # one piece at least, if empty
        self.frames.append((kind, frame, spilled))
        self._contracts = None
        known.documents[kind] = HeldIndex(self.conn, kind, frame.select(LOOKUP))

    def _reserve(self, n: int) -> int:
        """The first of n keys the documents table would have given these rows one by one."""
        if self.conn.dialect.name == "postgresql":
            if n == 0:
                return 1
            # The load holds the load lock: nobody else takes documents' keys between the two calls.
            last = self.conn.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('documents', 'doc_pk'), "
                f"nextval(pg_get_serial_sequence('documents', 'doc_pk')) + {int(n)} - 1)"
            ).scalar_one()
            return int(last) - n + 1
        if self._next is None:  # SQLite: the rowid after the largest (the table is empty: 1)
            d = warehouse.documents
            largest = self.conn.execute(select(d.c.doc_pk).order_by(d.c.doc_pk.desc()).limit(1)).scalar()
            self._next = (largest or 0) + 1
        first = self._next
        self._next += n
        return first

    def shipment_contract(self, document_id: str) -> str | None:
        """Known.shipment_contract over the held shipments."""
        if self._contracts is None:
            shipments = [frame for kind, frame, _spilled in self.frames if kind == "shipment"]
            pairs = pl.concat(shipments).select("document_id", "contract_id") if shipments else None
            self._contracts = dict(pairs.iter_rows()) if pairs is not None else {}
        return self._contracts.get(document_id)

    def close(self) -> None:
        """Let go of what is held (a load that failed before `write`)."""
        for _kind, _frame, spilled in self.frames:
            for spill, _rows in spilled:
                spill.close()
        self.frames.clear()

    def write(self, known: Known, progress: Progress | None) -> Matched:
        """Match the held documents, insert the matches, then the documents with their settled state; the
        frames for the rollups."""
        report = progress or (lambda _stage, _done, _total: None)
        report("match", 0, 1)
        conn, d = self.conn, warehouse.documents
        # Every held document in one frame of the held frames' own chunks (no copy); matching leaves out the
        # ones without a counterparty (a filtered copy here held 300 MB more at 1M).
        held = [frame.select(DOCUMENTS.names()) for _kind, frame, _spilled in self.frames]
        matched = pl.concat(held, rechunk=False) if held else pl.DataFrame(schema=DOCUMENTS)
        del held
        a = warehouse.allocations
        allocations = read_frame(conn, select(a.c.payment_id, a.c.shipment_id, a.c.amount), ALLOCATIONS)
        found, state = match_frames(matched, allocations)
        del matched
        # In the order of an index: SQLite builds an index over sorted rows in half the CPU, the debits' the
        # widest. PostgreSQL's slowest build is the text-keyed counterparty btree, and its others are as fast or
        # faster over rows in counterparty order (at 1M, the four besides the primary key 3.2 -> 2.0 s).
        # Gathered a piece at a time by the sorted places: a sorted copy of every match held 75 MB at 1M beside
        # them. The rollups take the matches in any order (they read them unordered from the table).
        order = _matches_order(found, conn.dialect.name == "postgresql")
        with deferred_indexes(conn, warehouse.matches):
            for start in range(0, found.height, SORTED_PIECE):
                insert_frame(conn, warehouse.matches, found.select(MATCH_COLUMNS)[order.slice(start, SORTED_PIECE)])
        del order
        # Every column of the settled state the documents table has (settled_date, ...), placed by key: the
        # held keys are ranges, so a column of every key from the first is sliced and gathered, not joined
        # (a join of 1.8M keys per kind held 100-300 MB more at 1M).
        spans = [
            (int(frame["doc_pk"][0]), int(frame["doc_pk"][-1]))
            for _kind, frame, _spilled in self.frames
            if frame.height
        ]
        base = min((first for first, _last in spans), default=1)
        size = max((last - base + 1 for _first, last in spans), default=0)
        places = state["doc_pk"] - base
        settled = {
            name: pl.repeat(None, size, dtype=state[name].dtype, eager=True).alias(name).scatter(places, state[name])
            for name in state.columns
            if name != "doc_pk" and name in d.c
        }
        del state, places
        # The rollups' documents (every identified one, with its settled state) are taken from each kind's
        # frame as it is written and let go: they and the held frames are never all in memory at once.
        wanted = ROLLUP_DOCUMENTS.names()
        parts = [pl.DataFrame(schema=ROLLUP_DOCUMENTS)]
        while self.frames:
            kind, frame, spilled = self.frames.pop(0)
            offset = int(frame["doc_pk"][0]) - base if frame.height else 0
            start = 0
            for spill, rows in spilled:  # the batches the texts were spilled in
                report(f"write {kind}", start, frame.height)
                batch = frame.slice(start, rows)
                spill.seek(0)
                columns = [column.slice(offset + start, rows) for column in settled.values()]
                insert_frame(conn, d, pl.concat([batch.with_columns(columns), pl.read_ipc(spill)], how="horizontal"))
                spill.close()
                start += rows
            known.documents.pop(kind, None)
            own = frame.select(c for c in wanted if c not in settled).with_columns(
                column.slice(offset, frame.height) for name, column in settled.items() if name in wanted
            )
            parts.append(own.filter(pl.col("counterparty_id").is_not_null()).select(wanted))
            del frame, own
        rollup_documents = pl.concat(parts, rechunk=False)
        self._contracts = None
        frames = (rollup_documents, found.select(ROLLUP_MATCHES.names()))
        return Matched(
            counterparties=rollup_documents["counterparty_id"].n_unique(),
            written=found.height,
            everyone=True,
            frames=frames,
        )


def _matches_order(found: pl.DataFrame, postgresql: bool) -> pl.Series:
    """The places of the matches in the order a first load inserts them (see Held.write): by (debit_pk,
    match_date) on SQLite, by (counterparty_id, debit_pk, match_date) on PostgreSQL. FIFO gives each debit's
    matches in the order of their dates, so a stable sort by the debit (on PostgreSQL first by the
    counterparty's rank among the few distinct ones, in byte order as its "C" collation sorts them, in one
    integer with the debit, a document key under 2**31) keeps them in it. numpy's stable sort of that one
    integer: at 1M polars' sort by two keys peaked 200 MB above the matches (the load's peak), this 34 MB."""
    key = found["debit_pk"].cast(pl.Int64).to_numpy()
    if postgresql and not found.is_empty():
        ids = found["counterparty_id"].unique().sort()
        key = (ids.search_sorted(found["counterparty_id"]).cast(pl.Int64).to_numpy() << 32) + key
    return pl.Series("place", np.argsort(key, kind="stable"))


class HeldIndex(DocIndex):
    """known.docs(kind) over a held frame (LOOKUP's columns) instead of the documents table: (doc_pk, None,
    counterparty_id), the row hash none (see LOOKUP)."""

    def __init__(self, conn: Connection, kind: str, frame: pl.DataFrame) -> None:
        super().__init__(conn, kind, complete=False)
        self.frame = frame
        self._sorted: pl.DataFrame | None = None

    def fetch(self, keys: Iterable[str]) -> None:
        wanted = sorted({k for k in keys if not dict.__contains__(self, k) and k not in self.absent})
        if not wanted:
            return
        if len(wanted) < FEW:  # one row's lookup: a binary search, not a pass over every key
            if self._sorted is None:
                self._sorted = self.frame.sort("document_id")
            ids = self._sorted["document_id"]
            places = ids.search_sorted(pl.Series(wanted, dtype=pl.String), side="left").to_list()
            rows = [
                self._sorted.row(place)
                for key, place in zip(wanted, places, strict=True)
                if place < ids.len() and ids[place] == key
            ]
        else:
            # A filter by membership of the keys wanted: over 1M held keys it peaks 19 MB above them, where
            # a semi join took 42 MB (and more CPU).
            keys = pl.Series(wanted, dtype=pl.String).implode()
            rows = list(self.frame.filter(pl.col("document_id").is_in(keys)).iter_rows())
        for document_id, doc_pk, counterparty_id in rows:
            dict.__setitem__(self, document_id, (doc_pk, None, counterparty_id))
        self.absent.update(k for k in wanted if not dict.__contains__(self, k))
