"""A first load on PostgreSQL writes its big tables into shadows without indexes and swaps them in as it
commits (warehouse.shadow, issue 20): readers see the empty warehouse, unblocked, until the commit; the
warehouse after it is the one the migrations make, table for table and index for index; a load killed or
failed on the way leaves the empty warehouse and no trace of the shadows."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

import etl.load.run
import warehouse.shadow
from etl.demo import COMPANY_INN
from etl.load import load_paths
from queries.aging import aging
from tests.helpers.databases import PG_ADMIN_URL, other_warehouse
from tests.helpers.demo_split import END, Sources, demo_sources
from tests.helpers.load_runner import LoadServer
from tests.helpers.paths import ROOT
from tests.helpers.tables import business_checksums
from warehouse.engine import ensure_schema, make_engine

BACKENDS = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'"
)
TIMEOUT = 120  # seconds: only so that a broken lock fails the test instead of hanging it
SHADOWED = ("documents", "matches", "flows", "shipment_checks")
ON_POSTGRESQL = pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    return demo_sources(tmp_path_factory.mktemp("shadow"), scale=3000)


@pytest.fixture
def release(tmp_path: Path) -> Iterator[Path]:
    """The file that lets a held load go on: created at the end whatever happened."""
    path = tmp_path / "release"
    yield path
    path.touch()


def catalog(engine: Engine) -> dict[str, Any]:
    """What the database says the warehouse's tables are, without object ids: the tables, their columns'
    types and defaults, indexes, constraints, sequences (their settings and owning column), the schemas."""
    queries = {
        "tables": "SELECT relname, relkind, relpersistence FROM pg_class WHERE relnamespace = 'public'::regnamespace",
        "columns": """
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0
              AND NOT a.attisdropped""",
        "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
        "constraints": """
            SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace""",
        "sequences": """
            SELECT s.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmax, q.seqmin,
                   q.seqcache, q.seqcycle, t.relname, a.attname, d.deptype
            FROM pg_sequence q JOIN pg_class s ON s.oid = q.seqrelid
            LEFT JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
              AND d.refclassid = 'pg_class'::regclass
            LEFT JOIN pg_class t ON t.oid = d.refobjid
            LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid""",
        "serials": """
            SELECT c.relname, pg_get_serial_sequence(format('%I.%I', 'public', c.relname), a.attname)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attnum > 0
              AND pg_get_serial_sequence(format('%I.%I', 'public', c.relname), a.attname) IS NOT NULL""",
        "schemas": """
            SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'""",
        "unusable indexes": """
            SELECT indexrelid::regclass::text FROM pg_index WHERE NOT (indisvalid AND indisready AND indislive)
               OR indcheckxmin""",
    }
    with engine.connect() as conn:
        return {name: sorted(tuple(row) for row in conn.execute(text(query))) for name, query in queries.items()}


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one() for name in SHADOWED}


@contextmanager
def without_shadows() -> Iterator[None]:
    """The load as before warehouse.shadow: PostgreSQL keeps the indexes while the rows go in."""
    original = etl.load.run.shadowing
    etl.load.run.shadowing = lambda conn, when=True: original(conn, when=False)
    try:
        yield
    finally:
        etl.load.run.shadowing = original


