"""Worklist («Кому звонить»): the credit controller's start page. Who to contact today, most urgent first
(queries.worklist: broken promises, then the score of queries.priority), why each one is there, the last
contact and the next step; a click on a row opens the counterparty's card, and «Записать» beside it logs
a call (or a promise, a dispute) in a dialog without leaving the list."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.formatting import count, day
from dashboard.services import settings
from dashboard.ui import loaders
from dashboard.ui.auth import current_user
from dashboard.ui.context import page_context
from dashboard.ui.db import app_config
from dashboard.ui.tables import RowAction, show_table
from dashboard.ui.timeline import contact_form
from domain.money import money
from queries.worklist import NEXT_STEPS, REASONS

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters

st.title(t("worklist.page"))
status = loaders.warehouse_status()
if status.documents == 0:
    st.info(t("status.empty"))
    st.stop()

found = loaders.worklist(
    as_of=filters.as_of,
    scope=ctx.scope,
    rules=settings.exception_rules(app_config()),
    stop_rules=settings.stop_rules(app_config()),
)
if found.height == 0:
    st.success(t("worklist.all_clear"))
    st.stop()

broken = found.filter(pl.col("missing") > 0).height
st.caption(
    t(
        "worklist.summary",
        day=day(filters.as_of, language),
        count=count(found.height, language),
        broken=count(broken, language),
    )
)
st.caption(t("worklist.about"))

reasons = {code: t(f"worklist.reason.{code}") for code in REASONS}
steps = {code: t(f"worklist.step.{code}") for code in NEXT_STEPS}
# Who and how much first (the figures a controller reads before anything else), then what to do and why.
columns = ["rank", "counterparty_name", "overdue", "max_days_overdue", *(["missing"] if broken else [])]
columns += ["next_step", "last_contact", "reason"]
table = found.with_columns(
    pl.col("reason")
    .str.split(",")
    .list.eval(pl.element().replace_strict(reasons, default=pl.element()))
    .list.join(", "),
    pl.col("next_step").replace_strict(steps, default=pl.col("next_step")),
    pl.when(pl.col("missing") > 0).then(pl.col("missing")).alias("missing"),  # empty, not 0,00, without a promise
).select(*columns, "currency")
labels = {
    "rank": t("worklist.col.rank"),
    "counterparty_name": t("col.counterparty_name"),
    "reason": t("worklist.col.reason"),
    "next_step": t("worklist.col.next_step"),
    "overdue": t("col.overdue"),
    "max_days_overdue": t("col.max_days_overdue"),
    "last_contact": t("worklist.col.last_contact"),
    "missing": t("worklist.col.missing"),
    "currency": t("col.currency"),
}
LOGGING = "worklist_log_for"  # the row whose «Записать» was clicked: its dialog opens on this run


@st.dialog(t("worklist.log.title"), width="large")
def log_contact(row: dict[str, object]) -> None:
    """The card's note form for one row of the list; saving reruns the page, which closes the dialog."""
    counterparty_id = str(row["counterparty_id"])
    overdue = money(int(str(row["overdue"] or 0)), language, str(row["currency"]))
    st.caption(t("worklist.log.who", name=row["counterparty_name"], overdue=overdue))
    documents = loaders.open_documents(
        as_of=filters.as_of,
        scope=ctx.scope.narrowed(counterparty_ids=(counterparty_id,)),
        counterparty_id=counterparty_id,
        include_advances=True,
        buckets=ctx.buckets,
    )
    contact_form(counterparty_id=counterparty_id, as_of=filters.as_of, documents=documents, language=language)


def remember(position: int) -> None:
    st.session_state[LOGGING] = found.row(position, named=True)


user = current_user()
writer = user is not None and user.may_note  # a manager too, on their own clients (the list holds only those)
show_table(
    table,
    money=("overdue", "missing"),
    key="worklist",
    file_name=f"worklist_{filters.as_of.isoformat()}.xlsx",
    language=language,
    labels=labels,
    opens_card=found["counterparty_id"],
    action=RowAction(t("worklist.log"), t("worklist.log.button"), remember) if writer else None,
)
chosen = st.session_state.pop(LOGGING, None)
if chosen is not None:
    log_contact(chosen)
