"""The reconciliation act (акт сверки взаиморасчетов) as a printable document, in the 1C standard form.

Input: a frame as `queries.act.act` returns it (kind opening/document/turnover/closing, date, document,
debit, credit; money in Int64 kopecks, null where empty) and an `ActHeader` (the parties, the period, the
contract, the signers). Output: XLSX bytes (xlsxwriter) or PDF bytes (reportlab, Liberation Sans
embedded) with the same layout: the title, the preamble, two halves side by side (ours filled, the
counterparty's left empty for them), the closing sentence with the amount in words, and the signature
blocks. No streamlit and no database here: the CLI, the batch ZIP and the act page share it.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl
import xlsxwriter
from num2words import CONVERTER_CLASSES, num2words

from dashboard.services.exports import new_workbook
from domain.money import to_decimal

MONEY_FORMAT = "#,##0.00"  # Excel/LibreOffice localise it: «5 000,00» in a Russian locale
DATE_FORMAT = "dd.mm.yyyy"
SHEET_NAME = "Акт сверки"
COLUMNS = ("Дата", "Документ", "Дебет", "Кредит")
WIDTHS = (9.5, 26, 12.5, 12.5)  # one half; the other half repeats them (fits A4 portrait at ~90%)
LAST_COLUMN = 2 * len(COLUMNS) - 1  # A..H
DOCUMENT_CHARS = int(WIDTHS[1] * 1.6)  # characters of Arial 9 on one line of the document column
FONTS = Path(__file__).resolve().parent / "fonts"
BLANK = "______"


@dataclass(frozen=True)
class Signer:
    position: str = ""
    name: str = ""


@dataclass(frozen=True)
class ActHeader:
    """Everything on the act that is not its table: parties, period, contract, currency, signers."""

    company: str
    counterparty: str
    date_from: date
    date_to: date
    contract: str | None = None  # «№ 7 от 01.12.2024» when the act is of one contract
    currency: str = "RUB"
    company_signer: Signer = field(default_factory=Signer)
    counterparty_signer: Signer = field(default_factory=Signer)

    @property
    def unit(self) -> str:
        return "руб." if self.currency == "RUB" else self.currency

    @property
    def period(self) -> str:
        return f"взаимных расчетов за период: {self.date_from:%d.%m.%Y} – {self.date_to:%d.%m.%Y}"

    @property
    def between(self) -> str:
        return f"между {self.company} и {self.counterparty}"

    @property
    def contract_line(self) -> str | None:
        return f"по договору {self.contract}" if self.contract else None

    @property
    def preamble(self) -> str:
        def party(signer: Signer, name: str) -> str:
            return " ".join(x for x in (signer.position or BLANK, name, signer.name or BLANK) if x)

        return (
            f"Мы, нижеподписавшиеся, {party(self.company_signer, self.company)}, с одной стороны, "
            f"и {party(self.counterparty_signer, self.counterparty)}, с другой стороны, "
            "составили настоящий акт сверки в том, что состояние взаимных расчетов по данным учета следующее:"
        )

    def half_title(self, party: str) -> str:
        return f"По данным {party}, {self.unit}"


def _plural(n: int, one: str, few: str, many: str) -> str:
    """Russian agreement of a noun with a number: 1 рубль, 2-4 рубля, 5-20 рублей, 21 рубль, 111 рублей."""
    n = abs(n)
    if 11 <= n % 100 <= 14:
        return many
    if n % 10 == 1:
        return one
    if 2 <= n % 10 <= 4:
        return few
    return many


def amount_in_words(kopecks: int, currency: str = "RUB") -> str:
    """«Пять тысяч рублей 00 копеек»: whole units in words (num2words, Russian), the cents as two digits,
    as 1C writes them. Currencies num2words has no Russian names for keep their code: «Сто CNY 00»."""
    kopecks = abs(int(kopecks))
    units, cents = divmod(kopecks, 100)
    words = num2words(units, lang="ru")
    words = words[:1].upper() + words[1:]
    forms = CONVERTER_CLASSES["ru"].CURRENCY_FORMS.get(currency)
    if forms is None:
        return f"{words} {currency} {cents:02d}"
    (one, few, many), (cent_one, cent_few, cent_many) = forms
    return f"{words} {_plural(units, one, few, many)} {cents:02d} {_plural(cents, cent_one, cent_few, cent_many)}"


def money_text(kopecks: int) -> str:
    """«5 000,00»: Russian grouping (plain spaces) and decimal comma, exact."""
    return f"{to_decimal(kopecks):,.2f}".replace(",", " ").replace(".", ",")


def closing_balance(act: pl.DataFrame) -> int:
    """The signed closing balance (> 0 owed to us, < 0 we owe); 0 for a frame without a closing row."""
    row = act.filter(pl.col("kind") == "closing")
    if row.height == 0:
        return 0
    return int(row["debit"].fill_null(0)[0]) - int(row["credit"].fill_null(0)[0])


def closing_sentence(act: pl.DataFrame, header: ActHeader) -> str:
    """«По данным <company> на <date> задолженность в пользу <party> составляет … руб. (…)»."""
    balance = closing_balance(act)
    head = f"По данным {header.company} на {header.date_to:%d.%m.%Y}"
    if balance == 0:
        return f"{head} задолженность отсутствует."
    party = header.company if balance > 0 else header.counterparty
    return (
        f"{head} задолженность в пользу {party} составляет {money_text(abs(balance))} {header.unit} "
        f"({amount_in_words(abs(balance), header.currency)})"
    )


def _table_rows(act: pl.DataFrame):  # type: ignore[no-untyped-def]
    """(summary?, date, document, debit, credit) per row; a zero opening or closing balance left empty, as 1C."""
    for kind, when, document, debit, credit in act.select("kind", "date", "document", "debit", "credit").iter_rows():
        balance = kind in ("opening", "closing")
        yield (
            kind != "document",
            when,
            document or "",
            (debit or None) if balance else debit,
            ((credit or None) if balance else credit),
        )


def _height(text: str, chars_per_line: int, line_height: float = 15.0) -> float:
    """A row height for wrapped text in merged cells (which Excel never auto-fits)."""
    lines = max(1, math.ceil(len(text) / chars_per_line))
    return lines * line_height


def act_xlsx_bytes(act: pl.DataFrame, header: ActHeader) -> bytes:
    """The act as an XLSX workbook in the 1C form, printable on one A4 page wide."""
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)  # names and signers are text even when they start with "="
    ws = workbook.add_worksheet(SHEET_NAME)

    base = {"font_name": "Arial", "font_size": 9, "valign": "vcenter"}

    def fmt(**options: object) -> xlsxwriter.format.Format:
        return workbook.add_format({**base, **options})

    title = fmt(bold=True, font_size=12, align="center")
    centered = fmt(align="center", text_wrap=True)
    wrapped = fmt(text_wrap=True, valign="top")
    half_header = fmt(bold=True, border=1, align="center", text_wrap=True)
    column_header = fmt(bold=True, border=1, align="center", bg_color="#F2F2F2")
    cell = fmt(border=1, text_wrap=True)
    date_cell = fmt(border=1, num_format=DATE_FORMAT, align="center")
    money_cell = fmt(border=1, num_format=MONEY_FORMAT)
    bold_cell = fmt(border=1, bold=True, text_wrap=True)
    bold_date = fmt(border=1, bold=True, num_format=DATE_FORMAT, align="center")
    bold_money = fmt(border=1, bold=True, num_format=MONEY_FORMAT)
    plain = fmt()
    bold = fmt(bold=True)
    line = fmt(bottom=1, text_wrap=True)
    caption = fmt(font_size=7, align="center", valign="top")

    for half in (0, len(COLUMNS)):
        for i, width in enumerate(WIDTHS):
            ws.set_column(half + i, half + i, width)
    total_chars = 2 * sum(WIDTHS)

    row = 0
    ws.merge_range(row, 0, row, LAST_COLUMN, "Акт сверки", title)
    ws.set_row(row, 20)
    row += 1
    ws.merge_range(row, 0, row, LAST_COLUMN, header.period, centered)
    row += 1
    ws.merge_range(row, 0, row, LAST_COLUMN, header.between, centered)
    ws.set_row(row, _height(header.between, total_chars))
    row += 1
    if header.contract_line:
        ws.merge_range(row, 0, row, LAST_COLUMN, header.contract_line, centered)
        row += 1
    row += 1

    ws.merge_range(row, 0, row, LAST_COLUMN, header.preamble, wrapped)
    ws.set_row(row, _height(header.preamble, total_chars))
    row += 2

    header_first = row
    ours, theirs = header.half_title(header.company), header.half_title(header.counterparty)
    ws.merge_range(row, 0, row, len(COLUMNS) - 1, ours, half_header)
    ws.merge_range(row, len(COLUMNS), row, LAST_COLUMN, theirs, half_header)
    ws.set_row(row, max(_height(ours, sum(WIDTHS)), _height(theirs, sum(WIDTHS))))
    row += 1
    for half in (0, len(COLUMNS)):
        for i, name in enumerate(COLUMNS):
            ws.write_string(row, half + i, name, column_header)
    header_last = row
    row += 1

    for summary, when, document, debit, credit in _table_rows(act):
        text_format, day_format, number_format = (
            (bold_cell, bold_date, bold_money) if summary else (cell, date_cell, money_cell)
        )
        if when is None:
            ws.write_blank(row, 0, None, day_format)
        else:
            ws.write_datetime(row, 0, when, day_format)
        ws.write_string(row, 1, document, text_format)
        if len(document) > DOCUMENT_CHARS:  # wraps: Excel and LibreOffice do not grow a row on opening
            ws.set_row(row, _height(document, DOCUMENT_CHARS, 12.0))
        for column, value in ((2, debit), (3, credit)):
            if value is None:
                ws.write_blank(row, column, None, number_format)
            else:
                ws.write_number(row, column, value / 100, number_format)
        for column in range(len(COLUMNS), LAST_COLUMN + 1):  # the counterparty fills their half in
            ws.write_blank(row, column, None, bold_cell if summary else cell)
        row += 1
    row += 1

    sentence = closing_sentence(act, header)
    ws.merge_range(row, 0, row, len(COLUMNS) - 1, sentence, wrapped)
    ws.set_row(row, _height(sentence, sum(WIDTHS)))
    row += 2

    for half, party, signer in (
        (0, header.company, header.company_signer),
        (len(COLUMNS), header.counterparty, header.counterparty_signer),
    ):
        ws.merge_range(row, half, row, half + len(COLUMNS) - 1, f"От {party}", bold)
        ws.merge_range(row + 2, half, row + 2, half + 1, signer.position, line)
        ws.merge_range(row + 2, half + 2, row + 2, half + 3, signer.name, line)
        ws.merge_range(row + 3, half, row + 3, half + 1, "(должность)", caption)
        ws.merge_range(row + 3, half + 2, row + 3, half + 3, "(подпись, ФИО)", caption)
        ws.write_string(row + 5, half, "М.П.", plain)
    row += 6

    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.5, bottom=0.5)
    ws.repeat_rows(header_first, header_last)
    ws.print_area(0, 0, row - 1, LAST_COLUMN)
    workbook.close()
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- PDF

FONT, FONT_BOLD = "LiberationSans", "LiberationSans-Bold"
CHUNK = 100  # table rows per reportlab Table (see act_pdf_bytes)
NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


def _table_end():  # type: ignore[no-untyped-def]
    """A zero-size flowable after the act's table: from the next page on, no table header is drawn."""
    from reportlab.platypus import Flowable

    class TableEnd(Flowable):
        def wrap(self, *_args: object) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            self.canv._doctemplate.act_table_done = True

    return TableEnd()


