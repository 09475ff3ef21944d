"""The client's debts (the `client` role's start page): totals with the next payment due, its debts by
contract and its unpaid documents, in every currency it deals in. Nothing of other clients, managers,
notes or our internal rules: the scope is the client's own counterparty (dashboard.services.access)."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from dashboard.formatting import day
from dashboard.ui import loaders
from dashboard.ui.auth import page_user
from dashboard.ui.context import page_context
from dashboard.ui.tables import show_table
from domain.money import money, money_short

ctx = page_context()
t, language, as_of = ctx.t, ctx.language, ctx.filters.as_of
user = page_user()
if not user.is_client:  # the router lists it for a client only; a direct run by anyone else shows nothing
    st.info(t("client.only"), icon=":material/lock:")
    st.stop()
scope = ctx.scope_without("currency")  # every currency of the account, each on its own

counterparties = loaders.filter_options(scope=ctx.user_scope)["counterparties"]
if counterparties.height == 0:  # a client our records do not know (yet): an empty account, said plainly
    st.title(t("client.account.page"))
    st.info(t("client.no_account", counterparty=user.counterparty or "—"), icon=":material/info:")
    st.stop()
name = counterparties["name"][0]
st.title(t("client.account.title", name=name, date=day(as_of, language)))

totals = loaders.client_totals(as_of=as_of, scope=scope)
if totals.height == 0:
    st.success(t("client.account.settled", date=day(as_of, language)), icon=":material/check_circle:")
QUIET: dict[str, Any] = {"delta_color": "off", "delta_arrow": "off"}  # a chip of plain text, no arrow
for row in totals.iter_rows(named=True):
    currency = row["currency"]
    if totals.height > 1:
        st.subheader(t("client.account.currency", currency=currency), anchor=False)
    # A tile's big figure is rounded (millions would be cut off on a narrow screen); the exact amount is
    # beneath it, as the calendar's tiles do.
    tiles = st.columns(5)
    for tile, key, kopecks in zip(
        tiles,
        ("owed", "overdue", "not_due", "advance"),
        (row["open_debits"], row["overdue"], row["not_due"], row["advance"]),
        strict=False,
    ):
        exact = money(kopecks, language, currency)
        tile.metric(t(f"client.tile.{key}"), money_short(kopecks, language, currency), delta=exact, **QUIET)
    if row["next_due_date"] is None:
        tiles[4].metric(t("client.tile.next"), t("client.tile.next_none"))
    else:  # the day is the figure, what is due that day beneath it
        tiles[4].metric(
            t("client.tile.next"),
            day(row["next_due_date"], language),
            delta=money(row["next_due_amount"], language, currency),
            **QUIET,
        )
    st.caption(t("client.tile.balance", amount=money(row["balance"], language, currency)))

by_contract = loaders.client_account(as_of=as_of, scope=scope)
if by_contract.height:
    st.subheader(t("client.account.by_contract"), anchor=False)
    table = by_contract.select(
        pl.col("contract_number").fill_null(pl.lit(t("client.account.whole"))),
        "contract_date",
        "currency",
        "open_debits",
        "overdue",
        "not_due",
        "advance",
        "balance",
    )
    show_table(
        table,
        money=("open_debits", "overdue", "not_due", "advance", "balance"),
        key="client_contracts",
        file_name=f"debts_by_contract_{as_of.isoformat()}.xlsx",
        language=language,
        labels={c: t(f"client.col.{c}") for c in table.columns},
    )

st.subheader(t("client.account.documents"), anchor=False)
documents = loaders.open_documents(as_of=as_of, scope=scope)
if documents.height == 0:
    st.info(t("client.account.no_documents"))
    st.stop()
kinds = {kind: t(f"client.kind.{kind}") for kind in ("shipment", "adjustment", "opening")}
table = documents.select(
    "doc_date",
    pl.col("kind").replace_strict(kinds, default=pl.col("kind")),
    pl.when(pl.col("number") == "").then(pl.col("document_id")).otherwise(pl.col("number")).alias("number"),
    "contract_number",
    "currency",
    "amount",
    "open_amount",
    "due_date",
    # Days past the due date; a document not yet due has none.
    pl.when(pl.col("days_overdue") > 0).then(pl.col("days_overdue")).alias("days_overdue"),
)
show_table(
    table.sort(["due_date", "doc_date", "number"]),
    money=("amount", "open_amount"),
    key="client_documents",
    file_name=f"unpaid_documents_{as_of.isoformat()}.xlsx",
    language=language,
    labels={c: t(f"client.col.{c}") for c in table.columns},
)
