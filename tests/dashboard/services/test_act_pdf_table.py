"""The act's table body drawn on the canvas (dashboard.services.act_pdf_table): lines broken where a person
expects, page breaks between whole rows, and what a reader of the PDF sees of a long act."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pdfplumber
import pypdf
from reportlab.pdfbase.pdfmetrics import stringWidth

from dashboard.services.act_pdf import FONT, FONT_BOLD, LEADING, _set_up_reportlab, act_pdf_bytes
from dashboard.services.act_pdf_table import PAD_Y, ActTable, Row, Widths, act_table
from tests.helpers.acts import HEADER, make_act

_set_up_reportlab()


def test_wrap_breaks_at_plain_spaces_and_keeps_no_break_ones() -> None:
    widths = Widths(FONT)
    text = "Реализация (№\u00a0УПД-012345 от 15.01.2026)"
    # a column as wide as "Реализация от": greedy, word by word, "Реализация (№..." does not fit, nor does
    # "(№ УПД-012345 от" (longer than "Реализация от"), while "от 15.01.2026)" (2 letters and 11 narrow
    # characters) does
    column = stringWidth("Реализация от", FONT, 1)
    lines = widths.wrap(text, column)
    assert lines == ("Реализация", "(№\u00a0УПД-012345", "от 15.01.2026)")  # "№ УПД" never parted
    assert " ".join(lines) == text
    assert widths.wrap("Оплата 1", column) == ("Оплата 1",)  # fits: one line, untouched


def test_a_word_wider_than_the_column_stands_alone() -> None:
    lines = Widths(FONT).wrap("Реализация УПД-0123456789012345678901234567890 от", stringWidth("Реализация", FONT, 1))
    assert lines == ("Реализация", "УПД-0123456789012345678901234567890", "от")


def test_line_widths_add_up_as_reportlab_measures_them() -> None:
    widths = Widths(FONT_BOLD)
    for text in ("Сальдо начальное", "999 999 999 999,99", "Оплата (п/п № 4567 от 16.01.2026)"):
        assert abs(widths.text(text) - stringWidth(text, FONT_BOLD, 1)) < 1e-9


def rows_of(lines: list[int]) -> ActTable:
    rows = [Row(False, "", tuple("x" * n), (None, None)) for n in lines]
    tops = [0.0]
    for n in lines:
        tops.append(tops[-1] + n * LEADING + 2 * PAD_Y)
    return ActTable(rows, tops, [10.0] * 8, (FONT, FONT_BOLD), 7.5, LEADING)


def test_page_breaks_fall_between_whole_rows() -> None:
    # rows of 1, 3 and 1 lines: 9 + 3 = 12, 27 + 3 = 30, 12 pt; their tops at 0, 12, 42, 54
    table = rows_of([1, 3, 1])
    assert table.wrap(80, 10) == (80, 54)
    assert table.split(80, 5) == []  # not even the first row: the next page
    first, rest = table.split(80, 41)  # 12 + 30 = 42 > 41: the first row alone
    assert (first.start, first.end, first.height) == (0, 1, 12)
    assert (rest.start, rest.end, rest.height) == (1, 3, 42)
    first, rest = rest.split(80, 30)  # the 3-line row exactly fills 30
    assert (first.start, first.end, rest.start, rest.end) == (1, 2, 2, 3)
    assert table.split(80, 54) == [table]


def test_amounts_too_wide_for_their_cell_are_set_smaller() -> None:
    # amount cells 40 pt wide: 35 pt for the text. "1 234,56" at 7.5 pt is under 35; "999 999 999 999,99"
    # (14 digits x 556 + 3 spaces x 278 + a comma 278 = 8,896 / 1000 x 7.5 = 66.7 pt) is set at
    # 7.5 x 35 / 66.7 = 3.93 -> 3.9 pt
    table = act_table(
        [(False, date(2025, 1, 10), "Реализация 1", 123_456, None), (True, None, "Обороты", None, 99_999_999_999_999)],
        [40.0, 100.0, 40.0, 40.0] * 2,
        (FONT, FONT_BOLD),
        7.5,
        LEADING,
    )
    small, huge = table.rows[0].amounts[0], table.rows[1].amounts[1]
    assert small is not None
    assert huge is not None
    assert (small.text, small.size) == ("1 234,56", 7.5)
    assert (huge.text, huge.size) == ("999 999 999 999,99", 3.9)
    assert huge.width <= 35
    assert table.rows[0].day == "10.01.2025"
    assert table.rows[1].bold


def test_a_long_act_reads_whole_in_order_with_wrapped_texts() -> None:
    """2,000 documents with texts that wrap: every document's text is on some page, in order, and every
    page after the first starts with the column header."""
    start = date(2025, 1, 1)
    documents = [
        (
            start + timedelta(days=i // 30),
            f"Реализация (№ УПД-{i:06d} от {start + timedelta(days=i // 30):%d.%m.%Y})",
            1 + i,
        )
        for i in range(2_000)
    ]
    pdf = act_pdf_bytes(make_act(0, documents), HEADER)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    texts = [page.extract_text() for page in reader.pages]
    joined = " ".join(" ".join(texts).split())
    position = 0
    for i in (0, 1, 999, 1_998, 1_999):
        found = joined.find(f"УПД-{i:06d}", position)
        assert found >= 0, i
        position = found
    for text in texts[1:]:
        assert "Дата Документ Дебет Кредит" in " ".join(text.split())
    assert "Сальдо конечное" in texts[-1]
    with pdfplumber.open(io.BytesIO(pdf)) as document:  # the rules of a cell a row: 9 vertical per page
        page = document.pages[1]
        verticals = {round(edge["x0"], 1) for edge in page.edges if edge["orientation"] == "v"}
        assert len(verticals) == 9
