"""«Записать» in a row of the worklist logs a contact in a dialog, without leaving the list (issue 17: one
click to the card and to log a call). The small ledger as of Monday 12.01.2026: two counterparties on the
list, neither ever contacted; a call logged for the first makes 12.01.2026 its last contact."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.browser import IDLE, start_small_ledger_app

pytestmark = pytest.mark.e2e
HEADER, ROW = 35, 35  # the grid's header and row heights, in pixels
ACTION_X = 150  # the middle of the «Контакт» column, from the grid's left edge


def grid_rows(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The first grid's rows, cells joined by |. The grid draws on a canvas and keeps its cells' text in a
    table for screen readers (hidden, so read through the DOM)."""
    table = page.locator('[data-testid="stDataFrame"]').first.locator("table").first
    table.locator("tbody tr").first.wait_for(state="attached", timeout=60_000)
    script = (
        "t => Array.from(t.querySelectorAll('tbody tr')).map(r => Array.from(r.cells, c => c.textContent).join('|'))"
    )
    return list(table.evaluate(script))


def test_a_call_logged_from_the_list(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    process, url = start_small_ledger_app(tmp_path)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(url + "/worklist?as_of=2026-01-12")
        page.get_by_text("На 12.01.2026: 2 в списке").wait_for(timeout=60_000)
        page.wait_for_function(IDLE, timeout=60_000)
        rows = grid_rows(page)
        assert ["ООО «Ромашка»" in rows[0], "ИП Петров" in rows[1]] == [True, True]
        assert all(row.split("|")[1] == "✎ Записать" and row.split("|")[-1] == "" for row in rows)  # no contact yet

        # The button's cell: after the row's box (about 35 px) and the card's link ("small": 75 px).
        box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
        point = (box["x"] + ACTION_X, box["y"] + HEADER + ROW / 2)
        page.mouse.move(*point)
        page.wait_for_timeout(300)
        page.mouse.click(*point)

        dialog = page.get_by_role("dialog")
        dialog.get_by_text("Записать контакт").wait_for(timeout=60_000)
        page.wait_for_function(IDLE, timeout=60_000)
        dialog.get_by_label("Текст").fill("Бухгалтер обещала перезвонить после обеда")
        dialog.get_by_role("button", name="Записать", exact=True).click()
        dialog.wait_for(state="detached", timeout=60_000)
        page.wait_for_function(IDLE, timeout=60_000)
        page.wait_for_timeout(1000)
        assert page.locator("h1").first.inner_text() == "Кому звонить"  # still the list, not the card
        rows = grid_rows(page)
        romashka = next(row for row in rows if "ООО «Ромашка»" in row)
        petrov = next(row for row in rows if "ИП Петров" in row)
        assert romashka.split("|")[-1] == "2026-01-12"  # its last contact (the cell's value): today's call
        assert petrov.split("|")[-1] == ""
        assert page.locator('[data-testid="stException"]').count() == 0
        assert len(context.pages) == 1
    finally:
        process.terminate()
        process.wait(timeout=20)
