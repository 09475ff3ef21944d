"""What every page needs: the language, the filters, the scope they give and the config's bucket edges
(set by the router; a test sets the context itself)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import streamlit as st

from dashboard.i18n import translate
from dashboard.services import settings
from dashboard.ui.db import app_config
from dashboard.ui.filters import Filters, base_scope
from domain.buckets import Buckets
from queries.scope import Scope

Filter = Literal["currency", "counterparty", "contract"]


@dataclass(frozen=True)
class PageContext:
    language: str
    filters: Filters

    @property
    def user_scope(self) -> Scope:
        """Who the user may see (dashboard.ui.auth), no sidebar filter applied: the audit log's scope."""
        return base_scope()

    @property
    def scope(self) -> Scope:
        """What the page's queries see: the user's scope (dashboard.ui.auth, through
        dashboard.ui.filters.base_scope) narrowed by every filter of the sidebar, the currency included,
        so a frame a loader returns for it holds the chosen currency only. The one way a page builds a
        scope; scope_without lets some of the sidebar's filters go, and a page narrows further with
        Scope.narrowed (one counterparty's card)."""
        return self.scope_without()

    def scope_without(self, *ignored: Filter) -> Scope:
        """The page's scope with the named sidebar filters let go: "contract" for what belongs to the whole
        customer (the stop-list on the card), "counterparty" and "currency" for a page that picks them
        itself. Never wider than the user's scope."""
        filters = replace(
            self.filters,
            counterparty_id="" if "counterparty" in ignored else self.filters.counterparty_id,
            contract_id="" if "counterparty" in ignored or "contract" in ignored else self.filters.contract_id,
        )
        scope = filters.scope(base_scope())
        return scope if "currency" in ignored else scope.narrowed(currencies=(filters.currency,))

    @property
    def buckets(self) -> Buckets:
        """The days-to-due and overdue buckets of the config's [aging] (the defaults without one), as the CLI
        reads them: every page that shows buckets passes these to its loaders and labels."""
        return settings.buckets(app_config())

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
