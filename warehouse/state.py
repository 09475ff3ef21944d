"""The warehouse's own state: the meta table (schema version, company) and its version (the last load)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, select, text

from warehouse.schema import meta


def read_meta(conn: Connection, key: str) -> str | None:
    """A value of the meta table (schema_version, company_name, company_inn), None when unset."""
    return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


def write_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(meta).where(meta.c.key == key))
    conn.execute(meta.insert().values(key=key, value=value))


def warehouse_version(conn: Connection) -> int:
    """The id of the last load: caches keyed by it show a new load at once."""
    value = conn.execute(text("SELECT MAX(load_id) FROM load_runs")).scalar()
    return int(value or 0)
