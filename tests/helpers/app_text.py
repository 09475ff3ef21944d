"""What an AppTest run drew and what its downloads hold, as text a test searches for names (the access tests)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import openpyxl
from google.protobuf.text_format import MessageToString
from streamlit.testing.v1 import AppTest


def _node_text(node: object, out: list[str]) -> None:
    proto = getattr(node, "proto", None)
    if proto is not None:
        out.append(MessageToString(proto, as_utf8=True))
    kind = getattr(node, "type", "")
    if kind == "plotly_chart":
        out.append(json.dumps(json.loads(proto.spec), ensure_ascii=False))  # type: ignore[union-attr]
    value = getattr(node, "value", None) if kind in ("dataframe", "table") else None
    if value is not None:
        out.append(value.to_csv())
    for child in getattr(node, "children", {}).values():
        _node_text(child, out)


def page_text(test: AppTest) -> str:
    """Everything the run drew, the sidebar included: texts, labels, options, tables' cells, charts' data."""
    out: list[str] = []
    _node_text(test._tree, out)
    return "\n".join(out)


def file_text(data: bytes) -> str:
    """A download's contents as text: XLSX cells, a ZIP's files, or the bytes themselves (a PDF: nothing, its
    text is compressed; the act's PDF holds the data of its XLSX, checked there)."""
    if data[:2] == b"PK":
        archive = zipfile.ZipFile(io.BytesIO(data))
        if "xl/workbook.xml" in archive.namelist():
            book = openpyxl.load_workbook(io.BytesIO(data))
            return "\n".join(
                str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
            )
        return "\n".join(name + "\n" + file_text(archive.read(name)) for name in archive.namelist())
    if data[:4] == b"%PDF":
        return ""
    return data.decode("utf-8-sig", errors="replace")


def downloaded(test: AppTest, deferred: dict[str, Callable[[], object]]) -> dict[str, str]:
    """Every download button of the run, by label (a repeated label gets a `+`), with its file as text."""
    files = {}
    for button in test.get("download_button"):
        data = deferred[button.proto.deferred_file_id]()
        label = button.proto.label
        while label in files:
            label += "+"
        files[label] = file_text(data if isinstance(data, bytes) else str(data).encode())
    return files
