"""Tables on screen: exact money columns, a formatted Excel download beside every table, and a row that
opens its counterparty's card."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import polars as pl
import streamlit as st

from dashboard.formatting import count, date_pattern, fraction
from dashboard.i18n import translate
from dashboard.services.exports import xlsx_bytes
from dashboard.ui.auth import audited
from dashboard.ui.deferred import download_button
from dashboard.ui.filters import choose_counterparty
from domain.money import NBSP, grouped, to_decimal_expr

if TYPE_CHECKING:  # what st.column_config's column makers return; Streamlit exports no public name for it
    from streamlit.elements.lib.column_types import ButtonColumnResult, ColumnConfig

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_ON_SCREEN = 500
EMPTY = ""  # a missing value on screen: nothing, as in 1C and Excel
CARD_PAGE = "pages/counterparty.py"  # as st.switch_page reads it: beside the router, streamlit_app.py
# Whole numbers that name something rather than count it: written bare (load 12345, line 1042), while counts,
# days and rows group their thousands (93 682).
IDENTIFIERS = frozenset({"load_id", "line", "rank", "doc_pk"})


def is_identifier(column: str) -> bool:
    return column in IDENTIFIERS or column.endswith("_id")


def money_as_decimal(frame: pl.DataFrame, money: Sequence[str]) -> pl.DataFrame:
    """Kopecks to exact Decimal(38, 2) rubles for display (through text, never a float)."""
    present = [c for c in money if c in frame.columns]
    return frame.with_columns([to_decimal_expr(pl.col(c)).alias(c) for c in present]) if present else frame


def styled(frame: pl.DataFrame, money: Sequence[str], language: str) -> Any:
    """The frame for st.dataframe, every cell as the language writes it (the grid still sorts by the values
    underneath): exact Decimal money `1 234 567,89` / `1,234,567.89`, other fractions with one decimal
    (`13 626,1`), whole numbers with grouped thousands (`93 682`) unless they name something (a load, a
    line: `is_identifier`), and nothing in an empty cell (not "None")."""
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
            bare = is_identifier(column)
            formats[column] = lambda v, lang=language, bare=bare: (
                "" if v is None or math.isnan(v) else str(int(v)) if bare else count(int(v), lang)
            )
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
            config[column] = st.column_config.DateColumn(label, format=date_pattern(language))
        elif dtype == pl.Datetime:
            config[column] = st.column_config.DatetimeColumn(
                label, format="DD.MM.YYYY HH:mm" if language == "ru" else "YYYY-MM-DD HH:mm"
            )
        else:
            config[column] = st.column_config.Column(label)
    return config


ACTION = "action"  # the column of a table's row button (show_table's `action`)


@dataclass(frozen=True)
class RowAction:
    """A button in every row of a table: its column's label, the button's text, and what a click does with
    the row's position in the frame as given."""

    label: str
    text: str
    on_click: Callable[[int], None]


def _clicked(action: RowAction, key: str) -> None:
    click = st.session_state.get(key)
    if click is not None:
        action.on_click(int(click["row"]))


def open_card(counterparty_id: str, *, selection_key: str | None = None) -> NoReturn:
    """The counterparty's card in this tab: the sidebar takes the counterparty (no contract; its other
    filters stay) and the app switches to the card page. `selection_key`: the table whose row asked; its
    selection is forgotten, so coming back to the table does not open the card again."""
    if selection_key is not None and selection_key in st.session_state:
        del st.session_state[selection_key]
    choose_counterparty(counterparty_id)
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "contract"}
    st.switch_page(CARD_PAGE, query_params=params | {"counterparty": counterparty_id})


def show_table(
    frame: pl.DataFrame,
    *,
    money: Sequence[str],
    key: str,
    file_name: str,
    language: str,
    labels: dict[str, str] | None = None,
    height: int | Literal["auto", "stretch", "content"] = "auto",
    opens_card: pl.Series | None = None,
    totals: bool = True,
    action: RowAction | None = None,
) -> None:
    """`opens_card`: counterparty ids, one per row, for tables whose rows are counterparties (or theirs):
    a click on a row (its box at the left or any of its cells) opens its counterparty's card in this tab
    (open_card), and a link column first opens it in a new tab, for the list and the card side by side.
    `totals`: the Excel file's totals row per currency, for amounts that add up (not balances over time).
    `action`: a button in every row, after the card's link (with opens_card): its callback gets the row.

    The screen shows the first ROWS_ON_SCREEN rows (the frame's own order: the largest, the oldest or the
    most urgent first) and says so; the Excel download beside it always holds every row. Formatting every
    cell of a long table costs more than a rerun may take, and past about 260k cells Streamlit refuses a
    styled table outright."""
    labels = labels or {}
    config: dict[str, ColumnConfig | ButtonColumnResult] = {}
    shown = frame
    if opens_card is not None:
        as_of = st.query_params.get("as_of", "")
        suffix = f"&as_of={as_of}" if as_of else ""
        # The card first: a wide table put it off-screen to the right.
        shown = frame.select(("counterparty?counterparty=" + opens_card + suffix).alias("card"), *frame.columns)
        config["card"] = st.column_config.LinkColumn(
            translate("table.card", language), display_text=translate("table.open_card", language), width="small"
        )
        if action is not None:
            shown = shown.select("card", pl.lit(action.text).alias(ACTION), *frame.columns)
            config[ACTION] = st.column_config.ButtonColumn(
                action.label, type="tertiary", key=f"{key}_action", on_click=_clicked, args=(action, f"{key}_action")
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
    if opens_card is None:
        st.dataframe(
            styled(shown, money, language),
            column_config=config,
            hide_index=True,
            width="stretch",
            height=height,
            key=key,
            placeholder=EMPTY,  # Streamlit draws a missing value itself ("None"), whatever the styler says
        )
    else:
        event = st.dataframe(
            styled(shown, money, language),
            column_config=config,
            hide_index=True,
            width="stretch",
            height=height,
            key=key,
            placeholder=EMPTY,
            on_select="rerun",
            # A row: its box at the left, or a click on any of its cells (the grid selects only a cell there)
            # but the link's, which opens the card in a new tab.
            selection_mode=["single-row", "single-cell"],
        )
        # Positions in the frame as given, whatever order the user sorted the grid in.
        rows = [*event.selection.rows, *(r for r, column in event.selection.cells if column not in ("card", ACTION))]
        rows = [r for r in rows if r < shown.height and opens_card[r] is not None]
        if rows:
            open_card(str(opens_card[rows[0]]), selection_key=key)
        st.caption(translate("table.click_row", language))
    # The workbook speaks the reader's language: the on-screen labels become its headers. The callable
    # runs outside the script run, so it only uses what it closes over.
    headers = {c: labels[c] for c in frame.columns if c in labels and labels[c] not in frame.columns}
    if len(set(headers.values())) < len(headers):
        headers = {}  # two columns share a label: keep the column names rather than lose one
    snapshot = frame.rename(headers)
    money = [headers.get(c, c) for c in money]
    download_button(
        st,
        translate("download.xlsx", language),
        data=audited(lambda: xlsx_bytes(snapshot, money=money, sheet=key[:31], totals=totals), file_name),
        file_name=file_name,
        mime=XLSX_MIME,
        key=f"{key}_download",
        on_click="ignore",
        icon=":material/download:",
    )
