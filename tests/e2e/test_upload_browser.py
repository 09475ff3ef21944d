"""Streamlit's file uploader in the page's language, in a real browser (dashboard/ui/uploader.py): the data
page's button and limit line read in Russian, a chosen file shows no English size («2.4KB»); in English the
same texts in English and the size kept. What the page draws is read from the computed style, where the
words are (CSS content), so a change of Streamlit's markup that the style no longer finds fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.browser import settled, start_small_ledger_app

pytestmark = pytest.mark.e2e

BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] span'
SIZE = '[data-testid="stFileChipName"] + div'
DRAWN = """e => {
    const own = getComputedStyle(e), after = getComputedStyle(e, '::after');
    return {own: own.fontSize, after: after.content, afterSize: after.fontSize, display: own.display};
}"""


def drawn(page, selector: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return page.locator(selector).first.evaluate(DRAWN)


def test_the_uploader_speaks_the_pages_language(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    process, url = start_small_ledger_app(tmp_path)
    upload = tmp_path / "Реализация товаров.csv"
    upload.write_text("Номер;Дата\n" + "S1;01.01.2025\n" * 200, encoding="utf-8")  # 2 820 bytes
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url + "/data")
        page.locator(BUTTON).wait_for(timeout=60_000)
        settled(page)
        button, limit = drawn(page, BUTTON), drawn(page, LIMIT)
        # Streamlit's «Upload» and «200MB per file» take no room; the catalog's words are drawn instead.
        assert (button["own"], button["after"], button["afterSize"]) == ("0px", '"Выбрать файлы"', "14px")
        assert limit["own"] == "0px"
        assert limit["after"] == '"до 200 МБ на файл • CSV, XLSX, TXT, TSV, XML, ZIP"'
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        page.locator('[data-testid="stFileChipName"]').wait_for(timeout=30_000)
        settled(page)
        assert page.locator('[data-testid="stFileChipName"]').get_attribute("title") == upload.name
        assert drawn(page, SIZE)["display"] == "none"  # «2.8KB»: an English number in a Russian page
        assert page.locator('[data-testid="stException"]').count() == 0
        page.locator('[data-testid="stFileUploader"]').screenshot(path=str(tmp_path / "ru.png"))

        page.goto(url + "/data?lang=en")
        page.get_by_text("Load history").wait_for(timeout=60_000)
        settled(page)
        assert drawn(page, BUTTON)["after"] == '"Choose files"'
        assert drawn(page, LIMIT)["after"] == '"Up to 200 MB per file • CSV, XLSX, TXT, TSV, XML, ZIP"'
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        page.locator('[data-testid="stFileChipName"]').wait_for(timeout=30_000)
        settled(page)
        size = page.locator(SIZE).first
        assert size.is_visible()
        assert size.inner_text() == "2.8KB"  # English as Streamlit writes it, kept in English
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
