"""The reconciliation act as an XLSX workbook in the 1C form, printable on one A4 page wide.

The wording is dashboard.services.act_document's; here only the cells: merged lines for the title and the
preamble, the two halves' table (dates as dates, money as numbers in domain.money's Excel form), the
closing sentence and the signature blocks, and the print setup.
"""

from __future__ import annotations

import io
import math
from datetime import date
from typing import Any

import polars as pl
import xlsxwriter

from dashboard.services.act_document import COLUMNS, TITLE, ActHeader, closing_sentence, largest_amount, table_rows
from dashboard.services.exports import DATE_FORMAT, WORKBOOK_OPTIONS
from dashboard.services.xlsx_cells import fast_cells
from domain.money import EXCEL_FORMAT, amount_ru, excel_number

SHEET_NAME = TITLE
WIDTHS: tuple[float, ...] = (9.5, 26, 12.5, 12.5)  # one half; the other half repeats them (fits A4 portrait at ~90%)
LAST_COLUMN = 2 * len(COLUMNS) - 1  # A..H
DOCUMENT_CHARS = int(WIDTHS[1] * 1.6)  # characters of Arial 9 on one line of the document column
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (serials past 1900-03-01)
BASE_FORMAT: dict[str, object] = {"font_name": "Arial", "font_size": 9, "valign": "vcenter"}


def row_height(text: str, chars_per_line: float, line_height: float = 15.0) -> float:
    """A row height for wrapped text in merged cells (which Excel never auto-fits)."""
    lines = max(1, math.ceil(len(text) / chars_per_line))
    return lines * line_height


def act_formats(workbook: xlsxwriter.Workbook) -> dict[str, xlsxwriter.format.Format]:
    """The act's cell formats (Arial 9, the 1C look), by name; the two-sided reconciliation's workbook uses
    them too (dashboard.services.reconcile_xlsx)."""

    def fmt(**options: object) -> xlsxwriter.format.Format:
        return workbook.add_format({**BASE_FORMAT, **options})

    return {
        "title": fmt(bold=True, font_size=12, align="center"),
        "centered": fmt(align="center", text_wrap=True),
        "wrapped": fmt(text_wrap=True, valign="top"),
        "half_header": fmt(bold=True, border=1, align="center", text_wrap=True),
        "column_header": fmt(bold=True, border=1, align="center", bg_color="#F2F2F2"),
        "cell": fmt(border=1, text_wrap=True),
        "date_cell": fmt(border=1, num_format=DATE_FORMAT, align="center"),
        "money_cell": fmt(border=1, num_format=EXCEL_FORMAT),
        "bold_cell": fmt(border=1, bold=True, text_wrap=True),
        "bold_date": fmt(border=1, bold=True, num_format=DATE_FORMAT, align="center"),
        "bold_money": fmt(border=1, bold=True, num_format=EXCEL_FORMAT),
        "ruled": workbook.add_format({"border": 1}),  # the table body's rules, as a conditional format
        "cell_plain": fmt(text_wrap=True),
        "date_cell_plain": fmt(num_format=DATE_FORMAT, align="center"),
        "money_cell_plain": fmt(num_format=EXCEL_FORMAT),
        "plain": fmt(),
        "bold": fmt(bold=True),
        "line": fmt(bottom=1, text_wrap=True),
        "caption": fmt(font_size=7, align="center", valign="top"),
    }


def write_title(ws: Any, header: ActHeader, f: dict[str, Any], last_column: int, total_chars: float) -> int:
    """The title, the period, the parties and the contract, merged across the table; the next free row."""
    row = 0
    ws.merge_range(row, 0, row, last_column, TITLE, f["title"])
    ws.set_row(row, 20)
    row += 1
    ws.merge_range(row, 0, row, last_column, header.period, f["centered"])
    row += 1
    ws.merge_range(row, 0, row, last_column, header.between, f["centered"])
    ws.set_row(row, row_height(header.between, total_chars))
    row += 1
    if header.contract_line:
        ws.merge_range(row, 0, row, last_column, header.contract_line, f["centered"])
        row += 1
    return row + 1


def write_signatures(ws: Any, header: ActHeader, f: dict[str, Any], row: int) -> int:
    """Both parties' signature blocks from `row`, each under its half; the row past them. Row by row, left
    to right: a workbook in constant_memory mode drops a cell written above a row already written."""
    halves = (
        (0, header.company, header.company_signer),
        (len(COLUMNS), header.counterparty, header.counterparty_signer),
    )
    for half, party, _ in halves:
        ws.merge_range(row, half, row, half + len(COLUMNS) - 1, f"От {party}", f["bold"])
    for half, _, signer in halves:
        ws.merge_range(row + 2, half, row + 2, half + 1, signer.position, f["line"])
        ws.merge_range(row + 2, half + 2, row + 2, half + 3, signer.name, f["line"])
    for half, _, _ in halves:
        ws.merge_range(row + 3, half, row + 3, half + 1, "(должность)", f["caption"])
        ws.merge_range(row + 3, half + 2, row + 3, half + 3, "(подпись, ФИО)", f["caption"])
    for half, _, _ in halves:
        ws.write_string(row + 5, half, "М.П.", f["plain"])
    return row + 6


