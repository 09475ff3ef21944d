"""The reconciliation act as a PDF on A4 portrait (reportlab, Liberation Sans embedded).

The wording is dashboard.services.act_document's and the layout the XLSX's (dashboard.services.act_xlsx):
the table's header repeated on every page, page numbers in the footer, the fonts embedded so no font is
needed on the reader's side, the same act giving the same bytes. The title, the preamble, the table's
header, the closing sentence and the signatures are reportlab flowables; the table's body is drawn on the
canvas by dashboard.services.act_pdf_table (reportlab's Table took over 15 s for a 1,600-page act).
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import polars as pl

from dashboard.services.act_document import (
    COLUMNS,
    TITLE,
    ActHeader,
    Signer,
    closing_sentence,
    largest_amount,
    table_rows,
)
from dashboard.services.act_pdf_table import act_table
from domain.money import amount_ru

FONTS = Path(__file__).resolve().parent / "fonts"

FONT, FONT_BOLD = "LiberationSans", "LiberationSans-Bold"
LEADING = 9.0  # the table's line: reportlab's default for its 7.5 pt (1.2 x the size)
NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
# A TableStyle command: (name, first cell, last cell, its arguments).
StyleCommand = tuple[str, tuple[int, int], tuple[int, int], *tuple[object, ...]]


@cache
def _set_up_reportlab() -> None:
    """Liberation Sans (Arial-metric, with Cyrillic) from the package's fonts/, embedded as a subset; and the
    page streams compressed without the ASCII85 text wrapping reportlab adds by default (at 1,600 pages:
    3.97 -> 3.52 s, 4.3 -> 3.6 MB; no other PDF is made in this process)."""
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(FONTS / "LiberationSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS / "LiberationSans-Bold.ttf")))
    for italic in (0, 1):
        addMapping(FONT, 0, italic, FONT)
        addMapping(FONT, 1, italic, FONT_BOLD)
    rl_config.useA85 = 0


def act_pdf_bytes(act: pl.DataFrame, header: ActHeader) -> bytes:
    """The act as a PDF on A4 portrait: the same layout as the XLSX, the table's header repeated on
    every page, page numbers in the footer, the fonts embedded (no font needed on the reader's side)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import (
        BaseDocTemplate,
        Flowable,
        Frame,
        KeepTogether,
        NextPageTemplate,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )
    from reportlab.platypus.flowables import CallerMacro

    _set_up_reportlab()
    size = 7.5
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11)
    centered = ParagraphStyle("centered", parent=body, alignment=TA_CENTER)
    title = ParagraphStyle("title", parent=centered, fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=2)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=LEADING)
    bold_cell = ParagraphStyle("bold_cell", parent=cell, fontName=FONT_BOLD)
    head_cell = ParagraphStyle("head_cell", parent=bold_cell, alignment=TA_CENTER)
    caption = ParagraphStyle("caption", parent=cell, fontSize=6, leading=7, alignment=TA_CENTER)

    def text(value: str, style: ParagraphStyle = body) -> Paragraph:
        escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(escaped, style)

    margin = 12 * mm
    width = A4[0] - 2 * margin
    half = width / 2
    padding = 2 * 2.5  # the cells' padding, left and right
    # The amount columns as wide as the largest amount needs (bold, as on the totals row), from a fifth of
    # a half up to a quarter of it; what is wider still is set in a smaller font (as 1C shrinks it).
    needed = stringWidth(amount_ru(largest_amount(act)), FONT_BOLD, size) + padding + 1
    amount_width = min(max(half * 0.19, needed), half * 0.26)
    date_width = half * 0.155
    widths = [date_width, half - date_width - 2 * amount_width, amount_width, amount_width] * 2

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
    common: list[StyleCommand] = [
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
    # The body drawn on the canvas (dashboard.services.act_pdf_table): reportlab's Table took over 15 s at
    # 45,000 rows. The column header is drawn by the page template on every page after the first.
    table_body = act_table(table_rows(act), widths, (FONT, FONT_BOLD), size, LEADING)
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

    story: list[Flowable] = [
        text(TITLE, title),
        text(header.period, centered),
        text(header.between, centered),
    ]
    if header.contract_line:
        story.append(text(header.contract_line, centered))
    story += [Spacer(1, 4 * mm), text(header.preamble), Spacer(1, 3 * mm)]
    table_done = False

    def end_of_table(*_args: object) -> None:
        nonlocal table_done
        table_done = True

    # A zero-size flowable after the table: the pages after the one that draws it get no table header.
    table_end = CallerMacro(drawCallable=end_of_table)
    story += [Table(head_rows, colWidths=widths, style=head_style), table_body, table_end, Spacer(1, 4 * mm)]
    story.append(KeepTogether([sentence, Spacer(1, 6 * mm), signatures]))  # never a signature alone on a page

    footer_text = f"{TITLE} {header.between}, {header.date_from:%d.%m.%Y} – {header.date_to:%d.%m.%Y}"

    def footer(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 6.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(margin, 7 * mm, footer_text[:140])
        canvas.drawRightString(A4[0] - margin, 7 * mm, f"Страница {document.page}")
        canvas.restoreState()

    def later_page(canvas: Canvas, document: BaseDocTemplate) -> None:
        footer(canvas, document)
        if not table_done:  # the table goes on: its header again
            table_head.drawOn(canvas, margin, A4[1] - margin - head_height)

    buffer = io.BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{TITLE}: {header.counterparty}",
        author=header.company,
        subject=header.period,
        invariant=1,  # the same act gives the same bytes (no timestamp or random id)
        initialFontName=FONT,  # else the canvas starts in Helvetica, a font the PDF would not embed
    )
    bottom = 14 * mm
    frame_height = A4[1] - margin - bottom
    template.addPageTemplates(
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
    template.build(story)
    return buffer.getvalue()
