"""Frames in and out of the warehouse in bulk, a column at a time where the driver allows it: the matching
stage and the rollups read millions of rows and write as many.

Reading goes through the DBAPI cursor in batches, each made a typed frame at once, so the rows never
exist all together as Python tuples (1.7M documents as tuples are about 1 GB). Writing: PostgreSQL's binary
COPY (warehouse.pg_binary_copy: the server parses it in half the time of CSV, 1.8M documents 2.4 s against
5.0 s), CSV made by polars only for a column type the encoder does not know; SQLite's executemany of
multi-row INSERTs (ROWS_PER_STATEMENT rows each), dates as ISO text made by polars. An update is COPY or
executemany into a temporary table, then one UPDATE ... FROM.
"""

from __future__ import annotations

import io

import polars as pl
from sqlalchemy import Connection, Executable, Table

from warehouse.shadow import is_shadow

BATCH = 200_000  # rows fetched (or written) at a time
# SQLite: rows per INSERT statement. A statement per row costs its step, reset and bookkeeping per row,
# most of the time of writing narrow rows: 1.7M matches took 4.5 s of CPU one row a statement, 1.3 s a
# hundred (plus 1.2 s of Python making the parameters either way).
ROWS_PER_STATEMENT = 100


def read_frame(conn: Connection, query: Executable, schema: pl.Schema, batch: int = BATCH) -> pl.DataFrame:
    """A query's rows as a typed frame (warehouse.frames.frame), fetched `batch` rows at a time."""
    sqlite = conn.dialect.name == "sqlite"
    dates = [name for name, dtype in schema.items() if dtype == pl.Date] if sqlite else []
    raw = pl.Schema({name: (pl.String if name in dates else dtype) for name, dtype in schema.items()})
    parts: list[pl.DataFrame] = []
    result = conn.execute(query)
    try:
        cursor = result.cursor
        while cursor is not None:
            rows = cursor.fetchmany(batch)
            if not rows:
                break
            part = pl.DataFrame(rows, schema=raw, orient="row")
            parts.append(part.with_columns(pl.col(name).str.to_date("%Y-%m-%d") for name in dates))
    finally:
        result.close()
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def _copy(conn: Connection, table: str, frame: pl.DataFrame) -> None:
    """PostgreSQL: COPY the frame's rows into `table` (its columns named as the table's) in the binary
    format, encoded a batch at a time as the driver sends it; as CSV when a column's type is not one the
    encoder knows."""
    from warehouse import pg_binary_copy  # numba's import (about 0.5 s) only where PostgreSQL is written

    driver = conn.connection.driver_connection  # psycopg2's own connection: COPY is beyond the DB-API
    if driver is None:
        raise RuntimeError("COPY needs an open connection")
    types = pg_binary_copy.plan(pg_binary_copy.column_types(conn, table), frame)
    names = ", ".join(frame.columns)
    # A first load's shadow (warehouse.shadow), made in this transaction: its rows go in frozen, its pages
    # all-visible and all-frozen as they fill, as the VACUUM after the load would make them (index-only
    # scans read no heap page: Heap Fetches 0), and that VACUUM finds nothing left to do.
    freeze = ", FREEZE" if is_shadow(conn, table) else ""
    cursor = driver.cursor()
    try:
        if types is not None:
            stream = pg_binary_copy.Stream(pg_binary_copy.encode(frame, types))
            cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT binary{freeze})", stream)
        else:
            sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N'{freeze})"
            cursor.copy_expert(sql, _csv(frame))
    finally:
        cursor.close()


def _csv(frame: pl.DataFrame) -> io.BytesIO:
    """The frame as COPY's CSV, every text quoted so that an empty text stays apart from NULL."""
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="\\N", quote_style="non_numeric", date_format="%Y-%m-%d")
    buffer.seek(0)
    return buffer


def _as_text_dates(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(pl.Date).dt.strftime("%Y-%m-%d"))


