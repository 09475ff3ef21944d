"""`make bench` rewrites the tables of docs/benchmarks.md and keeps what was measured by hand below them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from benchmarks.run import (
    FLOOR_TODAY,
    FLOOR_YEAR_AGO,
    HAND_WRITTEN,
    TARGETS,
    aging_against_floors,
    keep_hand_written,
    polars_floor,
)
from etl.load import load_paths
from queries.aging import aging
from tests.helpers.ledgers import source
from tests.helpers.paths import ROOT


def test_the_hand_written_part_survives_a_new_table() -> None:
    previous = f"# Benchmarks\n\n| old table |\n\n{HAND_WRITTEN}\n\n## Acts at 45,000 rows\n\nPDF 3.8 s\n"
    rewritten = keep_hand_written("# Benchmarks\n\n| new table |\n", previous)
    assert rewritten == f"# Benchmarks\n\n| new table |\n\n{HAND_WRITTEN}\n\n## Acts at 45,000 rows\n\nPDF 3.8 s\n"
    assert "old table" not in rewritten


def test_without_the_marker_the_file_is_the_new_tables() -> None:
    assert keep_hand_written("| new |\n", "| old |\n## by hand\n") == "| new |\n"


def test_the_docs_carry_the_marker_above_the_sections_measured_by_hand() -> None:
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    kept = text[text.index(HAND_WRITTEN) :]
    assert "## Acts at 45,000 rows" in kept
    assert "## The act page in the browser" in kept


@pytest.mark.parametrize("as_of", [date(2025, 2, 10), date(2025, 12, 31)])
def test_the_aging_floor_is_aging_as_of_its_own_day(engine: Engine, tmp_path: Path, as_of: date) -> None:
    """The floor of «aging a year ago» is the same computation as of that day, not as of today: per
    contract, what is open and what of it is overdue, as aging gives them."""
    load_paths(engine, [source(tmp_path)])
    with engine.connect() as conn:
        floor = polars_floor(conn, as_of)()
        expected = aging(conn, as_of=as_of).filter(pl.col("not_due") + pl.col("overdue") > 0)
    assert sorted(floor.select("contract_id", "open", "overdue").rows()) == sorted(
        expected.select("contract_id", pl.col("not_due") + pl.col("overdue"), "overdue").rows()
    )


def test_aging_against_its_floors_gives_both_ratios(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path)])
    with engine.connect() as conn:
        figures = aging_against_floors(conn, date(2025, 12, 31), runs=1)
    assert set(figures) == {
        FLOOR_TODAY,
        FLOOR_YEAR_AGO,
        "aging today",
        "aging a year ago",
        "aging today / floor",
        "aging a year ago / floor",
    }
    assert set(figures) <= set(TARGETS)
    assert figures["aging a year ago / floor"].endswith("x")
