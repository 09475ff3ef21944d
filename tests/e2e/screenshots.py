"""`make screenshots`: refresh docs/screenshots/ from the demo warehouse, one PNG per page.

    python -m tests.e2e.screenshots [--db URL] [--as-of YYYY-MM-DD] [--language en] [--out FOLDER]

Uses the warehouse `make run` fills (sqlite:///data/warehouse.db by default) and Debian's chromium. The
README's pictures are the Russian ones; `--language en --out /tmp/en` takes the same pages in English to
look at (the page titles are the catalog's, so links are found in either language).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

from dashboard.i18n import LANGUAGES, translate
from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, start_app
from tests.helpers.paths import ROOT

PAGES = [  # the catalog key of the page's title in the navigation, the picture's name
    ("page.overview", "overview"),
    ("trend.title", "trend"),
    ("calendar.title", "calendar"),
    ("forecast.title", "forecast"),
    ("contracts.page", "contracts"),
    ("page.aging", "aging"),
    ("worklist.page", "worklist"),
    ("exceptions.page", "exceptions"),
    ("stoplist.page", "stoplist"),
    ("reminders.page", "reminders"),
    ("counterparty.page", "counterparty"),
    ("act.title", "act"),
    ("page.data", "data"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite:///data/warehouse.db")
    parser.add_argument("--as-of", default="")
    parser.add_argument("--language", choices=LANGUAGES, default="ru")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_app(args.db, Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                query = {"as_of": args.as_of} if args.as_of else {}
                if args.language != "ru":
                    query["lang"] = args.language
                page.goto(url + "/" + ("?" + urlencode(query) if query else ""))
                for key, name in PAGES:
                    page.get_by_role("link", name=translate(key, args.language), exact=True).click()
                    page.locator("h1").first.wait_for(timeout=120_000)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(5000)  # tables and charts draw after the script finishes
                    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                    print(f"{name}: {out / f'{name}.png'}")
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=20)


if __name__ == "__main__":
    main()
