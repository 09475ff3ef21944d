"""Fixtures of every folder: a fresh warehouse per test on SQLite, and on PostgreSQL when a server answers;
the app's warehouse under AppTest; downloads; a real SMTP server.

PostgreSQL tests are mandatory in CI (CI=true): there a missing server fails them instead of skipping.
Each PostgreSQL test database is created for the test session and dropped after it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from tests.helpers.databases import PG_ADMIN_URL, pg_problem, reset_pg
from tests.helpers.ledgers import source
from tests.helpers.smtp import Inbox, smtp_server
from tests.helpers.templates import Templates
from warehouse.engine import ensure_schema, make_engine

# The modules that hold the suite's longest single tests (a minute or more under load: kills of a load, the
# browser, the property runs), started first so that no worker is left alone with one at the end of a run
# (pytest -n's default distribution shares out the rest; --dist worksteal measured slower here). Order only:
# every test still runs.
LONGEST_FIRST = (
    "tests/etl/load/test_shadow_swap.py",
    "tests/e2e/test_client_browser.py",
    "tests/system/test_injection.py",
    "tests/etl/load/test_crash.py",
    "tests/queries/test_ledger.py",
    "tests/etl/load/test_first.py",
    "tests/queries/test_trend.py",
    "tests/etl/load/test_concurrency.py",
    "tests/etl/load/test_properties.py",
    "tests/e2e/",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return next((n for n, prefix in enumerate(LONGEST_FIRST) if path.startswith(prefix)), len(LONGEST_FIRST))

    items.sort(key=rank)  # stable: each module's tests stay together and in order


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The admin URL of a PostgreSQL server, or a skip (a failure when CI=true)."""
    problem = pg_problem()
    if problem is not None:
        message = f"PostgreSQL at {PG_ADMIN_URL} does not answer ({problem})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; PostgreSQL tests are mandatory in CI")
        pytest.skip(message + "; start it or set RECEIVABLES_TEST_PG")
    return PG_ADMIN_URL


@pytest.fixture(scope="session")
def pg_database(pg_server: str) -> Iterator[str]:
    """A database of its own for this test session, dropped at the end."""
    name = f"receivables_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = pg_server.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A warehouse URL on each backend, empty at the start of the test."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'warehouse.db'}"
    url = request.getfixturevalue("pg_database")
    reset_pg(url)
    return url


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[Templates]:
    kept = Templates(tmp_path_factory.mktemp("templates"), request)
    yield kept
    kept.drop()


@pytest.fixture
def small_ledger(db_url: str, tmp_path: Path, templates: Templates) -> str:
    """db_url holding the small hand-computed ledger as `receivables load` of it leaves a warehouse (a copy of
    one such load per session and backend); its source files are in tmp_path too."""
    from tests.helpers.cli import invoke

    def build(url: str) -> None:
        done = invoke("load", str(source(templates.folder / "small_ledger")), "--db", url)
        assert done.returncode == 0, done.stderr

    source(tmp_path)
    return templates.copy("small_ledger", db_url, build)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty SQLite warehouse the app under AppTest uses (RECEIVABLES_DB_URL), with cold caches."""
    import streamlit as st

    url = f"sqlite:///{tmp_path / 'app.db'}"
    engine = make_engine(url, pooled=False)
    ensure_schema(engine)
    engine.dispose()
    monkeypatch.setenv("RECEIVABLES_DB_URL", url)
    monkeypatch.delenv("RECEIVABLES_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray ./receivables.toml from wherever pytest was started
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def loaded_db(app_db: str, tmp_path: Path) -> str:
    """app_db holding the small hand-computed ledger (tests/helpers/ledgers.py)."""
    from etl.load import load_paths

    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    return app_db


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], object]]:
    """What each download button of an AppTest run would hand the browser, by file id: the callables
    Streamlit defers until a click (call one to get the file's bytes)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    deferred: dict[str, Callable[[], object]] = {}
    original = MediaFileManager.add_deferred

    def recording(self: MediaFileManager, data_callable: Callable[[], object], *args: object, **kwargs: object) -> str:
        file_id = original(self, data_callable, *args, **kwargs)  # type: ignore[arg-type]
        deferred[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return deferred


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on localhost (tests/helpers/smtp.py): its inbox and its port."""
    with smtp_server() as server:
        yield server
