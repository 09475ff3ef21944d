"""A load killed with SIGKILL at random moments leaves the warehouse exactly as it was (issue 8).

The warehouse holds a demo split at a date; the killed load brings the rest (later days, the bank
statement) and corrects amounts of earlier shipments, so it inserts, updates, matches on, matches
again from scratch and rebuilds the rollups: there is something to half-write at every moment. Each
run starts the load in a process of its own (tests/load_runner.py) and kills it after a delay drawn
by a seeded generator from [0, the load's own duration], measured on an uninterrupted copy. After
every kill each table's rows hash exactly as before; after all of them the same load, not killed,
lands at once (no lock is left behind) and gives what the uninterrupted copy holds.

test_atomic.py kills at the loader's two fixed points; the reminder run's crash is
test_reminder_sending.py::test_cli_killed_mid_run_resends_nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import shutil
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import DateTime, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

import warehouse
from etl.demo import COMPANY_INN, COMPANY_NAME, write_demo_source
from etl.load import load_paths
from tests.conftest import PG_ADMIN_URL
from tests.helpers import table_checksums
from tests.load_runner import LoadServer
from warehouse.engine import make_engine

END = date(2026, 6, 30)
CUT = "2026-03-31"
RUNS = 10
SEEDS = {"sqlite": 20260601, "postgresql": 20260602}
# Columns two warehouses given the same loads may hold differently: surrogate keys (PostgreSQL's
# sequences are not transactional, so a killed load still uses up ids) and when a load ran. Document
# keys (doc_pk, debit_pk, credit_pk) are compared as the (kind, document_id) they stand for.
SURROGATE = {"load_id", "match_id", "reject_id", "audit_id", "duration_ms"}
DOCUMENT_REFS = {"doc_pk", "debit_pk", "credit_pk"}


# ----------------------------------------------------------------------------------- source folders


@dataclass(frozen=True)
class Sources:
    base: Path  # the demo's documents up to CUT (no bank statement)
    change: Path  # the whole demo, with corrected amounts on some 2025 shipments
    correction: Path  # only the corrected 2025 shipments


def demo_sources(root: Path, scale: int) -> Sources:
    """The demo split at CUT, the whole of it with corrections, and the corrections alone."""
    whole, base, change, correction = (root / name for name in ("whole", "base", "change", "correction"))
    write_demo_source(whole, scale=scale, seed=5, end=END)
    for folder in (base, change, correction):
        folder.mkdir()
    for path in sorted(whole.iterdir()):
        shutil.copy(path, change / path.name)
        try:
            text_ = path.read_text(encoding="utf-8-sig") if path.suffix == ".csv" else ""
        except UnicodeDecodeError:  # the counterparties come in cp1251, as 1C writes them
            text_ = ""
        header = text_.splitlines()[0].split(",") if text_ else []
        if "date" not in header:
            if path.suffix != ".txt":  # the bank statement is the last month's: it comes with the change
                shutil.copy(path, base / path.name)
            continue
        rows = list(csv.reader(io.StringIO(text_)))
        at = rows[0].index("date")
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([rows[0], *[r for r in rows[1:] if r[at] <= CUT]])
        (base / path.name).write_text(out.getvalue(), encoding="utf-8")
    # A corrected re-export of 2025: every 25th shipment one ruble more, so its counterparty is matched
    # again from scratch (an earlier document changed), while the others only go on with the new days.
    rows = list(csv.reader(io.StringIO((whole / "shipments_2025.csv").read_text(encoding="utf-8-sig"))))
    amount = rows[0].index("amount")
    for row in rows[1::25]:
        row[amount] = str(Decimal(row[amount]) + 1)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    for folder in (change, correction):
        (folder / "shipments_2025.csv").write_text(out.getvalue(), encoding="utf-8")
    return Sources(base, change, correction)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    return demo_sources(tmp_path_factory.mktemp("crash"), scale=3000)


def load_base(url: str, base: Path) -> None:
    engine = make_engine(url, pooled=False)
    load_paths(engine, [base], company_inn=COMPANY_INN, company_name=COMPANY_NAME)
    engine.dispose()


# --------------------------------------------------------------------------------------- warehouses


@contextmanager
def other_warehouse(db_url: str, tmp_path: Path, name: str) -> Iterator[str]:
    """The URL of another, not yet existing warehouse on the same backend; dropped afterwards."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    database = f"{make_url(db_url).database}_{name}"
    admin = create_engine(PG_ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        yield db_url.rsplit("/", 1)[0] + "/" + database
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def copy_warehouse(source: str, target: str) -> None:
    """Make `target` an exact copy of `source` (replacing it); whoever is connected to either is cut off."""
    if source.startswith("sqlite"):
        target_file = Path(make_url(target).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target_file}{suffix}").unlink(missing_ok=True)
        with sqlite3.connect(make_url(source).database or "") as src, sqlite3.connect(target_file) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        return
    admin = create_engine(PG_ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        # An app engine of an earlier test may still hold idle connections: the template must be alone.
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": make_url(source).database},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(target).database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{make_url(target).database}" TEMPLATE "{make_url(source).database}"'))
    admin.dispose()


def checksums(url: str) -> dict[str, str]:
    """Every table's rows, every column, ordered and hashed (tests/helpers.py)."""
    engine = make_engine(url, pooled=False)
    try:
        return table_checksums(engine)
    finally:
        engine.dispose()


def business_checksums(url: str) -> dict[str, str]:
    """Every table's rows hashed without what must differ between two warehouses that got the same
    loads: surrogate keys (documents are referred to by kind and document_id) and the times loads ran."""
    engine = make_engine(url, pooled=False)
    result = {}
    try:
        with engine.connect() as conn:
            d = warehouse.documents
            keys = {
                pk: (kind, document_id)
                for pk, kind, document_id in conn.execute(select(d.c.doc_pk, d.c.kind, d.c.document_id))
            }
            for table in warehouse.metadata.sorted_tables:
                columns = [c for c in table.c if c.name not in SURROGATE and not isinstance(c.type, DateTime)]
                refs = [i for i, c in enumerate(columns) if c.name in DOCUMENT_REFS]
                rows = []
                for row in conn.execute(select(*columns)):
                    values = list(row)
                    for i in refs:
                        values[i] = keys.get(values[i], ("missing", values[i]))
                    rows.append(repr(values))
                result[table.name] = hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()
    finally:
        engine.dispose()
    return result


@pytest.fixture(scope="module")
def load_server() -> Iterator[LoadServer]:
    server = LoadServer()
    yield server
    server.close()


# -------------------------------------------------------------------------------------------- tests


def test_a_load_killed_at_random_moments_leaves_the_warehouse_as_it_was(
    db_url: str, tmp_path: Path, sources: Sources, load_server: LoadServer
) -> None:
    backend = make_url(db_url).get_backend_name()
    load_base(db_url, sources.base)
    before = checksums(db_url)
    with (
        other_warehouse(db_url, tmp_path, "reference") as reference_url,
        other_warehouse(db_url, tmp_path, "pristine") as pristine_url,
    ):
        copy_warehouse(db_url, pristine_url)
        copy_warehouse(db_url, reference_url)
        uninterrupted = load_server.run(reference_url, sources.change)
        assert uninterrupted.code == 0, uninterrupted.lines
        duration = uninterrupted.seconds
        reference = business_checksums(reference_url)
        assert reference != business_checksums(pristine_url)  # the load does write

        rng = random.Random(SEEDS[backend])
        report = []
        for number in range(1, RUNS + 1):
            delay = rng.uniform(0, duration)
            run = load_server.run(db_url, sources.change, kill_after=delay)
            report.append(
                f"{backend} run {number}: kill after {delay:.3f} s of {duration:.3f} s, in {run.last_stage!r}"
            )
            assert run.code in (0, -signal.SIGKILL), run.lines
            if checksums(db_url) != before:
                # It got to its commit before the kill came: committed, as it may. Then it holds exactly
                # what the uninterrupted load gave, and the next run starts from the base again.
                report[-1] += ": committed first"
                assert "commit" in run.stages, "\n".join(report)
                assert business_checksums(db_url) == reference, "\n".join(report)
                copy_warehouse(pristine_url, db_url)
                assert checksums(db_url) == before
            else:
                assert not run.last_stage.startswith("done"), "\n".join(report)
        print("\n".join(report))

    # Nothing is left holding the warehouse: the same load (which may wait a minute at most, then LoadBusy
    # rather than a hung test) runs and lands exactly what the uninterrupted one did.
    final = load_server.run(db_url, sources.change)
    assert final.code == 0, final.lines
    assert business_checksums(db_url) == reference
    assert checksums(db_url) != before
