"""Migrations on SQLite and PostgreSQL, with warehouses the code before migrations made (commit e585d7a,
tests/data/warehouse_before): each is recognised, brought to the newest revision in place with every row
kept, and then equals a fresh warehouse (schema, and the aging a further load gives); a warehouse a
newer program upgraded is refused."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from etl.load import load_paths
from queries.aging import aging
from tests.helpers.ledgers import write_files
from tests.helpers.migrations import DUMPS, restore_before, row_counts, schema_of
from tests.helpers.tables import advances, existing_columns, open_amounts, table_checksums
from warehouse import migrations
from warehouse.connect import WarehouseUnavailable, open_warehouse, upgrade_warehouse
from warehouse.engine import ensure_schema, make_engine
from warehouse.migrations import HEAD, Upgrade, WarehouseTooNew
from warehouse.state import read_meta

# What the dumps hold (their README: `receivables demo --scale 20 --seed 7 --end 2025-06-30` and one export).
ROWS_BEFORE = {
    "counterparties": 20,
    "contracts": 50,
    "documents": 97,
    "allocations": 3,
    "matches": 52,
    "flows": 182,
    "shipment_checks": 3,
    "calendar_overrides": 2,
    "load_runs": 1,
    "audit_log": 1,
    "load_files": 12,
    "rejects": 8,
    "reminder_log": 0,
    "meta": 5,
}
NEW_TABLES = ("column_mappings", "answers", "notes", "stop_releases", "their_acts")  # 0002-0006
ROWS_AFTER = ROWS_BEFORE | dict.fromkeys(NEW_TABLES, 0)
# Every revision before HEAD a warehouse may stand at.
EARLIER = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010", "0011", "0012")
LATER = {  # a load after the upgrade: one more shipment and part of its payment, on the demo's contract C00002
    "shipments.csv": "document_id,contract_id,date,amount\nX-S1,C00002,2025-07-01,1500\n",
    "payments.csv": "document_id,date,amount,contract_id\nX-P1,2025-07-10,700,C00002\n",
}


@pytest.fixture
def other_url(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second empty database on db_url's backend, for a fresh warehouse to compare with."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    admin_url = request.getfixturevalue("pg_server")
    name = f"receivables_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def before(db_url: str) -> Iterator[Engine]:
    """An engine on a warehouse made by the code before migrations, not yet upgraded."""
    restore_before(db_url)
    engine = make_engine(db_url, pooled=False)
    yield engine
    engine.dispose()


@pytest.fixture
def fresh(other_url: str) -> Iterator[Engine]:
    """A warehouse this program created, empty."""
    engine = make_engine(other_url, pooled=False)
    ensure_schema(engine)
    yield engine
    engine.dispose()


def revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return migrations.current_revision(conn)


def test_a_warehouse_from_before_upgrades_in_place_with_every_row(before: Engine, fresh: Engine) -> None:
    assert row_counts(before) == ROWS_BEFORE
    old_columns = existing_columns(before)
    old_columns.pop("meta")  # its schema_version follows the head: checked below
    rows = table_checksums(before, only=old_columns)
    assert revision(before) is None
    assert schema_of(before) != schema_of(fresh)  # no alembic_version yet

    done = migrations.upgrade(before)

    assert done == Upgrade(None, HEAD, legacy=True)
    assert done.describe() == f"upgraded the warehouse from before migrations to revision {HEAD}"
    assert revision(before) == HEAD
    assert schema_of(before) == schema_of(fresh)
    assert row_counts(before) == ROWS_AFTER
    assert table_checksums(before, only=old_columns) == rows  # every row kept, value for value
    with before.connect() as conn:  # 0002: contracts have a name, empty until a file gives one
        assert conn.execute(text("SELECT DISTINCT name FROM contracts")).all() == [("",)]
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar() == str(int(HEAD))


def test_upgrading_twice_does_nothing(before: Engine) -> None:
    migrations.upgrade(before)
    rows = table_checksums(before)
    with before.connect() as conn:
        stamped = conn.execute(text("SELECT version_num FROM alembic_version")).all()

    again = migrations.upgrade(before)

    assert again == Upgrade(HEAD, HEAD)
    assert not again.changed
    assert again.describe() == f"the warehouse is up to date (revision {HEAD})"
    assert table_checksums(before) == rows
    with before.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == stamped == [(HEAD,)]


def test_ensure_schema_says_once_that_it_upgraded(before: Engine, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="warehouse"):
        ensure_schema(before)
        ensure_schema(before)
    said = [(r.levelname, r.getMessage()) for r in caplog.records if r.name.startswith("warehouse")]
    assert said == [("WARNING", f"upgraded the warehouse from before migrations to revision {HEAD}")]


def test_a_new_warehouse_is_created_at_the_newest_revision(other_url: str, caplog: pytest.LogCaptureFixture) -> None:
    engine = make_engine(other_url, pooled=False)
    with caplog.at_level(logging.INFO, logger="warehouse"):
        ensure_schema(engine)
    said = [(r.levelname, r.getMessage()) for r in caplog.records if r.name.startswith("warehouse")]
    assert said == [("INFO", f"created the warehouse at revision {HEAD}")]  # a log line, not a warning
    assert revision(engine) == HEAD
    with engine.connect() as conn:
        # The head's number: a program from before migrations refuses it rather than misread it.
        assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar() == str(int(HEAD))
    engine.dispose()


def test_a_load_on_the_upgraded_warehouse_gives_what_it_gives_on_a_fresh_one(
    before: Engine, fresh: Engine, tmp_path: Path
) -> None:
    """The same ledger both ways: the demo the dump holds, then a later load. Fresh, the very source files
    the old program loaded into the dump (kept beside it) are loaded as `receivables demo` loads them."""
    ensure_schema(before)
    with before.connect() as conn:
        company_inn, company_name = read_meta(conn, "company_inn"), read_meta(conn, "company_name")
    assert company_inn
    assert company_name
    later = write_files(tmp_path / "later", LATER)
    load_paths(before, [later])
    load_paths(fresh, [DUMPS / "source"], company_inn=company_inn, company_name=company_name)
    load_paths(fresh, [later])

    as_of = date(2025, 8, 15)
    with before.connect() as conn:
        upgraded = aging(conn, as_of=as_of)
    with fresh.connect() as conn:
        expected = aging(conn, as_of=as_of)
    assert upgraded.height > 0
    assert upgraded.equals(expected)
    assert open_amounts(before, as_of)["X-S1"] == 80_000  # 1500.00 shipped, 700.00 of it paid: in kopecks
    assert open_amounts(before, as_of) == open_amounts(fresh, as_of)
    assert advances(before, as_of) == advances(fresh, as_of)


def test_an_upgraded_warehouse_has_the_first_match_dates_a_load_computes(before: Engine, fresh: Engine) -> None:
    """0008 fills documents.first_match_date from the matches: each document's earliest, as matching sets it
    in a fresh load of the same source files; NULL for a document never matched."""
    ensure_schema(before)
    with before.connect() as conn:
        company_inn, company_name = read_meta(conn, "company_inn"), read_meta(conn, "company_name")
    load_paths(fresh, [DUMPS / "source"], company_inn=company_inn, company_name=company_name)
    query = text("SELECT kind, document_id, doc_pk, side, first_match_date FROM documents")
    earliest: dict[int, date] = {}
    with before.connect() as conn:
        upgraded = {(kind, id_): (pk, side, _day(first)) for kind, id_, pk, side, first in conn.execute(query)}
        for debit_pk, credit_pk, day in conn.execute(text("SELECT debit_pk, credit_pk, match_date FROM matches")):
            for pk in (debit_pk, credit_pk):
                earliest[pk] = min(earliest.get(pk, _day(day)), _day(day))
    with fresh.connect() as conn:
        loaded = {(kind, id_): _day(first) for kind, id_, _, _, first in conn.execute(query)}
    assert {key: earliest.get(pk) for key, (pk, _, _) in upgraded.items()} == {
        key: first for key, (_, _, first) in upgraded.items()
    }
    assert {key: first for key, (_, _, first) in upgraded.items()} == loaded
    matched = [first for _, side, first in upgraded.values() if first is not None]
    assert 0 < len(matched) < len(upgraded)  # some documents never matched: NULL


@pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_the_upgraded_indexes_serve_transactions_older_than_the_upgrade(db_url: str, before: Engine) -> None:
    """0008 writes every matched document in place; an index PostgreSQL builds over rows its own transaction
    updated is marked indcheckxmin, of no use to any transaction begun before the upgrade until it ends (at
    1M, aging a year back went from 0.4 to 5 s while another session's long load ran). 0008 builds the open
    span index before it writes the dates."""
    assert db_url.startswith("postgresql")  # pg_index: PostgreSQL's alone
    migrations.upgrade(before)
    with before.connect() as conn:
        marked = conn.execute(
            text(
                "SELECT indexrelid::regclass::text FROM pg_index "
                "WHERE indrelid = 'documents'::regclass AND indcheckxmin"
            )
        ).all()
    assert marked == []


def _day(value: object) -> date:
    """A date as SQLite gives it (ISO text) or PostgreSQL (a date)."""
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


def test_an_older_warehouse_without_the_rollups_and_with_the_retired_index(before: Engine, fresh: Engine) -> None:
    """As versions before the rollups and the (side, settled_date, doc_date) index left it."""
    rollups = ("flows", "shipment_checks")
    old_columns = existing_columns(before)
    old_columns.pop("meta")  # its schema_version follows the head
    rows = {name: digest for name, digest in table_checksums(before, only=old_columns).items() if name not in rollups}
    with before.begin() as conn:
        for table in rollups:
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(text("DROP INDEX ix_documents_side_settled_date"))
        conn.execute(text("DROP INDEX ix_matches_date"))
        conn.execute(text("CREATE INDEX ix_documents_side_settled ON documents (side, settled_date)"))

    assert migrations.upgrade(before) == Upgrade(None, HEAD, legacy=True)

    assert schema_of(before) == schema_of(fresh)
    after = table_checksums(before, only=old_columns)
    assert {name: digest for name, digest in after.items() if name not in rollups} == rows
    counts = row_counts(before)
    assert counts["flows"] == counts["shipment_checks"] == 0  # the next load builds them in full, as it did


def test_a_warehouse_a_newer_program_upgraded_is_refused(before: Engine, db_url: str) -> None:
    migrations.upgrade(before)
    with before.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    with pytest.raises(WarehouseTooNew) as refused:
        ensure_schema(before)
    assert str(refused.value) == (
        f"the warehouse is at schema revision 0999, newer than this program ({HEAD}): "
        "open it with the newer version of receivables"
    )
    with pytest.raises(WarehouseUnavailable) as unavailable:
        open_warehouse(db_url, pooled=False)
    assert "\n" not in str(unavailable.value)
    assert str(unavailable.value).endswith(str(refused.value))
    assert revision(before) == "0999"  # left as it was


def test_a_warehouse_from_before_with_a_newer_schema_version_is_refused(before: Engine) -> None:
    with before.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    with pytest.raises(WarehouseTooNew) as refused:
        ensure_schema(before)
    assert str(refused.value) == f"the warehouse has schema version 99, newer than this program ({HEAD})"
    assert revision(before) is None


def test_head_is_the_newest_revision_in_the_package() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrations.config())
    assert scripts.get_heads() == [HEAD]
    assert [s.revision for s in scripts.walk_revisions()] == [HEAD, *reversed(EARLIER)]


@pytest.mark.parametrize("earlier", EARLIER)
def test_a_warehouse_at_every_earlier_revision_upgrades_in_place(before: Engine, fresh: Engine, earlier: str) -> None:
    """The dump brought to `earlier` alone (as that program left it), then opened by this one: upgraded to
    HEAD with every row kept, and then the very schema a fresh warehouse has (0006's their_acts and 0008's
    first_match_date included)."""
    from alembic import command

    with before.begin() as conn:
        command.upgrade(migrations.config(conn), earlier)
    assert revision(before) == earlier
    old_columns = existing_columns(before)
    old_columns.pop("meta")  # its schema_version follows the head
    rows = table_checksums(before, only=old_columns)
    assert ("their_acts" in old_columns) == (earlier >= "0006")

    assert migrations.upgrade(before) == Upgrade(earlier, HEAD)

    assert revision(before) == HEAD
    assert schema_of(before) == schema_of(fresh)
    assert table_checksums(before, only=old_columns) == rows
    assert row_counts(before) == ROWS_AFTER


def test_a_new_warehouse_by_the_migrations_equals_one_by_create_all(fresh: Engine, db_url: str) -> None:
    """Exactly, DDL included: an empty database is created from schema.py and stamped HEAD (`fresh`), and
    every revision run from 0001 on an empty database must give the very same warehouse, since that chain
    is what brings every older warehouse to HEAD."""
    from alembic import command

    engine = make_engine(db_url, pooled=False)
    with engine.begin() as conn:
        command.upgrade(migrations.config(conn), HEAD)
    migrated = schema_of(engine)
    engine.dispose()
    assert revision(fresh) == HEAD
    assert migrated["alembic_version"] == {
        "columns": [("version_num", "VARCHAR(32)", False, None)],
        "primary key": ["version_num"],
        "unique": [],
        "indexes": [],
    }
    assert len(migrated["(ddl)"]) >= 23  # every index, and on SQLite every table
    assert migrated == schema_of(fresh)


def test_two_programs_starting_on_the_same_old_warehouse_upgrade_it_once(before: Engine, db_url: str) -> None:
    """A load and the app opening it at the same moment: one upgrades, the other finds it done."""
    engines = [make_engine(db_url, pooled=False) for _ in range(2)]
    start = threading.Barrier(2)
    results: list[Upgrade] = []

    def open_it(engine: Engine) -> None:
        start.wait()
        results.append(migrations.upgrade(engine))

    threads = [threading.Thread(target=open_it, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert sorted(results, key=lambda done: done.changed) == [Upgrade(HEAD, HEAD), Upgrade(None, HEAD, legacy=True)]
    assert row_counts(before) == ROWS_AFTER


def test_upgrade_warehouse_says_what_it_did_for_receivables_upgrade(before: Engine, db_url: str) -> None:
    assert upgrade_warehouse(db_url).describe() == f"upgraded the warehouse from before migrations to revision {HEAD}"
    assert upgrade_warehouse(db_url).describe() == f"the warehouse is up to date (revision {HEAD})"
    assert row_counts(before) == ROWS_AFTER


def test_upgrade_warehouse_names_a_warehouse_it_cannot_reach_without_its_password() -> None:
    url = "postgresql+psycopg2://ar:s3cret@127.0.0.1:1/receivables?connect_timeout=3"
    with pytest.raises(WarehouseUnavailable) as unavailable:
        upgrade_warehouse(url)
    message = str(unavailable.value)
    assert message.startswith("cannot open the warehouse postgresql+psycopg2://ar:***@127.0.0.1:1/receivables")
    assert "s3cret" not in message
    assert "\n" not in message


def test_receivables_upgrade_and_the_other_commands_say_what_they_did(
    before: Engine, db_url: str, other_url: str, tmp_path: Path
) -> None:
    """`receivables upgrade` prints what it did on stdout; any other command upgrades by itself and says so
    once on stderr; a warehouse already up to date prints nothing extra."""
    from tests.helpers.cli import run

    before.dispose()
    upgraded = run("upgrade", "--db", db_url)
    assert upgraded.returncode == 0, upgraded.stderr
    assert upgraded.stdout.strip() == f"upgraded the warehouse from before migrations to revision {HEAD}"
    again = run("upgrade", "--db", db_url)
    assert again.stdout.strip() == f"the warehouse is up to date (revision {HEAD})"
    assert row_counts(before) == ROWS_AFTER

    restore_before(other_url)  # another warehouse from before migrations: this time an export meets it first
    output = str(tmp_path / "aging.csv")
    exported = run("export", "aging", "--as-of", "2025-06-30", "--db", other_url, "-o", output)
    assert exported.returncode == 0, exported.stderr
    assert f"upgraded the warehouse from before migrations to revision {HEAD}" in exported.stderr
    quiet = run("export", "aging", "--as-of", "2025-06-30", "--db", other_url, "-o", output)
    assert quiet.returncode == 0, quiet.stderr
    assert "upgraded" not in quiet.stderr
