"""The schema a warehouse gets: what the migrations build is what warehouse.schema defines, on each database
(the upgrade of an existing warehouse is tests/warehouse/test_migrations.py's)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from warehouse.schema import metadata


def index_names(engine: Engine, table: str) -> set[str]:
    with engine.connect() as conn:
        return {index["name"] for index in inspect(conn).get_indexes(table)}


# Alembic and SQLAlchemy cannot reflect an expression index on SQLite (ix_documents_open_span there) and say
# so; the index itself is checked by the tests below and by test_migrations' comparison of SQLite's own DDL.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_the_migrations_build_what_the_schema_defines(engine: Engine) -> None:
    """Alembic's own comparison of the migrated warehouse with warehouse.schema: no table, column, type,
    default, index or constraint differs (a revision that forgot part of a schema change fails here)."""
    with engine.connect() as conn:
        # Defaults too on PostgreSQL; SQLite reports them quoted differently from what Alembic renders
        # (test_migrations compares SQLite's own DDL for them).
        defaults = engine.dialect.name == "postgresql"
        context = MigrationContext.configure(
            conn,
            opts={"compare_type": True, "compare_server_default": defaults, "include_object": _compared},
        )
        assert compare_metadata(context, metadata) == []


def _compared(obj: object, name: str | None, kind: str, reflected: bool, compare_to: object) -> bool:
    """Everything but ix_documents_open_span: Alembic compares an expression index by its text, which
    PostgreSQL gives back reformatted (a CASE over lines). test_migrations compares that index's DDL as
    each database keeps it, between a migrated warehouse and one schema.py created."""
    return not (kind == "index" and name == "ix_documents_open_span")


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_postgresql_gets_the_open_period_index_and_sqlite_does_not(engine: Engine) -> None:
    """queries.ledger asks PostgreSQL alone for the side's box of D over each document's open period as a
    point (warehouse.open_span.open_on): its GiST index must exist there (PostgreSQL would scan the table for
    a date long ago) and nowhere else."""
    names = index_names(engine, "documents")
    assert ("ix_documents_open_range" in names) == (engine.dialect.name == "postgresql")


def test_both_databases_get_the_open_span_index(engine: Engine) -> None:
    """queries.ledger reads the open documents of a day by ranges of ix_documents_open_span, on both."""
    if engine.dialect.name == "sqlite":
        query = "SELECT sql FROM sqlite_master WHERE name = 'ix_documents_open_span'"
    else:
        query = "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_documents_open_span'"
    with engine.connect() as conn:
        ddl = " ".join(conn.execute(text(query)).scalar_one().split())
    assert "CASE WHEN" in ddl.replace("( CASE", "(CASE")
    assert "doc_date" in ddl
