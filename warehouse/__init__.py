"""The warehouse: the store that etl/ writes and queries/ reads, so it belongs to neither.

- schema: the tables (re-exported here: `warehouse.documents`), money in BIGINT kopecks;
- engine: engines for SQLite and PostgreSQL, and the schema made on first use;
- migrations: Alembic revisions that upgrade a warehouse in place;
- state, frames, bulk: the meta table and the version, typed frames from queries, bulk writes;
- connect: opening a configured warehouse with a message safe to show, secrets masked;
- calendar: the official calendar with the warehouse's own overrides;
- audit: the audit log's writes;
- rollups: derived tables the load keeps (flows, shipment_checks) and the query side reads;
- answer_store: the first pages' answers, computed after a load (a fresh server's first page is instant);
- note_store: notes, promises to pay and disputes people write (never a load), never deleted;
- release_store: stop-list releases the CFO or a controller gives (never a load), never deleted;
- their_act_store: reconciliation acts clients sent back (the file and what it differed by), never deleted.
"""

from warehouse.schema import (
    allocations,
    answers,
    audit_log,
    calendar_overrides,
    column_mappings,
    contracts,
    counterparties,
    documents,
    flows,
    load_files,
    load_runs,
    matches,
    meta,
    metadata,
    notes,
    rejects,
    reminder_log,
    shipment_checks,
    stop_releases,
    their_acts,
)

__all__ = [
    "allocations",
    "answers",
    "audit_log",
    "calendar_overrides",
    "column_mappings",
    "contracts",
    "counterparties",
    "documents",
    "flows",
    "load_files",
    "load_runs",
    "matches",
    "meta",
    "metadata",
    "notes",
    "rejects",
    "reminder_log",
    "shipment_checks",
    "stop_releases",
    "their_acts",
]
