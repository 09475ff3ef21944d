"""The two-sided reconciliation as an XLSX workbook: the act in 1C's form with both halves filled in, and
the status table.

The first sheet is the act (dashboard.services.act_xlsx's title, formats and widths): our half from our
books, theirs from their file as they printed it (their debit and credit), aligned row by row by the
match so a person reads across; two columns on the right say what differs and by how much (ours - theirs,
signed from our side), each line that differs is filled with its status's colour (a legend below), and the
closing balances' difference is taken apart under the table (domain.reconcile.explain). The second sheet
is the table of `receivables reconcile -o x.csv` with headings and statuses in the reader's language.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import polars as pl
import xlsxwriter

from dashboard.i18n import translate
from dashboard.services.act_document import COLUMNS, ActHeader, largest_amount
from dashboard.services.act_xlsx import BASE_FORMAT, WIDTHS, act_formats, row_height, write_title
from dashboard.services.exports import DATE_FORMAT, new_workbook
from dashboard.services.reconcile import ROWS_SCHEMA, Reconciliation
from domain.money import EXCEL_FORMAT, amount, amount_ru, excel_number
from domain.reconcile import STATUSES
from queries.act import CLOSING_TITLE, OPENING_TITLE, TURNOVER_TITLE, act_balance

FILLS = {
    "date_differs": "#FFF2CC",
    "amount_differs": "#FCE4D6",
    "only_ours": "#DDEBF7",
    "only_theirs": "#F4CCCC",
    "opening": "#E4DFEC",
    "balance": "#E4DFEC",
}
HALF = len(COLUMNS)
STATUS_COLUMN, DIFFERENCE_COLUMN = 2 * HALF, 2 * HALF + 1
LAST_COLUMN = DIFFERENCE_COLUMN
STATUS_WIDTH = 18
LINE_CHARS = int(WIDTHS[1] * 1.25)  # characters of a document's text on one line, with room for word breaks
TABLE_WIDTHS = {"status": 20, "our_document": 40, "their_document": 40}


class _Formats:
    """The act's formats, and per status the same cells filled with the status's colour."""

    def __init__(self, workbook: Any) -> None:
        self.act = act_formats(workbook)
        self.workbook = workbook
        self.filled: dict[tuple[str, str, bool], Any] = {}

    def cell(self, kind: str, status: str | None, bold: bool = False) -> Any:
        """kind: text, date or money."""
        fill = FILLS.get(status or "")
        if fill is None:
            plain = {"text": "cell", "date": "date_cell", "money": "money_cell"}
            strong = {"text": "bold_cell", "date": "bold_date", "money": "bold_money"}
            return self.act[(strong if bold else plain)[kind]]
        key = (kind, fill, bold)
        if key not in self.filled:
            options: dict[str, object] = {**BASE_FORMAT, "border": 1, "bg_color": fill, "bold": bold}
            if kind == "text":
                options["text_wrap"] = True
            elif kind == "date":
                options |= {"num_format": DATE_FORMAT, "align": "center"}
            else:
                options["num_format"] = EXCEL_FORMAT
            self.filled[key] = self.workbook.add_format(options)
        return self.filled[key]


def _split(value: int | None) -> tuple[int | None, int | None]:
    """A signed amount as (debit, credit): + in debit, - in credit."""
    if value is None:
        return None, None
    return (value, None) if value > 0 else (None, -value) if value < 0 else (None, None)


def _write_side(
    ws: Any,
    f: _Formats,
    row: int,
    first: int,
    values: tuple[date | None, str | None, int | None, int | None],
    status: str | None,
    bold: bool = False,
) -> None:
    when, document, debit, credit = values
    if when is None:
        ws.write_blank(row, first, None, f.cell("date", status, bold))
    else:
        ws.write_datetime(row, first, when, f.cell("date", status, bold))
    if document:
        ws.write_string(row, first + 1, document, f.cell("text", status, bold))
    else:
        ws.write_blank(row, first + 1, None, f.cell("text", status, bold))
    for column, value in ((first + 2, debit), (first + 3, credit)):
        if value is None:
            ws.write_blank(row, column, None, f.cell("money", status, bold))
        else:
            ws.write_number(row, column, excel_number(value), f.cell("money", status, bold))


def _write_difference(ws: Any, f: _Formats, row: int, status: str | None, difference: int, language: str) -> None:
    shown = status if status and status != "matched" else None
    label = translate(f"reconcile.status.{shown}", language) if shown else ""
    ws.write_string(row, STATUS_COLUMN, label, f.cell("text", shown))
    if difference:
        ws.write_number(row, DIFFERENCE_COLUMN, excel_number(difference), f.cell("money", shown))
    else:
        ws.write_blank(row, DIFFERENCE_COLUMN, None, f.cell("money", shown))


def _act_sheet(workbook: Any, f: _Formats, rec: Reconciliation, header: ActHeader, language: str) -> None:
    ws = workbook.add_worksheet(translate("reconcile.xlsx.sheet_act", language)[:31])
    theirs = rec.theirs
    their_totals = [theirs.opening, theirs.computed_closing, *(theirs.turnover or ())]
    their_totals += [sum(x.debit for x in theirs.lines), sum(x.credit for x in theirs.lines)]
    amounts = [*rec.rows["our_amount"].drop_nulls(), *rec.rows["their_amount"].drop_nulls(), *their_totals]
    largest = max([largest_amount(rec.ours), *(abs(x) for x in amounts)])
    width = max(WIDTHS[2], len(amount_ru(largest)) * 1.05 + 1.5)
    widths = (WIDTHS[0], WIDTHS[1], width, width)
    for half in (0, HALF):
        for i, w in enumerate(widths):
            ws.set_column(half + i, half + i, w)
    ws.set_column(STATUS_COLUMN, STATUS_COLUMN, STATUS_WIDTH)
    ws.set_column(DIFFERENCE_COLUMN, DIFFERENCE_COLUMN, width)
    total_chars = 2 * sum(widths) + STATUS_WIDTH + width

    row = write_title(ws, header, f.act, LAST_COLUMN, total_chars)
    header_first = row
    our_title = header.half_title(header.company)
    their_title = header.half_title(theirs.heading or header.counterparty)
    ws.merge_range(row, 0, row, HALF - 1, our_title, f.act["half_header"])
    ws.merge_range(row, HALF, row, 2 * HALF - 1, their_title, f.act["half_header"])
    ws.merge_range(
        row, STATUS_COLUMN, row + 1, STATUS_COLUMN, translate("reconcile.xlsx.status", language), f.act["half_header"]
    )
    ws.merge_range(
        row,
        DIFFERENCE_COLUMN,
        row + 1,
        DIFFERENCE_COLUMN,
        translate("reconcile.xlsx.difference", language),
        f.act["half_header"],
    )
    ws.set_row(row, max(row_height(our_title, sum(widths)), row_height(their_title, sum(widths))))
    row += 1
    for half in (0, HALF):
        for i, name in enumerate(COLUMNS):
            ws.write_string(row, half + i, name, f.act["column_header"])
    header_last = row
    row += 1

    opening = act_balance(rec.ours, "opening")
    opening_row = rec.rows.filter(pl.col("status") == "opening")
    status = "opening" if opening_row.height else None
    _write_side(ws, f, row, 0, (rec.date_from, OPENING_TITLE, *_split(opening)), status, bold=True)
    _write_side(ws, f, row, HALF, (rec.date_from, OPENING_TITLE, *_split(theirs.opening)), status, bold=True)
    _write_difference(ws, f, row, status, int(opening_row["difference"][0]) if status else 0, language)
    row += 1

    lines = rec.rows.filter(~pl.col("status").is_in(["opening", "balance"]))
    for status, our_date, our_doc, our_amount, their_date, their_doc, their_amount, difference in lines.iter_rows():
        shown = None if status == "matched" else status
        our_debit, our_credit = _split(our_amount) if our_amount is not None else (None, None)
        their_credit, their_debit = _split(their_amount) if their_amount is not None else (None, None)
        _write_side(ws, f, row, 0, (our_date, our_doc, our_debit, our_credit), shown)
        _write_side(ws, f, row, HALF, (their_date, their_doc, their_debit, their_credit), shown)
        _write_difference(ws, f, row, status, difference, language)
        longest = max(len(our_doc or ""), len(their_doc or ""))
        if longest > LINE_CHARS:  # wraps: Excel and LibreOffice do not grow a row on opening
            ws.set_row(row, row_height("x" * longest, LINE_CHARS, 12.0))
        row += 1

    turnover = rec.ours.filter(pl.col("kind") == "turnover")
    our_turnover = (int(turnover["debit"].fill_null(0)[0]), int(turnover["credit"].fill_null(0)[0]))
    their_turnover = theirs.turnover or (sum(x.debit for x in theirs.lines), sum(x.credit for x in theirs.lines))
    _write_side(ws, f, row, 0, (None, TURNOVER_TITLE, *our_turnover), None, bold=True)
    _write_side(ws, f, row, HALF, (None, TURNOVER_TITLE, *their_turnover), None, bold=True)
    _write_difference(ws, f, row, None, 0, language)
    row += 1
    balance = rec.balance_difference
    status = "balance" if balance else None
    their_closing = theirs.closing if theirs.closing is not None else theirs.computed_closing
    _write_side(ws, f, row, 0, (rec.date_to, CLOSING_TITLE, *_split(act_balance(rec.ours))), status, bold=True)
    _write_side(ws, f, row, HALF, (rec.date_to, CLOSING_TITLE, *_split(their_closing)), status, bold=True)
    _write_difference(ws, f, row, status, balance, language)
    row += 2

    row = _legend(ws, f, row, language)
    row = _explanation(ws, f, row, rec, language, total_chars)

    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.repeat_rows(header_first, header_last)
    ws.print_area(0, 0, row - 1, LAST_COLUMN)
    ws.freeze_panes(header_last + 1, 0)


def _legend(ws: Any, f: _Formats, row: int, language: str) -> int:
    ws.merge_range(row, 0, row, 3, translate("reconcile.xlsx.legend", language), f.act["bold"])
    row += 1
    for status in (*STATUSES[1:], "balance"):
        words = translate("reconcile.xlsx.balances" if status == "balance" else f"reconcile.status.{status}", language)
        ws.write_blank(row, 0, None, f.cell("text", status))
        ws.merge_range(row, 1, row, 3, words, f.act["plain"])
        row += 1
    ws.merge_range(row, 0, row, LAST_COLUMN, translate("reconcile.xlsx.signs", language), f.act["wrapped"])
    return row + 2


def _explanation(ws: Any, f: _Formats, row: int, rec: Reconciliation, language: str, total_chars: float) -> int:
    explanation = rec.explanation
    if not explanation.balance:
        ws.merge_range(row, 0, row, LAST_COLUMN, translate("reconcile.explain.none", language), f.act["bold"])
        row += 1
    else:
        title = translate("reconcile.explain.title", language, amount=amount(explanation.balance, language))
        ws.merge_range(row, 0, row, LAST_COLUMN, title, f.act["bold"])
        row += 1
        for name, value in explanation.parts:
            ws.merge_range(row, 1, row, 3, translate(f"reconcile.part.{name}", language), f.act["plain"])
            ws.write_number(row, 4, excel_number(value), f.cell("money", None))
            row += 1
    if rec.warnings:
        row += 1
        ws.merge_range(row, 0, row, LAST_COLUMN, translate("reconcile.xlsx.warnings", language), f.act["bold"])
        row += 1
        for warning in rec.warnings:
            text = warning.text(language)
            ws.merge_range(row, 0, row, LAST_COLUMN, text, f.act["wrapped"])
            ws.set_row(row, row_height(text, total_chars))
            row += 1
    return row


def _table_sheet(workbook: Any, f: _Formats, rec: Reconciliation, language: str) -> None:
    ws = workbook.add_worksheet(translate("reconcile.xlsx.sheet_table", language)[:31])
    columns = list(ROWS_SCHEMA)
    for i, column in enumerate(columns):
        ws.write_string(0, i, translate(f"reconcile.col.{column}", language), f.act["half_header"])
        ws.set_column(i, i, TABLE_WIDTHS.get(column, 13))
    ws.set_row(0, 30)
    for r, values in enumerate(rec.rows.iter_rows(), start=1):
        status = values[0]
        shown = None if status == "matched" else status
        for i, (column, value) in enumerate(zip(columns, values, strict=True)):
            if column == "status":
                ws.write_string(r, i, translate(f"reconcile.status.{value}", language), f.cell("text", shown))
            elif value is None:
                ws.write_blank(r, i, None, f.cell("text", shown))
            elif isinstance(value, date):
                ws.write_datetime(r, i, value, f.cell("date", shown))
            elif isinstance(value, int):
                ws.write_number(r, i, excel_number(value), f.cell("money", shown))
            else:
                ws.write_string(r, i, value, f.cell("text", shown))
        longest = max(len(values[2] or ""), len(values[5] or ""))
        if longest > TABLE_WIDTHS["our_document"]:
            ws.set_row(r, row_height("x" * longest, TABLE_WIDTHS["our_document"] * 1.2, 12.0))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, rec.rows.height, len(columns) - 1)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def reconciliation_xlsx(rec: Reconciliation, header: ActHeader, language: str = "ru") -> bytes:
    """Both halves of the act side by side with the differences marked, and the status table."""
    buffer = io.BytesIO()
    workbook: xlsxwriter.Workbook = new_workbook(buffer)
    f = _Formats(workbook)
    _act_sheet(workbook, f, rec, header, language)
    _table_sheet(workbook, f, rec, language)
    workbook.close()
    return buffer.getvalue()
