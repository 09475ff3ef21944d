"""The audit log as one list: loads (load_runs) and exports, sent reminders and settings (audit_log).

One row per action, newest first: at (datetime, to the second), user, role, source (app or cli), action
(load, export, reminders_sent, settings), subject (the command or report), detail (the file written)
and rows (rows read by a load, rows exported, reminders sent). Only for a scope that sees everything (the CFO's page
checks the role; a manager's scope gets nothing)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from queries.loads import _entity_counts, _parsed_counts
from queries.scope import Scope

AUDIT_SCHEMA = pl.Schema(
    {
        "at": pl.Datetime("us"),
        "user": pl.String(),
        "role": pl.String(),
        "source": pl.String(),
        "action": pl.String(),
        "subject": pl.String(),
        "detail": pl.String(),
        "rows": pl.Int64(),
    }
)


def _rows_read(counts: str) -> int | None:
    """Rows read by a load, from load_runs.counts as queries.loads parses it."""
    entities = _entity_counts(_parsed_counts(counts))
    return sum(c["read"] for _, c in entities) if entities else None


def audit_log(
    conn: Connection,
    *,
    date_from: date,
    date_to: date,
    scope: Scope | None = None,
    user: str | None = None,
    action: str | None = None,
) -> pl.DataFrame:
    """Every action dated in [date_from, date_to], newest first; `user` and `action` narrow it."""
    scope = scope or Scope.everything()
    if scope.restricts_counterparties or scope.contract_ids is not None:
        return pl.DataFrame(schema=AUDIT_SCHEMA)
    start, end = datetime.combine(date_from, time.min), datetime.combine(date_to + timedelta(days=1), time.min)
    a, r = warehouse.audit_log, warehouse.load_runs
    rows: list[tuple[object, ...]] = []
    if action in (None, "load"):
        loads = select(r.c.started_at, r.c.user_name, r.c.command, r.c.counts).where(
            r.c.started_at >= start, r.c.started_at < end
        )
        if user:
            loads = loads.where(r.c.user_name == user)
        for at, name, command, counts in conn.execute(loads):
            source = "app" if command.startswith("upload") else "cli"
            rows.append((at, name, "", source, "load", command, "", _rows_read(counts)))
    if action != "load":
        actions = select(
            a.c.at, a.c.user_name, a.c.role, a.c.source, a.c.action, a.c.subject, a.c.detail, a.c.rows
        ).where(a.c.at >= start, a.c.at < end)
        if user:
            actions = actions.where(a.c.user_name == user)
        if action:
            actions = actions.where(a.c.action == action)
        rows += [tuple(row) for row in conn.execute(actions)]
    return (
        pl.DataFrame(rows, schema=AUDIT_SCHEMA, orient="row")
        .with_columns(pl.col("at").dt.truncate("1s"))
        .sort("at", descending=True, maintain_order=True)
    )
