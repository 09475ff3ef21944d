"""Page timings for `make bench`: every page's warm rerun (AppTest), and in a real browser the time to the
overview's first chart and the app server's peak memory after visiting every page.

    python -m benchmarks.pages --db sqlite:///bench_out/pages.db [--as-of 2026-11-20] [--counterparty K0018]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from tests.helpers.paths import ROOT

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
# Navigation titles of the pages the browser visits after the overview.
TITLES = [
    "Динамика просрочки",
    "Календарь платежей",
    "Задолженность по договорам",
    "Старение задолженности",
    "Исключения",
    "Стоп-лист",
    "Напоминания",
    "Карточка контрагента",
    "Акт сверки",
    "Данные",
]


def warm_reruns(db_url: str, as_of: date, counterparty: str) -> dict[str, tuple[float, float, bool]]:
    """page -> (first run, median of 3 warm reruns, raised) under AppTest, in this process."""
    previous = os.environ.get("RECEIVABLES_DB_URL")
    os.environ["RECEIVABLES_DB_URL"] = db_url
    st.cache_resource.clear()
    st.cache_data.clear()
    timings = {}
    try:
        for name in PAGES:
            chosen = counterparty if name in ("counterparty", "act") else ""
            test = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=600)
            test.session_state["page_context"] = PageContext("ru", Filters(as_of, "RUB", "", "", chosen, ""))
            started = time.perf_counter()
            test.run()
            cold = time.perf_counter() - started
            warm = []
            for _ in range(3):
                started = time.perf_counter()
                test.run()
                warm.append(time.perf_counter() - started)
            timings[name] = (cold, statistics.median(warm), bool(test.exception))
    finally:
        if previous is None:
            os.environ.pop("RECEIVABLES_DB_URL", None)
        else:
            os.environ["RECEIVABLES_DB_URL"] = previous
        st.cache_resource.clear()
        st.cache_data.clear()
    return timings


# Records, by the page's own clock (ms since navigation started), when each selector first matched: the
# harness's round trips to the browser stay out of the figure.
APPEARED = """(selectors) => { window.__appeared = {};
  const check = () => { for (const [name, css] of Object.entries(selectors))
    if (!(name in window.__appeared) && document.querySelector(css)) window.__appeared[name] = performance.now(); };
  new MutationObserver(check).observe(document, {subtree: true, childList: true}); }"""


def _watch(page, **selectors: str) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(f"({APPEARED})({json.dumps(selectors)})")


def _appeared(page, name: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds from navigation until `name`'s selector first matched (see APPEARED)."""
    return float(page.evaluate(f"window.__appeared[{json.dumps(name)}]")) / 1000


def _peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def first_paint(db_url: str, script: Path, selector: str, runs: int = 3, path: str = "/") -> float | None:
    """Median seconds, by the page's own clock, from navigating to `path` on a freshly started server (as
    `receivables serve` starts it) until `selector` is in the page, each run with a fresh server and a fresh
    browser (no cached JavaScript). None without chromium."""
    from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, start_app

    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    timings = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        for _ in range(runs):
            process, url = start_app(db_url, Path(tmp), script=script)
            try:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                _watch(page, target=selector)
                page.goto(f"{url}{path}")
                page.locator(selector).first.wait_for(timeout=600_000)
                timings.append(_appeared(page, "target"))
                browser.close()
            finally:
                process.terminate()
                process.wait(timeout=30)
    return statistics.median(timings)


def browser_run(db_url: str, as_of: date) -> tuple[float, float] | None:
    """(the overview's first chart on a fresh server: first_paint of its SVG buckets chart, medians of 3; the
    server's peak RSS in MB after visiting every page), or None without chromium."""
    from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, start_app

    # As of the day whose first pages were prepared (`receivables load` prepares today's; the bench, its own
    # day's): what a user opening the app after a load waits on. Opened as of today, which the bench had not
    # prepared, it timed the answers being worked out: 3.1-3.4 s against 1.7 s at 1M on SQLite.
    first_chart = first_paint(
        db_url, ROOT / "streamlit_app.py", 'svg[data-chart="buckets"]', path=f"/?as_of={as_of.isoformat()}"
    )
    if first_chart is None:
        return None
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_app(db_url, Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{url}/?as_of={as_of.isoformat()}")
                page.locator('svg[data-chart="buckets"]').wait_for(timeout=600_000)
                for title in TITLES:
                    page.get_by_role("link", name=title).click()
                    page.locator("h1").first.wait_for(timeout=600_000)
                    page.wait_for_function(
                        "document.querySelector('[data-testid=\"stStatusWidget\"]') === null", timeout=600_000
                    )
                browser.close()
            return first_chart, _peak_rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)


# A page as small as Streamlit serves: a title and a metric, no data. What no first page can beat.
BARE_PAGE = 'import streamlit as st\nst.title("Floor")\nst.metric("Owed", "1 234 567,89 ₽")\n'


def browser_floor(runs: int = 3) -> float | None:
    """first_paint of a bare page (BARE_PAGE: its metric), measured as the overview's first chart is:
    Streamlit's own JavaScript and session start, which no first page can beat."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "floor.py"
        script.write_text(BARE_PAGE, encoding="utf-8")
        return first_paint("sqlite://", script, '[data-testid="stMetric"]', runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 11, 20))
    parser.add_argument("--counterparty", default="K0018")
    args = parser.parse_args()
    for name, (cold, warm, raised) in warm_reruns(args.db, args.as_of, args.counterparty).items():
        print(f"{name:18} first {cold:6.2f} s   warm {warm:6.3f} s{' EXCEPTION' if raised else ''}", flush=True)
    browser = browser_run(args.db, args.as_of)
    if browser is not None:
        print(f"browser: first chart {browser[0]:.2f} s, app server peak RSS {browser[1]:,.0f} MB", flush=True)
        print(f"browser: a bare Streamlit page (the floor) {browser_floor() or 0:.2f} s", flush=True)


if __name__ == "__main__":
    main()
