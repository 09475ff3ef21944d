"""The act as a document: amounts in words and the XLSX read back. Pure: frames built by hand."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import openpyxl
import polars as pl
import pypdf
import pytest

from dashboard.services.act_document import Signer, closing_sentence
from dashboard.services.act_pdf import act_pdf_bytes
from dashboard.services.act_xlsx import act_xlsx_bytes
from domain.money import amount_in_words
from queries.act import ACT_SCHEMA, CLOSING_TITLE, OPENING_TITLE, TURNOVER_TITLE
from tests.helpers.acts import CLIENT, COMPANY, D_TO, HEADER, THREE_AND_THREE, make_act


def read(act: pl.DataFrame, **options: object) -> openpyxl.worksheet.worksheet.Worksheet:
    data = act_xlsx_bytes(act, replace(HEADER, **options))
    return openpyxl.load_workbook(io.BytesIO(data)).active


def texts(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def table_row(ws, title: str) -> tuple:  # type: ignore[no-untyped-def,type-arg]
    """(date, document, debit, credit) of our half's row whose document is `title`."""
    for row in ws.iter_rows(min_col=1, max_col=4, values_only=True):
        if row[1] == title:
            return row
    raise AssertionError(f"no row {title!r}")


def test_three_payments_three_shipments() -> None:
    act = make_act(0, THREE_AND_THREE)
    ws = read(
        act,
        contract="№ 7 от 01.12.2024",
        company_signer=Signer("Генеральный директор", "Иванов И. И."),
        counterparty_signer=Signer("", "Петров П. П."),
    )
    assert ws["A1"].value == "Акт сверки"
    assert ws["A1"].font.bold
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "взаимных расчетов за период: 01.01.2025 – 31.03.2025"
    assert ws["A3"].value == f"между {COMPANY} и {CLIENT}"
    assert ws["A4"].value == "по договору № 7 от 01.12.2024"
    all_text = texts(ws)
    assert (
        f"Мы, нижеподписавшиеся, Генеральный директор {COMPANY} Иванов И. И., с одной стороны, и ______ {CLIENT} "
        "Петров П. П., с другой стороны, составили настоящий акт сверки в том, что состояние взаимных расчетов по "
        "данным учета следующее:"
    ) in all_text
    assert f"По данным {COMPANY}, руб." in all_text
    assert f"По данным {CLIENT}, руб." in all_text

    assert table_row(ws, OPENING_TITLE)[2:] == (None, None)
    assert table_row(ws, "Реализация 1 от 10.01.2025")[2:] == (49_000, None)
    assert table_row(ws, "Оплата 13 от 20.03.2025")[2:] == (None, 50_000)
    turnover = table_row(ws, TURNOVER_TITLE)
    assert turnover[2:] == (119_000, 124_000)
    closing = table_row(ws, CLOSING_TITLE)
    assert closing[0].date() == D_TO
    assert closing[2:] == (None, 5_000)

    sentence = (
        f"По данным {COMPANY} на 31.03.2025 задолженность в пользу {CLIENT} составляет 5 000,00 руб. "
        "(Пять тысяч рублей 00 копеек)"
    )
    assert sentence in all_text
    assert "Иванов И. И." in all_text
    assert "Генеральный директор" in all_text
    assert "Петров П. П." in all_text
    assert all_text.count("М.П.") == 2
    assert f"От {COMPANY}" in all_text
    assert f"От {CLIENT}" in all_text


def test_cells_are_numbers_dates_and_bordered() -> None:
    ws = read(make_act(0, THREE_AND_THREE))
    for row in ws.iter_rows(min_col=1, max_col=8):
        if row[1].value == "Реализация 2 от 03.02.2025":
            assert row[0].number_format == "dd.mm.yyyy"
            assert row[0].value.date() == date(2025, 2, 3)
            assert isinstance(row[2].value, (int, float))
            assert row[2].number_format == "#,##0.00"
            # both halves ruled: the body's one conditional format (no cell is written in the empty half)
            assert any(
                row[0].coordinate in f.sqref
                and row[7].coordinate in f.sqref
                and f.rules[0].dxf.border.left.style == "thin"
                for f in ws.conditional_formatting
            )
            assert all(c.value is None for c in row[4:])  # the counterparty's half is left empty
        if row[1].value == TURNOVER_TITLE:
            assert row[1].font.bold
            assert row[2].font.bold
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, xlsxwriter omits it
    assert ws.page_setup.fitToHeight == 0
    assert ws.page_margins.left == 0.5
    assert ws.print_title_rows is not None


