"""The act page's «Сверка с актом клиента» (issue 18) and the card's line about the client's newest act.

- Anyone who sees the act uploads the act the client sent back (XLSX or CSV as their 1C prints it); it is
  read and matched with our act of the page's period and contract (loaders.reconciliation: cached by the
  file's bytes, the parameters and the warehouse version). The result: how many lines matched and differ,
  the closing balances' difference taken apart to the kopeck, the table of statuses (show_table), and the
  XLSX of both halves with the differences marked and the contract's CSV (audited downloads).
- A client (role client) uploads on its portal: a file that reads as an act is stored at once with what the
  reconciliation found (dashboard.services.their_acts), so our controller sees it; the client sees the same
  result. A file that does not read is refused with the reader's message and is not stored.
- Our staff's uploads are not stored by themselves (a controller tries a draft, or our own act, as often as
  the client's): a button keeps the one the client really sent. Staff pick any stored copy of the
  counterparty, newest first; a pick moves the act above to the copy's period and contract (the act page's
  widget keys act_from, act_to, act_contract) and reconciles the copy over its own period.
- A bad file gets one translated message; nothing else on the page changes.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.uploaded_file_manager import UploadedFile

from dashboard.formatting import count, day
from dashboard.i18n import CATALOG
from dashboard.services import their_acts
from dashboard.services.acts import NoAct
from dashboard.services.reconcile import MONEY_COLUMNS, Reconciliation, reconciliation_csv, rows_in
from dashboard.services.reconcile_words import card_line, copy_label, explanation, period, uploaded_by, word
from dashboard.services.reconcile_xlsx import reconciliation_xlsx
from dashboard.services.settings import ConfigError
from dashboard.services.their_act import TheirActError
from dashboard.services.their_acts import StoredAct, TheirActRefused
from dashboard.ui import loaders
from dashboard.ui.auth import audited, current_user, settings
from dashboard.ui.context import PageContext
from dashboard.ui.db import app_config, get_engine
from dashboard.ui.deferred import download_button
from dashboard.ui.tables import XLSX_MIME, show_table
from dashboard.ui.uploader import uploader
from domain.money import money

UPLOAD_KEY = "reconcile_upload"
OPEN_KEY = "reconcile_open"  # the act page's expander of the section, for our staff, run only when open
COPY_KEY = "reconcile_copy"  # the stored copy picked (its id); the card's link sets it too
STORED_KEY = "reconcile_stored"  # uploads kept in this session (_Source.kept_as) -> the copy's id
ACT_KEYS = ("act_from", "act_to", "act_contract")  # the act page's period and contract widgets
ICONS = {"matched": "✓", "date_differs": "≠", "amount_differs": "≠", "only_ours": "✗", "only_theirs": "✗"}
ICONS |= {"opening": "Σ", "balance": "Σ"}
# The status table's columns: the numbers first, so what differs and by how much is in view; long texts last.
NUMBERS = ("our_date", "our_amount", "their_date", "their_amount", "difference")
COLUMNS = ("status", *NUMBERS, "our_document", "their_document")
LINE_STATUSES = ("matched", "date_differs", "amount_differs", "only_ours", "only_theirs")


@dataclass(frozen=True)
class _Source:
    """The file to reconcile and what it is reconciled over."""

    data: bytes
    file_name: str
    contract_id: str | None
    date_from: date
    date_to: date
    copy: StoredAct | None = None  # a stored copy; None: a file uploaded now
    upload_id: str = ""

    @property
    def kept_as(self) -> str:
        """What this session remembers a kept upload by: the file with the period and contract it was kept for
        (the same file reconciled over another period is another copy)."""
        return f"{self.upload_id}|{self.date_from}|{self.date_to}|{self.contract_id or ''}"


def _plain(text: str) -> str:
    """A file's or a person's name shown as given: Markdown's punctuation escaped (a `*` or `_` in a name)."""
    return "".join("\\" + ch if ch in "\\`*_[]<>|#~$:" else ch for ch in text)


def _name(copy: StoredAct) -> str:
    """Who uploaded the copy as the app knows them ([auth.users]' name), else ""."""
    try:
        known = settings().user(copy.uploaded_by)
    except ConfigError:
        known = None
    return known.shown_as if known is not None else ""


