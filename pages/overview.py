"""Overview: for now the warehouse status; the CFO's KPI tiles arrive with the dashboard issue."""

from __future__ import annotations

import streamlit as st

from dashboard.db import get_engine
from dashboard.i18n import translate
from queries.status import warehouse_status

language = st.session_state.get("language", "ru")
t = lambda key, **values: translate(key, language, **values)  # noqa: E731

st.title(t("app.title"))
with get_engine().connect() as conn:
    status = warehouse_status(conn)

if status.documents == 0:
    st.info(t("status.empty"))
else:
    st.subheader(t("status.heading"))
    columns = st.columns(5)
    tiles = [
        ("status.counterparties", status.counterparties),
        ("status.contracts", status.contracts),
        ("status.documents", status.documents),
        ("status.unidentified", status.unidentified_payments),
        ("status.rejects", status.rejects),
    ]
    for column, (key, value) in zip(columns, tiles, strict=True):
        column.metric(t(key), f"{value:,}".replace(",", "\u00a0"))
    if status.last_load_id is not None and status.last_load_at is not None:
        st.caption(
            t(
                "status.last_load",
                load_id=status.last_load_id,
                when=status.last_load_at.strftime("%d.%m.%Y %H:%M"),
                seconds=f"{status.last_load_seconds or 0:.1f}",
                files=status.last_load_files,
            )
        )
st.info(t("status.placeholder"))
