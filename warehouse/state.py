"""The warehouse's own state: the meta table (schema version, company) and its version (the last load)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, delete, select, text

from warehouse.schema import meta


def read_meta(conn: Connection, key: str) -> str | None:
    """A value of the meta table (schema_version, company_name, company_inn), None when unset."""
    return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


def write_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(meta).where(meta.c.key == key))
    conn.execute(meta.insert().values(key=key, value=value))


BANK_THROUGH = "bank_statement_through"  # the last day a loaded bank statement covers (ISO date)


def bank_statement_through(conn: Connection) -> date | None:
    """The last day the bank statements loaded so far cover (their ДатаКонца), None when none was loaded."""
    value = read_meta(conn, BANK_THROUGH)
    return date.fromisoformat(value) if value else None


def note_bank_statement(conn: Connection, through: date) -> None:
    """A load read a statement covering up to `through`: keep the latest such day."""
    known = bank_statement_through(conn)
    if known is None or through > known:
        write_meta(conn, BANK_THROUGH, through.isoformat())


def warehouse_version(conn: Connection) -> int:
    """The id of the last load: caches keyed by it show a new load at once."""
    value = conn.execute(text("SELECT MAX(load_id) FROM load_runs")).scalar()
    return int(value or 0)
