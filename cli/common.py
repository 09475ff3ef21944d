"""What every command of the CLI shares: exit codes, the configuration and the warehouse, who runs the
command (for the scope and the audit log), the secrets never to print, a progress bar on a terminal."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_STRICT = 3


class UsageError(Exception):
    """Bad usage detected after parsing (exit 2)."""


class Refused(Exception):
    """The caller's role may not run this command (exit 1, the one-line reason on stderr)."""


def caller(args: argparse.Namespace, config: Any) -> Any:
    """Who runs the command: --as-user's [auth.users] entry, else the operator (the OS user), who has the
    warehouse URL and so sees everything."""
    from dashboard.services.access import User, auth_settings

    if getattr(args, "as_user", None):
        user = auth_settings(config).user(args.as_user)
        if user is None:
            raise UsageError(f"--as-user {args.as_user}: no such user in [auth.users] of the configuration")
        refusal = user.client_refusal(args.command, getattr(args, "report", None))
        if refusal is not None:  # a client exports its own account only (access.CLIENT_REPORTS)
            raise Refused(refusal)
        return user
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "operator"
    return User(login=login, role="cfo", name=f"{login} (CLI)")


def audit(engine: Any, user: Any, action: str, subject: str, detail: str = "", rows: int | None = None) -> None:
    """One audit row for what the command did, in the caller's name."""
    from dashboard.services.access import record_action

    record_action(engine, user, source="cli", action=action, subject=subject, detail=detail, rows=rows)


def engine_of(args: argparse.Namespace) -> tuple[Any, Any]:
    """The configuration (--config, --db over RECEIVABLES_DB_URL) and the warehouse it names."""
    from dashboard.services.settings import load_config
    from warehouse.connect import open_warehouse

    config = load_config(args.config, args.db)
    return config, open_warehouse(config.db_url)


def secrets(args: argparse.Namespace) -> list[str]:
    """The passwords this run may know (database URLs, SMTP): never printed, whatever fails."""
    from dashboard.services.settings import load_config
    from warehouse.connect import url_secrets

    urls = [getattr(args, "db", None) or "", os.environ.get("RECEIVABLES_DB_URL", "")]
    passwords = [os.environ.get("RECEIVABLES_SMTP_PASSWORD", "")]
    try:
        config = load_config(getattr(args, "config", None))
    except Exception:  # the configuration itself is what failed: its message names no secret of it
        config = None
    if config is not None:
        urls.append(str(config.section("database").get("url", "")))
        passwords.append(str(config.section("smtp").get("password", "")))
    return [secret for url in urls for secret in url_secrets(url)] + [p for p in passwords if p]


def progress_printer() -> Any:
    """A one-line progress bar on stderr when it is a terminal; None (quiet) in scripts and pipes."""
    if not sys.stderr.isatty():
        return None
    last: dict[str, Any] = {"stage": None}

    def show(stage: str, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        bar = "#" * (percent // 5)
        sys.stderr.write(f"\r{stage:<24} [{bar:<20}] {percent:3d}%")
        if stage != last["stage"]:
            last["stage"] = stage
        sys.stderr.flush()

    return show
