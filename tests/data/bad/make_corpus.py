"""Write the corpus of bad source files that tests/etl/load/test_bad_input.py loads (`python make_corpus.py`).

Every case is one file or one folder next to this script; what each must do is in expectations.csv,
decided from the data contract, not recorded from the code. The cases are written from literals here
so that the binary ones (Windows-1251, CP866, UTF-16, XLSX, truncated XLSX) are reproducible; the
generated files are committed too, and a test checks they still match this script.

`_base/` is not a case: the good fixture loaded before each case (counterparties K1, K2; contracts
C1, C2 in RUB and C3 in USD; shipments S1, S2, S3; payments P1 on C1, P2 on K1), so that rows referring to it can load.
"""

from __future__ import annotations

import io
import shutil
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
OWN_ACCOUNT = "40702810900000000001"
K1_INN = "7707083893"  # K1's INN (valid checksum)
SHIPMENTS_HEADER = "document_id,contract_id,date,amount"

# ------------------------------------------------------------------------------------- text cases

BASE = {
    "counterparties.csv": """
counterparty_id;name;inn;kpp;manager;email;group
K1;ООО «Ромашка»;7707083893;773601001;Иванов И.И.;buh@romashka.ru;Сети
K2;ИП Петров Пётр Петрович;500100732259;;Сидоров С.С.;petrov@mail.ru;Розница
""",
    "contracts.csv": """
contract_id,counterparty_id,number,date,currency,terms_days,terms_basis,credit_limit
C1,K1,Д-1/25,2025-01-01,RUB,30,calendar,100000
C2,K2,П-7,2025-01-01,RUB,0,calendar,
C3,K1,USD-1,2025-01-01,USD,10,calendar,
""",
    "shipments.csv": """
document_id,contract_id,date,amount,number
S1,C1,2025-01-10,1000.00,УПД-1
S2,C2,2025-01-15,500.00,УПД-2
S3,C1,2025-01-20,700.00,УПД-3
""",
    "payments.csv": """
document_id,date,amount,contract_id,counterparty_id
P1,2025-02-01,300.00,C1,
P2,2025-02-03,100.00,,K1
""",
}

