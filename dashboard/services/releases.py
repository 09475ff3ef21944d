"""Stop-list releases given in a user's name (issue 17, docs/semantics.md «Stop-list»): the one path the
stop-list page (dashboard.ui.actions) takes, so every caller applies the same rules.

- Who: a role that may release (`User.may_release`: the CFO and a controller), on a counterparty its scope
  sees; one outside it is refused as unknown.
- What: a reason (non-blank, at most 500 characters), a last day on or after the first and at most 90 days
  after it (warehouse.release_store); one active release per counterparty: a new one ends the old.
- The audit row (`stop_release`, and `stop_release_ended` for each release ended, by a new one too) is
  written on the caller's connection, in the release's transaction.

Each refusal is a `ReleaseRefused` with a one-line English message and a `code` the page words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

import warehouse
from dashboard.services.access import User, record_action
from queries.collections import counterparty_in_scope
from warehouse import release_store
from warehouse.release_store import MAX_DAYS, MAX_REASON, ReleaseRefused

__all__ = ["MAX_DAYS", "MAX_REASON", "ReleaseRefused", "Released", "end", "release"]


@dataclass(frozen=True)
class Released:
    release_id: int
    counterparty_id: str
    ended: tuple[int, ...]  # earlier releases the new one ended


def _refuse(user: User) -> None:
    if not user.may_release:
        raise ReleaseRefused(f"{user.login} ({user.role}) may not release clients from the stop list", "not_allowed")


def release(
    conn: Connection,
    user: User,
    *,
    source: str,
    counterparty_id: str,
    reason: str,
    released_on: date,
    until: date,
) -> Released:
    """Release the counterparty for shipments from released_on to until in `user`'s name, with audit rows."""
    _refuse(user)
    if not counterparty_in_scope(conn, counterparty_id, scope=user.scope):
        raise ReleaseRefused(f"unknown counterparty {counterparty_id!r}", "counterparty", counterparty=counterparty_id)
    release_id, ended = release_store.add_release(
        conn,
        counterparty_id=counterparty_id,
        reason=reason,
        released_on=released_on,
        until=until,
        author=user.login,
    )
    for old in ended:
        subject = f"release {old}: {counterparty_id}"
        detail = f"{released_on.isoformat()} (by release {release_id})"
        record_action(conn, user, source=source, action="stop_release_ended", subject=subject, detail=detail)
    subject = f"release {release_id}: {counterparty_id} {released_on.isoformat()}..{until.isoformat()}"
    record_action(conn, user, source=source, action="stop_release", subject=subject, detail=reason.strip())
    return Released(release_id, counterparty_id, tuple(ended))


def end(conn: Connection, user: User, *, source: str, release_id: int, on: date) -> str:
    """End a release from `on` (it no longer counts that day) in `user`'s name; returns its counterparty."""
    _refuse(user)
    r = warehouse.stop_releases
    owner = conn.execute(select(r.c.counterparty_id).where(r.c.release_id == release_id)).scalar()
    if owner is None or not counterparty_in_scope(conn, owner, scope=user.scope):
        raise ReleaseRefused(f"no release {release_id}", "no_release", release=release_id)
    counterparty_id = release_store.end_release(conn, release_id, on, user.login)
    subject = f"release {release_id}: {counterparty_id}"
    record_action(conn, user, source=source, action="stop_release_ended", subject=subject, detail=on.isoformat())
    return counterparty_id
