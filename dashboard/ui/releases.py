"""Stop-list releases on the pages (issue 17): the sentence «Отгрузки разрешены до DD.MM.YYYY: <причина> (<кто>)»
the stop-list and the card both show, and the stop-list page's section to release a listed client or end
its release.

Reads go through dashboard.ui.loaders (the stop-list and the active releases follow the send log's stamp,
which counts the releases, so a release shows at once), writes through dashboard.ui.actions in the
signed-in user's name. Who may release: `User.may_release` (the CFO, a controller); anyone else sees the
list without the section. A refusal is worded by its code next to the form, which keeps what was typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import polars as pl
import streamlit as st

from dashboard.formatting import date_pattern, day
from dashboard.i18n import translate
from dashboard.services.access import User
from dashboard.services.releases import MAX_DAYS, ReleaseRefused
from dashboard.services.settings import ConfigError
from dashboard.ui import actions, loaders
from dashboard.ui.auth import current_user, settings
from queries.scope import Scope

DEFAULT_DAYS = 7  # the form's last day: the page's date plus this many days
_FORM = "release_form"
_FLASH = "release_flash"  # what the last write said, shown once after the rerun
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def who(login: str) -> str:
    """The author as the app knows them ([auth.users]' name), else the login."""
    try:
        known = settings().user(login)
    except ConfigError:
        known = None
    return known.shown_as if known is not None else login


def released_sentence(row: dict[str, Any], language: str, *, markdown: bool = False) -> str:
    """«Отгрузки разрешены до DD.MM.YYYY: <причина> (<кто>)» of a stop-list row with an active release;
    `markdown`: the reason and the name escaped, to show as typed in Streamlit's Markdown."""
    reason, author = str(row["release_reason"]), who(row["released_by"])
    if markdown:
        reason, author = _MARKDOWN.sub(r"\\\1", reason), _MARKDOWN.sub(r"\\\1", author)
    until = day(row["released_until"], language)
    return translate("stoplist.status.released", language, until=until, reason=reason, who=author)


def status_column(found: pl.DataFrame, language: str) -> pl.Series:
    """Each stop-list row's status: shipments stopped, or released until a day with why and by whom."""
    stopped = translate("stoplist.status.stopped", language)
    values = [
        stopped if row["released_until"] is None else released_sentence(row, language)
        for row in found.select("released_until", "release_reason", "released_by").iter_rows(named=True)
    ]
    return pl.Series("status", values, dtype=pl.String)


def refusal(refused: ReleaseRefused, language: str) -> str:
    """Why a release was not given or ended, in the user's language (by the refusal's code)."""
    values = {k: day(v, language) if isinstance(v, date) else v for k, v in refused.values.items()}
    key = f"stoplist.release.error.{refused.code}"
    worded = translate(key, language, **values)
    return worded if worded != key else translate("stoplist.release.error.refused", language, reason=refused)


def _end(user: User, release_id: int, name: str, as_of: date, language: str) -> None:
    try:
        actions.end_release(user, release_id, on=as_of)
    except ReleaseRefused as refused:
        st.error(refusal(refused, language))
        return
    st.session_state[_FLASH] = translate("stoplist.release.ended", language, name=name, day=day(as_of, language))
    st.rerun()


def _form(user: User, counterparty_id: str, name: str, as_of: date, t: Callable[..., str], language: str) -> None:
    if st.session_state.pop(f"{_FORM}_clear", False):  # the last release was saved: start afresh
        st.session_state[f"{_FORM}_reason"] = ""
    if st.session_state.get(f"{_FORM}_as_of") != as_of:  # the last day starts a week after the page's date
        st.session_state[f"{_FORM}_as_of"] = as_of
        st.session_state[f"{_FORM}_until"] = as_of + timedelta(days=DEFAULT_DAYS)
    with st.form(_FORM, enter_to_submit=False):
        reason = st.text_input(
            t("stoplist.release.reason"),
            placeholder=t("stoplist.release.reason_placeholder"),
            max_chars=500,
            key=f"{_FORM}_reason",
        )
        until = st.date_input(  # its value is the session state's, set above
            t("stoplist.release.until"),
            min_value=as_of,
            max_value=as_of + timedelta(days=MAX_DAYS),
            format=date_pattern(language),
            key=f"{_FORM}_until",
        )
        submitted = st.form_submit_button(t("stoplist.release.submit"), type="primary", icon=":material/lock_open:")
    if submitted:
        try:
            actions.release_client(user, counterparty_id=counterparty_id, reason=reason, released_on=as_of, until=until)
        except ReleaseRefused as refused:
            st.error(refusal(refused, language))
        else:
            st.session_state[f"{_FORM}_clear"] = True
            st.session_state[_FLASH] = t("stoplist.release.done", name=name, until=day(until, language))
            st.rerun()


def release_section(*, found: pl.DataFrame, as_of: date, scope: Scope, language: str) -> None:
    """Under the stop-list (`found`, as of `as_of` in `scope`): pick a listed client, release it until a day
    with a reason, or end its release. Nothing for a user who may not release."""

    def t(key: str, **values: object) -> str:
        return translate(key, language, **values)

    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash)
    user = current_user()
    if user is None or not user.may_release:
        return
    names = dict(
        found.unique("counterparty_id", keep="first", maintain_order=True)
        .select("counterparty_id", "counterparty_name")
        .iter_rows()
    )
    st.subheader(t("stoplist.release"), help=t("stoplist.release.help", days=MAX_DAYS))
    counterparty_id = st.selectbox(
        t("stoplist.release.client"),
        list(names),
        format_func=lambda key: names.get(key) or key,
        key=f"{_FORM}_client",
    )
    if counterparty_id is None:
        return
    name = names.get(counterparty_id) or counterparty_id
    active = loaders.active_releases(as_of=as_of, scope=scope).filter(pl.col("counterparty_id") == counterparty_id)
    if active.height:
        release = active.row(0, named=True)
        st.info(released_sentence(release, language, markdown=True))
        if st.button(
            t("stoplist.release.end"),
            key=f"release_end_{release['release_id']}",
            help=t("stoplist.release.end_help", day=day(as_of, language)),
            icon=":material/block:",
        ):
            _end(user, int(release["release_id"]), name, as_of, language)
        st.caption(t("stoplist.release.replaces"))
    _form(user, counterparty_id, name, as_of, t, language)
