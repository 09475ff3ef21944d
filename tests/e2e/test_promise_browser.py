"""A promise added on the card changes who is called and who is reminded, in a real browser (issue 17). The
small ledger (tests/helpers/ledgers.py) on Monday 12.01.2026: K1 «Ромашка» (S2 repeat, S5 before) and K2
«Петров» (S4) are both on the worklist and both get a letter (tests/queries/test_reminders.py). K1 promises
300,50 (all it owes) by 16.01.2026 on its card: the worklist keeps K2 alone, the reminders send one letter and
list «Ромашка» «На паузе» with its promise."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.browser import IDLE, add_promise, start_small_ledger_app

pytestmark = pytest.mark.e2e
AS_OF = "as_of=2026-01-12"
NB = "\u00a0"
ROMASHKA, PETROV = "ООО «Ромашка»", "ИП Петров Пётр Петрович"


def settle(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(800)  # a rerun starts
    page.wait_for_function(IDLE, timeout=60_000)
    page.wait_for_timeout(300)


def open_page(page, path: str, heading: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(path)  # under the context's base_url
    page.get_by_role("heading", level=1, name=heading).wait_for(timeout=60_000)
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0


def body(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.inner_text("body")).replace(NB, " ")


def grid_text(page, index: int) -> str:  # type: ignore[no-untyped-def]
    """The visible grid's cells (from 0 down the page): the grid draws on a canvas and keeps its cells' text
    in a table for screen readers."""
    grid = page.locator('[data-testid="stDataFrame"]:visible').nth(index)
    grid.scroll_into_view_if_needed()
    return str(grid.locator("table").first.inner_text())


def letters(page) -> str:  # type: ignore[no-untyped-def]
    """The value of the reminders' tile «Писем к отправке»."""
    tile = page.locator('[data-testid="stMetric"]').filter(has_text="Писем к отправке")
    return str(tile.locator('[data-testid="stMetricValue"]').inner_text()).strip()


def test_a_promise_on_the_card_takes_the_client_off_the_worklist_and_pauses_its_reminders(  # type: ignore[no-untyped-def]
    browser, tmp_path: Path
) -> None:
    process, url = start_small_ledger_app(tmp_path)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=url)
        page = context.new_page()

        open_page(page, f"/worklist?{AS_OF}", "Кому звонить")
        assert "На 12.01.2026: 2 в списке" in body(page)
        listed = grid_text(page, 0)
        assert ROMASHKA in listed
        assert PETROV in listed

        open_page(page, f"/reminders?{AS_OF}", "Напоминания")
        assert letters(page) == "2"
        assert "На паузе" not in body(page)

        open_page(page, f"/counterparty?counterparty=K1&{AS_OF}", ROMASHKA)
        page.get_by_role("heading", name="Контакты и договорённости").scroll_into_view_if_needed()
        add_promise(page, "300,50", "16012026", "Оплатят всё до пятницы")
        settle(page)
        said = body(page)
        assert "12.01.2026 · обещание оплаты" in said
        assert "300,50 ₽ до 16.01.2026 — открыто" in said
        assert page.locator('[data-testid="stException"]').count() == 0

        open_page(page, f"/worklist?{AS_OF}", "Кому звонить")
        assert "На 12.01.2026: 1 в списке" in body(page)
        listed = grid_text(page, 0)
        assert ROMASHKA not in listed
        assert PETROV in listed

        open_page(page, f"/reminders?{AS_OF}", "Напоминания")
        assert letters(page) == "1"
        page.get_by_role("heading", name="На паузе").wait_for(timeout=60_000)
        paused = grid_text(page, 1).replace(NB, " ")  # the queue's table, then the one «На паузе»
        assert ROMASHKA in paused
        assert "обещание оплатить 300,50 ₽ до 16.01.2026" in paused
        assert PETROV in grid_text(page, 0)
        assert ROMASHKA not in grid_text(page, 0)
        context.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
