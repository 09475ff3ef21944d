"""Streamlit's file uploader speaking the page's language.

Streamlit 1.67 draws three texts of its file uploader in English with no parameter to change them
(streamlit/streamlit#13500): the button («Upload»), the limit line under it («200MB per file • CSV, XLSX»)
and each chosen file's size («2.4KB», an English number). `uploader` draws st.file_uploader after a style
scoped to its key (Streamlit gives a keyed element the class `st-key-KEY`) that puts the catalog's words in
place of the first two. The size is hidden in Russian, where its form («2.4KB» for «2,4 КБ») is foreign.
The texts are CSS content, so a screen reader and a search of the page still see Streamlit's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, overload

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from dashboard.formatting import count
from dashboard.i18n import translate

# Streamlit's markup of the uploader, as 1.67 draws it (tests/e2e/test_upload_browser.py checks it).
_BUTTON = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
_LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] span'
_SIZE = '[data-testid="stFileChipName"] + div'
_FONT = "0.875rem"  # the theme's small size, which both texts have


@overload
def uploader(
    label: str, *, key: str, types: Sequence[str], multiple: Literal[False], language: str, help: str | None = None
) -> UploadedFile | None: ...


@overload
def uploader(
    label: str, *, key: str, types: Sequence[str], multiple: Literal[True], language: str, help: str | None = None
) -> list[UploadedFile]: ...


def uploader(
    label: str,
    *,
    key: str,
    types: Sequence[str],
    multiple: bool,
    language: str,
    help: str | None = None,
) -> UploadedFile | list[UploadedFile] | None:
    """st.file_uploader with its button and limit line in `language` (and, in Russian, no English sizes)."""
    limit = int(st.get_option("server.maxUploadSize"))  # MB: Streamlit's server.maxUploadSize
    st.html(f"<style>{uploader_style(key, types, multiple, language, limit)}</style>")
    return st.file_uploader(label, type=list(types), accept_multiple_files=multiple, key=key, help=help)


def uploader_style(key: str, types: Sequence[str], multiple: bool, language: str, limit: int) -> str:
    """The CSS that words the uploader keyed `key`: its button, its limit line of `limit` MB («до 200 МБ на
    файл • CSV») and, in Russian, no size under a chosen file's name."""
    scope = f".st-key-{key}"
    button = translate("upload.choose_files" if multiple else "upload.choose_file", language)
    line = translate(
        "upload.limit",
        language,
        size=count(limit, language),
        types=", ".join(kind.upper() for kind in types),
    )
    rules = [
        _replaced(f"{scope} {_BUTTON}", button),
        _replaced(f"{scope} {_LIMIT}", line),
    ]
    if language == "ru":
        rules.append(f"{scope} {_SIZE} {{ display: none; }}")
    return "\n".join(rules)


def _replaced(selector: str, text: str) -> str:
    """Rules that hide the element's own text and show `text` in its place, in the same font."""
    return f"{selector} {{ font-size: 0; }}\n{selector}::after {{ content: {_css_string(text)}; font-size: {_FONT}; }}"


def _css_string(text: str) -> str:
    """`text` as a CSS string: quoted, its backslashes, quotes and line ends escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'
