"""Cash-in forecast: what the debt open on the as-of date is expected to bring in, week by week for 13 weeks,
against what falls due (contract section 5, «The cash-in forecast»; the method in docs/forecast.md)."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import streamlit as st

from dashboard.formatting import day
from dashboard.ui import loaders
from dashboard.ui.charts_forecast import forecast_chart
from dashboard.ui.context import page_context
from dashboard.ui.tables import show_table
from domain.money import money_short

WEEKS = 13

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters
currency, as_of = filters.currency, filters.as_of

st.title(t("forecast.title"))
if loaders.warehouse_status().documents == 0:
    st.info(t("status.empty"))
    st.stop()
st.caption(t("forecast.intro", day=day(as_of, language)))


def _in_currency(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col("currency") == currency)


weeks = _in_currency(
    loaders.forecast_cash_in(as_of=as_of, date_to=as_of + timedelta(days=7 * WEEKS), freq="week", scope=ctx.scope)
)
if weeks.height == 0 or not ((weeks["contractual"] + weeks["expected"]) > 0).any():
    st.info(t("forecast.nothing", currency=currency, day=day(as_of, language)))
    st.stop()
# Four weeks as one period (a month's periods are at least 28 days: cut at the 28th day, it is one), so its
# band is the band of the four weeks together, not the sum of four weekly ones.
four_weeks = _in_currency(
    loaders.forecast_cash_in(as_of=as_of, date_to=as_of + timedelta(days=28), freq="month", scope=ctx.scope)
)


def _short(kopecks: int) -> str:
    return money_short(kopecks, language, currency)


tiles = st.columns(3)
for tile, label, period in (
    (tiles[0], "forecast.tile.week", weeks.head(1)),
    (tiles[1], "forecast.tile.month", four_weeks),
):
    row = period.row(0, named=True)
    tile.metric(
        t(label),
        _short(row["expected"]),
        delta=t("forecast.tile.by_due", amount=_short(row["contractual"])),
        delta_color="off",
        delta_arrow="off",
        help=t("forecast.tile.band", low=_short(row["low"]), high=_short(row["high"])),
    )
tiles[2].metric(
    t("forecast.tile.quarter"),
    _short(int(weeks["expected"].sum())),
    delta=t("forecast.tile.by_due", amount=_short(int(weeks["contractual"].sum()))),
    delta_color="off",
    delta_arrow="off",
)

st.subheader(t("forecast.chart"))
series = {k: t(f"forecast.series.{k}") for k in ("contractual", "expected", "band")}
st.plotly_chart(forecast_chart(weeks, series, language), key="forecast_chart")
st.caption(t("forecast.chart_caption", day=day(as_of, language)))

st.subheader(t("forecast.table"))
columns = ["start", "date", "contractual", "expected", "low", "high"]
show_table(
    weeks.with_columns((pl.col("date") - pl.duration(days=6)).alias("start")).select(columns),
    money=columns[2:],
    key="forecast_table",
    totals=False,  # the band's bounds of several weeks do not add up
    file_name=f"cash_in_forecast_{as_of.isoformat()}.xlsx",
    language=language,
    labels={c: t(f"forecast.col.{c}") for c in columns},
    height="content",  # all 13 weeks without a scroll bar
)

with st.expander(t("forecast.documents")):
    documents = _in_currency(loaders.forecast_documents(as_of=as_of, scope=ctx.scope))
    names = loaders.filter_options(scope=ctx.scope)["counterparties"].select(
        "counterparty_id", pl.col("name").alias("counterparty_name")
    )
    listed = (
        documents.join(names, on="counterparty_id", how="left")
        .with_columns((pl.col("p_30") * 100).round(1))
        .sort("expected_date", "counterparty_id", "due_date")
    )
    shown = ["counterparty_name", "number", "due_date", "open", "expected_date", "p_30"]
    show_table(
        listed.select(shown),
        money=("open",),
        key="forecast_documents",
        file_name=f"expected_payments_{as_of.isoformat()}.xlsx",
        language=language,
        labels={c: t(f"forecast.col.{c}") for c in shown},
        opens_card=listed["counterparty_id"],
        height=360,
    )
    st.caption(t("forecast.documents_caption", day=day(as_of, language)))
