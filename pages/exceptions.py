"""Exceptions: the credit controller's list for today, one tab per code in the order they are worked
through, each with its count and its own Excel download. Shipments made while overdue say which
stop-list rules ([stoplist]) they broke on their date, with a link to the stop-list page."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard.formatting import day
from dashboard.services import settings
from dashboard.services.exports import xlsx_bytes
from dashboard.services.wording import detail_column, exceptions_worded
from dashboard.ui import loaders
from dashboard.ui.auth import audited
from dashboard.ui.context import page_context
from dashboard.ui.db import app_config
from dashboard.ui.deferred import download_button
from dashboard.ui.tables import XLSX_MIME, show_table
from domain.money import money
from queries.exceptions import SEVERITIES
from queries.priority import priorities
from queries.stoplist import REASONS

# What a credit controller works through first: money already late, promises broken, shipments that should
# not have left, limits broken, customers gone quiet; then today's calls, the warnings, the disputes waiting
# to be settled, and the bookkeeping.
CODES = (
    "overdue",
    "broken_promise",
    "shipped_while_overdue",
    "credit_limit_exceeded",
    "no_payment_recently",
    "due_today",
    "credit_limit_near",
    "disputed",
    "due_before_date",
    "unidentified_payment",
    "advance",
    "rejected_row",
)
WITH_DAYS = {
    "overdue",
    "broken_promise",
    "disputed",
    "shipped_while_overdue",
    "no_payment_recently",
    "unidentified_payment",
    "advance",
    "due_before_date",
}

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters


def count_text(count: int) -> str:
    """3025 -> «3 025» (ru, a no-break space) or «3,025» (en)."""
    return f"{count:,}".replace(",", "\u00a0") if language == "ru" else f"{count:,}"


st.title(t("exceptions.page"))
status = loaders.warehouse_status()
if status.documents == 0 and status.rejects == 0:
    st.info(t("status.empty"))
    st.stop()

rules = settings.exception_rules(app_config())
stop_rules = settings.stop_rules(app_config())
# The list's parameters, and what its answer follows: the warehouse version and the notes' stamp (as the loader).
asked: dict[str, Any] = {
    "as_of": filters.as_of,
    "scope": ctx.scope,
    "rules": rules,
    "stop_rules": stop_rules,
    "language": language,
}
version, stamp = loaders.current_version(), loaders.reminder_stamp()


# A rerun (every click) takes out of the cache only what it draws: the counts, the clients ranked and the open
# tab's rows, not the whole list (81,074 rows at 1M, whose copy out of the cache took 180 ms of every rerun).
@st.cache_data(show_spinner=False, max_entries=16)
def overview(version: int, stamp: tuple[object, ...], **asked: Any) -> tuple[dict[str, int], int, pl.DataFrame]:
    """The count per code, the count of high severity, and who to call first (queries.priority)."""
    found = loaders.exceptions_in_language(**asked)
    high = found.filter(pl.col("severity") == "high").height
    return dict(found.group_by("code").len().iter_rows()), high, priorities(found)


@st.cache_data(show_spinner=False, max_entries=32)
def rows_of(code: str, version: int, stamp: tuple[object, ...], **asked: Any) -> pl.DataFrame:
    """One code's rows (one tab's)."""
    return loaders.exceptions_in_language(**asked).filter(pl.col("code") == code)


counts, high, ranked = overview(version, stamp, **asked)
if not counts:
    st.success(t("exceptions.all_clear"))
    st.stop()

known = loaders.filter_options(scope=ctx.scope)["contracts"]
numbers = {c: n for c, n in zip(known["contract_id"].to_list(), known["number"].to_list(), strict=True) if n}
summary, download = st.columns([3, 1], vertical_alignment="center")
summary.caption(
    t(
        "exceptions.summary",
        day=day(filters.as_of, language),
        total=count_text(sum(counts.values())),
        high=count_text(high),
    )
)
download_button(
    download,
    t("exceptions.download_all"),
    data=audited(
        # Different exceptions' amounts do not add up (a debt and the shipment made against it): no totals row.
        lambda: xlsx_bytes(
            exceptions_worded(loaders.exceptions_in_language(**asked)),
            money=("amount",),
            sheet="exceptions",
            totals=False,
        ),
        f"exceptions_{filters.as_of.isoformat()}.xlsx",
    ),
    file_name=f"exceptions_{filters.as_of.isoformat()}.xlsx",
    mime=XLSX_MIME,
    key="exceptions_all_download",
    on_click="ignore",
    icon=":material/download:",
    width="stretch",
)

about_values = {
    "shipped_while_overdue": {"lookback": rules.lookback_days},
    "no_payment_recently": {"days": rules.no_payment_days},
    "credit_limit_near": {"pct": rules.credit_limit_near_percent},
}
detail = detail_column(language)
reason_names = {code: t(f"stoplist.reason.{code}") for code in REASONS}


def stoplist_note() -> None:
    """What the stop-list column means under the configured rules, and the way to the stop-list page."""
    in_force = [t("stoplist.rule.overdue_days", days=stop_rules.overdue_days)]
    if stop_rules.overdue_amount > 0:
        amount = money(stop_rules.overdue_amount, language, filters.currency)
        in_force.append(t("stoplist.rule.overdue_amount", amount=amount))
    if stop_rules.credit_limit:
        in_force.append(t("exceptions.stop_rule.credit_limit"))
    st.caption(t("exceptions.stop_rules_note", rules=t("stoplist.rules.or").join(in_force)))
    # Outside the router (a test runs the page alone) there is no page to link to: the caption names it.
    with suppress(StreamlitAPIException):
        st.page_link(Path(__file__).with_name("stoplist.py"), label=t("stoplist.page"), icon=":material/block:")


# -- who to call first: the list grouped per counterparty and ranked (queries.priority) --------------
if ranked.height:
    st.subheader(t("exceptions.call_first", count=count_text(ranked.height)), anchor=False)
    st.caption(t("exceptions.call_first_about"))
    priority_columns = ["rank", "priority", "counterparty_name", "score", "overdue", "max_days_overdue"]
    counted = [f"n_{code}" for code in ("overdue", "shipped_while_overdue", "credit_limit_exceeded", "due_before_date")]
    show_table(
        ranked.select(*priority_columns, *counted, "currency").with_columns(
            pl.col("priority").replace_strict({p: t(f"exceptions.severity.{p}") for p in SEVERITIES})
        ),
        money=("score", "overdue"),
        key="exceptions_priority",
        file_name=f"exceptions_by_counterparty_{filters.as_of.isoformat()}.xlsx",
        language=language,
        labels={c: t(f"exceptions.priority.{c}") for c in (*priority_columns, *counted, "currency")},
        opens_card=ranked["counterparty_id"],
        height=300,
    )

# Only the open tab is drawn (its table styled): drawing all nine cost half a second a rerun at 1M documents.
tabs = st.tabs(
    [f"{t(f'exceptions.tab.{code}')} ({count_text(counts.get(code, 0))})" for code in CODES],
    key="exceptions_tab",
    on_change="rerun",
)
for code, tab in zip(CODES, tabs, strict=True):
    if not tab.open:
        continue
    with tab:
        st.caption(t(f"exceptions.about.{code}", **about_values.get(code, {})))
        if code == "shipped_while_overdue":
            stoplist_note()
        rows = rows_of(code, version, stamp, **asked)
        if rows.height == 0:
            st.info(t("exceptions.none_here"))
            continue
        columns = ["counterparty_name", detail, "amount", "days", "contract_number", "document_id"]
        if code == "shipped_while_overdue":  # which stop-list rules the shipment broke on its date
            columns.insert(2, "stop_rules")
        if code == "overdue":  # the only code whose severity varies (by days and amount)
            columns.insert(0, "severity")
        if code not in WITH_DAYS:
            columns.remove("days")
        if code == "rejected_row":
            columns.remove("amount")
        table = rows.with_columns(
            pl.col("severity").replace_strict({s: t(f"exceptions.severity.{s}") for s in ("high", "medium", "low")}),
            # The number people know the contract by; its code when the export carried no number.
            pl.col("contract_id").replace_strict(numbers, default=pl.col("contract_id")).alias("contract_number"),
            # «срок просрочки, кредитный лимит»; a dash when the stop-list allowed the shipment.
            pl.when(pl.col("stop_rules") == "")
            .then(pl.lit("—"))
            .otherwise(
                pl.col("stop_rules")
                .str.split(",")
                .list.eval(pl.element().replace_strict(reason_names, default=pl.element()))
                .list.join(", ")
            )
            .alias("stop_rules"),
        ).select(columns)
        # Columns no row of this code fills (a counterparty for a rejected row, a contract for a quiet customer).
        table = table.select([c for c in table.columns if table[c].null_count() < table.height])
        labels = {
            "severity": t("exceptions.col.severity"),
            "counterparty_name": t("exceptions.col.counterparty_name"),
            detail: t("exceptions.col.detail"),
            "stop_rules": t("exceptions.col.stop_rules"),
            "amount": t(f"exceptions.amount.{code}"),
            "days": t(f"exceptions.days.{code}"),
            "contract_number": t("col.contract_number"),
            "document_id": t("exceptions.col.document_id"),
        }
        show_table(
            table,
            money=("amount",),
            key=f"exceptions_{code}",
            file_name=f"exceptions_{code}_{filters.as_of.isoformat()}.xlsx",
            language=language,
            labels=labels,
        )
