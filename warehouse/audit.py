"""The audit log's writer: one row per export, sent reminder run, settings change, note written or
resolved, stop-list release given or ended (loads are in load_runs). An export is recorded before its file
is handed over: if the log cannot be written, the export fails with the database's error instead of leaving
no trace."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, insert

import warehouse

ACTIONS = (
    "export",
    "reminders_sent",
    "settings",
    "note",
    "note_resolved",
    "stop_release",
    "stop_release_ended",
    "their_act",  # a client's copy of a reconciliation act stored (dashboard.services.their_acts)
)


def record(
    target: Engine | Connection,
    *,
    user: str,
    role: str = "",
    source: str,
    action: str,
    subject: str = "",
    detail: str = "",
    rows: int | None = None,
) -> None:
    """Write one row (in its own transaction when given an engine)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    row = {
        "at": datetime.now().replace(microsecond=0),
        "user_name": user,
        "role": role,
        "source": source,
        "action": action,
        "subject": subject,
        "detail": detail,
        "rows": rows,
    }
    if isinstance(target, Engine):
        with target.begin() as conn:
            conn.execute(insert(warehouse.audit_log).values(**row))
    else:
        target.execute(insert(warehouse.audit_log).values(**row))
