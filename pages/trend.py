"""Overdue trend for the CFO: not due and overdue by bucket over any period; DSO and CEI by month."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from dashboard.formatting import date_pattern, day, percent
from dashboard.i18n import bucket_label
from dashboard.services.first_pages import TREND_FREQ, trend_default_period
from dashboard.ui import loaders
from dashboard.ui.charts_trend import dso_cei_chart, overdue_areas
from dashboard.ui.context import page_context
from dashboard.ui.tables import show_table
from domain.money import money_short
from queries.kpi_formulas import percent_of
from queries.trend import FREQS

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters
currency, as_of = filters.currency, filters.as_of

st.title(t("trend.title"))
if loaders.warehouse_status().documents == 0:
    st.info(t("status.empty"))
    st.stop()

# The last 12 months: the as-of month and the 11 before it, whole from their first day.
default_from, _ = trend_default_period(as_of)
controls = st.columns([2, 3])
freq = (
    controls[0].segmented_control(
        t("trend.freq"),
        FREQS,
        default=TREND_FREQ,
        key="trend_freq",
        format_func=lambda v: t(f"trend.freq.{v}"),
    )
    or "week"
)
period = controls[1].date_input(
    t("trend.period"),
    value=(default_from, as_of),
    min_value=date(as_of.year - 20, 1, 1),
    max_value=as_of,
    format=date_pattern(language),
    key=f"trend_period_{as_of.isoformat()}",  # a new as-of date starts a new default period
)
if not isinstance(period, tuple) or len(period) != 2:
    st.info(t("trend.period_incomplete"))
    st.stop()
date_from, date_to = period

edges = ctx.buckets  # the config's [aging] edges
trend = loaders.overdue_trend(date_from=date_from, date_to=date_to, freq=freq, scope=ctx.scope, buckets=edges)
if trend.height == 0:
    st.info(t("trend.nothing", currency=currency))
    st.stop()

first, last = trend.row(0, named=True), trend.row(-1, named=True)
open_debits = last["not_due"] + last["overdue"]
tiles = st.columns(3)
tiles[0].metric(
    t("trend.open_debits", day=day(date_to, language)),  # = the overview's «Дебиторская задолженность»
    money_short(open_debits, language, currency),
    delta=money_short(open_debits - first["not_due"] - first["overdue"], language, currency),
    delta_color="off",
    help=t("trend.delta_hint", day=day(first["date"], language)),
)
tiles[1].metric(
    t("trend.overdue_on", day=day(date_to, language)),
    money_short(last["overdue"], language, currency),
    delta=money_short(last["overdue"] - first["overdue"], language, currency),
    delta_color="inverse",
    help=t("trend.delta_hint", day=day(first["date"], language)),
)
tiles[2].metric(t("trend.overdue_share"), percent(percent_of(last["overdue"], open_debits), language))

st.subheader(t("trend.chart"))
buckets = {n: bucket_label(n, language) for n in edges.overdue_names}
st.plotly_chart(overdue_areas(trend, t("trend.col.not_due"), buckets, language), key="trend_areas")
st.caption(t("trend.chart_caption"))
with st.expander(t("trend.data")):
    columns = ["date", "balance", "not_due", "overdue", *edges.overdue_names]
    show_table(
        trend.select(columns),
        money=columns[1:],
        key="trend_table",
        totals=False,  # balances at successive dates do not add up
        file_name=f"overdue_trend_{date_from.isoformat()}_{date_to.isoformat()}.xlsx",
        language=language,
        labels={c: t(f"trend.col.{c}") for c in columns[:4]} | buckets,
        height=320,
    )

st.subheader(t("trend.kpis"))
kpis = loaders.monthly_kpis(date_from=date_from, date_to=date_to, scope=ctx.scope)
if kpis.height == 0:
    st.info(t("trend.kpis_nothing"))
    st.stop()
series = {c: t(f"trend.col.{c}") for c in ("dso_countback", "dso_simple", "cei")}
st.plotly_chart(
    dso_cei_chart(kpis, series | {"days_axis": t("trend.days_axis"), "cei_axis": t("trend.cei_axis")}, language),
    key="trend_kpis_chart",
)
st.caption(t("trend.kpis_caption"))
ratios = ("dso_simple", "dso_countback", "best_possible_dso", "average_days_delinquent", "cei")
# Days and percent become plain numbers so the Excel file gets numbers; money stays exact kopecks.
table = kpis.drop("month", "currency").with_columns(pl.col(ratios).cast(pl.Float64))
show_table(
    table,
    money=("receivables_start", "credit_sales", "receivables", "current_receivables"),
    key="trend_kpis_table",
    totals=False,
    file_name=f"dso_cei_{date_from.isoformat()}_{date_to.isoformat()}.xlsx",
    language=language,
    labels={c: t(f"trend.col.{c}") for c in table.columns},
)
