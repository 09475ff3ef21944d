"""The XLSX reader: every cell comes back as the exact text Excel shows, never through a float."""

from __future__ import annotations

import gc
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from etl.errors import FileRefused
from etl.sources.xlsx import read_xlsx_rows, sheet_names
from etl.sources.xlsx.cells import number_text, serial_to_date_text


def _rows(path: Path, entity: str) -> tuple[str, list[tuple[int, list[str]]]]:
    name, rows = read_xlsx_rows(path, entity)
    return name, list(rows)


# --------------------------------------------------------------------------------------------------
# Fixtures written by real writers


@pytest.fixture
def shipments_xlsx(tmp_path: Path) -> Path:
    """Shipments as the SECOND sheet, with every kind of cell an accounting export holds."""
    path = tmp_path / "shipments_2025-02.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    first = wb.add_worksheet("Контрагенты")
    first.write_row(0, 0, ["counterparty_id", "name"])
    first.write_row(1, 0, ["K1", "ООО «Ромашка»"])

    ws = wb.add_worksheet("Shipments")
    d_fmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    dt_fmt = wb.add_format({"num_format": "dd.mm.yyyy hh:mm:ss"})
    money_fmt = wb.add_format({"num_format": "#,##0.00"})
    ws.write_row(0, 0, ["document_id", "counterparty", "amount", "date", "due_date", "deleted", "note"])
    # Row 2: Cyrillic text, money, a date cell, a datetime cell (time dropped), a boolean.
    ws.write_string(1, 0, "Д-0001")
    ws.write_string(1, 1, "ООО «Ромашка»")
    ws.write_number(1, 2, 1234.56, money_fmt)
    ws.write_datetime(1, 3, date(2025, 2, 28), d_fmt)
    ws.write_datetime(1, 4, datetime(2025, 3, 14, 23, 59, 59), dt_fmt)
    ws.write_boolean(1, 5, True)
    ws.write_string(1, 6, "первая")
    # Row 3: 0.1 + 0.2 as a formula whose cached result is the binary float 0.30000000000000004.
    ws.write_string(2, 0, "Д-0002")
    ws.write_string(2, 1, "ИП Иванов")
    ws.write_formula(2, 2, "=0.1+0.2", money_fmt, 0.1 + 0.2)
    ws.write_datetime(2, 3, date(1900, 3, 1), d_fmt)
    ws.write_datetime(2, 4, date(1900, 2, 28), d_fmt)
    ws.write_boolean(2, 5, False)
    # Row 4: the counterparty cell is missing (not written at all): columns must stay aligned.
    ws.write_string(3, 0, "Д-0003")
    ws.write_number(3, 2, 12.345)
    ws.write_datetime(3, 3, datetime(2025, 1, 9, 8, 0), d_fmt)
    ws.write_string(3, 6, "три знака")
    # Row 5: styled but empty cells only: the row exists in the XML and must be skipped.
    ws.write_blank(4, 0, None, money_fmt)
    ws.write_blank(4, 3, None, d_fmt)
    # Row 6: an integer, a large amount, the float noise written straight as a number.
    ws.write_string(5, 0, "Д-0004")
    ws.write_number(5, 1, 100)
    ws.write_number(5, 2, 123456789012.34)
    ws.write_number(5, 3, 0.1 + 0.2)
    # Row 8 (row 7 never written): an error value from a formula.
    ws.write_string(7, 0, "Д-0005")
    ws.write_formula(7, 2, "=NA()", None, "#N/A")
    wb.close()
    return path


def test_picks_the_sheet_named_after_the_entity_and_reads_exact_texts(shipments_xlsx: Path) -> None:
    name, rows = _rows(shipments_xlsx, "shipments")
    assert name == "Shipments"
    assert rows == [
        (1, ["document_id", "counterparty", "amount", "date", "due_date", "deleted", "note"]),
        (2, ["Д-0001", "ООО «Ромашка»", "1234.56", "2025-02-28", "2025-03-14", "1", "первая"]),
        (3, ["Д-0002", "ИП Иванов", "0.3", "1900-03-01", "1900-02-28", "0"]),
        (4, ["Д-0003", "", "12.345", "2025-01-09", "", "", "три знака"]),
        (6, ["Д-0004", "100", "123456789012.34", "0.3"]),
        (8, ["Д-0005", "", "#N/A"]),
    ]


def test_every_cell_is_a_string(shipments_xlsx: Path) -> None:
    _name, rows = _rows(shipments_xlsx, "SHIPMENTS")
    assert all(isinstance(cell, str) for _n, cells in rows for cell in cells)


def test_sheet_names_in_tab_order(shipments_xlsx: Path) -> None:
    assert sheet_names(shipments_xlsx) == ["Контрагенты", "Shipments"]


