"""The load history: when each load ran, who ran it, which files it read and what it did with their rows.

Read from load_runs (one row per committed load; a failed load rolls back and leaves no row) and
load_files (one row per file a load saw). The per-entity counts are the JSON the loader wrote into
load_runs.counts: {"entities": {entity: {read, new, updated, unchanged, deleted, rejected}}, "matches": ...};
it is parsed here, in Python, because load_runs is small and JSON functions differ between dialects.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

import polars as pl
from sqlalchemy import Connection, case, func, select

import warehouse
from domain.entities import BANK_PAYMENTS, LOAD_ORDER

COUNT_FIELDS = ("read", "new", "updated", "unchanged", "deleted", "rejected")
# Bank statements are counted apart from the payments they feed (their own problems, their own reads).
ENTITY_ORDER = (*LOAD_ORDER, BANK_PAYMENTS)

LOAD_HISTORY_SCHEMA = pl.Schema(
    {
        "load_id": pl.Int64(),
        "started_at": pl.Datetime("us"),
        "finished_at": pl.Datetime("us"),
        "duration_ms": pl.Int64(),
        "user_name": pl.String(),
        "host": pl.String(),
        "command": pl.String(),
        "status": pl.String(),
        "files": pl.Int64(),
        "refused_files": pl.Int64(),
        "size_bytes": pl.Int64(),
        **dict.fromkeys(COUNT_FIELDS, pl.Int64()),
        "matches": pl.Int64(),
        "bank_unidentified": pl.Int64(),
        "message": pl.String(),
    }
)

LOAD_COUNTS_SCHEMA = pl.Schema({"load_id": pl.Int64, "entity": pl.String, **dict.fromkeys(COUNT_FIELDS, pl.Int64)})

LOADED_FILES_SCHEMA = pl.Schema(
    {
        "load_id": pl.Int64,
        "name": pl.String,
        "entity": pl.String,
        "size_bytes": pl.Int64,
        "rows_read": pl.Int64,
        "message": pl.String,
        "path": pl.String,
        "sha256": pl.String,
    }
)


def _parsed_counts(text: str | None) -> dict[str, Any]:
    """load_runs.counts as a dict; an unreadable value counts as empty rather than hiding the load."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _entity_counts(counts: dict[str, Any]) -> list[tuple[str, dict[str, int]]]:
    entities = counts.get("entities")
    if not isinstance(entities, dict):
        return []
    rank = {name: index for index, name in enumerate(ENTITY_ORDER)}
    ordered = sorted(entities, key=lambda name: (rank.get(name, len(rank)), name))
    return [
        (name, {field: _as_int(entities[name].get(field)) for field in COUNT_FIELDS})
        for name in ordered
        if isinstance(entities[name], dict)
    ]


def _as_int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def load_history(conn: Connection, *, limit: int | None = None) -> pl.DataFrame:
    """One row per load, newest first: timing, who and where, its files (how many, how many refused, total
    size), the rows it read, added, changed, left unchanged, deleted and rejected (summed over entities),
    the matches it wrote and the bank payments it could not attribute to a counterparty."""
    runs, files = warehouse.load_runs, warehouse.load_files
    per_load = (
        select(
            files.c.load_id,
            func.count().label("files"),
            func.sum(case((files.c.entity == "refused", 1), else_=0)).label("refused_files"),
            func.sum(files.c.size_bytes).label("size_bytes"),
        )
        .group_by(files.c.load_id)
        .subquery()
    )
    query = (
        select(
            runs.c.load_id,
            runs.c.started_at,
            runs.c.finished_at,
            runs.c.duration_ms,
            runs.c.user_name,
            runs.c.host,
            runs.c.command,
            runs.c.status,
            runs.c.counts,
            runs.c.message,
            func.coalesce(per_load.c.files, 0),
            func.coalesce(per_load.c.refused_files, 0),
            func.coalesce(per_load.c.size_bytes, 0),
        )
        .select_from(runs.outerjoin(per_load, per_load.c.load_id == runs.c.load_id))
        .order_by(runs.c.load_id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    rows = []
    for (
        load_id,
        started_at,
        finished_at,
        duration_ms,
        user_name,
        host,
        command,
        status,
        counts_text,
        message,
        file_count,
        refused,
        size,
    ) in conn.execute(query):
        counts = _parsed_counts(counts_text)
        totals = dict.fromkeys(COUNT_FIELDS, 0)
        for _entity, values in _entity_counts(counts):
            for field in COUNT_FIELDS:
                totals[field] += values[field]
        rows.append(
            (
                int(load_id),
                started_at,
                finished_at,
                None if duration_ms is None else int(duration_ms),
                user_name,
                host,
                command,
                status,
                int(file_count),
                int(refused),
                int(size),
                *(totals[field] for field in COUNT_FIELDS),
                _as_int(counts.get("matches", 0)),
                _as_int(counts.get("bank_unidentified", 0)),
                message,
            )
        )
    return pl.DataFrame(rows, schema=LOAD_HISTORY_SCHEMA, orient="row")


def load_counts(conn: Connection, *, load_id: int | None = None) -> pl.DataFrame:
    """Per load and entity, what happened to the rows (the loader's summary), newest load first, entities in
    load order. `load_id` narrows to one load."""
    runs = warehouse.load_runs
    query = select(runs.c.load_id, runs.c.counts).order_by(runs.c.load_id.desc())
    if load_id is not None:
        query = query.where(runs.c.load_id == load_id)
    rows = [
        (int(run_id), entity, *(values[field] for field in COUNT_FIELDS))
        for run_id, counts_text in conn.execute(query)
        for entity, values in _entity_counts(_parsed_counts(counts_text))
    ]
    return pl.DataFrame(rows, schema=LOAD_COUNTS_SCHEMA, orient="row")


def loaded_files(conn: Connection, *, load_id: int | None = None) -> pl.DataFrame:
    """The files each load saw, newest load first, by path: the file name, what it held (an entity,
    "bank_statement", or "skipped" / "refused" with the reason in `message`), its size and rows read."""
    files = warehouse.load_files
    query = select(
        files.c.load_id,
        files.c.path,
        files.c.entity,
        files.c.size_bytes,
        files.c.rows_read,
        files.c.message,
        files.c.sha256,
    ).order_by(files.c.load_id.desc(), files.c.path)
    if load_id is not None:
        query = query.where(files.c.load_id == load_id)
    rows = [
        (int(run_id), PurePath(path).name or path, entity, int(size), int(rows_read), message, path, sha256)
        for run_id, path, entity, size, rows_read, message, sha256 in conn.execute(query)
    ]
    return pl.DataFrame(rows, schema=LOADED_FILES_SCHEMA, orient="row")
