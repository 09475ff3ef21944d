"""The reconciliation act (акт сверки взаиморасчетов) as a printable document, in the 1C standard form.

Input: a frame as `queries.act.act` returns it (kind opening/document/turnover/closing, date, document,
debit, credit; money in Int64 kopecks, null where empty). Output: XLSX bytes (xlsxwriter) with the title,
the preamble, two halves side by side (ours filled, the counterparty's left empty for them), the closing
sentence with the amount in words, and the signature blocks. No streamlit and no database here: the CLI
and the act page share it.
"""

from __future__ import annotations

import io
import math
from datetime import date

import polars as pl
import xlsxwriter
from num2words import num2words

from etl.parsing import to_decimal

MONEY_FORMAT = "#,##0.00"  # Excel/LibreOffice localise it: «5 000,00» in a Russian locale
DATE_FORMAT = "dd.mm.yyyy"
SHEET_NAME = "Акт сверки"
COLUMNS = ("Дата", "Документ", "Дебет", "Кредит")
WIDTHS = (11, 34, 14, 14)  # one half; the other half repeats them
LAST_COLUMN = 2 * len(COLUMNS) - 1  # A..H


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


def amount_in_words(kopecks: int) -> str:
    """«Пять тысяч рублей 00 копеек»: rubles in words (num2words, Russian), kopecks as two digits."""
    kopecks = abs(int(kopecks))
    rubles, cents = divmod(kopecks, 100)
    words = num2words(rubles, lang="ru")
    words = words[:1].upper() + words[1:]
    return (
        f"{words} {_plural(rubles, 'рубль', 'рубля', 'рублей')} "
        f"{cents:02d} {_plural(cents, 'копейка', 'копейки', 'копеек')}"
    )


def money_text(kopecks: int) -> str:
    """«5 000,00»: Russian grouping (plain spaces) and decimal comma, exact."""
    return f"{to_decimal(kopecks):,.2f}".replace(",", " ").replace(".", ",")


def closing_balance(act: pl.DataFrame) -> int:
    """The signed closing balance (> 0 owed to us, < 0 we owe); 0 for a frame without a closing row."""
    row = act.filter(pl.col("kind") == "closing")
    if row.height == 0:
        return 0
    return int(row["debit"].fill_null(0)[0]) - int(row["credit"].fill_null(0)[0])


def closing_sentence(act: pl.DataFrame, *, company: str, counterparty: str, date_to: date) -> str:
    """«По данным <company> на <date> задолженность в пользу <party> составляет … руб. (…)»."""
    balance = closing_balance(act)
    head = f"По данным {company} на {date_to:%d.%m.%Y}"
    if balance == 0:
        return f"{head} задолженность отсутствует."
    party = company if balance > 0 else counterparty
    return (
        f"{head} задолженность в пользу {party} составляет {money_text(abs(balance))} руб. "
        f"({amount_in_words(abs(balance))})"
    )


def _height(text: str, chars_per_line: int, line_height: float = 15.0) -> float:
    """A row height for wrapped text in merged cells (which Excel never auto-fits)."""
    lines = max(1, math.ceil(len(text) / chars_per_line))
    return lines * line_height


def act_xlsx_bytes(
    act: pl.DataFrame,
    *,
    company: str,
    counterparty: str,
    date_from: date,
    date_to: date,
    contract: str | None = None,
    signer_company: str = "",
    signer_counterparty: str = "",
) -> bytes:
    """The act as an XLSX workbook in the 1C form, printable on one A4 page wide."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
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
    line = fmt(bottom=1)
    caption = fmt(font_size=7, align="center", valign="top")

    for half in (0, len(COLUMNS)):
        for i, width in enumerate(WIDTHS):
            ws.set_column(half + i, half + i, width)
    total_chars = 2 * sum(WIDTHS)

    row = 0
    ws.merge_range(row, 0, row, LAST_COLUMN, "Акт сверки", title)
    ws.set_row(row, 20)
    row += 1
    ws.merge_range(
        row, 0, row, LAST_COLUMN, f"взаимных расчетов за период: {date_from:%d.%m.%Y} – {date_to:%d.%m.%Y}", centered
    )
    row += 1
    between = f"между {company} и {counterparty}"
    ws.merge_range(row, 0, row, LAST_COLUMN, between, centered)
    ws.set_row(row, _height(between, total_chars))
    row += 1
    if contract:
        ws.merge_range(row, 0, row, LAST_COLUMN, f"по договору {contract}", centered)
        row += 1
    row += 1

    preamble = (
        f"Мы, нижеподписавшиеся, ______ {company}, с одной стороны, и ______ {counterparty}, с другой стороны, "
        "составили настоящий акт сверки в том, что состояние взаимных расчетов по данным учета следующее:"
    )
    ws.merge_range(row, 0, row, LAST_COLUMN, preamble, wrapped)
    ws.set_row(row, _height(preamble, total_chars))
    row += 2

    header_first = row
    ours, theirs = f"По данным {company}, руб.", f"По данным {counterparty}, руб."
    ws.merge_range(row, 0, row, len(COLUMNS) - 1, ours, half_header)
    ws.merge_range(row, len(COLUMNS), row, LAST_COLUMN, theirs, half_header)
    ws.set_row(row, max(_height(ours, sum(WIDTHS)), _height(theirs, sum(WIDTHS))))
    row += 1
    for half in (0, len(COLUMNS)):
        for i, name in enumerate(COLUMNS):
            ws.write(row, half + i, name, column_header)
    header_last = row
    row += 1

    for record in act.select("kind", "date", "document", "debit", "credit").iter_rows(named=True):
        summary = record["kind"] != "document"
        balance = record["kind"] in ("opening", "closing")
        text_format, day_format, number_format = (
            (bold_cell, bold_date, bold_money) if summary else (cell, date_cell, money_cell)
        )
        if record["date"] is None:
            ws.write_blank(row, 0, None, day_format)
        else:
            ws.write_datetime(row, 0, record["date"], day_format)
        ws.write_string(row, 1, record["document"] or "", text_format)
        for column, key in ((2, "debit"), (3, "credit")):
            value = record[key]
            if value is None or (balance and value == 0):  # 1C leaves a zero balance empty
                ws.write_blank(row, column, None, number_format)
            else:
                ws.write_number(row, column, value / 100, number_format)
        for column in range(len(COLUMNS), LAST_COLUMN + 1):  # the counterparty fills their half in
            ws.write_blank(row, column, None, bold_cell if summary else cell)
        row += 1
    row += 1

    sentence = closing_sentence(act, company=company, counterparty=counterparty, date_to=date_to)
    ws.merge_range(row, 0, row, len(COLUMNS) - 1, sentence, wrapped)
    ws.set_row(row, _height(sentence, sum(WIDTHS)))
    row += 2

    for half, party, signer in ((0, company, signer_company), (len(COLUMNS), counterparty, signer_counterparty)):
        ws.merge_range(row, half, row, half + len(COLUMNS) - 1, f"От {party}", bold)
        ws.merge_range(row + 2, half, row + 2, half + 1, "", line)
        ws.merge_range(row + 2, half + 2, row + 2, half + 3, signer, line)
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
