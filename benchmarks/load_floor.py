"""The load's floor: read a source folder's files with polars and insert every row into bare tables.

    python -m benchmarks.load_floor FOLDER [--db URL]

What no load of the same files can beat on the same database: every table file (CSV; XLSX through
polars' openpyxl engine) read as text columns, a 1C bank statement as one row per payment document (its
key=value lines), each into a table of TEXT columns without keys, indexes or checks, in one transaction:
the driver's executemany on SQLite, COPY on PostgreSQL. No validation, no upsert, no matching, no
rollups. `make bench` (benchmarks/run.py) reports it beside the full load of the same folder; issue 20
asks the full load to stay within 5x of it. Without --db a fresh SQLite file is used and removed.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from etl.columns import entity_of_name

STATEMENT_MARK = b"1CClientBankExchange"


@dataclass(frozen=True)
class Floor:
    seconds: float  # reading and inserting, the database's commit included
    rows: int
    files: int


def _statement(path: Path) -> pl.DataFrame:
    """A 1C statement's payment documents, one row each, a column per key (as text)."""
    text = path.read_bytes().decode("cp1251", errors="replace")
    documents: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if line.startswith("СекцияДокумент"):
            current = {}
        elif line.startswith("КонецДокумента"):
            if current is not None:
                documents.append(current)
            current = None
        elif current is not None and "=" in line:
            key, value = line.split("=", 1)
            current[key] = value
    keys = sorted({key for document in documents for key in document})
    return pl.DataFrame(
        {key: [d.get(key, "") for d in documents] for key in keys}, schema=dict.fromkeys(keys, pl.String)
    )


def _csv(path: Path) -> pl.DataFrame:
    """A CSV file as text columns: UTF-8 or Windows-1251, the delimiter that splits the header most."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
        encoding = "utf8"
    except UnicodeDecodeError:
        encoding = "cp1251"
    header = data.split(b"\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=lambda d: header.count(d.encode()))
    return pl.read_csv(io.BytesIO(data), separator=delimiter, infer_schema=False, encoding=encoding)


def read_frames(folder: Path) -> list[tuple[str, pl.DataFrame]]:
    """Every source file of the folder as (table name, frame of text columns); other files are left out."""
    frames = []
    for index, path in enumerate(sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))):
        with path.open("rb") as handle:
            is_statement = STATEMENT_MARK in handle.read(2048)
        suffix = path.suffix.lower()
        if is_statement:
            frame = _statement(path)
        elif entity_of_name(path.name) is None:
            continue
        elif suffix == ".xlsx":
            frame = pl.read_excel(path, engine="openpyxl", infer_schema_length=0)
        elif suffix in (".csv", ".txt", ".tsv"):
            frame = _csv(path)
        else:
            continue
        frames.append((f"floor_{index}", frame))
    return frames


def _columns(frame: pl.DataFrame) -> list[str]:
    return [f"c{i}" for i in range(frame.width)]


def _insert_sqlite(engine: Engine, frames: list[tuple[str, pl.DataFrame]]) -> None:
    with engine.begin() as conn:
        for name, frame in frames:
            columns = _columns(frame)
            conn.exec_driver_sql(f"CREATE TABLE {name} ({', '.join(c + ' TEXT' for c in columns)})")
            placeholders = ", ".join("?" for _ in columns)
            conn.exec_driver_sql(f"INSERT INTO {name} VALUES ({placeholders})", frame.rows())


def _insert_postgres(engine: Engine, frames: list[tuple[str, pl.DataFrame]]) -> None:
    with engine.begin() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        cursor = driver.cursor()
        try:
            for name, frame in frames:
                columns = _columns(frame)
                cursor.execute(f"CREATE TABLE {name} ({', '.join(c + ' TEXT' for c in columns)})")
                buffer = io.BytesIO()
                frame.write_csv(buffer, include_header=False)
                buffer.seek(0)
                cursor.copy_expert(f"COPY {name} FROM STDIN WITH (FORMAT csv)", buffer)
        finally:
            cursor.close()


def floor(folder: Path, engine: Engine) -> Floor:
    """Read the folder's files and insert them bare into `engine`'s database (fresh tables there, left
    for the caller to drop with the database)."""
    started = time.perf_counter()
    frames = read_frames(folder)
    if engine.dialect.name == "postgresql":
        _insert_postgres(engine, frames)
    else:
        _insert_sqlite(engine, frames)
    return Floor(time.perf_counter() - started, sum(f.height for _, f in frames), len(frames))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--db", default="", help="a fresh database's URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.db or f"sqlite:///{scratch}/floor.db"
        engine = create_engine(url, poolclass=NullPool)
        try:
            result = floor(args.folder, engine)
        finally:
            engine.dispose()
    print(f"floor: {result.rows:,} rows from {result.files} files in {result.seconds:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