def insert_frame(conn: Connection, table: Table, frame: pl.DataFrame) -> None:
    """Insert the frame's rows (columns named as the table's) inside the caller's transaction."""
    if frame.is_empty():
        return
    if conn.dialect.name == "postgresql":
        _copy(conn, table.name, frame)
        return
    for start in range(0, frame.height, BATCH):  # the rows' values in Python a batch at a time
        _insert_sqlite(conn, table.name, _as_text_dates(frame.slice(start, BATCH)))


def _literal(column: pl.Series) -> str | None:
    """SQLite: the column's one value throughout as a literal (NULL, a whole number, a text), else None."""
    if column.len() < 2:
        return None
    if column.null_count() == column.len():
        return "NULL"
    if column.null_count() or not (column == column[0]).all():
        return None
    value = column[0]
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return None


def _insert_sqlite(conn: Connection, table: str, frame: pl.DataFrame, rows: int = ROWS_PER_STATEMENT) -> None:
    """SQLite: the frame's rows (dates as text already) as INSERTs of `rows` rows each. A column with one
    value throughout (a document's kind, its load, its file) goes into the statement as a literal: only
    the others are bound."""
    literals = {name: literal for name in frame.columns if (literal := _literal(frame[name])) is not None}
    bound = [name for name in frame.columns if name not in literals]
    row = "(" + ", ".join(literals.get(name, "?") for name in frame.columns) + ")"
    head = f"INSERT INTO {table} ({', '.join(frame.columns)}) VALUES "
    width = len(bound)
    values: list[object] = [None] * (width * frame.height)  # row by row, as the statement binds them
    for place, name in enumerate(bound):
        values[place::width] = frame[name].to_list()
    whole = frame.height - frame.height % rows  # rows in statements of `rows` rows; then one of the rest
    step = width * rows
    if whole:
        sql = head + ", ".join([row] * rows)
        conn.exec_driver_sql(
            sql,
            [tuple(values[at : at + step]) for at in range(0, whole * width, step)]
            if width
            else [()] * (whole // rows),
        )
    if frame.height > whole:
        conn.exec_driver_sql(head + ", ".join([row] * (frame.height - whole)), [tuple(values[whole * width :])])


def update_frame(conn: Connection, table: Table, key: str, frame: pl.DataFrame) -> None:
    """Set the frame's other columns on the rows of `table` found by `key` (unique in the frame)."""
    if frame.is_empty():
        return
    columns = [name for name in frame.columns if name != key]
    staging = f"tmp_frame_{table.name}_{'_'.join(columns)}"
    definitions = ", ".join(f"{name} {table.c[name].type.compile(dialect=conn.dialect)}" for name in frame.columns)
    assignments = ", ".join(f"{name} = s.{name}" for name in columns)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ({definitions}) ON COMMIT DROP")
        conn.exec_driver_sql(f"TRUNCATE {staging}")
        _copy(conn, staging, frame)
        conn.exec_driver_sql(f"UPDATE {table.name} AS t SET {assignments} FROM {staging} AS s WHERE t.{key} = s.{key}")
        return
    # SQLite: in key order, so that the UPDATE walks the table's B-tree forwards.
    conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {staging} ({definitions}, PRIMARY KEY ({key}))")
    try:
        names = ", ".join(frame.columns)
        placeholders = ", ".join("?" for _ in frame.columns)
        ordered = frame.sort(key)
        for start in range(0, ordered.height, BATCH):
            rows = _as_text_dates(ordered.slice(start, BATCH)).rows()
            conn.exec_driver_sql(f"INSERT INTO {staging} ({names}) VALUES ({placeholders})", rows)
        conn.exec_driver_sql(
            f"UPDATE {table.name} SET {assignments} FROM {staging} AS s WHERE {table.name}.{key} = s.{key}"
        )
    finally:
        conn.exec_driver_sql(f"DROP TABLE temp.{staging}")
