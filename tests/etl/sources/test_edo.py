"""The УПД/УКД reader against public samples written by an EDO operator and hand-made files of known content.

Every expected value below was read by eye from the file (tests/data/edo/README.md says where each file
comes from and what it plants), never computed by the reader.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from etl.errors import FileRefused
from etl.sources.edo import EDO_SUFFIXES, EdoBasis, EdoDocument, EdoRead, is_edo_xml, read_edo_path
from tests.helpers.paths import DATA

EDO = DATA / "edo"
OUR_INN = "7707083893"
CONTRACT = (EdoBasis("Договор поставки", "15/2024", date(2024, 1, 10)),)


def _one(path: Path) -> EdoDocument:
    result = read_edo_path(path)
    assert result.problems == []
    assert result.other == []
    assert len(result.documents) == 1
    return result.documents[0]


def _variant(tmp_path: Path, sample: str, old: str, new: str, encoding: str = "cp1251") -> Path:
    """A copy of a sample with one piece of text replaced (which must be there)."""
    text = (EDO / sample).read_bytes().decode(encoding)
    assert old in text, old
    path = tmp_path / sample
    path.write_bytes(text.replace(old, new).encode(encoding))
    return path


# --------------------------------------------------------------------------------------------------
# Public samples


def test_real_sf_155_format_from_a_diadoc_archive() -> None:
    """A real счёт-фактура (ООО НТС Градиент to ПАО Детский мир, 2017) in the 155@ format, КНД 1115125."""
    doc = _one(EDO / "gradient_sf_155_ON_SCHFDOPPR.xml")
    assert doc == EdoDocument(
        source=str(EDO / "gradient_sf_155_ON_SCHFDOPPR.xml"),
        kind="upd",
        function="СЧФ",
        seller_inn="7720125736",
        seller_name='ООО "НТС "Градиент"',
        buyer_inn="7729355029",
        buyer_kpp="774850001",
        buyer_name="ПАО Детский мир",
        number="45017118448/00",
        date=date(2017, 10, 27),
        correction_number="",
        total=2_448_707_98,
        vat=222_609_82,
        currency="RUB",
        basis=(),
        corrected_number="",
        corrected_date=None,
        line=1,
    )


def test_real_upd_501_generated_by_diadoc() -> None:
    """Diadoc's УПД of the 820@ format (ВерсФорм 5.01): an ИП seller, zero amounts, a basis without a document."""
    doc = _one(EDO / "diadoc_upd_501_utd820_title0.xml")
    assert (doc.kind, doc.function, doc.number, doc.date) == ("upd", "СЧФДОП", "123", date(2019, 8, 1))
    assert (doc.seller_inn, doc.seller_name) == ("114500647890", "ИП Продавец Иван Иванович")
    assert (doc.buyer_inn, doc.buyer_kpp, doc.buyer_name) == ("9147414342", "757645784", "Документация-получатель")
    # СумНалВсего/СумНал is "0.00": a VAT of zero, not «без НДС».
    assert (doc.total, doc.vat, doc.currency) == (0, 0, "RUB")
    assert doc.basis == (EdoBasis("Без документа-основания", "", None),)
    assert (doc.correction_number, doc.corrected_number, doc.corrected_date) == ("", "", None)


def test_real_upd_502_generated_by_diadoc_uses_the_970_names() -> None:
    """Diadoc's УПД of the 970@ format says ВерсФорм 5.02 and writes НомерДок/ДатаДок, ДенИзм, ОснПер/@Рекв*."""
    doc = _one(EDO / "diadoc_upd_502_utd970_title0.xml")
    assert (doc.kind, doc.function, doc.number, doc.date) == ("upd", "СЧФДОП", "123", date(2023, 2, 1))
    assert (doc.seller_inn, doc.seller_name) == ("9103624367", "СвЮЛУч-НаимОрг")
    assert (doc.buyer_inn, doc.buyer_kpp, doc.buyer_name) == ("1234567894", "667301001", "СвЮЛУч-НаимОрг")
    # The sample's totals do not add up (8965.00 + 456.00 != 10000.00): the reader takes them as written.
    assert (doc.total, doc.vat, doc.currency) == (10_000_00, 456_00, "RUB")
    assert doc.basis == (EdoBasis("ОснПер-РеквНаимДок", "567", date(2024, 2, 14)),)
    # ИмяФайлИспрПрод names a file, yet there is no ИспрДок: not a correction.
    assert doc.correction_number == ""


