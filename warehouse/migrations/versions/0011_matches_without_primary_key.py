"""PostgreSQL's matches have no primary key: nothing looks a match up by match_id (every statement the pages,
the exports and later loads send reads matches by debit, credit, counterparty or date), so matches_pkey was
a btree only ever written: at 1M a first load's parallel build of 0.5 s over 1.8M rows, 37 MB, and an entry
for every match a later load writes. An audit of every statement's plan with each index of the big tables
dropped in turn (docs/scaling.md) found no plan that used it. match_id keeps its sequence, so every match
still gets its number. SQLite's match_id is the table's rowid, which costs nothing: it keeps its key.

Revision ID: 0011
Revises: 0010

The constraint is written out here as the schema wrote it at this revision, as 0010 does.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    # PostgreSQL named it matches_pkey in every warehouse so far; the name is read, not assumed.
    name = inspect(op.get_bind()).get_pk_constraint("matches")["name"]
    if name:
        op.drop_constraint(name, "matches", type_="primary")


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.create_primary_key("matches_pkey", "matches", ["match_id"])
