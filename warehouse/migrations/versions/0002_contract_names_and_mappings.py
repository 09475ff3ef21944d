"""Contracts get the name 1C shows them by; the app remembers the column mappings people make.

Revision ID: 0002
Revises: 0001

- contracts.name: a document in a list saved from 1C names its contract (`Основной договор`,
  `Договор № 15/2025 от 10.01.2025`); the load finds the contract by it. Existing contracts get "" and
  are found by `Договор № <number> от <date>` until a contracts file with names loads again.
- column_mappings: the headings of a file the product did not know, mapped once in the upload box.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("contracts", sa.Column("name", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "column_mappings",
        sa.Column("headings_key", sa.String(64), primary_key=True),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("headings", sa.Text(), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("saved_by", sa.Text(), nullable=False, server_default=""),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("column_mappings")
    with op.batch_alter_table("contracts") as batch:
        batch.drop_column("name")
