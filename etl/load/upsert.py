"""The load's third stage: one entity's valid records into the warehouse's tables.

Each record is new, updated or unchanged by the hash of its values (a document marked deleted is
deleted); the last occurrence of a key in the load wins. Writing keeps `Known` current for the entities
after it and notes which counterparties the matching stage has to redo: from scratch (`touched`: a
document changed, a contract moved) or only onwards (`appended`: new documents only).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar, overload

from sqlalchemy import bindparam, delete, func, insert, select, update

import warehouse
from domain.entities import BANK_PAYMENTS, DOCUMENT_KIND
from etl.load.known import ContractRef, DocIndex, Known
from etl.load.types import CHUNK, Progress, Record, Row, Tally
from warehouse.bulk import bulk_insert, bulk_update
from warehouse.calendar import work_calendar

# The small tables keyed by their id columns: (table, key columns, value columns).
SIMPLE = {
    "calendar": (warehouse.calendar_overrides, ("day",), ("kind",)),
    "counterparties": (
        warehouse.counterparties,
        ("counterparty_id",),
        ("name", "inn", "kpp", "manager", "email", "group_name"),
    ),
    "contracts": (
        warehouse.contracts,
        ("contract_id",),
        # `name` last: an empty one is left out of the row's hash (below).
        ("counterparty_id", "number", "contract_date", "currency", "terms_days", "terms_basis", "credit_limit", "name"),
    ),
    "allocations": (warehouse.allocations, ("payment_id", "shipment_id"), ("amount",)),
}
DOCUMENT_VALUES = (
    "counterparty_id",
    "contract_id",
    "currency",
    "doc_date",
    "side",
    "amount",
    "own_due_date",
    "number",
    "shipment_id",
    "purpose",
    "vat",
    "warehouse",
    "payer_inn",
    "payer_name",
)
DOCUMENT_COLUMNS = (
    "kind",
    "document_id",
    *DOCUMENT_VALUES,
    "due_date",
    "source_file",
    "source_line",
    "row_hash",
    "load_id",
)
WRITE_BATCH = 50_000  # documents per bulk insert, and per progress report


def upsert(
    entity: str,
    records: Iterable[tuple[Row, Record]],
    known: Known,
    tally: Tally,
    load_id: int,
    progress: Progress,
) -> None:
    """Write the entity's records; after counterparties, earlier unidentified bank payments whose payer
    is now known get their counterparty."""
    if entity in DOCUMENT_KIND:
        _documents(entity, records, known, tally, load_id, progress)
    else:
        _simple(entity, records, known, tally, load_id)
    if entity == "counterparties":
        _resolve_unidentified(known)


def _row_hash(values: Sequence[Any]) -> str:
    return hashlib.blake2b(repr(tuple(values)).encode(), digest_size=8).hexdigest()


def _simple(entity: str, records: Iterable[tuple[Row, Record]], known: Known, tally: Tally, load_id: int) -> None:
    """Counterparties, contracts, calendar, allocations: small tables keyed by their id columns."""
    conn = known.conn
    table, key_columns, value_columns = SIMPLE[entity]
    width = len(key_columns)
    existing = {
        tuple(r[:width]): (r[-1], tuple(r[width:-1]))
        for r in conn.execute(
            select(*[table.c[c] for c in key_columns], *[table.c[c] for c in value_columns], table.c.row_hash)
        )
    }
    pending: dict[tuple, Record] = {}
    state = {key: value[0] for key, value in existing.items()}
    counts = tally.counts[entity]
    for _row, record in records:
        key = tuple(record[c] for c in key_columns)
        values = [record[c] for c in value_columns]
        if entity == "contracts" and not record["name"]:
            # A contract without a name hashes as before revision 0002 added names: reloading the same
            # contracts after the upgrade is "unchanged", not an update that rematches every counterparty.
            values.pop()
        record["row_hash"] = _row_hash(values)
        if key not in state:
            counts.new += 1
        elif state[key] == record["row_hash"]:
            counts.unchanged += 1
        else:
            counts.updated += 1
        state[key] = record["row_hash"]
        pending[key] = record
        tally.loaded_keys[entity].add("|".join(str(k) for k in key))
    inserts, updates = [], []
    for key, record in pending.items():
        record["load_id"] = load_id
        if key not in existing:
            inserts.append(record)
        elif existing[key][0] != record["row_hash"]:
            updates.append(record)
            old_values = dict(zip(value_columns, existing[key][1], strict=True))
            _on_update(entity, old_values, record, known)
        if entity == "counterparties":
            known.counterparties[record["counterparty_id"]] = record["inn"]
            known.names[record["counterparty_id"]] = record["name"]
        elif entity == "contracts":
            known.contracts[record["contract_id"]] = ContractRef(
                record["counterparty_id"],
                record["currency"],
                record["number"],
                record["terms_days"],
                record["terms_basis"],
                record["contract_date"],
                record["name"],
            )
    if entity in ("counterparties", "contracts"):
        known.forget_payers()
    columns = (*key_columns, *value_columns, "row_hash", "load_id")
    if inserts:
        conn.execute(insert(table), [{c: r[c] for c in columns} for r in inserts])
        if entity == "calendar":
            known.touch_all = True
        if entity == "allocations":
            payments = known.docs("payment")
            known.touch(*(payments[r["payment_id"]][2] for r in inserts))
    if updates:
        condition = [table.c[c] == bindparam("k_" + c) for c in key_columns]
        statement = (
            update(table).where(*condition).values({c: bindparam("v_" + c) for c in columns if c not in key_columns})
        )
        conn.execute(
            statement,
            [
                {
                    **{"k_" + c: r[c] for c in key_columns},
                    **{"v_" + c: r[c] for c in columns if c not in key_columns},
                }
                for r in updates
            ],
        )
        if entity == "calendar":
            known.touch_all = True
    if entity == "calendar" and (inserts or updates):
        known.calendar = work_calendar(conn)


def _on_update(entity: str, old: Record, new: Record, known: Known) -> None:
    if entity == "contracts":
        contract_id = new["contract_id"]
        known.touch(old["counterparty_id"], new["counterparty_id"])
        if old["counterparty_id"] != new["counterparty_id"] or old["currency"] != new["currency"]:
            d = warehouse.documents
            known.conn.execute(
                update(d)
                .where(d.c.contract_id == contract_id)
                .values(counterparty_id=new["counterparty_id"], currency=new["currency"])
            )
            known.documents.clear()  # counterparty ids changed under the cache
    elif entity == "allocations":
        payment = known.docs("payment").get(new["payment_id"])
        if payment is not None:
            known.touch(payment[2])


_T = TypeVar("_T")


class _HashState(dict[str, str | None]):
    """document_id -> row_hash as the load goes (None: deleted), starting from the warehouse's."""

    def __init__(self, existing: DocIndex) -> None:
        super().__init__((key, value[1]) for key, value in dict.items(existing))
        self.existing = existing

    @overload
    def get(self, key: str, default: None = None, /) -> str | None: ...
    @overload
    def get(self, key: str, default: str | None, /) -> str | None: ...
    @overload
    def get(self, key: str, default: _T, /) -> str | _T | None: ...
    def get(self, key: str, default: object = None, /) -> object:
        if not dict.__contains__(self, key):
            found = self.existing.get(key)  # a key the bulk read did not ask for (a small load's lookup)
            if found is None:
                return default
            dict.__setitem__(self, key, found[1])
        return dict.get(self, key, default)


