"""The warehouse schema, defined once for SQLite and PostgreSQL alike.

Money is BIGINT kopecks (exact and fast in both databases). Documents of every kind share one table
so that "open amount as of D" is a single aggregate over documents and matches.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import polars as pl
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    DateTime,
    Engine,
    Executable,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    inspect,
    literal_column,
    select,
    text,
)
from sqlalchemy.pool import NullPool

SCHEMA_VERSION = 1
# Indexes an earlier version created and a later one replaced: dropped by ensure_schema.
RETIRED_INDEXES = ("ix_documents_side_settled",)

metadata = MetaData()

counterparties = Table(
    "counterparties",
    metadata,
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

contracts = Table(
    "contracts",
    metadata,
    Column("contract_id", String(64), primary_key=True),
    Column("counterparty_id", String(64), nullable=False),
    Column("number", Text, nullable=False, server_default=""),
    Column("contract_date", Date),
    Column("currency", String(3), nullable=False, server_default="RUB"),
    Column("terms_days", Integer, nullable=False, server_default="0"),
    Column("terms_basis", String(8), nullable=False, server_default="calendar"),
    Column("credit_limit", BigInteger),  # kopecks; NULL means no limit
    Column("row_hash", String(16), nullable=False),
    Column("load_id", Integer, nullable=False),
    Index("ix_contracts_counterparty", "counterparty_id"),
)

# kind: shipment, return, adjustment, payment, opening. side: +1 debit (raises the debt), -1 credit.
documents = Table(
    "documents",
    metadata,
    Column("doc_pk", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("document_id", String(128), nullable=False),
    Column("counterparty_id", String(64)),  # NULL only for an unidentified bank payment
    Column("contract_id", String(64)),  # NULL for a counterparty-level payment
    Column("currency", String(3), nullable=False),
    Column("doc_date", Date, nullable=False),
    Column("side", SmallInteger, nullable=False),
    Column("amount", BigInteger, nullable=False),  # kopecks, > 0; the side gives the sign
    Column("due_date", Date),  # debits: computed at matching time from own_due_date or contract terms
    Column("own_due_date", Date),
    # The date the document was fully matched (a debit paid, a credit used up); NULL while anything is
    # open. As of D, a document settled on or before D can be skipped without looking at its matches.
    Column("settled_date", Date),
    Column("number", Text, nullable=False, server_default=""),
    Column("shipment_id", String(128)),  # returns/adjustments: the shipment they reduce or correct
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
    # As of D: the documents not settled by D and dated by D. With doc_date in the index, a date long ago
    # is told apart from the year of documents settled since without reading each one (aging a year ago
    # at 1M: 1.0 -> 0.46 s).
    Index("ix_documents_side_settled_date", "side", "settled_date", "doc_date"),
)
# PostgreSQL only: each document's open period [doc_date, settled_date) as a range, so "open on D" is one
# GiST lookup (`@> D`, queries.ledger). PostgreSQL otherwise misjudges how few documents were open on a
# date long ago (doc_date and settled_date are correlated) and scans the table: aging a year ago at 1M
# 1.3 s. SQLite has no range type and does well with the index above. (A document is settled on or after
# its date, so the range is never reversed: PostgreSQL would refuse the row otherwise.)
Index(
    "ix_documents_open_range",
    func.daterange(documents.c.doc_date, documents.c.settled_date, literal_column("'[)'")),
    postgresql_using="gist",
).ddl_if(dialect="postgresql")

allocations = Table(
    "allocations",
    metadata,
    Column("payment_id", String(128), primary_key=True),
    Column("shipment_id", String(128), primary_key=True),
    Column("amount", BigInteger, nullable=False),
    Column("row_hash", String(16), nullable=False),
    Column("load_id", Integer, nullable=False),
    Index("ix_allocations_shipment", "shipment_id"),
)

# Computed by etl.matching after each load: credit closes debit for `amount` on `match_date`
# (the later of the two documents' dates).
matches = Table(
    "matches",
    metadata,
    Column("match_id", Integer, primary_key=True, autoincrement=True),
    Column("counterparty_id", String(64), nullable=False),
    Column("debit_pk", Integer, nullable=False),
    Column("credit_pk", Integer, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("match_date", Date, nullable=False),
    Index("ix_matches_debit", "debit_pk", "match_date"),
    Index("ix_matches_credit", "credit_pk", "match_date"),
    Index("ix_matches_counterparty", "counterparty_id"),
    # What changed from a day on (a load that goes on matching rebuilds its rollups from that day).
    Index("ix_matches_date", "match_date"),
)

# Daily sums of what moves the trend, kept by every load (etl.flows): per counterparty, currency, kind and
# day, with the debit's due date for debits and matches on them. kind: d (debit booked), dm (matched on a
# debit), c (credit booked), cm (matched on a credit). A few hundred thousand rows for millions of
# documents: queries.trend reads these instead of scanning documents and matches.
flows = Table(
    "flows",
    metadata,
    Column("counterparty_id", String(64), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("kind", String(2), nullable=False),
    Column("day", Date, nullable=False),
    Column("due_date", Date),
    Column("amount", BigInteger, nullable=False),
    Index("ix_flows_counterparty_day", "counterparty_id", "day"),
    # Covering the company-wide trend's GROUP BY: SQLite scans it in order, no sort and no table reads.
    Index("ix_flows_sums", "kind", "currency", "day", "due_date", "amount"),
)

# For every shipment made while its counterparty had overdue debt, that debt on the shipment's date
# (etl.checks): one row per currency of the debt. The exceptions' shipped_while_overdue reads it
# instead of sweeping the window's days at query time.
shipment_checks = Table(
    "shipment_checks",
    metadata,
    Column("doc_pk", Integer, nullable=False),  # the shipment
    Column("counterparty_id", String(64), nullable=False),
    Column("doc_date", Date, nullable=False),
    Column("oldest_due", Date, nullable=False),  # the oldest due date among the debits overdue that day
    Column("currency", String(3)),  # NULL only when nothing is left once the shipment's own debt is set aside
    Column("overdue", BigInteger, nullable=False),  # kopecks overdue in that currency, the shipment's own aside
    # The balance as of the shipment's date of its contract (open debits - the contract's advance,
    # everything dated that day included): the stop-list's credit_limit rule on that day. NULL: no contract.
    Column("contract_balance", BigInteger),
    Index("ix_shipment_checks_date", "doc_date", "doc_pk"),
    Index("ix_shipment_checks_counterparty", "counterparty_id", "doc_date"),
)

calendar_overrides = Table(
    "calendar_overrides",
    metadata,
    Column("day", Date, primary_key=True),
    Column("kind", String(8), nullable=False),  # holiday | workday
    Column("row_hash", String(16), nullable=False),
    Column("load_id", Integer, nullable=False),
)

load_runs = Table(
    "load_runs",
    metadata,
    Column("load_id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("user_name", Text, nullable=False, server_default=""),
    Column("host", Text, nullable=False, server_default=""),
    Column("command", Text, nullable=False, server_default=""),
    Column("status", String(16), nullable=False),  # running is never visible outside the transaction
    Column("duration_ms", BigInteger),
    Column("counts", Text, nullable=False, server_default="{}"),  # JSON: per entity summary
    Column("message", Text, nullable=False, server_default=""),
)

# Who did what (contract: access control): exports, sent reminders and settings, from the app and the
# CLI. Loads are in load_runs, with their user; queries.audit shows both as one log.
audit_log = Table(
    "audit_log",
    metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("user_name", Text, nullable=False),
    Column("role", String(16), nullable=False, server_default=""),
    Column("source", String(8), nullable=False),  # app or cli
    Column("action", String(32), nullable=False),  # export, reminders_sent, settings
    Column("subject", Text, nullable=False, server_default=""),  # what: the report, the file, the rules
    Column("detail", Text, nullable=False, server_default=""),  # the file written, when there is one
    Column("rows", BigInteger),  # rows exported, reminders sent
    Index("ix_audit_log_at", "at"),
)

load_files = Table(
    "load_files",
    metadata,
    Column("load_id", Integer, primary_key=True),
    Column("path", Text, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("entity", String(32), nullable=False),  # or "bank_statement", "skipped", "refused"
    Column("rows_read", Integer, nullable=False, server_default="0"),
    Column("message", Text, nullable=False, server_default=""),
)

# kind: row (bad value), reference (retried at every later load), file (whole file refused).
rejects = Table(
    "rejects",
    metadata,
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
    Column("raw", Text, nullable=False, server_default=""),  # JSON of the row, to retry it
    Index("ix_rejects_file", "file"),
    Index("ix_rejects_entity_key", "entity", "record_key"),
)

# The reminder send log: one row per counterparty, rule and day (the day of the run, its as-of date).
# A row is recorded as `pending` before the message goes to the SMTP server and confirmed `sent` after;
# `failed` rows are retried by the next run (the same day's, or carried into a later day's message, after
# which they read `retried`). A `pending` row left by a killed run is never resent on its own: at most once.
reminder_log = Table(
    "reminder_log",
    metadata,
    Column("day", Date, primary_key=True),
    Column("counterparty_id", String(64), primary_key=True),
    Column("rule", String(8), primary_key=True),  # before | overdue | repeat
    Column("status", String(8), nullable=False),  # pending | sent | failed | retried | obsolete
    Column("documents", Text, nullable=False, server_default="[]"),  # JSON [[kind, document_id, reminder_no]]
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

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Take transaction control from pysqlite so BEGIN is real (a load is one atomic transaction and
    # reads see one snapshot); WAL lets the dashboard read while a load writes.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.execute("PRAGMA cache_size=-200000")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def make_engine(url: str, *, pooled: bool = True) -> Engine:
    """An engine for the warehouse URL; SQLite folders are created, SQLite gets real transactions."""
    if url.startswith("postgresql://"):
        # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; the project ships psycopg2.
        url = "postgresql+psycopg2://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, object] = {}
    if not pooled:
        kwargs["poolclass"] = NullPool
    if url.startswith("postgresql"):
        # JIT compiling costs a quarter of a second per query here and these queries are short: aging at
        # 1M documents took 0.93 s with JIT and 0.59 s without.
        kwargs["connect_args"] = {"options": "-c jit=off"}
        # One snapshot per transaction, as SQLite's WAL gives: a query that reads in several statements
        # (aging: the debits, then the advances) never mixes the warehouse before a load with after it,
        # as READ COMMITTED's snapshot per statement would when the load commits in between. The load
        # itself runs READ COMMITTED (etl.load): it must see what the load it waited for committed.
        kwargs["isolation_level"] = "REPEATABLE READ"
    engine = create_engine(url, **kwargs)  # type: ignore[arg-type]
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:  # type: ignore[no-untyped-def]
            # A load asks for BEGIN IMMEDIATE (the write lock before any read: etl.load); the rest read first.
            immediate = conn.get_execution_options().get("sqlite_immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def ensure_schema(engine: Engine) -> None:
    """Create the tables on first use; refuse a warehouse written by a newer version."""
    with engine.begin() as conn:
        if inspect(conn).has_table("meta"):
            row = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
            if row is not None and int(row[0]) > SCHEMA_VERSION:
                raise RuntimeError(
                    f"the warehouse has schema version {row[0]}, newer than this program ({SCHEMA_VERSION})"
                )
        metadata.create_all(conn)
        for table in metadata.sorted_tables:  # an index added by a later version to an existing table
            for index in table.indexes:
                index.create(conn, checkfirst=True)
        for retired in RETIRED_INDEXES:  # and one a later version replaced
            conn.execute(text(f"DROP INDEX IF EXISTS {retired}"))
        present = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).first()
        if present is None:
            conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))


def frame(conn: Connection, query: Executable, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Run a query into a typed frame.

    The rows come straight from the DBAPI cursor: SQLAlchemy's Row objects and per-value processors
    cost more than the query itself at 50,000 rows. SQLite hands dates over as ISO text; polars parses
    those column-wise."""
    result = conn.execute(query)
    try:
        rows = result.cursor.fetchall() if result.cursor is not None else []
    finally:
        result.close()
    if conn.dialect.name != "sqlite":
        return pl.DataFrame(rows, schema=schema, orient="row")
    dates = [name for name, dtype in schema.items() if dtype == pl.Date]
    raw = {name: (pl.String if name in dates else dtype) for name, dtype in schema.items()}
    data = pl.DataFrame(rows, schema=raw, orient="row")
    return data.with_columns(pl.col(name).str.to_date("%Y-%m-%d") for name in dates) if dates else data


