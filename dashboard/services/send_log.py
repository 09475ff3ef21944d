"""The reminders' send log (warehouse.reminder_log, one row per counterparty, rule and day): what it says
before a run, and the steps each message's rows go through in a run (dashboard.services.reminder_run):
claimed as ``pending``, then ``sent`` or ``failed``; earlier days' failed rows ``retried`` with a later
message, or ``obsolete`` when nothing of them is open any more.

Every step is its own transaction, so what reached the SMTP server is never lost with a run killed later.
A row is claimed only from ``failed`` (or ``pending`` with ``retry_unconfirmed``): a row already ``sent``
or ``pending`` cannot be claimed twice, so two runs at once never send one reminder twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, and_, exc, func, insert, select, update

import warehouse
from dashboard.services.reminders import SETTINGS_KEY
from queries.scope import Scope
from warehouse.state import read_meta


@dataclass(frozen=True)
class LogRows:
    """The log rows behind one message."""

    counterparty_id: str
    own: dict[str, str]  # rule -> documents JSON, the run day's rows to claim
    carried: tuple[tuple[date, str], ...]  # (day, rule) of earlier failed rows this message retries


@dataclass(frozen=True)
class LogState:
    """What the log says before a run on a day, within a scope."""

    today: dict[tuple[str, str], str]  # (counterparty_id, rule) -> the status of the day's row
    earlier: list[Any]  # rows (day, counterparty_id, rule, documents) of earlier days to retry
    unconfirmed_earlier: int  # pending rows of earlier days: killed runs someone should check


def log_state(conn: Connection, *, as_of: date, scope: Scope, retry_unconfirmed: bool) -> LogState:
    log = warehouse.reminder_log
    in_scope = scope.counterparty_filter(log.c.counterparty_id)
    today = {
        (r.counterparty_id, r.rule): r.status
        for r in conn.execute(
            select(log.c.counterparty_id, log.c.rule, log.c.status).where(log.c.day == as_of, in_scope)
        )
    }
    retry_statuses = ("failed", "pending") if retry_unconfirmed else ("failed",)
    earlier = conn.execute(
        select(log.c.day, log.c.counterparty_id, log.c.rule, log.c.documents).where(
            log.c.day < as_of, log.c.status.in_(retry_statuses), in_scope
        )
    ).all()
    unconfirmed_earlier = 0
    if not retry_unconfirmed:
        unconfirmed_earlier = len(
            conn.execute(
                select(log.c.counterparty_id).where(log.c.day < as_of, log.c.status == "pending", in_scope)
            ).all()
        )
    return LogState(today, list(earlier), unconfirmed_earlier)


def log_stamp(conn: Connection) -> tuple[Any, ...]:
    """Changes whenever the send log, the saved reminder settings, the notes or the stop-list releases do:
    with the warehouse's version, what a cached plan or log listing depends on (the log, the notes and the
    releases change without a load; a new promise or dispute, or one resolved, changes who is reminded, a
    release given or ended who is stopped)."""
    log, notes = warehouse.reminder_log, warehouse.notes
    row = conn.execute(
        select(func.count(), func.coalesce(func.sum(log.c.attempts), 0), func.max(log.c.recorded_at))
    ).one()
    written = conn.execute(select(func.count(), func.max(notes.c.note_id), func.count(notes.c.resolved_on))).one()
    r = warehouse.stop_releases
    released = conn.execute(select(func.count(), func.max(r.c.release_id), func.count(r.c.ended_on))).one()
    return (*tuple(row), *tuple(written), *tuple(released), read_meta(conn, SETTINGS_KEY))


class _Taken(Exception):
    pass


def _key(day: date, counterparty_id: str, rule: str) -> ColumnElement[bool]:
    """One row of the send log."""
    log = warehouse.reminder_log
    return and_(log.c.day == day, log.c.counterparty_id == counterparty_id, log.c.rule == rule)


def _insert(conn: Connection, day: date, counterparty_id: str, rule: str, **values: Any) -> None:
    """A new row of the log: its first attempt."""
    conn.execute(
        insert(warehouse.reminder_log).values(day=day, counterparty_id=counterparty_id, rule=rule, attempts=1, **values)
    )


def mark_obsolete(engine: Engine, day: date, obsolete: list[tuple[date, str, str]]) -> None:
    """Earlier rows (day, counterparty, rule) whose documents were all paid by `day`: nothing left to send."""
    if not obsolete:
        return
    log = warehouse.reminder_log
    with engine.begin() as conn:
        for carried_day, counterparty_id, rule in obsolete:
            conn.execute(
                update(log)
                .where(_key(carried_day, counterparty_id, rule), log.c.status.in_(("failed", "pending")))
                .values(status="obsolete", error=f"nothing of it was open on {day:%d.%m.%Y}")
            )


def claim(
    engine: Engine,
    day: date,
    rows: LogRows,
    *,
    recipients: str,
    subject: str,
    message_id: str,
    user: str,
    retry_unconfirmed: bool,
) -> bool:
    """Record the message's rows as pending; False when another run holds (or has sent) any of them."""
    log = warehouse.reminder_log
    values = {
        "status": "pending",
        "recipients": recipients,
        "subject": subject,
        "message_id": message_id,
        "recorded_at": datetime.now(),
        "sent_at": None,
        "error": "",
        "user_name": user,
    }
    claimable = ("failed", "pending") if retry_unconfirmed else ("failed",)
    try:
        with engine.begin() as conn:
            for rule, documents in rows.own.items():
                key = _key(day, rows.counterparty_id, rule)
                current = conn.execute(select(log.c.status).where(key)).scalar()
                if current is None:
                    _insert(conn, day, rows.counterparty_id, rule, documents=documents, **values)
                elif current in claimable:
                    done = conn.execute(
                        update(log)
                        .where(key, log.c.status == current)
                        .values(documents=documents, attempts=log.c.attempts + 1, **values)
                    )
                    if done.rowcount != 1:
                        raise _Taken
                else:
                    raise _Taken
            for carried_day, rule in rows.carried:  # earlier days' failed rows this message retries
                key = _key(carried_day, rows.counterparty_id, rule)
                done = conn.execute(
                    update(log)
                    .where(key, log.c.status.in_(claimable))
                    .values(status="pending", attempts=log.c.attempts + 1, message_id=message_id, user_name=user)
                )
                if done.rowcount != 1:
                    raise _Taken
    except (_Taken, exc.IntegrityError, exc.OperationalError):
        return False
    return True


