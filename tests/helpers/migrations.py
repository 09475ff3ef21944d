"""Warehouses as older programs left them, and what a migration test compares: the dumps the code before
migrations made (commit e585d7a, tests/data/warehouse_before) restored into an empty database, the rows per
table, and the schema as the database reports it (tests/warehouse/test_migrations.py)."""

from __future__ import annotations

import io
import sqlite3
import warnings

from sqlalchemy import Engine, create_engine, func, inspect, select, text
from sqlalchemy.pool import NullPool

import warehouse
from tests.helpers.paths import DATA
from tests.helpers.tables import existing_columns

DUMPS = DATA / "warehouse_before"


def restore_before(url: str) -> None:
    """The warehouse the code before migrations made, restored from its dump into the empty database at url."""
    if url.startswith("sqlite:///"):
        raw = sqlite3.connect(url.removeprefix("sqlite:///"))
        raw.executescript((DUMPS / "sqlite.sql").read_text(encoding="utf-8"))
        raw.close()
        return
    engine = create_engine(url, poolclass=NullPool)
    raw = engine.raw_connection()
    try:
        with raw.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            _run_pg_dump(cursor, (DUMPS / "postgresql.sql").read_text(encoding="utf-8"))
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def _run_pg_dump(cursor, dump: str) -> None:  # type: ignore[no-untyped-def]
    """psql's part of a plain pg_dump: the statements as they come, each COPY ... FROM stdin with its rows
    up to `\\.`, psql's own meta-commands (\\restrict) skipped."""
    statements: list[str] = []

    def flush() -> None:
        if any(line.strip() and not line.startswith("--") for line in statements):
            cursor.execute("".join(statements))
        statements.clear()

    lines = iter(dump.splitlines(keepends=True))
    for line in lines:
        if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
            flush()
            rows = []
            for row in lines:
                if row.rstrip("\n") == "\\.":
                    break
                rows.append(row)
            cursor.copy_expert(line.rstrip().removesuffix(";"), io.StringIO("".join(rows)))
        elif not line.startswith("\\"):
            statements.append(line)
    flush()


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table the warehouse has (an older one lacks the tables later revisions add)."""
    present = existing_columns(engine)
    with engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in warehouse.metadata.sorted_tables
            if table.name in present
        }


def schema_of(engine: Engine) -> dict[str, object]:
    """Tables, columns (types, nullability, defaults), keys and indexes as the database reports them, and
    the DDL it keeps for them (SQLite's sqlite_master, PostgreSQL's index definitions) but Alembic's."""
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLAlchemy cannot reflect SQLite's expression index (ix_documents_open_span) and says so, with its
        # indexes and its unique constraints: sqlite_master's DDL below holds it.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        inspector = inspect(conn)
        tables: dict[str, object] = {}
        for name in sorted(inspector.get_table_names()):
            tables[name] = {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"], c.get("default")) for c in inspector.get_columns(name)
                ],
                "primary key": inspector.get_pk_constraint(name)["constrained_columns"],
                "unique": sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(name)),
                "indexes": sorted(
                    (i["name"], tuple(map(str, i["column_names"])), tuple(i.get("expressions") or ()), i["unique"])
                    for i in inspector.get_indexes(name)
                ),
            }
        if engine.dialect.name == "sqlite":
            ddl = "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite%' AND name NOT LIKE 'alembic%'"
        else:
            ddl = "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            ddl += " AND indexname NOT LIKE 'alembic%'"
        # White space folded: SQLite keeps an added column's DDL as ALTER TABLE wrote it (", name TEXT ...")
        # where CREATE TABLE writes ",\n\tname TEXT ...".
        tables["(ddl)"] = sorted(
            (kind, name, " ".join((sql or "").split())) for kind, name, sql in conn.execute(text(ddl))
        )
    return tables