def test_first_sheet_when_no_sheet_is_named_after_the_entity(shipments_xlsx: Path) -> None:
    name, rows = _rows(shipments_xlsx, "payments")
    assert name == "Контрагенты"
    assert rows == [(1, ["counterparty_id", "name"]), (2, ["K1", "ООО «Ромашка»"])]


def test_openpyxl_workbook(tmp_path: Path) -> None:
    # openpyxl writes inline strings, t="n" on numbers and its own custom date formats.
    path = tmp_path / "payments.xlsx"
    wb = openpyxl.Workbook()
    other = wb.active
    other.title = "Справка"
    other.append(["не то"])
    ws = wb.create_sheet("Payments")
    ws.append(["document_id", "date", "amount", "purpose", "deleted"])
    ws.append(["П-1", date(2025, 2, 28), 0.1 + 0.2, "Оплата по дог. №15 от 01.02.2025", False])
    ws.append(["П-2", datetime(2025, 3, 1, 18, 30), 1234.56, None, True])
    ws.append([None, None, None, None, None])
    ws.append(["П-3", date(1900, 3, 1), 100, "ровно", None])
    ws["B2"].number_format = "DD.MM.YYYY"
    ws["B3"].number_format = "dd.mm.yyyy hh:mm"
    wb.save(path)

    name, rows = _rows(path, "payments")
    assert name == "Payments"
    assert rows == [
        (1, ["document_id", "date", "amount", "purpose", "deleted"]),
        (2, ["П-1", "2025-02-28", "0.3", "Оплата по дог. №15 от 01.02.2025", "0"]),
        (3, ["П-2", "2025-03-01", "1234.56", "", "1"]),
        (5, ["П-3", "1900-03-01", "100", "ровно"]),
    ]


def test_1904_date_system(tmp_path: Path) -> None:
    path = tmp_path / "shipments.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"date_1904": True})
    ws = wb.add_worksheet("shipments")
    d_fmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    ws.write_row(0, 0, ["date", "amount"])
    ws.write_datetime(1, 0, date(2025, 2, 28), d_fmt)
    ws.write_number(1, 1, 44254)  # the same serial without a date format stays a number
    ws.write_datetime(2, 0, datetime(1904, 1, 1, 6, 0), d_fmt)
    wb.close()

    _name, rows = _rows(path, "shipments")
    assert rows == [(1, ["date", "amount"]), (2, ["2025-02-28", "44254"]), (3, ["1904-01-01"])]


# --------------------------------------------------------------------------------------------------
# Hand-built packages: exact <v> texts that real writers may produce, Strict OOXML, rich text


_STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _write_package(path: Path, parts: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text.encode("utf-8"))


def _strict_workbook(path: Path, sheet_xml: str, *, date1904: bool = False) -> None:
    """A Strict OOXML workbook whose sheet uses an "x:" prefix, as some generators write."""
    rel_type = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    _write_package(
        path,
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types/>',
            "_rels/.rels": (
                f'<Relationships xmlns="{_PKG_NS}"><Relationship Id="rId1" '
                f'Type="{rel_type}/officeDocument" Target="xl/book.xml"/></Relationships>'
            ),
            "xl/book.xml": (
                f'<workbook xmlns="{_STRICT_NS}" xmlns:r="{_STRICT_REL_NS}">'
                f'<workbookPr date1904="{"true" if date1904 else "false"}"/>'
                '<sheets><sheet name="Data" sheetId="1" r:id="rId7"/></sheets></workbook>'
            ),
            "xl/_rels/book.xml.rels": (
                f'<Relationships xmlns="{_PKG_NS}">'
                f'<Relationship Id="rId7" Type="{rel_type}/worksheet" Target="/xl/sheets/data.xml"/>'
                f'<Relationship Id="rId8" Type="{rel_type}/sharedStrings" Target="strings.xml"/>'
                f'<Relationship Id="rId9" Type="{rel_type}/styles" Target="looks.xml"/>'
                "</Relationships>"
            ),
            "xl/strings.xml": (
                f'<sst xmlns="{_STRICT_NS}" count="3" uniqueCount="3">'
                "<si><t>Сумма</t></si>"
                '<si><r><rPr><b/></rPr><t xml:space="preserve">ООО </t></r><r><t>«Вектор»</t></r>'
                '<rPh sb="0" eb="1"><t>フリガナ</t></rPh></si>'
                "<si><t>строка_x000D_\nвторая &amp; _x005F_x000D_</t></si>"
                "</sst>"
            ),
            "xl/looks.xml": (
                f'<styleSheet xmlns="{_STRICT_NS}"><numFmts count="4">'
                '<numFmt numFmtId="164" formatCode="&quot;Дата: &quot;dd/mm/yyyy"/>'
                '<numFmt numFmtId="165" formatCode="#,##0.00\\ &quot;₽&quot;"/>'
                '<numFmt numFmtId="166" formatCode="[Red][$-419]0.00;\\-0.00"/>'
                '<numFmt numFmtId="167" formatCode="[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy"/>'
                '</numFmts><cellXfs count="6">'
                '<xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/>'
                '<xf numFmtId="167"/><xf numFmtId="14"/></cellXfs></styleSheet>'
            ),
            "xl/sheets/data.xml": f'<x:worksheet xmlns:x="{_STRICT_NS}"><x:sheetData>{sheet_xml}'
            "</x:sheetData></x:worksheet>",
        },
    )


