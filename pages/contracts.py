"""Receivables by contract: one row per contract with its limit usage; a row opens its documents, a
document the payments matched against it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import polars as pl
import streamlit as st

from dashboard.formatting import percent
from dashboard.i18n import bucket_label
from dashboard.services import settings
from dashboard.services.exports import xlsx_bytes
from dashboard.ui import loaders
from dashboard.ui.auth import audited
from dashboard.ui.context import page_context
from dashboard.ui.db import app_config
from dashboard.ui.deferred import download_button
from dashboard.ui.tables import EMPTY, XLSX_MIME, column_config, open_card, show_table, styled
from domain.limits import near_limit, near_limit_expr, over_limit, over_limit_expr
from domain.money import money_short

if TYPE_CHECKING:  # what st.column_config's column makers return; Streamlit exports no public name for it
    from streamlit.elements.lib.column_types import ColumnConfig

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters
currency = filters.currency
edges = ctx.buckets  # the config's [aging] edges


def selectable_table(
    frame: pl.DataFrame,
    *,
    money: Sequence[str],
    key: str,
    file_name: str,
    labels: dict[str, str],
    extra_config: dict[str, ColumnConfig] | None = None,
    export: pl.DataFrame | None = None,
) -> int | None:
    """show_table with single-row selection: exact money, an Excel download; the selected row's position."""
    config = column_config(frame, money, labels, language) | (extra_config or {})
    event = st.dataframe(
        styled(frame, money, language),
        column_config=config,
        hide_index=True,
        width="stretch",
        key=key,
        on_select="rerun",
        selection_mode="single-row",
        placeholder=EMPTY,
    )
    snapshot = frame if export is None else export
    download_button(
        st,
        t("download.xlsx"),
        data=audited(lambda: xlsx_bytes(snapshot, money=money, sheet=key[:31]), file_name),
        file_name=file_name,
        mime=XLSX_MIME,
        key=f"{key}_download",
        on_click="ignore",
        icon=":material/download:",
    )
    rows = event.selection.rows if event is not None else []
    return rows[0] if rows and rows[0] < frame.height else None


def _digest(*parts: object) -> str:
    """A short key suffix: a table whose rows change gets a fresh selection, not a stale row number."""
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:10]


st.title(t("contracts.page"))
status = loaders.warehouse_status()
if status.documents == 0:
    st.info(t("status.empty"))
    st.stop()

contracts = loaders.receivables_by_contract(as_of=filters.as_of, scope=ctx.scope, buckets=edges)
# Most overdue first, then the largest balance: the order a credit controller reads the list in.
contracts = contracts.sort(
    ["overdue", "balance", "counterparty_name", "contract_number"],
    descending=[True, True, False, False],
    nulls_last=True,
)
if contracts.height == 0:
    st.info(t("contracts.nothing"))
    st.stop()

# "Near the limit" as the exceptions list says it (domain.limits): exactly, not on the rounded usage shown.
near_percent = settings.exception_rules(app_config()).credit_limit_near_percent
over = over_limit_expr(pl.col("balance"), pl.col("credit_limit"))
near = near_limit_expr(pl.col("balance"), pl.col("credit_limit"), near_percent)

tiles = st.columns(4)
tiles[0].metric(t("contracts.tile.contracts"), f"{contracts.filter(pl.col('contract_id').is_not_null()).height}")
tiles[1].metric(t("col.balance"), money_short(int(contracts["balance"].sum()), language, currency))
tiles[2].metric(t("col.overdue"), money_short(int(contracts["overdue"].sum()), language, currency))
tiles[3].metric(t("contracts.tile.over_limit"), f"{contracts.filter(over).height}")

left, right = st.columns([2, 1])
search = left.text_input(
    t("contracts.search"),
    key="contracts_search",
    placeholder=t("contracts.search_placeholder"),
    help=t("contracts.search_help"),
).strip()
show = (
    right.segmented_control(
        t("contracts.show"),
        ["all", "overdue", "limit"],
        default="all",
        key="contracts_show",
        format_func=lambda v: t(f"contracts.show.{v}"),
    )
    or "all"
)

visible = contracts
if search:
    needle = search.lower()
    visible = visible.filter(
        pl.col("counterparty_name").str.to_lowercase().str.contains(needle, literal=True)
        | pl.col("counterparty_id").str.to_lowercase().str.contains(needle, literal=True)
        | pl.col("contract_number").fill_null("").str.to_lowercase().str.contains(needle, literal=True)
    )
if show == "overdue":
    visible = visible.filter(pl.col("overdue") > 0)
elif show == "limit":
    visible = visible.filter(over | near)
if visible.height == 0:
    st.info(t("contracts.no_match"))
    st.stop()


def _flag(balance: int, credit_limit: int | None, usage: Decimal | None) -> str:
    if over_limit(balance, credit_limit):
        return (
            t("contracts.flag.exceeded_zero")
            if credit_limit == 0
            else t("contracts.flag.exceeded", pct=percent(usage, language))
        )
    if near_limit(balance, credit_limit, near_percent):
        return t("contracts.flag.near", pct=percent(usage, language))
    return ""


