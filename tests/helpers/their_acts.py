"""Acts as the counterparty's 1C prints them, for the two-sided reconciliation's tests.

- `TheirLine`s (from THEIR side: their debit is our credit) made from our act (`from_our_act`), with
  differences planted by `drop`, `retype`, `delay`, `split`, `add`;
- `write_xlsx` lays them out as 1C's «Акт сверки взаимных расчетов» (openpyxl, merged cells: the
  title, «между … и …», blank rows, the two halves' headings, Дата | Документ (spanning several columns) |
  Дебет | Кредит twice, «Сальдо начальное», the lines, «Обороты за период», «Сальдо конечное», the sentence
  below), starting at any row and column; `write_csv` the same grid as CSV (`;`, cp1251 or UTF-8).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
from openpyxl import Workbook

COMPANY = "ООО «Пример»"
CLIENT = "ООО «Клиент»"


@dataclass(frozen=True)
class TheirLine:
    day: date
    document: str
    debit: int  # kopecks, their side
    credit: int


def _their_text(document: str) -> str:
    """Our «Реализация (№ УПД-1 от 10.01.2025)» as their 1C names it: «Поступление (акт, накл.) УПД-1 от …»."""
    inner = document[document.find("(") + 1 : document.rfind(")")] if "(" in document else document
    inner = inner.replace("п/п № ", "").replace("№ ", "")
    if document.startswith("Реализация"):
        return f"Поступление (акт, накл.) {inner}"
    if document.startswith("Оплата"):
        return f"Платежное поручение № {inner}"
    return f"Операция {inner}"


def from_our_act(act: pl.DataFrame) -> tuple[int, list[TheirLine]]:
    """Their opening (debit - credit, their side) and lines as their 1C would print our act's documents."""
    opening_row = act.filter(pl.col("kind") == "opening")
    opening = int(opening_row["debit"].fill_null(0)[0]) - int(opening_row["credit"].fill_null(0)[0])
    lines = [
        TheirLine(day, _their_text(text), credit or 0, debit or 0)
        for day, text, debit, credit in act.filter(pl.col("kind") == "document")
        .select("date", "document", "debit", "credit")
        .iter_rows()
    ]
    return -opening, lines


def drop(lines: list[TheirLine], index: int) -> list[TheirLine]:
    return lines[:index] + lines[index + 1 :]


def retype(lines: list[TheirLine], index: int, kopecks: int) -> list[TheirLine]:
    """A typo in an amount: the line's non-zero side becomes kopecks."""
    line = lines[index]
    changed = replace(line, debit=kopecks) if line.debit else replace(line, credit=kopecks)
    return [*lines[:index], changed, *lines[index + 1 :]]


def delay(lines: list[TheirLine], index: int, days: int) -> list[TheirLine]:
    """The document booked `days` later (its text keeps its own date, as 1C's does)."""
    line = lines[index]
    return [*lines[:index], replace(line, day=line.day + timedelta(days=days)), *lines[index + 1 :]]


def split(lines: list[TheirLine], index: int, first: int) -> list[TheirLine]:
    """A payment in two parts on the same day: `first` kopecks and the rest."""
    line = lines[index]
    if line.debit:
        parts = [replace(line, debit=first), replace(line, debit=line.debit - first, document=line.document + " (2)")]
    else:
        parts = [
            replace(line, credit=first),
            replace(line, credit=line.credit - first, document=line.document + " (2)"),
        ]
    return [*lines[:index], *parts, *lines[index + 1 :]]


def add(lines: list[TheirLine], line: TheirLine) -> list[TheirLine]:
    return sorted([*lines, line], key=lambda x: x.day)


def closing_of(opening: int, lines: Sequence[TheirLine]) -> int:
    return opening + sum(x.debit - x.credit for x in lines)


def _rubles(kopecks: int) -> Decimal:
    return Decimal(kopecks) / 100


def money_text(kopecks: int) -> str:
    """«1 234,56» with a no-break space, as 1C prints amounts into a CSV or a text cell."""
    rubles, kop = divmod(abs(kopecks), 100)
    return ("-" if kopecks < 0 else "") + f"{rubles:,}".replace(",", "\u00a0") + f",{kop:02d}"


@dataclass(frozen=True)
class Layout:
    """Where and how the act is printed."""

    row: int = 1  # 1-based, as a spreadsheet counts
    column: int = 1
    doc_span: int = 3  # columns the Документ cell spans
    amounts_as_text: bool = False  # «1 234,56» instead of numbers
    dates_as_text: bool = False  # «15.01.2026» instead of date cells
    label_in_date: bool = True  # «Сальдо начальное» merged over Дата and Документ, as 1C prints it


@dataclass
class Sheet:
    """Cells by (row, column), 1-based, and the merged ranges (first row, first column, last row, last column)."""

    layout: Layout
    cells: dict[tuple[int, int], object]
    merges: list[tuple[int, int, int, int]]

    def put(self, row: int, column: int, value: object, span: int = 1) -> None:
        if value is None or value == "":
            return
        if isinstance(value, int) and not isinstance(value, bool):
            value = money_text(value) if self.layout.amounts_as_text else _rubles(value)
        elif isinstance(value, date) and self.layout.dates_as_text:
            value = f"{value:%d.%m.%Y}"
        self.cells[(row, column)] = value
        if span > 1:
            self.merges.append((row, column, row, column + span - 1))


