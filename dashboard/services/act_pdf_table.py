"""The act's table body in the PDF, drawn straight on the canvas (dashboard.services.act_pdf lays out the rest).

reportlab's Table measures every cell through its own machinery: an act of 45,000 rows (1,300 pages)
took over 15 s. Here each row is measured once, as the Table did it (a line of `LEADING` per line of text
plus the paddings; a document text wrapped at spaces to its column), its height kept in a running sum, so
a page break is a bisection and a page is drawn with one text object and one set of rules: the same
grid, columns, fonts, alignments and smaller amounts as before.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from domain.money import amount_ru

PAD_X, PAD_Y = 2.5, 1.5  # a cell's padding: left and right, top and bottom
RULE = 0.5  # the grid's line width
BodyRow = tuple[bool, date | None, str, int | None, int | None]  # act_document.table_rows's row


@dataclass(frozen=True)
class Cell:
    """An amount as drawn: its text, its font size and its width at that size."""

    text: str
    size: float
    width: float


@dataclass(frozen=True)
class Row:
    bold: bool
    day: str
    lines: tuple[str, ...]
    amounts: tuple[Cell | None, Cell | None]  # debit, credit


class Widths:
    """Text widths in one font at 1 pt, word by word, each word measured once (reportlab adds glyph widths
    without kerning, so a line's width is its words' and spaces' sum): the act's words repeat."""

    def __init__(self, font: str) -> None:
        self.font = font
        self.space = stringWidth(" ", font, 1)
        self.words: dict[str, float] = {}

    def word(self, word: str) -> float:
        width = self.words.get(word)
        if width is None:
            width = self.words[word] = stringWidth(word, self.font, 1)
        return width

    def text(self, text: str) -> float:
        words = text.split(" ")
        return sum(map(self.word, words)) + (len(words) - 1) * self.space

    def wrap(self, text: str, width: float) -> tuple[str, ...]:
        """The text in lines no wider than `width` (at 1 pt), broken at plain spaces only (a no-break space
        holds, as in a Paragraph); a word wider than the column stands alone on its line."""
        words = text.split(" ")
        widths = list(map(self.word, words))
        if sum(widths) + (len(words) - 1) * self.space <= width:
            return (text,)
        lines: list[str] = []
        line, used = words[0], widths[0]
        for word, wide in zip(words[1:], widths[1:], strict=True):
            if used + self.space + wide > width:
                lines.append(line)
                line, used = word, wide
            else:
                line, used = f"{line} {word}", used + self.space + wide
        lines.append(line)
        return tuple(lines)


class ActTable(Flowable):
    """Rows `start`..`end` of the act's body: split at page breaks by bisection, drawn with one text object."""

    def __init__(
        self,
        rows: Sequence[Row],
        tops: Sequence[float],
        widths: Sequence[float],
        fonts: tuple[str, str],
        size: float,
        leading: float,
        start: int = 0,
        end: int | None = None,
    ) -> None:
        super().__init__()
        self.rows, self.tops, self.widths, self.fonts = rows, tops, widths, fonts
        self.size, self.leading = size, leading
        self.start, self.end = start, len(rows) if end is None else end
        self.width = sum(widths)
        self.height = tops[self.end] - tops[self.start]

    def _part(self, start: int, end: int) -> ActTable:
        return ActTable(self.rows, self.tops, self.widths, self.fonts, self.size, self.leading, start, end)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fit = bisect_right(self.tops, self.tops[self.start] + avail_height + 1e-6, self.start, self.end + 1) - 1
        if fit <= self.start:
            return []
        if fit >= self.end:
            return [self]
        return [self._part(self.start, fit), self._part(fit, self.end)]

    def draw(self) -> None:
        canvas, tops, widths = self.canv, self.tops, self.widths
        lefts = [0.0, *accumulate(widths)]
        first = tops[self.start]
        regular, bold = self.fonts
        size, leading = self.size, self.leading
        date_width = {font: stringWidth("00.00.0000", font, size) for font in self.fonts}  # digits: one width
        text = canvas.beginText()
        current = (regular, size)
        text.setFont(regular, size, leading)
        # A cell's text goes by setTextOrigin and textLine (textOut would measure every string again);
        # its baseline is where reportlab's Table puts a string in a MIDDLE-aligned cell:
        # the row's bottom + (the row's height + lines x leading) / 2 - the font size.
        for index in range(self.start, self.end):
            row = self.rows[index]
            font = bold if row.bold else regular
            bottom = self.height - (tops[index + 1] - first)
            middle = bottom + (tops[index + 1] - tops[index] + leading) / 2  # of a one-line string
            if current != (font, size):
                text.setFont(font, size, leading)
                current = (font, size)
            if row.day:
                text.setTextOrigin(lefts[0] + (widths[0] - date_width[font]) / 2, middle - size)
                text.textLine(row.day)
            text.setTextOrigin(lefts[1] + PAD_X, middle + (len(row.lines) - 1) * leading / 2 - size)
            for line in row.lines:
                text.textLine(line)
            for right, cell in zip((lefts[3], lefts[4]), row.amounts, strict=True):
                if cell is None:
                    continue
                if current != (font, cell.size):
                    text.setFont(font, cell.size, leading)
                    current = (font, cell.size)
                text.setTextOrigin(right - PAD_X - cell.width, middle - cell.size)
                text.textLine(cell.text)
        canvas.drawText(text)
        canvas.saveState()
        canvas.setLineWidth(RULE)
        rules = [
            (0.0, self.height - (tops[i] - first), self.width, self.height - (tops[i] - first))
            for i in range(self.start, self.end + 1)
        ]
        rules += [(x, 0.0, x, self.height) for x in lefts]
        canvas.lines(rules)
        canvas.restoreState()


def act_table(
    rows: Iterable[BodyRow],
    widths: Sequence[float],
    fonts: tuple[str, str],
    size: float,
    leading: float,
) -> ActTable:
    """The body's rows measured once: dates as dd.mm.yyyy, document texts wrapped to their column, amounts
    in domain.money's form; an amount wider than its cell at the table's size is set smaller to fit it (as
    1C shrinks it), at a size rounded down to a tenth of a point."""
    measure = {font: Widths(font) for font in fonts}
    regular, bold = fonts
    document_width = (widths[1] - 2 * PAD_X) / size
    fit = min(widths[2], widths[3]) - 2 * PAD_X
    measured: list[Row] = []
    heights: list[float] = []
    for summary, when, document, debit, credit in rows:
        widths_of = measure[bold if summary else regular]
        lines = widths_of.wrap(document, document_width)
        amounts: list[Cell | None] = []
        for value in (debit, credit):
            if value is None:
                amounts.append(None)
                continue
            shown = amount_ru(value)
            wide = widths_of.text(shown) * size
            cell_size = size if wide <= fit else int(size * fit / wide * 10) / 10
            amounts.append(Cell(shown, cell_size, wide * cell_size / size))
        measured.append(Row(summary, f"{when:%d.%m.%Y}" if when is not None else "", lines, (amounts[0], amounts[1])))
        heights.append(len(lines) * leading + 2 * PAD_Y)
    return ActTable(measured, [0.0, *accumulate(heights)], widths, fonts, size, leading)
