"""Tests for the 1C "Клиент-банк" statement reader, against the public samples' upstream expectations."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.errors import FileRefused
from etl.sources.bank_1c import (
    BankStatement,
    Classified,
    classify,
    is_bank_statement,
    read_bank_statement,
)
from tests.helpers.paths import SHARED_TESTDATA

SAMPLES = SHARED_TESTDATA / "bank_statements"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"public samples not found in {SAMPLES}")

KILY = SAMPLES / "kilylabs_one_day.txt"
KILY_UTF8 = SAMPLES / "kilylabs_one_day_utf8.txt"
ODOO = SAMPLES / "odooru_kl_to_1c.txt"
ODOO_MIN = SAMPLES / "odooru_1c_to_kl-win-min-example.txt"
ZHAR_DOCS = SAMPLES / "zharikov_documents.txt"
ZHAR_GENERAL = SAMPLES / "zharikov_general.txt"
ZHAR_REMAININGS = SAMPLES / "zharikov_remainings.txt"
ZHAR_WRONG = SAMPLES / "zharikov_wrong_format.txt"
UNACT = SAMPLES / "unact_test.txt"

OWN = "40702810000000000001"


def _ids(classified: Classified) -> list[str]:
    return [p.document_id for p in classified.incoming]


def _total(classified: Classified) -> Decimal:
    return sum((Decimal(p.amount_text) for p in classified.incoming), Decimal(0))


def _statement(*docs: str, header: str = f"РасчСчет={OWN}\n", end: str = "КонецФайла\n") -> str:
    """A small statement as text, LF line ends; each doc is the body of one Платежное поручение."""
    parts = ["1CClientBankExchange\nВерсияФормата=1.03\nКодировка=Windows\n", header]
    parts.extend(f"СекцияДокумент=Платежное поручение\n{body}КонецДокумента\n" for body in docs)
    parts.append(end)
    return "".join(parts)


def _doc(number: str = "1", amount: str | None = "1000.00", **extra: str | None) -> str:
    """One document's lines; a None value leaves the field out."""
    fields: dict[str, str | None] = {
        "Номер": number,
        "Дата": "15.01.2025",
        "Сумма": amount,
        "ПлательщикСчет": "40702810900000000099",
        "ПлательщикИНН": "7707083893",
        "Плательщик1": "ООО Покупатель",
        "ПолучательСчет": OWN,
        "ПолучательИНН": "7736207543",
        "НазначениеПлатежа": "Оплата по договору 15/2024",
    }
    fields.update(extra)
    return "".join(f"{key}={value}\n" for key, value in fields.items() if value is not None)


