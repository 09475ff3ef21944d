"""Payment calendar: what falls due each day and is still unpaid, as a weeks x weekdays heatmap;
totals by week and month; the documents behind a day."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import streamlit as st

from dashboard.formatting import date_pattern, day, percent
from dashboard.ui import loaders
from dashboard.ui.auth import current_user
from dashboard.ui.charts_calendar import (
    calendar_heatmap,
    calendar_window,
    month_start,
    picked_day,
    totals_with_unpaid,
    whole_weeks,
)
from dashboard.ui.context import page_context
from dashboard.ui.tables import show_table
from domain.money import money, money_short
from queries.calendar import calendar_layout
from queries.kpi_formulas import percent_of

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters
currency, as_of = filters.currency, filters.as_of

st.title(t("calendar.title"))
viewer = current_user()
if (
    viewer is not None
    and viewer.is_client
    and loaders.filter_options(scope=ctx.user_scope)["counterparties"].is_empty()
):
    st.info(t("client.no_account", counterparty=viewer.counterparty), icon=":material/info:")  # not in our records
    st.stop()
if loaders.warehouse_status().documents == 0:
    st.info(t("status.empty"))
    st.stop()

# The view (months shifted from the as-of month, the chosen day) follows the as-of date: a new one resets it.
if st.session_state.get("calendar_as_of") != as_of:
    st.session_state["calendar_as_of"] = as_of
    st.session_state["calendar_offset"] = 0
    st.session_state["calendar_day"] = as_of
if "calendar_day" not in st.session_state:  # a widget's state is dropped while another page is open
    st.session_state["calendar_day"] = as_of


def _clear_pick() -> None:
    """A new chart key drops the grid's selection, so it never shows a day other than the chosen one."""
    st.session_state["calendar_chart"] = st.session_state.get("calendar_chart", 0) + 1
    st.session_state["calendar_last_pick"] = None


def _shift(months: int | None) -> None:
    st.session_state["calendar_offset"] = 0 if months is None else st.session_state["calendar_offset"] + months
    _clear_pick()


anchor = month_start(as_of, st.session_state["calendar_offset"])
shown = calendar_window(anchor)
grid = whole_weeks(*shown)
month_name = lambda m: f"{t(f'calendar.month.{m.month}')} {m.year}"  # noqa: E731

switcher = st.container(horizontal=True, vertical_alignment="center")
switcher.button(
    t("calendar.previous"), icon=":material/chevron_left:", on_click=_shift, args=(-1,), key="calendar_prev"
)
switcher.markdown(f"**{t('calendar.window', first=month_name(shown[0]), last=month_name(month_start(shown[1])))}**")
switcher.button(
    t("calendar.next"),
    icon=":material/chevron_right:",
    icon_position="right",
    on_click=_shift,
    args=(1,),
    key="calendar_next",
)
switcher.button(
    t("calendar.back_to_as_of"),
    icon=":material/today:",
    on_click=_shift,
    args=(None,),
    key="calendar_today",
    disabled=st.session_state["calendar_offset"] == 0,
)

calendar = loaders.payment_calendar(as_of=as_of, date_from=grid[0], date_to=grid[1], scope=ctx.scope)
fell_due = loaders.amounts_fell_due(as_of=as_of, date_from=grid[0], date_to=grid[1], scope=ctx.scope)
# The scope's currency only; past days also say what fell due, so a past week shows what of it was paid.
layout = calendar_layout(calendar, *grid, as_of, currencies=[currency], fell_due=fell_due)
in_window = layout.filter(pl.col("date").is_between(*shown))
by_month = totals_with_unpaid(in_window, "month")
by_week = totals_with_unpaid(layout, "week")  # whole weeks, the faded days at the edges included

# Unpaid debt that fell due before the months shown (and before the as-of date) is not on the grid.
earlier_to = min(shown[0], as_of) - timedelta(days=1)
earlier = loaders.payment_calendar(
    as_of=as_of,
    date_from=date(as_of.year - 50, 1, 1),
    date_to=earlier_to,
    scope=ctx.scope,
)

