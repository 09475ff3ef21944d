"""A first load's big tables written on PostgreSQL without their indexes, and swapped in as it commits.

Rows written into a table with its indexes in place cost every index an insertion each; an index built
once over the rows sorts them (at 1M the documents' nine indexes and the matches' five took about 60 s of
the server's time kept, a few seconds built). SQLite drops its indexes for the block and makes them again
(warehouse.bulk.deferred_indexes); PostgreSQL cannot: DROP INDEX locks the table against every reader until
the load commits. So, within `shadowing` (the load's transaction, up to its commit), `shadowed` writes an
empty table's rows into a shadow of it instead: a table of the same columns, defaults, checks and
sequences (`CREATE TABLE ... (LIKE ... EXCLUDING INDEXES)`) in a schema of the load's own (load_<backend
pid>), which comes first in the transaction's search_path, so every unqualified statement of the load
writes and reads the shadow unchanged. At the block's end the shadow gets its indexes and constraints, as
the database itself gives their definitions (pg_get_indexdef, pg_get_constraintdef), under the same names.
At `shadowing`'s end, right before the commit, each shadow replaces its table: the table is dropped, the
shadow moved into its schema (its indexes, constraints and sequences with it), the search_path put back
and the load's schema dropped.

Inside `postponed` a shadow's builds wait; `building_meanwhile` runs them on the load's connection in a
thread of their own while the client does work that needs no database (a first load's rollups worked out
from frames, etl.load.rollups): the server's builds and the client's work overlap instead of following
each other. The swap runs any builds still waiting.

Readers see the empty table, unblocked, until the commit, and the full one after: the swap's ACCESS
EXCLUSIVE locks are held only between it and the commit, and are taken all at once, each try waiting at
most LOCK_TRY for a reader's query to finish (a reader queued behind a lock the load waits for would wait
with it). Everything is the load's transaction: a load that fails or is killed leaves the table, the
sequences and the schema as they were.

A table is shadowed only when that is safe to do by dropping it: not referenced by or referencing a
foreign key, with no view, trigger, rule, policy or grant on it, owned by the load's user. Otherwise it
keeps its indexes as before.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError

KEY = "receivables_shadowing"  # the connection's info: the load's shadows while `shadowing` runs
# maintenance_work_mem for the builds: the default 64MB spills each sort to disk, and a parallel build shares
# it among its workers, so at 1M 256MB still spilled the text-keyed btrees (kind and document_id, contract):
# 1GB built them in 15-25% less time (load average 8-9, in turn). Only for the build statements. A server
# with less memory to spare sets RECEIVABLES_BUILD_MEMORY (PostgreSQL's units: "256MB"), or "server" for
# the server's own maintenance_work_mem.
BUILD_MEMORY = "1GB"
BUILD_MEMORY_VARIABLE = "RECEIVABLES_BUILD_MEMORY"
_UNITS_KB = {"kB": 1, "MB": 1024, "GB": 1024**2, "TB": 1024**3}
LOCK_TRY = "50ms"  # lock_timeout of one try at the swap's locks: the longest a reader waits behind it
LOCK_PATIENCE = 60.0  # seconds of tries; then the swap waits for its locks like any statement
LOCK_NOT_AVAILABLE = "55P03"


@dataclass
class _Shadow:
    name: str  # the table's, and its shadow's, name
    schema: str  # the table's own schema


@dataclass
class _Load:
    schema: str = ""  # the load's schema, once made
    search_path: str = ""  # the transaction's search_path before it
    shadows: list[_Shadow] = field(default_factory=list)
    postpone: bool = False  # inside `postponed`: a shadow's builds wait in `pending`
    pending: list[str] = field(default_factory=list)  # builds not run yet, in order


@contextmanager
def shadowing(conn: Connection, when: bool = True) -> Iterator[None]:
    """For the block, inside the caller's transaction, which commits right after it: `shadowed` on an empty
    table writes into a shadow, and at the block's end the shadows replace their tables. PostgreSQL only;
    an error inside leaves everything to the rollback."""
    if not when or conn.dialect.name != "postgresql":
        yield
        return
    load = _Load()
    conn.info[KEY] = load
    try:
        yield
        _swap(conn, load)
    finally:
        conn.info.pop(KEY, None)


@contextmanager
def shadowed(conn: Connection, name: str) -> Iterator[bool]:
    """Inside `shadowing`, with table `name` empty and safe to replace: for the block its rows go into a
    shadow without indexes or constraints, built at the block's end (yields True). Otherwise nothing is
    done (False)."""
    load: _Load | None = conn.info.get(KEY)
    if load is None or any(s.name == name for s in load.shadows) or not _replaceable(conn, name):
        yield False
        return
    schema = _table_schema(conn, name)
    if not load.schema:
        load.schema = f"load_{int(conn.exec_driver_sql('SELECT pg_backend_pid()').scalar_one())}"
        load.search_path = str(conn.exec_driver_sql("SELECT current_setting('search_path')").scalar_one())
        conn.exec_driver_sql(f"CREATE SCHEMA {_q(load.schema)}")
        _set(conn, "search_path", f"{_q(load.schema)}, {load.search_path}")
    builds = _definitions(conn, schema, name)
    shadow = f"{_q(load.schema)}.{_q(name)}"
    conn.exec_driver_sql(f"CREATE TABLE {shadow} (LIKE {_q(schema)}.{_q(name)} INCLUDING ALL EXCLUDING INDEXES)")
    _sequences(conn, schema, name, load.schema)
    load.shadows.append(_Shadow(name, schema))
    yield True
    statements = [statement.replace("{table}", shadow) for statement in builds]
    if load.postpone:
        load.pending.extend(statements)
    else:
        _build(conn, statements)


def is_shadow(conn: Connection, name: str) -> bool:
    """Whether `name`, as the load's unqualified statements find it, is a shadow made in this transaction:
    COPY may then write its rows frozen (warehouse.rollups.frame_io)."""
    load: _Load | None = conn.info.get(KEY)
    return load is not None and any(s.name == name for s in load.shadows)


@contextmanager
def postponed(conn: Connection) -> Iterator[None]:
    """Inside `shadowing`: the builds of the shadows written in the block wait until `building_meanwhile`
    (or the swap) runs them."""
    load: _Load | None = conn.info.get(KEY)
    if load is None:
        yield
        return
    load.postpone = True
    try:
        yield
    finally:
        load.postpone = False


@contextmanager
def building_meanwhile(conn: Connection) -> Iterator[bool]:
    """The postponed builds run on `conn` in a thread of their own for the block, which must not use `conn`
    (yields True; False when none are pending, and the block may). The server builds while the client works
    on what needs no database; the block's end waits for the builds, and a build's failure is raised there."""
    load: _Load | None = conn.info.get(KEY)
    if load is None or not load.pending:
        yield False
        return
    statements, load.pending = load.pending, []
    failed: list[BaseException] = []

    def build() -> None:
        try:
            _build(conn, statements)
        except BaseException as error:  # raised again in the caller's thread
            failed.append(error)

    builder = threading.Thread(target=build, name="shadow-builds")
    builder.start()
    try:
        yield True
    finally:
        builder.join()
    if failed:
        raise failed[0]


def build_memory() -> str | None:
    """The maintenance_work_mem a load's index builds get: RECEIVABLES_BUILD_MEMORY, else BUILD_MEMORY; None
    for "server" (the server's own setting). ValueError, saying what is accepted, for anything else: a load
    checks it before it starts, not when its builds come after the rest of its work."""
    raw = os.environ.get(BUILD_MEMORY_VARIABLE, "").strip()
    if not raw:
        return BUILD_MEMORY
    if raw.lower() == "server":
        return None
    found = re.fullmatch(r"(\d+)\s*(kB|MB|GB|TB)", raw)
    if found is None or not 1024 <= int(found.group(1)) * _UNITS_KB[found.group(2)] <= 2147483647:
        # PostgreSQL's bounds for maintenance_work_mem: 1MB to 2147483647kB, just under 2TB
        raise ValueError(
            f"{BUILD_MEMORY_VARIABLE} must be an amount of memory from 1MB to 2047GB in PostgreSQL's units "
            f'(such as "256MB" or "2GB"), or "server" for the server\'s own maintenance_work_mem; not {raw!r}'
        )
    return f"{found.group(1)}{found.group(2)}"


def _build(conn: Connection, statements: list[str]) -> None:
    """The indexes and constraints, with the builds' maintenance_work_mem (build_memory)."""
    wanted = build_memory()
    memory = str(conn.exec_driver_sql("SELECT current_setting('maintenance_work_mem')").scalar_one())
    if wanted is not None:
        _set(conn, "maintenance_work_mem", wanted)
    for statement in statements:
        conn.exec_driver_sql(statement)
    _set(conn, "maintenance_work_mem", memory)


def _q(identifier: str) -> str:
    """An identifier quoted as PostgreSQL's quote_ident would where it must be."""
    if re.fullmatch(r"[a-z_][a-z0-9_$]*", identifier):
        return identifier
    return '"' + identifier.replace('"', '""') + '"'


def _set(conn: Connection, setting: str, value: str) -> None:
    """SET LOCAL: until the transaction ends."""
    conn.execute(text("SELECT set_config(:setting, :value, true)"), {"setting": setting, "value": value})


def _table_schema(conn: Connection, name: str) -> str:
    return str(
        conn.execute(
            text("SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = to_regclass(:name)"),
            {"name": _q(name)},
        ).scalar_one()
    )


def _replaceable(conn: Connection, name: str) -> bool:
    """The table is empty (to this transaction) and nothing but itself needs it by its identity."""
    found = conn.execute(
        text(
            """
            SELECT c.relkind = 'r' AND c.relacl IS NULL AND c.relowner = (
                       SELECT oid FROM pg_roles WHERE rolname = current_user)
               AND NOT (c.relhastriggers OR c.relhasrules OR c.relrowsecurity OR c.relhassubclass OR c.relispartition)
               AND NOT EXISTS (
                   SELECT 1 FROM pg_constraint k WHERE k.contype = 'f' AND c.oid IN (k.conrelid, k.confrelid))
               AND NOT EXISTS (
                   SELECT 1 FROM pg_depend d WHERE d.refobjid = c.oid AND d.classid = 'pg_rewrite'::regclass)
               AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)
               AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attidentity <> '')
            FROM pg_class c WHERE c.oid = to_regclass(:name)
            """
        ),
        {"name": _q(name)},
    ).scalar()
    if not found:
        return False
    return conn.exec_driver_sql(f"SELECT 1 FROM {_q(name)} LIMIT 1").first() is None


def _definitions(conn: Connection, schema: str, name: str) -> list[str]:
    """The statements that give a copy of the table its indexes and index-backed constraints (primary key,
    unique, exclusion) as the table has them, with `{table}` for the copy's qualified name."""
    qualified = f"{_q(schema)}.{_q(name)}"
    rows = conn.execute(
        text(
            """
            SELECT pg_get_indexdef(i.indexrelid), k.conname, pg_get_constraintdef(k.oid)
            FROM pg_index i
            LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid
              AND k.contype IN ('p', 'u', 'x')
            WHERE i.indrelid = to_regclass(:name)
            ORDER BY k.contype NULLS LAST, i.indexrelid
            """
        ),
        {"name": qualified},
    ).all()
    statements = []
    table = re.compile(r" ON (ONLY )?" + re.escape(qualified) + " USING ")
    for index, constraint, definition in rows:
        if constraint is not None:
            statements.append(f"ALTER TABLE {{table}} ADD CONSTRAINT {_q(constraint)} {definition}")
            continue
        built, found = table.subn(" ON {table} USING ", index, count=1)
        if found != 1:
            raise RuntimeError(f"cannot find the table in the index definition {index!r}")
        statements.append(built)
    return statements


def _sequences(conn: Connection, schema: str, name: str, load_schema: str) -> None:
    """The shadow's own copy of each sequence the table's columns own (SERIAL), at the same value: the
    load's keys come from it (pg_get_serial_sequence finds it by the shadow), and it replaces the table's
    with the shadow."""
    owned = conn.execute(
        text(
            """
            SELECT a.attname, s.relname, format_type(q.seqtypid, NULL), q.seqincrement, q.seqmin, q.seqmax,
                   q.seqstart, q.seqcache, q.seqcycle
            FROM pg_depend d
            JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            JOIN pg_sequence q ON q.seqrelid = s.oid
            JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
            WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
              AND d.refobjid = to_regclass(:name) AND d.deptype = 'a'
            """
        ),
        {"name": f"{_q(schema)}.{_q(name)}"},
    ).all()
    for column, sequence, kind, increment, least, most, start, cache, cycle in owned:
        copy = f"{_q(load_schema)}.{_q(sequence)}"
        conn.exec_driver_sql(
            f"CREATE SEQUENCE {copy} AS {kind} INCREMENT BY {int(increment)} MINVALUE {int(least)} "
            f"MAXVALUE {int(most)} START WITH {int(start)} CACHE {int(cache)} {'' if cycle else 'NO '}CYCLE "
            f"OWNED BY {_q(load_schema)}.{_q(name)}.{_q(column)}"
        )
        last, called = conn.exec_driver_sql(f"SELECT last_value, is_called FROM {_q(schema)}.{_q(sequence)}").one()
        conn.execute(text("SELECT setval(:copy, :last, :called)"), {"copy": copy, "last": last, "called": called})
        conn.exec_driver_sql(
            f"ALTER TABLE {_q(load_schema)}.{_q(name)} ALTER COLUMN {_q(column)} "
            f"SET DEFAULT nextval('{copy}'::regclass)"
        )


def _swap(conn: Connection, load: _Load) -> None:
    """Each shadow in its table's place, the search_path as it was, the load's schema gone."""
    if not load.shadows:
        return
    if load.pending:  # postponed and never run
        statements, load.pending = load.pending, []
        _build(conn, statements)
    _lock(conn, [f"{_q(s.schema)}.{_q(s.name)}" for s in load.shadows])
    for s in load.shadows:
        conn.exec_driver_sql(f"DROP TABLE {_q(s.schema)}.{_q(s.name)}")
        conn.exec_driver_sql(f"ALTER TABLE {_q(load.schema)}.{_q(s.name)} SET SCHEMA {_q(s.schema)}")
    _set(conn, "search_path", load.search_path)
    conn.exec_driver_sql(f"DROP SCHEMA {_q(load.schema)}")  # RESTRICT: anything left in it fails the load


def _lock(conn: Connection, tables: list[str]) -> None:
    """ACCESS EXCLUSIVE on every table at once. A try waits LOCK_TRY at most, so the readers that queue
    behind it wait no longer; after LOCK_PATIENCE of tries, it waits as long as it takes."""
    patience = time.monotonic() + LOCK_PATIENCE
    while True:
        patient = time.monotonic() < patience
        try:
            with conn.begin_nested():
                before = str(conn.exec_driver_sql("SELECT current_setting('lock_timeout')").scalar_one())
                if patient:
                    _set(conn, "lock_timeout", LOCK_TRY)
                conn.exec_driver_sql(f"LOCK TABLE {', '.join(tables)} IN ACCESS EXCLUSIVE MODE")
                _set(conn, "lock_timeout", before)
            return
        except OperationalError as error:
            if not patient or getattr(error.orig, "pgcode", None) != LOCK_NOT_AVAILABLE:
                raise
        time.sleep(0.02)