def test_strict_namespace_rich_text_and_raw_numbers(tmp_path: Path) -> None:
    path = tmp_path / "shipments.xlsx"
    _strict_workbook(
        path,
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c>'
        '<x:c r="C1" t="s"><x:v>2</x:v></x:c></x:row>'
        # Float noise and exponent forms as they appear in <v>, with number formats that are not dates.
        '<x:row r="2"><x:c r="A2" s="2"><x:v>1234.5599999999999</x:v></x:c>'
        '<x:c r="B2" s="3"><x:v>1E-3</x:v></x:c><x:c r="C2"><x:v>100</x:v></x:c>'
        '<x:c r="D2"><x:v>3.0000000000000004E-1</x:v></x:c><x:c r="E2"><x:v>-0</x:v></x:c>'
        '<x:c r="F2" t="n"><x:v>1.5E+20</x:v></x:c></x:row>'
        # Custom date formats (quoted text, locale brackets), built-in 14, an ISO date cell.
        '<x:row r="3"><x:c r="A3" s="1"><x:v>45716.75</x:v></x:c><x:c r="B3" s="4"><x:v>45716</x:v></x:c>'
        '<x:c r="C3" s="5"><x:v>61</x:v></x:c><x:c r="D3" t="d"><x:v>2025-02-28T13:00:00</x:v></x:c></x:row>'
        # Inline rich text (phonetic run left out), a formula string result, an error, a boolean,
        # cells without references (placed next in line) and a gap before column AA.
        '<x:row r="5"><x:c t="inlineStr"><x:is><x:r><x:t>Ин</x:t></x:r><x:r><x:t>лайн</x:t></x:r>'
        "<x:rPh><x:t>ignored</x:t></x:rPh></x:is></x:c>"
        '<x:c t="str"><x:f>A1&amp;"!"</x:f><x:v>Сумма!</x:v></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c>'
        '<x:c r="AA5" t="b"><x:v>1</x:v></x:c></x:row>'
        # Whitespace-only and empty cells: an empty row, skipped.
        '<x:row r="6"><x:c r="A6" t="inlineStr"><x:is><x:t xml:space="preserve">   </x:t></x:is></x:c>'
        '<x:c r="B6"><x:v></x:v></x:c><x:c r="C6" s="1"/></x:row>',
    )
    name, rows = _rows(path, "shipments")
    assert name == "Data"
    assert rows[0] == (1, ["Сумма", "ООО «Вектор»", "строка\r\nвторая & _x000D_"])
    assert rows[1] == (2, ["1234.56", "0.001", "100", "0.3", "0", "150000000000000000000"])
    assert rows[2] == (3, ["2025-02-28", "2025-02-28", "1900-03-01", "2025-02-28"])
    assert rows[3] == (5, ["Инлайн", "Сумма!", "#DIV/0!", *[""] * 23, "1"])
    assert len(rows) == 4


