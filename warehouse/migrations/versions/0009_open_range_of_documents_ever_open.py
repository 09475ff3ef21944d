"""PostgreSQL's ix_documents_open_range holds only the documents ever open (settled after the day they were
dated, or not yet: warehouse.open_span.ever_open), which queries.ledger states beside `@> D`. The documents
settled the day they were dated (46% at 1M, most payments) have an empty range, open on no day; their
825,000 equal keys made GiST's build 2-3 times as long: a first load's longest index build at 1M (26 s of
its wall time at load average 7, now 10 s), with the same or faster queries. SQLite has no such index.

Revision ID: 0009
Revises: 0008

The index is written out here as the schema writes it at this revision, as 0007 does.
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

PERIOD = "daterange(doc_date, settled_date, '[)')"
EVER_OPEN = "settled_date IS NULL OR settled_date > doc_date"


def _create_index(where: str) -> None:
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the default 64MB spills the build to disk at 1M
    op.execute(f"CREATE INDEX ix_documents_open_range ON documents USING gist ({PERIOD}){where}")


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.drop_index("ix_documents_open_range", table_name="documents")
    _create_index(f" WHERE {EVER_OPEN}")
    op.execute("ANALYZE documents")  # the planner's estimate of the new index's rows


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.drop_index("ix_documents_open_range", table_name="documents")
    _create_index("")
