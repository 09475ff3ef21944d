"""Warehouses built once per test session and backend and copied into each test's own warehouse (the
`templates` and `small_ledger` fixtures of tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.helpers.databases import PG_ADMIN_URL, copy_warehouse


@dataclass
class Templates:
    """Warehouses built once per test session and backend, then copied into each test's own warehouse: a load
    that many tests start from costs a file copy on SQLite and a CREATE DATABASE ... TEMPLATE on PostgreSQL
    instead of a load each. A test writes only to its copy."""

    folder: Path
    request: pytest.FixtureRequest
    built: dict[tuple[str, str], str] = field(default_factory=dict)

    def copy(self, name: str, db_url: str, build: Callable[[str], None]) -> str:
        """db_url (emptied) made a copy of the template `name`, which `build(url)` fills the first time."""
        backend = "sqlite" if db_url.startswith("sqlite") else "postgres"
        template = self.built.get((name, backend))
        if template is None:
            template = self._empty(name, backend)
            build(template)
            self.built[name, backend] = template
        copy_warehouse(template, db_url)
        return db_url

    def _empty(self, name: str, backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.folder / (name + '.db')}"
        session_url = self.request.getfixturevalue("pg_database")
        url = f"{session_url}_{name}"
        admin = create_engine(PG_ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"'))
        admin.dispose()
        return url

    def drop(self) -> None:
        admin = create_engine(PG_ADMIN_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for (_, backend), url in self.built.items():
                if backend == "postgres":
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
        admin.dispose()
