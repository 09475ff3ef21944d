"""benchmarks/load_memory.py: a load in a process of its own, its stages and what it read (the memory
figures themselves go to `make bench`, never into a test)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

import warehouse
from benchmarks.load_memory import measure_in_process
from tests.helpers.ledgers import source
from warehouse.engine import make_engine


def test_a_load_in_a_process_of_its_own_reports_its_stages_and_rows(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    figures = measure_in_process(source(tmp_path), url)
    # The small ledger: 2 counterparties, 3 contracts, 5 shipments, 2 payments.
    assert figures["rows_read"] == 12
    stages = [stage["stage"] for stage in figures["stages"]]
    assert stages[0] == "start"
    assert stages[-1] == "after"
    assert {"read", "validate shipments", "write shipment", "match", "rollups"} <= set(stages)
    assert figures["peak_rss_mb"] >= max(stage["peak_mb"] for stage in figures["stages"]) - 1
    engine = make_engine(url, pooled=False)
    with engine.connect() as conn:  # the load went into the warehouse named
        assert conn.execute(select(func.count()).select_from(warehouse.documents)).scalar() == 7
    engine.dispose()
