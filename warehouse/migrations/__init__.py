"""The warehouse's schema versions: Alembic revisions (versions/), run from code with no alembic.ini.

A warehouse records its revision in Alembic's alembic_version table. `upgrade(engine)` brings it to this
program's HEAD in one transaction and says what it did: it creates an empty database (schema.py's tables,
stamped HEAD, as Alembic advises: the revisions are for warehouses that exist), adopts a warehouse
made before migrations (no alembic_version: revision 0001 adds what it lacks, keeping every row), runs
the newer revisions on an older one, and refuses one a newer program has moved past (WarehouseTooNew).
Every entry point opens the warehouse through warehouse.engine.ensure_schema, which calls it.

meta.schema_version follows the head's number, so a program from before migrations (which refuses a
schema_version above its own 1) refuses a warehouse a later revision has changed instead of misreading it.

To change the schema: change warehouse/schema.py, add versions/NNNN_what.py whose down_revision is the
current head and whose upgrade() makes the same change with alembic.op (write it by hand, or let
`alembic.command.revision(config(), "what", rev_id="NNNN", autogenerate=True)` draft it against the
warehouse RECEIVABLES_DB_URL names, at HEAD), and set HEAD. tests/warehouse/test_migrations.py and test_schema.py
check that a warehouse migrated from empty, and one from before migrations, have the schema schema.py
defines.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, func, inspect, select, text

from warehouse.schema import metadata
from warehouse.state import read_meta, write_meta

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

HEAD = "0013"  # the newest revision in versions/ (a test holds the two together)
BEFORE_MIGRATIONS = "before migrations"
FOLDER = Path(__file__).resolve().parent
_LOCK_KEY = 7453102  # the PostgreSQL advisory lock an upgrade holds (a load's is 7453101)


class WarehouseTooNew(RuntimeError):
    """The warehouse was upgraded by a newer program than this one; the message says so in one line."""


@dataclass(frozen=True)
class Upgrade:
    """What upgrade() did: from `before` (None: no revision recorded) to `after`."""

    before: str | None
    after: str
    legacy: bool = False  # a warehouse made before migrations
    created: bool = False  # an empty database, now a warehouse

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def describe(self) -> str:
        """One line for people: what was done, or that nothing was."""
        if self.created:
            return f"created the warehouse at revision {self.after}"
        if not self.changed:
            return f"the warehouse is up to date (revision {self.after})"
        before = BEFORE_MIGRATIONS if self.legacy else f"revision {self.before}"
        return f"upgraded the warehouse from {before} to revision {self.after}"


def current_revision(conn: Connection) -> str | None:
    """The revision the warehouse records; None for an empty database or one made before migrations."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> Upgrade:
    """Bring the warehouse to HEAD, all or nothing; WarehouseTooNew when a newer program wrote it.

    A warehouse at HEAD costs one read and no lock (every open calls this). Otherwise the upgrade holds
    the write lock (SQLite) or an advisory lock (PostgreSQL) and looks again, so two programs starting on
    the same old warehouse upgrade it once."""
    with engine.connect() as conn:
        if current_revision(conn) == HEAD:
            return Upgrade(HEAD, HEAD)
    with _exclusive(engine) as conn:
        found = current_revision(conn)
        if found == HEAD:
            return Upgrade(HEAD, HEAD)
        if found is not None and found not in _revisions():
            raise WarehouseTooNew(
                f"the warehouse is at schema revision {found}, newer than this program ({HEAD}): "
                "open it with the newer version of receivables"
            )
        ours = set(metadata.tables)
        legacy = found is None and bool(ours & set(inspect(conn).get_table_names()))
        if legacy:
            version = read_meta(conn, "schema_version") if inspect(conn).has_table("meta") else None
            if version is not None and int(version) > 1:
                raise WarehouseTooNew(f"the warehouse has schema version {version}, newer than this program ({HEAD})")
        created = found is None and not legacy
        if created:
            _create(conn)
        else:
            _run(conn)
        write_meta(conn, "schema_version", str(int(HEAD)))
    if engine.dialect.name == "postgresql" and not created:
        _vacuum(engine)
    return Upgrade(found, HEAD, legacy=legacy, created=created)


def _vacuum(engine: Engine) -> None:
    """After an upgrade on PostgreSQL. A revision may rewrite documents (0008 writes each one's first match
    date): their pages are then no longer all-visible, and index-only scans (aging's) read the table again
    for every entry until autovacuum comes by. VACUUM cannot run inside the upgrade's transaction: it runs
    after the commit."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE) documents")


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the warehouse's revisions, made in code; env.py runs on `connection`
    when one is given (else on the warehouse RECEIVABLES_DB_URL names: a developer's autogenerate)."""
    from alembic.config import Config

    alembic_config = Config()
    alembic_config.set_main_option("script_location", str(FOLDER))
    alembic_config.set_main_option("path_separator", "os")
    if connection is not None:
        alembic_config.attributes["connection"] = connection
    return alembic_config


def _run(conn: Connection) -> None:
    from alembic import command

    command.upgrade(config(conn), HEAD)


def _create(conn: Connection) -> None:
    """An empty database made a warehouse at HEAD in one step: schema.py's tables, stamped HEAD (what running
    every revision from 0001 gives, tests/warehouse/test_migrations.py checks). The stamp goes through
    Alembic's MigrationContext with the revisions read once per process (`_scripts`); alembic.command.stamp
    ran env.py and read every revision file again for each new warehouse. ensure_schema on an empty
    database, the same day: PostgreSQL 0.12 s (0.17 s with command.stamp; 0.38-0.49 s on a slower day,
    against 0.67-0.78 s running the revisions), SQLite 0.04 s (0.06 s; the revisions 0.09-0.35 s)."""
    from alembic.runtime.migration import MigrationContext

    metadata.create_all(conn)
    MigrationContext.configure(conn).stamp(_scripts(), HEAD)


@cache
def _scripts() -> ScriptDirectory:
    """The revisions in versions/, read once: they do not change while the program runs."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config())


def _revisions() -> set[str]:
    return {script.revision for script in _scripts().walk_revisions()}


@contextmanager
def _exclusive(engine: Engine) -> Iterator[Connection]:
    """One transaction that no other upgrade (nor, on SQLite, any write) runs beside."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            # READ COMMITTED: the engine's REPEATABLE READ would take its snapshot before the wait for the
            # lock and hide what an upgrade that held it committed.
            with conn.execution_options(isolation_level="READ COMMITTED").begin():
                conn.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))
                yield conn
            return
        if engine.dialect.name == "sqlite":
            conn.execution_options(sqlite_immediate=True)  # the write lock first (warehouse.engine's begin)
        with conn.begin():
            yield conn
