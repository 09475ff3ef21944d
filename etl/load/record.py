"""What a load leaves about itself: its load_runs row, its load_files, the rejects list.

Also the shortcut for files unchanged since the last load: they are hashed, not read again.
"""

from __future__ import annotations

import getpass
import json
import socket
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import Connection, Row, delete, insert, select, update

import warehouse
from etl.load.types import CHUNK, EntityCounts, FileOutcome, LoadResult, Tally
from warehouse.state import note_bank_statement, read_meta, write_meta

# The last load whose files were these, byte for byte: (its id, its counts, its load_files rows).
_LastLoad = tuple[int, dict[str, Any], Sequence[Row]]


def begin(conn: Connection, *, user: str, command: str, company_name: str, company_inn: str) -> tuple[int, str]:
    """(load id, company INN): the run's row, status running; the company as given (the demo names it),
    else as an earlier load kept it."""
    key = conn.execute(
        insert(warehouse.load_runs).values(
            started_at=datetime.now(),
            user_name=user or _user(),
            host=socket.gethostname(),
            command=command,
            status="running",
        )
    ).inserted_primary_key
    if key is None:  # load_id autoincrements: every dialect reports it for a one-row insert
        raise RuntimeError("the new load_runs row has no load_id")
    load_id = int(key[0])
    if company_name:
        write_meta(conn, "company_name", company_name)
        write_meta(conn, "company_inn", company_inn)
    return load_id, company_inn or read_meta(conn, "company_inn") or ""


def unchanged(
    conn: Connection, load_id: int, digests: dict[str, str], company_inn: str, started: float, layouts: str = ""
) -> LoadResult | None:
    """When this load's files are exactly the last load's, byte for byte, read with the same company INN and
    the same column mappings (`layouts`, read.layouts_fingerprint): record it as a load of unchanged files and
    return its result; else None."""
    same = _same_files_as_last_load(conn, digests, company_inn, layouts)
    return None if same is None else _record_unchanged(conn, load_id, same, started)


def documents_loaded(conn: Connection, tally: Tally, entity: str, keys: pl.Series) -> None:
    """A document entity's keys this load brings (`keys`, its document_ids): the earlier rejects of the
    entity under these keys leave the list (write_rejects). Looked up as the entity is written, so the load
    holds no column of every key it brought until its end (1.8M keys held 55 MB at 1M); the rejects table
    holds only earlier loads' rejects until then."""
    if not keys.len():
        return
    r = warehouse.rejects
    candidates = conn.execute(
        select(r.c.reject_id, r.c.record_key).where(r.c.entity == entity, r.c.record_key != "")
    ).all()
    if not candidates:
        return
    found = pl.Series([key for _id, key in candidates], dtype=pl.String).is_in(keys).to_list()
    tally.resolved_reject_ids.update(reject_id for (reject_id, _key), hit in zip(candidates, found, strict=True) if hit)


def write_rejects(conn: Connection, tally: Tally, load_id: int, files_in_load: set[str]) -> None:
    """The rejects list reflects the latest state: a reloaded file's old rejects are replaced, a key
    that loaded clears its old rejects, a retried reference that loaded leaves the list."""
    r = warehouse.rejects
    stale: set[int] = set(tally.resolved_reject_ids)
    loaded = tally.loaded_keys
    for reject_id, file, entity, key in conn.execute(select(r.c.reject_id, r.c.file, r.c.entity, r.c.record_key)):
        if file in files_in_load or (key and key in loaded.get(entity, ())):
            stale.add(reject_id)
    ids = sorted(stale)
    for start in range(0, len(ids), CHUNK):
        conn.execute(delete(r).where(r.c.reject_id.in_(ids[start : start + CHUNK])))
    if tally.rejects:
        conn.execute(
            insert(r),
            [
                {
                    "load_id": load_id,
                    "kind": x.kind,
                    "entity": x.entity,
                    "file": x.file,
                    "line": x.line,
                    "column_name": x.column_name,
                    "value": x.value,
                    "reason": x.reason,
                    "record_key": x.record_key,
                    "raw": x.raw,
                }
                for x in tally.rejects
            ],
        )


