"""Every amount of the act fits its cell, from 0,01 to 999 999 999 999,99, in the PDF and the XLSX.

The PDF is read back with pdfplumber: each amount is a word of its own (two amounts that run together,
as «117 362 189,55107 913 442,09» did on the totals row, are one word that is no amount), and lies between
the vertical rules of its cell. The XLSX's amount columns are wide enough for the widest amount in Arial 9
(Excel shows ######## otherwise).
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pdfplumber
import polars as pl
import pytest
from openpyxl import load_workbook

from dashboard.services.act_pdf import act_pdf_bytes
from dashboard.services.act_xlsx import act_xlsx_bytes
from domain.money import amount_ru
from queries.act import ACT_SCHEMA, CLOSING_TITLE, OPENING_TITLE, TURNOVER_TITLE
from tests.helpers.acts import HEADER

AMOUNT = re.compile(r"^\d{1,3}(?: \d{3})*,\d{2}$")
LARGEST = 99_999_999_999_999  # 999 999 999 999,99


def act_of(opening: int, documents: list[tuple[date, str, int]]) -> pl.DataFrame:
    """An act in queries.act's shape; kopecks, + debit, - credit."""

    def balance(kind: str, day: date, title: str, amount: int) -> tuple[object, ...]:
        return (kind, day, title, *((amount, None) if amount >= 0 else (None, -amount)), *[None] * 8)

    rows = [balance("opening", date(2025, 1, 1), OPENING_TITLE, opening)]
    for i, (day, text, amount) in enumerate(documents):
        debit, credit = (amount, None) if amount > 0 else (None, -amount)
        rows.append(("document", day, text, debit, credit, f"D{i}", "sale", i, None, "", day, None, None))
    debit_total = sum(a for _, _, a in documents if a > 0)
    credit_total = sum(-a for _, _, a in documents if a < 0)
    rows.append(("turnover", None, TURNOVER_TITLE, debit_total, credit_total, *[None] * 8))
    rows.append(balance("closing", date(2025, 3, 31), CLOSING_TITLE, opening + debit_total - credit_total))
    return pl.DataFrame(rows, schema=ACT_SCHEMA, orient="row")


def amounts_in_their_cells(pdf: bytes, pages: list[int] | None = None) -> list[str]:
    """Every amount on the given pages (all by default), each checked to be one word inside its cell."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chosen = [document.pages[i] for i in pages] if pages is not None else document.pages
        for page in chosen:
            rules = sorted({round(edge["x0"], 1) for edge in page.edges if edge["orientation"] == "v"})
            for word in page.extract_words(keep_blank_chars=True, x_tolerance=1.5):
                text = word["text"].strip()
                if not re.match(r"^\d[\d ]*,\d", text) or not re.search(r"\d{3},\d{2}$|^\d{1,2},\d{2}$", text):
                    continue
                assert AMOUNT.match(text), f"page {page.page_number}: {text!r} is amounts run together"
                left = max((x for x in rules if x <= word["x0"] + 0.5), default=None)
                right = min((x for x in rules if x >= word["x1"] - 0.5), default=None)
                assert left is not None, f"{text!r} outside the table"
                assert right is not None, f"{text!r} outside the table"
                cells = [x for x in rules if left < x < right]
                assert not cells, f"page {page.page_number}: {text!r} crosses the rule at {cells}"
                found.append(text)
    return found


@pytest.mark.parametrize("scale", [1, 10_000, 10_000_000])  # kopecks: 0,01 .. 100 000,00 .. 1 000 000 000,00 ..
def test_one_page_acts_from_small_to_huge(scale: int) -> None:
    documents = [
        (date(2025, 1, 10), "Реализация 1 от 10.01.2025", 1 * scale),
        (date(2025, 1, 20), "Оплата 2 от 20.01.2025", -3 * scale),
        (date(2025, 2, 3), "Реализация 3 от 03.02.2025", 11_736_218_955 if scale > 1 else 5),
    ]
    act = act_of(7 * scale, documents)
    words = amounts_in_their_cells(act_pdf_bytes(act, HEADER))
    shown = {amount_ru(v) for v in (*act["debit"].drop_nulls(), *act["credit"].drop_nulls()) if v}
    assert shown <= set(words)


def test_the_largest_amounts_fit_and_do_not_run_together() -> None:
    """999 999 999 999,99 shipped and 888 888 888 888,88 paid: the totals row holds both side by side."""
    act = act_of(
        0,
        [
            (date(2025, 1, 10), "Реализация 1 от 10.01.2025", LARGEST),
            (date(2025, 1, 20), "Оплата 2 от 20.01.2025", -88_888_888_888_888),
        ],
    )
    words = amounts_in_their_cells(act_pdf_bytes(act, HEADER))
    assert words.count("999 999 999 999,99") == 2  # the document and the turnover
    assert words.count("888 888 888 888,88") == 2
    assert "111 111 111 111,11" in words  # the closing balance, not clipped

    sheet = load_workbook(io.BytesIO(act_xlsx_bytes(act, HEADER))).active
    assert sheet is not None
    widths = {}  # openpyxl keeps a run of equal columns under its first one (min..max)
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            widths[index] = dimension.width
    for column in (3, 4, 7, 8):  # C, D, G, H: the amount columns of both halves
        assert widths[column] >= len("999 999 999 999,99") + 1, f"column {column} is {widths[column]} wide"


def test_a_thousand_page_act_keeps_every_amount_in_its_cell() -> None:
    """A client of the largest size: 50,000 documents of up to 999 999 999 999,99, over 1,000 pages."""
    start = date(2020, 1, 1)
    documents = [
        (start + timedelta(days=i // 20), f"Реализация {i} от {start + timedelta(days=i // 20):%d.%m.%Y}", LARGEST - i)
        if i % 2 == 0
        else (start + timedelta(days=i // 20), f"Оплата {i}", -(LARGEST - i))
        for i in range(50_000)
    ]
    pdf = act_pdf_bytes(act_of(0, documents), HEADER)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = len(document.pages)
    assert pages >= 1000
    words = amounts_in_their_cells(pdf, [0, 1, pages // 2, pages - 1])
    assert "999 999 999 999,99" in words
    assert len(words) > 150
