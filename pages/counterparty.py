"""Counterparty card: who they are, their contracts and limits, how they pay, what moved in a year, what
is open, the contacts with them and what they promised or dispute (dashboard/ui/timeline.py), whether they
are on the stop-list and whether a new shipment today would break a limit (the stop-list's credit_limit rule
when it is on); links to the act, the stop-list and an Excel statement."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard.formatting import day, percent
from dashboard.i18n import bucket_label
from dashboard.services import settings
from dashboard.services.acts import statement_xlsx
from dashboard.services.counterparty_behaviour import contracts_with_balances, payment_behaviour, shipment_check
from dashboard.services.wording import stoplist_details
from dashboard.ui import loaders
from dashboard.ui.auth import audited
from dashboard.ui.charts_counterparty import timeline
from dashboard.ui.context import page_context
from dashboard.ui.db import app_config
from dashboard.ui.deferred import download_button
from dashboard.ui.reconcile import their_act_line
from dashboard.ui.releases import released_sentence
from dashboard.ui.tables import XLSX_MIME, show_table
from dashboard.ui.timeline import notes_section
from domain.errors import InvalidValue
from domain.money import money, money_short, parse_money

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters
currency = filters.currency


def _follow_in_sidebar() -> None:
    """The card's choice becomes the sidebar's, so the link and the other pages follow it."""
    st.session_state["filter_counterparty"] = st.session_state.get("counterparty_pick") or ""
    st.session_state["filter_contract"] = ""


def _year_before(as_of: date) -> date:
    """The first day of the 12 months ending on as_of (29.02 falls back to 28.02)."""
    try:
        start = as_of.replace(year=as_of.year - 1)
    except ValueError:
        start = as_of.replace(year=as_of.year - 1, day=28)
    return start + timedelta(days=1)


def _days(value: object) -> str:
    return "—" if value is None else f"{value}".replace(".", ",") if language == "ru" else f"{value}"


heading = st.empty()  # the counterparty's name once known, the page's title until then
heading.title(t("counterparty.page"))
status = loaders.warehouse_status()
if status.documents == 0:
    st.info(t("status.empty"))
    st.stop()

counterparty_id = filters.counterparty_id
if not counterparty_id:
    choices = loaders.filter_options(scope=ctx.scope)["counterparties"]
    names = dict(zip(choices["counterparty_id"].to_list(), choices["name"].to_list(), strict=True))
    picked = st.selectbox(
        t("counterparty.choose"),
        list(names),
        index=None,
        placeholder=t("counterparty.choose_placeholder"),
        format_func=lambda v: f"{names[v]} ({v})",
        key="counterparty_pick",
        on_change=_follow_in_sidebar,
    )
    if picked is None:
        st.info(t("counterparty.choose_hint"))
        st.stop()
    counterparty_id = picked

scope = ctx.scope.narrowed(counterparty_ids=(counterparty_id,))
profile = loaders.counterparty_profile(counterparty_id=counterparty_id, scope=scope)
if profile.height == 0:
    st.warning(t("counterparty.not_found"))
    st.stop()

# -- who ------------------------------------------------------------------------------------------
who = profile.row(0, named=True)
heading.title(who["name"])
facts = [f"{t('counterparty.page')} · {counterparty_id}"]
facts += [f"{t(f'counterparty.{k}')} {who[k]}" for k in ("inn", "kpp") if who[k]]
facts += [f"{t(f'counterparty.{k}')}: {who[k]}" for k in ("manager", "group", "email") if who[k]]
st.caption(" · ".join(facts))

# -- money now ------------------------------------------------------------------------------------
as_of = filters.as_of
edges = ctx.buckets  # the config's [aging] edges
receivables = loaders.receivables_by_contract(as_of=as_of, scope=scope, buckets=edges)  # the currency's rows
details = loaders.contract_details(scope=scope)
contracts = contracts_with_balances(details, receivables)
totals = {c: int(receivables[c].sum()) for c in ("balance", "overdue", "not_due", "advance")}
longest = receivables["max_days_overdue"].max()  # None without rows
max_days = longest if isinstance(longest, int) else 0

tiles = st.columns(5)
tiles[0].metric(t("counterparty.tile.balance"), money_short(totals["balance"], language, currency))
tiles[1].metric(t("counterparty.tile.overdue"), money_short(totals["overdue"], language, currency))
tiles[2].metric(t("counterparty.tile.not_due"), money_short(totals["not_due"], language, currency))
tiles[3].metric(t("counterparty.tile.advance"), money_short(totals["advance"], language, currency))
tiles[4].metric(t("counterparty.tile.max_days"), f"{max_days}")

# -- how they pay ---------------------------------------------------------------------------------
year_start = _year_before(as_of)
settled = loaders.settled_shipments(date_from=year_start, as_of=as_of, scope=scope)
behaviour = payment_behaviour(settled, loaders.overdue_shipments(as_of=as_of, scope=scope), as_of)
st.subheader(t("counterparty.behaviour"))
if behaviour.settled == 0:
    st.caption(t("counterparty.behaviour_none"))
else:
    paying = st.columns(3)
    paying[0].metric(t("counterparty.tile.days_late"), _days(behaviour.average_days_late))
    paying[1].metric(t("counterparty.tile.on_time"), percent(behaviour.on_time_pct, language))
    paying[2].metric(t("counterparty.tile.settled"), f"{behaviour.settled}")
    st.caption(
        t(
            "counterparty.behaviour_note",
            start=day(year_start, language),
            end=day(as_of, language),
            max=behaviour.max_days_late,
            unpaid=behaviour.unpaid_late,
        )
    )

# -- contracts and limits -------------------------------------------------------------------------
st.subheader(t("counterparty.contracts"))
contract_table = contracts.with_columns(
    pl.col("contract_number").fill_null(t("counterparty.no_contract")),
    pl.Series("usage_pct", [None if u is None else percent(u, language) for u in contracts["usage_pct"]], pl.String),
    pl.col("terms_basis").replace_strict(
        {b: t(f"counterparty.basis.{b}") for b in ("calendar", "working")}, default=pl.col("terms_basis")
    ),
).drop("contract_id", "currency")
show_table(
    contract_table,
    money=("credit_limit", "headroom", "balance", "advance", "not_due", "overdue"),
    key="counterparty_contracts",
    file_name=f"contracts_{counterparty_id}_{as_of.isoformat()}.xlsx",
    language=language,
    labels={c: t(f"col.{c}") for c in ("contract_number", "credit_limit", "balance", "advance", "not_due")}
    | {c: t(f"col.{c}") for c in ("overdue", "max_days_overdue")}
    | {c: t(f"counterparty.col.{c}") for c in ("usage_pct", "headroom", "terms_days", "terms_basis", "contract_date")},
)

# -- a year of shipments and payments -------------------------------------------------------------
st.subheader(t("counterparty.timeline"))
statement = loaders.act(
    counterparty_id=counterparty_id,
    date_from=year_start,
    date_to=as_of,
    contract_id=filters.contract_id or None,
    currency=currency,
    scope=scope,
)
if statement.filter(pl.col("kind") == "document").height == 0:
    st.caption(t("counterparty.timeline_none"))
else:
    st.plotly_chart(
        timeline(
            statement, {k: t(f"counterparty.timeline.{k}") for k in ("shipments", "payments", "balance")}, language
        ),
        key="counterparty_timeline",
    )

# -- what is open ---------------------------------------------------------------------------------
st.subheader(t("counterparty.open_documents"))
documents = loaders.open_documents(
    as_of=as_of,
    scope=scope,
    counterparty_id=counterparty_id,
    include_advances=True,
    buckets=edges,
)
if documents.height == 0:
    st.caption(t("counterparty.no_open_documents"))
else:
    kinds = {k: t(f"contracts.kind.{k}") for k in documents["kind"].unique()}
    # When each debit is expected to be paid, as the cash-in forecast sees this client (pages/forecast.py).
    expected = loaders.forecast_documents(as_of=as_of, scope=scope).select("document_id", "kind", "expected_date")
    dated = documents.join(expected, on=["document_id", "kind"], how="left", maintain_order="left")
    open_table = dated.with_columns(
        pl.col("kind").replace_strict(kinds),
        pl.col("bucket").replace_strict(
            {b: bucket_label(b, language) for b in documents["bucket"].drop_nulls().unique()}, default=None
        ),
    ).select(
        "kind",
        "number",
        "contract_number",
        "doc_date",
        "due_date",
        "expected_date",
        "amount",
        "open_amount",
        "days_overdue",
        "bucket",
        "document_id",
    )
    show_table(
        open_table,
        money=("amount", "open_amount"),
        key="counterparty_documents",
        file_name=f"open_documents_{counterparty_id}_{as_of.isoformat()}.xlsx",
        language=language,
        labels={c: t(f"contracts.doc.{c}") for c in open_table.columns if c not in ("contract_number", "expected_date")}
        | {"contract_number": t("col.contract_number"), "expected_date": t("forecast.col.expected_date")},
    )

# -- contacts and commitments (dashboard/ui/timeline.py) ------------------------------------------
notes_section(
    counterparty_id=counterparty_id,
    as_of=as_of,
    scope=ctx.scope_without("contract", "currency"),
    documents=documents,
    language=language,
)

# -- what if we ship today ------------------------------------------------------------------------
st.subheader(t("counterparty.what_if"))
# The stop-list as of the card's date, for the whole counterparty in this currency (a contract picked in
# the sidebar does not narrow it: the stop is the customer's).
stop_rules = settings.stop_rules(app_config())
whole = ctx.scope_without("contract").narrowed(counterparty_ids=(counterparty_id,))
stopped = loaders.stoplist(as_of=as_of, scope=whole, rules=stop_rules)
if stopped.height:
    stop = stopped.row(0, named=True)
    reasons = ", ".join(t(f"stoplist.reason.{reason}") for reason in stop["reasons"].split(","))
    if stop["released_until"] is not None:  # released by the CFO or a controller (dashboard.ui.releases)
        released = released_sentence(stop, language, markdown=True)
        st.warning(t("counterparty.stoplist.released", day=day(as_of, language), reasons=reasons, released=released))
    else:
        detail = stoplist_details(stopped.head(1), stop_rules, language)[0]
        st.error(t("counterparty.stoplist.on", day=day(as_of, language), reasons=reasons, detail=detail))
else:
    st.success(t("counterparty.stoplist.off", day=day(as_of, language)))
try:
    st.page_link(Path(__file__).with_name("stoplist.py"), label=t("stoplist.page"), icon=":material/block:")
except StreamlitAPIException:  # the stop-list page is not in this app's navigation (a test runs the card alone)
    st.caption(t("counterparty.stoplist.where"))
own_contracts = contracts.filter(pl.col("contract_id").is_not_null())
if own_contracts.height == 0:
    st.caption(t("counterparty.what_if.no_contracts"))
else:
    numbers = dict(zip(own_contracts["contract_id"], own_contracts["contract_number"], strict=True))
    ids = list(numbers)
    amount_column, contract_column = st.columns(2)
    amount_text = amount_column.text_input(
        t("counterparty.what_if.amount"),
        key="counterparty_what_if_amount",
        placeholder="150 000,00",
        help=t("counterparty.what_if.amount_help"),
    ).strip()
    chosen = contract_column.selectbox(
        t("counterparty.what_if.contract"),
        ids,
        index=ids.index(filters.contract_id) if filters.contract_id in ids else 0,
        format_func=lambda v: numbers[v] or v,
        key="counterparty_what_if_contract",
    )
    if amount_text:
        shipment: int | None
        try:
            shipment = parse_money(amount_text)
        except InvalidValue as exc:
            st.error(t("counterparty.what_if.bad_amount", text=amount_text, reason=exc))
            shipment = None
        if shipment is not None and shipment < 0:
            st.error(t("counterparty.what_if.negative"))
        elif shipment is not None:
            terms = own_contracts.row(ids.index(chosen), named=True)
            check = shipment_check(terms["balance"], terms["credit_limit"], shipment)

            def show(kopecks: int | None) -> str:
                return money(kopecks, language, currency)

            # With the stop-list's credit_limit rule on, a limit breach is a stop-list breach: said so.
            worded = "_stop" if stop_rules.credit_limit else ""
            rule = t("stoplist.reason.credit_limit")
            if check.fits is None:
                st.info(t("counterparty.what_if.no_limit", new_balance=show(check.new_balance)))
            elif check.fits:
                st.success(
                    t(
                        f"counterparty.what_if.fits{worded}",
                        new_balance=show(check.new_balance),
                        limit=show(check.credit_limit),
                        pct=percent(check.usage_pct_after, language),
                        headroom=show(check.headroom_after),
                        rule=rule,
                    )
                )
            else:
                st.error(
                    t(
                        f"counterparty.what_if.breach{worded}",
                        over=show(-(check.headroom_after or 0)),
                        new_balance=show(check.new_balance),
                        limit=show(check.credit_limit),
                        rule=rule,
                    )
                )
            if totals["overdue"] > 0:
                st.warning(t("counterparty.what_if.overdue_warning", overdue=show(totals["overdue"])))

# -- the act and the statement --------------------------------------------------------------------
st.subheader(t("counterparty.actions"))
act_column, export_column = st.columns(2)
with act_column:
    try:
        st.page_link(
            Path(__file__).with_name("act.py"), label=t("counterparty.act_link"), icon=":material/receipt_long:"
        )
    except StreamlitAPIException:  # the act page is not in this app's navigation (yet)
        st.caption(t("counterparty.act_unavailable"))
their_act_line(ctx, counterparty_id)  # the client's newest act sent back, if any (dashboard/ui/reconcile.py)
# For our staff, in the page's language (the act's own documents, in 1C's Russian, are on the act page).
title = f"{who['name']} ({counterparty_id}): {day(year_start, language)} – {day(as_of, language)}, {currency}"
download_button(
    export_column,
    t("counterparty.export"),
    data=audited(
        lambda: statement_xlsx(statement, language, title),
        f"statement_{counterparty_id}_{as_of.isoformat()}.xlsx",
    ),
    file_name=f"statement_{counterparty_id}_{as_of.isoformat()}.xlsx",
    mime=XLSX_MIME,
    key="counterparty_statement",
    on_click="ignore",
    icon=":material/download:",
)
