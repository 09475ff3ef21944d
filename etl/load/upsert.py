"""The load's third stage: one entity's valid records into the warehouse's tables (documents: their
frames through etl.load.documents, with the columns and the row hash defined here).

Each record is new, updated or unchanged by the hash of its values (a document marked deleted is
deleted); the last occurrence of a key in the load wins. Writing keeps `Known` current for the entities
after it and notes which counterparties the matching stage has to redo: from scratch (`touched`: a
document changed, a contract moved) or only onwards (`appended`: new documents only).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, insert, select, update

import warehouse
from etl.load.known import ContractRef, Known
from etl.load.types import CHUNK, Progress, Record, Row, Tally
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
    """Write a small entity's records (documents: etl.load.documents); after counterparties, earlier
    unidentified bank payments whose payer is now known get their counterparty."""
    _simple(entity, records, known, tally, load_id)
    if entity == "counterparties":
        _resolve_unidentified(known)


def _row_hash(values: Sequence[Any]) -> str:
    """The stored hash of a row's values (etl.load.rowhash gives the same for a frame of documents)."""
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
    if entity == "allocations" and (inserts or updates):
        _allocations_written(inserts, updates, known, load_id)
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


def _allocations_written(inserted: list[Record], updated: list[Record], known: Known, load_id: int) -> None:
    """Which counterparties new or changed allocations make match again from scratch.

    An allocation acts when its payment is booked (etl.matching: it closes or reserves the shipment it
    names before FIFO takes the rest). A payment this load brings is booked after everything matched
    before when its counterparty goes on matching (etl.load.match.continue_matching reads every
    allocation of the payments it books, and matches from scratch where the order does not allow going
    on): its allocations change nothing matched before and touch no one. A new allocation of a payment of
    an earlier load that is still open, to a shipment this load brings, would have reserved part of the
    payment back then: matching may go on with that reservation (etl/load/allocated.py decides, with
    the amounts). Any other allocation of a payment of an earlier load would have acted back then: its
    counterparty is matched again from scratch.
    """
    payments = known.docs("payment")
    records = [(r, True) for r in inserted] + [(r, False) for r in updated]
    stored_open = _stored(known, "payment", {r["payment_id"] for r, _new in records}, load_id)
    stored_shipments = _stored(known, "shipment", {r["shipment_id"] for r in inserted}, load_id)
    for record, new in records:
        payment_id = record["payment_id"]
        if payment_id not in stored_open:
            continue  # a payment this load brings (a first load holds its own unwritten)
        counterparty_id = payments[payment_id][2]
        going_on = new and stored_open[payment_id] and record["shipment_id"] not in stored_shipments
        if going_on and counterparty_id is not None:
            known.allocated[payment_id] = counterparty_id
        else:
            known.touch(counterparty_id)


def _stored(known: Known, kind: str, ids: set[str], load_id: int) -> dict[str, bool]:
    """Documents of `kind` among `ids` stored by an earlier load: id -> still open (not settled)."""
    d = warehouse.documents
    found: dict[str, bool] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), CHUNK):
        rows = known.conn.execute(
            select(d.c.document_id, d.c.settled_date).where(
                d.c.kind == kind, d.c.document_id.in_(wanted[start : start + CHUNK]), d.c.load_id != load_id
            )
        )
        found.update((document_id, settled is None) for document_id, settled in rows)
    return found


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
