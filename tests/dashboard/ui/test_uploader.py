"""The uploader's style (dashboard/ui/uploader.py): scoped to its key, the catalog's words as CSS strings,
the limit in MB, sizes hidden only in Russian. In a browser: tests/e2e/test_upload_browser.py."""

from __future__ import annotations

import pytest

from dashboard.ui.uploader import _css_string, uploader_style
from tests.helpers.paths import ROOT, app_lines_calling


def test_the_style_words_only_its_own_uploader() -> None:
    css = uploader_style("their_act", ("xlsx", "csv"), multiple=False, language="ru", limit=200)
    rules = [line for line in css.splitlines() if line]
    assert all(line.startswith(".st-key-their_act ") for line in rules)
    assert 'content: "Выбрать файл";' in css
    assert 'content: "до 200 МБ на файл • XLSX, CSV";' in css
    assert '[data-testid="stFileChipName"] + div { display: none; }' in css


def test_in_english_the_sizes_stay() -> None:
    css = uploader_style("data_upload_3", ("csv",), multiple=True, language="en", limit=200)
    assert 'content: "Choose files";' in css
    assert 'content: "Up to 200 MB per file • CSV";' in css
    assert "display: none" not in css


@pytest.mark.parametrize(
    ("language", "limit"),
    [("ru", "до 1\u00a0024 МБ на файл • ZIP"), ("en", "Up to 1,024 MB per file • ZIP")],
)
def test_the_limit_is_written_in_the_languages_numbers(language: str, limit: str) -> None:
    css = uploader_style("k", ("zip",), multiple=True, language=language, limit=1024)
    assert f'content: "{limit}";' in css


def test_a_css_string_keeps_quotes_backslashes_and_line_ends_inside() -> None:
    assert _css_string('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\A d"'


def test_every_uploader_of_the_app_is_drawn_through_the_one_that_words_it() -> None:
    """st.file_uploader drawn directly would show a Russian page Streamlit's English «Upload»."""
    assert app_lines_calling(".file_uploader(", but="uploader.py") == []
    assert ".file_uploader(" in (ROOT / "dashboard" / "ui" / "uploader.py").read_text(encoding="utf-8")
