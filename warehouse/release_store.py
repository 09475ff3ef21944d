"""Stop-list releases' writes: a client released for shipments from a day until a day with a reason, and a
release ended early. Releases are never deleted or rewritten otherwise.

(Named release_store rather than stop_releases: `warehouse.stop_releases` is the table, as every table is
re-exported by name.)

Each refusal is a ReleaseRefused (a ValueError) whose message is one line for a person and whose `code` the
app words in the user's language. The caller checks who may release which counterparty (the role, the
scope) and writes the audit row in the same transaction. The rule of when a release counts is
queries.releases'.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Connection, and_, insert, or_, select, update

import warehouse

MAX_DAYS = 90  # a release lasts at most this many days after its first day
MAX_REASON = 500  # characters


class ReleaseRefused(ValueError):
    """A release that cannot be given or ended; `code` names the reason, `values` what the message quotes."""

    def __init__(self, message: str, code: str = "refused", **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


def _in_force(on: date) -> ColumnElement[bool]:
    """Releases not ended on or before `on` whose last day is `on` or later (including later ones)."""
    r = warehouse.stop_releases
    return and_(r.c.until >= on, or_(r.c.ended_on.is_(None), r.c.ended_on > on))


def add_release(
    conn: Connection,
    *,
    counterparty_id: str,
    reason: str,
    released_on: date,
    until: date,
    author: str,
    created_at: datetime | None = None,
) -> tuple[int, list[int]]:
    """Write one release and return its id with the ids of the releases it ended: a counterparty has one
    release at a time, so one still in force on released_on (or starting later) ends on released_on."""
    reason = reason.strip()
    if not reason:
        raise ReleaseRefused("a release needs a reason", "reason")
    if len(reason) > MAX_REASON:
        raise ReleaseRefused(f"a reason is at most {MAX_REASON} characters", "reason_long", limit=MAX_REASON)
    if until < released_on:
        raise ReleaseRefused(
            f"a release's last day {until.isoformat()} is before its first {released_on.isoformat()}",
            "until_before",
            until=until,
            date=released_on,
        )
    if until > released_on + timedelta(days=MAX_DAYS):
        raise ReleaseRefused(
            f"a release lasts at most {MAX_DAYS} days: until {(released_on + timedelta(days=MAX_DAYS)).isoformat()}",
            "until_far",
            days=MAX_DAYS,
            until=released_on + timedelta(days=MAX_DAYS),
        )
    c, r = warehouse.counterparties, warehouse.stop_releases
    if conn.execute(select(c.c.counterparty_id).where(c.c.counterparty_id == counterparty_id)).first() is None:
        raise ReleaseRefused(f"unknown counterparty {counterparty_id!r}", "counterparty", counterparty=counterparty_id)
    earlier = list(
        conn.execute(
            select(r.c.release_id).where(r.c.counterparty_id == counterparty_id, _in_force(released_on))
        ).scalars()
    )
    if earlier:
        conn.execute(update(r).where(r.c.release_id.in_(earlier)).values(ended_on=released_on, ended_by=author))
    result = conn.execute(
        insert(r).values(
            counterparty_id=counterparty_id,
            reason=reason,
            released_on=released_on,
            until=until,
            author=author,
            created_at=created_at or datetime.now().replace(microsecond=0),
        )
    )
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - both dialects give the new id
        raise RuntimeError("the database gave no id for the new release")
    return int(key[0]), [int(i) for i in earlier]


def end_release(conn: Connection, release_id: int, on: date, by: str) -> str:
    """End a release from `on` (it no longer counts on that day); returns its counterparty. Refuses an unknown
    release, one already ended, and one whose last day is before `on` (it ended by itself)."""
    r = warehouse.stop_releases
    row = conn.execute(select(r.c.counterparty_id, r.c.until, r.c.ended_on).where(r.c.release_id == release_id)).first()
    if row is None:
        raise ReleaseRefused(f"no release {release_id}", "no_release", release=release_id)
    counterparty_id, until, ended_on = row
    if ended_on is not None:
        raise ReleaseRefused(f"release {release_id} was already ended on {ended_on.isoformat()}", "ended")
    if until < on:
        raise ReleaseRefused(f"release {release_id} ran out on {until.isoformat()}", "ran_out", until=until)
    done = conn.execute(
        update(r).where(r.c.release_id == release_id, r.c.ended_on.is_(None)).values(ended_on=on, ended_by=by)
    )
    if done.rowcount != 1:  # ended by someone else since the read
        raise ReleaseRefused(f"release {release_id} was already ended", "ended")
    return str(counterparty_id)