def _pick_copy(ctx: PageContext, counterparty_id: str, copies: list[StoredAct]) -> int | None:
    """The staff's list of the counterparty's stored copies, newest first; the id picked or None."""
    t, language = ctx.t, ctx.language
    by_id = {c.their_act_id: c for c in copies}
    contracts = loaders.filter_options(scope=ctx.scope_without("counterparty", "currency"))["contracts"]
    own = set(contracts.filter(pl.col("counterparty_id") == counterparty_id)["contract_id"].to_list())

    def align() -> None:
        """The act above follows the copy picked: its period and contract (a callback: before the widgets)."""
        picked = by_id.get(st.session_state.get(COPY_KEY))  # type: ignore[arg-type]
        if picked is not None:
            st.session_state[ACT_KEYS[0]] = picked.date_from
            st.session_state[ACT_KEYS[1]] = picked.date_to
            st.session_state[ACT_KEYS[2]] = picked.contract_id if picked.contract_id in own else ""

    if st.session_state.get(COPY_KEY) not in by_id:
        st.session_state.pop(COPY_KEY, None)  # another counterparty's pick, or one no longer listed

    picked: int | None = st.selectbox(
        t("reconcile_ui.copies"),
        list(by_id),
        index=None,
        format_func=lambda their_act_id: copy_label(by_id[their_act_id], language, _name(by_id[their_act_id])),
        placeholder=t("reconcile_ui.copies_placeholder", count=count(len(copies), language)),
        key=COPY_KEY,
        on_change=align,
    )
    return picked


def _source(
    ctx: PageContext,
    upload: UploadedFile | None,
    picked: int | None,
    *,
    contract_id: str | None,
    date_from: date,
    date_to: date,
) -> _Source | None:
    """What to reconcile: the file uploaded now, else the stored copy picked; None for neither."""
    if upload is not None:
        return _Source(upload.getvalue(), upload.name, contract_id, date_from, date_to, upload_id=str(upload.file_id))
    if picked is None:
        return None
    found = loaders.uncached_their_act_file(their_act_id=picked, scope=ctx.scope_without("counterparty", "currency"))
    if found is None:
        st.info(ctx.t("reconcile_ui.copy_missing"))
        return None
    copy, data = found
    return _Source(data, copy.file_name, copy.contract_id, copy.date_from, copy.date_to, copy=copy)


def _reconciled(
    ctx: PageContext, source: _Source, *, counterparty_id: str, currency: str | None
) -> Reconciliation | None:
    """The reconciliation, or None after a message saying why not (a file that is no act, a counterparty or
    currency the act cannot be made for)."""
    t, language = ctx.t, ctx.language
    names = tuple(n for n in (app_config().company_name, loaders.company_name()) if n)
    try:
        return loaders.reconciliation(
            counterparty_id=counterparty_id,
            date_from=source.date_from,
            date_to=source.date_to,
            contract_id=source.contract_id or None,
            currency=None if source.contract_id else currency,
            scope=ctx.scope_without("counterparty", "currency"),
            data=source.data,
            file_name=source.file_name,
            our_names=names,
        )
    except TheirActError as error:
        st.error(error.message.text(language), icon=":material/error:")
        st.caption(t("reconcile_ui.bad_file_hint"))
    except NoAct as refused:
        reason = t(f"reconcile_ui.no_act.{refused.code}", **refused.values)
        st.warning(t("reconcile_ui.not_our_counterparty", reason=reason), icon=":material/warning:")
    except ValueError as error:  # none is known to reach here: said as raised rather than lost
        st.warning(t("reconcile_ui.not_our_counterparty", reason=error), icon=":material/warning:")
    return None


def _store(ctx: PageContext, source: _Source, rec: Reconciliation, counterparty_id: str) -> int | None:
    """Keep the file as the client's copy with what it differs by, in the user's name, once per upload."""
    user = current_user()
    stored: dict[str, int] = st.session_state.setdefault(STORED_KEY, {})
    if user is None:
        return None
    if source.kept_as in stored:
        return stored[source.kept_as]
    try:
        with get_engine().begin() as conn:
            their_act_id = their_acts.store(
                conn,
                user,
                source="app",
                counterparty_id=counterparty_id,
                contract_id=source.contract_id,
                date_from=source.date_from,
                date_to=source.date_to,
                file_name=source.file_name,
                content=source.data,
                differences=rec.differences,
                balance_difference=rec.balance_difference,
            )
    except TheirActRefused as refused:
        key = f"reconcile_ui.refused.{refused.code}"
        st.error(ctx.t(key, reason=refused, **refused.values), icon=":material/error:")
        return None
    stored[source.kept_as] = their_act_id
    return their_act_id


