"""Answers computed ahead of the first visitor (the `answers` table, revision 0003).

A query's answer is stored under the query's name and its parameters (hashed from their repr: dates,
strings, tuples and frozen dataclasses, whose repr is the same in every process), with the warehouse
version it was computed at. It is read only at that version: the next load makes it stale, and the
next write of the same name and parameters replaces it. Only polars frames are stored, as Arrow IPC (no
pickle: the warehouse is data, not code).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import Connection, and_, delete, func, insert, select, update

from warehouse.schema import answers, load_runs


def params_key(params: Mapping[str, Any]) -> str:
    """The parameters, by name, as one stable key."""
    return hashlib.sha256(repr(tuple(sorted(params.items()))).encode()).hexdigest()


def store(conn: Connection, name: str, params: Mapping[str, Any], version: int, frame: pl.DataFrame) -> None:
    """Keep `frame` as the answer of `name` with `params` at `version` (replacing an older one)."""
    buffer = io.BytesIO()
    frame.write_ipc(buffer, compression="zstd")
    key = params_key(params)
    conn.execute(delete(answers).where(and_(answers.c.name == name, answers.c.params_key == key)))
    conn.execute(
        insert(answers).values(
            name=name, params_key=key, version=version, payload=buffer.getvalue(), computed_at=datetime.now()
        )
    )


def has(conn: Connection, name: str, params: Mapping[str, Any], version: int) -> bool:
    """Whether an answer of `name` with `params` is stored at `version` (without reading it)."""
    key = params_key(params)
    found = conn.execute(
        select(answers.c.name).where(answers.c.name == name, answers.c.params_key == key, answers.c.version == version)
    ).first()
    return found is not None


def fetch(conn: Connection, name: str, params: Mapping[str, Any], version: int) -> pl.DataFrame | None:
    """The stored answer of `name` with `params`, if it was computed at `version`; None otherwise."""
    payload = conn.execute(
        select(answers.c.payload).where(
            answers.c.name == name, answers.c.params_key == params_key(params), answers.c.version == version
        )
    ).scalar()
    return None if payload is None else pl.read_ipc(io.BytesIO(payload))


def carry_over(conn: Connection, version: int) -> int:
    """A load that changed nothing (every file as before) still got a version of its own: the answers of the
    version before it hold for it too. Returns how many were carried."""
    previous = conn.execute(select(func.max(load_runs.c.load_id)).where(load_runs.c.load_id < version)).scalar()
    if previous is None:
        return 0
    done = conn.execute(update(answers).where(answers.c.version == previous).values(version=version))
    return int(done.rowcount or 0)


def forget_older(conn: Connection, version: int) -> None:
    """Drop the answers of earlier versions: nothing reads them again."""
    conn.execute(delete(answers).where(answers.c.version < version))
