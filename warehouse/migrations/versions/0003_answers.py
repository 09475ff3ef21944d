"""The first pages' answers, computed after a load, kept in the warehouse (warehouse.answer_store).

Revision ID: 0003
Revises: 0002

A fresh app server, or the first visitor after a load, read the overview's and the trend's default
answers here instead of scanning every document (at a million documents: 4 and 6 seconds).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answers",
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("params_key", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("answers")