def _documents(
    entity: str, records: Iterable[tuple[Row, Record]], known: Known, tally: Tally, load_id: int, progress: Progress
) -> None:
    kind = DOCUMENT_KIND[entity]
    state = _HashState(known.docs(kind))
    pending: dict[str, Record] = {}
    for row, record in records:
        counts = tally.counts[BANK_PAYMENTS if row.record is not None else entity]
        key = record["document_id"]
        if record["deleted"]:
            if state.get(key) is not None:
                counts.deleted += 1
            else:
                counts.unchanged += 1
            state[key] = None
            pending[key] = record
            tally.loaded_keys[entity].add(key)
            continue
        record["row_hash"] = _row_hash([record[c] for c in DOCUMENT_VALUES])
        previous = state.get(key)
        if previous is None:
            counts.new += 1
        elif previous == record["row_hash"]:
            counts.unchanged += 1
        else:
            counts.updated += 1
        state[key] = record["row_hash"]
        record["source_file"], record["source_line"] = row.file, row.line
        pending[key] = record
        tally.loaded_keys[entity].add(key)
        if row.record is not None and record["counterparty_id"] is None:
            tally.bank_unidentified += 1
    _write_documents(kind, pending, known, load_id, progress)


def _write_documents(kind: str, pending: dict[str, Record], known: Known, load_id: int, progress: Progress) -> None:
    conn = known.conn
    existing = known.docs(kind)
    d = warehouse.documents
    inserts, updates, deletes = [], [], []
    for key, record in pending.items():
        old = existing.get(key)
        if record["deleted"]:
            if old is not None:
                deletes.append(old[0])
                known.touch(old[2])
                del existing[key]
            continue
        if old is not None and old[1] == record["row_hash"]:
            continue
        record["due_date"] = known.due_date(record)
        record["load_id"] = load_id
        if old is None:
            inserts.append(record)
            if record["counterparty_id"] is not None:
                known.appended.add(record["counterparty_id"])
        else:
            record["doc_pk"] = old[0]
            updates.append(record)
            known.touch(old[2], record["counterparty_id"])
    for start in range(0, len(deletes), CHUNK):
        chunk = deletes[start : start + CHUNK]
        conn.execute(delete(d).where(d.c.doc_pk.in_(chunk)))
    pending.clear()  # the records live on in inserts and updates only, and go as they are written
    last_pk = (conn.execute(select(func.max(d.c.doc_pk))).scalar() or 0) if inserts else 0
    inserted = [(r["document_id"], r["row_hash"], r["counterparty_id"]) for r in inserts]
    total = len(inserts)
    for start in range(0, total, WRITE_BATCH):
        progress(f"write {kind}", start, total)
        batch = [tuple(r[c] for c in DOCUMENT_COLUMNS) for r in inserts[:WRITE_BATCH]]
        del inserts[:WRITE_BATCH]
        bulk_insert(conn, d, DOCUMENT_COLUMNS, batch)
        del batch
    if updates:
        # By key, without SQLAlchemy's per-row processing: COPY into staging and one UPDATE ... FROM on
        # PostgreSQL, the driver's executemany in key order on SQLite.
        changing = [c for c in DOCUMENT_COLUMNS if c not in ("kind", "document_id")]
        bulk_update(conn, d, "doc_pk", changing, [(r["doc_pk"], *(r[c] for c in changing)) for r in updates])
    for record in updates:
        existing[record["document_id"]] = (record["doc_pk"], record["row_hash"], record["counterparty_id"])
    if inserted:
        # New primary keys: read back once, past the largest key before the inserts (a range of the
        # primary key), rather than one RETURNING per row or every key of the kind again.
        new_pks = dict(
            conn.execute(select(d.c.document_id, d.c.doc_pk).where(d.c.doc_pk > last_pk, d.c.kind == kind)).all()
        )
        if any(key not in new_pks for key, _hash, _counterparty in inserted):
            known.documents.pop(kind, None)  # keys not handed out in order: read the kind again when asked
            return
        for key, row_hash, counterparty_id in inserted:
            existing[key] = (new_pks[key], row_hash, counterparty_id)


def _resolve_unidentified(known: Known) -> None:
    """Stored bank payments from an unknown INN whose counterparty this load brought."""
    conn = known.conn
    d = warehouse.documents
    rows = conn.execute(
        select(d.c.doc_pk, d.c.payer_inn, d.c.purpose).where(
            d.c.kind == "payment", d.c.counterparty_id.is_(None), d.c.payer_inn != ""
        )
    ).all()
    if not rows:
        return
    inn_index = known.inn_index()
    for doc_pk, payer_inn, purpose in rows:
        counterparty_id = inn_index.get(payer_inn)
        if counterparty_id is None:
            continue
        contract_id, currency = known.contract_from_purpose(counterparty_id, purpose)
        conn.execute(
            update(d)
            .where(d.c.doc_pk == doc_pk)
            .values(counterparty_id=counterparty_id, contract_id=contract_id, currency=currency)
        )
        known.touch(counterparty_id)
        known.documents.pop("payment", None)
