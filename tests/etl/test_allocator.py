"""polars' allocator returns the pages a load frees (etl.allocator): set for the CLI and the app's server
before anything imports polars, as jemalloc itself reports its options at exit (stats_print)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl import allocator

ROOT = Path(__file__).resolve().parents[2]


def _jemalloc_option(code: str, given: str) -> str:
    """The muzzy_decay_ms jemalloc runs with in a fresh Python running `code`, with _RJEM_MALLOC_CONF `given`
    (stats_print added: jemalloc prints its options as the process ends)."""
    env = {k: v for k, v in os.environ.items() if k != allocator.VARIABLE}
    env[allocator.VARIABLE] = ",".join(filter(None, [given, "stats_print:true"]))
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip().startswith("opt.muzzy_decay_ms:")]
    assert len(lines) == 1, done.stderr[-2000:]
    return lines[0].split()[1]


POLARS_AT_WORK = "import polars as pl; pl.DataFrame({'a': list(range(1000))}).sum()"


@pytest.mark.parametrize("entry", ["import cli", "import dashboard.server"])
def test_the_cli_and_the_server_return_decayed_pages_at_once(entry: str) -> None:
    assert _jemalloc_option(f"{entry}; {POLARS_AT_WORK}", "") == "0"


def test_polars_alone_keeps_its_own_setting_and_a_users_setting_is_left_as_it_is() -> None:
    assert _jemalloc_option(POLARS_AT_WORK, "") == "1000"  # polars' own: what the product changes
    assert _jemalloc_option(f"import cli; {POLARS_AT_WORK}", "muzzy_decay_ms:250") == "250"


def test_too_late_once_polars_is_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    import polars  # noqa: F401

    monkeypatch.delenv(allocator.VARIABLE, raising=False)
    assert allocator.configure() is False
    assert allocator.VARIABLE not in os.environ