def test_real_buyer_title_is_not_a_seller_document() -> None:
    path = EDO / "diadoc_buyer_title_502_utd970_title1.xml"
    assert not is_edo_xml(path)
    with pytest.raises(FileRefused, match=r"КНД 1115132: the buyer's title"):
        read_edo_path(path)


# --------------------------------------------------------------------------------------------------
# Hand-made files


def test_our_shipment() -> None:
    doc = _one(EDO / "hand_upd_501_original.xml")
    assert (doc.kind, doc.function, doc.number, doc.date, doc.correction_number) == (
        "upd",
        "СЧФДОП",
        "ВО-101",
        date(2025, 2, 3),
        "",
    )
    assert (doc.seller_inn, doc.seller_name) == (OUR_INN, "ООО «Волжский Опт»")
    assert (doc.buyer_inn, doc.buyer_kpp, doc.buyer_name) == ("7736207543", "773601001", "ООО «Ромашка-Трейд»")
    # 120 000.00 + 740.70 with VAT; 20 000.00 + 123.45 of VAT.
    assert (doc.total, doc.vat, doc.currency) == (120_740_70, 20_123_45, "RUB")
    assert doc.basis == CONTRACT


def test_corrected_copy_keeps_number_and_date_and_names_the_correction() -> None:
    original = _one(EDO / "hand_upd_501_original.xml")
    corrected = _one(EDO / "hand_upd_501_corrected.xml")
    assert (corrected.number, corrected.date, corrected.correction_number) == ("ВО-101", date(2025, 2, 3), "1")
    assert (corrected.total, corrected.vat) == (120_888_84, 20_148_14)
    assert corrected.buyer_inn == original.buyer_inn


def test_the_same_document_read_twice_is_equal_but_for_its_source(tmp_path: Path) -> None:
    copy = tmp_path / "копия.xml"
    copy.write_bytes((EDO / "hand_upd_501_original.xml").read_bytes())
    first, second = _one(EDO / "hand_upd_501_original.xml"), _one(copy)
    assert first != second
    assert dataclasses.replace(first, source=second.source) == second


def test_invoice_only() -> None:
    doc = _one(EDO / "hand_sf_501_invoice_only.xml")
    assert (doc.function, doc.number, doc.date) == ("СЧФ", "ВО-102", date(2025, 2, 4))
    assert (doc.buyer_inn, doc.buyer_kpp, doc.buyer_name) == ("5024002119", "502401001", "АО «СеверСтрой»")
    assert (doc.total, doc.vat, doc.basis) == (59_000_00, 9_833_33, ())


def test_supplier_document_has_another_seller() -> None:
    doc = _one(EDO / "hand_upd_501_supplier.xml")
    assert (doc.seller_inn, doc.seller_name) == ("1655065113", "ООО «Казанский Комбинат»")
    assert (doc.buyer_inn, doc.buyer_kpp) == (OUR_INN, "631601001")
    assert (doc.number, doc.date, doc.total, doc.vat) == ("КК-000777", date(2025, 2, 6), 35_400_00, 5_900_00)
    assert doc.basis == (EdoBasis("Договор", "КК-12", date(2023, 3, 15)),)


def test_dollar_document() -> None:
    doc = _one(EDO / "hand_upd_501_usd.xml")
    assert (doc.currency, doc.total, doc.vat) == ("USD", 1_250_50, 208_42)
    assert (doc.buyer_inn, doc.number) == ("7710140679", "ВО-103")


def test_entrepreneur_buyer() -> None:
    doc = _one(EDO / "hand_upd_501_ip_buyer.xml")
    assert (doc.buyer_inn, doc.buyer_kpp, doc.buyer_name) == ("500100732259", "", "ИП Смирнова Анна Петровна")
    assert (doc.total, doc.vat) == (8_400_00, 1_400_00)


