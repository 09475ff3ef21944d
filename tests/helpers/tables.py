"""Small helpers for tests: source folders written from literals, warehouse checksums, balances."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select, text

import warehouse


def write_files(folder: Path, files: dict[str, str], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content.strip("\n").replace("\n", "\r\n").encode(encoding) + b"\r\n")
    return folder


def table_checksums(engine: Engine, *, ignore_load_ids: bool = False) -> dict[str, str]:
    """A digest of every table's rows (ordered), to compare warehouse states."""
    result = {}
    with engine.connect() as conn:
        for table in warehouse.metadata.sorted_tables:
            columns = [c for c in table.c if not (ignore_load_ids and c.name in ("load_id", "match_id"))]
            if ignore_load_ids and table.name in ("load_runs", "load_files"):
                continue
            rows = conn.execute(select(*columns).order_by(*columns)).all()
            result[table.name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return result


def open_amounts(engine: Engine, as_of: date) -> dict[str, int]:
    """document_id -> open amount of each debit dated on or before as_of (kopecks)."""
    sql = text(
        """
        SELECT d.document_id, d.amount - COALESCE(SUM(m.amount), 0)
        FROM documents d
        LEFT JOIN matches m ON m.debit_pk = d.doc_pk AND m.match_date <= :as_of
        WHERE d.side = 1 AND d.doc_date <= :as_of
        GROUP BY d.doc_pk, d.document_id, d.amount
        """
    )
    with engine.connect() as conn:
        return {r[0]: int(r[1]) for r in conn.execute(sql, {"as_of": as_of})}


def advances(engine: Engine, as_of: date) -> dict[str, int]:
    """document_id -> unmatched amount of each credit dated on or before as_of (kopecks)."""
    sql = text(
        """
        SELECT d.document_id, d.amount - COALESCE(SUM(m.amount), 0)
        FROM documents d
        LEFT JOIN matches m ON m.credit_pk = d.doc_pk AND m.match_date <= :as_of
        WHERE d.side = -1 AND d.doc_date <= :as_of AND d.counterparty_id IS NOT NULL
        GROUP BY d.doc_pk, d.document_id, d.amount
        """
    )
    with engine.connect() as conn:
        return {r[0]: int(r[1]) for r in conn.execute(sql, {"as_of": as_of})}


def due_dates(engine: Engine) -> dict[str, date]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT document_id, due_date FROM documents WHERE side = 1")).all()
    return {r[0]: r[1] if isinstance(r[1], date) else date.fromisoformat(r[1]) for r in rows}
