"""Signing in: who is using the app, from Streamlit's OIDC login, a trusted proxy header or nobody.

The router calls `sign_in` first on every run; it shows the login or refusal and stops the run until a
listed user is known, then keeps the user in session_state. `user_scope` is what every query gets as its
base scope (dashboard.ui.filters.base_scope): a page run without a known user sees no counterparty at all.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy import Connection, Engine

from dashboard.i18n import translate
from dashboard.services.access import LOCAL, NOBODY_SCOPE, AuthSettings, User, auth_settings, record_action
from dashboard.services.settings import ConfigError
from dashboard.ui.db import app_config, get_engine
from queries.scope import Scope

USER_KEY = "auth_user"


def settings() -> AuthSettings:
    return auth_settings(app_config())


def _header(name: str) -> str | None:
    """The trusted proxy's header of the request that opened this session."""
    return st.context.headers.get(name)


def _oidc_login() -> str | None:
    """The signed-in OIDC identity (its e-mail, else its subject), or None before the login."""
    if not st.user.is_logged_in:
        return None
    return str(st.user.get("email") or st.user.get("sub") or "") or None


def _stop_with(message: str, *, logout: bool = False, language: str = "ru") -> None:
    st.session_state.pop(USER_KEY, None)
    st.error(message, icon=":material/lock:")
    if logout and st.button(translate("auth.logout", language), key="auth_logout_refused"):
        st.logout()
    st.stop()


def sign_in(language: str) -> User:
    """The user of this session; draws the login, the refusal or the sidebar's "signed in as" line."""
    try:
        config = settings()
    except ConfigError as error:
        _stop_with(translate("auth.config_error", language, reason=error), language=language)
        raise  # unreachable: st.stop() ends the run
    if not config.configured:
        st.sidebar.warning(translate("auth.local_warning", language), icon=":material/warning:")
        st.session_state[USER_KEY] = LOCAL
        return LOCAL
    if config.mode == "oidc":
        login = _oidc_login()
        if login is None:
            st.session_state.pop(USER_KEY, None)
            st.title(translate("auth.login.title", language), anchor=False)
            st.write(translate("auth.login.text", language))
            if st.button(translate("auth.login.button", language), type="primary", key="auth_login"):
                st.login()
            st.stop()
    else:
        login = _header(config.header)
        if not login:
            _stop_with(translate("auth.no_header", language, header=config.header), language=language)
    user = config.user(login)
    if user is None:
        _stop_with(translate("auth.unknown", language, login=login), logout=config.mode == "oidc", language=language)
        raise AssertionError("unreachable")  # st.stop() ends the run
    st.session_state[USER_KEY] = user
    role = translate(f"auth.role.{user.role}", language)
    st.sidebar.caption(translate("auth.signed_in", language, user=user.shown_as, role=role))
    if config.mode == "oidc" and st.sidebar.button(translate("auth.logout", language), key="auth_logout"):
        st.logout()
    return user


def current_user() -> User | None:
    """The signed-in user; without [auth], the local user; None when nobody is known."""
    user = st.session_state.get(USER_KEY)
    if isinstance(user, User):
        return user
    try:
        return None if settings().configured else LOCAL
    except ConfigError:
        return None


def user_scope() -> Scope:
    user = current_user()
    return user.scope if user is not None else NOBODY_SCOPE


def require(allowed: bool, language: str) -> None:
    """Stop a page the user's role may not use (the router does not list it; a direct run is refused too)."""
    if not allowed:
        st.warning(translate("auth.not_allowed", language), icon=":material/lock:")
        st.stop()


def record(target: Engine | Connection, user: User | None, action: str, subject: str, rows: int | None = None) -> None:
    """One audit row for something a user did in the app."""
    record_action(target, user, source="app", action=action, subject=subject, rows=rows)


def audited(build: Callable[[], bytes], subject: str) -> Callable[[], bytes]:
    """A download's data callable that also writes who downloaded what to the audit log.

    Streamlit runs it when the browser asks for the file, outside the script run: the user and the
    engine are taken now, when the button is drawn."""
    user = current_user()
    engine = get_engine()

    def build_and_record() -> bytes:
        data = build()
        record(engine, user, "export", subject)
        return data

    return build_and_record


def page_user() -> User:
    """The user for a page that acts in their name; a page nobody signed in to stops here."""
    user = current_user()
    if user is None:
        st.error(translate("auth.login.text", st.session_state.get("language", "ru")), icon=":material/lock:")
        st.stop()
        raise AssertionError("unreachable")  # st.stop() ends the run
    return user