def test_without_vat() -> None:
    doc = _one(EDO / "hand_upd_501_no_vat.xml")
    assert (doc.function, doc.number, doc.total, doc.vat) == ("ДОП", "ВО-105", 15_000_00, None)


def test_upd_503_in_utf8() -> None:
    doc = _one(EDO / "hand_upd_503_utf8.xml")
    assert (doc.number, doc.date, doc.correction_number) == ("ВО-110", date(2025, 2, 14), "2")
    assert (doc.seller_inn, doc.buyer_inn, doc.buyer_kpp) == (OUR_INN, "5024002119", "502401001")
    assert (doc.total, doc.vat, doc.currency) == (24_000_00, 4_000_00, "RUB")
    assert doc.basis == (
        EdoBasis("Договор", "7-П", date(2024, 12, 1)),
        EdoBasis("Спецификация", "3", date(2025, 2, 10)),
    )


def test_ukd_503_decreasing_a_shipment_by_1234_56() -> None:
    doc = _one(EDO / "hand_ukd_503_decrease.xml")
    assert (doc.kind, doc.function, doc.number, doc.date) == ("ukd", "КСЧФДИС", "ВО-К-7", date(2025, 2, 20))
    assert (doc.corrected_number, doc.corrected_date) == ("ВО-101", date(2025, 2, 3))
    assert (doc.total, doc.vat, doc.currency) == (-1_234_56, -205_76, "RUB")
    assert (doc.seller_inn, doc.buyer_inn, doc.buyer_kpp) == (OUR_INN, "7736207543", "773601001")
    assert (doc.correction_number, doc.basis) == ("", (EdoBasis("Акт о возврате товара", "В-2", date(2025, 2, 19)),))


def test_ukd_736_increasing_with_its_own_correction() -> None:
    doc = _one(EDO / "hand_ukd_501_increase.xml")
    assert (doc.kind, doc.function, doc.number, doc.date) == ("ukd", "КСЧФ", "ВО-К-8", date(2025, 2, 21))
    assert (doc.correction_number, doc.corrected_number, doc.corrected_date) == ("1", "ВО-104", date(2025, 2, 10))
    assert (doc.total, doc.vat) == (600_00, 100_00)
    assert (doc.buyer_inn, doc.buyer_name) == ("500100732259", "ИП Смирнова Анна Петровна")


def test_ukd_with_both_increase_and_decrease_is_the_net_change(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "hand_ukd_501_increase.xml",
        "    </ТаблКСчФ>",
        '      <ВсегоУм СтТовБезНДСВсего="1000.00" СтТовУчНалВсего="1200.00">'
        "<СумНал><СумНал>200.00</СумНал></СумНал></ВсегоУм>\n    </ТаблКСчФ>",
    )
    doc = _one(path)
    assert (doc.total, doc.vat) == (600_00 - 1_200_00, 100_00 - 200_00)


def test_default_namespace_is_tolerated(tmp_path: Path) -> None:
    path = _variant(tmp_path, "hand_upd_501_original.xml", '<Файл ИдФайл="', '<Файл xmlns="urn:example:fns" ИдФайл="')
    assert is_edo_xml(path)
    assert dataclasses.replace(_one(path), source="") == dataclasses.replace(
        _one(EDO / "hand_upd_501_original.xml"), source=""
    )


# --------------------------------------------------------------------------------------------------
# Refusals of a single file


def test_dtd_entity_bomb_is_refused_unexpanded() -> None:
    path = EDO / "hand_upd_dtd_entity.xml"
    assert is_edo_xml(path)  # it looks like a УПД; reading it is what refuses
    with pytest.raises(FileRefused, match="DTD") as caught:
        read_edo_path(path)
    assert "ха" not in str(caught.value)


