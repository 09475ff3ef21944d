"""A load killed with SIGKILL at random moments leaves the warehouse exactly as it was (issue 8).

The warehouse holds a demo split at a date (tests/helpers/demo_split.py); the killed load brings the
rest (later days, the bank statement) and corrects amounts of earlier shipments, so it inserts, updates,
matches on, matches again from scratch and rebuilds the rollups: there is something to half-write at
every moment. Each run starts the load in a process of its own (tests/helpers/load_runner.py) and kills
it after a delay drawn by a seeded generator from [0, the load's own duration], measured on an
uninterrupted copy. After every kill each table's rows hash exactly as before; after all of them the
same load, not killed, lands at once (no lock is left behind) and gives what the uninterrupted copy holds.

test_atomic.py kills at the loader's two fixed points; the reminder run's crash is
tests/dashboard/services/test_reminder_run.py::test_cli_killed_mid_run_resends_nothing.
"""

from __future__ import annotations

import random
import signal
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.helpers.databases import copy_warehouse, other_warehouse
from tests.helpers.demo_split import Sources, demo_sources, load_base
from tests.helpers.load_runner import LoadServer
from tests.helpers.tables import business_checksums, table_checksums
from warehouse.engine import make_engine

RUNS = 10
SEEDS = {"sqlite": 20260601, "postgresql": 20260602}


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    return demo_sources(tmp_path_factory.mktemp("crash"), scale=3000)


def checksums(url: str) -> dict[str, str]:
    """Every table's rows, every column, ordered and hashed (tests/helpers/tables.py)."""
    engine = make_engine(url, pooled=False)
    try:
        return table_checksums(engine)
    finally:
        engine.dispose()


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