# UTF-8, CRLF unless stated. Keys are file names (the case id); folders are written below.
TEXT_CASES: dict[str, str] = {
    "shipments_header_only.csv": SHIPMENTS_HEADER,
    "shipments_mixed_delimiters.csv": """
document_id;contract_id;date;amount
M1;C1;2025-03-01;100,50
M2,C1,2025-03-02,200
M3;C1;2025-03-03;300;extra;values
""",
    "shipments_decimal_comma_unquoted.csv": """
document_id,contract_id,date,amount
DC1,C1,2025-03-01,"100,50"
DC2,C1,2025-03-02,100,50
""",
    "shipments_unclosed_quote.csv": """
document_id,contract_id,date,amount,warehouse
Q1,C1,2025-03-01,100,Основной
Q2,C1,2025-03-02,200,"Склад №2
Q3,C1,2025-03-03,300,Основной
""",
    "shipments_stray_quote.csv": """
document_id,contract_id,date,amount
SQ1,C1,2025-03-01,100
SQ2,C1,2025-03-02,"200"5
""",
    "shipments_missing_amount_column.csv": """
document_id,contract_id,date,sum_total
MA1,C1,2025-03-01,100
""",
    "contracts_missing_columns.csv": """
contract_id;number;currency
C9;Д-9;RUB
""",
    "shipments_duplicate_column.csv": """
document_id,contract_id,date,amount,Amount
DUPC1,C1,2025-03-01,100,200
""",
    "shipments_unknown_columns.csv": """
document_id,contract_id,date,amount,comment,Примечание,ОтветственныйСклад
U1,C1,2025-03-01,100,first,примечание,Склад 1
U2,C1,2025-03-02,200,,,
""",
    "shipments_duplicate_keys.csv": """
document_id,contract_id,date,amount
D1,C1,2025-03-01,100
D2,C1,2025-03-02,200
D1,C1,2025-03-03,999
d1,C1,2025-03-04,50
""",
    "shipments_huge_id.csv": f"""
document_id,contract_id,date,amount
{"H" * 200},C1,2025-03-01,100
H2,C1,2025-03-02,200
""",
    "shipments_bad_dates.csv": """
document_id,contract_id,date,amount,due_date
BD1,C1,31.02.2025,100,
BD2,C1,2025-13-01,100,
BD3,C1,2025-02-29,100,
BD4,C1,00.01.2025,100,
BD5,C1,2025/01/15,100,
BD6,C1,1.1.25,100,
BD7,C1,,100,
BD8,C1,1899-12-31,100,
BD9,C1,01.02.2025 25:61,100,
BD10,C1,2025-03-01,100,2025-04-31
BD11,C1,01.02.2025 12:34:56,100,
BD12,C1,29.02.2024,100,
BD13,C1,2025-03-01T08:00:00,100,15.04.2025
""",
    "shipments_bad_amounts.csv": """
document_id;contract_id;date;amount
BA1;C1;2025-03-01;1.2.3
BA2;C1;2025-03-01;12,345
BA3;C1;2025-03-01;-0
BA4;C1;2025-03-01;1e5
BA5;C1;2025-03-01;12345678901234567890
BA6;C1;2025-03-01;-100
BA7;C1;2025-03-01;0
BA8;C1;2025-03-01;
BA9;C1;2025-03-01;100 руб.
BA10;C1;2025-03-01;12.345
BA11;C1;2025-03-01;(100)
BA12;C1;2025-03-01;1 234,567
BA13;C1;2025-03-01;1,23,4
BA14;C1;2025-03-01;NaN
BA15;C1;2025-03-01;1 234,56
BA16;C1;2025-03-01;1,234.56
BA17;C1;2025-03-01;12.3400
BA18;C1;2025-03-01;+5
BA19;C1;2025-03-01;1.234.567,89
BA20;C1;2025-03-01;999999999999999.99
""",
    "payments_bad_amounts.csv": """
document_id,date,amount,contract_id,counterparty_id
PA1,2025-03-01,-100,C1,
PA2,2025-03-01,0,,K1
PA3,2025-03-01,-0.00,C1,
PA4,2025-03-01,250.00,C1,
""",
    "returns_negative.csv": """
document_id,contract_id,date,amount,shipment_id
R1,C1,2025-03-01,-50,S1
R2,C1,2025-03-01,0,
R3,C1,2025-03-01,50,S1
""",
    "adjustments_zero.csv": """
document_id,contract_id,date,amount,shipment_id
A1,C1,2025-03-01,-0,
A2,C1,2025-03-01,"0,00",
A3,C1,2025-03-01,-100,S1
A4,C1,2025-03-01,100,
""",
    "opening_balances_bad.csv": """
document_id,contract_id,date,amount,due_date
OB1,C1,2024-12-31,0,
OB2,C1,2024-12-31,100,31.11.2024
OB3,C1,2024-12-31,-250.5,
OB4,C2,2024-12-31,1000,2024-11-30
""",
    "allocations_bad.csv": """
payment_id,shipment_id,amount
P1,S1,0
P1,S1,10
P1,S3,-5
P99,S1,10
P1,S99,10
P1,S2,10
P2,S1,50
""",
    "counterparties_bad_inn.csv": """
counterparty_id;name;inn
KI1;ООО Неверная сумма;7707083894
KI2;ООО Короткий;12345
KI3;ООО Буквы;77O7083893
KI4;ООО Без нуля;277083893
KI5;ИП Тринадцать;5001007322590
KI6;ИП Верный;500100732259
KI7;ООО Без ИНН;
KI8;ООО С пробелами;77 07 08 38 93
""",
    "counterparties_bad_contacts.csv": """
counterparty_id;name;kpp;email
KC1;ООО КПП;77360100;a@b.ru
KC2;ООО Почта;773601001;not-an-email
KC3;;773601001;a@b.ru
KC4;ООО Две почты;773601001;a@b.ru; c@d.ru
KC5;ООО Две почты в кавычках;773601001;"a@b.ru; c@d.ru"
;ООО Без кода;;
""",
    "contracts_bad_values.csv": """
contract_id,counterparty_id,number,date,currency,terms_days,terms_basis,credit_limit
CB1,K1,1,2025-01-01,RUBL,0,calendar,
CB2,K1,2,2025-01-01,RUB,-1,calendar,
CB3,K1,3,2025-01-01,RUB,30.5,calendar,
CB4,K1,4,2025-01-01,RUB,99999,calendar,
CB5,K1,5,2025-01-01,RUB,30,banking,
CB6,K1,6,2025-01-01,RUB,30,calendar,-5
CB7,K1,7,2025-13-01,RUB,30,calendar,
CB8,K1,8,2025-01-01,руб.,30,working,"1 000 000,00"
""",
    "contracts_unknown_counterparty.csv": """
contract_id,counterparty_id,number
CU1,K99,Д-99
CU2,K2,Д-100
""",
    "shipments_unknown_contract.csv": """
document_id,contract_id,date,amount
UC1,C99,2025-03-01,100
UC2,C1,2025-03-01,100
""",
    "returns_unknown_shipment.csv": """
document_id,contract_id,date,amount,shipment_id
RU1,C1,2025-03-01,50,S99
RU2,C1,2025-03-01,50,S2
RU3,C1,2025-03-01,50,S1
""",
    "payments_references.csv": """
document_id,date,amount,contract_id,counterparty_id,currency
PR1,2025-03-01,100,,,
PR2,2025-03-01,100,,K99,
PR3,2025-03-01,100,C1,K2,
PR4,2025-03-01,100,C1,,USD
PR5,2025-03-01,100,C99,,
PR6,2025-03-01,100,,K1,EUR
PR7,2025-03-01,100,C3,,USD
""",
    "shipments_bad_flags.csv": """
document_id,contract_id,date,amount,vat,deleted
BF1,C1,2025-03-01,100,,maybe
BF2,C1,2025-03-01,100,120,
BF3,C1,2025-03-01,100,-1,
BF4,C1,2025-03-01,100,"16,67",нет
BF5,C1,2025-03-01,100,,да
""",
    "calendar_bad.csv": """
date,kind
2025-02-30,holiday
2025-03-03,weekend
2025-03-07,
2025-03-10,holiday
""",
    "report_unknown_name.csv": """
document_id,contract_id,date,amount
X1,C1,2025-03-01,100
""",
}