def _keep_result(copy: StoredAct, rec: Reconciliation) -> None:
    """A stored copy's differences follow our books: what reconciling it now found, when that changed."""
    if (copy.differences, copy.balance_difference) != (rec.differences, rec.balance_difference):
        with get_engine().begin() as conn:
            their_acts.record_result(
                conn, copy.their_act_id, differences=rec.differences, balance_difference=rec.balance_difference
            )


def _summary(ctx: PageContext, rec: Reconciliation, client: bool) -> None:
    language = ctx.language

    def t(key: str, **values: object) -> str:
        return word(key, language, client, **values)

    lines = rec.rows.filter(pl.col("status").is_in(LINE_STATUSES))
    matched = lines.filter(pl.col("status") == "matched").height
    balance = rec.rows.filter(pl.col("status") == "balance").row(0, named=True)
    when = day(rec.date_to, language)
    if rec.differences == 0 and rec.balance_difference == 0:
        st.success(
            t("reconcile_ui.all_matched", date=when, balance=money(balance["our_amount"], language, rec.currency))
        )
        return
    st.markdown(
        t(
            "reconcile_ui.summary",
            lines=count(lines.height, language),
            matched=count(matched, language),
            differences=count(rec.differences, language),
        )
        + " "
        + t(
            "reconcile_ui.balances",
            date=when,
            ours=money(balance["our_amount"], language, rec.currency),
            theirs=money(balance["their_amount"], language, rec.currency),
        )
    )
    if rec.balance_difference != 0:
        st.warning(explanation(rec, language, client), icon=":material/difference:")
    else:
        st.info(t("reconcile_ui.no_balance_difference"))
    st.caption(t("reconcile_ui.signs"))


def _table(ctx: PageContext, rec: Reconciliation, stem: str, client: bool) -> None:
    t, language = ctx.t, ctx.language
    ours = {c: t(f"reconcile.col.{c}") for c in rec.rows.columns} | {s: t(f"reconcile.status.{s}") for s in ICONS}
    # A client reads its own side as «ваш»: the few words that differ from ours are in reconcile_ui.client.*.
    words = {
        k: word(f"reconcile_ui.client.{k}", language) if client and f"reconcile_ui.client.{k}" in CATALOG else v
        for k, v in ours.items()
    }
    only = st.toggle(t("reconcile_ui.only_differences"), key="reconcile_only_differences")
    rows = rows_in(rec, language)  # our documents in the page's language; the files below keep 1C's words
    frame = rows.filter(pl.col("status") != "matched") if only else rows
    worded = {s: f"{ICONS[s]} {words[s]}" for s in ICONS}
    shown = frame.with_columns(pl.col("status").replace_strict(worded, default=pl.col("status"))).select(COLUMNS)
    show_table(
        shown,
        money=MONEY_COLUMNS,
        key="reconcile_table",
        file_name=f"{stem}_table.xlsx",
        language=language,
        labels={c: words[c] for c in frame.columns},
        totals=False,
    )