def _write(tmp_path: Path, text: str, encoding: str = "cp1251", name: str = "statement.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --------------------------------------------------------------------------------------------------
# Public samples


@needs_samples
def test_kilylabs_documents_and_balances() -> None:
    st_ = read_bank_statement(KILY)
    assert st_.encoding == "cp1251"
    assert st_.has_end
    assert st_.accounts == frozenset({"40702810200000000001"})
    assert len(st_.documents) == 13
    assert Counter(d.doc_type for d in st_.documents) == {"Платежное поручение": 7, "Банковский ордер": 6}
    first = st_.documents[0]
    assert first.fields["Номер"] == "697162"
    assert first.line == 20
    assert first.fields["Сумма"] == "83.23"
    # Trailing spaces in values are trimmed.
    assert first.fields["КвитанцияСодержание"] == "статус документа: Внешний"
    (section,) = st_.account_sections
    assert section["НачальныйОстаток"] == "45329.91"
    assert section["КонечныйОстаток"] == "44145.91"
    assert st_.header["ВерсияФормата"] == "1.02"


@needs_samples
def test_kilylabs_classify_without_inn() -> None:
    st_ = read_bank_statement(KILY)
    result = classify(st_, None)
    assert len(result.incoming) == 3
    assert result.sent == 10
    assert result.problems == ()
    assert _total(result) == Decimal("40000.00")
    # The upstream totals hold: what is not incoming is exactly the 41184.00 paid, and the balance closes.
    incoming_lines = {p.line for p in result.incoming}
    paid = sum(Decimal(d.fields["Сумма"]) for d in st_.documents if d.line not in incoming_lines)
    assert paid == Decimal("41184.00")
    assert Decimal("45329.91") + _total(result) - paid == Decimal("44145.91")
    # The 3 incoming are exactly the documents with ДатаПоступило.
    assert incoming_lines == {d.line for d in st_.documents if "ДатаПоступило" in d.fields}
    assert [p.number for p in result.incoming] == ["5", "6", "1"]
    assert all(p.date == date(2016, 1, 11) for p in result.incoming)
    assert {p.payer_inn for p in result.incoming} == {"123123123123"}
    assert result.incoming[0].payer_name == "Some random payer"
    assert result.incoming[0].purpose == "Some random string"
    assert result.incoming[0].document_id.startswith("BANK-20160111-5-")
    assert len(set(_ids(result))) == 3


@needs_samples
def test_kilylabs_utf8_copy_gives_same_documents_and_ids() -> None:
    win = read_bank_statement(KILY)
    utf = read_bank_statement(KILY_UTF8)
    assert utf.encoding == "utf-8"  # the header says Windows, the bytes decide
    assert utf.header["Кодировка"] == "Windows"
    assert len(utf.documents) == 13
    assert utf.documents == win.documents
    assert _ids(classify(utf, None)) == _ids(classify(win, None))


@needs_samples
def test_reading_twice_gives_identical_ids() -> None:
    first = _ids(classify(read_bank_statement(KILY), None))
    second = _ids(classify(read_bank_statement(KILY), None))
    assert first == second
    assert all(len(i.rsplit("-", 1)[1]) == 10 for i in first)


@needs_samples
def test_odooru_single_outgoing_document_with_blank_line_in_header() -> None:
    st_ = read_bank_statement(ODOO)
    # The blank line inside the header does not end the header: РасчСчет after it is still read.
    assert st_.header["РасчСчет"] == "00000000000000000001"
    assert st_.accounts == frozenset({"00000000000000000001"})
    (doc,) = st_.documents
    assert doc.doc_type == "Платежное поручение"
    assert doc.fields["Сумма"] == "108159.12"
    result = classify(st_, None)
    assert result.incoming == ()
    assert result.sent == 1
    # Payer account is ours, so it stays outgoing even if the receiver's INN were configured as ours.
    assert classify(st_, "0000000001").incoming == ()


@needs_samples
def test_odooru_minimal_file() -> None:
    st_ = read_bank_statement(ODOO_MIN)
    assert st_.header == {"Поле": "Значение"}
    assert st_.documents == ()
    assert st_.has_end
    assert classify(st_, None) == Classified((), 0, ())


@needs_samples
def test_zharikov_documents() -> None:
    st_ = read_bank_statement(ZHAR_DOCS)
    assert st_.accounts == frozenset({"40000000000000000000"})
    one, two = st_.documents
    assert (one.fields["Номер"], one.fields["Дата"], one.fields["Сумма"], one.fields["ПлательщикИНН"]) == (
        "1",
        "01.01.2015",
        "1000.00",
        "000000000001",
    )
    assert (two.fields["Номер"], two.fields["Дата"], two.fields["Сумма"], two.fields["ПлательщикИНН"]) == (
        "2",
        "02.02.2015",
        "2000.00",
        "000000000002",
    )

    with_inn = classify(st_, "0000000000")
    assert [p.number for p in with_inn.incoming] == ["1", "2"]
    assert with_inn.sent == 0
    assert _total(with_inn) == Decimal("3000.00")
    assert with_inn.incoming[0].payer_name == "Иван Иванович Иванов"

    # Without an INN only the second is ours: its ПолучательСчет is the statement's account.
    without = classify(st_, None)
    (payment,) = without.incoming
    assert (payment.number, payment.amount_text, payment.payer_inn) == ("2", "2000.00", "000000000002")
    assert without.sent == 1
    # The sample's second document was "received" (ДатаПоступило 01.01.2015) before its own date
    # (02.02.2015); the payment date follows ДатаПоступило, the key follows the document date.
    assert payment.date == date(2015, 1, 1)
    assert payment.document_id.startswith("BANK-20150202-2-")
    # The same payment gets the same key whichever rule made it incoming.
    assert payment.document_id == with_inn.incoming[1].document_id


@needs_samples
def test_unact_two_accounts_six_documents() -> None:
    st_ = read_bank_statement(UNACT)
    assert st_.encoding == "utf-8"
    assert st_.accounts == frozenset({"40700000000000000000", "40600000000000000000"})
    assert len(st_.account_sections) == 2
    assert len(st_.documents) == 6
    assert st_.header["Документ"] == "Type 1"  # duplicates: the first value wins
    assert st_.header["РасчСчет"] == "40700000000000000000"
    # Every document moves money between the two own accounts: all are transfers, none incoming.
    result = classify(st_, "000000000000")
    assert result.incoming == ()
    assert result.sent == 6


@needs_samples
def test_unact_purpose_and_payer_name_when_incoming(tmp_path: Path) -> None:
    # Make 40700000000000000000 a stranger's account: the three documents from it become incoming.
    text = UNACT.read_text(encoding="utf-8")
    text = text.replace("РасчСчет=40700000000000000000", "РасчСчет=40600000000000000000")
    path = tmp_path / "unact.txt"
    path.write_text(text, encoding="utf-8")
    result = classify(read_bank_statement(path), None)
    assert len(result.incoming) == 3
    payment = result.incoming[0]
    assert payment.payer_name == "Payer name 1"
    assert payment.purpose == (
        "Payment purpose Payment purpose 1 Payment purpose 2 Payment purpose 3 "
        "Payment purpose 4 Payment purpose 5 Payment purpose 6"
    )


@needs_samples
@pytest.mark.parametrize("path", [ZHAR_GENERAL, ZHAR_REMAININGS])
def test_fragments_without_end_are_tolerated(path: Path) -> None:
    st_ = read_bank_statement(path)
    assert not st_.has_end
    assert st_.documents == ()


@needs_samples
def test_zharikov_remainings_account_section_only() -> None:
    st_ = read_bank_statement(ZHAR_REMAININGS)
    assert st_.header == {}
    assert st_.accounts == frozenset({"40000000000000000004"})
    assert st_.account_sections[0]["НачальныйОстаток"] == "100.00"


@needs_samples
def test_wrong_format_refused() -> None:
    assert not is_bank_statement(ZHAR_WRONG)
    with pytest.raises(FileRefused, match="not a 1C bank statement: the first line must be 1CClientBankExchange"):
        read_bank_statement(ZHAR_WRONG)


@needs_samples
@pytest.mark.parametrize("path", [KILY, KILY_UTF8, ODOO, ODOO_MIN, ZHAR_DOCS, ZHAR_GENERAL, UNACT])
def test_samples_recognised(path: Path) -> None:
    assert is_bank_statement(path)


# --------------------------------------------------------------------------------------------------
# Encodings and line ends


@needs_samples
def test_cp866_statement_reads_the_same(tmp_path: Path) -> None:
    text = KILY.read_bytes().decode("cp1251").replace("Кодировка=Windows", "Кодировка=DOS")
    path = tmp_path / "dos.txt"
    path.write_bytes(text.encode("cp866"))
    dos = read_bank_statement(path)
    win = read_bank_statement(KILY)
    assert dos.encoding == "cp866"
    assert dos.header["Кодировка"] == "DOS"
    assert dos.documents == win.documents
    assert _ids(classify(dos, None)) == _ids(classify(win, None))


def test_small_cp866_statement(tmp_path: Path) -> None:
    text = _statement(_doc(Плательщик1="ООО Ёлка и Ко")).replace("Кодировка=Windows", "Кодировка=DOS")
    dos = read_bank_statement(_write(tmp_path, text, "cp866", "dos.txt"))
    win = read_bank_statement(_write(tmp_path, text, "cp1251", "win.txt"))
    utf = read_bank_statement(_write(tmp_path, "\ufeff" + text, "utf-8", "utf.txt"))
    assert (dos.encoding, win.encoding, utf.encoding) == ("cp866", "cp1251", "utf-8")
    assert dos.documents == win.documents == utf.documents
    assert classify(dos, None).incoming[0].payer_name == "ООО Ёлка и Ко"
    assert is_bank_statement(tmp_path / "utf.txt")  # BOM before the magic


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_line_ends(tmp_path: Path, newline: str) -> None:
    text = _statement(_doc(), _doc("2", "5")).replace("\n", newline)
    st_ = read_bank_statement(_write(tmp_path, text))
    assert [d.line for d in st_.documents] == [5, 16]
    assert [p.amount_text for p in classify(st_, None).incoming] == ["1000.00", "5"]


def test_blank_lines_trailing_spaces_and_junk_lines(tmp_path: Path) -> None:
    body = _doc().replace("Сумма=1000.00\n", "\n  \nСумма=1000.00   \nстрока без знака равенства\n")
    text = _statement(body, header=f"\nРасчСчет={OWN}  \n\nмусор\n")
    st_ = read_bank_statement(_write(tmp_path, text))
    assert st_.accounts == frozenset({OWN})
    (doc,) = st_.documents
    assert doc.fields["Сумма"] == "1000.00"
    assert "строка без знака равенства" not in doc.fields
    (payment,) = classify(st_, None).incoming
    assert payment.amount_text == "1000.00"


def test_duplicate_fields_first_wins(tmp_path: Path) -> None:
    text = _statement(_doc() + "Сумма=999.00\n")
    (doc,) = read_bank_statement(_write(tmp_path, text)).documents
    assert doc.fields["Сумма"] == "1000.00"


def test_content_after_end_of_file_ignored(tmp_path: Path) -> None:
    text = _statement(_doc()) + "СекцияДокумент=Платежное поручение\nНомер=9\n"
    st_ = read_bank_statement(_write(tmp_path, text))
    assert st_.has_end
    assert len(st_.documents) == 1


# --------------------------------------------------------------------------------------------------
# Refused files


@needs_samples
def test_truncated_statement_refused(tmp_path: Path) -> None:
    data = KILY.read_bytes()
    cut = data[: data.index("КонецДокумента".encode("cp1251"), 2000)]  # inside the 2nd document
    path = tmp_path / "cut.txt"
    path.write_bytes(cut)
    assert is_bank_statement(path)
    with pytest.raises(FileRefused, match=r"^the statement is cut off: document at line 51 has no КонецДокумента$"):
        read_bank_statement(path)


def test_document_without_end_before_next_section_refused(tmp_path: Path) -> None:
    text = _statement(_doc(), _doc("2")).replace("КонецДокумента\n", "", 1)
    with pytest.raises(FileRefused, match="document at line 5 has no КонецДокумента"):
        read_bank_statement(_write(tmp_path, text))


def test_account_section_without_end_tolerated(tmp_path: Path) -> None:
    header = f"СекцияРасчСчет\nРасчСчет={OWN}\nНачальныйОстаток=10.00\n"
    st_ = read_bank_statement(_write(tmp_path, _statement(_doc(), header=header)))
    assert st_.accounts == frozenset({OWN})
    assert st_.account_sections == ({"РасчСчет": OWN, "НачальныйОстаток": "10.00"},)
    assert len(classify(st_, None).incoming) == 1


def test_statement_without_end_of_file_is_refused_when_classified(tmp_path: Path) -> None:
    """Cut off between two documents: reading tolerates it, loading it would lose what came after."""
    st_ = read_bank_statement(_write(tmp_path, _statement(_doc(), end="")))
    assert not st_.has_end
    assert len(st_.documents) == 1
    with pytest.raises(FileRefused, match="does not end with КонецФайла"):
        classify(st_, None)


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("-5.00", "must be greater than zero"),
        ("0", "must be greater than zero"),
        ("1.2.3", "is not a number"),
        ("1e5", "is not a number"),
        ("12,345", "more than 2 decimals"),
        ("", "is missing"),
    ],
)
def test_bad_amounts_are_problems_with_a_reason(tmp_path: Path, amount: str, reason: str) -> None:
    result = classify(read_bank_statement(_write(tmp_path, _statement(_doc(amount=amount)))), None)
    assert result.incoming == ()
    ((_line, column, value, found),) = result.problems
    assert (column, value) == ("Сумма", amount)
    assert reason in found


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \r\n\r\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a 1C bank statement"),
        (b"1CClientBankExchange\r\n\x00\x01\x02\x03", "binary data"),
        # Not one keyword of the format in any of its encodings: KOI8-R or worse.
        (b"1CClientBankExchange\r\n\xff\xfe\x98junk", "encoding is not recognised"),
        (
            "1CClientBankExchange\r\nКодировка=Windows\r\n".encode("cp1251") + b"\x98\r\n",
            "neither UTF-8 nor Windows-1251",
        ),
        ("1CClientBankExchange\r\nКодировка=Windows\r\n".encode("koi8_r"), "encoding is not recognised"),
        ("1CClientBankExchange\r\nСекцияДокумент=Платежное поручение\r\n".encode("utf-16"), "UTF-16"),
        ("\ufeff1CClientBankExchange".encode("utf-16"), "UTF-16"),
        (
            "1CClientBankExchange\nКодировка=Windows\nСумма=1\n".encode() + "Плательщик1=ООО Ёж\n".encode("cp1251"),
            "line 2 is UTF-8, line 4 is not",
        ),
        (b"ID;Date;Amount\n1;01.01.2025;100\n", "not a 1C bank statement"),
    ],
)
def test_junk_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(content)
    with pytest.raises(FileRefused, match=message):
        read_bank_statement(path)


