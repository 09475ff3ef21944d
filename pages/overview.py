"""Overview for the CFO: KPI tiles, the overdue trend, buckets, top debtors, the last load."""

from __future__ import annotations

import streamlit as st

from dashboard.formatting import day, percent
from dashboard.services.first_pages import overview_trend_period
from dashboard.ui import loaders
from dashboard.ui.context import page_context
from dashboard.ui.svg_charts import buckets_chart, trend_chart
from dashboard.ui.tables import show_table
from domain.money import money, money_short

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters
currency = filters.currency
buckets = ctx.buckets  # the config's [aging] edges

st.title(t("app.title"))
status = loaders.warehouse_status()
if status.documents == 0:
    st.info(t("status.empty"))
    st.stop()

summary = loaders.kpi_summary(as_of=filters.as_of, scope=ctx.scope)  # the scope's currency: one row, or none
tiles = summary.row(0, named=True) if summary.height else {}


def _days(value: object) -> str:
    return "—" if value is None else f"{value}".replace(".", ",") if language == "ru" else f"{value}"


first = st.columns(4)
# Receivables as the balance sheet shows them: what clients owe, advances not netted (they have their own
# tile); the trend page's first tile is the same figure. Tables of contracts show the netted «Сальдо».
first[0].metric(
    t("kpi.receivables"),
    money_short(tiles.get("receivables", 0), language, currency),
    help=t("kpi.receivables_help"),
)
first[1].metric(
    f"{t('kpi.overdue')} · {percent(tiles.get('overdue_pct'), language)}",
    money_short(tiles.get("overdue", 0), language, currency),
)
first[2].metric(t("kpi.dso"), _days(tiles.get("dso_countback")))
first[3].metric(t("kpi.best_dso"), _days(tiles.get("best_possible_dso")))
second = st.columns(4)
second[0].metric(
    t("kpi.inflow_week"), money_short(tiles.get("inflow_week", 0), language, currency), help=t("kpi.inflow_help")
)
second[1].metric(
    t("kpi.inflow_month"), money_short(tiles.get("inflow_month", 0), language, currency), help=t("kpi.inflow_help")
)
second[2].metric(
    t("kpi.advances"), money_short(tiles.get("advances", 0), language, currency), help=t("kpi.advances_help")
)

left, right = st.columns(2)
with left:
    st.subheader(t("overview.trend"))
    trend_from, trend_to = overview_trend_period(filters.as_of)
    trend = loaders.overdue_trend(
        date_from=trend_from,
        date_to=trend_to,
        freq="week",
        scope=ctx.scope,
        buckets=buckets,
    )
    # Drawn on the server (dashboard/ui/svg_charts.py): plotly.js would hold the first page for seconds.
    columns = {"not_due": t("col.not_due"), "overdue": t("col.overdue")}
    chart = trend_chart(trend, columns, title=t("overview.trend"), language=language, currency=currency)
    st.markdown(chart, unsafe_allow_html=True)
with right:
    st.subheader(t("overview.buckets"))
    aging = loaders.aging(as_of=filters.as_of, scope=ctx.scope, by="counterparty", buckets=buckets)
    totals = {name: int(aging[name].sum()) for name in buckets.names}
    chart = buckets_chart(totals, title=t("overview.buckets"), language=language, currency=currency)
    st.markdown(chart, unsafe_allow_html=True)

st.subheader(t("overview.top"))
top_rows = aging.sort("balance", descending=True).head(10)
top = top_rows.select("counterparty_name", "manager", "balance", "not_due", "overdue", "max_days_overdue")
show_table(
    top,
    opens_card=top_rows["counterparty_id"],
    money=("balance", "not_due", "overdue"),
    key="overview_top",
    file_name=f"top_debtors_{filters.as_of.isoformat()}.xlsx",
    language=language,
    labels={c: t(f"col.{c}") for c in top.columns},
)
if status.last_load_id is not None and status.last_load_at is not None:
    st.caption(
        t(
            "status.last_load",
            load_id=status.last_load_id,
            when=status.last_load_at.strftime("%d.%m.%Y %H:%M"),
            seconds=f"{status.last_load_seconds or 0:.1f}",
            files=status.last_load_files,
        )
        + f" · {t('status.documents')}: {status.documents} · {t('status.rejects')}: {status.rejects}"
        + f" · {day(filters.as_of, language)} · {money(tiles.get('balance', 0), language, currency)}"
    )