def read_meta(conn, key: str) -> str | None:  # type: ignore[no-untyped-def]
    """A value of the meta table (schema_version, company_name, company_inn), None when unset."""
    return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


def write_meta(conn, key: str, value: str) -> None:  # type: ignore[no-untyped-def]
    conn.execute(delete(meta).where(meta.c.key == key))
    conn.execute(meta.insert().values(key=key, value=value))


def warehouse_version(conn) -> int:  # type: ignore[no-untyped-def]
    """The id of the last load: caches keyed by it show a new load at once."""
    value = conn.execute(text("SELECT MAX(load_id) FROM load_runs")).scalar()
    return int(value or 0)


def _copy_text(value: object) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def bulk_insert(conn, table: Table, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:  # type: ignore[no-untyped-def]
    """Insert many rows inside the caller's transaction, bypassing per-row SQLAlchemy processing.

    PostgreSQL: COPY FROM STDIN (one round trip). SQLite: the driver's executemany, with dates as ISO
    text, which is how SQLAlchemy's Date type stores them there.
    """
    if not rows:
        return
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_copy_text(v) for v in row))
            buffer.write("\n")
        buffer.seek(0)
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.copy_expert(f"COPY {table.name} ({names}) FROM STDIN", buffer)
        finally:
            cursor.close()
        return
    date_positions = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, Date)]
    if date_positions:
        converted = []
        for row in rows:
            values = list(row)
            for i in date_positions:
                if values[i] is not None:
                    values[i] = values[i].isoformat()
            converted.append(tuple(values))
        rows = converted
    placeholders = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({placeholders})", list(rows))


