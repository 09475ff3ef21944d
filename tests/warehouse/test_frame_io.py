"""warehouse.rollups.frame_io: frames written, updated and read back unchanged on both databases, texts
that COPY's CSV could confuse (empty, NULL, quotes, commas, tabs, new lines, a backslash) included."""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import BigInteger, Column, Date, Engine, MetaData, String, Table, select

from warehouse.rollups.frame_io import insert_frame, read_frame, update_frame

SCRATCH = Table(
    "frame_scratch",
    MetaData(),
    Column("key", BigInteger, primary_key=True),
    Column("label", String(16)),
    Column("day", Date),
    Column("amount", BigInteger),
)
SCHEMA = pl.Schema({"key": pl.Int64, "label": pl.String, "day": pl.Date, "amount": pl.Int64})
ROWS = [
    (1, "", date(2026, 1, 31), 0),
    (2, None, None, None),
    (3, 'a "b", c', date(2024, 2, 29), -12_345_678_901),
    (4, "tab\there\nline", date(2026, 12, 31), 7),
    (5, "\\N", date(2025, 6, 1), 1),
]


def _all(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return read_frame(conn, select(SCRATCH).order_by(SCRATCH.c.key), SCHEMA, batch=2).rows()


def test_a_frame_goes_in_and_comes_back_as_it_was(engine: Engine) -> None:
    SCRATCH.create(engine)
    with engine.begin() as conn:
        insert_frame(conn, SCRATCH, pl.DataFrame(ROWS, schema=SCHEMA, orient="row"))
    assert _all(engine) == ROWS


def test_an_update_sets_the_columns_it_carries_by_key(engine: Engine) -> None:
    SCRATCH.create(engine)
    with engine.begin() as conn:
        insert_frame(conn, SCRATCH, pl.DataFrame(ROWS, schema=SCHEMA, orient="row"))
        changes = pl.DataFrame(
            [(4, date(2027, 1, 1), "x"), (2, date(2026, 3, 8), ""), (1, None, None)],
            schema={"key": pl.Int64, "day": pl.Date, "label": pl.String},
            orient="row",
        )
        update_frame(conn, SCRATCH, "key", changes)
        update_frame(conn, SCRATCH, "key", changes.head(0))  # nothing to do
    assert _all(engine) == [
        (1, None, None, 0),
        (2, "", date(2026, 3, 8), None),
        ROWS[2],
        (4, "x", date(2027, 1, 1), 7),
        ROWS[4],
    ]


def test_nothing_read_is_an_empty_frame_of_the_schema(engine: Engine) -> None:
    SCRATCH.create(engine)
    with engine.connect() as conn:
        empty = read_frame(conn, select(SCRATCH), SCHEMA)
    assert empty.schema == SCHEMA
    assert empty.is_empty()


def test_many_rows_go_in_whole_statements_and_the_rest_with_columns_of_one_value(engine: Engine) -> None:
    # 2 * 100 + 37 rows: two statements of 100 rows on SQLite and one of 37; the label the same throughout
    # (written as a literal), the day missing throughout (NULL), a quote in the literal.
    rows = [(key, "it's", None, key * 3 - 500) for key in range(1, 238)]
    SCRATCH.create(engine)
    with engine.begin() as conn:
        insert_frame(conn, SCRATCH, pl.DataFrame(rows, schema=SCHEMA, orient="row"))
        insert_frame(conn, SCRATCH, pl.DataFrame([(1000, "x", date(2026, 2, 1), 5)], schema=SCHEMA, orient="row"))
    got = _all(engine)
    assert got == [*rows, (1000, "x", date(2026, 2, 1), 5)]
    assert sum(row[3] for row in got) == 3 * (237 * 238 // 2) - 500 * 237 + 5


def test_rows_all_of_one_value_go_in_as_many(engine: Engine) -> None:
    # Every column a literal on SQLite: nothing is bound, 150 rows still go in.
    keyless = Table("frame_keyless", MetaData(), Column("label", String(16)), Column("amount", BigInteger))
    keyless.create(engine)
    frame = pl.DataFrame({"label": ["same"] * 150, "amount": [7] * 150})
    with engine.begin() as conn:
        insert_frame(conn, keyless, frame)
        counted = conn.execute(select(keyless.c.label, keyless.c.amount)).all()
    assert len(counted) == 150
    assert set(counted) == {("same", 7)}
