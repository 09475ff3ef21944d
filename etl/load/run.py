"""`receivables load`: files and folders into the warehouse, atomically (contract section 1).

One load is one transaction under the load lock: every valid row lands and the run is recorded, or
nothing does. Its stages, in the order a row travels: read (files -> rows), validate (rows -> records or
rejects), upsert (records -> tables), match (due dates and FIFO), rollups, record (the run, its files,
the rejects list). Rows that fail validation go to the rejects list; rows whose reference does not exist
yet are retried at every later load.
"""

from __future__ import annotations

import gc
import os
import signal
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import Connection, Engine, select, text

import warehouse
from domain.entities import DOCUMENT_KIND, LOAD_ORDER
from etl.columns import ColumnMaps
from etl.load import documents, lock, match, read, record, rollups, tables, upsert, validate
from etl.load.first import Held
from etl.load.known import Known, read_known
from etl.load.read import SourceFile
from etl.load.types import LoadError, LoadResult, Progress, Tally
from warehouse.bulk import deferred_indexes
from warehouse.engine import ensure_schema
from warehouse.shadow import build_memory, postponed, shadowing

VACUUM_AFTER = 50_000  # rows written: from this, a PostgreSQL load vacuums the tables it rewrote
COLLECT_AFTER = 200_000  # rows read: from this, the garbage collector runs once before matching
# A first load's documents matched before they are written (etl.load.first); off, they are written, then
# matched and updated like any later load's (the reference tests/etl/load/test_first.py compares it to).
MATCH_FIRST_LOAD_BEFORE_WRITING = True


def load_paths(
    engine: Engine,
    paths: Iterable[str | Path],
    *,
    company_inn: str = "",
    company_name: str = "",
    command: str = "load",
    progress: Progress | None = None,
    kill_after: str | None = None,
    user: str = "",
    wait: float | None = None,
    column_maps: ColumnMaps | None = None,
) -> LoadResult:
    """Load files and folders in one transaction; returns what happened. LoadError: nothing done.

    `company_name` and `company_inn`, when given with a name (the demo does), are kept in the warehouse:
    later loads without a configured INN still recognise the company's own payments, and the acts name
    the company without a config file. `user` is who asked for the load (the app's signed-in user; the
    CLI's is the OS user), as load_runs and the audit log show it. `column_maps`: the config's
    [columns.<entity>] headings (etl.columns.column_maps).

    One load runs at a time: another one waits for it (`wait` seconds at most, else RECEIVABLES_LOAD_WAIT,
    else as long as it takes; LoadBusy when that runs out), then loads onto what it committed."""
    files = read.find(paths)
    wait_limit = lock.wait_limit(wait)
    if engine.dialect.name == "postgresql":
        try:
            build_memory()
        except ValueError as bad:
            raise LoadError(str(bad)) from None
    ensure_schema(engine)
    started = time.perf_counter()
    report = progress or (lambda _stage, _done, _total: None)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects and no cycles: the collector only costs time here
    try:
        with lock.transaction(engine, wait_limit) as conn:
            load_id, company_inn = record.begin(
                conn, user=user, command=command, company_name=company_name, company_inn=company_inn
            )
            digests = {str(path): read.sha256(path) for path, _explicit in files}
            layouts = tables.layouts_fingerprint(conn, column_maps)
            same = record.unchanged(conn, load_id, digests, company_inn, started, layouts)
            if same is not None:
                return same
            tally = Tally()
            # Into an empty warehouse (a first load, the biggest), documents are matched before they are
            # written (etl.load.first), and the big tables are written with their indexes deferred: made
            # once over the rows (SQLite drops and makes them again; PostgreSQL writes into shadows of the
            # empty tables, swapped in right before the commit: warehouse.shadow).
            first = conn.execute(select(warehouse.documents.c.doc_pk).limit(1)).first() is None
            held = Held(conn) if first and MATCH_FIRST_LOAD_BEFORE_WRITING else None
            with shadowing(conn, when=first):
                try:
                    # PostgreSQL's shadows of documents and matches get their indexes while the client works
                    # out the rollups (etl.load.rollups), not before.
                    with postponed(conn), deferred_indexes(conn, warehouse.documents, when=first):
                        known = _rows_in(conn, files, digests, company_inn, tally, load_id, report, column_maps, held)
                        # The collector is off for the load; a big load's rows' stage leaves cycles (SQLAlchemy's
                        # objects) holding memory the matching stage would add its peak to: 235 MB at 1M. A pass
                        # costs about 0.1 s whatever the load's size, more than half of a small load's time.
                        if sum(c.read for c in tally.counts.values()) >= COLLECT_AFTER:
                            gc.collect()
                        _kill_point("upserts", kill_after)
                        if held is not None:
                            matched = held.write(known, progress)
                        else:
                            matched = match.match(conn, known, load_id, progress)
                finally:
                    if held is not None:
                        held.close()
                rollups.refresh(conn, matched, progress)  # the rollups defer their own indexes
                _kill_point("matches", kill_after)
                record.write_rejects(conn, tally, load_id, {str(p) for p, _explicit in files})
                dead = _analyze(conn)
                record.finish(
                    conn,
                    load_id,
                    tally,
                    matches=matched.written,
                    company_inn=company_inn,
                    files=len(files),
                    started=started,
                    layouts=layouts,
                )
    finally:
        if gc_was_enabled:
            gc.enable()
    rows_written = matched.written + sum(c.new + c.updated + c.deleted for c in tally.counts.values())
    if engine.dialect.name == "postgresql" and rows_written >= VACUUM_AFTER and dead:
        _vacuum(engine, dead)
    return LoadResult(
        load_id=int(load_id),
        counts=dict(tally.counts),
        files=tally.files,
        bank_sent=tally.bank_sent,
        bank_unidentified=tally.bank_unidentified,
        retried=tally.retried,
        retried_loaded=tally.retried_loaded,
        edo_skipped=tally.edo_skipped,
        rematched_counterparties=matched.counterparties,
        continued_counterparties=matched.continued,
        matches_written=matched.written,
        seconds=time.perf_counter() - started,
    )


