"""The schema a warehouse gets: what the migrations build is what warehouse.schema defines, on each database
(the upgrade of an existing warehouse is tests/warehouse/test_migrations.py's)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from warehouse.schema import metadata


def index_names(engine: Engine, table: str) -> set[str]:
    with engine.connect() as conn:
        return {index["name"] for index in inspect(conn).get_indexes(table)}


# Alembic cannot reflect an expression index on SQLite, which has none here (the open-range index below is
# PostgreSQL's only), and says so; the index itself is checked by the next test.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_the_migrations_build_what_the_schema_defines(engine: Engine) -> None:
    """Alembic's own comparison of the migrated warehouse with warehouse.schema: no table, column, type,
    default, index or constraint differs (a revision that forgot part of a schema change fails here)."""
    with engine.connect() as conn:
        # Defaults too on PostgreSQL; SQLite reports them quoted differently from what Alembic renders
        # (test_migrations compares SQLite's own DDL for them).
        defaults = engine.dialect.name == "postgresql"
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": defaults})
        assert compare_metadata(context, metadata) == []


def test_postgresql_gets_the_open_period_index_and_sqlite_does_not(engine: Engine) -> None:
    """queries.ledger adds `daterange(doc_date, settled_date) @> D` on PostgreSQL only: its GiST index
    must exist there (PostgreSQL would scan the table for a date long ago) and nowhere else."""
    names = index_names(engine, "documents")
    assert ("ix_documents_open_range" in names) == (engine.dialect.name == "postgresql")