def _downloads(ctx: PageContext, rec: Reconciliation, stem: str, client: bool) -> None:
    t, language = ctx.t, ctx.language
    header = loaders.uncached_reconciliation_header(rec)
    buttons = st.container(horizontal=True)
    download_button(
        buttons,
        t("reconcile_ui.download_xlsx"),
        data=audited(lambda: reconciliation_xlsx(rec, header, language), f"{stem}.xlsx"),
        file_name=f"{stem}.xlsx",
        mime=XLSX_MIME,
        key="reconcile_download_xlsx",
        on_click="ignore",
        icon=":material/download:",
        type="primary",
    )
    download_button(
        buttons,
        t("reconcile_ui.download_csv"),
        data=audited(lambda: reconciliation_csv(rec), f"{stem}.csv"),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="reconcile_download_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    st.caption(word("reconcile_ui.downloads_help", language, client))


def reconcile_section(
    ctx: PageContext,
    *,
    counterparty_id: str | None,
    date_from: date,
    date_to: date,
    contract_id: str | None,
    currency: str | None = None,
    titled: bool = True,
) -> None:
    """«Сверка с актом клиента» at the end of the act page, for the act's counterparty, period and contract;
    `titled`: under its own heading (False: in the act page's expander of that title, OPEN_KEY)."""
    t, language = ctx.t, ctx.language
    user = current_user()
    if user is None or counterparty_id is None:
        return
    client = user.role == "client"
    if titled:
        st.divider()
        st.subheader(word("reconcile_ui.title", language, client), anchor=False)
    st.caption(t("reconcile_ui.help_client" if client else "reconcile_ui.help"))
    label = t("reconcile_ui.upload_client" if client else "reconcile_ui.upload")
    upload = uploader(label, key=UPLOAD_KEY, types=("xlsx", "csv"), multiple=False, language=language)
    picked = None
    if not client:
        copies = loaders.uncached_their_acts(
            counterparty_id=counterparty_id, scope=ctx.scope_without("counterparty", "currency")
        )
        if copies:
            picked = _pick_copy(ctx, counterparty_id, copies)
    source = _source(ctx, upload, picked, contract_id=contract_id or None, date_from=date_from, date_to=date_to)
    if source is None:
        return
    if source.copy is None:
        st.caption(word("reconcile_ui.showing_file", language, client, name=_plain(source.file_name)))
    else:
        copy = source.copy
        shown_period = period(copy.date_from, copy.date_to, language)
        uploaded = day(copy.uploaded_at.date(), language)
        who = uploaded_by(copy, language, _name(copy))
        name = _plain(copy.file_name)
        st.caption(t("reconcile_ui.showing_copy", name=name, uploaded=uploaded, who=_plain(who), period=shown_period))
        if (copy.date_from, copy.date_to, copy.contract_id or None) != (date_from, date_to, contract_id or None):
            st.caption(t("reconcile_ui.copy_period_differs", period=shown_period))
    rec = _reconciled(ctx, source, counterparty_id=counterparty_id, currency=currency)
    if rec is None:
        return
    if client:
        if _store(ctx, source, rec, counterparty_id) is not None:
            st.success(t("reconcile_ui.saved_client"), icon=":material/check_circle:")
    elif source.copy is not None:
        _keep_result(source.copy, rec)
    for warning in rec.warnings:
        st.warning(warning.text(language), icon=":material/warning:")
    outside = sorted(x.day for x in rec.theirs.lines if not source.date_from <= x.day <= source.date_to)
    if outside:  # an act of another period, most likely: every one of its lines would differ
        shown = period(source.date_from, source.date_to, language)
        lines = count(len(outside), language)
        first, last = day(outside[0], language), day(outside[-1], language)
        st.warning(word("reconcile_ui.outside", language, client, lines=lines, period=shown, first=first, last=last))
    _summary(ctx, rec, client)
    stem = f"reconcile_{counterparty_id}_{source.date_from:%Y%m%d}_{source.date_to:%Y%m%d}"
    _table(ctx, rec, stem, client)
    _downloads(ctx, rec, stem, client)
    if not client and source.copy is None:
        saved = st.session_state.get(STORED_KEY, {}).get(source.kept_as)
        if saved is not None:
            st.success(t("reconcile_ui.saved", id=saved), icon=":material/check_circle:")
        elif st.button(t("reconcile_ui.save"), key="reconcile_save", help=t("reconcile_ui.save_help")):
            saved = _store(ctx, source, rec, counterparty_id)
            if saved is not None:
                st.rerun()  # the list above shows the copy kept


def their_act_line(ctx: PageContext, counterparty_id: str) -> None:
    """On the card, for our staff: «Клиент прислал акт сверки 05.12.2026 за 01.10–30.11.2026: 3 расхождения»
    and a link to its reconciliation on the act page, when a copy is stored."""
    t, language = ctx.t, ctx.language
    user = current_user()
    if user is None or user.role == "client":
        return
    copy = loaders.uncached_latest_their_act(
        counterparty_id=counterparty_id, scope=ctx.scope_without("contract", "currency")
    )
    if copy is None:
        return
    line = card_line(copy, language)
    row = st.container(horizontal=True, vertical_alignment="center")
    row.markdown(f":material/fact_check: {line}", width="content")
    if row.button(
        t("reconcile_ui.card_open"), key="reconcile_card_open", type="tertiary", icon=":material/arrow_forward:"
    ):
        st.session_state[COPY_KEY] = copy.their_act_id
        with suppress(StreamlitAPIException):  # the act page is not in this app's navigation
            st.switch_page("pages/act.py")
