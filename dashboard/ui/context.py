"""What every page needs: the language, the filters and the scope they give (set by the router)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.i18n import translate
from dashboard.ui.filters import Filters, base_scope
from queries.scope import Scope


@dataclass(frozen=True)
class PageContext:
    language: str
    filters: Filters

    @property
    def scope(self) -> Scope:
        return self.filters.scope(base_scope()).narrowed(currencies=(self.filters.currency,))

    def t(self, key: str, **values: object) -> str:
        return translate(key, self.language, **values)


def page_context() -> PageContext:
    context = st.session_state.get("page_context")
    if not isinstance(context, PageContext):
        # Streamlit ran this page by itself: a fresh server's first visitor came by a link to a page
        # (…/act?counterparty=K1) and Streamlit still treats pages/ as an old-style page folder, which
        # only the router's st.navigation call turns off. Turn it off and rerun: the router runs first
        # and shows the page the link names.
        from streamlit.runtime.pages_manager import PagesManager

        if PagesManager.uses_pages_directory:
            PagesManager.uses_pages_directory = False
            st.rerun()
        raise RuntimeError("open the app through streamlit_app.py")
    return context
