"""What a session's widgets last said, for a download built after its button was drawn.

A download button's data is made when the browser asks for the file, from what the script knew when it
drew the button. A manager who types a new end date and clicks «Скачать PDF» at once sends both: the date
(on leaving the field), which reruns the page, and the click, which fetches the file the old run drew. So
the act came out for the old period. The page publishes the period it reads on every run; the download,
a moment later, takes the newest one the session published.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from streamlit.runtime.scriptrunner import get_script_run_ctx

_LOCK = threading.Lock()
_VALUES: dict[tuple[str, str], Any] = {}
SETTLE = 0.6  # seconds: the rerun the new value started reads its widgets within this


def session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def publish(key: str, value: Any) -> None:
    """This session's newest `key` (called by the script run that read it)."""
    with _LOCK:
        _VALUES[(session_id(), key)] = value


def newest(session: str, key: str, default: Any) -> Any:
    """The newest `key` the session published, after a moment for a rerun under way to read its widgets;
    `default` when it published none (a test running the page alone)."""
    time.sleep(SETTLE)
    with _LOCK:
        return _VALUES.get((session, key), default)
