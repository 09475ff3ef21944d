"""The load history queries on SQLite and PostgreSQL, after two loads worked out by hand.

Load 1 reads tests/helpers/ledgers.py's small ledger: 2 counterparties, 3 contracts, 5 shipments and 2 payments,
all new; FIFO writes 4 matches (P1 closes S1 and 200,00 of S2; P2 closes S3 and 99,50 of S2).
Load 2 reads the folder again (12 rows unchanged), plus shipments_extra.csv (S6 new, S7 with an amount that
is not a number: rejected) and notes.txt, named explicitly and not a source file: refused. S6 is K1's, so
K1's 4 matches are written again.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, text

from etl.load import load_paths
from queries.loads import LOAD_COUNTS_SCHEMA, LOAD_HISTORY_SCHEMA, LOADED_FILES_SCHEMA, load_counts, load_history
from queries.loads import loaded_files as loaded_files_query
from tests.helpers.ledgers import source

EXTRA = "document_id,contract_id,date,amount,number\nS6,C1,2025-03-03,250,УПД-6\nS7,C1,2025-03-04,много,УПД-7\n"


def _two_loads(engine: Engine, tmp_path: Path) -> dict[str, int]:
    folder = source(tmp_path)
    extra = tmp_path / "more" / "shipments_extra.csv"
    notes = tmp_path / "more" / "notes.txt"
    extra.parent.mkdir()
    extra.write_text(EXTRA, encoding="utf-8")
    notes.write_text("just a note\n", encoding="utf-8")
    load_paths(engine, [folder], command="load src")
    load_paths(engine, [folder, extra, notes], command="load src more")
    return {p.name: p.stat().st_size for p in (*folder.iterdir(), extra, notes)}


def test_empty_warehouse_has_no_history(engine: Engine) -> None:
    with engine.connect() as conn:
        assert load_history(conn).schema == pl.Schema(LOAD_HISTORY_SCHEMA)
        assert load_history(conn).height == 0
        assert load_counts(conn).schema == pl.Schema(LOAD_COUNTS_SCHEMA)
        assert loaded_files_query(conn).schema == pl.Schema(LOADED_FILES_SCHEMA)
        assert load_counts(conn).height == loaded_files_query(conn).height == 0


def test_load_history(engine: Engine, tmp_path: Path) -> None:
    sizes = _two_loads(engine, tmp_path)
    with engine.connect() as conn:
        history = load_history(conn)
        latest = load_history(conn, limit=1)
    assert history.schema == pl.Schema(LOAD_HISTORY_SCHEMA)
    source_size = sum(size for name, size in sizes.items() if name not in ("shipments_extra.csv", "notes.txt"))
    assert history.select(
        "load_id",
        "command",
        "status",
        "files",
        "refused_files",
        "size_bytes",
        "read",
        "new",
        "updated",
        "unchanged",
        "deleted",
        "rejected",
        "matches",
        "bank_unidentified",
    ).rows() == [
        # 12 source rows + 2 extra shipments read; S6 new; 12 unchanged; S7 rejected.
        (2, "load src more", "done", 6, 1, source_size + sizes["shipments_extra.csv"] + sizes["notes.txt"],
         14, 1, 0, 12, 0, 1, 4, 0),
        (1, "load src", "done", 4, 0, source_size, 12, 12, 0, 0, 0, 0, 4, 0),
    ]  # fmt: skip
    assert latest["load_id"].to_list() == [2]
    for started, finished, duration in history.select("started_at", "finished_at", "duration_ms").rows():
        assert isinstance(started, datetime)
        assert finished >= started
        assert duration >= 0


def test_load_counts_per_entity(engine: Engine, tmp_path: Path) -> None:
    _two_loads(engine, tmp_path)
    with engine.connect() as conn:
        everything = load_counts(conn)
        second = load_counts(conn, load_id=2)
    assert everything.schema == pl.Schema(LOAD_COUNTS_SCHEMA)
    assert everything.filter(pl.col("load_id") == 1).drop("load_id").rows() == [
        ("counterparties", 2, 2, 0, 0, 0, 0),
        ("contracts", 3, 3, 0, 0, 0, 0),
        ("shipments", 5, 5, 0, 0, 0, 0),
        ("payments", 2, 2, 0, 0, 0, 0),
    ]
    assert second.drop("load_id").rows() == [
        ("counterparties", 2, 0, 0, 2, 0, 0),
        ("contracts", 3, 0, 0, 3, 0, 0),
        ("shipments", 7, 1, 0, 5, 0, 1),
        ("payments", 2, 0, 0, 2, 0, 0),
    ]
    assert everything["load_id"].to_list()[:4] == [2, 2, 2, 2]  # newest first


def test_loaded_files(engine: Engine, tmp_path: Path) -> None:
    sizes = _two_loads(engine, tmp_path)
    with engine.connect() as conn:
        files = loaded_files_query(conn, load_id=2)
        every = loaded_files_query(conn)
    assert files.schema == pl.Schema(LOADED_FILES_SCHEMA)
    assert files.select("name", "entity", "size_bytes", "rows_read").rows() == [
        ("notes.txt", "refused", sizes["notes.txt"], 0),
        ("shipments_extra.csv", "shipments", sizes["shipments_extra.csv"], 2),
        ("contracts.csv", "contracts", sizes["contracts.csv"], 3),
        ("counterparties.csv", "counterparties", sizes["counterparties.csv"], 2),
        ("payments.csv", "payments", sizes["payments.csv"], 2),
        ("shipments.csv", "shipments", sizes["shipments.csv"], 5),
    ]
    refused = files.filter(pl.col("entity") == "refused").row(0, named=True)
    assert refused["message"].startswith("not a source file")
    assert refused["path"].endswith("notes.txt")
    assert len(refused["sha256"]) == 64
    assert every.height == 10
    assert every["load_id"].to_list() == [2] * 6 + [1] * 4


def test_unreadable_counts_do_not_hide_a_load(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path)])
    with engine.begin() as conn:
        conn.execute(text("UPDATE load_runs SET counts = 'not json'"))
    with engine.connect() as conn:
        history = load_history(conn)
        counts = load_counts(conn)
    assert history.select("load_id", "files", "read", "matches").rows() == [(1, 4, 0, 0)]
    assert counts.height == 0
