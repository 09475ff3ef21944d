"""dashboard.ui.deferred: a deferred download names its file when it builds it. Streamlit's own
MediaFileManager.execute_deferred serves the entry here (no server): the name it serves is the one the
callable decided, and a callable Streamlit does not know keeps the name drawn, with a warning; a click
holding the id the run before drew still gets its file after the next run's sweep."""

from __future__ import annotations

import logging

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from dashboard.ui.deferred import keep_previous, rename_deferred
from tests.helpers.paths import ROOT, app_lines_calling


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

    with caplog.at_level(logging.WARNING, logger="dashboard.ui.deferred"):
        assert rename_deferred(stray, "act.pdf") is False
    assert "act.pdf" in caplog.text


def test_a_click_with_the_id_the_last_run_drew_gets_its_file_after_the_next_run_swept() -> None:
    """Runs of a page drawing one button (the same element at the same coordinates), each followed by
    Streamlit's sweep of the ids no coordinates refer to, as the runtime does after every run. The id the
    run before drew still serves (a click that left before the new id reached the browser); older ones are
    swept, so one extra entry per button at most."""
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    drawn: list[str] = []
    for run in range(4):

        def data(run: int = run) -> bytes:
            return f"the act of run {run}".encode()

        drawn.append(manager.add_deferred(data, "text/csv", "1.2.3", file_name="act.csv", element_id="act_csv"))
        kept = keep_previous(manager, data)
        assert kept == (drawn[run - 1] if run else None)
        manager.remove_orphaned_files()
    assert set(manager._deferred_callables) == {drawn[2], drawn[3]}
    for run in (2, 3):
        served = storage.get_file(manager.execute_deferred(drawn[run]).rsplit("/", 1)[-1].split(".")[0])
        assert served.content == f"the act of run {run}".encode()
    with pytest.raises(MediaFileStorageError):
        manager.execute_deferred(drawn[1])


def test_without_keeping_it_the_sweep_takes_the_last_runs_id() -> None:
    """What keep_previous is for: Streamlit alone serves only the id of the latest run."""
    manager = MediaFileManager(MemoryMediaFileStorage("/media"))
    old = manager.add_deferred(lambda: b"old", "text/csv", "1.2.3", file_name="act.csv", element_id="act_csv")
    manager.remove_orphaned_files()
    manager.add_deferred(lambda: b"new", "text/csv", "1.2.3", file_name="act.csv", element_id="act_csv")
    manager.remove_orphaned_files()
    with pytest.raises(MediaFileStorageError):
        manager.execute_deferred(old)


def test_every_download_button_of_the_app_is_drawn_through_the_one_that_keeps_the_last_id() -> None:
    """st.download_button drawn directly would lose its file to the sweep again (the race above)."""
    assert app_lines_calling(".download_button(", but="deferred.py") == []
    assert ".download_button(" in (ROOT / "dashboard" / "ui" / "deferred.py").read_text(encoding="utf-8")
