"""Stop-list: who to stop shipping to today, why, and the payment that lifts the stop (queries.stoplist); a
client the CFO or a controller released stays listed with until when, why and by whom, and they release
(or end a release) below the list (dashboard.ui.releases)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.formatting import day
from dashboard.services import settings
from dashboard.services.wording import detail_column, stoplist_details
from dashboard.ui import loaders
from dashboard.ui.context import page_context
from dashboard.ui.db import app_config
from dashboard.ui.releases import release_section, status_column
from dashboard.ui.tables import show_table
from domain.money import money
from queries.stoplist import REASONS

MONEY = ("overdue", "balance", "over_limit", "to_release")

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters
currency = filters.currency

st.title(t("stoplist.page"))
status = loaders.warehouse_status()
if status.documents == 0:
    st.info(t("status.empty"))
    st.stop()

rules = settings.stop_rules(app_config())
in_force = [t("stoplist.rule.overdue_days", days=rules.overdue_days)]
if rules.overdue_amount > 0:
    in_force.append(t("stoplist.rule.overdue_amount", amount=money(rules.overdue_amount, language, currency)))
if rules.credit_limit:
    in_force.append(t("stoplist.rule.credit_limit"))
st.caption(t("stoplist.rules", rules=t("stoplist.rules.or").join(in_force)))

found = loaders.stoplist(as_of=filters.as_of, scope=ctx.scope, rules=rules)
if found.height == 0:
    st.success(t("stoplist.all_clear", day=day(filters.as_of, language)))
    st.stop()

tiles = st.columns(3)
tiles[0].metric(t("stoplist.tile.count"), f"{found['counterparty_id'].n_unique()}")
tiles[1].metric(t("stoplist.tile.to_release"), money(int(found["to_release"].sum()), language, currency))
tiles[2].metric(t("stoplist.tile.overdue"), money(int(found["overdue"].sum()), language, currency))
released = found.filter(pl.col("released_until").is_not_null())["counterparty_id"].n_unique()
if released:
    st.caption(t("stoplist.released_count", count=released))

reason_names = {code: t(f"stoplist.reason.{code}") for code in REASONS}
detail = detail_column(language)
table = found.with_columns(
    stoplist_details(found, rules, language),
    pl.col("reasons")
    .str.split(",")
    .list.eval(pl.element().replace_strict(reason_names, default=pl.element()))
    .list.join(", "),
    status_column(found, language),
).select(
    # What to collect first, beside the name (it sat off-screen to the right of the long explanation).
    "counterparty_name",
    "to_release",
    "overdue",
    "max_days_overdue",
    "status",
    "reasons",
    "balance",
    "over_limit",
    "manager",
    detail,
)
labels = {
    "counterparty_name": t("col.counterparty_name"),
    "manager": t("col.manager"),
    "status": t("stoplist.col.status"),
    "reasons": t("stoplist.col.reasons"),
    detail: t("stoplist.col.detail"),
    "overdue": t("col.overdue"),
    "balance": t("col.balance"),
    "max_days_overdue": t("col.max_days_overdue"),
    "over_limit": t("stoplist.col.over_limit"),
    "to_release": t("stoplist.col.to_release"),
}
show_table(
    table,
    money=MONEY,
    key="stoplist",
    file_name=f"stoplist_{filters.as_of.isoformat()}.xlsx",
    language=language,
    labels=labels,
    opens_card=found["counterparty_id"],
)
release_section(found=found, as_of=filters.as_of, scope=ctx.scope, language=language)
