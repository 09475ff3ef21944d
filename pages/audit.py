"""Audit log: who loaded, exported, sent reminders, wrote or resolved notes, or changed settings, and when (the
CFO's page)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import streamlit as st

from dashboard.formatting import date_pattern
from dashboard.services.access import ROLES
from dashboard.ui import loaders
from dashboard.ui.auth import page_user, require
from dashboard.ui.context import page_context
from dashboard.ui.tables import show_table

ACTIONS = (
    "load",
    "export",
    "reminders_sent",
    "note",
    "note_resolved",
    "stop_release",
    "stop_release_ended",
    "their_act",
    "settings",
)

ctx = page_context()
t, language = ctx.t, ctx.language
user = page_user()
require(user.may_audit, language)

st.title(t("audit.title"))
st.caption(t("audit.caption"))

today = date.today()
period, action_box, user_box = st.columns([2, 1, 1])
chosen = period.date_input(
    t("audit.period"), value=(today - timedelta(days=30), today), format=date_pattern(language), key="audit_period"
)
date_from, date_to = (chosen[0], chosen[-1]) if isinstance(chosen, tuple) and chosen else (today, today)
action = action_box.selectbox(
    t("audit.action"),
    ["", *ACTIONS],
    format_func=lambda code: t(f"audit.action.{code}") if code else t("filter.all"),
    key="audit_action",
)
log = loaders.uncached_audit_log(date_from=date_from, date_to=date_to, scope=ctx.user_scope, action=action or None)
users = sorted(set(log["user"].to_list()))
who = user_box.selectbox(t("audit.user"), ["", *users], format_func=lambda v: v or t("filter.all"), key="audit_user")
if who:
    log = log.filter(pl.col("user") == who)

if log.height == 0:
    st.info(t("audit.empty"))
    st.stop()
shown = log.with_columns(
    pl.col("action").replace_strict({code: t(f"audit.action.{code}") for code in ACTIONS}, default=pl.col("action")),
    pl.col("role").replace_strict({role: t(f"auth.role.{role}") for role in ROLES}, default=pl.col("role")),
)
show_table(
    shown,
    money=(),
    key="audit_log",
    file_name=f"audit_{date_from.isoformat()}_{date_to.isoformat()}.xlsx",
    language=language,
    labels={
        "at": t("audit.col.at"),
        "user": t("audit.col.user"),
        "role": t("audit.col.role"),
        "source": t("audit.col.source"),
        "action": t("audit.col.action"),
        "subject": t("audit.col.subject"),
        "detail": t("audit.col.detail"),
        "rows": t("audit.col.rows"),
    },
)
