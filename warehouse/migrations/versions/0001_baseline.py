"""The warehouse as it stood when migrations came in (the schema of commit e585d7a), on both databases.

Revision ID: 0001
Revises: (none)

On an empty database it creates the warehouse. On a warehouse made before migrations (no
alembic_version) it does what ensure_schema used to do on every start, so a warehouse of any earlier
version arrives here with every row kept: the tables and indexes it lacks are created (an older one has
no flows or shipment_checks; the loads build those rollups in full once, as they always did), and the
index ix_documents_side_settled, which ix_documents_side_settled_date replaced, is dropped.

The tables are a frozen copy of warehouse/schema.py at that commit (its comments say why each is so):
a later revision changes schema.py and adds its own step, never this file.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    literal_column,
    text,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

RETIRED_INDEXES = ("ix_documents_side_settled",)

schema = MetaData()

Table(
    "counterparties",
    schema,
    Column("counterparty_id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("inn", String(12), nullable=False, server_default=""),
    Column("kpp", String(9), nullable=False, server_default=""),
    Column("manager", Text, nullable=False, server_default=""),
    Column("email", Text, nullable=False, server_default=""),
    Column("group_name", Text, nullable=False, server_default=""),
    Column("row_hash", String(16), nullable=False),
    Column("load_id", Integer, nullable=False),
    Index("ix_counterparties_inn", "inn"),
    Index("ix_counterparties_manager", "manager"),
)

Table(
    "contracts",
    schema,
    Column("contract_id", String(64), primary_key=True),
    Column("counterparty_id", String(64), nullable=False),
    Column("number", Text, nullable=False, server_default=""),
    Column("contract_date", Date),
    Column("currency", String(3), nullable=False, server_default="RUB"),
    Column("terms_days", Integer, nullable=False, server_default="0"),
    Column("terms_basis", String(8), nullable=False, server_default="calendar"),
    Column("credit_limit", BigInteger),
    Column("row_hash", String(16), nullable=False),
    Column("load_id", Integer, nullable=False),
    Index("ix_contracts_counterparty", "counterparty_id"),
)

documents = Table(
    "documents",
    schema,
    Column("doc_pk", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("document_id", String(128), nullable=False),
    Column("counterparty_id", String(64)),
    Column("contract_id", String(64)),
    Column("currency", String(3), nullable=False),
    Column("doc_date", Date, nullable=False),
    Column("side", SmallInteger, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("due_date", Date),
    Column("own_due_date", Date),
    Column("settled_date", Date),
    Column("number", Text, nullable=False, server_default=""),
    Column("shipment_id", String(128)),
    Column("purpose", Text, nullable=False, server_default=""),
    Column("vat", BigInteger),
    Column("warehouse", Text, nullable=False, server_default=""),
    Column("payer_inn", String(12), nullable=False, server_default=""),
    Column("payer_name", Text, nullable=False, server_default=""),
    Column("source_file", Text, nullable=False, server_default=""),
    Column("source_line", Integer),
    Column("row_hash", String(16), nullable=False),
    Column("load_id", Integer, nullable=False),
    UniqueConstraint("kind", "document_id", name="uq_documents_kind_id"),
    Index("ix_documents_contract_date", "contract_id", "doc_date"),
    Index("ix_documents_counterparty_date", "counterparty_id", "doc_date"),
    Index("ix_documents_due", "due_date"),
    Index("ix_documents_date", "doc_date"),
    Index("ix_documents_side_settled_date", "side", "settled_date", "doc_date"),
)
Index(
    "ix_documents_open_range",
    func.daterange(documents.c.doc_date, documents.c.settled_date, literal_column("'[)'")),
    postgresql_using="gist",
).ddl_if(dialect="postgresql")

Table(
    "allocations",
    schema,
    Column("payment_id", String(128), primary_key=True),
    Column("shipment_id", String(128), primary_key=True),
    Column("amount", BigInteger, nullable=False),
    Column("row_hash", String(16), nullable=False),
    Column("load_id", Integer, nullable=False),
    Index("ix_allocations_shipment", "shipment_id"),
)

Table(
    "matches",
    schema,
    Column("match_id", Integer, primary_key=True, autoincrement=True),
    Column("counterparty_id", String(64), nullable=False),
    Column("debit_pk", Integer, nullable=False),
    Column("credit_pk", Integer, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("match_date", Date, nullable=False),
    Index("ix_matches_debit", "debit_pk", "match_date"),
    Index("ix_matches_credit", "credit_pk", "match_date"),
    Index("ix_matches_counterparty", "counterparty_id"),
    Index("ix_matches_date", "match_date"),
)

Table(
    "flows",
    schema,
    Column("counterparty_id", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("kind", String(2), nullable=False),
    Column("day", Date, nullable=False),
    Column("due_date", Date),
    Column("amount", BigInteger, nullable=False),
    Index("ix_flows_counterparty_day", "counterparty_id", "day"),
    Index("ix_flows_sums", "kind", "currency", "day", "due_date", "amount"),
)

Table(
    "shipment_checks",
    schema,
    Column("doc_pk", Integer, nullable=False),
    Column("counterparty_id", String(64), nullable=False),
    Column("doc_date", Date, nullable=False),
    Column("oldest_due", Date, nullable=False),
    Column("currency", String(3)),
    Column("overdue", BigInteger, nullable=False),
    Column("contract_balance", BigInteger),
    Index("ix_shipment_checks_date", "doc_date", "doc_pk"),
    Index("ix_shipment_checks_counterparty", "counterparty_id", "doc_date"),
)

Table(
    "calendar_overrides",
    schema,
    Column("day", Date, primary_key=True),
    Column("kind", String(8), nullable=False),
    Column("row_hash", String(16), nullable=False),
    Column("load_id", Integer, nullable=False),
)

Table(
    "load_runs",
    schema,
    Column("load_id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("user_name", Text, nullable=False, server_default=""),
    Column("host", Text, nullable=False, server_default=""),
    Column("command", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False),
    Column("duration_ms", BigInteger),
    Column("counts", Text, nullable=False, server_default="{}"),
    Column("message", Text, nullable=False, server_default=""),
)

Table(
    "audit_log",
    schema,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("user_name", Text, nullable=False),
    Column("role", String(16), nullable=False, server_default=""),
    Column("source", String(8), nullable=False),
    Column("action", String(32), nullable=False),
    Column("subject", Text, nullable=False, server_default=""),
    Column("detail", Text, nullable=False, server_default=""),
    Column("rows", BigInteger),
    Index("ix_audit_log_at", "at"),
)

Table(
    "load_files",
    schema,
    Column("load_id", Integer, primary_key=True),
    Column("path", Text, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("entity", String(32), nullable=False),
    Column("rows_read", Integer, nullable=False, server_default="0"),
    Column("message", Text, nullable=False, server_default=""),
)

Table(
    "rejects",
    schema,
    Column("reject_id", Integer, primary_key=True, autoincrement=True),
    Column("load_id", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("entity", String(32), nullable=False, server_default=""),
    Column("file", Text, nullable=False),
    Column("line", Integer),
    Column("column_name", Text, nullable=False, server_default=""),
    Column("value", Text, nullable=False, server_default=""),
    Column("reason", Text, nullable=False),
    Column("record_key", Text, nullable=False, server_default=""),
    Column("raw", Text, nullable=False, server_default=""),
    Index("ix_rejects_file", "file"),
    Index("ix_rejects_entity_key", "entity", "record_key"),
)

Table(
    "reminder_log",
    schema,
    Column("day", Date, primary_key=True),
    Column("counterparty_id", String(64), primary_key=True),
    Column("rule", String(8), primary_key=True),
    Column("status", String(8), nullable=False),
    Column("documents", Text, nullable=False, server_default="[]"),
    Column("recipients", Text, nullable=False, server_default=""),
    Column("subject", Text, nullable=False, server_default=""),
    Column("message_id", Text, nullable=False, server_default=""),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("recorded_at", DateTime),
    Column("sent_at", DateTime),
    Column("error", Text, nullable=False, server_default=""),
    Column("user_name", Text, nullable=False, server_default=""),
    Index("ix_reminder_log_status", "status", "day"),
    Index("ix_reminder_log_counterparty", "counterparty_id", "day"),
)

Table(
    "meta",
    schema,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


def upgrade() -> None:
    bind = op.get_bind()
    schema.create_all(bind, checkfirst=True)
    for table in schema.sorted_tables:  # an index a later version added to a table an earlier one made
        for index in table.indexes:
            index.create(bind, checkfirst=True)
    for retired in RETIRED_INDEXES:
        op.execute(text(f"DROP INDEX IF EXISTS {retired}"))


def downgrade() -> None:
    schema.drop_all(op.get_bind())
