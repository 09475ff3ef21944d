"""A deferred download whose file name is decided when the file is built, not when its button is drawn; and
the act page's ZIP of many acts.

Streamlit's download_button with a callable builds the file when the browser asks for it (a click), but
takes the file's name from the button as drawn. The act page builds its file for the period on screen at
the click (dashboard/ui/latest.py): a date typed just before the click gives a file of the new period,
which must not carry the old dates in its name.

Streamlit 1.67 keeps a deferred button's callable in the runtime's media file manager with the file name
beside it (MediaFileManager._deferred_callables: file id -> {"callable", "filename", ...});
execute_deferred takes that entry, calls the callable and only then reads the entry's file name to serve
the file. The callable here builds (data, file name) and writes that name into its own entry, found by the
callable's identity, before returning the data. Should Streamlit's internals differ, the name drawn with
the button stays and a warning is logged.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from types import FrameType
from typing import Any

import streamlit as st
from streamlit import runtime

from dashboard.formatting import day
from dashboard.services.act_document import Signer
from dashboard.ui import loaders
from dashboard.ui.auth import audited, current_user, record
from dashboard.ui.db import get_engine
from queries.scope import Scope

LOG = logging.getLogger(__name__)
Built = tuple[bytes, str]  # the file's bytes and its name


def _entries_serving(data_callable: Callable[[], bytes]) -> list[dict[str, Any]]:
    """The deferred entries of `data_callable`: the one execute_deferred is serving now (a local of that frame
    up this thread's stack: the rerun a typed date started may already have dropped it from the manager's
    table as an orphan of the old run), and any still in the runtime's media file manager."""
    entries: list[dict[str, Any]] = []
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "execute_deferred":
            entry = frame.f_locals.get("deferred")
            if isinstance(entry, dict) and entry.get("callable") is data_callable:
                entries.append(entry)
        frame = frame.f_back
    with suppress(AttributeError, RuntimeError):  # no runtime (a test running the page alone), other internals
        manager: Any = runtime.get_instance().media_file_mgr
        with manager._lock:
            for entry in manager._deferred_callables.values():
                if isinstance(entry, dict) and entry.get("callable") is data_callable:
                    entries.append(entry)
    return entries


def rename_deferred(data_callable: Callable[[], bytes], file_name: str) -> bool:
    """Give the deferred download entries of `data_callable` the name `file_name`; whether one was found."""
    entries = _entries_serving(data_callable)
    for entry in entries:
        entry["filename"] = file_name
    if not entries:
        LOG.warning("download %s: its deferred entry is not found; the file keeps the name drawn", file_name)
    return bool(entries)


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

    where.download_button(label, data=data, file_name=file_name, **button)


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
        st.download_button(
            t("act.batch_download"),
            data=audited(batch_zip, name),
            file_name=name,
            mime="application/zip",
            key="act_download_zip",
            on_click="ignore",
            icon=":material/folder_zip:",
        )
