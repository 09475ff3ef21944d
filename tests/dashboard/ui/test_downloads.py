"""dashboard.ui.downloads: a deferred download names its file when it builds it. Streamlit's own
MediaFileManager.execute_deferred serves the entry here (no server): the name it serves is the one the
callable decided, and a callable Streamlit does not know keeps the name drawn, with a warning."""

from __future__ import annotations

import logging

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from dashboard.ui.downloads import rename_deferred


def serve(build_name: str, drawn: str, *, dropped: bool = False) -> tuple[str, bytes]:
    """A deferred download drawn as `drawn` whose callable names its file `build_name`, executed by Streamlit's
    manager: (the served file's name, its bytes). `dropped`: while the file is built, the rerun the click
    started drops the old run's entry from the manager's table (an orphan), as a typed date does."""
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)

    def data() -> bytes:
        if dropped:
            manager._drop_deferred_id(file_id)
        rename_deferred(data, build_name)
        return b"the act"

    file_id = manager.add_deferred(data, "application/pdf", "coords", file_name=drawn)
    url = manager.execute_deferred(file_id)
    served = storage.get_file(url.rsplit("/", 1)[-1].split(".")[0])
    return str(served.filename), served.content


def test_the_file_is_served_under_the_name_its_callable_gave() -> None:
    assert serve("act_K1_20251001_20251130.pdf", "act_K1_20251001_20251231.pdf") == (
        "act_K1_20251001_20251130.pdf",
        b"the act",
    )


def test_the_name_is_given_even_when_the_rerun_dropped_the_entry_meanwhile() -> None:
    assert serve("act_K1_20251001_20251130.csv", "act_K1_20251001_20251231.csv", dropped=True)[0] == (
        "act_K1_20251001_20251130.csv"
    )


def test_a_callable_streamlit_does_not_serve_is_not_renamed(caplog: pytest.LogCaptureFixture) -> None:
    def stray() -> bytes:
        return b""

    with caplog.at_level(logging.WARNING, logger="dashboard.ui.downloads"):
        assert rename_deferred(stray, "act.pdf") is False
    assert "act.pdf" in caplog.text