def test_malformed_xml_is_refused_naming_the_line() -> None:
    with pytest.raises(FileRefused, match=r"not well-formed XML at line 11, column 7: mismatched tag"):
        read_edo_path(EDO / "hand_upd_malformed.xml")


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('СтТовУчНалВсего="120740.70"', 'СтТовУчНалВсего="120740.705"', r"ВсегоОпл/@СтТовУчНалВсего: .*more than 2"),
        ('СтТовУчНалВсего="120740.70"', 'СтТовУчНалВсего="1.2e5"', r"ВсегоОпл/@СтТовУчНалВсего: not an amount"),
        ("<СумНал>20123.45</СумНал>", "<СумНал>двадцать</СумНал>", r"ВсегоОпл/СумНалВсего/СумНал: not an amount"),
        ('ДатаСчФ="03.02.2025"', 'ДатаСчФ="31.02.2025"', r"СвСчФакт: the document's date: not a date"),
        ('НомерСчФ="ВО-101" ', "", r"СвСчФакт/@НомерСчФ or @НомерДок is missing"),
        ('ДатаОсн="10.01.2024"', 'ДатаОсн="2024/01/10"', r"ОснПер: the basis's date: not a date"),
    ],
)
def test_a_bad_required_value_is_refused_naming_it(tmp_path: Path, old: str, new: str, reason: str) -> None:
    path = _variant(tmp_path, "hand_upd_501_original.xml", old, new)
    with pytest.raises(FileRefused, match=reason):
        read_edo_path(path)


@pytest.mark.parametrize(
    ("text", "kopecks"),
    [("120740.70", 120_740_70), ("1234.5", 1_234_50), ("0", 0), ("99999999999.99", 9_999_999_999_999)],
)
def test_amounts_are_exact_kopecks(tmp_path: Path, text: str, kopecks: int) -> None:
    path = _variant(tmp_path, "hand_upd_501_original.xml", 'СтТовУчНалВсего="120740.70"', f'СтТовУчНалВсего="{text}"')
    assert _one(path).total == kopecks


def test_not_edo_xml_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "catalog.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация ВерсияСхемы="2.10"/>\n')
    with pytest.raises(FileRefused, match=r"the root element is <КоммерческаяИнформация>, not <Файл>"):
        read_edo_path(path)


def test_other_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "upd.txt"
    path.write_bytes((EDO / "hand_upd_501_original.xml").read_bytes())
    with pytest.raises(FileRefused, match=r"\.xml file or a \.zip archive"):
        read_edo_path(path)


# --------------------------------------------------------------------------------------------------
# is_edo_xml


@pytest.mark.parametrize(
    "name",
    [
        "gradient_sf_155_ON_SCHFDOPPR.xml",
        "diadoc_upd_501_utd820_title0.xml",
        "diadoc_upd_502_utd970_title0.xml",
        "hand_upd_501_original.xml",
        "hand_upd_503_utf8.xml",
        "hand_ukd_503_decrease.xml",
        "hand_ukd_501_increase.xml",
    ],
)
def test_is_edo_xml_for_the_samples(name: str) -> None:
    assert is_edo_xml(EDO / name)


BANK_STATEMENT = (
    "1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=Windows\r\nСекцияДокумент=Платежное поручение\r\n"
    "Номер=1\r\nСумма=1000.00\r\nКонецДокумента\r\nКонецФайла\r\n"
)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("shipments.csv", "document_id;date;amount\nВО-101;03.02.2025;120740.70\n".encode("cp1251")),
        ("random.xml", b'<?xml version="1.0"?>\n<root><item>1</item></root>\n'),
        ("catalog.xml", '<?xml version="1.0" encoding="windows-1251"?>\n<КоммерческаяИнформация/>'.encode("cp1251")),
        ("kl_to_1c.txt", BANK_STATEMENT.encode("cp1251")),
        ("old_esf.xml", '<Файл ВерсФорм="5.01"><Документ КНД="1115101"/></Файл>'.encode()),
        ("no_document.xml", '<Файл ВерсФорм="5.01"><СвУчДокОбор/></Файл>'.encode()),
        ("empty.xml", b""),
        ("scan.pdf", b"%PDF-1.7\n1 0 obj\n"),
    ],
)
def test_is_edo_xml_is_false_for_other_files(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert not is_edo_xml(path)


def test_is_edo_xml_is_false_for_a_missing_file(tmp_path: Path) -> None:
    assert not is_edo_xml(tmp_path / "absent.xml")


def test_public_names() -> None:
    assert {".xml", ".zip"} == EDO_SUFFIXES
    empty = EdoRead()
    assert (empty.documents, empty.problems, empty.other) == ([], [], [])
