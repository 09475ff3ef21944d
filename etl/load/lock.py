"""The load's one transaction and the warehouse's load lock: one load at a time, all of it or nothing.

A second load waits for the first to commit or die, then sees everything it wrote; with a limit
(`wait`, else RECEIVABLES_LOAD_WAIT), it gives up with LoadBusy.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import OperationalError

from etl.load.types import LoadBusy, LoadError

LOCK_KEY = 7453101  # the PostgreSQL advisory lock a load holds for its whole transaction
LOAD_WAIT = "RECEIVABLES_LOAD_WAIT"  # seconds a load waits for another one to finish; unset: as long as it takes
log = logging.getLogger("etl.load")


def wait_limit(wait: float | None) -> float:
    """Seconds to wait for another load: the argument, else RECEIVABLES_LOAD_WAIT, else without limit."""
    if wait is None:
        raw = os.environ.get(LOAD_WAIT, "").strip()
        if not raw:
            return math.inf
        try:
            wait = float(raw)
        except ValueError:
            raise LoadError(f"{LOAD_WAIT} must be a number of seconds, not {raw!r}") from None
    return max(0.0, wait)


def _waiting(wait: float) -> float:
    """Say, once, that this load waits for another (unless it may not wait); the deadline by time.monotonic()."""
    if wait > 0:
        log.warning(
            "another load is running on this warehouse: waiting for it to finish%s",
            "" if math.isinf(wait) else f" (at most {wait:g} s)",
        )
    return time.monotonic() + wait


def _busy(wait: float) -> LoadBusy:
    within = f" and did not finish within {wait:g} s" if wait > 0 else ""
    return LoadBusy(
        f"another load is running on this warehouse{within}: nothing was loaded; load again once it has finished"
    )


@contextmanager
def transaction(engine: Engine, wait: float) -> Iterator[Connection]:
    """The load's one transaction, begun once it holds the warehouse's load lock: one load at a time.

    A second load waits for the first to commit or die, then sees everything it wrote; with a limit, it
    gives up with LoadBusy. A killed load never leaves the lock behind: PostgreSQL's transaction-level
    advisory lock ends with the session, and SQLite's write lock with the process (the OS drops its file
    locks; the next reader ignores what the dead writer left uncommitted in the WAL)."""
    if engine.dialect.name == "sqlite":
        with _sqlite_write_transaction(engine, wait) as conn:
            yield conn
        return
    with engine.connect() as conn, conn.execution_options(isolation_level="READ COMMITTED").begin():
        # READ COMMITTED, unlike the engine's REPEATABLE READ: a snapshot taken before the wait for the
        # lock would hide what the load waited for.
        if not conn.execute(select(func.pg_try_advisory_xact_lock(LOCK_KEY))).scalar():
            deadline = _waiting(wait)
            if math.isinf(wait):
                conn.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))
            else:
                while not conn.execute(select(func.pg_try_advisory_xact_lock(LOCK_KEY))).scalar():
                    if time.monotonic() >= deadline:
                        raise _busy(wait)
                    time.sleep(0.1)
        yield conn


@contextmanager
def _sqlite_write_transaction(engine: Engine, wait: float) -> Iterator[Connection]:
    """BEGIN IMMEDIATE: the write lock first, before anything is read, so the load reads the warehouse as
    the previous load left it (a deferred BEGIN reads first, and its first write fails with
    SQLITE_BUSY_SNAPSHOT when another load committed meanwhile). The connection's busy_timeout (60 s)
    would end a longer wait with a bare 'database is locked': the first try does not wait, the next one
    waits up to the limit."""
    with engine.connect() as conn:
        conn.execution_options(sqlite_immediate=True)
        raw = conn.connection.driver_connection
        assert raw is not None
        usual = raw.execute("PRAGMA busy_timeout").fetchone()[0]
        deadline: float | None = None
        try:
            while True:
                remaining = 0.0 if deadline is None else deadline - time.monotonic()
                raw.execute(f"PRAGMA busy_timeout = {int(min(max(remaining, 0.0), 3600.0) * 1000)}")
                try:
                    transaction = conn.begin()
                    break
                except OperationalError as error:
                    if not getattr(error.orig, "sqlite_errorname", "").startswith("SQLITE_BUSY"):
                        raise
                if deadline is None:
                    deadline = _waiting(wait)
                elif time.monotonic() >= deadline:
                    raise _busy(wait)
        finally:
            raw.execute(f"PRAGMA busy_timeout = {usual}")
        with transaction:
            yield conn