def test_is_bank_statement_never_raises(tmp_path: Path) -> None:
    assert not is_bank_statement(tmp_path)  # a folder
    assert not is_bank_statement(tmp_path / "missing.txt")
    assert is_bank_statement(_write(tmp_path, "1CClientBankExchange  \r\n"))
    assert not is_bank_statement(_write(tmp_path, " 1CClientBankExchange\n"))
    assert not is_bank_statement(_write(tmp_path, "1CClientBankExchange2\n"))


def test_missing_file_refused(tmp_path: Path) -> None:
    with pytest.raises(FileRefused, match="cannot read the file"):
        read_bank_statement(tmp_path / "missing.txt")


# --------------------------------------------------------------------------------------------------
# Classification


def test_broken_incoming_documents_reported(tmp_path: Path) -> None:
    text = _statement(
        _doc("1", amount=None),
        _doc("2", Дата="31.02.2025"),
        _doc("3", amount="10.005"),
        _doc("4", amount="0.00"),
        _doc("5", amount="1 000"),
        _doc("6", ДатаПоступило="вчера"),
        _doc("7", amount="12.3400"),
        _doc("8", amount="1,5"),
        # Broken but not ours: never reported, only counted.
        _doc("9", amount="", ПолучательСчет="40702810000000000777"),
    )
    result = classify(read_bank_statement(_write(tmp_path, text)), None)
    assert [(p.number, p.amount_text) for p in result.incoming] == [("7", "12.3400"), ("8", "1,5")]
    assert result.sent == 1
    assert [(problem[1], problem[2]) for problem in result.problems] == [
        ("Сумма", ""),
        ("Дата", "31.02.2025"),
        ("Сумма", "10.005"),
        ("Сумма", "0.00"),
        ("Сумма", "1 000"),
        ("ДатаПоступило", "вчера"),
    ]
    line, field, value, reason = result.problems[0]
    assert (line, field, value) == (5, "Сумма", "")
    assert "missing" in reason
    assert "2 decimals" in result.problems[2][3]


