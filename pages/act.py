"""Reconciliation act: a counterparty (or one of its contracts) over a period, laid out as 1C prints it."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import NoReturn

import polars as pl
import streamlit as st

from dashboard.formatting import count, date_pattern, day
from dashboard.services.act_document import ActHeader, Signer
from dashboard.services.act_pdf import act_pdf_bytes
from dashboard.services.act_xlsx import act_xlsx_bytes
from dashboard.services.acts import act_rows_in, company_signer, contract_label
from dashboard.services.exports import for_csv
from dashboard.ui import latest, loaders, tables
from dashboard.ui.auth import current_user
from dashboard.ui.context import page_context
from dashboard.ui.db import app_config
from dashboard.ui.downloads import Built, acts_zip_section, named_download
from dashboard.ui.reconcile import COPY_KEY, OPEN_KEY, reconcile_section
from dashboard.ui.tables import XLSX_MIME
from domain.money import amount, money
from queries.act import act_balance

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters
# A client of ours sees its own acts only: its counterparty fixed, our signer as configured, no batch.
viewer = current_user()
client = viewer is not None and viewer.is_client

st.title(t("act.title"))

# The act may be of any counterparty the sidebar's manager and group allow, not only the sidebar's own one.
scope = ctx.scope_without("counterparty", "currency")
options = loaders.filter_options(scope=scope)
counterparties, contracts = options["counterparties"], options["contracts"]
if counterparties.height == 0:
    st.info(t("client.no_account", counterparty=viewer.counterparty) if client and viewer else t("status.empty"))
    st.stop()
names = dict(zip(counterparties["counterparty_id"].to_list(), counterparties["name"].to_list(), strict=True))


def follow(key: str, sidebar_value: object, allowed: list[object] | None = None) -> None:
    """Start a widget at the sidebar's value and follow the sidebar whenever its value changes; a value
    no longer among the choices (another counterparty's contract) falls back to the sidebar's or the first."""
    seen = f"{key}_sidebar"
    if key not in st.session_state or st.session_state.get(seen) != sidebar_value:
        st.session_state[key] = sidebar_value
        st.session_state[seen] = sidebar_value
    if allowed is not None and st.session_state[key] not in allowed:
        st.session_state[key] = sidebar_value if sidebar_value in allowed else allowed[0]


quarter_start = date(filters.as_of.year, 3 * ((filters.as_of.month - 1) // 3) + 1, 1)
follow("act_counterparty", filters.counterparty_id or None, [None, *names])
choice, period_from, period_to = st.columns([2, 1, 1])
counterparty_id = choice.selectbox(
    t("filter.counterparty"),
    list(names),
    key="act_counterparty",
    format_func=lambda v: f"{names[v]} ({v})",
    placeholder=t("act.choose_counterparty"),
    disabled=client,
)
follow("act_from", quarter_start)
follow("act_to", filters.as_of)
date_from = period_from.date_input(t("act.from"), key="act_from", format=date_pattern(language))
date_to = period_to.date_input(t("act.to"), key="act_to", format=date_pattern(language))
latest.publish("act_period", (counterparty_id, date_from, date_to))  # for a download clicked meanwhile

own = contracts.filter(pl.col("counterparty_id") == (counterparty_id or ""))
numbers = dict(zip(own["contract_id"].to_list(), own["number"].to_list(), strict=True))
currency_of = dict(zip(own["contract_id"].to_list(), own["currency"].to_list(), strict=True))
signed_on = dict(zip(own["contract_id"].to_list(), own["contract_date"].to_list(), strict=True))
contract_pick, currency_pick, _ = st.columns([2, 1, 1])
follow("act_contract", filters.contract_id, ["", *numbers])
contract_id = contract_pick.selectbox(
    t("filter.contract"),
    ["", *numbers],
    key="act_contract",
    format_func=lambda v: f"{numbers[v] or v} ({currency_of[v]})" if v else t("act.all_contracts"),
    disabled=not numbers,
)
currencies = sorted(set(own["currency"].to_list())) or [filters.currency]
follow("act_currency", filters.currency, list(currencies))
if contract_id:
    st.session_state["act_currency"] = currency_of[contract_id]  # a contract's act is in its own currency
currency = currency_pick.selectbox(
    t("filter.currency"), currencies, key="act_currency", disabled=bool(contract_id) or len(currencies) < 2
)


def typed_signers() -> dict[str, str]:
    """The signers as last typed in «Подписи» (kept while the expander is closed, which runs its fields only
    when open): ours the configured one, the counterparty's empty, until then. A client types none."""
    configured = company_signer(app_config())
    signers = {"act_signer_pos": configured.position, "act_signer_name": configured.name}
    return signers | {"act_client_pos": "", "act_client_name": ""} | st.session_state.get("act_signers_typed", {})


def our_signer() -> Signer:
    """Our signer as last typed (the configured one until then): the act's documents and every act of the ZIP."""
    signers = typed_signers()
    return Signer(signers["act_signer_pos"].strip(), signers["act_signer_name"].strip())


def without_an_act(message: str) -> NoReturn:
    """No act to show (none chosen, or none in view): say why, and still offer every act of the period as one
    ZIP (it needs no counterparty); then stop."""
    st.info(message)
    if not client:
        acts_zip_section(t, language, date_from=date_from, date_to=date_to, scope=scope, signer=our_signer())
    st.stop()


if date_from > date_to:  # no act of any kind for such a period
    st.warning(t("act.bad_period"))
    st.stop()
if counterparty_id is None:
    without_an_act(t("act.choose_counterparty"))

frame = loaders.act(
    counterparty_id=counterparty_id,
    date_from=date_from,
    date_to=date_to,
    contract_id=contract_id or None,
    currency=currency,
    scope=scope,
)
if frame.height == 0:  # the counterparty is visible, this contract or currency of it is not
    without_an_act(t("act.nothing"))

company = app_config().company_name or loaders.company_name() or t("act.our_company")
counterparty = names[counterparty_id]
heading = t("act.heading", date_from=day(date_from, language), date_to=day(date_to, language))
parties = t("act.parties", company=company, counterparty=counterparty)
details = [t("act.contract", number=numbers[contract_id] or contract_id)] if contract_id else []
if currency != "RUB":
    details.append(t("act.currency", currency=currency))


def escaped(text: str) -> str:
    """Names and document titles shown literally in markdown (a `*` or `|` in a name is not markup)."""
    return "".join("\\" + ch if ch in "\\`*_[]<>|#~$" else ch for ch in text)


st.subheader(f"{heading} {escaped(parties)}", anchor=False)
if details:
    st.markdown(escaped(", ".join(details)))
# The downloads go here, above the table (an act of thousands of rows would put them pages down); they are
# built below, once the table is.
downloads = st.container()

TABLE_STYLE = (  # as Streamlit's markdown tables, in either theme
    ".act{border-collapse:collapse;margin-bottom:1rem}"
    ".act th,.act td{border:1px solid rgba(128,128,128,.25);padding:.375rem .75rem;vertical-align:top}"
    ".act th{font-weight:600;text-align:left}.act .n{text-align:right;white-space:nowrap}"
    ".act tr.total td{font-weight:700}"
)
TITLES = {kind: t(f"act.row.{kind}") for kind in ("opening", "turnover", "closing")}
totals = {
    kind: (debit, credit)
    for kind, debit, credit in frame.filter(pl.col("kind") != "document").select("kind", "debit", "credit").iter_rows()
}


def balance_text(debit: int | None, credit: int | None) -> str:
    """A balance as the act's columns hold it: the amount with its side (a debit is owed to us)."""
    if credit:
        return f"{money(credit, language, currency)} {t('act.side.credit')}"
    return f"{money(debit or 0, language, currency)} {t('act.side.debit')}"


# The totals first, at once: an act of thousands of rows is read from its balances, its table paged below.
# Captions over headings, not st.metric: its large type cut «11 870 654,97 ₽ Дт» short in a quarter of the page.
for column, label, value in zip(
    st.columns(4),
    (TITLES["opening"], t("act.turnover_debit"), t("act.turnover_credit"), TITLES["closing"]),
    (
        balance_text(*totals["opening"]),
        money(totals["turnover"][0] or 0, language, currency),
        money(totals["turnover"][1] or 0, language, currency),
        balance_text(*totals["closing"]),
    ),
    strict=True,
):
    column.caption(label)
    column.markdown(f"#### {value}")

closing = act_balance(frame)
when = day(date_to, language)
if closing == 0:
    sentence = t("act.settled", company=company, date=when)
else:
    party = company if closing > 0 else counterparty
    sentence = t("act.owed", company=company, date=when, party=party, amount=money(abs(closing), language, currency))
st.markdown(escaped(sentence))

# The table a page at a time (issue 20: 8 510 rows drawn at once took the browser 9-11 s). The page is kept
# per act: another counterparty, contract, currency or period starts at its first rows.
rows_per_page = tables.ROWS_ON_SCREEN
this_act = (counterparty_id, contract_id, currency, date_from, date_to)
pages = max(1, -(-frame.height // rows_per_page))
if st.session_state.get("act_page_of") != this_act:
    st.session_state["act_page_of"] = this_act
    st.session_state["act_page"] = 0
page_index = min(max(int(st.session_state.get("act_page", 0)), 0), pages - 1)
st.session_state["act_page"] = page_index


def turn(step: int) -> None:
    st.session_state["act_page"] = st.session_state.get("act_page", 0) + step


if pages > 1:
    where, previous, following, _ = st.columns([3, 1, 1, 3], vertical_alignment="center")
    first_row = page_index * rows_per_page + 1
    last_row = min(frame.height, first_row + rows_per_page - 1)
    where.markdown(
        t(
            "act.rows",
            first=count(first_row, language),
            last=count(last_row, language),
            total=count(frame.height, language),
        )
    )
    previous.button(
        t("act.previous"),
        key="act_previous",
        on_click=turn,
        args=(-1,),
        disabled=page_index == 0,
        icon=":material/chevron_left:",
        width="stretch",
    )
    following.button(
        t("act.next"),
        key="act_next",
        on_click=turn,
        args=(1,),
        disabled=page_index == pages - 1,
        icon=":material/chevron_right:",
        width="stretch",
    )

# The page's rows as one HTML table: the browser draws 500 rows of it in a fraction of the time Streamlit's
# markdown takes to parse and draw the same table (its rules, its header, bold totals: the same look).
cells = "<td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td>"
rows = []
shown = act_rows_in(frame.slice(page_index * rows_per_page, rows_per_page), language)  # in 1C's words in Russian
for kind, when, document, debit, credit in shown.select("kind", "date", "document", "debit", "credit").iter_rows():
    title = html.escape(document or "")
    # The amounts without the currency: the heading names it.
    row = cells.format(day(when, language), title, amount(debit, language), amount(credit, language))
    rows.append(f"<tr class=total>{row}</tr>" if kind != "document" else f"<tr>{row}</tr>")
head = cells.replace("td", "th").format(*(t(f"act.col.{c}") for c in ("date", "document", "debit", "credit")))
table = f"<table class=act><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
st.html(f"<style>{TABLE_STYLE}</style>{table}")

with downloads:
    # The act as documents in 1C's form (both halves, the amount in words, signatures), and the plain table.
    signers = typed_signers()  # a client does not edit our signer: the act shows the configured one
    if not client:
        signers_box = st.expander(t("act.signers"), key="act_signers", on_change="rerun")
        if signers_box.open:
            labels = ("act.signer_position", "act.signer_name", "act.client_position", "act.client_name")
            for column, label, key in zip(signers_box.columns(4), labels, list(signers), strict=True):
                signers[key] = column.text_input(t(label), signers[key], key=key)
            st.session_state["act_signers_typed"] = signers
    header = ActHeader(
        company=company,
        counterparty=counterparty,
        date_from=date_from,
        date_to=date_to,
        contract=contract_label(numbers[contract_id], signed_on[contract_id], contract_id) if contract_id else None,
        currency=currency,
        company_signer=our_signer(),
        counterparty_signer=Signer(signers["act_client_pos"].strip(), signers["act_client_name"].strip()),
    )
    columns = {
        "date": t("act.col.date"),
        "document": t("act.col.document"),
        "debit": t("act.col.debit"),
        "credit": t("act.col.credit"),
    }
    money_columns = (columns["debit"], columns["credit"])
    session = latest.session_id()

    def current() -> tuple[pl.DataFrame, ActHeader]:
        """The act of the period on screen when the file is asked for: a date typed just before the click
        reruns the page as the download starts (dashboard/ui/latest.py)."""
        shown = (counterparty_id, date_from, date_to)
        wanted = latest.newest(session, "act_period", shown)
        if wanted == shown or wanted[0] != counterparty_id or wanted[1] > wanted[2]:
            return frame, header
        _party, new_from, new_to = wanted
        fresh = loaders.act(
            counterparty_id=counterparty_id,
            date_from=new_from,
            date_to=new_to,
            contract_id=contract_id or None,
            currency=currency,
            scope=scope,
        )
        return fresh, replace(header, date_from=new_from, date_to=new_to)

    def file_name(act_header: ActHeader, extension: str) -> str:
        """The file's name with the act's own period (the one it was built for, not the one drawn)."""
        contract = f"{contract_id}_" if contract_id else ""
        period = f"{act_header.date_from:%Y%m%d}_{act_header.date_to:%Y%m%d}"
        return f"act_{counterparty_id}_{contract}{period}.{extension}"

    def document(render: Callable[[pl.DataFrame, ActHeader], bytes], extension: str) -> Callable[[], Built]:
        def build() -> Built:
            rows, act_header = current()
            return render(rows, act_header), file_name(act_header, extension)

        return build

    def plain_csv(rows: pl.DataFrame, _header: ActHeader) -> bytes:
        plain = act_rows_in(rows, language).select(list(columns)).rename(columns)
        # With a byte order mark Excel opens the Cyrillic text as UTF-8.
        return for_csv(plain, money_columns).write_csv(date_format="%Y-%m-%d").encode("utf-8-sig")

    # Each file is built at the click for the period on screen then, and named for it (dashboard/ui/downloads).
    pdf_button, xlsx_button, csv_button, _ = st.columns([1, 1, 1, 3])
    named_download(
        pdf_button,
        t("act.download_pdf"),
        document(act_pdf_bytes, "pdf"),
        file_name=file_name(header, "pdf"),
        mime="application/pdf",
        key="act_download_pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        type="primary",
    )
    named_download(
        xlsx_button,
        t("download.xlsx"),
        document(act_xlsx_bytes, "xlsx"),
        file_name=file_name(header, "xlsx"),
        mime=XLSX_MIME,
        key="act_download_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )
    named_download(
        csv_button,
        t("act.download_csv"),
        document(plain_csv, "csv"),
        file_name=file_name(header, "csv"),
        mime="text/csv",
        key="act_download_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    st.caption(t("act.formats"))


# Many acts at once (not for a client: its one act is above), and the act the client sent back matched with
# this one (issue 18, dashboard/ui/reconcile.py): for our staff both run only when opened, after the act.
of_act = {"counterparty_id": counterparty_id, "date_from": date_from, "date_to": date_to}
if client:
    reconcile_section(ctx, **of_act, contract_id=contract_id, currency=currency)
else:
    acts_zip_section(t, language, date_from=date_from, date_to=date_to, scope=scope, signer=header.company_signer)
    if OPEN_KEY not in st.session_state and st.session_state.get(COPY_KEY) is not None:
        st.session_state[OPEN_KEY] = True  # the card's link to a stored copy of the client's act
    section = st.expander(t("reconcile_ui.title"), key=OPEN_KEY, on_change="rerun")
    if section.open:
        with section:
            reconcile_section(ctx, **of_act, contract_id=contract_id, currency=currency, titled=False)
