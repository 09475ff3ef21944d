"""Stop-list releases: a stopped client released for shipments until a date, with a reason (warehouse.stop_releases).

Revision ID: 0005
Revises: 0004

The CFO or a controller writes them (the stop-list page); no load touches them and none is ever deleted. A
release ended early keeps its row with ended_on and ended_by.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stop_releases",
        sa.Column("release_id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("counterparty_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("released_on", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_on", sa.Date()),
        sa.Column("ended_by", sa.Text(), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("stop_releases")