FOLDER_CASES: dict[str, dict[str, str]] = {
    "dup_across_files": {
        "shipments_a.csv": "document_id,contract_id,date,amount\nDX1,C1,2025-03-01,100\n",
        "shipments_b.csv": "document_id,contract_id,date,amount\nDX1,C1,2025-03-01,200\nDX2,C1,2025-03-02,50\n",
    },
    "reference_chain": {
        "contracts.csv": "contract_id,counterparty_id,number\nC7,K99,Д-7\n",
        "shipments.csv": "document_id,contract_id,date,amount\nS70,C7,2025-03-01,100\n",
    },
    "deleted_counterparty": {
        "counterparties.csv": "counterparty_id;name;inn;Пометка удаления\nK5;ООО Удалённый;7736207543;Да\n",
        "contracts.csv": "contract_id,counterparty_id,number\nC5,K5,Д-5\n",
        "shipments.csv": "document_id,contract_id,date,amount\nS50,C5,2025-03-01,100\n",
    },
    "deleted_counterparty_existing": {
        "counterparties.csv": "counterparty_id;name;inn;deleted\nK1;ООО «Ромашка»;7707083893;1\n",
        "shipments.csv": "document_id,contract_id,date,amount\nS80,C1,2025-03-01,100\n",
    },
    "deleted_contract": {
        "contracts.csv": "contract_id,counterparty_id,number,deleted\nC8,K1,Д-8,true\n",
        "shipments.csv": "document_id,contract_id,date,amount\nS81,C8,2025-03-01,100\n",
    },
    "mixed_good_and_refused": {
        "shipments_ok.csv": "document_id,contract_id,date,amount\nG1,C1,2025-03-01,100\nG2,C2,2025-03-01,200\n",
        "shipments_broken.csv": 'document_id,contract_id,date,amount\nG3,C1,2025-03-01,"300\n',
    },
    "unknown_files": {
        "notes.txt": "Выгрузка за март\n",
        "readme.md": "# export\n",
    },
}


# ------------------------------------------------------------------------------ bank statements


def _statement(*documents: str, end: str = "КонецФайла\n", header: str = "") -> str:
    head = (
        "1CClientBankExchange\nВерсияФормата=1.03\nКодировка=Windows\nОтправитель=Бухгалтерия\n"
        f"ДатаНачала=01.03.2025\nДатаКонца=31.03.2025\nРасчСчет={OWN_ACCOUNT}\n{header}"
        f"СекцияРасчСчет\nДатаНачала=01.03.2025\nРасчСчет={OWN_ACCOUNT}\nНачальныйОстаток=0.00\nКонецРасчСчет\n"
    )
    return head + "".join(documents) + end