def act_xlsx_bytes(act: pl.DataFrame, header: ActHeader) -> bytes:
    """The act as an XLSX workbook in the 1C form, printable on one A4 page wide."""
    buffer = io.BytesIO()
    # Names and signers are text even when they start with "=" (exports' options); constant_memory writes
    # each row out as the next one starts (rows strictly in order, cells left to right), which needs
    # xlsxwriter's temporary files instead of in_memory.
    workbook = xlsxwriter.Workbook(buffer, {**WORKBOOK_OPTIONS, "in_memory": False, "constant_memory": True})
    ws = workbook.add_worksheet(SHEET_NAME)
    fast_cells(ws)

    f = act_formats(workbook)

    # The amount columns as wide as the largest amount needs, or Excel shows it as ####.
    amount = max(WIDTHS[2], len(amount_ru(largest_amount(act))) * 1.05 + 1.5)
    widths = (WIDTHS[0], WIDTHS[1], amount, amount)
    # Each column formatted as its table cells (no rules: those are the body's conditional format), so
    # what the counterparty types into its half, or into an empty amount, reads as the rest of the table.
    typed = (f["date_cell_plain"], f["cell_plain"], f["money_cell_plain"], f["money_cell_plain"])
    for half in (0, len(COLUMNS)):
        for i, width in enumerate(widths):
            ws.set_column(half + i, half + i, width, typed[i])
    total_chars = 2 * sum(widths)

    row = write_title(ws, header, f, LAST_COLUMN, total_chars)

    ws.merge_range(row, 0, row, LAST_COLUMN, header.preamble, f["wrapped"])
    ws.set_row(row, row_height(header.preamble, total_chars))
    row += 2

    header_first = row
    ours, theirs = header.half_title(header.company), header.half_title(header.counterparty)
    ws.merge_range(row, 0, row, len(COLUMNS) - 1, ours, f["half_header"])
    ws.merge_range(row, len(COLUMNS), row, LAST_COLUMN, theirs, f["half_header"])
    ws.set_row(row, max(row_height(ours, sum(widths)), row_height(theirs, sum(widths))))
    row += 1
    for half in (0, len(COLUMNS)):
        for i, name in enumerate(COLUMNS):
            ws.write_string(row, half + i, name, f["column_header"])
    header_last = row
    row += 1

    # The table's rules come from one conditional format over the whole body (both halves): the cells
    # written below carry the fonts and number formats, and no empty cell is written at all (the
    # counterparty's half and a missing amount were 5 of the 8 cells a row, each ~4 µs of xlsxwriter's XML).
    body_first = row
    kinds = {
        True: (f["bold_cell"], f["bold_date"], f["bold_money"]),
        False: (f["cell"], f["date_cell"], f["money_cell"]),
    }
    write_number, write_string, set_row = ws.write_number, ws.write_string, ws.set_row
    epoch = EXCEL_EPOCH
    for summary, when, document, debit, credit in table_rows(act):
        text_format, day_format, number_format = kinds[summary]
        if len(document) > DOCUMENT_CHARS:  # wraps: Excel and LibreOffice do not grow a row on opening
            set_row(row, row_height(document, DOCUMENT_CHARS, 12.0))
        if when is not None:
            write_number(row, 0, (when - epoch).days, day_format)  # a date cell is its day number, formatted
        write_string(row, 1, document, text_format)
        if debit is not None:
            write_number(row, 2, excel_number(debit), number_format)
        if credit is not None:
            write_number(row, 3, excel_number(credit), number_format)
        row += 1
    if row > body_first:
        ws.conditional_format(
            body_first, 0, row - 1, LAST_COLUMN, {"type": "formula", "criteria": "TRUE", "format": f["ruled"]}
        )
    row += 1

    sentence = closing_sentence(act, header)
    ws.merge_range(row, 0, row, len(COLUMNS) - 1, sentence, f["wrapped"])
    ws.set_row(row, row_height(sentence, sum(widths)))
    row += 2

    row = write_signatures(ws, header, f, row)

    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.5, bottom=0.5)
    ws.repeat_rows(header_first, header_last)
    ws.print_area(0, 0, row - 1, LAST_COLUMN)
    workbook.close()
    return buffer.getvalue()
