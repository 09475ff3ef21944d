"""A click on a row of a table of counterparties opens the card in the same tab, in a real browser
(the same through AppTest: tests/pages/test_card_from_tables.py). Streamlit's grid is a canvas: a row is
clicked at its place inside the table, the row's box at the left or any of its cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.browser import start_small_ledger_app

pytestmark = pytest.mark.e2e
IDLE = "document.querySelector('[data-testid=\"stStatusWidget\"]') === null"
HEADER, ROW = 35, 35  # the grid's header and row heights, in pixels
ROMASHKA, PETROV = "ООО «Ромашка»", "ИП Петров Пётр Петрович"


def settle(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(1000)  # the click's rerun starts
    page.wait_for_function(IDLE, timeout=60_000)
    page.wait_for_timeout(500)


def click_row(page, row: int, x: float) -> None:  # type: ignore[no-untyped-def]
    """Click the first table's row (from 0) at x pixels from the table's left edge."""
    box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
    point = (box["x"] + x, box["y"] + HEADER + ROW * row + ROW / 2)
    page.mouse.move(*point)  # as a hand does: the grid's link follows the pointer's hover
    page.wait_for_timeout(300)
    page.mouse.click(*point)
    settle(page)


def table_text(page) -> str:  # type: ignore[no-untyped-def]
    # The grid draws on a canvas and keeps its cells' text in a table for screen readers.
    return page.locator('[data-testid="stDataFrame"]').first.locator("table").first.inner_text()


def test_a_row_opens_the_card_in_the_same_tab_and_back_is_the_whole_list(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    process, url = start_small_ledger_app(tmp_path)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(url + "/aging?as_of=2025-12-31")
        page.get_by_text("Топ-20 по сальдо").wait_for(timeout=60_000)
        settle(page)
        assert page.get_by_text("Щёлкните строку, чтобы открыть карточку").count() == 1

        click_row(page, 1, x=500)  # K2's name: the most overdue first, K1 then K2
        page.get_by_role("heading", level=1, name=PETROV).wait_for(timeout=60_000)
        assert "/counterparty?" in page.url
        assert "counterparty=K2" in page.url
        assert "as_of=2025-12-31" in page.url  # the sidebar's other filters stay
        assert page.get_by_text("Карточка контрагента").count() >= 1  # its place in the navigation
        assert len(context.pages) == 1  # in place: no new tab
        assert page.locator('[data-testid="stException"]').count() == 0

        page.go_back()  # the list again, whole, and it stays there (no stale selection reopens the card)
        page.get_by_role("heading", level=1, name="Старение задолженности").wait_for(timeout=60_000)
        settle(page)
        page.wait_for_timeout(1500)
        assert page.locator("h1").first.inner_text() == "Старение задолженности"
        assert "counterparty=" not in page.url
        assert ROMASHKA in table_text(page)
        assert PETROV in table_text(page)

        # The link's cell opens the card in a new tab and leaves this one on the list.
        with context.expect_page() as opened:
            click_row(page, 0, x=70)  # on the link's text
        assert "counterparty=K1" in opened.value.url
        opened.value.close()
        assert page.locator("h1").first.inner_text() == "Старение задолженности"
        assert len(context.pages) == 1

        # «Кому звонить первым» on the exceptions page: the row's box at the left.
        page.get_by_role("link", name="Исключения").click()
        page.get_by_text("Кому звонить первым").wait_for(timeout=60_000)
        settle(page)
        click_row(page, 0, x=15)
        page.get_by_role("heading", level=1, name=ROMASHKA).wait_for(timeout=60_000)
        assert "counterparty=K1" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        context.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
