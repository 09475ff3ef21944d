"""PostgreSQL's ix_documents_open_range is a GiST over each ever-open document's open period as a point, not
a daterange (warehouse.open_span.open_point): x the day it was dated (moved by its side, so that debits and
credits lie apart), y the day it was settled. PostgreSQL 14+ builds a GiST of points sorted, like a btree,
where a daterange's GiST inserts key by key: at 1M, 2-4 s against 24-32 s of a first load's wall time (its
longest index build; load average 4-7). queries.ledger asks for the side's box of D (open_on): open credits
a year back 0.3-0.5 ms instead of 20-39 ms, the debits' queries within 15% either way (PostgreSQL estimates
a box's points at a fixed 0.1%). SQLite has no such index.

Revision ID: 0010
Revises: 0009

The index is written out here as the schema writes it at this revision, as 0009 does.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

POINT = "point(doc_date - DATE '2000-01-01' - side * 10000000, coalesce(settled_date - DATE '2000-01-01', 100000000))"
PERIOD_0009 = "daterange(doc_date, settled_date, '[)')"
EVER_OPEN = "settled_date IS NULL OR settled_date > doc_date"


def _create_index(key: str) -> None:
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the default 64MB spills the build to disk at 1M
    op.execute(f"CREATE INDEX ix_documents_open_range ON documents USING gist ({key}) WHERE {EVER_OPEN}")


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.drop_index("ix_documents_open_range", table_name="documents")
    _create_index(POINT)
    op.execute("ANALYZE documents")  # the statistics of the new index's expression


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.drop_index("ix_documents_open_range", table_name="documents")
    _create_index(PERIOD_0009)
