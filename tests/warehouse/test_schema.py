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


# Every column that holds a key of the source systems (revision 0012): an id, a kind, a currency.
KEY_COLUMNS = {
    "counterparties": {"counterparty_id"},
    "contracts": {"contract_id", "counterparty_id", "currency"},
    "documents": {"kind", "document_id", "counterparty_id", "contract_id", "currency", "shipment_id"},
    "allocations": {"payment_id", "shipment_id"},
    "matches": {"counterparty_id"},
    "flows": {"counterparty_id", "currency", "kind"},
    "shipment_checks": {"counterparty_id", "currency"},
    "reminder_log": {"counterparty_id"},
    "notes": {"counterparty_id", "document_id", "currency"},
    "stop_releases": {"counterparty_id"},
    "their_acts": {"counterparty_id", "contract_id"},
}


def test_keys_compare_byte_for_byte_on_both_databases(engine: Engine) -> None:
    """On PostgreSQL the key columns, and no other, have the "C" collation: a key sorts and compares as on
    SQLite (which compares text by its bytes) whatever the server's locale; the names and texts keep the
    database's own. Byte order is also what the keys' ORDER BY gives on both (a hyphen before a digit)."""
    ids = ["K-2", "K1", "K10", "k0", "Ка1", "Кб", "Ё1", "Е2"]
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            rows = conn.execute(
                text(
                    "SELECT c.relname, a.attname, coalesce(l.collname, '') FROM pg_attribute a"
                    " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " LEFT JOIN pg_collation l ON l.oid = a.attcollation AND a.attcollation <> 100"
                    " WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0"
                    " AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)"
                )
            ).all()
            collated = {(table, column) for table, column, collation in rows if collation == "C"}
            assert collated == {(table, column) for table, columns in KEY_COLUMNS.items() for column in columns}
            assert {collation for _t, _c, collation in rows} == {"C", ""}
        conn.execute(text("CREATE TEMPORARY TABLE ids AS SELECT counterparty_id FROM counterparties WHERE false"))
        conn.execute(text("INSERT INTO ids VALUES " + ", ".join(f"('{i}')" for i in ids)))
        ordered = conn.execute(text("SELECT counterparty_id FROM ids ORDER BY counterparty_id")).scalars().all()
        conn.rollback()
    assert ordered == sorted(ids, key=lambda i: i.encode("utf-8"))
