"""The router: page config, language, navigation over pages/."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import LANGUAGES, translate

st.set_page_config(page_title=translate("app.title"), page_icon="₽", layout="wide")

language = st.sidebar.selectbox(
    translate("language", st.session_state.get("language", "ru")),
    LANGUAGES,
    key="language",
    format_func=lambda code: {"ru": "Русский", "en": "English"}[code],
)

navigation = st.navigation(
    {
        translate("section.overview", language): [
            st.Page("pages/overview.py", title=translate("page.overview", language), icon="📊", default=True),
        ],
    }
)
navigation.run()
