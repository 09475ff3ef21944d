"""Frames in and out of the warehouse in bulk, a column at a time where the driver allows it: the matching
stage and the rollups read millions of rows and write as many.

Reading goes through the DBAPI cursor in batches, each made a typed frame at once, so the rows never
exist all together as Python tuples (1.7M documents as tuples are about 1 GB). Writing: PostgreSQL's COPY
of polars' CSV (no per-value Python); SQLite's executemany of the frame's rows, dates as ISO text made
by polars. An update is COPY or executemany into a temporary table, then one UPDATE ... FROM.
"""

from __future__ import annotations

import io

import polars as pl
from sqlalchemy import Connection, Executable, Table

BATCH = 200_000  # rows fetched at a time


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
    """PostgreSQL: COPY the frame's rows into `table` (its columns named as the table's) as CSV, every
    text quoted so that an empty text stays apart from NULL."""
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="\\N", quote_style="non_numeric", date_format="%Y-%m-%d")
    buffer.seek(0)
    driver = conn.connection.driver_connection  # psycopg2's own connection: COPY is beyond the DB-API
    if driver is None:
        raise RuntimeError("COPY needs an open connection")
    cursor = driver.cursor()
    try:
        names = ", ".join(frame.columns)
        cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
    finally:
        cursor.close()


def _as_text_dates(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(pl.Date).dt.strftime("%Y-%m-%d"))


def insert_frame(conn: Connection, table: Table, frame: pl.DataFrame) -> None:
    """Insert the frame's rows (columns named as the table's) inside the caller's transaction."""
    if frame.is_empty():
        return
    if conn.dialect.name == "postgresql":
        _copy(conn, table.name, frame)
        return
    names = ", ".join(frame.columns)
    placeholders = ", ".join("?" for _ in frame.columns)
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({placeholders})"
    for start in range(0, frame.height, BATCH):  # the rows as tuples a batch at a time
        conn.exec_driver_sql(sql, _as_text_dates(frame.slice(start, BATCH)).rows())


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