def test_direction_rule(tmp_path: Path) -> None:
    text = _statement(
        _doc("1"),  # to our account
        _doc("2", ПлательщикСчет=OWN, ПолучательСчет="40702810900000000099"),  # we paid
        _doc("3", ПолучательСчет="40702810900000000555"),  # our INN, another account of ours
        _doc("4", ПолучательСчет="40702810900000000555", ПолучательИНН="5000000000"),  # not ours
        _doc("5", ПлательщикСчет=OWN, ПолучательСчет=OWN),  # between own accounts
    )
    st_ = read_bank_statement(_write(tmp_path, text))
    assert [p.number for p in classify(st_, None).incoming] == ["1"]
    with_inn = classify(st_, "7736207543")
    assert [p.number for p in with_inn.incoming] == ["1", "3"]
    assert with_inn.sent == 3


def test_payment_fields(tmp_path: Path) -> None:
    text = _statement(
        _doc(
            "17",
            "2500.50",
            Плательщик1=None,
            Плательщик="ИНН 7707083893 ООО Ромашка",
            ДатаПоступило="16.01.2025",
            НазначениеПлатежа="Оплата по счету 12 от 10.01.2025 по договору 15/2024, в т.ч. НДС",
            НазначениеПлатежа1="Оплата по счету 12 от 10.01.2025 по",
            НазначениеПлатежа2="договору 15/2024, в т.ч. НДС",
        )
    )
    (payment,) = classify(read_bank_statement(_write(tmp_path, text)), None).incoming
    assert payment.payer_name == "ООО Ромашка"
    assert payment.date == date(2025, 1, 16)
    assert payment.number == "17"
    assert payment.amount_text == "2500.50"
    assert payment.payer_account == "40702810900000000099"
    assert payment.line == 5
    # The numbered lines repeat the one-line purpose: not doubled.
    assert payment.purpose == "Оплата по счету 12 от 10.01.2025 по договору 15/2024, в т.ч. НДС"
    assert payment.document_id.startswith("BANK-20250115-17-")


