"""Notes of contacts with a client: calls, e-mails, notes, promises to pay and disputes (warehouse.notes).

Revision ID: 0004
Revises: 0003

People write them (`receivables note`, later the counterparty's card); no load touches them and none is
ever deleted. A promise or a dispute ends when resolved (resolved_on, resolved_by).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notes",
        sa.Column("note_id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("counterparty_id", sa.String(64), nullable=False),
        sa.Column("document_id", sa.String(64)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("note_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger()),
        sa.Column("until", sa.Date()),
        sa.Column("currency", sa.String(3)),
        sa.Column("text", sa.Text(), nullable=False, server_default=""),
        sa.Column("author", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_on", sa.Date()),
        sa.Column("resolved_by", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_notes_counterparty_date", "notes", ["counterparty_id", "note_date"])


def downgrade() -> None:
    op.drop_index("ix_notes_counterparty_date", table_name="notes")
    op.drop_table("notes")
