"""A first load matched before it is written (etl.load.first) gives what writing, then matching and
updating gives (the path every later load takes): the same documents column for column (due and settled
dates, keys included), matches, flows, shipment checks, rejects and counts, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

import warehouse
from etl.demo import COMPANY_INN, write_demo_source
from etl.load import documents, first, load_paths, run
from etl.load.types import LoadResult
from tests.helpers.databases import PG_ADMIN_URL, other_warehouse, reset_pg
from tests.helpers.demo_split import split_at
from tests.helpers.edo import COMPANY, edo_folder
from tests.helpers.ledgers import source, source_folders, write_files
from tests.helpers.tables import business_checksums
from warehouse.engine import ensure_schema, make_engine

END = date(2026, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    write_demo_source(folder, scale=2000, seed=5, end=END)
    return folder


def _load(
    url: str, paths: list[Path], matched_first: bool, company_inn: str, monkeypatch: pytest.MonkeyPatch
) -> LoadResult:
    monkeypatch.setattr(run, "MATCH_FIRST_LOAD_BEFORE_WRITING", matched_first)
    engine = make_engine(url, pooled=False)
    ensure_schema(engine)
    try:
        return load_paths(engine, paths, company_inn=company_inn)
    finally:
        engine.dispose()


def _documents(url: str) -> list[tuple[object, ...]]:
    """Every column of every document but the load's id, keys included, in key order; dates as ISO text."""
    engine = make_engine(url, pooled=False)
    d = warehouse.documents
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(*[c for c in d.c if c.name != "load_id"]).order_by(d.c.doc_pk)).all()
    finally:
        engine.dispose()
    return [tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in rows]


