"""The card's «Контакты и договорённости»: the counterparty's notes, newest first, each promise's status and
each dispute's state as of the card's date, a button to resolve an open one, and a short form to add a note.

Reads go through loaders.uncached_note_timeline (a note changes no warehouse version, so nothing is cached),
writes through dashboard.ui.actions in the signed-in user's name. Who may write: `User.may_note` (the CFO, a
controller, a manager on their own counterparties: the card shows no other, and the action refuses one);
anyone else sees the timeline without the form. A refusal is worded by its code in the user's language,
next to the form, and the form keeps what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl
import streamlit as st

from dashboard.formatting import date_pattern, day
from dashboard.i18n import translate
from dashboard.services.access import User
from dashboard.services.notes import KINDS, NoteRefused, parse_amount
from dashboard.services.settings import ConfigError
from dashboard.ui import actions, loaders
from dashboard.ui.auth import current_user, settings
from domain.money import money
from queries.scope import Scope

SHOWN = 30  # notes drawn on the card, newest first
_FORM = "notes_form"
_FLASH = "notes_flash"  # what the last write said, shown once after the rerun
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def _plain(text: str) -> str:
    """A person's text shown as typed: Markdown's (and Streamlit's :color[...]) punctuation escaped."""
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", "  \n")


def refusal(refused: NoteRefused, language: str) -> str:
    """Why a note was not written or resolved, in the user's language (by the refusal's code)."""
    values = {k: day(v, language) if isinstance(v, date) else v for k, v in refused.values.items()}
    key = f"counterparty.notes.error.{refused.code}"
    worded = translate(key, language, **values)
    return worded if worded != key else translate("counterparty.notes.error.refused", language, reason=refused)


def _author(login: str) -> str:
    """The author as the app knows them ([auth.users]' name), else the login."""
    try:
        known = settings().user(login)
    except ConfigError:
        known = None
    return known.shown_as if known is not None else login


def _state(note: dict[str, Any], t: Callable[..., str], language: str) -> str:
    """A promise's amount, last day and status, or a dispute's document and state, as of the card's date."""

    def show(kopecks: int | None) -> str:
        return money(kopecks, language, note["currency"] or "RUB")

    status = note["status"]
    parts = []
    if note["document_id"]:
        named = note.get("document_number") or note["document_id"]  # «УПД-2 от 20.01.2025», else its id
        dated = t("counterparty.notes.document_dated", number=named, day=day(note["document_date"], language))
        shown = dated if note.get("document_date") else named
        parts.append(t("counterparty.notes.document", document=_plain(shown)))
    if note["kind"] == "promise":
        parts.append(t("counterparty.notes.promise", amount=show(note["amount"]), until=day(note["until"], language)))
        if status == "open" and note["paid"]:
            worded = t("counterparty.notes.status.open_paid", paid=show(note["paid"]))
        elif status == "broken":
            worded = t("counterparty.notes.status.broken", missing=show(note["missing"]))
        else:
            worded = t(f"counterparty.notes.status.{status}", day=day(note["resolved_on"], language))
        colour = {"open": "orange", "kept": "green", "broken": "red"}.get(status, "gray")
        return " · ".join(parts) + f" — :{colour}[{worded}]"
    if status == "open":
        worded = (
            t("counterparty.notes.dispute.open", amount=show(note["open_amount"]))
            if note["open_amount"]
            else t("counterparty.notes.dispute.open_paid")
        )
        return " · ".join(parts) + f" — :orange[{worded}]"
    if status == "later":
        return " · ".join(parts) + f" — :gray[{t('counterparty.notes.status.later')}]"
    return (
        " · ".join(parts)
        + f" — :gray[{t('counterparty.notes.dispute.resolved', day=day(note['resolved_on'], language))}]"
    )


def _resolve(user: User, note_id: int, as_of: date, language: str) -> None:
    try:
        actions.resolve_note(user, note_id, on=as_of)
    except NoteRefused as refused:
        st.error(refusal(refused, language))
        return
    st.session_state[_FLASH] = translate("counterparty.notes.resolved", language, day=day(as_of, language))
    st.rerun()


def _timeline(notes: pl.DataFrame, user: User | None, as_of: date, t: Callable[..., str], language: str) -> None:
    if notes.height == 0:
        st.caption(t("counterparty.notes.none"))
        return
    for note in notes.head(SHOWN).iter_rows(named=True):
        resolvable = user is not None and user.may_note and note["status"] == "open" and note["resolved_on"] is None
        with st.container(border=True):
            kind = t(f"counterparty.notes.kind.{note['kind']}")
            st.markdown(f"**{day(note['note_date'], language)} · {kind}** · {_plain(_author(note['author']))}")
            if note["kind"] in ("promise", "dispute"):
                st.markdown(_state(note, t, language))
            if note["text"]:
                st.markdown(_plain(note["text"]))
            if resolvable and st.button(
                t("counterparty.notes.resolve"),
                key=f"notes_resolve_{note['note_id']}",
                help=t("counterparty.notes.resolve_help", day=day(as_of, language)),
                icon=":material/task_alt:",
            ):
                assert user is not None
                _resolve(user, int(note["note_id"]), as_of, language)
    if notes.height > SHOWN:
        st.caption(t("counterparty.notes.shown", shown=SHOWN, total=notes.height))


def _document_options(documents: pl.DataFrame, t: Callable[..., str], language: str) -> dict[str, str]:
    """The counterparty's open debits, by document id, as a person reads them."""
    debits = documents.filter(pl.col("side") == 1).unique("document_id", keep="first", maintain_order=True)
    return {
        row["document_id"]: t(
            "counterparty.notes.form.document_option",
            kind=t(f"contracts.kind.{row['kind']}"),
            number=row["number"] or row["document_id"],
            day=day(row["doc_date"], language),
            amount=money(row["open_amount"], language, row["currency"]),
        )
        for row in debits.iter_rows(named=True)
    }


def _form(
    user: User, counterparty_id: str, as_of: date, documents: pl.DataFrame, t: Callable[..., str], language: str
) -> None:
    """The kind picked above the form (its fields follow it), the rest in one st.form."""
    if st.session_state.pop(f"{_FORM}_clear", False):  # the last note was saved: start afresh
        # Set rather than dropped, so the browser's widgets show the fresh values too.
        fresh: dict[str, object] = {"date": as_of, "text": "", "amount": "", "until": None}
        fresh |= {f"document_{kind}": "" for kind in ("promise", "dispute")}
        for name, value in fresh.items():
            st.session_state[f"{_FORM}_{name}"] = value
    if st.session_state.get(f"{_FORM}_as_of") != as_of:  # the note's date starts at the card's date
        st.session_state[f"{_FORM}_as_of"] = st.session_state[f"{_FORM}_date"] = as_of
    with st.container(border=True):
        st.markdown(f"**{t('counterparty.notes.form')}**")
        kind = st.segmented_control(
            t("counterparty.notes.form.kind"),
            KINDS,
            default="call",
            required=True,
            format_func=lambda k: t(f"counterparty.notes.form.kind.{k}"),
            key=f"{_FORM}_kind",
        )
        options = _document_options(documents, t, language)
        with st.form(_FORM, border=False, enter_to_submit=False):
            note_date = st.date_input(  # its value is the session state's, set above
                t("counterparty.notes.form.date"), format=date_pattern(language), key=f"{_FORM}_date"
            )
            amount_text, until, document = "", None, ""
            if kind == "promise":
                left, right = st.columns(2)
                amount_text = left.text_input(
                    t("counterparty.notes.form.amount"),
                    placeholder="1 234,56",
                    help=t("counterparty.notes.form.amount_help"),
                    key=f"{_FORM}_amount",
                    persist_state="page",
                )
                until = right.date_input(
                    t("counterparty.notes.form.until"),
                    value=None,
                    min_value=date(2000, 1, 1),
                    format=date_pattern(language),
                    key=f"{_FORM}_until",
                    persist_state="page",
                )
            if kind in ("promise", "dispute"):
                if options or kind == "promise":
                    none = t(f"counterparty.notes.form.document_none_{kind}")
                    document = st.selectbox(  # a key per kind: "" reads differently for each
                        t("counterparty.notes.form.document"),
                        ["", *options],
                        format_func=lambda v: options.get(v) or none,
                        key=f"{_FORM}_document_{kind}",
                        persist_state="page",
                    )
                else:
                    st.caption(t("counterparty.notes.form.no_documents"))
            text = st.text_area(
                t("counterparty.notes.form.text"),
                placeholder=t("counterparty.notes.form.text_placeholder"),
                height=80,
                key=f"{_FORM}_text",
            )
            submitted = st.form_submit_button(t("counterparty.notes.form.submit"), type="primary")
        if submitted:
            try:
                actions.add_note(
                    user,
                    counterparty_id=counterparty_id,
                    kind=kind,
                    note_date=note_date,
                    document_id=document if document in options else None,
                    amount=parse_amount(amount_text) if amount_text.strip() else None,
                    until=until,
                    text=text.strip(),
                )
            except NoteRefused as refused:
                st.error(refusal(refused, language))
            else:
                st.session_state[f"{_FORM}_clear"] = True
                st.session_state[_FLASH] = t("counterparty.notes.added")
                st.rerun()


def notes_section(*, counterparty_id: str, as_of: date, scope: Scope, documents: pl.DataFrame, language: str) -> None:
    """The section on the card: `scope` the user's (the card's counterparty narrows it), `documents` the
    counterparty's open documents as of `as_of` (loaders.open_documents), to dispute or pay."""

    def t(key: str, **values: object) -> str:
        return translate(key, language, **values)

    st.subheader(t("counterparty.notes"))
    user = current_user()
    notes = loaders.uncached_note_timeline(counterparty_id=counterparty_id, as_of=as_of, scope=scope)
    flash = st.session_state.pop(_FLASH, None)
    if user is None or not user.may_note:
        if flash:
            st.success(flash)
        _timeline(notes, user, as_of, t, language)
        st.caption(t("counterparty.notes.read_only"))
        return
    listed, adding = st.columns(2, gap="medium")
    with listed:
        if flash:
            st.success(flash)
        _timeline(notes, user, as_of, t, language)
    with adding:
        _form(user, counterparty_id, as_of, documents, t, language)


def contact_form(*, counterparty_id: str, as_of: date, documents: pl.DataFrame, language: str) -> bool:
    """The card's form by itself (the worklist's «Записать контакт» dialog): False, drawing nothing, for a
    user who may not write notes. Saving reruns the app, which closes a dialog."""
    user = current_user()
    if user is None or not user.may_note:
        return False
    _form(user, counterparty_id, as_of, documents, lambda key, **values: translate(key, language, **values), language)
    return True
