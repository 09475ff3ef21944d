"""Streamlit's deferred downloads (a download_button whose data is a callable, run at the click), where its
runtime's internals are reached: a file named when it is built, and a click that holds the id the run
before drew.

Streamlit 1.67 keeps a deferred button's callable in the runtime's media file manager with the file name
beside it (MediaFileManager._deferred_callables: file id -> {"callable", "filename", "coordinates",
"session_id", "element_id", ...}); execute_deferred takes that entry, calls the callable and only then
reads the entry's file name to serve the file. rename_deferred lets the callable write its own name into
its entry, found by the callable's identity. Should Streamlit's internals differ, the name drawn with the
button stays and a warning is logged.

A click that commits a typed value (a date, a search) starts a rerun and asks for the file by the id the
old run drew. The new run registers a new id for the button, and when it ends Streamlit sweeps every id
no coordinates refer to (remove_orphaned_files): a request that comes after the sweep finds no file, and
the click gives nothing (CI met it once on the act page). So every callable download is drawn through
download_button here, which refers to the id the run before drew under coordinates of its own
(keep_previous): it serves until the run after next, one extra entry per button at most. Its callable
builds what it built for that run (the act's, the period on screen at the click).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from contextlib import suppress
from types import FrameType
from typing import Any

from streamlit import runtime

LOG = logging.getLogger(__name__)
PREVIOUS = " (previous run)"  # appended to a button's coordinates: where keep_previous refers to its last id


def download_button(where: Any, label: str, *, data: Any, **button: Any) -> bool:
    """`where`.download_button (st or a container) with the same arguments; for a callable `data`, the id the
    run before drew for this button is kept one run more (keep_previous). Whether it was clicked."""
    clicked = bool(where.download_button(label, data=data, **button))
    if callable(data):
        with suppress(AttributeError, RuntimeError):  # no runtime (a test running the page alone), other internals
            keep_previous(runtime.get_instance().media_file_mgr, data)
    return clicked


def keep_previous(manager: Any, data_callable: Callable[[], bytes]) -> str | None:
    """Refer to the id the run before this one drew for the button `data_callable` was just drawn with (same
    session and element), so Streamlit's sweep after this run keeps it: a click that left with the old id
    before the new one reached the browser still gets its file. The id kept before it is left to the sweep.
    Returns the id kept, if any."""
    with manager._lock:
        drawn = _drawn_with(manager, data_callable)
        if len(drawn) != 1 or not drawn[0][1].get("element_id"):
            return None
        new_id, new = drawn[0]
        session_files = manager._files_by_session_and_coord[new["session_id"]]
        referred = set(session_files.values())
        # The id the new one replaced at the button's coordinates: the same element's, which no coordinates
        # refer to any more (the one kept from two runs back is still referred to, under PREVIOUS).
        replaced = [
            file_id
            for file_id in manager._deferred_ids_by_session.get(new["session_id"], ())
            if file_id != new_id
            and file_id not in referred
            and manager._deferred_callables.get(file_id, {}).get("element_id") == new["element_id"]
        ]
        if not replaced:
            return None
        session_files[str(new["coordinates"]) + PREVIOUS] = replaced[-1]
        return replaced[-1]


def _drawn_with(manager: Any, data_callable: Callable[[], bytes]) -> list[tuple[str, dict[str, Any]]]:
    """The manager's deferred entries holding `data_callable`, with their ids (the caller holds its lock)."""
    return [
        (file_id, entry)
        for file_id, entry in manager._deferred_callables.items()
        if isinstance(entry, dict) and entry.get("callable") is data_callable
    ]


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
            entries += [entry for _id, entry in _drawn_with(manager, data_callable)]
    return entries


def rename_deferred(data_callable: Callable[[], bytes], file_name: str) -> bool:
    """Give the deferred download entries of `data_callable` the name `file_name`; whether one was found."""
    entries = _entries_serving(data_callable)
    for entry in entries:
        entry["filename"] = file_name
    if not entries:
        LOG.warning("download %s: its deferred entry is not found; the file keeps the name drawn", file_name)
    return bool(entries)