def test_purpose_from_numbered_lines_only(tmp_path: Path) -> None:
    text = _statement(_doc(НазначениеПлатежа=None, НазначениеПлатежа1="Оплата", НазначениеПлатежа3="аванс"))
    (payment,) = classify(read_bank_statement(_write(tmp_path, text)), None).incoming
    assert payment.purpose == "Оплата аванс"


def test_key_stable_across_overlapping_statements(tmp_path: Path) -> None:
    # The same payment order in two statements: another period, another position, "1000" vs "1000.00".
    first = _statement(_doc("1"), _doc("2", "300.00"))
    second = _statement(_doc("3", "50.00"), _doc("4", "70.00"), _doc("2", "300"), header=f"РасчСчет={OWN}\n\n\n")
    ids_first = _ids(classify(read_bank_statement(_write(tmp_path, first, name="a.txt")), None))
    ids_second = _ids(classify(read_bank_statement(_write(tmp_path, second, name="b.txt")), None))
    assert ids_first[1] == ids_second[2]
    assert len(set(ids_first) | set(ids_second)) == 4
    # Anything that tells payments apart changes the key.
    variants = [
        _doc("2", "300.01"),
        _doc("2", "300.00", ПлательщикИНН="7707083894"),
        _doc("2", "300.00", Дата="16.01.2025"),
    ]
    ids_variants = _ids(classify(read_bank_statement(_write(tmp_path, _statement(*variants), name="c.txt")), None))
    assert not set(ids_variants) & set(ids_first)
    assert len(set(ids_variants)) == 3


