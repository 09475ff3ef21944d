"""Writing result frames to files: the suffix picks the format (contract section 4).

Frames carry money as integer kopecks. CSV gets exact decimal text (`1234.56`, `-0.05`, domain.money's
CSV form): the digits are cut from the integer, no float is involved. XLSX gets numbers with a money
format (domain.money's Excel form), a frozen header, an autofilter and a totals row per currency. No
streamlit here: the CLI and the pages share these.

Text from the warehouse (a counterparty named `=HYPERLINK(...)`, a rejected value `-5`) is never run as a
spreadsheet formula (OWASP "CSV injection"): every CSV writer goes through `for_csv`, whose text columns
pass `formula_safe`, and every XLSX writer opens its workbook with `new_workbook`, which writes strings as
strings whatever they start with. Money, numbers and dates are not text and are written unchanged.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import polars as pl
import xlsxwriter

from dashboard.i18n import CATALOG, bucket_label, translate
from domain.money import EXCEL_FORMAT, excel_number, format_money_expr

SUPPORTED = (".csv", ".xlsx")
DATE_FORMAT = "dd.mm.yyyy"


# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets when a CSV is opened
# (tab and carriage return because some of them skip leading whitespace before looking).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_STARTS_A_FORMULA = "^[" + re.escape("".join(FORMULA_TRIGGERS)) + "]"
# xlsxwriter's write() (and merge_range(), which uses it) turns "=..." into a formula and "http://..." into
# a hyperlink unless the workbook says otherwise.
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class ExportError(Exception):
    """The output cannot be written as asked (unknown suffix)."""


def formula_safe(column: str) -> pl.Expr:
    """A text column as a spreadsheet must show it: a value starting with a formula trigger gets a leading `'`
    (OWASP's advice for CSV), so `=HYPERLINK("http://x","y")` is written `'=HYPERLINK("http://x","y")` and
    opens as that text. Only for text columns: money (`-123.45`), numbers and dates never pass here."""
    value = pl.col(column)
    return pl.when(value.str.contains(_STARTS_A_FORMULA)).then(pl.lit("'") + value).otherwise(value).alias(column)


def new_workbook(target: io.BytesIO) -> xlsxwriter.Workbook:
    """An in-memory workbook where every string written is a string, never a formula, link or number."""
    return xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)


def for_csv(frame: pl.DataFrame, money: Sequence[str]) -> pl.DataFrame:
    """The frame as CSV text: text columns formula-safe, money as exact decimals (the only way to a CSV)."""
    text = [c for c, kind in frame.schema.items() if kind == pl.String and c not in money]
    present = [c for c in money if c in frame.columns]
    return frame.with_columns(
        [formula_safe(c) for c in text] + [format_money_expr(pl.col(c)).alias(c) for c in present]
    )


def write_table(
    frame: pl.DataFrame,
    path: Path,
    *,
    sheet: str = "data",
    money: Sequence[str] = (),
    title: str | None = None,
    totals: bool = True,
    headers: Mapping[str, str] | None = None,
    language: str = "ru",
) -> None:
    """CSV with the contract's machine headers, or a formatted XLSX whose header row shows `headers` (the
    columns' names for people: exports.headers) and whose totals rows are in `language`."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ExportError(f"cannot write {path.name}: the file name must end with {' or '.join(SUPPORTED)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        for_csv(frame, money).write_csv(path, date_format="%Y-%m-%d")
    else:
        path.write_bytes(
            xlsx_bytes(frame, sheet=sheet, money=money, title=title, totals=totals, headers=headers, language=language)
        )


def xlsx_bytes(
    frame: pl.DataFrame,
    *,
    sheet: str = "data",
    money: Sequence[str] = (),
    title: str | None = None,
    totals: bool = True,
    headers: Mapping[str, str] | None = None,
    language: str = "ru",
) -> bytes:
    """A formatted workbook: money as numbers in rubles, dates as dates, one totals row per currency."""
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    worksheet = workbook.add_worksheet(sheet[:31])
    header = workbook.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True, "valign": "top"})
    money_format = workbook.add_format({"num_format": EXCEL_FORMAT})
    date_format = workbook.add_format({"num_format": DATE_FORMAT})
    total_money = workbook.add_format({"num_format": EXCEL_FORMAT, "bold": True, "top": 1})
    total_label = workbook.add_format({"bold": True, "top": 1})
    money_set = {c for c in money if c in frame.columns}

    row = 0
    if title:
        worksheet.write_string(0, 0, title, workbook.add_format({"bold": True, "font_size": 13}))
        row = 2
    header_row = row
    shown = [(headers or {}).get(name, name) for name in frame.columns]
    for col, name in enumerate(shown):
        worksheet.write_string(row, col, name, header)
    widths = [max(10, min(40, len(name) + 2)) for name in shown]
    for values in frame.iter_rows():
        row += 1
        for col, value in enumerate(values):
            name = frame.columns[col]
            if value is None:
                continue
            if name in money_set:
                worksheet.write_number(row, col, excel_number(value), money_format)
            elif isinstance(value, date):
                worksheet.write_datetime(row, col, value, date_format)
            elif isinstance(value, int | float):
                worksheet.write_number(row, col, value)
            else:
                text = str(value)
                worksheet.write_string(row, col, text)
                widths[col] = max(widths[col], min(60, len(text) + 2))
    last_data_row = row
    if totals and money_set and frame.height:
        currencies = frame["currency"].unique(maintain_order=True).to_list() if "currency" in frame.columns else [None]
        for currency in currencies:
            row += 1
            part = frame if currency is None else frame.filter(pl.col("currency") == currency)
            label = translate("export.total", language)
            worksheet.write_string(row, 0, label + (f" {currency}" if currency else ""), total_label)
            for col, name in enumerate(frame.columns):
                if name in money_set:
                    worksheet.write_number(row, col, excel_number(int(part[name].fill_null(0).sum())), total_money)
    for col, width in enumerate(widths):
        worksheet.set_column(col, col, width)
    worksheet.freeze_panes(header_row + 1, 0)
    if frame.width:
        worksheet.autofilter(header_row, 0, max(header_row, last_data_row), frame.width - 1)
    worksheet.set_landscape()
    worksheet.fit_to_pages(1, 0)
    worksheet.repeat_rows(header_row)
    workbook.close()
    return buffer.getvalue()


def headers(columns: Sequence[str], language: str = "ru") -> dict[str, str]:
    """The headers an XLSX export shows for the report's columns, in `language`: the app's column labels
    where it has them (col.*), the buckets' names, else the export's own (export.col.*); a column none of
    them names keeps its name."""
    named: dict[str, str] = {}
    for column in columns:
        if f"col.{column}" in CATALOG:
            named[column] = translate(f"col.{column}", language)
        elif f"export.col.{column}" in CATALOG:
            named[column] = translate(f"export.col.{column}", language)
        elif column.startswith(("due_", "overdue_")):
            named[column] = bucket_label(column, language)
    return named if len(set(named.values())) == len(named) else {}  # two alike: the machine names, not a loss
