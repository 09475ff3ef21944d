"""Reconciliation acts clients sent back: the file, its period and contract, who uploaded it and what the
reconciliation found (warehouse.their_acts).

Revision ID: 0006
Revises: 0005

A client uploads its copy on its portal, or our staff keep the copy a client e-mailed (the act page); no
load touches them and none is ever deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "their_acts",
        sa.Column("their_act_id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("counterparty_id", sa.String(64), nullable=False),
        sa.Column("contract_id", sa.String(64)),
        sa.Column("date_from", sa.Date(), nullable=False),
        sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.Text(), nullable=False),
        sa.Column("uploaded_role", sa.String(16), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("differences", sa.Integer()),
        sa.Column("balance_difference", sa.BigInteger()),
    )
    op.create_index("ix_their_acts_counterparty", "their_acts", ["counterparty_id", "uploaded_at"])


def downgrade() -> None:
    op.drop_index("ix_their_acts_counterparty", table_name="their_acts")
    op.drop_table("their_acts")
