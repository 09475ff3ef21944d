"""`make bench` rewrites the tables of docs/benchmarks.md and keeps what was measured by hand below them."""

from __future__ import annotations

from benchmarks.run import HAND_WRITTEN, keep_hand_written
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
