"""warehouse.bulk's helpers for the load (issue 20) and the flows rollup built from frames, on both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import BigInteger, Column, Date, Engine, MetaData, String, Table, select, text

import warehouse
from etl.load import load_paths
from tests.helpers.ledgers import BY_CONTRACT, write_files
from warehouse.bulk import bulk_insert, bulk_update, deferred_indexes, raw_rows
from warehouse.rollups import checks, flows
from warehouse.shadow import shadowing

SCRATCH = Table(
    "bulk_scratch",
    MetaData(),
    Column("key", BigInteger, primary_key=True),
    Column("label", String(8)),
    Column("day", Date),
)


def _index_sql(engine: Engine) -> dict[str, str]:
    query = (
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'flows' AND sql IS NOT NULL"
        if engine.dialect.name == "sqlite"
        else "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'flows'"
    )
    with engine.connect() as conn:
        return {str(row[0]): str(row[1]) for row in conn.execute(text(query))}


def test_deferred_indexes_are_dropped_inside_and_made_again_as_they_were(engine: Engine) -> None:
    before = _index_sql(engine)
    assert set(before) == {"ix_flows_counterparty_day", "ix_flows_sums"}
    with engine.begin() as conn, deferred_indexes(conn, warehouse.flows):
        inside = conn.execute(
            text(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'flows'"
                if engine.dialect.name == "sqlite"
                else "SELECT indexname FROM pg_indexes WHERE tablename = 'flows'"
            )
        ).all()
        # SQLite drops them for the block; PostgreSQL keeps them (a dropped index would lock out readers)
        # outside a first load's warehouse.shadow.shadowing.
        assert len(inside) == (0 if engine.dialect.name == "sqlite" else 2)
    assert _index_sql(engine) == before


def test_an_error_inside_the_block_leaves_the_indexes_to_the_rollback(engine: Engine) -> None:
    before = _index_sql(engine)
    with pytest.raises(RuntimeError), engine.begin() as conn, deferred_indexes(conn, warehouse.flows):
        raise RuntimeError("the load failed")
    assert _index_sql(engine) == before


FLOW = ("K1", "RUB", "d", date(2025, 1, 10), date(2025, 2, 10), 12345)


@pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_in_a_first_load_an_empty_table_is_written_as_a_shadow_and_swapped_in(engine: Engine) -> None:
    """PostgreSQL, within warehouse.shadow.shadowing: the rows go into a shadow without indexes, which gets
    the table's indexes at the block's end and its place at the commit; a table with rows keeps its own."""
    assert engine.dialect.name == "postgresql"  # schemas and pg_indexes: PostgreSQL's alone
    before = _index_sql(engine)
    columns = ("counterparty_id", "currency", "kind", "day", "due_date", "amount")
    with engine.begin() as conn, shadowing(conn):
        with deferred_indexes(conn, warehouse.flows):
            schema = conn.execute(
                text("SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = 'flows'::regclass")
            ).scalar_one()
            assert schema == f"load_{conn.execute(text('SELECT pg_backend_pid()')).scalar_one()}"
            indexes = "SELECT indexdef FROM pg_indexes WHERE schemaname = :schema AND tablename = 'flows'"
            assert conn.execute(text(indexes), {"schema": schema}).all() == []
            bulk_insert(conn, warehouse.flows, columns, [FLOW])
        assert len(conn.execute(text(indexes), {"schema": schema}).all()) == 2  # built at the block's end
    assert _index_sql(engine) == before
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'load\\_%'")).scalar_one() == 0
        assert conn.execute(select(*warehouse.flows.c)).all() == [FLOW]
        with shadowing(conn), deferred_indexes(conn, warehouse.flows):  # not empty: no shadow, the indexes kept
            assert conn.execute(text("SELECT 'flows'::regclass::text")).scalar_one() == "flows"
            assert len(_index_sql(engine)) == 2


def test_bulk_update_out_of_key_order_sets_each_row_by_its_key(engine: Engine) -> None:
    SCRATCH.create(engine)
    try:
        with engine.begin() as conn:
            bulk_insert(conn, SCRATCH, ("key", "label", "day"), [(1, "a", None), (2, "b", None), (3, "c", None)])
            # Out of key order (SQLite sorts them by key before the UPDATEs): each key gets its own values,
            # key 2 is not touched.
            bulk_update(
                conn,
                SCRATCH,
                "key",
                ("label", "day"),
                [(3, "z", date(2025, 3, 10)), (1, "x", date(2025, 1, 31))],
            )
            rows = raw_rows(conn, select(SCRATCH).order_by(SCRATCH.c.key), (2,))
        assert rows == [(1, "x", date(2025, 1, 31)), (2, "b", None), (3, "z", date(2025, 3, 10))]
    finally:
        SCRATCH.drop(engine)


def test_flows_from_frames_are_the_flows_of_the_sql_rebuild(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [write_files(tmp_path / "src", BY_CONTRACT)])
    columns = "counterparty_id, currency, kind, day, due_date, amount"
    with engine.begin() as conn:
        flows.rebuild_all(conn)
        reference = sorted(map(tuple, conn.execute(text(f"SELECT {columns} FROM flows")).all()), key=repr)
        flows.write_all(conn, flows.grouped_all(*checks.read_all(conn)))
        built = sorted(map(tuple, conn.execute(text(f"SELECT {columns} FROM flows")).all()), key=repr)
        of_k2 = conn.execute(text(f"SELECT {columns} FROM flows WHERE counterparty_id = 'K2' ORDER BY kind, day"))
        k2 = [(kind, str(day), due and str(due), amount) for _cp, _cur, kind, day, due, amount in of_k2]
    assert built == reference
    # K2 (BY_CONTRACT): P2, 10,00 on 05.03.2025 without a contract, waits as an advance; S6, 30,00 on C3
    # (terms 0) on 10.03.2025 takes it that day. Debit 3000 due 10.03, credit 1000, and the match of 1000
    # on 10.03 seen from both sides (the debit's with its due date).
    assert k2 == [
        ("c", "2025-03-05", None, 1000),
        ("cm", "2025-03-10", None, 1000),
        ("d", "2025-03-10", "2025-03-10", 3000),
        ("dm", "2025-03-10", "2025-03-10", 1000),
    ]


def test_two_updates_of_other_columns_in_one_transaction(engine: Engine) -> None:
    # PostgreSQL stages each update in a temporary table kept to the commit: the second, of another column,
    # must not land in the first one's table (which has no `day`).
    SCRATCH.create(engine)
    try:
        with engine.begin() as conn:
            bulk_insert(conn, SCRATCH, ("key", "label", "day"), [(1, "a", None), (2, "b", None)])
            bulk_update(conn, SCRATCH, "key", ("label",), [(2, "x")])
            bulk_update(conn, SCRATCH, "key", ("day",), [(1, date(2025, 2, 28))])
            rows = raw_rows(conn, select(SCRATCH).order_by(SCRATCH.c.key), (2,))
        assert rows == [(1, "a", date(2025, 2, 28)), (2, "x", None)]
    finally:
        SCRATCH.drop(engine)