def test_strict_1904_flag(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    _strict_workbook(path, '<x:row r="1"><x:c r="A1" s="5"><x:v>44254</x:v></x:c></x:row>', date1904=True)
    assert _rows(path, "x")[1] == [(1, ["2025-02-28"])]


@pytest.mark.parametrize(
    ("v", "text"),
    [
        ("1234.56", "1234.56"),
        ("1234.5599999999999", "1234.56"),
        ("0.30000000000000004", "0.3"),
        ("12.345", "12.345"),
        ("12.3400", "12.34"),
        ("100", "100"),
        ("100.0", "100"),
        ("-1234.5600000000001", "-1234.56"),
        ("123456789012.34", "123456789012.34"),
        ("1E-3", "0.001"),
        ("1e-3", "0.001"),
        ("1.5E+20", "150000000000000000000"),
        ("9.9999999999999999", "10"),
        ("0.000000000123456789012345678", "0.000000000123456789012346"),
        ("1234567890123456789", "1234567890123460000"),
        ("0", "0"),
        ("-0", "0"),
        ("-0.0", "0"),
        ("1E+999999", "1E+999999"),  # no number Excel could hold: left as is for the validator
        ("abc", "abc"),
    ],
)
def test_number_text(v: str, text: str) -> None:
    assert number_text(v) == text


@pytest.mark.parametrize(
    ("v", "date1904", "text"),
    [
        ("1", False, "1900-01-01"),
        ("59", False, "1900-02-28"),
        ("60", False, "1900-02-29"),  # Excel's phantom leap day: shown, and left to the validator
        ("61", False, "1900-03-01"),
        ("45716", False, "2025-02-28"),
        ("45716.999", False, "2025-02-28"),
        ("45717.0000", False, "2025-03-01"),
        ("0", True, "1904-01-01"),
        ("44254.5", True, "2025-02-28"),
        ("-1", False, "-1"),
        ("99999999", False, "99999999"),
        ("1E+999999", False, "1E+999999"),
        ("²", False, "²"),
    ],
)
def test_serial_to_date_text(v: str, date1904: bool, text: str) -> None:
    assert serial_to_date_text(v, date1904) == text


# --------------------------------------------------------------------------------------------------
# Refused files


def test_truncated_file_is_refused(shipments_xlsx: Path, tmp_path: Path) -> None:
    data = shipments_xlsx.read_bytes()
    cut = tmp_path / "shipments_cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileRefused, match=r"not a readable XLSX workbook \(the file is damaged or truncated\)"):
        read_xlsx_rows(cut, "shipments")
    with pytest.raises(FileRefused):
        sheet_names(cut)


def test_text_file_named_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shipments.xlsx"
    path.write_text("document_id;amount\nД-1;10,00\n", encoding="utf-8")
    with pytest.raises(FileRefused, match="not a readable XLSX workbook"):
        read_xlsx_rows(path, "shipments")


def test_empty_file_and_old_xls_are_refused_with_a_reason(tmp_path: Path) -> None:
    empty = tmp_path / "shipments.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(FileRefused, match="empty"):
        read_xlsx_rows(empty, "shipments")
    xls = tmp_path / "payments.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(FileRefused, match=r"\.xls file or a password-protected"):
        read_xlsx_rows(xls, "payments")


def test_zip_without_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shipments.xlsx"
    _write_package(path, {"readme.txt": "not a workbook"})
    with pytest.raises(FileRefused, match="workbook part is missing"):
        read_xlsx_rows(path, "shipments")


def test_damage_inside_the_sheet_is_refused_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "shipments.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("shipments")
    for i in range(3000):
        ws.write_row(i, 0, [f"Д-{i}", i * 1.25, f"строка {i * 7919 % 1000}"])
    wb.close()
    # Overwrite the middle of the sheet's compressed data: the package still opens.
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    data_start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = data_start + info.compress_size // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))

    _name, rows = read_xlsx_rows(path, "shipments")
    with pytest.raises(FileRefused, match="damaged or truncated"):
        list(rows)


def test_an_iterator_left_unread_leaks_no_file_handle(shipments_xlsx: Path) -> None:
    # pytest turns ResourceWarning (an unclosed zip) into an error through filterwarnings = error.
    _name, rows = read_xlsx_rows(shipments_xlsx, "shipments")
    del rows
    _name, rows = read_xlsx_rows(shipments_xlsx, "shipments")
    assert next(rows)[0] == 1
    del rows
    gc.collect()


def test_an_escaped_nul_stays_as_written(tmp_path: Path) -> None:
    """_x0000_ would be a NUL, which no spreadsheet cell holds and PostgreSQL text cannot store."""
    path = tmp_path / "shipments.xlsx"
    _strict_workbook(
        path,
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a_x0000_b_x0009_c</x:t></x:is></x:c></x:row>',
    )
    assert _rows(path, "shipments")[1] == [(1, ["a_x0000_b\tc"])]


@pytest.mark.parametrize(
    "damage",
    [
        # "Version needed to extract" 6.4 in a central directory entry: zipfile raised NotImplementedError
        # from ZipFile() itself, past the refusal (found by tests/etl/sources/test_fuzz.py).
        lambda data: data.replace(b"PK\x01\x02\x14\x03\x14\x00", b"PK\x01\x02\x14\x03\x40\x00", 1),
        # A central directory offset beyond the file.
        lambda data: data[:-6] + b"\xff\xff\xff\x7f" + data[-2:],
    ],
)
def test_damaged_zip_headers_are_refused(tmp_path: Path, damage: object) -> None:
    source = tmp_path / "good.xlsx"
    wb = xlsxwriter.Workbook(str(source))
    wb.add_worksheet("Shipments").write_row(0, 0, ["document_id", "amount"])
    wb.close()
    path = tmp_path / "shipments.xlsx"
    path.write_bytes(damage(source.read_bytes()))  # type: ignore[operator]
    with pytest.raises(FileRefused, match="not a readable XLSX workbook"):
        list(read_xlsx_rows(path, "shipments")[1])
