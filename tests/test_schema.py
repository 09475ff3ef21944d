"""The warehouse schema on an existing warehouse: ensure_schema adds what a later version defines (tables,
indexes) and drops the indexes it replaced, so an upgrade needs no migration step."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from warehouse.engine import ensure_schema
from warehouse.schema import RETIRED_INDEXES


def index_names(engine: Engine, table: str) -> set[str]:
    with engine.connect() as conn:
        return {index["name"] for index in inspect(conn).get_indexes(table)}


def test_an_upgrade_adds_new_indexes_and_tables_and_drops_retired_ones(engine: Engine) -> None:
    with engine.begin() as conn:  # the warehouse as an earlier version left it
        conn.execute(text("DROP INDEX ix_documents_side_settled_date"))
        conn.execute(text("DROP INDEX ix_matches_date"))
        conn.execute(text("DROP TABLE shipment_checks"))
        conn.execute(text("DROP TABLE audit_log"))
        conn.execute(text("CREATE INDEX ix_documents_side_settled ON documents (side, settled_date)"))
    assert "ix_documents_side_settled" in index_names(engine, "documents")
    ensure_schema(engine)
    documents = index_names(engine, "documents")
    assert "ix_documents_side_settled_date" in documents
    assert "ix_documents_side_settled" not in documents
    assert "ix_matches_date" in index_names(engine, "matches")
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert {"shipment_checks", "audit_log"} <= tables
    assert RETIRED_INDEXES == ("ix_documents_side_settled",)
    ensure_schema(engine)  # twice: nothing left to do, nothing fails


def test_postgresql_gets_the_open_period_index_and_sqlite_does_not(engine: Engine) -> None:
    """queries.ledger adds `daterange(doc_date, settled_date) @> D` on PostgreSQL only: its GiST index
    must exist there (PostgreSQL would scan the table for a date long ago) and nowhere else."""
    names = index_names(engine, "documents")
    assert ("ix_documents_open_range" in names) == (engine.dialect.name == "postgresql")
