"""A load killed mid-way (SIGKILL, inside its transaction) leaves the warehouse exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from etl.load import load_paths
from tests.helpers.ledgers import source, write_files
from tests.helpers.paths import ROOT
from tests.helpers.tables import table_checksums


@pytest.mark.parametrize("point", ["upserts", "matches"])
def test_killed_load_leaves_nothing(engine: Engine, db_url: str, tmp_path: Path, point: str) -> None:
    load_paths(engine, [source(tmp_path)])
    before = table_checksums(engine)
    more = write_files(
        tmp_path / "more",
        {
            "shipments_more.csv": "document_id,contract_id,date,amount\nS10,C1,2025-03-01,10\nS2,C1,2025-01-20,1\n",
            "payments_more.csv": "document_id,date,amount,contract_id,deleted\nP1,2025-02-01,1200,C1,1\n",
        },
    )
    process = subprocess.run(
        [sys.executable, "-m", "cli", "load", str(more), "--db", db_url],
        cwd=ROOT,
        env={**os.environ, "RECEIVABLES_TEST_KILL": point},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert table_checksums(engine) == before
    # And the same load, not killed, does land.
    result = load_paths(engine, [more])
    assert result.counts["shipments"].new == 1
    assert result.counts["payments"].deleted == 1
