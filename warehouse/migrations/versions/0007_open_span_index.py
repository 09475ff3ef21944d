"""Documents indexed by the length class of their open period, then their date (warehouse.schema,
ix_documents_open_span): which documents were open on a day is a few index ranges instead of every
document settled since (queries.ledger.open_by_class; aging a year back at 1M, issue 20).

Revision ID: 0007
Revises: 0006

The expression is written out here as the schema wrote it at this revision, so that a later change to
warehouse.schema cannot change what this revision does; SQLite uses an expression index only for the very
same expression, and keeps the CREATE INDEX text, which the migration tests compare with a new warehouse's.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

EDGES = (1, 4, 16, 64, 256, 1024)


def _span_class(days: str) -> str:
    whens = " ".join(f"WHEN ({days} < {edge}) THEN {k}" for k, edge in enumerate(EDGES))
    return f"(CASE WHEN (settled_date IS NULL) THEN {len(EDGES) + 1} {whens} ELSE {len(EDGES)} END)"


READS = "settled_date, counterparty_id, contract_id, currency, due_date, amount"


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        span = _span_class("(settled_date - doc_date)")
        op.execute(
            f"CREATE INDEX ix_documents_open_span ON documents (side, {span}, doc_date) INCLUDE (doc_pk, {READS})"
        )
    else:
        span = _span_class("(julianday(settled_date) - julianday(doc_date))")
        op.execute(f"CREATE INDEX ix_documents_open_span ON documents (side, {span}, doc_date, {READS})")
    # Statistics for the new index now (1M documents: about 1 s), not at the next load: without them SQLite
    # reads the whole index for one side instead of its ranges.
    op.execute("ANALYZE documents")


def downgrade() -> None:
    op.drop_index("ix_documents_open_span", table_name="documents")
