"""The router: page config, language, the shared sidebar of filters, navigation over pages/."""

from __future__ import annotations

import logging

import streamlit as st

from dashboard.i18n import LANGUAGES, translate
from dashboard.ui import loaders
from dashboard.ui.auth import sign_in
from dashboard.ui.context import PageContext
from dashboard.ui.db import app_config, get_engine
from dashboard.ui.filters import sidebar_filters
from warehouse.connect import WarehouseUnavailable

st.set_page_config(page_title=translate("app.title"), page_icon="₽", layout="wide")

if "language" not in st.session_state:
    st.session_state["language"] = (
        st.query_params.get("lang", "ru") if st.query_params.get("lang") in LANGUAGES else "ru"
    )
# No widget key: a keyed widget's state is dropped when st.navigation switches pages, and the
# language must survive that. The choice lives in session_state["language"] instead.
language = (
    st.sidebar.segmented_control(
        translate("language", st.session_state["language"]),
        LANGUAGES,
        default=st.session_state["language"],
        format_func=lambda code: {"ru": "Русский", "en": "English"}[code],
    )
    or st.session_state["language"]
)
st.session_state["language"] = language
if language != "ru":
    st.query_params["lang"] = language
elif "lang" in st.query_params:
    del st.query_params["lang"]

user = sign_in(language)  # the login, or the refusal, stops the run here until a listed user is known

try:
    get_engine()
except WarehouseUnavailable as error:  # its message masks the password; no traceback for the user
    st.error(translate("warehouse.unavailable", language, reason=error), icon=":material/error:")
    st.stop()

company = app_config().company_name or loaders.company_name()
if company:
    st.sidebar.caption(company)


def client_sections(language: str) -> dict[str, list[st.Page]]:
    """A client's navigation: its own account in a section of its own, its debts first. Our internal pages
    (the card with notes and limits, the exceptions, the worklist, the stop-list, reminders, data, audit) are
    not listed, so a link to one of them opens the debts page instead."""
    return {
        translate("client.section", language): [
            st.Page(
                "pages/client_account.py",
                title=translate("client.account.page", language),
                icon=":material/account_balance_wallet:",
                default=True,
            ),
            st.Page(
                "pages/payment_calendar.py",
                title=translate("calendar.title", language),
                icon=":material/calendar_month:",
            ),
            st.Page("pages/act.py", title=translate("act.title", language), icon=":material/handshake:"),
            st.Page(
                "pages/client_payments.py",
                title=translate("client.payments.page", language),
                icon=":material/payments:",
            ),
        ]
    }


navigation = st.navigation(
    client_sections(language)  # a client of ours: its own account only, none of our internal pages
    if user.is_client
    else {
        translate("section.overview", language): [
            st.Page(
                "pages/overview.py",
                title=translate("page.overview", language),
                icon=":material/dashboard:",
                default=user.role != "controller",
            ),
            st.Page("pages/trend.py", title=translate("trend.title", language), icon=":material/stacked_line_chart:"),
            st.Page(
                "pages/payment_calendar.py",
                title=translate("calendar.title", language),
                icon=":material/calendar_month:",
            ),
            st.Page("pages/forecast.py", title=translate("forecast.title", language), icon=":material/savings:"),
        ],
        translate("section.credit", language): [
            # The credit controller's start page (the app opens on it for that role); every role sees it, a
            # manager with their own counterparties only, as the exceptions.
            st.Page(
                "pages/worklist.py",
                title=translate("worklist.page", language),
                icon=":material/checklist:",
                default=user.role == "controller",
            ),
            st.Page("pages/contracts.py", title=translate("contracts.page", language), icon=":material/contract:"),
            st.Page("pages/aging.py", title=translate("page.aging", language), icon=":material/hourglass_bottom:"),
            st.Page("pages/exceptions.py", title=translate("exceptions.page", language), icon=":material/report:"),
            st.Page("pages/stoplist.py", title=translate("stoplist.page", language), icon=":material/block:"),
            st.Page(
                "pages/reminders.py", title=translate("reminders.page", language), icon=":material/forward_to_inbox:"
            ),
            st.Page("pages/counterparty.py", title=translate("counterparty.page", language), icon=":material/badge:"),
        ],
        translate("section.documents", language): [
            st.Page("pages/act.py", title=translate("act.title", language), icon=":material/handshake:"),
            *(
                [st.Page("pages/data.py", title=translate("page.data", language), icon=":material/database:")]
                if user.may_load
                else []
            ),
            *(
                [st.Page("pages/audit.py", title=translate("page.audit", language), icon=":material/policy:")]
                if user.may_audit
                else []
            ),
        ],
    },
    # Every page in view: past twelve, Streamlit folds the rest under «View more», which hid the act.
    expanded=True,
)
# The navigation first: the sidebar's filters know the page they are drawn for (dashboard.ui.filters: coming
# back from a card to the list it was opened from). Streamlit draws the menu above the sidebar all the same.
st.session_state["page_context"] = PageContext(language, sidebar_filters(language, navigation.url_path))
try:
    navigation.run()
except Exception as error:  # st.stop and st.rerun are BaseExceptions: they pass through
    # With client.showErrorDetails = "none" (.streamlit/config.toml, `receivables serve`) the user gets one
    # line in their language and the traceback goes to the server's log; a developer's run (the default,
    # "full", as under AppTest) shows Streamlit's own traceback.
    if st.get_option("client.showErrorDetails") not in ("none", "type", False, "false"):
        raise
    logging.getLogger("receivables").exception("page failed")
    st.error(translate("app.error", language, error=type(error).__name__), icon=":material/error:")
