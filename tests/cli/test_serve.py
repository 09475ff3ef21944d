"""`receivables serve` is the server: stopping it (SIGTERM, as systemd or docker stop do) stops the dashboard.
It used to start Streamlit as a child and leave it serving when it was stopped itself."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.helpers.paths import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_stopping_serve_stops_the_dashboard(tmp_path: Path) -> None:
    port = free_port()
    db = f"sqlite:///{tmp_path / 'w.db'}"
    with (tmp_path / "serve.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--headless", "--port", str(port), "--db", db],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: a child left behind would survive the kill below
        )
    try:
        deadline = time.monotonic() + 90
        while not answers(port):
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "the dashboard never answered"
            time.sleep(0.5)

        process.send_signal(signal.SIGTERM)  # to `receivables serve` alone, not its group
        process.wait(timeout=30)
        deadline = time.monotonic() + 15
        while answers(port) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not answers(port), "the dashboard still serves after `receivables serve` was stopped"
    finally:
        if _group_alive(process.pid):  # whatever is left of it, the test's own cleanup
            os.killpg(process.pid, signal.SIGKILL)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except OSError:
        return False
    return True
