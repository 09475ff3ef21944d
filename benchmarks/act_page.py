"""The act page in a real browser (issue 20): seconds from navigating to `/act?counterparty=ID` until the act's
table is drawn and the page is idle, the median of 3 fresh page loads (a new browser context each, so a new
Streamlit session; the server and its caches stay up, as for a user opening the page again).

    python -m benchmarks.act_page --db sqlite:////tmp/ap100k.db [--counterparty ID] [--language en]

Without --counterparty the counterparty with the most documents (shipments, payments, returns...) is taken; the
one with the fewest is measured after it, as the page's floor. The
period is the page's default: the as-of date's quarter up to the as-of date. At scale 100 000 the largest
client's quarter is some 700 rows; at 1 000 000 some 8 500.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import text

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, start_app
from warehouse.engine import make_engine

LOADS = 3
# Streamlit loads the code of some widgets (the selectboxes, the buttons) lazily and shows a grey skeleton
# meanwhile: the page is not ready until none is left.
DRAWN = "document.querySelector('[data-testid=\"stSkeleton\"]') === null"
# The page is settled when the table is in the DOM, no rerun is running and the browser has drawn two frames
# since (a requestAnimationFrame runs only once layout and painting of the long table are done).
FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"


def largest_and_smallest(db_url: str) -> tuple[str, str]:
    """The counterparties with the most and the fewest documents in the warehouse."""
    engine = make_engine(db_url, pooled=False)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT counterparty_id, COUNT(*) AS n FROM documents WHERE counterparty_id IS NOT NULL"
                    " GROUP BY counterparty_id ORDER BY n DESC, counterparty_id"
                )
            ).all()
    finally:
        engine.dispose()
    return str(rows[0][0]), str(rows[-1][0])


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the act's table is in the page, no rerun runs and the browser has drawn it."""
    page.locator('[data-testid="stMarkdown"] table').first.wait_for(timeout=600_000)
    page.wait_for_function(f"{IDLE} && {DRAWN}", timeout=600_000)
    page.evaluate(FRAMES)


def page_loads(db_url: str, counterparties: list[str], language: str, loads: int = LOADS) -> dict[str, list[float]]:
    """Seconds of each fresh page load of the act page of each counterparty, in order, on one server."""
    from playwright.sync_api import sync_playwright

    seconds: dict[str, list[float]] = {c: [] for c in counterparties}
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_app(db_url, Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                for counterparty, _ in ((c, n) for c in counterparties for n in range(loads)):
                    query = {"counterparty": counterparty} | ({"lang": language} if language != "ru" else {})
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(f"{url}/act?{urlencode(query)}")
                    settled(page)
                    seconds[counterparty].append(time.perf_counter() - started)
                    if page.locator('[data-testid="stException"]').count():
                        raise RuntimeError("the act page shows an exception")
                    context.close()
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--counterparty", default="")
    parser.add_argument("--language", choices=("ru", "en"), default="ru")
    args = parser.parse_args()
    largest, smallest = largest_and_smallest(args.db)
    counterparty = args.counterparty or largest
    # The smallest client's act (a few rows) is the page without its table: Streamlit's own start, the
    # sidebar, the totals, the downloads and the reconciliation section.
    for name, seconds in page_loads(args.db, [counterparty, smallest], args.language).items():
        loads = ", ".join(f"{s:.2f}" for s in seconds)
        print(f"act page of {name}: {statistics.median(seconds):.2f} s (median of {LOADS} loads: {loads})")


if __name__ == "__main__":
    main()