def _document(number: str, *, close: bool = True, **fields: str | None) -> str:
    """An incoming payment order from K1 (its INN) to the statement's own account."""
    values: dict[str, str | None] = {
        "Номер": number,
        "Дата": "03.03.2025",
        "Сумма": "100.00",
        "ПлательщикСчет": "40702810500000000777",
        "ПлательщикИНН": K1_INN,
        "Плательщик1": "ООО Ромашка",
        "ПолучательСчет": OWN_ACCOUNT,
        "ПолучательИНН": "7736207543",
        "Получатель1": "ООО Пример",
        "ДатаПоступило": "04.03.2025",
        "НазначениеПлатежа": "Оплата по договору Д-1/25, в т.ч. НДС",
    }
    values.update(fields)
    body = "".join(f"{key}={value}\n" for key, value in values.items() if value is not None)
    return f"СекцияДокумент=Платежное поручение\n{body}" + ("КонецДокумента\n" if close else "")


def _bank_cases() -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, note)."""
    cp = "cp1251"
    good = _document("101")
    return {
        "bank_no_end.txt": (_statement(good, end="").encode(cp), "no КонецФайла"),
        "bank_doc_missing_sum.txt": (
            _statement(good, _document("102", Сумма=None)).encode(cp),
            "the second document has no Сумма",
        ),
        "bank_koi8r.txt": (_statement(good).encode("koi8_r"), "KOI8-R, which 1C never writes"),
        "bank_utf16.txt": (_statement(good).encode("utf-16"), "UTF-16 with BOM"),
        "bank_doc_not_closed.txt": (
            _statement(good, _document("103", close=False), end="").encode(cp),
            "the last document has no КонецДокумента",
        ),
        "bank_bad_values.txt": (
            _statement(
                _document("111", Дата="31.02.2025"),
                _document("112", Сумма="1.2.3"),
                _document("113", Сумма="-5.00"),
                _document("114", Сумма="0"),
                _document("115", Сумма="12,345"),
                _document("116", Сумма="12345678901234567890"),
                _document("117", ДатаПоступило="2025-13-01"),
                _document("118", Сумма="1e5"),
                _document("119", Дата=None),
                _document("120", Сумма="250.00"),
            ).encode(cp),
            "one good document among broken ones",
        ),
        "bank_binary.txt": (
            b"1CClientBankExchange\r\n" + bytes(range(256)) * 4,
            "the magic line, then binary bytes",
        ),
        "bank_magic_second_line.txt": (("\n" + _statement(good)).encode(cp), "a blank line before the magic"),
        "bank_unknown_payer.txt": (
            _statement(_document("130", ПлательщикИНН="7728168971", Плательщик1="АО Незнакомец")).encode(cp),
            "a payer INN no counterparty has",
        ),
        "bank_duplicate_document.txt": (_statement(good, good).encode(cp), "the same payment order twice"),
        "bank_magic_only.txt": (b"1CClientBankExchange\r\n", "nothing after the first line"),
    }


# -------------------------------------------------------------------------------- binary cases

FIXED_TIME = datetime(2025, 3, 1, 12, 0, 0)


def _xlsx(rows: list[list[object]], sheet: str = "Shipments") -> bytes:
    """A workbook written by xlsxwriter with fixed metadata, so the bytes are reproducible."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    wb.set_properties({"created": FIXED_TIME})
    ws = wb.add_worksheet(sheet)
    date_format = wb.add_format({"num_format": "dd.mm.yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, date):
                ws.write_datetime(r, c, value, date_format)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            elif value is not None:
                ws.write(r, c, value)
    wb.close()
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with a fixed timestamp on every member (xlsxwriter stamps the current time)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 3, 1, 12, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _binary_cases() -> dict[str, tuple[bytes, str]]:
    header = ["document_id", "contract_id", "date", "amount", "warehouse"]
    good_xlsx = _xlsx(
        [
            header,
            ["X1", "C1", date(2025, 3, 1), 100.5, "Основной"],
            ["X2", "C1", date(2025, 3, 2), 200, "Основной"],
            ["X3", "C1", date(2025, 3, 3), 300, "Основной"],
        ]
    )
    bad_values_xlsx = _xlsx(
        [
            header,
            ["XB1", "C1", "31.02.2025", 100, ""],
            ["XB2", "C1", date(2025, 3, 1), "1.2.3", ""],
            ["XB3", "C1", date(2025, 3, 1), 100.005, ""],
            ["XB4", "C1", date(2025, 3, 1), -100, ""],
            ["XB5", "C1", date(2025, 3, 1), 1e20, ""],
            ["XB6", "C99", date(2025, 3, 1), 100, ""],
            ["XB7", "C1", date(2025, 3, 1), "1 234,56", ""],
            ["XB8", "C1", date(2025, 3, 1), 0.1 + 0.2, ""],
            ["XB9", "C1", 45717, 100, ""],
        ]
    )
    cyrillic = "document_id,contract_id,date,amount,warehouse\r\nE1,C1,2025-03-01,100,Основной склад\r\n"
    mixed = (
        b"document_id,contract_id,date,amount,warehouse\r\n"
        + "MX1,C1,2025-03-01,100,Основной склад\r\n".encode()
        + "MX2,C1,2025-03-02,200,Дальний склад\r\n".encode("cp1251")
    )
    counterparties_cp866 = (
        "counterparty_id;name;inn\r\nK6;ООО Ёлочка и партнёры;7736207543\r\nK7;ИП Смирнова Анна;\r\n"
    ).encode("cp866")
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
        b"\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    nul_late = (
        (SHIPMENTS_HEADER + ",warehouse\r\n").encode()
        + b"".join(f"NL{i},C1,2025-03-01,1,Основной склад номер {i:04d}\r\n".encode() for i in range(1, 121))
        + b"NL121,C1,2025-03-01,1,Sklad\x00X\r\n"
    )
    huge = (SHIPMENTS_HEADER + ",warehouse\r\n").encode() + (
        "HC1,C1,2025-03-01,100," + "x" * (1 << 20) + "\r\nHC2,C1,2025-03-02,200,Основной\r\n"
    ).encode()
    old_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Workbook" + bytes(100)
    missing_column_xlsx = _xlsx([["document_id", "contract_id", "date"], ["XM1", "C1", date(2025, 3, 1)]])
    return {
        "shipments_empty.csv": (b"", "0 bytes"),
        "shipments_blank_lines.csv": (b"\r\n   \r\n\t\r\n", "only blank lines"),
        "shipments_utf16_no_bom.csv": (cyrillic.encode("utf-16-le"), "UTF-16 without a byte order mark"),
        "shipments_cp1251_utf8_bom.csv": (
            b"\xef\xbb\xbf" + cyrillic.encode("cp1251"),
            "Windows-1251 after a UTF-8 BOM",
        ),
        "shipments_mixed_encodings.csv": (mixed, "UTF-8 lines, then a Windows-1251 line"),
        "counterparties_cp866.csv": (counterparties_cp866, "DOS (CP866) text, which the contract does not accept"),
        "shipments_binary_png.csv": (png, "a PNG image named .csv"),
        "shipments_xlsx_named_csv.csv": (good_xlsx, "an XLSX workbook named .csv"),
        "shipments_nul_in_value.csv": (nul_late, "a NUL byte in a value after the first 4 KB"),
        "shipments_huge_cell.csv": (huge, "a 1 MB cell in an optional column"),
        "shipments_old_format.xls": (old_xls, "an old Excel 97-2003 file"),
        "shipments_truncated.xlsx": (good_xlsx[: len(good_xlsx) // 2], "an XLSX cut in half"),
        "shipments_not_really.xlsx": (cyrillic.encode(), "CSV text named .xlsx"),
        "shipments_empty.xlsx": (b"", "0 bytes named .xlsx"),
        "shipments_missing_column.xlsx": (missing_column_xlsx, "an XLSX without the amount column"),
        "shipments_bad_values.xlsx": (bad_values_xlsx, "Excel cells with bad dates and amounts"),
        "shipments_report.pdf": (
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
            "a PDF",
        ),
    }


# ----------------------------------------------------------------------------------------- write


def _text(content: str) -> bytes:
    return content.strip("\n").replace("\n", "\r\n").encode("utf-8") + b"\r\n"


def corpus() -> dict[str, bytes]:
    """Relative path -> bytes, for every file of the corpus (the base fixture included)."""
    files: dict[str, bytes] = {f"_base/{name}": _text(content) for name, content in BASE.items()}
    files.update({name: _text(content) for name, content in TEXT_CASES.items()})
    for folder, members in FOLDER_CASES.items():
        files.update({f"{folder}/{name}": _text(content) for name, content in members.items()})
    files.update({name: data for name, (data, _note) in _bank_cases().items()})
    files.update({name: data for name, (data, _note) in _binary_cases().items()})
    return files


def write(target: Path) -> None:
    for relative, data in corpus().items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for folder in [*FOLDER_CASES, "_base"]:
        shutil.rmtree(target / folder, ignore_errors=True)
    write(target)
    print(f"wrote {len(corpus())} files to {target}")


if __name__ == "__main__":
    main()
