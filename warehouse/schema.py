"""The warehouse schema, defined once for SQLite and PostgreSQL alike.

Money is BIGINT kopecks (exact and fast in both databases). Documents of every kind share one table
so that "open amount as of D" is a single aggregate over documents and matches.

This is the schema of the newest revision: a change here comes with a revision in warehouse/migrations
that makes the same change to an existing warehouse.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from warehouse.open_span import open_range_index, open_span_indexes

metadata = MetaData()


def Key(length: int) -> String:  # a column type, named as SQLAlchemy's are
    """A key of the source systems (an id, a kind, a currency): compared byte for byte on both databases.

    SQLite compares text by its bytes; PostgreSQL by the database's collation unless the column names one. In
    "C" a key sorts as on SQLite whatever the server's locale (ru_RU's passes over punctuation at first), and its
    btrees build with PostgreSQL's abbreviated keys instead of strcoll: at 1M the text-keyed builds 9-38% faster,
    about 1 s of a first load (revision 0012). A comparison with a column of the default collation takes "C"."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


counterparties = Table(
    "counterparties",
    metadata,
    Column("counterparty_id", Key(64), primary_key=True),
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
    Column("contract_id", Key(64), primary_key=True),
    Column("counterparty_id", Key(64), nullable=False),
    Column("number", Text, nullable=False, server_default=""),
    Column("contract_date", Date),
    Column("currency", Key(3), nullable=False, server_default="RUB"),
    Column("terms_days", Integer, nullable=False, server_default="0"),
    Column("terms_basis", String(8), nullable=False, server_default="calendar"),
    Column("credit_limit", BigInteger),  # kopecks; NULL means no limit
    Column("row_hash", String(16), nullable=False),
    Column("load_id", Integer, nullable=False),
    # The contract's name as 1C shows it (`Основной договор`), "" when the source gives none: documents from
    # 1C lists name their contract so (revision 0002).
    Column("name", Text, nullable=False, server_default=""),
    Index("ix_contracts_counterparty", "counterparty_id"),
)