def finish(engine: Engine, day: date, rows: LogRows, status: str, error: str, *, keep_carried: bool) -> None:
    """Confirm (sent) or fail the message's rows; the carried rows follow (retried, or another attempt)."""
    log = warehouse.reminder_log
    with engine.begin() as conn:
        for rule in rows.own:
            key = _key(day, rows.counterparty_id, rule)
            conn.execute(
                update(log)
                .where(key)
                .values(status=status, error=error, sent_at=datetime.now() if status == "sent" else None)
            )
        for carried_day, rule in rows.carried:
            key = _key(carried_day, rows.counterparty_id, rule)
            if keep_carried:
                conn.execute(update(log).where(key).values(status="failed", error=error))
            else:
                conn.execute(
                    update(log)
                    .where(key)
                    .values(status="retried", error=f"sent with the reminder of {day:%d.%m.%Y}", sent_at=datetime.now())
                )


def record_failure(engine: Engine, day: date, rows: LogRows, *, subject: str, error: str, user: str) -> None:
    """A message that cannot go (no address): its rows read failed, to be retried once it can."""
    log = warehouse.reminder_log
    with engine.begin() as conn:
        for rule, documents in rows.own.items():
            key = _key(day, rows.counterparty_id, rule)
            current = conn.execute(select(log.c.status).where(key)).scalar()
            if current is None:
                _insert(
                    conn,
                    day,
                    rows.counterparty_id,
                    rule,
                    status="failed",
                    documents=documents,
                    subject=subject,
                    recorded_at=datetime.now(),
                    error=error,
                    user_name=user,
                )
            elif current == "failed":
                conn.execute(update(log).where(key).values(attempts=log.c.attempts + 1, error=error))
        for carried_day, rule in rows.carried:
            key = _key(carried_day, rows.counterparty_id, rule)
            conn.execute(update(log).where(key).values(attempts=log.c.attempts + 1, error=error))
