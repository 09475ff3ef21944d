"""Many rows in or updated inside the caller's transaction, without per-row SQLAlchemy processing."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, Date, Executable, MetaData, Table

from warehouse.shadow import shadowed


def _copy_text(value: object) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def bulk_insert(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Insert many rows inside the caller's transaction, bypassing per-row SQLAlchemy processing.

    PostgreSQL: COPY FROM STDIN (one round trip). SQLite: the driver's executemany, with dates as ISO
    text, which is how SQLAlchemy's Date type stores them there.
    """
    if not rows:
        return
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_copy_text(v) for v in row))
            buffer.write("\n")
        buffer.seek(0)
        driver = conn.connection.driver_connection  # psycopg2's own connection: COPY is beyond the DB-API
        if driver is None:
            raise RuntimeError("bulk_insert needs an open connection")
        cursor = driver.cursor()
        try:
            cursor.copy_expert(f"COPY {table.name} ({names}) FROM STDIN", buffer)
        finally:
            cursor.close()
        return
    date_positions = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, Date)]
    if date_positions:
        converted = []
        for row in rows:
            values = list(row)
            for i in date_positions:
                value = values[i]
                if isinstance(value, date):
                    values[i] = value.isoformat()
            converted.append(tuple(values))
        rows = converted
    placeholders = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({placeholders})", list(rows))


def _first(row: Sequence[Any]) -> Any:
    return row[0]


def bulk_update(
    conn: Connection, table: Table, key: str, columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """Set `columns` of many rows found by `key` (each row: key value, then the column values).

    PostgreSQL: COPY into a temporary table, then one UPDATE ... FROM. SQLite: executemany by key.
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        # One staging table per set of columns: a later update of other columns in the same transaction
        # must not find this one under its name.
        staging = f"tmp_update_{table.name}_{hashlib.blake2b(','.join(columns).encode(), digest_size=4).hexdigest()}"
        definitions = ", ".join(
            f"{name} {table.c[name].type.compile(dialect=conn.dialect)}" for name in (key, *columns)
        )
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ({definitions}) ON COMMIT DROP")
        conn.exec_driver_sql(f"TRUNCATE {staging}")
        staging_table = Table(staging, MetaData(), *(Column(n, table.c[n].type) for n in (key, *columns)))
        bulk_insert(conn, staging_table, (key, *columns), rows)
        assignments = ", ".join(f"{name} = s.{name}" for name in columns)
        conn.exec_driver_sql(f"UPDATE {table.name} AS t SET {assignments} FROM {staging} AS s WHERE t.{key} = s.{key}")
        return
    date_positions = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, Date)]
    assignments = ", ".join(f"{name} = ?" for name in columns)
    parameters = []
    # In key order: SQLite then walks the table's B-tree forwards instead of jumping about it (half the
    # time for 150,000 settled dates). The sort is stable: of two rows for one key, the last still wins.
    for row in sorted(rows, key=_first):
        values = list(row[1:])
        for i in date_positions:
            value = values[i]
            if isinstance(value, date):
                values[i] = value.isoformat()
        parameters.append((*values, row[0]))
    conn.exec_driver_sql(f"UPDATE {table.name} SET {assignments} WHERE {key} = ?", parameters)


def raw_rows(conn: Connection, query: Executable, date_positions: Sequence[int] = ()) -> list[tuple[Any, ...]]:
    """A query's rows as plain tuples straight from the DBAPI cursor, without SQLAlchemy's Row objects and
    per-value processing. SQLite hands dates over as ISO text: the columns at `date_positions` are made
    dates, each distinct text parsed once (a few thousand days among a million rows)."""
    result = conn.execute(query)
    try:
        rows: list[tuple[Any, ...]] = list(result.cursor.fetchall()) if result.cursor is not None else []
    finally:
        result.close()
    if conn.dialect.name != "sqlite" or not rows or not date_positions:
        return rows
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    days: dict[str, date] = {}
    for i in date_positions:
        for text in set(columns[i]):
            if text is not None and text not in days:
                days[text] = date.fromisoformat(text)
        columns[i] = [None if text is None else days[text] for text in columns[i]]
    return list(zip(*columns, strict=True))


@contextmanager
def deferred_indexes(conn: Connection, table: Table, when: bool = True) -> Iterator[None]:
    """Inside the caller's transaction: the table's rows written in the block without its indexes, which are
    made once over them after it. Many rows written into a table with its indexes in place cost a B-tree
    seek per row and index; an index made once over the rows sorts them (a fresh 100k load: 1.5 s of CPU
    inserting documents becomes 1.2 s, matches and rollups alike).

    SQLite: the table's secondary indexes are dropped for the block and created again after it, from their
    own definitions; readers in other connections see the last commit throughout (WAL). PostgreSQL: dropping
    an index would lock the table against every reader until the load commits, so within a first load
    (warehouse.shadow.shadowing) an empty table's rows go into a shadow of it, given its indexes at the
    block's end and swapped in as the load commits; otherwise the table keeps its indexes. An error inside
    the block leaves everything to the transaction's rollback."""
    if not when:
        yield
        return
    if conn.dialect.name == "postgresql":
        with shadowed(conn, table.name):
            yield
        return
    if conn.dialect.name != "sqlite":
        yield
        return
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table.name,),
    ).all()
    for name, _sql in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)
