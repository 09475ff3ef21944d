"""The act's XLSX written in xlsxwriter's constant_memory mode (dashboard.services.act_xlsx): there a cell
written above a row already written out is silently dropped, so these check the cells that come last or
go back: both signature blocks, a wrapped row's height, the last table rows and the counterparty's half."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

from openpyxl import load_workbook

from dashboard.services.act_document import Signer
from dashboard.services.act_xlsx import act_xlsx_bytes
from tests.helpers.acts import CLIENT, COMPANY, HEADER, THREE_AND_THREE, make_act

SIGNED = replace(
    HEADER, company_signer=Signer("Директор", "Иванов И. И."), counterparty_signer=Signer("Бухгалтер", "Петрова А. А.")
)
LONG = "Реализация (№ УПД-012345 от 15.01.2025) по договору поставки № 17/2024 от 01.02.2024, партия 3 из 5"


def sheet_of(documents: list[tuple[date, str, int]]):  # type: ignore[no-untyped-def]
    sheet = load_workbook(io.BytesIO(act_xlsx_bytes(make_act(0, documents), SIGNED))).active
    assert sheet is not None
    return sheet


def row_of(sheet, column: str, value: str) -> int:  # type: ignore[no-untyped-def]
    rows = [cell.row for cell in sheet[column] if cell.value == value]
    assert rows, value
    return rows[0]


def test_both_signature_blocks_are_complete() -> None:
    sheet = sheet_of(THREE_AND_THREE)
    first = row_of(sheet, "A", f"От {COMPANY}")
    assert sheet[f"E{first}"].value == f"От {CLIENT}"
    assert [sheet[f"{c}{first + 2}"].value for c in "ACEG"] == [
        "Директор",
        "Иванов И. И.",
        "Бухгалтер",
        "Петрова А. А.",
    ]
    assert [sheet[f"{c}{first + 3}"].value for c in "ACEG"] == ["(должность)", "(подпись, ФИО)"] * 2
    assert [sheet[f"{c}{first + 5}"].value for c in "AE"] == ["М.П.", "М.П."]
    assert sheet[f"A{first + 2}"].border.bottom.style == "thin"  # the line to sign on
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {
        f"A{first}:D{first}",
        f"E{first}:H{first}",
        f"A{first + 2}:B{first + 2}",
        f"G{first + 3}:H{first + 3}",
    } <= merged


def test_the_table_ends_whole_and_the_counterparty_half_is_ruled() -> None:
    # 3 x 49,000 + 3 x 25,000 = 222,000 shipped, nothing paid: the closing balance 222,000 in debit
    documents = [(date(2025, 1, 10 + i), f"Реализация {i}", 49_000 if i < 3 else 25_000) for i in range(6)]
    sheet = sheet_of(documents)
    closing = row_of(sheet, "B", "Сальдо конечное")
    assert sheet[f"C{closing}"].value == 222_000
    assert sheet[f"B{closing - 1}"].value == "Обороты за период"
    assert sheet[f"C{closing - 1}"].value == 222_000
    assert sheet[f"B{closing - 2}"].value == "Реализация 5"
    for column in "ABCDEFGH":  # the rules reach the closing row on both halves
        assert ruled(sheet, f"{column}{closing}")
    assert sheet[f"B{closing}"].font.b  # a summary row
    sentence = sheet[f"A{closing + 2}"].value
    assert isinstance(sentence, str)
    assert "222 000,00" in sentence


def ruled(sheet, cell: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether `cell` has thin rules on all four sides: its own border or the table body's conditional format
    (an always-true rule, so the empty counterparty's half is ruled without a cell written there)."""
    own = sheet[cell].border
    if all(side.style == "thin" for side in (own.left, own.right, own.top, own.bottom)):
        return True
    for formats in sheet.conditional_formatting:
        if cell in formats.sqref:
            for rule in formats.rules:
                sides = (rule.dxf.border.left, rule.dxf.border.right, rule.dxf.border.top, rule.dxf.border.bottom)
                if rule.type == "expression" and rule.formula == ["TRUE"] and all(s.style == "thin" for s in sides):
                    return True
    return False


def test_the_counterparty_half_is_ruled_from_the_column_headers_to_the_closing_row_and_no_further() -> None:
    sheet = sheet_of(THREE_AND_THREE)
    header = row_of(sheet, "B", "Документ")
    opening, closing = row_of(sheet, "B", "Сальдо начальное"), row_of(sheet, "B", "Сальдо конечное")
    assert opening == header + 1
    for row in range(header, closing + 1):
        assert all(ruled(sheet, f"{column}{row}") for column in "ABCDEFGH"), row
        assert row == header or all(sheet[f"{c}{row}"].value is None for c in "EFGH")  # theirs to fill in
    assert not any(ruled(sheet, f"{column}{closing + 1}") for column in "ABCDEFGH")
    assert not any(ruled(sheet, f"I{row}") for row in range(header, closing + 1))  # nor right of the table
    # what the counterparty types into its half reads as ours: Arial 9, dates and amounts formatted
    columns = sheet.column_dimensions
    assert (columns["E"].font.name, columns["E"].font.sz, columns["E"].number_format) == ("Arial", 9, "dd.mm.yyyy")
    assert columns["G"].number_format == "#,##0.00"
    assert columns["G"].max == 8  # G:H in one <col>


def test_an_empty_amount_cell_is_ruled_too() -> None:
    sheet = sheet_of(THREE_AND_THREE)
    sale = row_of(sheet, "B", "Реализация 1 от 10.01.2025")
    assert sheet[f"D{sale}"].value is None
    assert ruled(sheet, f"D{sale}")


def test_a_wrapped_document_row_is_tall_enough() -> None:
    # 99 characters at 41 a line (26 wide x 1.6) need 3 lines of 12 pt: 36 pt
    assert len(LONG) == 99
    sheet = sheet_of([(date(2025, 1, 10), LONG, 1_000), (date(2025, 1, 11), "Оплата 1", -1_000)])
    row = row_of(sheet, "B", LONG)
    assert sheet.row_dimensions[row].height == 36
    assert sheet.row_dimensions[row + 1].height is None  # one line: Excel's own height
