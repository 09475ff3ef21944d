"""The maintenance_work_mem of a first load's index builds on PostgreSQL (warehouse.shadow.build_memory):
1GB unless RECEIVABLES_BUILD_MEMORY says otherwise, in PostgreSQL's units or "server" for the server's own;
anything else refuses the load before it writes a row, naming the variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, event, func, select

import warehouse
from etl.load import load_paths
from etl.load.types import LoadError
from tests.helpers.ledgers import source
from warehouse.engine import ensure_schema, make_engine
from warehouse.shadow import BUILD_MEMORY_VARIABLE, build_memory

ON_POSTGRESQL = pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "1GB"),
        ("256MB", "256MB"),
        (" 2 GB ", "2GB"),
        ("1024kB", "1024kB"),
        ("2047GB", "2047GB"),  # PostgreSQL's largest is 2147483647kB, 1kB under 2TB
        ("server", None),
        ("Server", None),
    ],
)
def test_the_setting_read_from_the_environment(
    value: str, expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BUILD_MEMORY_VARIABLE, value)
    assert build_memory() == expected


@pytest.mark.parametrize("value", ["1G", "lots", "512kB", "0MB", "-1GB", "256 mb", "1.5GB", "2TB", "2048GB"])
def test_what_postgresql_would_refuse_is_refused_with_what_is_accepted(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BUILD_MEMORY_VARIABLE, value)
    with pytest.raises(ValueError, match=r'from 1MB to 2047GB .*"256MB".*"server"') as refused:
        build_memory()
    assert repr(value) in str(refused.value)


def builds_memory(engine: Engine, folder: Path) -> list[str | None]:
    """A first load of folder: the maintenance_work_mem each index or constraint build ran with, as the load
    set it (None: never set, the server's own)."""
    current: list[str | None] = [None]
    seen: list[str | None] = []

    def before(_conn, _cursor, statement: str, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if "set_config" in statement and isinstance(parameters, dict):
            if parameters.get("setting") == "maintenance_work_mem":
                current[0] = str(parameters["value"])
        elif statement.startswith(("CREATE INDEX", "CREATE UNIQUE INDEX")) or " ADD CONSTRAINT " in statement:
            seen.append(current[0])

    event.listen(engine, "before_cursor_execute", before)
    try:
        load_paths(engine, [folder])
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return seen


@ON_POSTGRESQL
@pytest.mark.parametrize(("value", "expected"), [("", "1GB"), ("256MB", "256MB"), ("server", None)])
def test_a_first_loads_builds_run_with_the_memory_set(
    db_url: str, tmp_path: Path, value: str, expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BUILD_MEMORY_VARIABLE, value)
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    with engine.connect() as conn:
        servers = str(conn.exec_driver_sql("SELECT current_setting('maintenance_work_mem')").scalar_one())
    seen = builds_memory(engine, source(tmp_path))
    assert len(seen) == 18  # the keys and indexes of documents (9), matches (5), flows (2), shipment_checks (2)
    if expected is None:  # never set, or set back to the server's own after a batch of builds
        assert set(seen) <= {None, servers}
    else:
        assert set(seen) == {expected}
    engine.dispose()


@ON_POSTGRESQL
def test_a_bad_setting_refuses_the_load_before_it_writes_anything(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BUILD_MEMORY_VARIABLE, "1G")
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    with pytest.raises(LoadError, match=f"{BUILD_MEMORY_VARIABLE} must be .* not '1G'"):
        load_paths(engine, [source(tmp_path)])
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(warehouse.documents)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(warehouse.load_runs)).scalar_one() == 0
    monkeypatch.setenv(BUILD_MEMORY_VARIABLE, "256MB")
    load_paths(engine, [source(tmp_path)])
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(warehouse.documents)).scalar_one() == 7
    engine.dispose()
