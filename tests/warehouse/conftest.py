"""Fixtures of the warehouse's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.helpers.databases import reset_pg
from warehouse.engine import ensure_schema, make_engine


@pytest.fixture
def postgresql(pg_database: str) -> Iterator[Engine]:
    """An empty PostgreSQL warehouse, for what is PostgreSQL's alone (its GiST and partial indexes, binary
    COPY): these tests run on PostgreSQL only, and in CI they run rather than skip."""
    reset_pg(pg_database)
    engine = make_engine(pg_database, pooled=False)
    ensure_schema(engine)
    yield engine
    engine.dispose()