def _create(url: str) -> None:
    """Create other_warehouse's PostgreSQL database (SQLite makes its file on first use)."""
    if not url.startswith("postgresql"):
        return
    admin = create_engine(PG_ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{make_url(url).database}"'))
    admin.dispose()


@pytest.fixture
def reference(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A second empty warehouse on the same backend, for the other path."""
    with other_warehouse(db_url, tmp_path, "reference") as url:
        _create(url)
        yield url


def _both_ways(
    db_url: str,
    reference: str,
    loads: list[list[Path]],
    monkeypatch: pytest.MonkeyPatch,
    company_inn: str = COMPANY_INN,
) -> tuple[list[LoadResult], list[LoadResult]]:
    """The loads in turn into both warehouses: the first matched before written into db_url, written then
    matched into `reference`; the states compared after each load."""
    new, old = [], []
    for paths in loads:
        new.append(_load(db_url, paths, True, company_inn, monkeypatch))
        old.append(_load(reference, paths, False, company_inn, monkeypatch))
        assert _documents(db_url) == _documents(reference)
        found, expected = business_checksums(db_url), business_checksums(reference)
        assert {k: v for k, v in found.items() if k != "load_runs"} == {
            k: v for k, v in expected.items() if k != "load_runs"
        }
        assert new[-1].counts == old[-1].counts
        assert new[-1].matches_written == old[-1].matches_written
        assert new[-1].files == old[-1].files
    return new, old


def _count(url: str, table: str) -> int:
    engine = make_engine(url, pooled=False)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def test_the_demo_with_its_calendar(db_url: str, reference: str, demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo's calendar file makes the other path match everyone from scratch; rejects (its deliberately
    # bad rows), unidentified bank payments, allocations, returns and adjustments included. The matches are
    # inserted in several pieces of their index's order; each kind's documents are held a piece at a time
    # (101 rows), their texts spilled in batches that do not divide a piece (37, 37, 27), and written in them.
    monkeypatch.setattr(first, "SORTED_PIECE", 997)
    monkeypatch.setattr(documents, "SLICE", 101)
    monkeypatch.setattr(first, "WRITE_BATCH", 37)
    new, _old = _both_ways(db_url, reference, [[demo]], monkeypatch)
    assert new[0].matches_written > 1000
    assert new[0].rejected_rows > 0
    assert _count(db_url, "shipment_checks") == 740
    assert _count(db_url, "flows") > 100


def test_the_demo_without_a_calendar_then_its_later_months(
    db_url: str, reference: str, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without a calendar file the other path goes on matching from the (empty) open state; a second load
    # with the later months and a third with every file again then go the usual way on both.
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    split_at(demo, first, second)
    (first / "calendar.csv").unlink()
    new, old = _both_ways(db_url, reference, [[first], [second], [demo]], monkeypatch)
    assert new[0].matches_written > 500
    assert new[1].continued_counterparties == old[1].continued_counterparties > 0


def test_the_small_ledger_with_an_advance_then_a_correction(
    db_url: str, reference: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = source(tmp_path, advance=True)
    correction = write_files(
        tmp_path / "fix",
        {"shipments.csv": "document_id,contract_id,date,amount\nS2,C1,2025-01-20,450\nS6,C2,2025-02-01,10\n"},
    )
    _both_ways(db_url, reference, [[folder], [correction]], monkeypatch)
    # K1 paid 1 200 + 400 + 1 000 = 2 600,00 against S1 1 000, S2 450 (corrected), S3 300,50, S5 100 and
    # S6 10 (1 860,50): all settled; K2 paid nothing, S4 stays open.
    engine = make_engine(db_url, pooled=False)
    with engine.connect() as conn:
        settled = dict(
            conn.execute(text("SELECT document_id, settled_date FROM documents WHERE kind = 'shipment'")).all()
        )
    engine.dispose()
    assert {k for k, v in settled.items() if v is not None} == {"S1", "S2", "S3", "S5", "S6"}
    assert settled["S4"] is None


def test_an_edo_archive(db_url: str, reference: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Corrections (УКД) name their shipment and no contract: the contract is the held shipment's.
    _both_ways(db_url, reference, [[edo_folder(tmp_path / "src")]], monkeypatch, company_inn=COMPANY)
    assert _count(db_url, "documents") == 7


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=source_folders())
def test_tangled_folders(db_url: str, tmp_path_factory: pytest.TempPathFactory, files: dict[str, str]) -> None:
    # Several contracts, every document kind, allocations, advances, bad rows and unknown references.
    folder = write_files(tmp_path_factory.mktemp("tangled"), files)
    scratch = tmp_path_factory.mktemp("scratch")
    with pytest.MonkeyPatch.context() as monkeypatch, other_warehouse(db_url, scratch, "tangled") as reference:
        if db_url.startswith("postgresql"):
            reset_pg(db_url)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(db_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        _create(reference)
        _both_ways(db_url, reference, [[folder]], monkeypatch)


def test_a_first_load_writes_its_matches_in_the_order_its_database_indexes_fastest(
    db_url: str, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the table's own order (SQLite's rowid, PostgreSQL's ctid, as written into a new table): by debit on
    SQLite, whose sorter builds an index over sorted rows in half the CPU, the debits' the widest; by
    counterparty on PostgreSQL, whose text-keyed counterparty btree is its slowest build (etl.load.first)."""
    _load(db_url, [demo], True, COMPANY_INN, monkeypatch)
    postgresql = db_url.startswith("postgresql")
    engine = make_engine(db_url, pooled=False)
    try:
        with engine.connect() as conn:
            place = "ctid" if postgresql else "rowid"
            rows = conn.exec_driver_sql(f"SELECT counterparty_id, debit_pk, match_date FROM matches ORDER BY {place}")
            written = [tuple(row) for row in rows]
    finally:
        engine.dispose()
    by_debit = sorted(written, key=lambda row: (row[1], row[2]))
    by_counterparty = sorted(written, key=lambda row: (row[0], row[1], row[2]))
    assert len(written) > 1000
    assert by_debit != by_counterparty
    assert written == (by_counterparty if postgresql else by_debit)


@pytest.mark.parametrize("postgresql", [False, True])
def test_the_matches_order_by_hand_and_of_no_match(postgresql: bool) -> None:
    """Five matches of two counterparties (K10 before K9 in byte order) and four debits, in both orders; debit
    3's two matches stay in the order of their dates, as FIFO gives them; no match gives no place on either
    database (a load with nothing to match)."""
    found = pl.DataFrame(
        {
            "counterparty_id": ["K9", "K10", "K9", "K10", "K9"],
            "debit_pk": [3, 7, 1, 2, 3],
            "match_date": [date(2025, 1, 2), date(2025, 1, 1), date(2025, 1, 5), date(2025, 1, 3), date(2025, 1, 6)],
        }
    )
    by_counterparty, by_debit = [3, 1, 2, 0, 4], [2, 3, 0, 4, 1]  # K10's debits 2 and 7, then K9's 1 and 3
    assert first._matches_order(found, postgresql).to_list() == (by_counterparty if postgresql else by_debit)
    assert first._matches_order(found.clear(), postgresql).to_list() == []
