"""On PostgreSQL every key column (an id, a kind, a currency: warehouse.schema.Key) has the "C" collation: keys
sort byte for byte, as on SQLite, whatever the server's locale, and their btrees build with abbreviated keys
instead of strcoll (at 1M, built alone: (kind, document_id) 1.6-1.7 -> 1.3 s, (contract_id, doc_date) 1.6 ->
1.3 s, matches' counterparty 1.0-1.4 -> 0.8-0.9 s). SQLite compares text by its bytes already: nothing to do.

Revision ID: 0012
Revises: 0011

The columns are written out here as the schema has them at this revision. PostgreSQL keeps each table's rows
(the type is the same) and builds again the indexes over its changed columns, once per table.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

KEYS = {  # table: (column, length), ...
    "counterparties": (("counterparty_id", 64),),
    "contracts": (("contract_id", 64), ("counterparty_id", 64), ("currency", 3)),
    "documents": (
        ("kind", 16),
        ("document_id", 128),
        ("counterparty_id", 64),
        ("contract_id", 64),
        ("currency", 3),
        ("shipment_id", 128),
    ),
    "allocations": (("payment_id", 128), ("shipment_id", 128)),
    "matches": (("counterparty_id", 64),),
    "flows": (("counterparty_id", 64), ("currency", 3), ("kind", 2)),
    "shipment_checks": (("counterparty_id", 64), ("currency", 3)),
    "reminder_log": (("counterparty_id", 64),),
    "notes": (("counterparty_id", 64), ("document_id", 64), ("currency", 3)),
    "stop_releases": (("counterparty_id", 64),),
    "their_acts": (("counterparty_id", 64), ("contract_id", 64)),
}


def _collate(collation: str) -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the indexes built again: 64MB spills them at 1M
    for table, columns in KEYS.items():
        changes = ", ".join(
            f'ALTER COLUMN {column} TYPE VARCHAR({length}) COLLATE "{collation}"' for column, length in columns
        )
        op.execute(f"ALTER TABLE {table} {changes}")


def upgrade() -> None:
    _collate("C")


def downgrade() -> None:
    _collate("default")
