"""Documents keep the date of their first match (documents.first_match_date, NULL while unmatched), and
ix_documents_open_span carries it: as of a day before it a document's open amount is its amount, so aging
looks up matches only for the few documents partly matched by then (queries.ledger; issue 20, aging a
year back at 1M).

Revision ID: 0008
Revises: 0007

An existing warehouse gets the dates from its matches (at 1M: 48 s on SQLite, 5 min on PostgreSQL, whose
UPDATE keeps up every index of documents; load average 9-12), and PostgreSQL a VACUUM after the commit
(warehouse.migrations.upgrade). The index is written out here as the schema wrote it at this revision, as
0007 does (SQLite uses an expression index only for the very same expression).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

EDGES = (1, 4, 16, 64, 256, 1024)
READS_0007 = "settled_date, counterparty_id, contract_id, currency, due_date, amount"
READS = f"{READS_0007}, first_match_date"


def _span_class(days: str) -> str:
    whens = " ".join(f"WHEN ({days} < {edge}) THEN {k}" for k, edge in enumerate(EDGES))
    return f"(CASE WHEN (settled_date IS NULL) THEN {len(EDGES) + 1} {whens} ELSE {len(EDGES)} END)"


def _create_index(reads: str) -> None:
    if op.get_context().dialect.name == "postgresql":
        span = _span_class("(settled_date - doc_date)")
        op.execute(
            f"CREATE INDEX ix_documents_open_span ON documents (side, {span}, doc_date) INCLUDE (doc_pk, {reads})"
        )
    else:
        span = _span_class("(julianday(settled_date) - julianday(doc_date))")
        op.execute(f"CREATE INDEX ix_documents_open_span ON documents (side, {span}, doc_date, {reads})")


# Each document's first match: a debit's among the matches naming it as debit_pk, a credit's as credit_pk (a
# document is on one side only, so the two never name the same document).
FIRST_MATCHES = (
    "SELECT debit_pk AS doc_pk, min(match_date) AS first_match FROM matches GROUP BY debit_pk "
    "UNION ALL SELECT credit_pk, min(match_date) FROM matches GROUP BY credit_pk"
)


def upgrade() -> None:
    postgresql = op.get_context().dialect.name == "postgresql"
    op.drop_index("ix_documents_open_span", table_name="documents")
    op.add_column("documents", sa.Column("first_match_date", sa.Date()))
    if postgresql:
        # Made before the dates are written: an index made over rows this transaction updated in place (HOT)
        # would be of no use to a transaction older than the upgrade (pg_index.indcheckxmin) until it ends.
        _create_index(READS)
    op.execute(
        f"UPDATE documents SET first_match_date = f.first_match FROM ({FIRST_MATCHES}) AS f "
        "WHERE documents.doc_pk = f.doc_pk"
    )
    if not postgresql:
        _create_index(READS)  # after the dates: SQLite builds it once instead of keeping it up row by row
    op.execute("ANALYZE documents")  # as 0007: SQLite plans the index's ranges only with its statistics


def downgrade() -> None:
    op.drop_index("ix_documents_open_span", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("first_match_date")
    _create_index(READS_0007)