def finish(
    conn: Connection,
    load_id: int,
    tally: Tally,
    *,
    matches: int,
    company_inn: str,
    files: int,
    started: float,
    layouts: str = "",
) -> None:
    """The run done: its duration and counts (queries.loads reads them back), then its files."""
    summary = {
        "entities": {entity: c.as_dict() for entity, c in tally.counts.items()},
        "bank_sent": tally.bank_sent,
        "bank_unidentified": tally.bank_unidentified,
        "retried": tally.retried,
        "retried_loaded": tally.retried_loaded,
        "matches": matches,
        "company_inn": company_inn,
        "layouts": layouts,
    }
    if tally.bank_through is not None:
        note_bank_statement(conn, tally.bank_through)
    _done(conn, load_id, time.perf_counter() - started, summary, f"{files} files")
    record_files(conn, load_id, tally.files)


def _done(conn: Connection, load_id: int, seconds: float, summary: dict[str, Any], message: str) -> None:
    """The run's row: done, how long it took, what it counted."""
    conn.execute(
        update(warehouse.load_runs)
        .where(warehouse.load_runs.c.load_id == load_id)
        .values(
            finished_at=datetime.now(),
            status="done",
            duration_ms=int(seconds * 1000),
            counts=json.dumps(summary, ensure_ascii=False),
            message=message,
        )
    )


def record_files(conn: Connection, load_id: int, outcomes: Sequence[FileOutcome]) -> None:
    if outcomes:
        conn.execute(
            insert(warehouse.load_files),
            [
                {
                    "load_id": load_id,
                    "path": f.path,
                    "sha256": f.sha256,
                    "size_bytes": f.size_bytes,
                    "entity": f.entity,
                    "rows_read": f.rows_read,
                    "message": f.message,
                }
                for f in outcomes
            ],
        )


def _same_files_as_last_load(
    conn: Connection, digests: dict[str, str], company_inn: str, layouts: str
) -> _LastLoad | None:
    """(load id, its counts, its files) when this load's files are exactly the last load's, byte for byte,
    read with the same company INN; else None.

    Loading them again would change nothing: the last load left the warehouse as these files make it
    (every key as its last occurrence in them, the rejects they caused, the references still missing
    retried then and missing still). So an unchanged nightly folder costs the hashing, not a re-read.
    """
    runs, files = warehouse.load_runs, warehouse.load_files
    last = conn.execute(
        select(runs.c.load_id, runs.c.counts).where(runs.c.status == "done").order_by(runs.c.load_id.desc()).limit(1)
    ).first()
    if last is None:
        return None
    counts = json.loads(last.counts or "{}")
    if counts.get("company_inn") != company_inn:
        return None  # an older load that did not record it, or another INN: bank statements read differently
    if counts.get("layouts", "") != layouts:
        return None  # headings mapped since: a file refused for its headings may load now
    rows = conn.execute(select(files).where(files.c.load_id == last.load_id).order_by(files.c.path)).all()
    if {r.path: r.sha256 for r in rows} != digests:
        return None
    return int(last.load_id), counts, rows


def _record_unchanged(conn: Connection, load_id: int, same: _LastLoad, started: float) -> LoadResult:
    """Record a load of unchanged files: every row read counts as unchanged (the rejected ones as rejected)."""
    previous_id, previous, rows = same
    counts = {
        entity: EntityCounts(
            read=c["read"], unchanged=c["read"] - c["rejected"], rejected=c["rejected"], warnings=c.get("warnings", 0)
        )
        for entity, c in previous.get("entities", {}).items()
    }
    seconds = time.perf_counter() - started
    summary = {
        "entities": {entity: c.as_dict() for entity, c in counts.items()},
        "bank_sent": previous.get("bank_sent", 0),
        "bank_unidentified": previous.get("bank_unidentified", 0),
        "retried": 0,
        "retried_loaded": 0,
        "matches": 0,
        "company_inn": previous.get("company_inn", ""),
        "layouts": previous.get("layouts", ""),
        "unchanged_since": previous_id,
    }
    _done(conn, load_id, seconds, summary, f"{len(rows)} files, none changed since load {previous_id}")
    outcomes = [FileOutcome(r.path, r.entity, r.sha256, r.size_bytes, r.rows_read, r.message) for r in rows]
    record_files(conn, load_id, outcomes)
    return LoadResult(
        load_id=load_id,
        counts=counts,
        files=outcomes,
        bank_sent=summary["bank_sent"],
        bank_unidentified=summary["bank_unidentified"],
        seconds=seconds,
        unchanged_since=previous_id,
    )


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