def test_published_arithmetic_credit() -> None:
    # The published act: opening Dt 100 / Cr 200, i.e. a net opening credit of 100,00; turnover Dt 300 / Cr 400;
    # closing: -100 + 300 - 400 = -200, Cr 200,00 in the counterparty's favour.
    act = make_act(
        -100,
        [(date(2025, 2, 1), "Реализация 5 от 01.02.2025", 300), (date(2025, 2, 2), "Оплата 6 от 02.02.2025", -400)],
    )
    ws = read(act)
    assert table_row(ws, OPENING_TITLE)[2:] == (None, 100)
    assert table_row(ws, TURNOVER_TITLE)[2:] == (300, 400)
    assert table_row(ws, CLOSING_TITLE)[2:] == (None, 200)
    assert (
        f"По данным {COMPANY} на 31.03.2025 задолженность в пользу {CLIENT} составляет 200,00 руб. "
        "(Двести рублей 00 копеек)"
    ) in texts(ws)


def test_published_arithmetic_debit_to_zero() -> None:
    # Opening debit 100,00 (owed to us), turnover Dt 300 / Cr 400: 100 + 300 - 400 = 0, no debt either way.
    act = make_act(
        100,
        [(date(2025, 2, 1), "Реализация 5 от 01.02.2025", 300), (date(2025, 2, 2), "Оплата 6 от 02.02.2025", -400)],
    )
    ws = read(act)
    assert table_row(ws, OPENING_TITLE)[2:] == (100, None)
    assert table_row(ws, TURNOVER_TITLE)[2:] == (300, 400)
    assert table_row(ws, CLOSING_TITLE)[2:] == (None, None)
    assert f"По данным {COMPANY} на 31.03.2025 задолженность отсутствует." in texts(ws)


def test_debit_balance_is_in_the_company_favour() -> None:
    act = make_act(0, [(date(2025, 1, 10), "Реализация 1 от 10.01.2025", 121)])
    sentence = closing_sentence(act, HEADER)
    assert sentence == (
        f"По данным {COMPANY} на 31.03.2025 задолженность в пользу {COMPANY} составляет 121,00 руб. "
        "(Сто двадцать один рубль 00 копеек)"
    )


def test_empty_period() -> None:
    ws = read(make_act(0, []))
    assert table_row(ws, TURNOVER_TITLE)[2:] == (0, 0)
    assert table_row(ws, CLOSING_TITLE)[2:] == (None, None)
    assert f"По данным {COMPANY} на 31.03.2025 задолженность отсутствует." in texts(ws)
    assert ws["A4"].value is None  # no contract line


def test_a_frame_without_its_closing_row_is_not_an_act() -> None:
    # queries.act gives an empty frame for an act the caller may not see: never "no debt" on a document.
    with pytest.raises(ValueError, match="no closing row"):
        closing_sentence(pl.DataFrame(schema=ACT_SCHEMA), HEADER)
    with pytest.raises(ValueError, match="no closing row"):
        act_pdf_bytes(pl.DataFrame(schema=ACT_SCHEMA), HEADER)


@pytest.mark.parametrize(
    ("kopecks", "words"),
    [
        (0, "Ноль рублей 00 копеек"),
        (100, "Один рубль 00 копеек"),
        (200, "Два рубля 00 копеек"),
        (500, "Пять рублей 00 копеек"),
        (1100, "Одиннадцать рублей 00 копеек"),
        (1400, "Четырнадцать рублей 00 копеек"),
        (2100, "Двадцать один рубль 00 копеек"),
        (10100, "Сто один рубль 00 копеек"),
        (11100, "Сто одиннадцать рублей 00 копеек"),
        (12105, "Сто двадцать один рубль 05 копеек"),
        (100_000, "Одна тысяча рублей 00 копеек"),
        (200_000, "Две тысячи рублей 00 копеек"),
        (200_201, "Две тысячи два рубля 01 копейка"),
        (500_000, "Пять тысяч рублей 00 копеек"),
        (2_100_000, "Двадцать одна тысяча рублей 00 копеек"),
        (100_000_000, "Один миллион рублей 00 копеек"),
        (1, "Ноль рублей 01 копейка"),
        (2, "Ноль рублей 02 копейки"),
        (5, "Ноль рублей 05 копеек"),
        (11, "Ноль рублей 11 копеек"),
        (21, "Ноль рублей 21 копейка"),
        (-500_000, "Пять тысяч рублей 00 копеек"),
    ],
)
def test_amount_in_words(kopecks: int, words: str) -> None:
    assert amount_in_words(kopecks) == words


# ------------------------------------------------------------------------------------------------ PDF