def _rows_in(
    conn: Connection,
    files: Sequence[SourceFile],
    digests: dict[str, str],
    company_inn: str,
    tally: Tally,
    load_id: int,
    progress: Progress,
    column_maps: ColumnMaps | None,
    held: Held | None = None,
) -> Known:
    """Read the rows, then validate and upsert them entity by entity in load order (references point
    backwards in it); what the load knows after that. The rows are let go of on return: the matching
    stage's peak of memory does not add theirs."""
    rows = read.read(conn, files, digests, company_inn, tally, progress, column_maps)
    known = read_known(conn, rows.in_files)
    if held is not None:
        held.attach(known)
    for entity in LOAD_ORDER:
        batches = rows.batches[entity]
        if not any(batches):
            continue
        if entity in DOCUMENT_KIND:
            documents.documents(entity, batches, known, tally, load_id, progress, held)
        else:
            lists = [batch for batch in batches if isinstance(batch, list)]
            records = validate.records(entity, lists, known, tally, progress)
            upsert.upsert(entity, records, known, tally, load_id, progress)
    return known


def _kill_point(point: str, kill_after: str | None) -> None:
    """Test hook (RECEIVABLES_TEST_KILL): die by SIGKILL here, mid-transaction, like a killed load."""
    if kill_after == point:
        os.kill(os.getpid(), signal.SIGKILL)


# PostgreSQL: what this load's transaction changed in each table, and whether to analyze it: changed by more
# rows than autovacuum's default rule for an ANALYZE (50 + 10% of the table), or never analyzed (reltuples
# -1: a new table, a first load's shadows). A day's load into millions of documents leaves them to
# autovacuum: ANALYZE of every table took 0.6 s of such a load's 2.3 s at 1M, for statistics it hardly moves.
_CHANGES = """
SELECT quote_ident(x.schemaname) || '.' || quote_ident(x.relname), x.relname,
       c.reltuples < 0 OR x.n_tup_ins + x.n_tup_upd + x.n_tup_del > 50 + 0.1 * c.reltuples,
       x.n_tup_upd + x.n_tup_del > 0
FROM pg_stat_xact_user_tables x JOIN pg_class c ON c.oid = x.relid
WHERE x.n_tup_ins + x.n_tup_upd + x.n_tup_del > 0
ORDER BY 1
"""
VACUUMED = ("documents", "flows", "matches")  # the big tables a load updates or deletes rows of


def _analyze(conn: Connection) -> list[str]:
    """Fresh planner statistics: right after a big load PostgreSQL would otherwise plan blind. SQLite's
    PRAGMA optimize decides for itself; PostgreSQL analyzes the tables the load changed much. Returns the
    big tables this load left dead row versions in (PostgreSQL), for `_vacuum` after the commit."""
    if conn.dialect.name != "postgresql":
        conn.execute(text("PRAGMA optimize"))
        return []
    changes = conn.exec_driver_sql(_CHANGES).all()
    analyzed = [qualified for qualified, _name, much, _dead in changes if much]
    if analyzed:
        conn.exec_driver_sql(f"ANALYZE {', '.join(analyzed)}")
    return sorted({name for _qualified, name, _much, dead in changes if dead and name in VACUUMED})


def _vacuum(engine: Engine, tables: list[str]) -> None:
    """After a big load on PostgreSQL: clear the dead row versions the load left behind.

    Every document is inserted, then updated once matched (its due and settled dates), and rematching
    rewrites matches. Until autovacuum comes by, the (side, settled_date) index still holds a million
    dead "not settled" entries, and every as-of query walks them (aging at 1M: about 0.35 s of the
    first queries); it also marks a first load's pages all-visible, so aging's index-only reads skip the
    table. VACUUM cannot run inside the load's transaction: it runs after the commit. Without ANALYZE: the
    load's own (`_analyze`) gave the tables it changed much their statistics before the commit (1.3 s more
    at 1M).

    `tables`: those of VACUUMED the load updated or deleted rows of (`_analyze`). A first load's shadows are
    written frozen (COPY ... FREEZE, warehouse.rollups.frame_io), all-visible as they fill and with no dead
    row version: left out."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"VACUUM {', '.join(name for name in VACUUMED if name in tables)}")
