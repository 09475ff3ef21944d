"""What a warehouse holds, read back in plain SQL and Python, apart from the queries under test: digests
of every table to compare warehouse states, and the open amount, advance and due date of each document."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import DateTime, Engine, inspect, select, text

import warehouse
from warehouse.engine import make_engine

# Columns two warehouses given the same loads may hold differently: surrogate keys (PostgreSQL's
# sequences are not transactional, so a killed load still uses up ids) and when a load ran. Document
# keys (doc_pk, debit_pk, credit_pk) are compared as the (kind, document_id) they stand for.
SURROGATE = {"load_id", "match_id", "reject_id", "audit_id", "duration_ms"}
DOCUMENT_REFS = {"doc_pk", "debit_pk", "credit_pk"}


def existing_columns(engine: Engine) -> dict[str, set[str]]:
    """The tables and columns the database has: a warehouse of an older revision lacks some of schema.py's."""
    inspector = inspect(engine)
    return {name: {c["name"] for c in inspector.get_columns(name)} for name in inspector.get_table_names()}


def table_checksums(
    engine: Engine, *, ignore_load_ids: bool = False, only: dict[str, set[str]] | None = None
) -> dict[str, str]:
    """A digest of every table's rows (ordered), to compare warehouse states; `only`: the tables and columns
    to digest (existing_columns of an older warehouse, to compare it before and after an upgrade)."""
    result = {}
    with engine.connect() as conn:
        for table in warehouse.metadata.sorted_tables:
            if only is not None and table.name not in only:
                continue
            columns = [
                c
                for c in table.c
                if not (ignore_load_ids and c.name in ("load_id", "match_id"))
                and (only is None or c.name in only[table.name])
            ]
            if ignore_load_ids and table.name in ("load_runs", "load_files"):
                continue
            rows = conn.execute(select(*columns).order_by(*columns)).all()
            result[table.name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return result


# Derived answers a command may or may not have computed (`receivables load` does, load_paths does not): the
# same data either way, so two warehouses with the same loads are compared without them.
CACHES = {"answers"}


def business_checksums(url: str) -> dict[str, str]:
    """Every table's rows hashed without what must differ between two warehouses that got the same
    loads: surrogate keys (documents are referred to by kind and document_id) and the times loads ran."""
    engine = make_engine(url, pooled=False)
    result = {}
    try:
        with engine.connect() as conn:
            d = warehouse.documents
            keys = {
                pk: (kind, document_id)
                for pk, kind, document_id in conn.execute(select(d.c.doc_pk, d.c.kind, d.c.document_id))
            }
            for table in warehouse.metadata.sorted_tables:
                if table.name in CACHES:
                    continue
                columns = [c for c in table.c if c.name not in SURROGATE and not isinstance(c.type, DateTime)]
                refs = [i for i, c in enumerate(columns) if c.name in DOCUMENT_REFS]
                rows = []
                for row in conn.execute(select(*columns)):
                    values = list(row)
                    for i in refs:
                        values[i] = keys.get(values[i], ("missing", values[i]))
                    rows.append(repr(values))
                result[table.name] = hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()
    finally:
        engine.dispose()
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
