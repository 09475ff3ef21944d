"""Engines for the warehouse URL: SQLite with real transactions and WAL, PostgreSQL with one snapshot per
transaction; and the schema brought to this program's revision on first use."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry, NullPool

from warehouse import migrations

log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, record: ConnectionPoolEntry) -> None:
    # Take transaction control from pysqlite so BEGIN is real (a load is one atomic transaction and
    # reads see one snapshot); WAL lets the dashboard read while a load writes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # Before WAL: a new file takes its page size from its first write (here, WAL's header); an existing
    # warehouse keeps the one it was made with, whatever this says.
    cursor.execute(f"PRAGMA page_size={PAGE_SIZE}")
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    for name, value in _READING:
        cursor.execute(f"PRAGMA {name}={value}")
    cursor.close()
    record.info[_WRITING] = False


BUSY_TIMEOUT_MS = 60000  # how long a statement waits for another connection's lock


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    """WAL, waiting for the lock as every other statement does. A file in rollback-journal mode (a
    warehouse made before WAL, or a file a program just created) switches under an exclusive lock, and
    when two connections switch at the same moment, each holding the shared lock the other must wait for,
    SQLite answers one of them "database is locked" at once, without its busy handler (its deadlock
    rule): the app and a load opening the same old warehouse together would fail. The switch is retried
    until the other has made it (then it is a no-op) or the busy timeout has passed."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.005)


# A new warehouse's pages are 16 KB, not SQLite's 4 KB: a first load's writes and index builds walk a
# quarter of the pages (at 1M, in turn: the documents' seven deferred builds 0.70-0.74x the wall time; the
# four big tables written and indexed 52-61 s of CPU at 4 KB, 43-45 s at 16 KB). The caches below are in
# KiB: they hold the same memory.
PAGE_SIZE = 16384
# A reader's transaction keeps up to 200 MB of pages cached and its temporary B-trees (sorts, GROUP BY) in
# memory: the pages' queries read the same pages again and again. A writer's (BEGIN IMMEDIATE: a load, a
# migration) writes far more pages than it reads again, and builds indexes over millions of rows: its
# cache is 32 MB and its temporary B-trees go to files (the OS's cache, not the process's memory). A 1M
# load filled the 200 MB cache: 170 MB of its RSS when the rollups began. temp_store changes only outside
# a transaction: it is set just before BEGIN, and only when a connection goes from reading to writing or
# back.
# A writer also sorts with a helper thread: a first load builds its deferred indexes once, over every row
# (1M: the documents' six, 16.8 -> 14.1 s of wall time for 2.3 s more CPU).
_READING = (("cache_size", "-200000"), ("temp_store", "MEMORY"), ("threads", "0"))
_WRITING_PRAGMAS = (("cache_size", "-32000"), ("temp_store", "FILE"), ("threads", "2"))
_WRITING = "receivables_sqlite_writing"  # the pool entry's info: which of the two the connection has


def _pragmas_for(conn: Connection, writing: bool) -> None:
    info = conn.connection.info
    if info.get(_WRITING) == writing:
        return
    for name, value in _WRITING_PRAGMAS if writing else _READING:
        conn.exec_driver_sql(f"PRAGMA {name}={value}")
    info[_WRITING] = writing


def make_engine(url: str, *, pooled: bool = True) -> Engine:
    """An engine for the warehouse URL; SQLite folders are created, SQLite gets real transactions."""
    if url.startswith("postgresql://"):
        # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; the project ships psycopg2.
        url = "postgresql+psycopg2://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {}  # create_engine's own keyword arguments, typed Any there
    if not pooled:
        kwargs["poolclass"] = NullPool
    if url.startswith("postgresql"):
        # JIT compiling costs a quarter of a second per query here and these queries are short: aging at
        # 1M documents took 0.93 s with JIT and 0.59 s without.
        kwargs["connect_args"] = {"options": "-c jit=off"}
        # One snapshot per transaction, as SQLite's WAL gives: a query that reads in several statements
        # (aging: the debits, then the advances) never mixes the warehouse before a load with after it,
        # as READ COMMITTED's snapshot per statement would when the load commits in between. The load
        # itself runs READ COMMITTED (etl.load): it must see what the load it waited for committed.
        kwargs["isolation_level"] = "REPEATABLE READ"
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # A load asks for BEGIN IMMEDIATE (the write lock before any read: etl.load); the rest read first.
            immediate = conn.get_execution_options().get("sqlite_immediate", False)
            _pragmas_for(conn, writing=immediate)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def ensure_schema(engine: Engine) -> None:
    """Bring the warehouse to this program's schema (warehouse.migrations.upgrade): create it on first use,
    upgrade one an earlier version made in place, saying so in the log, and refuse one a newer version
    made (WarehouseTooNew, one line)."""
    done = migrations.upgrade(engine)
    if done.created:
        log.info(done.describe())
    elif done.changed:
        log.warning(done.describe())