def bulk_update(conn, table: Table, key: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:  # type: ignore[no-untyped-def]
    """Set `columns` of many rows found by `key` (each row: key value, then the column values).

    PostgreSQL: COPY into a temporary table, then one UPDATE ... FROM. SQLite: executemany by key.
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        staging = f"tmp_update_{table.name}"
        definitions = ", ".join(
            f"{name} {table.c[name].type.compile(dialect=conn.dialect)}" for name in (key, *columns)
        )
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ({definitions}) ON COMMIT DROP")
        conn.exec_driver_sql(f"TRUNCATE {staging}")
        staging_table = Table(staging, MetaData(), *(Column(n, table.c[n].type) for n in (key, *columns)))
        bulk_insert(conn, staging_table, (key, *columns), rows)
        assignments = ", ".join(f"{name} = s.{name}" for name in columns)
        conn.exec_driver_sql(f"UPDATE {table.name} AS t SET {assignments} FROM {staging} AS s WHERE t.{key} = s.{key}")
        return
    date_positions = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, Date)]
    assignments = ", ".join(f"{name} = ?" for name in columns)
    parameters = []
    for row in rows:
        values = list(row[1:])
        for i in date_positions:
            if values[i] is not None:
                values[i] = values[i].isoformat()
        parameters.append((*values, row[0]))
    conn.exec_driver_sql(f"UPDATE {table.name} SET {assignments} WHERE {key} = ?", parameters)
