"""`receivables serve`: the dashboard (Streamlit) on the same configuration and warehouse.

The command becomes the Streamlit server (exec, not a child process): stopping `receivables serve` (Ctrl-C,
SIGTERM from systemd or a container) stops the server. A child left behind kept serving before.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cli.common import engine_of
from cli.load import warm_first_pages

ROOT = Path(__file__).resolve().parent.parent


def cmd_serve(args: argparse.Namespace) -> int:
    from dashboard.services.first_pages import is_warm
    from dashboard.services.settings import buckets

    config, engine = engine_of(args)
    try:
        # A fresh server's first visitor gets today's first pages at once: prepared now if the last load
        # (or yesterday's start) left none for today.
        if not is_warm(engine, buckets(config)):
            print("preparing the first pages...", file=sys.stderr)
            warm_first_pages(config, engine)
    finally:
        engine.dispose()
    env = dict(os.environ, RECEIVABLES_DB_URL=config.db_url)
    if config.source is not None:
        env["RECEIVABLES_CONFIG"] = str(config.source.resolve())
    app = ROOT / "streamlit_app.py"
    # dashboard.server imports the pages' modules, then runs Streamlit: the first visitor does not wait on them.
    command = [sys.executable, "-m", "dashboard.server", "run", str(app), "--server.port", str(args.port)]
    command += ["--client.showErrorDetails", "none"]  # one line for the user, the traceback in the log
    if args.headless:
        command += ["--server.headless", "true"]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, command, env)
