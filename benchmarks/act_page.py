"""The act page in a real browser (issue 20), medians of 3 on one server (its caches stay up, as for a user
opening the page again):

- navigation: seconds from navigating to `/act?counterparty=ID` until the act's table is drawn and the page
  is idle, each load in a new browser context (a new Streamlit session);
- client change: on an open act page of the smallest client, the largest one chosen in the page's
  selectbox, until its totals and first rows are drawn and the page is idle;
- period change: on the largest client's open act page, a new start date typed (three different months, so
  each act is read anew), until the new act's totals and rows are drawn and the page is idle.

    python -m benchmarks.act_page --db sqlite:////tmp/ap100k.db [--counterparty ID] [--language en]

Without --counterparty the counterparty with the most documents (shipments, payments, returns...) is taken; the
one with the fewest is measured after it, as the page's floor. The
period is the page's default: the as-of date's quarter up to the as-of date. At scale 100 000 the largest
client's quarter is some 700 rows; at 1 000 000 some 8 500.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import text

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, start_app
from warehouse.engine import make_engine

LOADS = 3
# The act's table: HTML since the table is drawn by st.html (a markdown table before).
TABLE = '[data-testid="stHtml"] table.act, [data-testid="stMarkdown"] table'
CHANGES = ("01.09", "01.08", "01.07")  # the period's new start dates (day.month of the as-of date's year)
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
    page.locator(TABLE).first.wait_for(timeout=600_000)
    page.wait_for_function(f"{IDLE} && {DRAWN}", timeout=600_000)
    page.evaluate(FRAMES)


def rows_caption(page) -> str:  # type: ignore[no-untyped-def]
    """The act's «Строки 1–500 из N» line ("" for an act of one page)."""
    caption = page.locator('[data-testid="stMarkdown"]', has_text=ROWS_OF).first
    return str(caption.inner_text()) if caption.count() else ""


ROWS_OF = re.compile(r"(Строки|Rows) 1–")


def changed_to(page, before: str) -> None:  # type: ignore[no-untyped-def]
    """Wait until the act's rows line is no longer `before` (the new act is drawn), no rerun runs and the
    browser has drawn it."""
    script = (
        "(before) => { const lines = [...document.querySelectorAll('[data-testid=\"stMarkdown\"]')]"
        ".map(e => e.innerText).filter(t => /^(Строки|Rows) 1–/.test(t));"
        f" return lines.length === 1 && lines[0] !== before && {IDLE} && {DRAWN}; }}"
    )
    page.wait_for_function(script, arg=before, timeout=600_000)
    page.evaluate(FRAMES)


def _open(browser, url: str, counterparty: str, language: str):  # type: ignore[no-untyped-def]
    """A new session's act page of `counterparty`, settled: (context, page, seconds it took)."""
    query = {"counterparty": counterparty} | ({"lang": language} if language != "ru" else {})
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{url}/act?{urlencode(query)}")
    settled(page)
    seconds = time.perf_counter() - started
    if page.locator('[data-testid="stException"]').count():
        raise RuntimeError("the act page shows an exception")
    return context, page, seconds


def choose_client(page, counterparty: str, language: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds from choosing `counterparty` in the act page's selectbox until its act is drawn."""
    label = "Контрагент" if language == "ru" else "Counterparty"
    main = page.locator('[data-testid="stMain"]')
    box = main.get_by_role("combobox", name=label)
    box.click()
    page.keyboard.type(f"({counterparty})")
    before = rows_caption(page)
    option = page.get_by_role("option", name=f"({counterparty})")
    option.first.wait_for(timeout=60_000)
    started = time.perf_counter()
    page.keyboard.press("Enter")
    changed_to(page, before)
    return time.perf_counter() - started


def change_start(page, day_month: str, year: int, language: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds from typing a new start date's last digit (and leaving the field) until the new act is drawn."""
    label = "Период с" if language == "ru" else "Period from"
    before = rows_caption(page)
    field = page.get_by_role("group", name=label, exact=True)
    field.get_by_role("spinbutton").first.click()  # the day's segment
    page.keyboard.type(day_month.replace(".", "") + str(year)[:-1])
    started = time.perf_counter()
    page.keyboard.type(str(year)[-1])  # the last digit completes the date
    page.locator("h1").first.click()  # leaving the field commits the date
    changed_to(page, before)
    return time.perf_counter() - started


def page_loads(db_url: str, counterparties: list[str], language: str, loads: int = LOADS) -> dict[str, list[float]]:
    """Seconds of each fresh page load of the act page of each counterparty, in order, on one server; then
    (keys "client change" and "period change") the in-session changes of the first counterparty's act."""
    from playwright.sync_api import sync_playwright

    seconds: dict[str, list[float]] = {c: [] for c in counterparties}
    largest, smallest = counterparties[0], counterparties[-1]
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_app(db_url, Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                for counterparty, _ in ((c, n) for c in counterparties for n in range(loads)):
                    context, _page, took = _open(browser, url, counterparty, language)
                    seconds[counterparty].append(took)
                    context.close()
                seconds["client change"] = []
                for _ in range(loads):
                    context, page, _took = _open(browser, url, smallest, language)
                    seconds["client change"].append(choose_client(page, largest, language))
                    context.close()
                context, page, _took = _open(browser, url, largest, language)
                year = int(page.get_by_role("group", name=re.compile("Период с|Period from")).inner_text()[-4:])
                seconds["period change"] = [change_start(page, when, year, language) for when in CHANGES[:loads]]
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
    # sidebar, the totals, the downloads and the closed expanders (signers, ZIP, reconciliation).
    for name, seconds in page_loads(args.db, [counterparty, smallest], args.language).items():
        loads = ", ".join(f"{s:.2f}" for s in seconds)
        what = name if " " in name else f"act page of {name}"
        print(f"{what}: {statistics.median(seconds):.2f} s (median of {len(seconds)}: {loads})")
    print(f"load average {os.getloadavg()[0]:.1f} (the machine is shared: compare with the floor of the same run)")


if __name__ == "__main__":
    main()
