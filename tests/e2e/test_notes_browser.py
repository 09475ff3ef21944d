"""A promise to pay added on the counterparty's card in a real browser (the same through AppTest:
tests/pages/test_counterparty_notes.py): K1 «Ромашка» as of 31.12.2025 promises 300,50 by 15.01.2026; the
timeline shows it at once, open, and the form starts afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.browser import IDLE, add_promise, start_small_ledger_app

pytestmark = pytest.mark.e2e
NB = "\u00a0"


def settle(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_timeout(800)  # the click's rerun starts
    page.wait_for_function(IDLE, timeout=60_000)
    page.wait_for_timeout(300)


def section_text(page) -> str:  # type: ignore[no-untyped-def]
    """What the section «Контакты и договорённости» says, from its heading to the next one."""
    return str(
        page.evaluate(
            """() => {
                const heads = [...document.querySelectorAll('h3')];
                const start = heads.find(h => h.innerText.includes('Контакты и договорённости'));
                const texts = [];
                let seen = false;
                for (const el of document.querySelectorAll('h3, [data-testid="stMarkdownContainer"]')) {
                    if (el === start) { seen = true; continue; }
                    if (seen && el.tagName === 'H3') break;
                    if (seen) texts.push(el.innerText);
                }
                return texts.join('\\n');
            }"""
        )
    )


def test_a_promise_added_on_the_card_shows_in_its_timeline(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    process, url = start_small_ledger_app(tmp_path)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url + "/counterparty?as_of=2025-12-31&counterparty=K1")
        page.get_by_role("heading", level=1, name="ООО «Ромашка»").wait_for(timeout=60_000)
        settle(page)
        page.get_by_role("heading", name="Контакты и договорённости").scroll_into_view_if_needed()
        assert "Записей о контактах пока нет." in page.inner_text("body")

        add_promise(page, "300,50", "15012026", "Обещали оплатить до середины января")
        settle(page)

        said = section_text(page).replace(NB, " ")
        assert "31.12.2025 · обещание оплаты · local" in said
        assert "300,50 ₽ до 15.01.2026 — открыто" in said
        assert "Обещали оплатить до середины января" in said
        assert page.get_by_role("button", name="Закрыть").count() == 1
        assert page.get_by_role("textbox", name="Сумма обещания").input_value() == ""  # the form starts afresh
        assert page.locator('[data-testid="stException"]').count() == 0
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