def pdf_text(data: bytes) -> str:
    """The PDF's text with whitespace runs made single spaces (lines wrap wherever the layout wants)."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_three_payments_three_shipments() -> None:
    header = replace(
        HEADER,
        contract="№ 7 от 01.12.2024",
        company_signer=Signer("Генеральный директор", "Иванов И. И."),
    )
    data = act_pdf_bytes(make_act(0, THREE_AND_THREE), header)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in (
        "Акт сверки",
        "взаимных расчетов за период: 01.01.2025 – 31.03.2025",
        f"между {COMPANY} и {CLIENT}",
        "по договору № 7 от 01.12.2024",
        f"Мы, нижеподписавшиеся, Генеральный директор {COMPANY} Иванов И. И., с одной стороны",
        f"По данным {COMPANY}, руб.",
        f"По данным {CLIENT}, руб.",
        "Реализация 1 от 10.01.2025 49 000,00",
        "Оплата 13 от 20.03.2025 50 000,00",
        "Обороты за период 119 000,00 124 000,00",
        "31.03.2025 Сальдо конечное 5 000,00",
        f"По данным {COMPANY} на 31.03.2025 задолженность в пользу {CLIENT} составляет 5 000,00 руб. "
        "(Пять тысяч рублей 00 копеек)",
        f"От {COMPANY}",
        f"От {CLIENT}",
    ):
        assert expected in text, expected
    assert text.count("М.П.") == 2


def test_pdf_published_arithmetic_and_empty_period() -> None:
    act = make_act(
        -100,
        [(date(2025, 2, 1), "Реализация 5 от 01.02.2025", 300), (date(2025, 2, 2), "Оплата 6 от 02.02.2025", -400)],
    )
    text = pdf_text(act_pdf_bytes(act, HEADER))
    assert "01.01.2025 Сальдо начальное 100,00" in text
    assert "Обороты за период 300,00 400,00" in text
    assert "31.03.2025 Сальдо конечное 200,00" in text
    assert "(Двести рублей 00 копеек)" in text

    empty = pdf_text(act_pdf_bytes(make_act(0, []), HEADER))
    assert "Обороты за период 0,00 0,00" in empty
    assert f"По данным {COMPANY} на 31.03.2025 задолженность отсутствует." in empty


def test_pdf_embeds_its_fonts_and_is_a4() -> None:
    reader = pypdf.PdfReader(io.BytesIO(act_pdf_bytes(make_act(0, THREE_AND_THREE), HEADER)))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    fonts = [f.get_object() for p in reader.pages for f in p["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:  # every font carries its glyphs: Cyrillic shows on a machine without the font
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, font["/BaseFont"]
        assert "LiberationSans" in font["/BaseFont"]


def test_pdf_long_act_repeats_the_header_on_every_page() -> None:
    # 600 shipments: many pages; each page shows the column header, the last one the totals and signatures.
    documents = [(date(2025, 2, 1), f"Реализация {i}", 1) for i in range(600)]
    act = make_act(0, documents)
    data = act_pdf_bytes(act, HEADER)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 5
    for number, page in enumerate(reader.pages, 1):
        text = " ".join(page.extract_text().split())
        assert f"Страница {number}" in text
        if "Реализация" in text or "Сальдо" in text:  # a page of the table shows its header
            assert "Дата Документ Дебет Кредит Дата Документ Дебет Кредит" in text, number
        else:  # the signatures went on to a page of their own: no empty table header there
            assert "Дата Документ" not in text, number
    text = pdf_text(data)
    assert "Обороты за период 600,00 0,00" in text
    assert "Сальдо конечное 600,00" in text
    assert "М.П." in " ".join(reader.pages[-1].extract_text().split())
    rows = re.findall(r"01\.02\.2025 Реализация (\d+) 1,00", text)
    assert sorted(int(i) for i in rows) == list(range(600))  # every row once, none lost at a page break


def test_pdf_is_deterministic() -> None:
    act = make_act(0, THREE_AND_THREE)
    assert act_pdf_bytes(act, HEADER) == act_pdf_bytes(act, HEADER)


def test_foreign_currency_act_names_its_currency() -> None:
    act = make_act(0, [(date(2025, 1, 10), "Реализация 1 от 10.01.2025", 1_234)])
    text = pdf_text(act_pdf_bytes(act, replace(HEADER, currency="USD")))
    assert f"По данным {COMPANY}, USD" in text
    assert "составляет 1 234,00 USD (Одна тысяча двести тридцать четыре доллара 00 центов)" in text
    assert amount_in_words(10_001, "CNY") == "Сто CNY 01"
