"""Tables on screen: exact money columns, a formatted Excel download beside every table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import polars as pl
import streamlit as st

from dashboard.formatting import count, fraction
from dashboard.i18n import translate
from dashboard.services.exports import xlsx_bytes
from dashboard.ui.auth import audited
from domain.money import NBSP, grouped, to_decimal_expr

if TYPE_CHECKING:  # what st.column_config's column makers return; Streamlit exports no public name for it
    from streamlit.elements.lib.column_types import ColumnConfig

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_ON_SCREEN = 500
EMPTY = ""  # a missing value on screen: nothing, as in 1C and Excel


def money_as_decimal(frame: pl.DataFrame, money: Sequence[str]) -> pl.DataFrame:
    """Kopecks to exact Decimal(38, 2) rubles for display (through text, never a float)."""
    present = [c for c in money if c in frame.columns]
    return frame.with_columns([to_decimal_expr(pl.col(c)).alias(c) for c in present]) if present else frame


def styled(frame: pl.DataFrame, money: Sequence[str], language: str) -> Any:
    """The frame for st.dataframe, every cell as the language writes it (the grid still sorts by the values
    underneath): exact Decimal money `1 234 567,89` / `1,234,567.89`, other fractions with one decimal
    (`13 626,1`), and nothing in an empty cell (not "None")."""
    data = money_as_decimal(frame, money).to_pandas()
    formats: dict[str, Any] = {
        c: (lambda v, lang=language: grouped(v, lang, NBSP) if isinstance(v, Decimal) else "")
        for c in money
        if c in data
    }
    for column, dtype in frame.schema.items():
        if column in formats:
            continue
        if dtype.is_float():
            formats[column] = lambda v, lang=language: fraction(v, lang)
        elif dtype.is_integer():  # with a missing value pandas holds them as floats: 3, not 3.000000
            formats[column] = lambda v: "" if v is None or math.isnan(v) else str(int(v))
    return data.style.format(formats, na_rep="")


def column_config(
    frame: pl.DataFrame, money: Sequence[str], labels: dict[str, str], language: str
) -> dict[str, ColumnConfig]:
    """Labels and the language's date and time formats for every column of a table (the cells' text comes
    from styled())."""
    config: dict[str, ColumnConfig] = {}
    for column, dtype in frame.schema.items():
        label = labels.get(column, column)
        if column in money or dtype.is_numeric():
            config[column] = st.column_config.NumberColumn(label)
        elif dtype == pl.Date:
            config[column] = st.column_config.DateColumn(
                label, format="DD.MM.YYYY" if language == "ru" else "YYYY-MM-DD"
            )
        elif dtype == pl.Datetime:
            config[column] = st.column_config.DatetimeColumn(
                label, format="DD.MM.YYYY HH:mm" if language == "ru" else "YYYY-MM-DD HH:mm"
            )
        else:
            config[column] = st.column_config.Column(label)
    return config


def show_table(
    frame: pl.DataFrame,
    *,
    money: Sequence[str],
    key: str,
    file_name: str,
    language: str,
    labels: dict[str, str] | None = None,
    height: int | Literal["auto", "stretch", "content"] = "auto",
    card_links: pl.Series | None = None,
    totals: bool = True,
) -> None:
    """`card_links`: counterparty ids, one per row, to add a column that opens each counterparty's card.
    `totals`: the Excel file's totals row per currency, for amounts that add up (not balances over time).

    The screen shows the first ROWS_ON_SCREEN rows (the frame's own order: the largest, the oldest or the
    most urgent first) and says so; the Excel download beside it always holds every row. Formatting every
    cell of a long table costs more than a rerun may take, and past about 260k cells Streamlit refuses a
    styled table outright."""
    labels = labels or {}
    config: dict[str, ColumnConfig] = {}
    shown = frame
    if card_links is not None:
        as_of = st.query_params.get("as_of", "")
        suffix = f"&as_of={as_of}" if as_of else ""
        # The card first: a wide table put it off-screen to the right.
        shown = frame.select(("counterparty?counterparty=" + card_links + suffix).alias("card"), *frame.columns)
        config["card"] = st.column_config.LinkColumn(
            translate("table.card", language), display_text=translate("table.open_card", language), width="small"
        )
    config |= column_config(frame, money, labels, language)
    if shown.height > ROWS_ON_SCREEN:
        shown = shown.head(ROWS_ON_SCREEN)
        st.caption(
            translate(
                "table.first_rows",
                language,
                shown=count(ROWS_ON_SCREEN, language),
                total=count(frame.height, language),
            )
        )
    st.dataframe(
        styled(shown, money, language),
        column_config=config,
        hide_index=True,
        width="stretch",
        height=height,
        key=key,
        placeholder=EMPTY,  # Streamlit draws a missing value itself ("None"), whatever the styler says
    )
    # The workbook speaks the reader's language: the on-screen labels become its headers. The callable
    # runs outside the script run, so it only uses what it closes over.
    headers = {c: labels[c] for c in frame.columns if c in labels and labels[c] not in frame.columns}
    if len(set(headers.values())) < len(headers):
        headers = {}  # two columns share a label: keep the column names rather than lose one
    snapshot = frame.rename(headers)
    money = [headers.get(c, c) for c in money]
    st.download_button(
        translate("download.xlsx", language),
        data=audited(lambda: xlsx_bytes(snapshot, money=money, sheet=key[:31], totals=totals), file_name),
        file_name=file_name,
        mime=XLSX_MIME,
        key=f"{key}_download",
        on_click="ignore",
        icon=":material/download:",
    )
