"""warehouse.pg_binary_copy through warehouse.rollups.frame_io on PostgreSQL: frames written by binary COPY
come back exactly as they were (empty text apart from NULL, texts CSV would have to quote or escape, non-ASCII
text, each integer type's extremes, dates far from 2000 either way, frame columns wider or narrower than the
table's), a value out of the column's range raises instead of wrapping, the statement is binary COPY, a type
the encoder does not know goes as CSV, and a load writes every table in binary."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from psycopg2.errors import StringDataRightTruncation  # type: ignore[import-untyped]
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    Engine,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    event,
    select,
    text,
)

from etl.load import load_paths, run
from tests.helpers.ledgers import source
from warehouse import pg_binary_copy
from warehouse.rollups import frame_io
from warehouse.rollups.frame_io import insert_frame, update_frame

pytestmark = pytest.mark.postgres

TYPED = Table(
    "binary_scratch",
    MetaData(),
    Column("key", Integer, primary_key=True),
    Column("tiny", SmallInteger),
    Column("whole", Integer),
    Column("big", BigInteger),
    Column("day", Date),
    Column("label", String(16)),
    Column("note", Text),
    Column("flag", Boolean),
)
# The frame's integers are Int64 throughout (as the load's are) except `big`, narrower than its column.
SCHEMA = pl.Schema(
    {
        "key": pl.Int64,
        "tiny": pl.Int64,
        "whole": pl.Int64,
        "big": pl.Int16,
        "day": pl.Date,
        "label": pl.String,
        "note": pl.String,
        "flag": pl.Boolean,
    }
)
ROWS = [
    (1, 0, 0, 0, date(2000, 1, 1), "", "", False),
    (2, None, None, None, None, None, None, None),
    (3, -32_768, -(2**31), -32_768, date(1, 1, 1), "Ромашка", "ООО «Ромашка»\tИНН 7707083893", True),
    (4, 32_767, 2**31 - 1, 32_767, date(9999, 12, 31), 'a "b", c\'d', "tab\there\nline\r\nend", None),
    (5, -1, -1, -1, date(1999, 12, 31), "\\N", "\\", True),
    (6, 1, 1, 1, date(2000, 1, 2), "\\.", "日本語 ✓ 🙂", False),
    (7, 255, 65_536, 256, date(1582, 10, 4), " ", '\\\\N,""', None),
    (8, None, 7, None, date(1969, 12, 31), "x" * 16, "", True),
]


def _all(engine: Engine, table: Table = TYPED) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(table).order_by(table.c.key))]


def test_every_kind_of_value_goes_in_and_comes_back_as_it_was(
    postgresql: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pg_binary_copy, "PIECE", 100)  # batches of a row or two (about 70 bytes a row)
    TYPED.create(postgresql)
    with postgresql.begin() as conn:
        insert_frame(conn, TYPED, pl.DataFrame(ROWS, schema=SCHEMA, orient="row"))
    assert _all(postgresql) == ROWS


def test_a_frame_of_numbers_and_dates_only_goes_in(postgresql: Engine) -> None:
    TYPED.create(postgresql)
    frame = pl.DataFrame(
        {"key": [1, 2], "day": [date(2000, 1, 1), None], "tiny": [None, -5]},
        schema={"key": pl.UInt8, "day": pl.Date, "tiny": pl.Int32},
    )
    with postgresql.begin() as conn:
        insert_frame(conn, TYPED, frame)
    assert _all(postgresql) == [
        (1, None, None, None, date(2000, 1, 1), None, None, None),
        (2, -5, None, None, None, None, None, None),
    ]


def test_the_statement_is_a_binary_copy(postgresql: Engine) -> None:
    """The server's own record of the load's connection's last statement: binary COPY, not CSV."""
    TYPED.create(postgresql)
    with postgresql.begin() as conn:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        insert_frame(conn, TYPED, pl.DataFrame(ROWS, schema=SCHEMA, orient="row"))
        with postgresql.connect() as other:
            last = other.execute(text("SELECT query FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}).scalar()
    assert last is not None
    assert last.startswith("COPY binary_scratch (")
    assert last.endswith("FROM STDIN WITH (FORMAT binary)")


def test_an_update_goes_through_a_binary_staging_table(postgresql: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    TYPED.create(postgresql)
    statements: list[str] = []
    copy = pg_binary_copy.column_types

    def types(conn: object, table: str) -> dict[str, int]:
        statements.append(table)
        return copy(conn, table)  # type: ignore[arg-type]

    with postgresql.begin() as conn:
        insert_frame(conn, TYPED, pl.DataFrame(ROWS, schema=SCHEMA, orient="row"))
        monkeypatch.setattr(pg_binary_copy, "column_types", types)
        monkeypatch.setattr(frame_io, "_csv", _no_csv)
        changes = pl.DataFrame(
            [(8, "", None, date(1, 1, 1), -(2**63)), (2, "Пётр", True, None, 2**63 - 1)],
            schema={"key": pl.Int64, "note": pl.String, "flag": pl.Boolean, "day": pl.Date, "big": pl.Int64},
            orient="row",
        )
        update_frame(conn, TYPED, "key", changes)
    assert statements == ["tmp_frame_binary_scratch_note_flag_day_big"]
    rows = {row[0]: row for row in _all(postgresql)}
    assert rows[8] == (8, None, 7, -(2**63), date(1, 1, 1), "x" * 16, "", None)
    assert rows[2] == (2, None, None, 2**63 - 1, None, None, "Пётр", True)
    assert [rows[key] for key in (1, 3, 4, 5, 6, 7)] == [ROWS[key - 1] for key in (1, 3, 4, 5, 6, 7)]


def _no_csv(frame: pl.DataFrame) -> None:
    raise AssertionError(f"CSV written for {frame.columns}")


@pytest.mark.parametrize(
    ("column", "value"),
    [("tiny", 32_768), ("tiny", -32_769), ("whole", 2**31), ("whole", -(2**31) - 1), ("key", 2**40)],
)
def test_a_value_out_of_its_columns_range_raises_and_nothing_is_written(
    postgresql: Engine, column: str, value: int
) -> None:
    TYPED.create(postgresql)
    frame = pl.DataFrame([ROWS[0]], schema=SCHEMA, orient="row").with_columns(pl.lit(value).alias(column))
    with pytest.raises(ValueError, match=f"{column}: .* out of range for"), postgresql.begin() as conn:
        insert_frame(conn, TYPED, frame)
    assert _all(postgresql) == []


def test_an_unsigned_value_beyond_bigint_raises(postgresql: Engine) -> None:
    TYPED.create(postgresql)
    frame = pl.DataFrame({"key": [1], "big": [2**63]}, schema={"key": pl.Int64, "big": pl.UInt64})
    with pytest.raises(ValueError, match=r"big: .* out of range for bigint"), postgresql.begin() as conn:
        insert_frame(conn, TYPED, frame)


def test_a_date_postgresql_cannot_hold_raises(postgresql: Engine) -> None:
    """Polars' dates go further back than PostgreSQL's (4714 BC); the int4 extremes would be -infinity."""
    TYPED.create(postgresql)
    frame = pl.DataFrame({"key": [1], "day": [-(2**31)]}, schema={"key": pl.Int64, "day": pl.Int32})
    with pytest.raises(ValueError, match="day: a date out of PostgreSQL's range"), postgresql.begin() as conn:
        insert_frame(conn, TYPED, frame.with_columns(pl.col("day").cast(pl.Date)))


def test_a_text_too_long_for_its_varchar_is_refused_by_the_server(postgresql: Engine) -> None:
    TYPED.create(postgresql)
    frame = pl.DataFrame({"key": [1], "label": ["x" * 17]})
    with pytest.raises(StringDataRightTruncation, match="too long"), postgresql.begin() as conn:
        insert_frame(conn, TYPED, frame)
    assert _all(postgresql) == []


def test_an_error_while_encoding_reaches_the_caller(postgresql: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """psycopg2 ends the COPY and raises, naming the error."""
    TYPED.create(postgresql)

    def broken(part: pl.DataFrame, types: object) -> object:
        raise MemoryError("no room")

    monkeypatch.setattr(pg_binary_copy, "_rows", broken)
    with pytest.raises(Exception, match="MemoryError no room"), postgresql.begin() as conn:
        insert_frame(conn, TYPED, pl.DataFrame([ROWS[0]], schema=SCHEMA, orient="row"))
    assert _all(postgresql) == []


def test_a_type_the_encoder_does_not_know_goes_as_csv(postgresql: Engine) -> None:
    money = Table("binary_numeric", MetaData(), Column("key", Integer, primary_key=True), Column("rate", Numeric))
    money.create(postgresql)
    frame = pl.DataFrame({"key": [1, 2], "rate": ["0.125", None]})
    with postgresql.begin() as conn:
        assert pg_binary_copy.plan(pg_binary_copy.column_types(conn, "binary_numeric"), frame) is None
        insert_frame(conn, money, frame)
    assert _all(postgresql, money) == [(1, Decimal("0.125")), (2, None)]


def test_a_frame_of_a_type_the_column_is_not_goes_as_csv(postgresql: Engine) -> None:
    """A text frame column into an integer column is the server's to read (as CSV), not the encoder's."""
    TYPED.create(postgresql)
    with postgresql.begin() as conn:
        types = pg_binary_copy.column_types(conn, "binary_scratch")
    assert pg_binary_copy.plan(types, pl.DataFrame({"key": ["1"]})) is None


def test_a_load_writes_every_table_in_binary(
    postgresql: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The small ledger's first load, then one with P3 (matching goes on, documents are updated): nothing
    falls back to CSV."""
    written: list[str] = []
    copy = frame_io._copy

    def copied(conn: object, table: str, frame: pl.DataFrame) -> None:
        written.append(table)
        copy(conn, table, frame)  # type: ignore[arg-type]

    monkeypatch.setattr(frame_io, "_csv", _no_csv)
    monkeypatch.setattr(frame_io, "_copy", copied)
    load_paths(postgresql, [source(tmp_path / "first")])
    load_paths(postgresql, [source(tmp_path / "second", advance=True)])
    tables = set(written)
    assert {"documents", "matches", "flows", "shipment_checks"} <= tables
    assert any(table.startswith("tmp_frame_documents_") for table in tables)


# An index-only scan of each big table a first load writes, over all of its rows.
INDEX_ONLY = {
    "documents": "SELECT doc_date FROM documents WHERE doc_date > '1900-01-01'",
    "matches": "SELECT match_date FROM matches WHERE match_date > '1900-01-01'",
    "flows": "SELECT kind FROM flows WHERE kind > ''",
}


def test_a_first_loads_tables_are_all_visible_without_a_vacuum(
    postgresql: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shadows' rows go in frozen (COPY's FREEZE): their pages are all-visible as the load commits, so an
    index-only scan reads no heap page (Heap Fetches: 0), as after the VACUUM a big load runs, which is
    kept from running here. Written without FREEZE, every row is a heap fetch until a VACUUM."""
    monkeypatch.setattr(run, "_vacuum", lambda _engine: None)
    load_paths(postgresql, [source(tmp_path)])
    with postgresql.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off; SET enable_bitmapscan = off")
        for table, query in INDEX_ONLY.items():
            plan = "\n".join(
                row[0] for row in conn.exec_driver_sql(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {query}")
            )
            assert re.search(r"Index Only Scan using \w+ on " + table + r" \(actual rows=[1-9]", plan), plan
            assert re.findall(r"Heap Fetches: (\d+)", plan) == ["0"], plan


def test_the_vacuum_after_a_load_leaves_out_the_tables_all_visible_already(
    postgresql: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every load vacuums here (VACUUM_AFTER 0). After the first, written frozen, there is nothing to vacuum
    and no VACUUM is sent; the second goes on matching, updating documents (their pages lose the bit) and
    rewriting the flows, so those are vacuumed."""
    monkeypatch.setattr(run, "VACUUM_AFTER", 0)
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("VACUUM"):
            sent.append(statement)

    event.listen(postgresql, "before_cursor_execute", record)
    load_paths(postgresql, [source(tmp_path / "first")])
    assert sent == []
    load_paths(postgresql, [source(tmp_path / "second", advance=True)])
    assert len(sent) == 1
    assert "documents" in sent[0]
