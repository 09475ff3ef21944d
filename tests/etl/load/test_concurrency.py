"""The dashboard while a load runs, and two loads at once (issue 8), on SQLite and PostgreSQL.

A load is one transaction: readers see the warehouse as it was until the load commits, and as the load
left it from then on, never anything in between, and they are never turned away while it writes. A
second load waits for the first (RECEIVABLES_LOAD_WAIT bounds the wait: then it is refused with one
line) and loads onto what the first committed.

The loads run in processes of their own (tests/helpers/load_runner.py's LoadServer); a load can be
stopped at a stage with its lock held and its transaction open, so what a reader or a second load
meets there is certain rather than a matter of timing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import streamlit as st
from sqlalchemy import Connection, Engine, event, func, select
from streamlit.testing.v1 import AppTest

import warehouse
from etl.demo import COMPANY_INN
from etl.load import load_paths
from etl.load.lock import LOAD_WAIT
from queries.aging import aging
from queries.kpi import kpi_summary
from queries.status import warehouse_status
from tests.helpers.databases import copy_warehouse, other_warehouse
from tests.helpers.demo_split import END, Sources, demo_sources, load_base
from tests.helpers.load_runner import LoadServer
from tests.helpers.paths import ROOT
from tests.helpers.tables import business_checksums
from warehouse.engine import make_engine
from warehouse.state import warehouse_version

AS_OF = END
TIMEOUT = 120  # seconds: only so that a broken lock fails the test instead of hanging it


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    return demo_sources(tmp_path_factory.mktemp("concurrency"), scale=3000)


@pytest.fixture
def release(tmp_path: Path) -> Iterator[Path]:
    """The file that lets a held load go on: created at the end whatever happened, so a failed test
    never leaves a load standing."""
    path = tmp_path / "release"
    yield path
    path.touch()


def rows(frame: pl.DataFrame) -> list[tuple[Any, ...]]:
    return frame.sort(frame.columns, nulls_last=True).rows()


# What the pages ask, each on a connection of its own as dashboard/ui/loaders.py runs them.
QUERIES: dict[str, Callable[[Connection], Any]] = {
    "aging": lambda conn: rows(aging(conn, as_of=AS_OF)),
    "kpi": lambda conn: rows(kpi_summary(conn, as_of=AS_OF)),
    "documents": lambda conn: conn.execute(select(func.count()).select_from(warehouse.documents)).scalar(),
    "status": warehouse_status,
    "version": warehouse_version,
}


def answers(engine: Engine) -> dict[str, Any]:
    result = {}
    for name, query in QUERIES.items():
        with engine.connect() as conn:
            result[name] = query(conn)
    return result


def aging_across_the_commit(engine: Engine, commit: Callable[[], None]) -> list[tuple[Any, ...]]:
    """Aging, with the load committing between its first and second SELECT: the worst moment for a query
    that reads in several statements (the debits, then the advances, then the contracts)."""
    selects = 0

    def before_select(_conn, _cursor, statement: str, *_args: Any) -> None:  # type: ignore[no-untyped-def]
        nonlocal selects
        if statement.lstrip().upper().startswith("SELECT"):
            selects += 1
            if selects == 2:
                commit()

    event.listen(engine, "before_cursor_execute", before_select)
    try:
        with engine.connect() as conn:
            return rows(aging(conn, as_of=AS_OF))
    finally:
        event.remove(engine, "before_cursor_execute", before_select)


def overview(db_url: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The overview page through AppTest on the warehouse: its tiles."""
    monkeypatch.setenv("RECEIVABLES_DB_URL", db_url)
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    test.query_params["as_of"] = AS_OF.isoformat()
    test.run()
    assert not test.exception, test.exception
    assert not test.error, [e.value for e in test.error]
    return {m.label: m.value for m in test.metric}


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("RECEIVABLES_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray ./receivables.toml from wherever pytest was started
    st.cache_resource.clear()
    st.cache_data.clear()
    yield monkeypatch
    st.cache_resource.clear()
    st.cache_data.clear()


def test_readers_see_a_load_whole_or_not_at_all_and_are_never_turned_away(
    db_url: str,
    release: Path,
    sources: Sources,
    load_server: LoadServer,
    app_env: pytest.MonkeyPatch,
) -> None:
    load_base(db_url, sources.base)
    engine = make_engine(db_url)  # pooled, like the app's
    before = answers(engine)
    tiles_before = overview(db_url, app_env)

    load = load_server.start(db_url, sources.change, hold=("commit", release))
    seen, slowest = [], 0.0
    deadline = time.monotonic() + TIMEOUT
    # Every ~50 ms while the load reads, writes, matches and rebuilds the rollups, then a few more
    # once it stands at its commit with everything written.
    while not load.held.is_set() or len(seen) < 5:
        assert time.monotonic() < deadline, "the load never got to its commit"
        started = time.perf_counter()
        seen.append(answers(engine))
        slowest = max(slowest, time.perf_counter() - started)
        time.sleep(0.05)
    assert all(answer == before for answer in seen), "a reader saw part of an uncommitted load"
    assert overview(db_url, app_env) == tiles_before  # the page renders, and shows the warehouse before

    def commit() -> None:
        release.touch()
        assert load.finished.wait(timeout=TIMEOUT), "the load did not finish"

    assert aging_across_the_commit(engine, commit) == before["aging"]
    assert load.code == 0, load.lines
    after = answers(engine)
    engine.dispose()
    for name in ("aging", "kpi", "documents", "status", "version"):
        assert after[name] != before[name], name  # the load did change what every question answers
    assert overview(db_url, app_env) != tiles_before  # and the page shows it at once
    print(f"{len(seen)} reads while the load ran, the slowest {slowest:.3f} s; the load: {load.lines}")


def cli(*args: str, env: dict[str, str] | None = None, **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def test_a_second_load_waits_for_the_first_or_is_refused_in_one_line(
    db_url: str, tmp_path: Path, release: Path, sources: Sources, load_server: LoadServer
) -> None:
    load_base(db_url, sources.base)
    # What A then B give, one after the other. B re-exports 2025 with other corrections than A's:
    # the order shows in the amounts.
    with other_warehouse(db_url, tmp_path, "sequential") as sequential_url:
        copy_warehouse(db_url, sequential_url)
        engine = make_engine(sequential_url, pooled=False)
        load_paths(engine, [sources.change], company_inn=COMPANY_INN)
        load_paths(engine, [sources.correction], command=f"load {sources.correction}")
        engine.dispose()
        sequential = business_checksums(sequential_url)

    first = load_server.start(db_url, sources.change, hold=("match", release))  # A: written, not committed
    assert first.held.wait(timeout=TIMEOUT), first.lines

    # B, told not to wait: refused at once, in one line, nothing written.
    refused = cli("load", str(sources.correction), "--db", db_url, env={LOAD_WAIT: "0"})
    out, err = refused.communicate(timeout=TIMEOUT)
    assert refused.returncode == 1, (out, err)
    assert err == (
        "receivables: another load is running on this warehouse: nothing was loaded; load again once it has finished\n"
    )

    # B as it comes: it says it waits, and does (it cannot get past A's lock while A stands).
    waiting = cli("load", str(sources.correction), "--db", db_url)
    assert waiting.stderr is not None
    assert waiting.stderr.readline() == "another load is running on this warehouse: waiting for it to finish\n"
    assert waiting.poll() is None
    release.touch()
    assert first.finished.wait(timeout=TIMEOUT), first.lines
    assert first.code == 0, first.lines
    out, err = waiting.communicate(timeout=TIMEOUT)
    assert waiting.returncode == 0, err
    assert err == ""

    # The audit log records who ran a command, and the reference was loaded in-process.
    found = business_checksums(db_url)
    assert {k: v for k, v in found.items() if k != "audit_log"} == {
        k: v for k, v in sequential.items() if k != "audit_log"
    }
