"""The act's downloads: a file whose name is decided when it is built, not when its button is drawn; and
the act page's ZIP of many acts.

Streamlit's download_button with a callable builds the file when the browser asks for it (a click), but
takes the file's name from the button as drawn. The act page builds its file for the period on screen at
the click (dashboard/ui/latest.py): a date typed just before the click gives a file of the new period,
which must not carry the old dates in its name. The callable here builds (data, file name) and renames
its own deferred entry (dashboard.ui.deferred.rename_deferred) before returning the data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st

from dashboard.formatting import day
from dashboard.services.act_document import Signer
from dashboard.ui import loaders
from dashboard.ui.auth import audited, current_user, record
from dashboard.ui.db import get_engine
from dashboard.ui.deferred import download_button, rename_deferred
from queries.scope import Scope

Built = tuple[bytes, str]  # the file's bytes and its name


def named_download(
    where: Any,
    label: str,
    build: Callable[[], Built],
    *,
    file_name: str,
    audit: bool = True,
    **button: Any,
) -> None:
    """A download button in `where` (st or a container) whose file and its name come from `build()` at the
    click; `file_name` is the name until then (and should Streamlit's internals not allow the rename).
    `audit`: the download is written to the audit log under the name it got (as dashboard.ui.auth.audited),
    the user and the engine taken now, when the button is drawn. `button`: download_button's other options."""
    user, engine = (current_user(), get_engine()) if audit else (None, None)

    def data() -> bytes:
        content, name = build()
        rename_deferred(data, name)
        if engine is not None:
            record(engine, user, "export", name)
        return content

    download_button(where, label, data=data, file_name=file_name, **button)


def acts_zip_section(
    t: Callable[..., str], language: str, *, date_from: date, date_to: date, scope: Scope, signer: Signer
) -> None:
    """«Акты по всем контрагентам (ZIP)» on the act page: everyone the sidebar's manager and group filters
    allow, as one ZIP. An expander run only when open (its fields and button cost the page's first draw)."""
    box = st.expander(t("act.batch"), key="act_batch", on_change="rerun")
    if not box.open:
        return
    with box:
        st.caption(t("act.batch_help", date_from=day(date_from, language), date_to=day(date_to, language)))
        batch_format, batch_balance, batch_contracts = st.columns([1, 2, 2])
        fmt = batch_format.radio(t("act.batch_format"), ["pdf", "xlsx"], format_func=str.upper, key="act_batch_fmt")
        with_balance = batch_balance.checkbox(t("act.batch_with_balance"), value=True, key="act_batch_balance")
        per_contract = batch_contracts.checkbox(t("act.batch_per_contract"), key="act_batch_contracts")

        def batch_zip() -> bytes:
            return loaders.uncached_acts_zip(
                date_from=date_from,
                date_to=date_to,
                scope=scope,
                fmt=fmt,
                per_contract=per_contract,
                with_balance=with_balance,
                signer=signer,
            ).data

        name = f"acts_{date_from:%Y%m%d}_{date_to:%Y%m%d}.zip"
        download_button(
            st,
            t("act.batch_download"),
            data=audited(batch_zip, name),
            file_name=name,
            mime="application/zip",
            key="act_download_zip",
            on_click="ignore",
            icon=":material/folder_zip:",
        )
