"""The client's payment history: its payments of a period, newest first, with what documents each closed
and what of it is left as an advance (as of the sidebar's date); an Excel and a CSV download. The scope is
the client's own counterparty (dashboard.services.access)."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import streamlit as st

from dashboard.formatting import count, date_pattern, day
from dashboard.services.exports import for_csv
from dashboard.ui import loaders
from dashboard.ui.auth import audited, page_user
from dashboard.ui.context import page_context
from dashboard.ui.deferred import download_button
from dashboard.ui.tables import show_table
from domain.money import money

ctx = page_context()
t, language, as_of = ctx.t, ctx.language, ctx.filters.as_of
user = page_user()
if not user.is_client:  # the router lists it for a client only; a direct run by anyone else shows nothing
    st.info(t("client.only"), icon=":material/lock:")
    st.stop()
scope = ctx.scope_without("currency")  # every currency the client pays in

counterparties = loaders.filter_options(scope=ctx.user_scope)["counterparties"]
if counterparties.height == 0:
    st.title(t("client.payments.page"))
    st.info(t("client.no_account", counterparty=user.counterparty or "—"), icon=":material/info:")
    st.stop()
st.title(t("client.payments.title", name=counterparties["name"][0]))

# The period follows the as-of date (a year up to it) until the client picks its own.
if st.session_state.get("client_payments_as_of") != as_of:
    st.session_state["client_payments_as_of"] = as_of
    st.session_state["client_payments_from"] = as_of - timedelta(days=365)
    st.session_state["client_payments_to"] = as_of
period_from, period_to, _ = st.columns([1, 1, 2])
picker = date_pattern(language)
date_from: date = period_from.date_input(t("client.payments.from"), key="client_payments_from", format=picker)
date_to: date = period_to.date_input(t("client.payments.to"), key="client_payments_to", format=picker)
if date_from > date_to:
    st.warning(t("client.payments.bad_period"))
    st.stop()

payments = loaders.client_payments(date_from=date_from, date_to=date_to, as_of=as_of, scope=scope)
if payments.height == 0:
    st.info(
        t("client.payments.none", date_from=day(date_from, language), date_to=day(date_to, language)),
        icon=":material/info:",
    )
    st.stop()
closures = loaders.client_payment_closures(date_from=date_from, date_to=date_to, as_of=as_of, scope=scope)
currency_of = dict(zip(payments["doc_pk"].to_list(), payments["currency"].to_list(), strict=True))
closed_text: dict[int, list[str]] = {}
for payment_pk, kind, document_id, number, doc_date, amount in closures.iter_rows():
    document = t(
        "client.closed.document",
        kind=t(f"client.kind.{kind}"),
        number=number or document_id,
        date=day(doc_date, language),
    )
    item = t("client.closed.item", document=document, amount=money(amount, language, currency_of[payment_pk]))
    closed_text.setdefault(payment_pk, []).append(item)

for currency, part in payments.group_by("currency", maintain_order=True):
    total = money(int(part["amount"].sum()), language, str(currency[0]))
    st.markdown(t("client.payments.total", count=count(part.height, language), amount=total))
st.caption(t("client.payments.caption", date=day(as_of, language)))

table = payments.select(
    "doc_date",
    pl.when(pl.col("number") == "").then(pl.col("document_id")).otherwise(pl.col("number")).alias("number"),
    "currency",
    "amount",
    pl.col("contract_number").fill_null(pl.lit(t("client.payments.whole"))),
    "closed",
    pl.col("advance").alias("payment_advance"),
    # Last: the longest column, which would push the others off the screen.
    pl.Series("closed_documents", ["; ".join(closed_text.get(pk, [])) for pk in payments["doc_pk"]], pl.String),
)
money_columns = ("amount", "closed", "payment_advance")
labels = {c: t(f"client.col.{c}") for c in table.columns}
show_table(
    table,
    money=money_columns,
    key="client_payments",
    file_name=f"payments_{date_from:%Y%m%d}_{date_to:%Y%m%d}.xlsx",
    language=language,
    labels=labels,
)


def payments_csv() -> bytes:
    """The same table as CSV, the on-screen headers, money as 1234.56 (with a byte order mark for Excel)."""
    return for_csv(table, money_columns).rename(labels).write_csv(date_format="%Y-%m-%d").encode("utf-8-sig")


stem = f"payments_{date_from:%Y%m%d}_{date_to:%Y%m%d}.csv"
download_button(
    st,
    t("client.download.csv"),
    data=audited(payments_csv, stem),
    file_name=stem,
    mime="text/csv",
    key="client_payments_csv",
    on_click="ignore",
    icon=":material/download:",
)
