"""Aging: days-to-due and overdue buckets by counterparty, manager or group, and the table behind them."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.i18n import bucket_label
from dashboard.ui import loaders
from dashboard.ui.charts import stacked_bars
from dashboard.ui.context import page_context
from dashboard.ui.tables import show_table

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters

st.title(t("page.aging"))
by = (
    st.segmented_control(
        t("aging.by"),
        ["counterparty", "manager", "group"],
        default="counterparty",
        key="aging_by",
        format_func=lambda v: t(f"aging.by.{v}"),
    )
    or "counterparty"
)

buckets = ctx.buckets  # the config's [aging] edges
# One row per counterparty (its contracts summed, per currency): the chart, the counterparty table and the
# managers' and groups' sums all come from it.
frame = loaders.aging(as_of=filters.as_of, scope=ctx.scope, by="counterparty", buckets=buckets)
if frame.height == 0:
    st.info(t("aging.nothing"))
    st.stop()

money = ("credit_limit", "balance", "advance", "not_due", "overdue", *buckets.names)
category = {"counterparty": "counterparty_name", "manager": "manager", "group": "group"}[by]
grouped = (
    frame.with_columns(pl.col(category).fill_null(""))
    .group_by(category)
    .agg(pl.col("balance", *buckets.names).sum())
    .sort("balance", descending=True)
)
st.subheader(t("aging.chart"))
st.plotly_chart(
    stacked_bars(grouped.head(20), category, {n: bucket_label(n, language) for n in buckets.names}, language),
    key="aging_chart",
)
labels = {c: t(f"col.{c}") for c in frame.columns} | {n: bucket_label(n, language) for n in buckets.names}
labels = {k: v for k, v in labels.items() if not v.startswith("col.")}
# The table is what the chart groups by: a counterparty's row sums its contracts (per currency), a manager's
# or a group's row its counterparties'. What to act on first: the most overdue, then the largest.
if by == "counterparty":
    table = frame.sort(["overdue", "balance"], descending=True)
    first = ["counterparty_name", "overdue", "balance", "max_days_overdue", "not_due", "advance"]
    show_table(
        table.select(*first, *[c for c in table.columns if c not in (*first, "counterparty_id")]),
        opens_card=table["counterparty_id"],
        money=money,
        key="aging_table_counterparty",
        file_name=f"aging_by_counterparty_{filters.as_of.isoformat()}.xlsx",
        language=language,
        labels=labels,
    )
else:
    sums = ("overdue", "balance", "not_due", "advance", *buckets.names)
    table = (
        frame.with_columns(pl.col(category).fill_null(""))
        .group_by(category)
        .agg(
            pl.col(*sums).sum(),
            pl.col("max_days_overdue").max(),
            pl.col("counterparty_id").n_unique().alias("counterparties"),
        )
        .sort(["overdue", "balance"], descending=True)
        .select(
            category, "overdue", "balance", "max_days_overdue", "counterparties", "not_due", "advance", *buckets.names
        )
    )
    show_table(
        table,
        money=money,
        key=f"aging_table_{by}",
        file_name=f"aging_by_{by}_{filters.as_of.isoformat()}.xlsx",
        language=language,
        labels=labels | {"counterparties": t("aging.counterparties")},
    )