@cache
def _register_fonts() -> None:
    """Liberation Sans (Arial-metric, with Cyrillic) from the package's fonts/, embedded as a subset."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "LiberationSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS / "LiberationSans-Bold.ttf")))
    for italic in (0, 1):
        addMapping(FONT, 0, italic, FONT)
        addMapping(FONT, 1, italic, FONT_BOLD)


def act_pdf_bytes(act: pl.DataFrame, header: ActHeader) -> bytes:
    """The act as a PDF on A4 portrait: the same layout as the XLSX, the table's header repeated on
    every page, page numbers in the footer, the fonts embedded (no font needed on the reader's side)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        KeepTogether,
        NextPageTemplate,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    _register_fonts()
    size = 7.5
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11)
    centered = ParagraphStyle("centered", parent=body, alignment=TA_CENTER)
    title = ParagraphStyle("title", parent=centered, fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=2)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size + 1.5)
    bold_cell = ParagraphStyle("bold_cell", parent=cell, fontName=FONT_BOLD)
    head_cell = ParagraphStyle("head_cell", parent=bold_cell, alignment=TA_CENTER)
    caption = ParagraphStyle("caption", parent=cell, fontSize=6, leading=7, alignment=TA_CENTER)

    def text(value: str, style: ParagraphStyle = body) -> Paragraph:
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(escaped, style)

    margin = 12 * mm
    width = A4[0] - 2 * margin
    half = width / 2
    widths = [half * share for share in (0.155, 0.465, 0.19, 0.19)] * 2
    padding = 2 * 2.5  # the cells' padding, left and right

    def document_cell(value: str, summary: bool) -> str | Paragraph:
        """A plain string when it fits the column (fast), else a paragraph that wraps."""
        font = FONT_BOLD if summary else FONT
        if stringWidth(value, font, size) <= widths[1] - padding:
            return value
        return text(value, bold_cell if summary else cell)

    head_rows: list[list[object]] = [
        [
            text(header.half_title(header.company), head_cell),
            "",
            "",
            "",
            text(header.half_title(header.counterparty), head_cell),
            "",
            "",
            "",
        ],
        [*COLUMNS, *COLUMNS],
    ]
    common: list[tuple] = [  # type: ignore[type-arg]
        ("FONT", (0, 0), (-1, -1), FONT, size),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
    ]
    head_style = TableStyle(
        [
            *common,
            ("SPAN", (0, 0), (3, 0)),
            ("SPAN", (4, 0), (7, 0)),
            ("FONT", (0, 1), (-1, 1), FONT_BOLD, size),
            ("ALIGN", (0, 1), (-1, 1), "CENTER"),
            ("BACKGROUND", (0, 1), (-1, 1), colors.HexColor("#F2F2F2")),
            ("TOPPADDING", (0, 1), (-1, 1), 1.5),
            ("BOTTOMPADDING", (0, 1), (-1, 1), 1.5),
        ]
    )
    body_style = [
        *common,
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("ALIGN", (2, 0), (3, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]

    # The body goes in chunks of CHUNK rows: one long table would be re-measured at every page break
    # (quadratic: an act of 50,000 rows would take many minutes). The chunks stack without a gap; the
    # column header is drawn by the page template on every page after the first.
    chunks: list[object] = []
    chunk: list[list[object]] = []
    bold_rows: list[int] = []

    def flush() -> None:
        if chunk:
            style = [*body_style, *[("FONT", (0, r), (-1, r), FONT_BOLD, size) for r in bold_rows]]
            chunks.append(Table(list(chunk), colWidths=widths, style=TableStyle(style)))
            chunk.clear()
            bold_rows.clear()

    for summary, when, document, debit, credit in _table_rows(act):
        if summary:
            bold_rows.append(len(chunk))
        chunk.append(
            [
                f"{when:%d.%m.%Y}" if when is not None else "",
                document_cell(document, summary),
                money_text(debit) if debit is not None else "",
                money_text(credit) if credit is not None else "",
                "",
                "",
                "",
                "",
            ]
        )
        if len(chunk) == CHUNK:
            flush()
    flush()
    table_head = Table(head_rows, colWidths=widths, style=head_style)
    _, head_height = table_head.wrap(width, A4[1])

    sentence = Table(
        [[text(closing_sentence(act, header)), ""]],
        colWidths=[half, half],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, size),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        ),
    )

    def signature(party: str, signer: Signer) -> list[list[object]]:
        return [
            [text(f"От {party}", ParagraphStyle("from", parent=body, fontName=FONT_BOLD)), ""],
            ["", ""],
            [text(signer.position, cell), text(signer.name, cell)],
            [text("(должность)", caption), text("(подпись, ФИО)", caption)],
            ["", ""],
            [text("М.П.", body), ""],
        ]

    ours, theirs = (
        signature(header.company, header.company_signer),
        signature(header.counterparty, header.counterparty_signer),
    )
    quarter = half / 2 - 3 * mm
    signatures = Table(
        [[*a, "", *b] for a, b in zip(ours, theirs, strict=True)],
        colWidths=[quarter, quarter, 6 * mm, quarter, quarter],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, size),  # empty cells too: no font left unembedded
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (3, 0), (4, 0)),
                ("LINEBELOW", (0, 2), (1, 2), 0.5, colors.black),
                ("LINEBELOW", (3, 2), (4, 2), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )

    story: list[object] = [
        text("Акт сверки", title),
        text(header.period, centered),
        text(header.between, centered),
    ]
    if header.contract_line:
        story.append(text(header.contract_line, centered))
    story += [Spacer(1, 4 * mm), text(header.preamble), Spacer(1, 3 * mm)]
    story += [Table(head_rows, colWidths=widths, style=head_style), *chunks, _table_end(), Spacer(1, 4 * mm)]
    story.append(KeepTogether([sentence, Spacer(1, 6 * mm), signatures]))  # never a signature alone on a page

    footer_text = f"Акт сверки {header.between}, {header.date_from:%d.%m.%Y} – {header.date_to:%d.%m.%Y}"

    def footer(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(FONT, 6.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(margin, 7 * mm, footer_text[:140])
        canvas.drawRightString(A4[0] - margin, 7 * mm, f"Страница {document.page}")
        canvas.restoreState()

    def later_page(canvas, document) -> None:  # type: ignore[no-untyped-def]
        footer(canvas, document)
        if not getattr(document, "act_table_done", False):  # the table goes on: its header again
            table_head.drawOn(canvas, margin, A4[1] - margin - head_height)

    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Акт сверки: {header.counterparty}",
        author=header.company,
        subject=header.period,
        invariant=1,  # the same act gives the same bytes (no timestamp or random id)
        initialFontName=FONT,  # else the canvas starts in Helvetica, a font the PDF would not embed
    )
    bottom = 14 * mm
    frame_height = A4[1] - margin - bottom
    document.addPageTemplates(
        [
            PageTemplate(
                "first", [Frame(margin, bottom, width, frame_height, id="first", **NO_PADDING)], onPage=footer
            ),
            PageTemplate(
                "later",
                [Frame(margin, bottom, width, frame_height - head_height, id="later", **NO_PADDING)],
                onPage=later_page,
            ),
        ]
    )
    story.insert(0, NextPageTemplate("later"))
    document.build(story)
    return buffer.getvalue()
