"""The readers' real refusals and problems, for tests/dashboard/services/test_reasons.py (tests/helpers/reasons.py
says how they are keyed): CSV, XLSX, 1C bank statements and EDO files, each made bad on purpose and read."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlsxwriter

from etl.errors import FileRefused
from etl.load.edo import EdoBatch, read_edo
from etl.load.types import Tally
from etl.sources import bank_1c
from etl.sources.csv_reader import _structure_error, read_csv_rows
from etl.sources.edo import read_edo_path
from etl.sources.edo.parse import EdoUnreadable, NotEdoDocument, read_document
from etl.sources.edo.reader import MAX_XML_BYTES, _read_member
from etl.sources.edo.sniff import sniff
from etl.sources.xlsx import read_xlsx_rows
from tests.helpers.edo import COMPANY, EDO, edo_folder


def refusal(read: Callable[[Path], Any], path: Path) -> str:
    """The reason `read` refuses the file with (reading it to the end)."""
    try:
        result = read(path)
        if isinstance(result, tuple):
            list(result[-1])  # the rows' iterator: damage further in is found as they are read
    except FileRefused as error:
        return str(error)
    raise AssertionError(f"{path.name} was read")


def _file(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def csv_reasons(folder: Path) -> dict[str, str]:
    def csv(data: bytes | str) -> str:
        return refusal(read_csv_rows, _file(folder, "shipments.csv", data))

    dos = "Контрагент;Сумма\nООО Ромашка;100\nИП Петров;200\n" * 3
    return {
        "csv_xlsx": csv(b"PK\x03\x04" + b"\x14" * 40),
        "csv_xls": csv(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 40),
        "csv_utf16": csv("document_id,amount\nS1,100\n".encode("utf-16-le")),
        "csv_binary": csv(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"),
        "csv_bom": csv(b"\xef\xbb\xbfdocument_id,name\n" + "S1,Ромашка\n".encode("cp1251")),
        "csv_utf16_bad": csv(b"\xff\xfea\x00\x00\xd8"),
        "csv_mixed": csv("document_id,name\nS1,Ромашка\n".encode() + "S2,Петров\n".encode("cp1251")),
        "csv_bad_byte": csv(b"document_id,name\nS1,\x98\n"),
        "csv_dos": csv(dos.encode("cp866")),
        "file_empty": csv(b" \r\n"),
        "csv_nul": csv("document_id,amount\n" + "S1,100\n" * 1000 + "S2,1\x000\n"),
        "csv_unclosed": csv('document_id,amount\nS1,"100\n'),
        "csv_stray_quote": csv('document_id,amount\nS1,"100"0\n'),
        # csv's own wording for what the two above do not cover (a new-line inside an unquoted value).
        "csv_broken": str(_structure_error("new-line character seen in unquoted field", 7)),
    }


def _rezipped(source: Path, target: Path, changes: dict[str, str | None]) -> Path:
    """`source`'s package with parts replaced (a text) or left out (None)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for name in zin.namelist():
            if name not in changes:
                zout.writestr(name, zin.read(name))
            elif changes[name] is not None:
                zout.writestr(name, str(changes[name]))
    return target