tiles = st.columns(len(by_month) + 1)
for tile, month in zip(tiles, by_month.iter_rows(named=True), strict=False):
    # Of what fell due on the month's past days, the part still unpaid (the value is all the month's due).
    unpaid_share = percent(percent_of(month["unpaid"], month["paid"] + month["unpaid"]), language)
    tile.metric(
        t("calendar.month_tile", month=month_name(month["period_start"])),
        money_short(month["due"], language, currency),
        delta=t(
            "calendar.month_unpaid",
            amount=money_short(month["unpaid"], language, currency),
            share=unpaid_share,
        )
        if month["unpaid"]
        else t("calendar.month_paid", paid=money_short(month["paid"], language, currency))
        if month["paid"]
        else t("calendar.month_documents", count=month["documents"]),
        delta_color="inverse" if month["unpaid"] else "off",
        delta_arrow="off",
    )
tiles[-1].metric(
    t("calendar.earlier", day=day(earlier_to + timedelta(days=1), language)),
    money_short(int(earlier["due"].sum()), language, currency),
    delta=t("calendar.month_documents", count=int(earlier["documents"].sum())),
    delta_color="off",
    delta_arrow="off",
    help=t("calendar.earlier_help"),
)

chart, totals = st.columns([5, 3])
with chart:
    labels = {
        key: t(f"calendar.{key}")
        for key in (
            "legend.nothing",
            "legend.expected",
            "legend.unpaid",
            "hover.due",
            "hover.documents",
            "hover.unpaid",
        )
    }
    figure = calendar_heatmap(
        layout,
        as_of=as_of,
        shown=shown,
        labels=labels,
        month_names=[t(f"calendar.month.{m}") for m in range(1, 13)],
        weekday_names=[t(f"calendar.weekday.{d}") for d in range(7)],
        language=language,
        currency=currency,
    )
    event = st.plotly_chart(
        figure,
        key=f"calendar_heatmap_{st.session_state.get('calendar_chart', 0)}",
        on_select="rerun",
        selection_mode="points",
        width="content",
        config={"displayModeBar": False},
    )
    st.caption(t("calendar.chart_caption"))
with totals:
    money_columns = ("due", "paid", "unpaid")
    total_labels = {c: t(f"calendar.col.{c}") for c in ("due", "paid", "unpaid", "documents")}
    weeks_tab, months_tab = st.tabs([t("calendar.weeks"), t("calendar.months")])
    with weeks_tab:
        show_table(
            by_week.drop("period_end"),  # weeks run Monday to Sunday
            money=money_columns,
            key="calendar_weeks",
            file_name=f"payment_calendar_weeks_{shown[0].isoformat()}_{shown[1].isoformat()}.xlsx",
            language=language,
            labels=total_labels | {"period_start": t("calendar.col.week")},
        )
    with months_tab:
        show_table(
            by_month.drop("period_end"),
            money=money_columns,
            key="calendar_months",
            file_name=f"payment_calendar_months_{shown[0].isoformat()}_{shown[1].isoformat()}.xlsx",
            language=language,
            labels=total_labels | {"period_start": t("calendar.col.month")},
        )

# A click on the grid picks a day; the date picker is the fallback and shows the pick.
picked = picked_day(event.selection if event else None)
if picked is not None and picked != st.session_state.get("calendar_last_pick"):
    st.session_state["calendar_last_pick"] = picked
    st.session_state["calendar_day"] = picked
chosen = (
    st.date_input(t("calendar.day"), key="calendar_day", format=date_pattern(language), on_change=_clear_pick) or as_of
)

st.subheader(t("calendar.day_heading", day=day(chosen, language)))
documents = loaders.documents_due_on(as_of=as_of, day=chosen, scope=ctx.scope)
if documents.height == 0:
    st.info(t("calendar.day_nothing", day=day(chosen, language)))
    st.stop()
st.markdown(
    t(
        "calendar.day_total",
        amount=money(int(documents["open_amount"].sum()), language, currency),
        count=documents.height,
    )
)
kinds = {kind: t(f"calendar.kind.{kind}") for kind in documents["kind"].unique().to_list()}
table = documents.select(
    "number",
    "counterparty_name",
    "contract_id",
    "doc_date",
    "due_date",
    "amount",
    "open_amount",
    pl.col("kind").replace_strict(kinds, default=pl.col("kind")),
    "document_id",
    "counterparty_id",
)
show_table(
    table,
    money=("amount", "open_amount"),
    key="calendar_documents",
    file_name=f"due_on_{chosen.isoformat()}.xlsx",
    language=language,
    labels={c: t(f"calendar.col.{c}") for c in table.columns},
)
