"""`make screenshots`: refresh docs/screenshots/ from the demo warehouse, one PNG per page.

    python -m tests.e2e.screenshots [--db URL] [--as-of YYYY-MM-DD]

Uses the warehouse `make run` fills (sqlite:///data/warehouse.db by default) and Debian's chromium.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS, start_app
from tests.helpers.paths import ROOT

PAGES = [
    ("Обзор", "overview"),
    ("Динамика просрочки", "trend"),
    ("Календарь платежей", "calendar"),
    ("Задолженность по договорам", "contracts"),
    ("Старение задолженности", "aging"),
    ("Исключения", "exceptions"),
    ("Стоп-лист", "stoplist"),
    ("Напоминания", "reminders"),
    ("Карточка контрагента", "counterparty"),
    ("Акт сверки", "act"),
    ("Данные", "data"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite:///data/warehouse.db")
    parser.add_argument("--as-of", default="")
    args = parser.parse_args()
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        process, url = start_app(args.db, Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                page.goto(url + (f"/?as_of={args.as_of}" if args.as_of else "/"))
                for title, name in PAGES:
                    page.get_by_role("link", name=title).click()
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