def xlsx_reasons(folder: Path) -> dict[str, str]:
    good = folder / "good.xlsx"
    workbook = xlsxwriter.Workbook(str(good))
    workbook.add_worksheet().write_row(0, 0, ["document_id", "amount"])
    workbook.close()
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    def sheet(cells: str) -> str:
        return f'<worksheet xmlns="{main}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>'

    def xlsx(name: str, changes: dict[str, str | None]) -> str:
        return refusal(lambda p: read_xlsx_rows(p, "shipments"), _rezipped(good, folder / name, changes))

    return {
        "xlsx_no_workbook": xlsx("no_book.xlsx", {"xl/workbook.xml": None}),
        "xlsx_no_sheet": xlsx("no_sheet.xlsx", {"xl/worksheets/sheet1.xml": None}),
        "xlsx_beyond_xfd": xlsx("wide.xlsx", {"xl/worksheets/sheet1.xml": sheet('<c r="XFE1"><v>1</v></c>')}),
        "xlsx_shared": xlsx("strings.xlsx", {"xl/worksheets/sheet1.xml": sheet('<c r="A1" t="s"><v>99</v></c>')}),
        "xlsx_no_sheets": xlsx("empty.xlsx", {"xl/workbook.xml": f'<workbook xmlns="{main}"><sheets/></workbook>'}),
        "xlsx_damaged": refusal(lambda p: read_xlsx_rows(p, "shipments"), _file(folder, "cut.xlsx", b"PK\x03\x04cut")),
        "xlsx_empty": refusal(lambda p: read_xlsx_rows(p, "shipments"), _file(folder, "nothing.xlsx", b"")),
        "xlsx_protected": refusal(
            lambda p: read_xlsx_rows(p, "shipments"), _file(folder, "locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
        ),
        "cannot_open": refusal(lambda p: read_xlsx_rows(p, "shipments"), folder),  # a folder, not a file
    }


ACCOUNT = "40702810900000000001"
HEAD = f"1CClientBankExchange\nВерсияФормата=1.03\nКодировка=Windows\nРасчСчет={ACCOUNT}\n"


def _document(**fields: str | None) -> str:
    values: dict[str, str | None] = {
        "Номер": "1",
        "Дата": "03.03.2025",
        "Сумма": "100.00",
        "ПлательщикСчет": "40702810500000000777",
        "ПлательщикИНН": "7707083893",
        "ПолучательСчет": ACCOUNT,
    }
    values.update(fields)
    lines = "".join(f"{key}={value}\n" for key, value in values.items() if value is not None)
    return f"СекцияДокумент=Платежное поручение\n{lines}КонецДокумента\n"


def bank_reasons(folder: Path) -> dict[str, str]:
    def statement(data: bytes | str) -> str:
        path = _file(folder, "kl_to_1c.txt", data.encode("cp1251") if isinstance(data, str) else data)
        return refusal(lambda p: bank_1c.classify(bank_1c.read_bank_statement(p), None), path)

    broken = [
        ("bank_amount_missing", _document(Сумма=None)),
        ("bank_amount_positive", _document(Сумма="-5")),
        ("bank_amount_nan", _document(Сумма="сто")),
        ("bank_decimals", _document(Сумма="1.234")),
        ("bank_date_missing", _document(Дата=None)),
        ("bank_date_bad", _document(Дата="32.13.2025")),
        ("bank_received_bad", _document(ДатаПоступило="вчера")),
    ]
    path = _file(folder, "kl_to_1c.txt", (HEAD + "".join(doc for _, doc in broken) + "КонецФайла\n").encode("cp1251"))
    problems = bank_1c.classify(bank_1c.read_bank_statement(path), None).problems
    assert len(problems) == len(broken), problems
    return {
        **{name: problem[3] for (name, _doc), problem in zip(broken, problems, strict=True)},
        "bank_document_cut": statement(HEAD + "СекцияДокумент=Платежное поручение\nНомер=1\nКонецФайла\n"),
        "bank_no_end": statement(HEAD + _document()),
        "bank_magic": statement("Выписка\n" + HEAD),
        "bank_utf16": statement((HEAD + "КонецФайла\n").encode("utf-16")),
        "bank_binary": statement(b"1CClientBankExchange\n\x00\x01\x02"),
        "bank_encoding": statement((HEAD + _document() + "КонецФайла\n").encode("koi8-r")),
        "bank_bad_byte": statement((HEAD + "Плательщик1=ООО Ромашка").encode("cp1251") + b"\x98\n"),
        "bank_mixed": statement((HEAD + _document()).encode("cp1251") + "Плательщик1=ООО Ромашка\n".encode()),
        "bank_empty": refusal(bank_1c.read_bank_statement, _file(folder, "empty.txt", b" \n")),
        "cannot_read": refusal(bank_1c.read_bank_statement, folder / "missing.txt"),
    }


def _sample(name: str, *changes: tuple[str, str]) -> bytes:
    text = (EDO / name).read_bytes().decode("cp1251")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return text.encode("cp1251")


def _unreadable(data: bytes) -> str:
    try:
        read_document(data, "upd.xml")
    except (EdoUnreadable, NotEdoDocument) as error:
        return str(error)
    raise AssertionError("the document was read")


UPD, UKD = "hand_upd_501_original.xml", "hand_ukd_503_decrease.xml"


class _Lying:
    """An archive whose member holds more than its header says."""

    def open(self, info: zipfile.ZipInfo) -> io.BytesIO:
        return io.BytesIO(b" " * (MAX_XML_BYTES + 1))


def _lying_member() -> str:
    try:
        _read_member(_Lying(), zipfile.ZipInfo("big.xml"))  # type: ignore[arg-type]
    except EdoUnreadable as error:
        return str(error)
    raise AssertionError("the member was read")


def _edo_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def edo_reasons(folder: Path) -> dict[str, str]:
    def edo(name: str, data: bytes | None = None) -> str:
        path = folder / name if data is None else _file(folder, name, data)
        return refusal(read_edo_path, path)

    def problem(archive: Path) -> str:
        """An archive's member that cannot be read is a problem of the archive's reading, not a refusal."""
        (found,) = read_edo_path(archive).problems
        return found[1]

    damaged = _edo_zip(folder / "damaged.zip", {"a.xml": b"<" * 100}, zipfile.ZIP_STORED)
    raw = bytearray(damaged.read_bytes())
    raw[raw.index(b"<<<<")] = ord(">")
    huge = folder / "huge.xml"
    huge.write_bytes((EDO / UPD).read_bytes())
    with huge.open("r+b") as handle:
        handle.truncate(MAX_XML_BYTES + 1)  # a sparse file: big, and written in no time
    archive = edo_folder(folder / "edo") / "Диадок выгрузка.zip"
    return {
        "zip_bad": edo("bad.zip", b"PK\x03\x04 not really"),
        "zip_unsafe": problem(_edo_zip(folder / "unsafe.zip", {"../upd.xml": b"<a/>"})),
        "zip_large": problem(_edo_zip(folder / "big.zip", {"big.xml": b" " * (MAX_XML_BYTES + 1024)})),
        "zip_larger": _lying_member(),
        "zip_unpack": problem(_file(folder, "damaged.zip", bytes(raw))),
        "not_upd+not_xml": edo("note.xml", b"hello"),
        "not_upd+file_empty": edo("blank.xml", b" "),
        "xml_too_large": edo("huge.xml"),
        "edo_no_extension": edo("upd"),
        "edo_suffix": edo("upd.txt"),
        "xml_encoding": str(sniff(b'<?xml version="1.0" encoding="x-nope"?><a/>')),
        "not_fns": str(sniff(b"<html><body/></html>")),
        "no_document_head": str(sniff('<Файл ИдФайл="x"></Файл>'.encode())),
        "buyer_title": str(sniff('<Файл><Документ КНД="1115132"/></Файл>'.encode())),
        "old_invoice": str(sniff('<Файл><Документ КНД="1115101"/></Файл>'.encode())),
        "not_upd+knd_codes": edo("knd.xml", '<Файл><Документ Функция="СЧФДОП"/></Файл>'.encode()),
        "knd": _unreadable('<Файл><Документ КНД="1115999"/></Файл>'.encode()),
        "xml_malformed": _unreadable("<Файл><Документ></Файл>".encode()),
        "xml_dtd": _unreadable(b'<!DOCTYPE x [<!ENTITY a "b">]><x/>'),
        "xml_unreadable": _unreadable(b'<?xml version="1.0" encoding="x-nope"?><a/>'),
        "root": _unreadable(b"<Other/>"),
        "no_document": _unreadable("<Файл/>".encode()),
        "upd_no_header": _unreadable(_sample(UPD, ("<СвСчФакт ", "<СвСчФ "), ("</СвСчФакт>", "</СвСчФ>"))),
        "upd_no_totals": _unreadable(_sample(UPD, ("<ВсегоОпл ", "<Всего "), ("</ВсегоОпл>", "</Всего>"))),
        "upd_no_total": _unreadable(
            _sample(UPD, (' СтТовБезНДСВсего="100617.25"', ""), (' СтТовУчНалВсего="120740.70"', ""))
        ),
        "missing_attribute": _unreadable(_sample(UPD, ('НомерСчФ="ВО-101" ', ""))),
        "document_date+no_such_day": _unreadable(_sample(UPD, ('ДатаСчФ="03.02.2025"', 'ДатаСчФ="30.02.2025"'))),
        "basis_date+date_format": _unreadable(_sample(UPD, ('ДатаОсн="10.01.2024"', 'ДатаОсн="вчера"'))),
        "edo_value+not_amount": _unreadable(_sample(UPD, ('СтТовУчНалВсего="120740.70"', 'СтТовУчНалВсего="сто"'))),
        "ukd_no_change": _unreadable(_sample(UKD, ("<ВсегоУм ", "<Всего "), ("</ВсегоУм>", "</Всего>"))),
        "ukd_no_header": _unreadable(_sample(UKD, ("<СвКСчФ ", "<СвК "), ("</СвКСчФ>", "</СвК>"))),
        "ukd_no_corrected": _unreadable(_sample(UKD, ('<СчФ НомерСчФ="ВО-101" ДатаСчФ="03.02.2025"/>', ""))),
        "corrected_date+no_such_day": _unreadable(_sample(UKD, ('ДатаСчФ="03.02.2025"', 'ДатаСчФ="2025-02-30"'))),
        "edo_mine+edo_other": read_edo(archive, COMPANY, EdoBatch(), Tally()),
    }


def file_reasons(folder: Path) -> dict[str, str]:
    return {**csv_reasons(folder), **xlsx_reasons(folder), **bank_reasons(folder), **edo_reasons(folder)}