buckets = edges.names
money = ("credit_limit", "headroom", "balance", "advance", "not_due", "overdue", *buckets, "nearest_due_amount")
table = visible.with_columns(
    pl.col("contract_number").fill_null(f"({t('contracts.no_contract')})"),
    # The bar is a picture of the share (a float is fine there): over 100 % it is full and the flag says by how
    # much; an advance larger than the debts (a negative balance) leaves it empty.
    pl.col("usage_pct").cast(pl.Float64).clip(0, 100).alias("limit_bar"),
    pl.Series(
        "limit_flag",
        [
            _flag(b, lim, u)
            for b, lim, u in zip(visible["balance"], visible["credit_limit"], visible["usage_pct"], strict=True)
        ],
        dtype=pl.String,
    ),
)
shown = table.select(
    "counterparty_name",
    "contract_number",
    "manager",
    "credit_limit",
    "limit_bar",
    "limit_flag",
    "headroom",
    "balance",
    "not_due",
    "overdue",
    *buckets,
    "max_days_overdue",
    "advance",
    "open_documents",
    "nearest_due_date",
    "nearest_due_amount",
    "terms_days",
)
labels = (
    {c: t(f"col.{c}") for c in ("counterparty_name", "contract_number", "manager", "credit_limit", "balance")}
    | {c: t(f"col.{c}") for c in ("not_due", "overdue", "max_days_overdue", "advance")}
    | {c: t(f"contracts.col.{c}") for c in ("limit_bar", "limit_flag", "headroom", "terms_days", "open_documents")}
    | {c: t(f"contracts.col.{c}") for c in ("nearest_due_date", "nearest_due_amount")}
    | {n: bucket_label(n, language) for n in buckets}
)
export = table.select(
    "counterparty_id",
    "counterparty_name",
    "contract_id",
    "contract_number",
    "manager",
    "group",
    "currency",
    "terms_days",
    "terms_basis",
    "credit_limit",
    "usage_pct",
    "headroom",
    "balance",
    "advance",
    "not_due",
    "overdue",
    *buckets,
    "max_days_overdue",
    "open_documents",
    "nearest_due_date",
    "nearest_due_amount",
    "oldest_overdue_document",
    "oldest_overdue_days",
)
st.caption(t("contracts.hint"))
selected = selectable_table(
    shown,
    money=money,
    key=f"contracts_table_{_digest(filters, search, show)}",
    file_name=f"contracts_{filters.as_of.isoformat()}.xlsx",
    labels=labels,
    extra_config={
        "limit_bar": st.column_config.ProgressColumn(
            labels["limit_bar"], min_value=0, max_value=100, format="%.0f%%", width=140
        ),
        "limit_flag": st.column_config.TextColumn(labels["limit_flag"], width="medium"),
    },
    export=export,
)
if selected is None and table.height == 1:
    selected = 0  # one contract found: its documents need no extra click
if selected is None:
    st.stop()

row = table.row(selected, named=True)
counterparty_id, contract_id = row["counterparty_id"], row["contract_id"]
st.divider()
head, action = st.columns([3, 1], vertical_alignment="bottom")
head.subheader(t("contracts.documents", contract=f"{row['contract_number']} · {row['counterparty_name']}"))
# A row here opens the contract's documents; its counterparty's card is this button, in this tab as a row of
# the other tables of counterparties opens it (dashboard.ui.tables.open_card).
if action.button(t("contracts.open_card"), key="contracts_card", icon=":material/badge:", width="stretch"):
    open_card(counterparty_id)

documents = loaders.open_documents(
    as_of=filters.as_of,
    scope=ctx.scope,
    counterparty_id=counterparty_id,
    contract_id=contract_id,
    include_advances=True,
    buckets=edges,
)
if contract_id is None:  # the counterparty's advance without a contract: only its own credits
    documents = documents.filter(pl.col("contract_id").is_null())
if documents.height == 0:
    st.info(t("contracts.no_documents"))
    st.stop()

doc_money = ("amount", "open_amount")
doc_table = documents.with_columns(
    pl.col("kind").replace_strict({k: t(f"contracts.kind.{k}") for k in documents["kind"].unique()}),
    pl.col("bucket").replace_strict({b: bucket_label(b, language) for b in buckets}, default=None),
)
doc_shown = doc_table.select(
    "kind", "number", "doc_date", "due_date", "amount", "open_amount", "days_overdue", "bucket", "document_id"
)
st.caption(t("contracts.documents_hint"))
chosen = selectable_table(
    doc_shown,
    money=doc_money,
    key=f"contracts_docs_{_digest(filters, counterparty_id, contract_id)}",
    file_name=f"open_documents_{row['contract_number']}_{filters.as_of.isoformat()}.xlsx".replace("/", "-"),
    labels={c: t(f"contracts.doc.{c}") for c in doc_shown.columns},
    export=documents.drop("doc_pk"),
)
if chosen is None and documents.height == 1:
    chosen = 0
if chosen is None:
    st.stop()

document = documents.row(chosen, named=True)
matches = loaders.document_matches(as_of=filters.as_of, doc_pk=document["doc_pk"], scope=ctx.scope)
kind_label = t(f"contracts.kind.{document['kind']}")
reference = document["number"] or document["document_id"]
st.subheader(t("contracts.matches", document=f"{kind_label} {reference}"))
if matches.height == 0:
    st.info(t("contracts.no_matches"))
    st.stop()
match_table = matches.with_columns(
    pl.col("kind").replace_strict({k: t(f"contracts.kind.{k}") for k in matches["kind"].unique()}),
).select("match_date", "kind", "number", "doc_date", "contract_number", "amount", "document_id")
show_table(
    match_table,
    money=("amount",),
    key="contracts_matches",
    file_name=f"matches_{document['document_id']}_{filters.as_of.isoformat()}.xlsx",
    language=language,
    labels={c: t(f"contracts.doc.{c}") for c in match_table.columns}
    | {"amount": t("contracts.doc.matched"), "contract_number": t("col.contract_number")},
)
