"""The test databases: the PostgreSQL server tests use, emptying a warehouse, and whole-warehouse copies.

The fixtures that hand these to tests (pg_server, pg_database, db_url, engine) are in tests/conftest.py.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

PG_ADMIN_URL = os.environ.get("RECEIVABLES_TEST_PG", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


def pg_problem() -> str | None:
    """Why the PostgreSQL server at PG_ADMIN_URL does not answer, or None when it does."""
    try:
        engine = create_engine(PG_ADMIN_URL, poolclass=NullPool, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    return None


def reset_pg(url: str) -> None:
    """Empty the PostgreSQL database at url: no table, no sequence left."""
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@contextmanager
def other_warehouse(db_url: str, tmp_path: Path, name: str) -> Iterator[str]:
    """The URL of another, not yet existing warehouse on the same backend; dropped afterwards."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / f'{name}.db'}"
        return
    database = f"{make_url(db_url).database}_{name}"
    admin = create_engine(PG_ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        yield db_url.rsplit("/", 1)[0] + "/" + database
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def copy_warehouse(source: str, target: str) -> None:
    """Make `target` an exact copy of `source` (replacing it); whoever is connected to either is cut off."""
    if source.startswith("sqlite"):
        target_file = Path(make_url(target).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target_file}{suffix}").unlink(missing_ok=True)
        with sqlite3.connect(make_url(source).database or "") as src, sqlite3.connect(target_file) as dst:
            src.backup(dst)
        src.close()
        dst.close()
        return
    admin = create_engine(PG_ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        # An app engine of an earlier test may still hold idle connections: the template must be alone.
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": make_url(source).database},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(target).database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{make_url(target).database}" TEMPLATE "{make_url(source).database}"'))
    admin.dispose()
