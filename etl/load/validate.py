"""The load's second stage: one entity's rows into records, checked against what the load knows.

A row becomes a record (etl.validation) whose references (a shipment's contract, an allocation's
payment) exist in the warehouse or earlier in this load, or a reject. A reference that does not exist
yet is a `reference` reject, kept with the row's values to be retried at every later load; any other
fault is a `row` reject. A bad descriptive value is a `warning`: the row loads without it. Within one
file a key's first row wins.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from domain.entities import BANK_PAYMENTS, DOCUMENT_KIND
from etl.columns import ENTITIES, record_key
from etl.load.known import Known
from etl.load.resolve import resolved
from etl.load.types import Progress, Record, Reject, Row, Tally
from etl.validation import RowError, validate


def records(
    entity: str, batches: Sequence[list[Row]], known: Known, tally: Tally, progress: Progress
) -> Iterator[tuple[Row, Record]]:
    """The entity's valid records in order, each with its row, as the upsert takes them; rejects go to
    the tally. (A document entity's batches go through etl.load.documents, which hands this module the rows
    its column-wise path does not vouch for.)"""
    progress(f"validate {entity}", 0, 1)
    if entity == "allocations":  # the documents they name, read in bulk rather than one by one
        known.docs("payment").fetch(row.values.get("payment_id", "").strip() for batch in batches for row in batch)
        known.docs("shipment").fetch(row.values.get("shipment_id", "").strip() for batch in batches for row in batch)
    return _validated(entity, batches, known, tally)


def _validated(entity: str, batches: Sequence[list[Row]], known: Known, tally: Tally) -> Iterator[tuple[Row, Record]]:
    """Valid records of an entity in order; rejects recorded. Duplicates within a file: first wins. Each
    batch is emptied once its rows are through."""
    resolver = known.resolver()
    inns_loaded: set[str] = set()  # counterparties' INNs this load brings, ahead of the buyers made from УПД
    for batch in batches:
        is_bank = bool(batch) and batch[0].record is not None
        counts = tally.counts[BANK_PAYMENTS if is_bank else entity]
        seen_in_file: dict[str, int | None] = {}
        for row in batch:
            if row.only_if_new and (
                row.values["inn"] in inns_loaded
                or known.has_counterparty(row.values["counterparty_id"], row.values["inn"])
            ):
                continue  # a УПД's buyer the warehouse or this load's files already have, by id or INN
            counts.read += 1
            key = record_key(entity, row.values)
            if row.reject_id is None and key and key in seen_in_file:
                counts.rejected += 1
                _reject_row(
                    tally,
                    BANK_PAYMENTS if is_bank else entity,
                    row,
                    RowError(
                        ENTITIES[entity].key[0],
                        key,
                        f"duplicate key: the same {'/'.join(ENTITIES[entity].key)} is already at line "
                        f"{seen_in_file[key]} of this file",
                    ),
                    key,
                )
                continue
            seen_in_file[key] = row.line
            warnings: list[RowError] = []
            try:
                record = (
                    row.record
                    if row.record is not None
                    else validate(entity, resolved(entity, row.values, resolver), warnings)
                )
                _check_references(entity, record, known)
            except RowError as error:
                counts.rejected += 1
                _reject_row(tally, entity, row, error, key)
                continue
            for warning in warnings:
                counts.warnings += 1
                tally.rejects.append(
                    Reject(
                        "warning",
                        entity,
                        row.file,
                        row.line,
                        warning.column,
                        warning.value[:500],
                        warning.reason,
                        key[:500],
                    )
                )
            if row.reject_id is not None:
                tally.resolved_reject_ids.add(row.reject_id)
                tally.retried_loaded += 1
            if entity == "counterparties" and record["inn"]:
                inns_loaded.add(record["inn"])
            yield row, record
        # The file's rows are records or rejects now: let them go while the next file's are validated (at
        # 1M shipments the rows as read hold more memory than anything else the load keeps).
        batch.clear()


def _check_references(entity: str, record: Record, known: Known) -> None:
    if entity == "contracts":
        if record["counterparty_id"] not in known.counterparties:
            raise RowError("counterparty_id", record["counterparty_id"], "unknown counterparty", is_reference=True)
        return
    if entity in DOCUMENT_KIND and not record["deleted"]:
        if record.get("from_bank"):
            known.identify_payer(record)
            if record["counterparty_id"] is None:
                return  # an unidentified bank payment is kept as is
        contract_id = record["contract_id"]
        if contract_id is not None:
            if contract_id not in known.contracts:
                raise RowError("contract_id", contract_id, "unknown contract", is_reference=True)
            counterparty_id, currency = known.contracts[contract_id][:2]
            given = record["counterparty_id"]
            if given is not None and given != counterparty_id:
                raise RowError(
                    "counterparty_id",
                    given,
                    f"contract {contract_id} belongs to counterparty {counterparty_id}",
                )
            if record["currency"] is not None and record["currency"] != currency:
                raise RowError("currency", record["currency"], f"contract {contract_id} is in {currency}")
            record["counterparty_id"], record["currency"] = counterparty_id, currency
        else:
            if record["counterparty_id"] not in known.counterparties:
                raise RowError(
                    "counterparty_id",
                    record["counterparty_id"],
                    "unknown counterparty",
                    is_reference=True,
                )
            record["currency"] = record["currency"] or known.payment_currency(record["counterparty_id"])
        shipment_id = record.get("shipment_id")
        if shipment_id:
            shipment = known.docs("shipment").get(shipment_id)
            if shipment is None:
                raise RowError("shipment_id", shipment_id, "unknown shipment", is_reference=True)
            if shipment[2] != record["counterparty_id"]:
                raise RowError("shipment_id", shipment_id, f"the shipment belongs to counterparty {shipment[2]}")
        return
    if entity == "allocations":
        payment = known.docs("payment").get(record["payment_id"])
        if payment is None:
            raise RowError("payment_id", record["payment_id"], "unknown payment", is_reference=True)
        shipment = known.docs("shipment").get(record["shipment_id"])
        if shipment is None:
            raise RowError("shipment_id", record["shipment_id"], "unknown shipment", is_reference=True)
        if payment[2] is None:
            raise RowError("payment_id", record["payment_id"], "the payment's payer is not identified yet")
        if payment[2] != shipment[2]:
            raise RowError(
                "shipment_id",
                record["shipment_id"],
                f"the shipment belongs to counterparty {shipment[2]}, the payment to {payment[2]}",
            )


def _reject_row(tally: Tally, entity: str, row: Row, error: RowError, key: str) -> None:
    kind = "reference" if error.is_reference else "row"
    # The raw values are kept only to retry a reference reject at a later load: a rejected 1 MB cell
    # is not copied into the warehouse.
    raw = json.dumps(row.values, ensure_ascii=False) if error.is_reference and row.record is None else ""
    if row.reject_id is not None:
        tally.resolved_reject_ids.add(row.reject_id)  # replaced by the fresh reject below
    tally.rejects.append(
        Reject(kind, entity, row.file, row.line, error.column, error.value[:500], error.reason, key[:500], raw)
    )