# kind: shipment, return, adjustment, payment, opening. side: +1 debit (raises the debt), -1 credit.
documents = Table(
    "documents",
    metadata,
    Column("doc_pk", Integer, primary_key=True, autoincrement=True),
    Column("kind", Key(16), nullable=False),
    Column("document_id", Key(128), nullable=False),
    Column("counterparty_id", Key(64)),  # NULL only for an unidentified bank payment
    Column("contract_id", Key(64)),  # NULL for a counterparty-level payment
    Column("currency", Key(3), nullable=False),
    Column("doc_date", Date, nullable=False),
    Column("side", SmallInteger, nullable=False),
    Column("amount", BigInteger, nullable=False),  # kopecks, > 0; the side gives the sign
    Column("due_date", Date),  # debits: computed at matching time from own_due_date or contract terms
    Column("own_due_date", Date),
    # The date the document was fully matched (a debit paid, a credit used up); NULL while anything is
    # open. As of D, a document settled on or before D can be skipped without looking at its matches.
    Column("settled_date", Date),
    Column("number", Text, nullable=False, server_default=""),
    Column("shipment_id", Key(128)),  # returns/adjustments: the shipment they reduce or correct
    Column("purpose", Text, nullable=False, server_default=""),
    Column("vat", BigInteger),
    Column("warehouse", Text, nullable=False, server_default=""),
    Column("payer_inn", String(12), nullable=False, server_default=""),
    Column("payer_name", Text, nullable=False, server_default=""),
    Column("source_file", Text, nullable=False, server_default=""),
    Column("source_line", Integer),
    Column("row_hash", String(16), nullable=False),
    Column("load_id", Integer, nullable=False),
    # The date of the document's first match (NULL: none yet; revision 0008). As of D before it, nothing of
    # the document is matched: its open amount is its amount, no matches looked up (queries.ledger).
    Column("first_match_date", Date),
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
# PostgreSQL only: each document's open period [doc_date, settled_date) as a point, so "open on D" is one
# GiST lookup of a box (warehouse.open_span.open_on, queries.ledger). PostgreSQL otherwise misjudges how few
# documents were open on a date long ago (doc_date and settled_date are correlated) and scans the table:
# aging a year ago at 1M 1.3 s. SQLite does well with the index above. Only documents ever open (revision
# 0009); a point rather than a daterange since revision 0010 (built sorted: 17 -> 3 s at 1M).
open_range_index(documents)
open_span_indexes(documents)  # ix_documents_open_span: the open documents of a day, what aging reads of them

allocations = Table(
    "allocations",
    metadata,
    Column("payment_id", Key(128), primary_key=True),
    Column("shipment_id", Key(128), primary_key=True),
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
    Column("counterparty_id", Key(64), nullable=False),
    Column("debit_pk", Integer, nullable=False),
    Column("credit_pk", Integer, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("match_date", Date, nullable=False),
    Index("ix_matches_debit", "debit_pk", "match_date"),
    Index("ix_matches_credit", "credit_pk", "match_date"),
    # A counterparty's matches, and those from a day on: a day's load rebuilds its counterparties' flows from
    # that day (warehouse.rollups.flows.rebuild_since; at 1M on SQLite 1.5 s -> 5 ms with the date here).
    Index("ix_matches_counterparty_date", "counterparty_id", "match_date"),
    # What changed from a day on (a load that goes on matching rebuilds its rollups from that day).
    Index("ix_matches_date", "match_date"),
)

# Daily sums of what moves the trend, kept by every load (warehouse.rollups.flows): per counterparty, currency, kind and
# day, with the debit's due date for debits and matches on them. kind: d (debit booked), dm (matched on a
# debit), c (credit booked), cm (matched on a credit). A few hundred thousand rows for millions of
# documents: queries.trend reads these instead of scanning documents and matches.
flows = Table(
    "flows",
    metadata,
    Column("counterparty_id", Key(64), nullable=False),
    Column("currency", Key(3), nullable=False),
    Column("kind", Key(2), nullable=False),
    Column("day", Date, nullable=False),
    Column("due_date", Date),
    Column("amount", BigInteger, nullable=False),
    Index("ix_flows_counterparty_day", "counterparty_id", "day"),
    # Covering the company-wide trend's GROUP BY: SQLite scans it in order, no sort and no table reads.
    Index("ix_flows_sums", "kind", "currency", "day", "due_date", "amount"),
)

# For every shipment made while its counterparty had overdue debt, that debt on the shipment's date
# (warehouse.rollups.checks): one row per currency of the debt. The exceptions' shipped_while_overdue reads it
# instead of sweeping the window's days at query time.
shipment_checks = Table(
    "shipment_checks",
    metadata,
    Column("doc_pk", Integer, nullable=False),  # the shipment
    Column("counterparty_id", Key(64), nullable=False),
    Column("doc_date", Date, nullable=False),
    Column("oldest_due", Date, nullable=False),  # the oldest due date among the debits overdue that day
    Column("currency", Key(3)),  # NULL only when nothing is left once the shipment's own debt is set aside
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
    Column("action", String(32), nullable=False),  # export, reminders_sent, settings, note, note_resolved,
    # stop_release, stop_release_ended
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
    Column("counterparty_id", Key(64), primary_key=True),
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

# Headings a person mapped to an entity's columns in the app's upload box (revision 0002), remembered for
# the next file with the same headings. headings_key: the entity and the file's normalized headings, hashed.
column_mappings = Table(
    "column_mappings",
    metadata,
    Column("headings_key", String(64), primary_key=True),
    Column("entity", String(32), nullable=False),
    Column("headings", Text, nullable=False),  # JSON list, as the file has them
    Column("mapping", Text, nullable=False),  # JSON object: heading -> column, or "" to ignore it
    Column("saved_by", Text, nullable=False, server_default=""),
    Column("saved_at", DateTime, nullable=False),
)

# Answers the first pages need, computed right after a load (revision 0003, warehouse.answer_store): a fresh
# app server's first visitor reads a few kilobytes here instead of scanning a million documents. name: the
# query; params_key: its parameters, hashed; version: the load they were computed after (older ones are
# deleted when new ones are written); payload: the frame in Arrow IPC.
answers = Table(
    "answers",
    metadata,
    Column("name", String(128), primary_key=True),
    Column("params_key", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("computed_at", DateTime, nullable=False),
)

# Notes of contacts with a client (revision 0004, warehouse.notes): a call, an e-mail, a note, a promise to pay
# (amount by `until`) or a dispute of a document. Written by people, never by a load, and never deleted: a
# reload of the files leaves them alone. document_id: the document's id as the source gives it (no kind), NULL
# for a note on the counterparty. A promise or a dispute ends on resolved_on (withdrawn or settled), by whom.
notes = Table(
    "notes",
    metadata,
    Column("note_id", Integer, primary_key=True, autoincrement=True),
    Column("counterparty_id", Key(64), nullable=False),
    Column("document_id", Key(64)),
    Column("kind", String(16), nullable=False),  # call | email | note | promise | dispute
    Column("note_date", Date, nullable=False),
    Column("amount", BigInteger),  # kopecks: a promise's amount
    Column("until", Date),  # a promise's last day
    Column("currency", Key(3)),
    Column("text", Text, nullable=False, server_default=""),
    Column("author", Text, nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    Column("resolved_on", Date),
    Column("resolved_by", Text, nullable=False, server_default=""),
    Index("ix_notes_counterparty_date", "counterparty_id", "note_date"),
)

# Stop-list releases (issue 17): the CFO or a controller lets a stopped client be shipped to from released_on
# to until (both inclusive), with a reason. People write them, never a load, and none is deleted: a release
# ended early keeps its row with ended_on (the first day it no longer counts) and ended_by.
stop_releases = Table(
    "stop_releases",
    metadata,
    Column("release_id", Integer, primary_key=True, autoincrement=True),
    Column("counterparty_id", Key(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("released_on", Date, nullable=False),
    Column("until", Date, nullable=False),
    Column("author", Text, nullable=False, server_default=""),
    Column("created_at", DateTime, nullable=False),
    Column("ended_on", Date),
    Column("ended_by", Text, nullable=False, server_default=""),
)

# Reconciliation acts a client sent back (issue 18, revision 0006, warehouse.their_act_store): the file as
# uploaded, for the period and contract it reconciles, by whom (the client itself on its portal, or our staff
# keeping the copy the client e-mailed), and what the reconciliation found when it was stored: the number of
# differing lines and the difference of the closing balances in kopecks (NULL until computed). People upload
# them, never a load, and none is deleted.
their_acts = Table(
    "their_acts",
    metadata,
    Column("their_act_id", Integer, primary_key=True, autoincrement=True),
    Column("counterparty_id", Key(64), nullable=False),
    Column("contract_id", Key(64)),  # NULL: the act of the whole counterparty
    Column("date_from", Date, nullable=False),
    Column("date_to", Date, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", Text, nullable=False),  # the login
    Column("uploaded_role", String(16), nullable=False),  # client, cfo, controller, manager
    Column("uploaded_at", DateTime, nullable=False),
    Column("differences", Integer),
    Column("balance_difference", BigInteger),  # kopecks, ours less theirs (mirrored)
    Index("ix_their_acts_counterparty", "counterparty_id", "uploaded_at"),
)
