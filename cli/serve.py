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

ROOT = Path(__file__).resolve().parent.parent


def cmd_serve(args: argparse.Namespace) -> int:
    config, engine = engine_of(args)
    engine.dispose()
    env = dict(os.environ, RECEIVABLES_DB_URL=config.db_url)
    if config.source is not None:
        env["RECEIVABLES_CONFIG"] = str(config.source.resolve())
    app = ROOT / "streamlit_app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port)]
    command += ["--client.showErrorDetails", "none"]  # one line for the user, the traceback in the log
    if args.headless:
        command += ["--server.headless", "true"]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, command, env)
