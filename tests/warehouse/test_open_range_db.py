"""PostgreSQL's GiST index of open periods holds only the documents ever open (revision 0009), and the
open-documents queries of queries.ledger state its condition, so the planner may use it: a partial index
serves only a query whose conditions imply the index's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, select, text

import warehouse
from queries.ledger import open_credits_query, open_debits_query
from queries.scope import Scope
from tests.helpers.databases import reset_pg
from warehouse.engine import ensure_schema, make_engine

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
]


@pytest.fixture
def postgresql(pg_database: str) -> Iterator[Engine]:
    """An empty PostgreSQL warehouse: the GiST index of open periods is PostgreSQL's alone (SQLite has no range
    type), so these tests run on PostgreSQL only, and in CI they run rather than skip."""
    reset_pg(pg_database)
    engine = make_engine(pg_database, pooled=False)
    ensure_schema(engine)
    yield engine
    engine.dispose()


def test_the_index_holds_only_the_documents_ever_open(postgresql: Engine) -> None:
    with postgresql.connect() as conn:
        definition = conn.execute(text("SELECT pg_get_indexdef('ix_documents_open_range'::regclass)")).scalar_one()
    assert definition.endswith(
        "USING gist (daterange(doc_date, settled_date, '[)'::text)) "
        "WHERE ((settled_date IS NULL) OR (settled_date > doc_date))"
    )


@pytest.mark.parametrize("query", [open_debits_query, open_credits_query])
def test_the_open_documents_of_a_day_may_read_the_index(postgresql: Engine, query: object) -> None:
    """With every other way closed, the plan reads ix_documents_open_range: the query implies its condition
    (without it, a seq scan would be the only plan left)."""
    d = warehouse.documents
    statement = query(date(2025, 11, 20), Scope.everything())  # type: ignore[operator]
    only_documents = select(d.c.doc_pk).where(*statement.whereclause.clauses)  # type: ignore[union-attr]
    with postgresql.connect() as conn:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            conn.exec_driver_sql(f"SET LOCAL {setting} = off")
        for name in ("ix_documents_side_settled_date", "ix_documents_open_span", "ix_documents_date"):
            conn.exec_driver_sql(f"DROP INDEX {name}")  # rolled back with the connection's transaction
        compiled = only_documents.compile(conn)
        plan = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))
        conn.rollback()
    assert "ix_documents_open_range" in plan, plan


def test_what_the_condition_leaves_out_was_open_on_no_day(postgresql: Engine) -> None:
    """A document settled the day it was dated has an empty period: `@> D` holds for no D, so the index's
    condition changes no answer."""
    with postgresql.connect() as conn:
        empty = (
            conn.execute(
                text(
                    "SELECT daterange(DATE '2025-03-10', DATE '2025-03-10', '[)') @> d::date FROM generate_series("
                    "DATE '2025-03-08', DATE '2025-03-12', INTERVAL '1 day') AS d"
                )
            )
            .scalars()
            .all()
        )
    assert empty == [False] * 5