def test_statement_is_frozen() -> None:
    st_ = BankStatement("utf-8", {}, frozenset(), (), has_end=True)
    with pytest.raises(AttributeError):
        st_.has_end = False  # type: ignore[misc]
    assert st_.account_sections == ()


# --------------------------------------------------------------------------------------------------
# Robustness and speed

_LINE_PARTS = st.sampled_from(
    [
        "СекцияДокумент=Платежное поручение",
        "СекцияДокумент",
        "КонецДокумента",
        "СекцияРасчСчет",
        "КонецРасчСчет",
        "КонецФайла",
        f"РасчСчет={OWN}",
        f"ПолучательСчет={OWN}",
        "Сумма=100.00",
        "Сумма=-1",
        "Дата=01.01.2025",
        "Дата=99.99.9999",
        "ДатаПоступило=",
        "=",
        "",
        "  ",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    head=st.sampled_from([b"", b"1CClientBankExchange\r\n", b"\xef\xbb\xbf1CClientBankExchange\n"]),
    junk=st.binary(max_size=300),
)
def test_random_bytes_only_refused(tmp_path: Path, head: bytes, junk: bytes) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_bytes(head + junk)
    is_bank_statement(path)
    try:
        st_ = read_bank_statement(path)
        classify(st_, None)
        classify(st_, "7736207543")
    except FileRefused:
        return


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.one_of(_LINE_PARTS, st.text(max_size=40)), max_size=40),
    encoding=st.sampled_from(["utf-8", "cp1251", "cp866"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_random_lines_only_refused(tmp_path: Path, lines: list[str], encoding: str, newline: str) -> None:
    text = newline.join(["1CClientBankExchange", *lines])
    path = tmp_path / "fuzz.txt"
    path.write_bytes(text.encode(encoding, errors="replace"))
    try:
        st_ = read_bank_statement(path)
        result = classify(st_, "7736207543")
    except FileRefused as exc:
        refusal = str(exc)
    else:
        refusal = ""
        # Every document is accounted for exactly once: incoming, counted as sent, or reported.
        assert len(result.incoming) + result.sent + len({p[0] for p in result.problems}) == len(st_.documents)
    if refusal:
        assert "statement" in refusal  # a message meant for a person, not an exception repr


def test_hundred_thousand_documents(tmp_path: Path) -> None:
    """Every one of 100k documents is read, each under its own key (how fast: `make bench`, not a test)."""
    doc = _doc()
    text = _statement(*(doc.replace("Номер=1\n", f"Номер={i}\n") for i in range(100_000)))
    path = _write(tmp_path, text)
    result = classify(read_bank_statement(path), None)
    assert len(result.incoming) == 100_000
    assert len(set(_ids(result))) == 100_000


@pytest.mark.parametrize("written", ["1234.50", "1234,50", "1234.5", "01234.50", "1234.٥٠", "١٢٣٤.50"])
def test_a_payments_key_takes_its_amount_as_decimal_gives_it(written: str) -> None:
    """The key's amount is Decimal's two-decimal text, however the statement wrote it: the shortcut for an
    amount already in that form takes ASCII digits only (other scripts' digits, which Decimal reads, are
    normalised like a comma or a missing zero)."""
    from etl.sources.bank_1c.incoming import _document_id

    day = date(2025, 3, 14)
    assert _document_id(day, "17", "7701234567", "40702810000000000001", written) == _document_id(
        day, "17", "7701234567", "40702810000000000001", "1234.50"
    )
