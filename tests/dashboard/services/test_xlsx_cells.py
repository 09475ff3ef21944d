"""dashboard.services.xlsx_cells writes the plain cells of a constant_memory sheet itself: the sheet's XML
must be xlsxwriter's, byte for byte, for plain cells and for every kind it hands back to xlsxwriter."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import xlsxwriter

from dashboard.services import act_xlsx
from dashboard.services.act_xlsx import act_xlsx_bytes
from dashboard.services.xlsx_cells import fast_cells
from tests.helpers.acts import HEADER, make_act

TEXTS = [
    "Реализация (№ УПД-012345 от 15.01.2026)",
    'ООО "Ромашка" & сыновья <опт>',  # XML's specials
    "  отступ",  # leading whitespace: xml:space="preserve"
    "хвост ",
    "bell\x07",  # a control character: _x0007_
    "_x0041_ literally",  # a literal escape: escaped again
    "<r>not rich</r>",
    "=SUM(A1:A2)",  # text, not a formula (strings_to_formulas off)
    "",
]
NUMBERS = [0, 0.01, -12.5, 1234567.89, 999999999999.99, 46000, 1e-7, 1234567890123.456]


def sheet_xml(fast: bool, write: Callable[[Any, Any], None]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False, "strings_to_formulas": False})
    sheet = workbook.add_worksheet()
    if fast:
        fast_cells(sheet)
    write(sheet, workbook.add_format({"border": 1, "num_format": "#,##0.00"}))
    workbook.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def every_kind(sheet: Any, cell_format: Any) -> None:
    row = 0
    for text in TEXTS:
        sheet.write_string(row, 1, text, cell_format)
        sheet.write_string(row, 2, text)  # no format: xlsxwriter's way
        row += 1
    for number in NUMBERS:
        sheet.write_number(row, 0, number, cell_format)
        sheet.write_number(row, 3, number)
        row += 1
    sheet.write_formula(row, 0, "=A1+1", cell_format)
    sheet.write_blank(row, 1, None, cell_format)
    sheet.write_boolean(row, 2, True, cell_format)
    sheet.set_row(row + 1, 30, cell_format)
    sheet.write_string(row + 1, 5, "в строке с форматом")


def test_every_kind_of_cell_is_written_as_xlsxwriter_writes_it() -> None:
    fast, general = sheet_xml(True, every_kind), sheet_xml(False, every_kind)
    assert fast == general
    for general_way in (b"_x0007_", b"&amp;", b'xml:space="preserve"', b"_x005F_x0041_"):
        assert general_way in fast


def test_the_act_sheet_is_the_same_with_and_without(monkeypatch: pytest.MonkeyPatch) -> None:
    act = make_act(150_000, [(date(2026, 1, k + 1), TEXTS[k % len(TEXTS)], (k - 4) * 123_457) for k in range(9)])

    def sheet_of(workbook_bytes: bytes) -> bytes:
        with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
            return archive.read("xl/worksheets/sheet1.xml")

    fast = sheet_of(act_xlsx_bytes(act, HEADER))
    monkeypatch.setattr(act_xlsx, "fast_cells", lambda _sheet: None)
    general = sheet_of(act_xlsx_bytes(act, HEADER))
    assert fast == general
    assert b"<v>123457</v></c>" in fast  # the sixth document, 123 457,00 as a number


def test_only_constant_memory_sheets_are_changed() -> None:
    workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    sheet = workbook.add_worksheet()
    fast_cells(sheet)
    assert "_write_cell" not in vars(sheet)  # shared strings there: xlsxwriter's own writer stays
    workbook.close()