def create_database(url: str) -> None:
    admin = create_engine(PG_ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{make_url(url).database}"'))
    admin.dispose()


def load(url: str, folder: Path) -> None:
    engine = make_engine(url, pooled=False)
    load_paths(engine, [folder], company_inn=COMPANY_INN)  # as the load server loads
    engine.dispose()


def reader_answers(conn: Connection) -> dict[str, Any]:
    """What a page reads, with a lock wait of 1 s at most: a reader the load locks out fails here."""
    conn.execute(text("SET LOCAL lock_timeout = '1s'"))
    return {
        "aging": aging(conn, as_of=END).height,
        **{name: conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one() for name in SHADOWED},
    }


# -------------------------------------------------------------------------------------------- tests


@ON_POSTGRESQL
def test_a_first_load_swaps_its_shadows_in_as_it_commits_and_readers_are_never_locked_out(
    db_url: str, tmp_path: Path, release: Path, sources: Sources, load_server: LoadServer
) -> None:
    engine = make_engine(db_url)  # pooled, like the app's
    ensure_schema(engine)
    migrated = catalog(engine)
    empty = {"aging": 0, **dict.fromkeys(SHADOWED, 0)}

    loading = load_server.start(db_url, sources.base, hold=("record", release))  # everything written
    assert loading.held.wait(timeout=TIMEOUT), loading.lines
    with engine.connect() as conn:
        assert reader_answers(conn) == empty
        # The rows are in the load's shadows, not in the tables readers read (which hold no page at all),
        # and the load holds nothing on those tables that would stop a reader.
        sizes = conn.execute(
            text("SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relname = ANY(:names)"),
            {"names": list(SHADOWED)},
        ).all()
        assert dict(sizes) == dict.fromkeys(SHADOWED, 0)
        locks = conn.execute(
            text(
                "SELECT DISTINCT mode FROM pg_locks WHERE relation = ANY(CAST(:names AS regclass[])) "
                "AND pid <> pg_backend_pid()"
            ),
            {"names": [f"public.{name}" for name in SHADOWED]},
        ).all()
        assert "AccessExclusiveLock" not in {mode for (mode,) in locks}
    assert catalog(engine) == migrated  # what the load made is its own until it commits

    release.touch()
    assert loading.finished.wait(timeout=TIMEOUT), loading.lines
    assert loading.code == 0, loading.lines
    assert catalog(engine) == migrated  # names, definitions, sequences and their owners; no schema left
    with engine.connect() as conn:
        after = reader_answers(conn)
        largest = conn.execute(text("SELECT max(doc_pk) FROM documents")).scalar_one()
        next_key = conn.execute(text("SELECT nextval(pg_get_serial_sequence('documents', 'doc_pk'))")).scalar_one()
    assert all(after[name] > 0 for name in after), after
    assert next_key == largest + 1  # the sequence went on from the keys the load took
    engine.dispose()

    # The same loads without shadows give the same warehouse, and so does a second load onto each.
    with other_warehouse(db_url, tmp_path, "kept") as kept_url:
        create_database(kept_url)
        with without_shadows():
            load(kept_url, sources.base)
        kept = make_engine(kept_url, pooled=False)
        assert counts(kept) == {name: after[name] for name in SHADOWED}
        assert business_checksums(kept_url) == business_checksums(db_url)
        load(kept_url, sources.change)
        load(db_url, sources.change)
        assert business_checksums(kept_url) == business_checksums(db_url)
        kept.dispose()
    engine = make_engine(db_url, pooled=False)
    assert catalog(engine) == migrated
    engine.dispose()


@ON_POSTGRESQL
@pytest.mark.parametrize("point", ["upserts", "matches"])
def test_a_first_load_killed_leaves_the_empty_warehouse_and_no_shadow(
    db_url: str, sources: Sources, point: str
) -> None:
    """Killed with its shadows unindexed (upserts) or indexed, the rollups' too (matches): the server rolls
    the transaction back, schema and sequences included. The same load then lands."""
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    migrated = catalog(engine)
    process = subprocess.run(
        [sys.executable, "-m", "cli", "load", str(sources.base), "--db", db_url],
        cwd=ROOT,
        env={**os.environ, "RECEIVABLES_TEST_KILL": point},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr
    deadline = time.monotonic() + TIMEOUT  # the server ends the dead client's backend when it notices
    with engine.connect() as conn:
        while conn.execute(text(BACKENDS)).scalar_one() > 1:
            assert time.monotonic() < deadline, "the killed load's backend lives on"
            time.sleep(0.05)
            conn.rollback()
    assert catalog(engine) == migrated
    assert counts(engine) == dict.fromkeys(SHADOWED, 0)
    result = load_paths(engine, [sources.base], company_inn=COMPANY_INN)
    assert result.counts["shipments"].new > 0
    assert catalog(engine) == migrated
    engine.dispose()


@ON_POSTGRESQL
def test_a_first_load_that_fails_leaves_the_empty_warehouse_and_its_connection_as_it_was(
    db_url: str, sources: Sources, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error after the shadows were built: rolled back, the pooled connection's search_path its own again,
    and the next load on the same engine goes through shadows of its own."""
    engine = make_engine(db_url)  # pooled: the failed load's connection is the next one's
    ensure_schema(engine)
    migrated = catalog(engine)

    def fail(*_args: object) -> None:
        raise RuntimeError("the record stage failed")

    monkeypatch.setattr(etl.load.run.record, "write_rejects", fail)
    with pytest.raises(RuntimeError, match="the record stage failed"):
        load_paths(engine, [sources.base], company_inn=COMPANY_INN)
    monkeypatch.undo()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT current_setting('search_path')")).scalar_one() == '"$user", public'
        assert not conn.info.get("receivables_shadowing")
    assert catalog(engine) == migrated
    assert counts(engine) == dict.fromkeys(SHADOWED, 0)
    load_paths(engine, [sources.base], company_inn=COMPANY_INN)
    assert catalog(engine) == migrated
    assert counts(engine)["documents"] > 0
    engine.dispose()


@ON_POSTGRESQL
def test_the_documents_and_matches_are_indexed_while_the_client_works_out_the_rollups(
    db_url: str, sources: Sources, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their builds run in a thread of their own on the load's connection, while the rollups are worked out
    from frames; the rollups' own shadows are indexed as they are written. The catalog is the migrations'."""
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    migrated = catalog(engine)
    built: dict[str, set[str]] = {}
    real = warehouse.shadow._build

    def recorded(conn: Connection, statements: list[str]) -> None:
        for statement in statements:
            table = re.search(r" ON (\w+)\.(\w+) USING | TABLE (\w+)\.(\w+) ADD ", statement)
            assert table is not None, statement
            built.setdefault(table.group(2) or table.group(4), set()).add(threading.current_thread().name)
        real(conn, statements)

    monkeypatch.setattr(warehouse.shadow, "_build", recorded)
    load_paths(engine, [sources.base], company_inn=COMPANY_INN)
    assert built == {
        "documents": {"shadow-builds"},
        "matches": {"shadow-builds"},
        "flows": {"MainThread"},
        "shipment_checks": {"MainThread"},
    }
    assert catalog(engine) == migrated
    engine.dispose()


@ON_POSTGRESQL
def test_a_build_that_fails_while_the_rollups_are_worked_out_fails_the_load_and_leaves_nothing(
    db_url: str, sources: Sources, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's error in the builds' thread is the load's, raised once the client's work is done; the
    transaction rolls back as for any failure, and the next load lands."""
    engine = make_engine(db_url)
    ensure_schema(engine)
    migrated = catalog(engine)
    real = warehouse.shadow._build

    def failing(conn: Connection, statements: list[str]) -> None:
        if any("uq_documents_kind_id" in statement for statement in statements):
            conn.exec_driver_sql("SELECT 1 / 0")
        real(conn, statements)

    monkeypatch.setattr(warehouse.shadow, "_build", failing)
    with pytest.raises(DBAPIError, match="division by zero"):
        load_paths(engine, [sources.base], company_inn=COMPANY_INN)
    monkeypatch.undo()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT current_setting('search_path')")).scalar_one() == '"$user", public'
    assert catalog(engine) == migrated
    assert counts(engine) == dict.fromkeys(SHADOWED, 0)
    load_paths(engine, [sources.base], company_inn=COMPANY_INN)
    assert counts(engine)["documents"] > 0
    engine.dispose()
