"""Warm rerun time of every page (AppTest, the page's second run with the same filters), and the peak memory.

python -m benchmarks.pages --db sqlite:///bench_out/pages.db [--as-of 2026-11-20]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.context import PageContext
from dashboard.filters import Filters

PAGES = [
    "overview",
    "trend",
    "payment_calendar",
    "contracts",
    "aging",
    "exceptions",
    "stoplist",
    "reminders",
    "counterparty",
    "act",
    "data",
]
ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 20))
    parser.add_argument("--counterparty", default="K0018")
    args = parser.parse_args()
    os.environ["RECEIVABLES_DB_URL"] = args.db
    st.cache_resource.clear()
    for name in PAGES:
        counterparty = args.counterparty if name in ("counterparty", "act") else ""
        context = PageContext("ru", Filters(args.as_of, "RUB", "", "", counterparty, ""))
        test = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=300)
        test.session_state["page_context"] = context
        started = time.perf_counter()
        test.run()
        cold = time.perf_counter() - started
        warm = []
        for _ in range(3):
            started = time.perf_counter()
            test.run()
            warm.append(time.perf_counter() - started)
        error = " EXCEPTION" if test.exception else ""
        print(f"{name:18} cold {cold:6.2f} s   warm {statistics.median(warm):6.2f} s{error}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the process that ran every page: {peak:,.0f} MB", flush=True)


if __name__ == "__main__":
    main()
