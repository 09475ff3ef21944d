"""A deferred download whose file name is decided when the file is built, not when its button is drawn.

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
from types import FrameType
from typing import Any

from streamlit import runtime

from dashboard.ui.auth import current_user, record
from dashboard.ui.db import get_engine

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
