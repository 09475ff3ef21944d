"""benchmarks/ten_million.py: which month folders go into each load (the first N at once, then so many a
load, up to a month), and a rerun going on after the months already recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks import ten_million

MONTHS = ["2024-11", "2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05"]


def loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any) -> list[list[str]]:
    """The groups of month names load_months passes to `receivables load`, in order; recorded as loaded."""
    seen: list[list[str]] = []

    def command(args: list[str]) -> dict[str, Any]:
        seen.append([Path(a).name for a in args if Path(a).parent.name == "months"])
        return {"wall_s": 1.0, "cpu_s": 1.0, "peak_rss_mb": 1, "load_avg": 0.0, "said": ""}

    monkeypatch.setattr(ten_million, "timed_command", command)
    monkeypatch.setattr(ten_million, "database_size_mb", lambda _url: 0)
    folders = [tmp_path / "months" / name for name in MONTHS]
    ten_million.load_months(tmp_path, folders, "postgresql://x/y", **options)
    return seen


def test_the_first_load_takes_the_first_months_then_quarters_up_to_a_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = loads(tmp_path, monkeypatch, per_load=2, first=3, until="2025-04")
    assert first == [["2024-11", "2024-12", "2025-01"], ["2025-02", "2025-03"], ["2025-04"]]
    # A rerun goes on after what was recorded, a month a load; `first` applies to an empty record only.
    assert loads(tmp_path, monkeypatch, per_load=1, first=3) == [["2025-05"]]


def test_without_options_every_month_is_a_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert loads(tmp_path, monkeypatch) == [[name] for name in MONTHS]
