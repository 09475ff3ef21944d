"""The real app under `streamlit run`, for the browser tests (tests/e2e), `make screenshots` and `make bench`.

Chromium comes from apt (`.ci/run` installs it); Playwright's own browser download does not work here.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers.paths import ROOT

CHROMIUM = Path(os.environ.get("RECEIVABLES_CHROMIUM", "/usr/bin/chromium"))
IDLE = "document.querySelector('[data-testid=\"stStatusWidget\"]') === null"  # no rerun running
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def settled(page, timeout: float = 60_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until no script run is under way, then a second for the browser to draw what it sent."""
    page.wait_for_function(IDLE, timeout=timeout)
    page.wait_for_timeout(1000)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(
    db_url: str, tmp_path: Path, config: Path | None = None, script: Path = ROOT / "streamlit_app.py"
) -> tuple[subprocess.Popen[bytes], str]:
    """The app (or another `script`) served as `receivables serve` serves it, on a free port over db_url's
    warehouse (and config): the process and its URL once it answers. Its log is tmp_path/streamlit.log; the
    caller ends the process."""
    port = _free_port()
    with (tmp_path / "streamlit.log").open("wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dashboard.server",  # as `receivables serve` starts it: the pages' modules imported first
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--server.address",
                "127.0.0.1",
                # An edit to the source meanwhile (another test run, a person) must not turn the page into
                # «Source file changed», which holds a rerun until someone clicks.
                "--server.fileWatcherType",
                "none",
                "--client.showErrorDetails",  # a failing page shows Streamlit's exception box, which the tests look for
                "full",
            ],
            cwd=ROOT,
            env={**os.environ, "RECEIVABLES_DB_URL": db_url}
            | ({"RECEIVABLES_CONFIG": str(config)} if config is not None else {}),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, url
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not start: {(tmp_path / 'streamlit.log').read_text(errors='replace')}")


def start_small_ledger_app(tmp_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """start_app over a fresh SQLite warehouse holding the small ledger (tests/helpers/ledgers.py)."""
    from etl.load import load_paths
    from tests.helpers.ledgers import source
    from warehouse.engine import ensure_schema, make_engine

    db_url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    return start_app(db_url, tmp_path)


def download(page, button, log: Path, timeout: float = 90_000) -> bytes:  # type: ignore[no-untyped-def]
    """Click a download button (a Playwright locator) and return the file's bytes. When no file comes,
    fail with what the button said (Streamlit shows a failed deferred download under it) and the end of
    the server's log, so a failure in CI says why."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        with page.expect_download(timeout=timeout) as download_info:
            button.click()
        return Path(download_info.value.path()).read_bytes()
    except PlaywrightTimeout:
        errors = page.locator('[data-testid="stDownloadButtonError"]').all_inner_texts()
        tail = log.read_text(errors="replace")[-4000:] if log.exists() else "(no server log)"
        raise AssertionError(f"no download; the page said {errors}; the server's log ends:\n{tail}") from None


class DeferredRequests:
    """What a page asks Streamlit's server for over its WebSocket when a deferred download button is clicked
    (a BackMsg's backend_operation_request for a deferred_file), and what the server answers (the file's URL or
    an error): whether a click that brought no file reached the server at all. Made before the page loads."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.asked: list[str] = []  # the file ids the page asked for, in order
        self.answers: list[str] = []  # the server's answers, in order: "url ..." or "error ..."
        page.on("websocket", self._watch)

    def _watch(self, socket) -> None:  # type: ignore[no-untyped-def]
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload: bytes | str) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        message = _parsed(BackMsg, payload)
        if message is not None and message.WhichOneof("type") == "backend_operation_request":
            request = message.backend_operation_request
            if request.HasField("deferred_file"):
                self.asked.append(request.deferred_file.file_id)

    def _received(self, payload: bytes | str) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if len(payload) > 20_000:  # a deferred file's answer is a short URL or message; skip the page's data
            return
        message = _parsed(ForwardMsg, payload)
        if message is not None and message.WhichOneof("type") == "backend_operation_response":
            answer = message.backend_operation_response
            if answer.HasField("deferred_file") or answer.error_msg:
                self.answers.append(
                    f"url {answer.deferred_file.url}" if not answer.error_msg else f"error {answer.error_msg}"
                )


def _parsed(kind: type, payload: bytes | str):  # type: ignore[no-untyped-def]
    """A WebSocket frame as the protobuf message `kind`, or None when it is not one."""
    if isinstance(payload, str):
        return None
    from google.protobuf.message import DecodeError

    try:
        return kind.FromString(payload)  # type: ignore[attr-defined]
    except DecodeError:
        return None


def add_promise(page, amount: str, until: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """On an open counterparty's card, fill the form «Контакты и договорённости» with a promise of amount
    (as typed, «300,50») until a day (DDMMYYYY, typed into the date's segments) and a text, and press
    «Записать». The caller waits for the page to settle after each step it needs."""
    page.get_by_role("radio", name="Обещание", exact=True).click()  # a segmented control's item
    page.wait_for_timeout(800)  # its rerun starts and brings the promise's fields
    page.wait_for_function(IDLE, timeout=60_000)
    page.get_by_role("textbox", name="Сумма обещания").fill(amount)
    field = page.get_by_role("group", name="Оплатят до", exact=True)
    field.get_by_role("spinbutton").first.click()  # the day's segment
    page.keyboard.type(until)
    page.get_by_role("textbox", name="Текст").fill(text)
    page.get_by_role("button", name="Записать").click()
    page.get_by_text("Запись добавлена.").wait_for(timeout=60_000)