Half = tuple[int, Sequence[TheirLine]]  # opening (debit - credit of that side) and lines


def act_sheet(
    *,
    date_from: date,
    date_to: date,
    first_name: str,
    second_name: str,
    first: Half,
    second: Half | None = None,
    closing: int | None = None,
    layout: Layout = Layout(),
) -> Sheet:
    """The act as 1C prints it: the first half is the printing side's («По данным <first_name>»), filled
    from `first`; the second half from `second`, or left empty; `closing` overrides the first half's
    printed closing balance (an act that does not add up)."""
    sheet = Sheet(layout, {}, [])
    width = 3 + layout.doc_span
    c0, second_c0 = layout.column, layout.column + width
    last = c0 + 2 * width - 1
    r = layout.row
    sheet.put(r, c0, f"Акт сверки взаимных расчетов за период: {date_from:%d.%m.%Y} - {date_to:%d.%m.%Y}", 2 * width)
    sheet.put(r + 1, c0, f"между {first_name} и {second_name}", 2 * width)
    r += 4  # two blank rows, as 1C leaves them
    sheet.put(r, c0, f"По данным {first_name}, руб.", width)
    sheet.put(r, second_c0, f"По данным {second_name}, руб.", width)
    r += 1
    for start in (c0, second_c0):
        sheet.put(r, start, "Дата")
        sheet.put(r, start + 1, "Документ", layout.doc_span)
        sheet.put(r, start + 1 + layout.doc_span, "Дебет")
        sheet.put(r, start + 2 + layout.doc_span, "Кредит")
    r += 1

    def balance(value: int) -> tuple[int | None, int | None]:
        return (value, None) if value > 0 else (None, -value) if value < 0 else (None, None)

    def summary(start: int, label: str, amounts: tuple[int | None, int | None]) -> None:
        if layout.label_in_date:
            sheet.put(r, start, label, 1 + layout.doc_span)
        else:
            sheet.put(r, start + 1, label, layout.doc_span)
        sheet.put(r, start + 1 + layout.doc_span, amounts[0])
        sheet.put(r, start + 2 + layout.doc_span, amounts[1])

    halves = [(c0, first)] + ([(second_c0, second)] if second else [])
    for start, (opening, _lines) in halves:
        summary(start, "Сальдо начальное", balance(opening))
    r += 1
    for i in range(max(len(h[1]) for _, h in halves)):
        for start, (_opening, lines) in halves:
            if i < len(lines):
                line = lines[i]
                sheet.put(r, start, line.day)
                sheet.put(r, start + 1, line.document, layout.doc_span)
                sheet.put(r, start + 1 + layout.doc_span, line.debit or None)
                sheet.put(r, start + 2 + layout.doc_span, line.credit or None)
        r += 1
    for start, (_opening, lines) in halves:
        summary(start, "Обороты за период", (sum(x.debit for x in lines), sum(x.credit for x in lines)))
    r += 1
    for n, (start, (opening, lines)) in enumerate(halves):
        printed = closing if n == 0 and closing is not None else closing_of(opening, lines)
        summary(start, "Сальдо конечное", balance(printed))
    r += 2
    owed = closing if closing is not None else closing_of(*first)
    whom = first_name if owed < 0 else second_name
    sentence = f"По данным {first_name} на {date_to:%d.%m.%Y} задолженность в пользу {whom} составляет"
    sheet.put(r, c0, f"{sentence} {money_text(abs(owed))} руб.", 2 * width)
    sheet.put(r + 3, c0, f"От {first_name}", width)
    sheet.put(r + 3, second_c0, f"От {second_name}", width)
    assert last == second_c0 + width - 1
    return sheet


def write_xlsx(sheet: Sheet, path: Path) -> Path:
    """The sheet through openpyxl, merged cells and all; dates as date cells in 1C's DD.MM.YYYY."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "TDSheet"  # what 1C names the sheet it saves
    for (row, column), value in sheet.cells.items():
        cell = ws.cell(row=row, column=column, value=value)
        if isinstance(value, date):
            cell.number_format = "DD.MM.YYYY"
        elif isinstance(value, Decimal):
            cell.number_format = "#,##0.00"
    for first_row, first_column, last_row, last_column in sheet.merges:
        ws.merge_cells(start_row=first_row, start_column=first_column, end_row=last_row, end_column=last_column)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def csv_bytes(sheet: Sheet, *, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    """The sheet as a CSV grid (merged cells: the value in the first one), dates DD.MM.YYYY, amounts «1234,56»."""
    rows = max(r for r, _ in sheet.cells) if sheet.cells else 0
    columns = max(c for _, c in sheet.cells) if sheet.cells else 0
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for r in range(1, rows + 1):
        values = []
        for c in range(1, columns + 1):
            value = sheet.cells.get((r, c), "")
            if isinstance(value, date):
                value = f"{value:%d.%m.%Y}"
            elif isinstance(value, Decimal):
                value = f"{value:.2f}".replace(".", ",")
            values.append(str(value))
        writer.writerow(values)
    return out.getvalue().encode(encoding)
