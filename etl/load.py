"""`receivables load`: files and folders into the warehouse, atomically (contract section 1).

One load is one transaction: every valid row lands and the run is recorded, or nothing does. Rows that
fail validation go to the rejects list; rows whose reference does not exist yet are retried at every
later load. After the upserts, due dates and FIFO matches are recomputed for the counterparties the
load touched.
"""

from __future__ import annotations

import gc
import getpass
import hashlib
import json
import logging
import math
import os
import re
import socket
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, bindparam, case, delete, func, insert, select, text, update
from sqlalchemy.exc import OperationalError

import warehouse
from domain.calendar import WorkCalendar
from domain.entities import BANK_PAYMENTS, DOCUMENT_KIND, LOAD_ORDER
from domain.errors import InvalidValue
from domain.money import parse_money
from etl import matching
from etl.errors import FileRefused
from etl.sources import bank_1c
from etl.sources.csv_reader import read_csv_rows
from etl.sources.xlsx import read_xlsx_rows
from etl.validation import (
    ENTITIES,
    RowError,
    normalize_column,
    record_key,
    validate,
)
from warehouse.bulk import bulk_insert, bulk_update
from warehouse.calendar import work_calendar
from warehouse.engine import ensure_schema
from warehouse.rollups import checks, flows
from warehouse.state import read_meta, write_meta

Progress = Callable[[str, int, int], None]
BANK = BANK_PAYMENTS
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
CHUNK = 500
MATCH_COLUMNS = ("counterparty_id", "debit_pk", "credit_pk", "amount", "match_date")


class LoadError(Exception):
    """The load as a whole cannot run (a path that does not exist); nothing was written."""


class LoadBusy(LoadError):
    """Another load held the warehouse for longer than this one was allowed to wait; nothing was written."""


@dataclass
class EntityCounts:
    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    rejected: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class FileOutcome:
    path: str
    entity: str  # an entity name, "bank_statement", "skipped" or "refused"
    sha256: str
    size_bytes: int
    rows_read: int = 0
    message: str = ""


@dataclass
class LoadResult:
    load_id: int
    counts: dict[str, EntityCounts]
    files: list[FileOutcome]
    bank_sent: int = 0
    bank_unidentified: int = 0
    retried: int = 0
    retried_loaded: int = 0
    rematched_counterparties: int = 0
    continued_counterparties: int = 0  # of those, matched on from their open documents (new documents only)
    matches_written: int = 0
    seconds: float = 0.0
    unchanged_since: int | None = None  # every file is byte for byte as in that load: nothing was read again

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if f.entity == "refused"]

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.entity == "skipped"]

    @property
    def rejected_rows(self) -> int:
        return sum(c.rejected for c in self.counts.values())


@dataclass
class _Row:
    """One input row on its way in: where it came from and its raw values by canonical column."""

    file: str
    line: int | None
    values: dict[str, str]
    reject_id: int | None = None  # set when retried from the rejects list
    record: dict[str, Any] | None = None  # a pre-validated record (bank statements)


@dataclass
class _Reject:
    kind: str
    entity: str
    file: str
    line: int | None
    column_name: str
    value: str
    reason: str
    record_key: str = ""
    raw: str = ""


SMALL_LOAD = 50_000  # rows: up to this, documents are looked up by key rather than all read
VACUUM_AFTER = 50_000  # rows written: from this, a PostgreSQL load vacuums the tables it rewrote


def _row_hash(values: Sequence[Any]) -> str:
    return hashlib.blake2b(repr(tuple(values)).encode(), digest_size=8).hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------- files


def _expand(paths: Iterable[str | Path]) -> list[tuple[Path, bool]]:
    """(file, named explicitly) pairs: a file named on the command line that matches nothing is refused
    with the reason, while an unknown file met in a folder is only skipped."""
    explicit: set[str] = set()
    found: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise LoadError(f"path not found: {path}")
        candidates = (
            [p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.parts)]
            if path.is_dir()
            else [path]
        )
        if not path.is_dir():
            explicit.add(str(path.resolve()))
        for candidate in candidates:
            found.setdefault(str(candidate.resolve()), candidate.resolve())
    return [(found[key], key in explicit) for key in sorted(found)]


def entity_of(path: Path) -> str | None:
    """The entity a file holds, by the start of its name (case-insensitive)."""
    name = path.name.lower()
    for entity in sorted(ENTITIES, key=len, reverse=True):
        if name.startswith(entity):
            return entity
    return None


def _read_table(path: Path, entity: str) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """Header positions by canonical column and the data rows; FileRefused when unreadable."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _sheet, iterator = read_xlsx_rows(path, entity)
    elif suffix in CSV_SUFFIXES:
        _encoding, _delimiter, iterator = read_csv_rows(path)
    elif suffix == ".xls":
        raise FileRefused("the old Excel .xls format is not supported: save the file as .xlsx or CSV")
    else:
        raise FileRefused(f"unsupported file type {path.suffix or '(no extension)'}: expected CSV or XLSX")
    rows = iter(iterator)
    header = next(rows, None)
    if header is None:
        raise FileRefused("the file has no header row")
    positions: dict[str, int] = {}
    for index, name in enumerate(header[1]):
        column = normalize_column(name)
        if not column:
            continue
        if column in positions:
            raise FileRefused(f"column {name!r} appears twice in the header")
        positions[column] = index
    spec = ENTITIES[entity]
    missing = [c for c in spec.required if c not in positions]
    if missing:
        raise FileRefused(
            f"required column{'s' if len(missing) > 1 else ''} missing: {', '.join(missing)} "
            f"(a {entity} file needs {', '.join(spec.required)})"
        )
    return positions, list(rows)


def _looks_like_statement(path: Path) -> bool:
    """A file that mentions the 1C exchange marker near its start is meant as a statement: rather than
    skip it as unknown, read it and let the reader refuse it with the reason."""
    with path.open("rb") as handle:
        return b"1CClientBankExchange" in handle.read(2048)


# ------------------------------------------------------------------------------------- the loader


class ContractRef(NamedTuple):
    counterparty_id: str
    currency: str
    number: str
    terms_days: int
    terms_basis: str


@dataclass
class _Context:
    """What the warehouse plus the load so far knows, for reference checks."""

    conn: Connection
    counterparties: dict[str, str] = field(default_factory=dict)  # id -> inn
    contracts: dict[str, ContractRef] = field(default_factory=dict)
    documents: dict[str, dict[str, tuple[int, str, str | None]]] = field(default_factory=dict)
    calendar: WorkCalendar | None = None
    touched: set[str] = field(default_factory=set)  # matched again from scratch
    appended: set[str] = field(default_factory=set)  # only new documents: matching may just go on
    touch_all: bool = False

    small: bool = False  # a small load looks documents up by key instead of reading every key

    def docs(self, kind: str) -> dict[str, tuple[int, str, str | None]]:
        """document_id -> (doc_pk, row_hash, counterparty_id) for one kind: read at once for a big load,
        looked up as asked for a small one (a day's file against millions of documents)."""
        if kind not in self.documents:
            self.documents[kind] = _DocIndex(self.conn, kind, complete=not self.small)
        return self.documents[kind]


class _HashState(dict):  # type: ignore[type-arg]
    """document_id -> row_hash as the load goes (None: deleted), starting from the warehouse's."""

    def __init__(self, existing: dict[str, tuple[int, str, str | None]]) -> None:
        super().__init__((key, value[1]) for key, value in dict.items(existing))
        self.existing = existing

    def get(self, key, default=None):  # type: ignore[no-untyped-def]
        if not dict.__contains__(self, key):
            found = self.existing.get(key)  # a key the bulk read did not ask for (a small load's lookup)
            if found is None:
                return default
            dict.__setitem__(self, key, found[1])
        return dict.get(self, key, default)


class _DocIndex(dict):  # type: ignore[type-arg]
    """A dict of one kind's documents that reads from the warehouse what it does not hold yet."""

    def __init__(self, conn: Connection, kind: str, *, complete: bool) -> None:
        super().__init__()
        self.conn, self.kind, self.complete = conn, kind, complete
        self.absent: set[str] = set()
        t = warehouse.documents
        self.columns = (t.c.document_id, t.c.doc_pk, t.c.row_hash, t.c.counterparty_id)
        if complete:
            for r in conn.execute(select(*self.columns).where(t.c.kind == kind)):
                dict.__setitem__(self, r[0], (r[1], r[2], r[3]))

    def fetch(self, keys: Iterable[str]) -> None:
        """Read the given keys in bulk (by the unique index on kind and document_id)."""
        if self.complete:
            return
        wanted = sorted({k for k in keys if not dict.__contains__(self, k) and k not in self.absent})
        t = warehouse.documents
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for r in self.conn.execute(select(*self.columns).where(t.c.kind == self.kind, t.c.document_id.in_(chunk))):
                dict.__setitem__(self, r[0], (r[1], r[2], r[3]))
            self.absent.update(k for k in chunk if not dict.__contains__(self, k))

    def get(self, key, default=None):  # type: ignore[no-untyped-def]
        if not self.complete and not dict.__contains__(self, key):
            self.fetch([key])
        return dict.get(self, key, default)

    def __missing__(self, key):  # type: ignore[no-untyped-def]
        self.fetch([key])
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        raise KeyError(key)

    def __contains__(self, key) -> bool:  # type: ignore[no-untyped-def]
        self.fetch([key])
        return dict.__contains__(self, key)

    def __delitem__(self, key) -> None:  # type: ignore[no-untyped-def]
        dict.__delitem__(self, key)
        self.absent.add(key)


class Loader:
    def __init__(
        self,
        conn: Connection,
        *,
        company_inn: str = "",
        progress: Progress | None = None,
        digests: dict[str, str] | None = None,
    ) -> None:
        self.conn = conn
        self.company_inn = company_inn
        self.digests = digests or {}
        self.progress = progress or (lambda _stage, _done, _total: None)
        self.ctx = _Context(conn)
        self.counts: dict[str, EntityCounts] = defaultdict(EntityCounts)
        self.rejects: list[_Reject] = []
        self.resolved_reject_ids: set[int] = set()
        self.loaded_keys: dict[str, set[str]] = defaultdict(set)
        self.result_files: list[FileOutcome] = []
        self.bank_sent = 0
        self.bank_unidentified = 0
        self.retried = 0
        self.retried_loaded = 0
        self._inn_cache: dict[str, str] | None = None
        self._purpose_index: dict[str, list[tuple[str, str]]] | None = None

    # -- reference state

    def _read_reference_state(self) -> None:
        t = warehouse.counterparties
        self.ctx.counterparties = dict(self.conn.execute(select(t.c.counterparty_id, t.c.inn)).all())
        c = warehouse.contracts
        self.ctx.contracts = {
            r[0]: ContractRef(*r[1:])
            for r in self.conn.execute(
                select(
                    c.c.contract_id,
                    c.c.counterparty_id,
                    c.c.currency,
                    c.c.number,
                    c.c.terms_days,
                    c.c.terms_basis,
                )
            )
        }
        self.ctx.calendar = work_calendar(self.conn)

    # -- rows in

    def _gather(self, paths: Sequence[tuple[Path, bool]]) -> dict[str, list[list[_Row]]]:
        """Read every file; group row batches by entity. A refused file contributes nothing."""
        batches: dict[str, list[list[_Row]]] = defaultdict(list)
        for index, (path, explicit) in enumerate(paths):
            self.progress("read", index, len(paths))
            name = str(path)
            outcome = FileOutcome(name, "", self.digests.get(name) or _sha256(path), path.stat().st_size)
            self.result_files.append(outcome)
            try:
                if bank_1c.is_bank_statement(path) or _looks_like_statement(path):
                    outcome.entity = "bank_statement"
                    rows = self._bank_rows(path)
                    outcome.rows_read = len(rows)
                    batches["payments"].append(rows)
                    continue
                entity = entity_of(path)
                if entity is None and explicit:
                    raise FileRefused(
                        "not a source file: the name does not start with an entity name ("
                        + ", ".join(LOAD_ORDER)
                        + ") and it is not a 1C bank statement (its first line must be 1CClientBankExchange)"
                    )
                if entity is None:
                    outcome.entity = "skipped"
                    outcome.message = "not a known source file (name does not start with an entity name)"
                    continue
                outcome.entity = entity
                positions, table = _read_table(path, entity)
                wanted = [(column, positions[column]) for column in ENTITIES[entity].columns if column in positions]
                rows = []
                for line, values in table:
                    if len(values) > len(positions) and any(v.strip() for v in values[len(positions) :]):
                        self.rejects.append(
                            _Reject(
                                "row",
                                entity,
                                name,
                                line,
                                "",
                                "",
                                f"the row has {len(values)} values, the header {len(positions)} columns",
                                record_key="",
                                raw="",  # not retried: the file has to be fixed
                            )
                        )
                        self.counts[entity].read += 1
                        self.counts[entity].rejected += 1
                        continue
                    row_values = {column: (values[i] if i < len(values) else "") for column, i in wanted}
                    rows.append(_Row(name, line, row_values))
                outcome.rows_read = len(rows)
                batches[entity].append(rows)
            except FileRefused as exc:
                outcome.entity = "refused"
                outcome.message = str(exc)
                self.rejects.append(_Reject("file", entity_of(path) or "", name, None, "", "", str(exc)))
        return batches

    def _bank_rows(self, path: Path) -> list[_Row]:
        statement = bank_1c.read_bank_statement(path)
        classified = bank_1c.classify(statement, self.company_inn or None)
        self.bank_sent += classified.sent
        name = str(path)
        for line, column, value, reason in classified.problems:
            self.rejects.append(_Reject("row", BANK, name, line, column, value, reason))
            self.counts[BANK].read += 1
            self.counts[BANK].rejected += 1
        rows = []
        for payment in classified.incoming:
            try:
                amount = parse_money(payment.amount_text)
            except InvalidValue as exc:
                self.rejects.append(_Reject("row", BANK, name, payment.line, "Сумма", payment.amount_text, str(exc)))
                self.counts[BANK].read += 1
                self.counts[BANK].rejected += 1
                continue
            record = {
                "kind": "payment",
                "document_id": payment.document_id,
                "number": payment.number,
                "doc_date": payment.date,
                "amount": amount,
                "side": -1,
                "own_due_date": None,
                "shipment_id": None,
                "purpose": payment.purpose,
                "vat": None,
                "warehouse": "",
                "payer_inn": payment.payer_inn,
                "payer_name": payment.payer_name,
                "counterparty_id": None,  # resolved by INN when payments are validated
                "contract_id": None,
                "currency": "RUB",
                "deleted": False,
                "from_bank": True,
            }
            if amount <= 0:
                self.rejects.append(
                    _Reject(
                        "row",
                        BANK,
                        name,
                        payment.line,
                        "Сумма",
                        payment.amount_text,
                        "amount must be greater than zero",
                    )
                )
                self.counts[BANK].read += 1
                self.counts[BANK].rejected += 1
                continue
            rows.append(_Row(name, payment.line, {"document_id": payment.document_id}, record=record))
        return rows

    def _inn_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for counterparty_id in sorted(self.ctx.counterparties, reverse=True):
            inn = self.ctx.counterparties[counterparty_id]
            if inn:
                index[inn] = counterparty_id  # the lowest id wins when branches share an INN
        return index

    def _identify_payer(self, record: dict[str, Any]) -> None:
        """A bank payment's counterparty by the payer's INN, its contract by number in the purpose."""
        if self._inn_cache is None:
            self._inn_cache = self._inn_index()
        counterparty_id = self._inn_cache.get(record["payer_inn"])
        record["counterparty_id"] = counterparty_id
        record["contract_id"], record["currency"] = self._contract_from_purpose(counterparty_id, record["purpose"])

    def _contract_from_purpose(self, counterparty_id: str | None, purpose: str) -> tuple[str | None, str]:
        """The counterparty's RUB contract whose number appears in the purpose as a whole token."""
        if counterparty_id is None:
            return None, "RUB"
        if self._purpose_index is None:
            index: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for contract_id, contract in self.ctx.contracts.items():
                if contract.number and contract.currency == "RUB":
                    index[contract.counterparty_id].append((contract_id, contract.number))
            for candidates in index.values():
                candidates.sort(key=lambda item: (-len(item[1]), item[0]))  # the longest number first
            self._purpose_index = index
        for contract_id, number in self._purpose_index.get(counterparty_id, []):
            if re.search(r"(?<![\w/-])" + re.escape(number) + r"(?![\w/-])", purpose, flags=re.IGNORECASE):
                return contract_id, "RUB"
        return None, "RUB"

    def _pending_references(self, files_in_load: set[str]) -> dict[str, list[_Row]]:
        """Reference rejects of earlier loads, to retry now (rows of files being reloaded come again)."""
        r = warehouse.rejects
        pending: dict[str, list[_Row]] = defaultdict(list)
        for reject_id, entity, file, line, raw in self.conn.execute(
            select(r.c.reject_id, r.c.entity, r.c.file, r.c.line, r.c.raw)
            .where(r.c.kind == "reference")
            .order_by(r.c.reject_id)
        ):
            if file in files_in_load or entity not in ENTITIES:
                continue
            try:
                values = json.loads(raw)
            except ValueError:
                continue
            pending[entity].append(_Row(file, line, values, reject_id=reject_id))
        return pending

    # -- validation and references

    def _check_references(self, entity: str, record: dict[str, Any]) -> None:
        ctx = self.ctx
        if entity == "contracts":
            if record["counterparty_id"] not in ctx.counterparties:
                raise RowError("counterparty_id", record["counterparty_id"], "unknown counterparty", is_reference=True)
            return
        if entity in DOCUMENT_KIND and not record["deleted"]:
            if record.get("from_bank"):
                self._identify_payer(record)
                if record["counterparty_id"] is None:
                    return  # an unidentified bank payment is kept as is
            contract_id = record["contract_id"]
            if contract_id is not None:
                if contract_id not in ctx.contracts:
                    raise RowError("contract_id", contract_id, "unknown contract", is_reference=True)
                counterparty_id, currency = ctx.contracts[contract_id][:2]
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
                if record["counterparty_id"] not in ctx.counterparties:
                    raise RowError(
                        "counterparty_id",
                        record["counterparty_id"],
                        "unknown counterparty",
                        is_reference=True,
                    )
                record["currency"] = record["currency"] or "RUB"
            shipment_id = record.get("shipment_id")
            if shipment_id:
                shipment = ctx.docs("shipment").get(shipment_id)
                if shipment is None:
                    raise RowError("shipment_id", shipment_id, "unknown shipment", is_reference=True)
                if shipment[2] != record["counterparty_id"]:
                    raise RowError("shipment_id", shipment_id, f"the shipment belongs to counterparty {shipment[2]}")
            return
        if entity == "allocations":
            payment = ctx.docs("payment").get(record["payment_id"])
            if payment is None:
                raise RowError("payment_id", record["payment_id"], "unknown payment", is_reference=True)
            shipment = ctx.docs("shipment").get(record["shipment_id"])
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

    def _reject_row(self, entity: str, row: _Row, error: RowError, key: str) -> None:
        kind = "reference" if error.is_reference else "row"
        # The raw values are kept only to retry a reference reject at a later load: a rejected 1 MB cell
        # is not copied into the warehouse.
        raw = json.dumps(row.values, ensure_ascii=False) if error.is_reference and row.record is None else ""
        if row.reject_id is not None:
            self.resolved_reject_ids.add(row.reject_id)  # replaced by the fresh reject below
        self.rejects.append(
            _Reject(kind, entity, row.file, row.line, error.column, error.value[:500], error.reason, key[:500], raw)
        )

    def _validated(self, entity: str, batches: Sequence[list[_Row]]) -> Iterator[tuple[_Row, dict[str, Any]]]:
        """Valid records of an entity in order; rejects recorded. Duplicates within a file: first wins."""
        for batch in batches:
            is_bank = bool(batch) and batch[0].record is not None
            counts = self.counts[BANK if is_bank else entity]
            seen_in_file: dict[str, int | None] = {}
            for row in batch:
                counts.read += 1
                key = record_key(entity, row.values)
                if row.reject_id is None and key and key in seen_in_file:
                    counts.rejected += 1
                    self._reject_row(
                        BANK if is_bank else entity,
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
                try:
                    record = row.record if row.record is not None else validate(entity, row.values)
                    self._check_references(entity, record)
                except RowError as error:
                    counts.rejected += 1
                    self._reject_row(entity, row, error, key)
                    continue
                if row.reject_id is not None:
                    self.resolved_reject_ids.add(row.reject_id)
                    self.retried_loaded += 1
                yield row, record

    # -- writes

    def _touch(self, *counterparty_ids: str | None) -> None:
        for counterparty_id in counterparty_ids:
            if counterparty_id is not None:
                self.ctx.touched.add(counterparty_id)

    def _apply_simple(self, entity: str, batches: Sequence[list[_Row]], load_id: int) -> None:
        """Counterparties, contracts, calendar, allocations: small tables keyed by their id columns."""
        table, key_columns, value_columns = {
            "calendar": (warehouse.calendar_overrides, ("day",), ("kind",)),
            "counterparties": (
                warehouse.counterparties,
                ("counterparty_id",),
                ("name", "inn", "kpp", "manager", "email", "group_name"),
            ),
            "contracts": (
                warehouse.contracts,
                ("contract_id",),
                (
                    "counterparty_id",
                    "number",
                    "contract_date",
                    "currency",
                    "terms_days",
                    "terms_basis",
                    "credit_limit",
                ),
            ),
            "allocations": (warehouse.allocations, ("payment_id", "shipment_id"), ("amount",)),
        }[entity]
        width = len(key_columns)
        existing = {
            tuple(r[:width]): (r[-1], tuple(r[width:-1]))
            for r in self.conn.execute(
                select(*[table.c[c] for c in key_columns], *[table.c[c] for c in value_columns], table.c.row_hash)
            )
        }
        pending: dict[tuple, dict[str, Any]] = {}
        state = {key: value[0] for key, value in existing.items()}
        counts = self.counts[entity]
        for _row, record in self._validated(entity, batches):
            key = tuple(record[c] for c in key_columns)
            record["row_hash"] = _row_hash([record[c] for c in value_columns])
            if key not in state:
                counts.new += 1
            elif state[key] == record["row_hash"]:
                counts.unchanged += 1
            else:
                counts.updated += 1
            state[key] = record["row_hash"]
            pending[key] = record
            self.loaded_keys[entity].add("|".join(str(k) for k in key))
        inserts, updates = [], []
        for key, record in pending.items():
            record["load_id"] = load_id
            if key not in existing:
                inserts.append(record)
            elif existing[key][0] != record["row_hash"]:
                updates.append(record)
                old_values = dict(zip(value_columns, existing[key][1], strict=True))
                self._on_update(entity, old_values, record)
            if entity == "counterparties":
                self.ctx.counterparties[record["counterparty_id"]] = record["inn"]
            elif entity == "contracts":
                self.ctx.contracts[record["contract_id"]] = ContractRef(
                    record["counterparty_id"],
                    record["currency"],
                    record["number"],
                    record["terms_days"],
                    record["terms_basis"],
                )
        if entity in ("counterparties", "contracts"):
            self._inn_cache = self._purpose_index = None  # built again from the new state when needed
        columns = (*key_columns, *value_columns, "row_hash", "load_id")
        if inserts:
            self.conn.execute(insert(table), [{c: r[c] for c in columns} for r in inserts])
            if entity == "calendar":
                self.ctx.touch_all = True
            if entity == "allocations":
                payments = self.ctx.docs("payment")
                self._touch(*(payments[r["payment_id"]][2] for r in inserts))
        if updates:
            condition = [table.c[c] == bindparam("k_" + c) for c in key_columns]
            statement = (
                update(table)
                .where(*condition)
                .values({c: bindparam("v_" + c) for c in columns if c not in key_columns})
            )
            self.conn.execute(
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
                self.ctx.touch_all = True
        if entity == "calendar" and (inserts or updates):
            self.ctx.calendar = work_calendar(self.conn)

    def _on_update(self, entity: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        if entity == "contracts":
            contract_id = new["contract_id"]
            self._touch(old["counterparty_id"], new["counterparty_id"])
            if old["counterparty_id"] != new["counterparty_id"] or old["currency"] != new["currency"]:
                d = warehouse.documents
                self.conn.execute(
                    update(d)
                    .where(d.c.contract_id == contract_id)
                    .values(counterparty_id=new["counterparty_id"], currency=new["currency"])
                )
                self.ctx.documents.clear()  # counterparty ids changed under the cache
        elif entity == "allocations":
            payment = self.ctx.docs("payment").get(new["payment_id"])
            if payment is not None:
                self._touch(payment[2])

    def _apply_documents(self, entity: str, batches: Sequence[list[_Row]], load_id: int) -> None:
        kind = DOCUMENT_KIND[entity]
        existing = self.ctx.docs(kind)
        if isinstance(existing, _DocIndex) and not existing.complete:
            existing.fetch(
                str(row.record["document_id"]) if row.record is not None else record_key(entity, row.values)
                for batch in batches
                for row in batch
            )
        state = _HashState(existing)
        pending: dict[str, dict[str, Any]] = {}
        value_columns = (
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
        for row, record in self._validated(entity, batches):
            counts = self.counts[BANK if row.record is not None else entity]
            key = record["document_id"]
            if record["deleted"]:
                if state.get(key) is not None:
                    counts.deleted += 1
                else:
                    counts.unchanged += 1
                state[key] = None
                pending[key] = record
                self.loaded_keys[entity].add(key)
                continue
            record["row_hash"] = _row_hash([record[c] for c in value_columns])
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
            self.loaded_keys[entity].add(key)
            if row.record is not None and record["counterparty_id"] is None:
                self.bank_unidentified += 1
        self._write_documents(kind, pending, load_id, value_columns)

    def _write_documents(
        self, kind: str, pending: dict[str, dict[str, Any]], load_id: int, value_columns: Sequence[str]
    ) -> None:
        existing = self.ctx.docs(kind)
        d = warehouse.documents
        inserts, updates, deletes = [], [], []
        for key, record in pending.items():
            old = existing.get(key)
            if record["deleted"]:
                if old is not None:
                    deletes.append(old[0])
                    self._touch(old[2])
                    del existing[key]
                continue
            if old is not None and old[1] == record["row_hash"]:
                continue
            record["due_date"] = self._due_date(record)
            record["load_id"] = load_id
            if old is None:
                inserts.append(record)
                if record["counterparty_id"] is not None:
                    self.ctx.appended.add(record["counterparty_id"])
            else:
                record["doc_pk"] = old[0]
                updates.append(record)
                self._touch(old[2], record["counterparty_id"])
        columns = (
            "kind",
            "document_id",
            *value_columns,
            "due_date",
            "source_file",
            "source_line",
            "row_hash",
            "load_id",
        )
        for start in range(0, len(deletes), CHUNK):
            chunk = deletes[start : start + CHUNK]
            self.conn.execute(delete(d).where(d.c.doc_pk.in_(chunk)))
        total = len(inserts)
        for start in range(0, total, 50_000):
            self.progress(f"write {kind}", start, total)
            chunk = [tuple(r[c] for c in columns) for r in inserts[start : start + 50_000]]
            bulk_insert(self.conn, d, columns, chunk)
        if updates:
            statement = (
                update(d)
                .where(d.c.doc_pk == bindparam("pk"))
                .values({c: bindparam("v_" + c) for c in columns if c not in ("kind", "document_id")})
            )
            self.conn.execute(
                statement,
                [
                    {
                        "pk": r["doc_pk"],
                        **{"v_" + c: r[c] for c in columns if c not in ("kind", "document_id")},
                    }
                    for r in updates
                ],
            )
        if inserts:
            # New primary keys: read them back once rather than one RETURNING per row.
            self.ctx.documents.pop(kind, None)
        else:
            for record in updates:
                existing[record["document_id"]] = (
                    record["doc_pk"],
                    record["row_hash"],
                    record["counterparty_id"],
                )

    def _due_date(self, record: dict[str, Any]) -> date | None:
        contract = self.ctx.contracts.get(record["contract_id"])
        terms = (contract.terms_days, contract.terms_basis) if contract else None
        assert self.ctx.calendar is not None
        return due_date_of(record["side"], record["doc_date"], record["own_due_date"], terms, self.ctx.calendar)

    # -- unidentified bank payments whose payer became known

    def _resolve_unidentified(self) -> None:
        d = warehouse.documents
        rows = self.conn.execute(
            select(d.c.doc_pk, d.c.payer_inn, d.c.purpose).where(
                d.c.kind == "payment", d.c.counterparty_id.is_(None), d.c.payer_inn != ""
            )
        ).all()
        if not rows:
            return
        inn_index = self._inn_index()
        for doc_pk, payer_inn, purpose in rows:
            counterparty_id = inn_index.get(payer_inn)
            if counterparty_id is None:
                continue
            contract_id, currency = self._contract_from_purpose(counterparty_id, purpose)
            self.conn.execute(
                update(d)
                .where(d.c.doc_pk == doc_pk)
                .values(counterparty_id=counterparty_id, contract_id=contract_id, currency=currency)
            )
            self._touch(counterparty_id)
            self.ctx.documents.pop("payment", None)

    # -- the run

    def run(self, paths: Sequence[tuple[Path, bool]], load_id: int) -> None:
        self._read_reference_state()
        batches = self._gather(paths)
        rows = sum(len(batch) for entity_batches in batches.values() for batch in entity_batches)
        self.ctx.small = rows <= SMALL_LOAD
        pending = self._pending_references({str(p) for p, _explicit in paths})
        self.retried = sum(len(rows) for rows in pending.values())
        for entity in LOAD_ORDER:
            entity_batches = (
                [pending[entity], *batches.get(entity, [])] if pending.get(entity) else batches.get(entity, [])
            )
            entity_batches = self._drop_superseded(entity, entity_batches)
            if not any(entity_batches):
                continue
            self.progress(f"validate {entity}", 0, 1)
            if entity in DOCUMENT_KIND:
                self._apply_documents(entity, entity_batches, load_id)
            else:
                self._apply_simple(entity, entity_batches, load_id)
            if entity == "counterparties":
                self._resolve_unidentified()

    def _drop_superseded(self, entity: str, batches: list[list[_Row]]) -> list[list[_Row]]:
        if not batches or not batches[0] or batches[0][0].reject_id is None:
            return batches
        fresh_keys = {record_key(entity, row.values) for batch in batches[1:] for row in batch}
        kept = []
        for row in batches[0]:
            if record_key(entity, row.values) in fresh_keys:
                self.resolved_reject_ids.add(row.reject_id)  # type: ignore[arg-type]
            else:
                kept.append(row)
        return [kept, *batches[1:]]


# --------------------------------------------------------------------------- due dates and matching


def due_date_of(
    side: int, doc_date: date, own_due_date: date | None, terms: tuple[int, str] | None, calendar: WorkCalendar
) -> date | None:
    """A debit's due date: its own, else its contract's terms (days, basis) from its date; credits have none."""
    if side < 0:
        return None
    if own_due_date is not None:
        return own_due_date
    days, basis = terms or (0, "calendar")
    return calendar.due_date(doc_date, days, basis)


# The columns a matching.Doc is made of, then the counterparty (continue_matching's queries).
_DOC_COLUMNS = (
    warehouse.documents.c.doc_pk,
    warehouse.documents.c.kind,
    warehouse.documents.c.document_id,
    warehouse.documents.c.contract_id,
    warehouse.documents.c.currency,
    warehouse.documents.c.doc_date,
    warehouse.documents.c.side,
    warehouse.documents.c.amount,
    warehouse.documents.c.due_date,
    warehouse.documents.c.shipment_id,
    warehouse.documents.c.counterparty_id,
)


def _doc(row: Any, remaining: int = 0) -> matching.Doc:
    """A matching.Doc from a row of _DOC_COLUMNS."""
    return matching.Doc(*row[:10], remaining=remaining)


def continue_matching(
    conn: Connection, counterparty_ids: set[str], load_id: int, progress: Progress | None = None
) -> tuple[set[str], int, int, dict[str, date]]:
    """Match the documents this load added after everything matched before, for counterparties whose
    only change is new documents: their old matches stand and FIFO goes on from the open documents.

    That holds when each counterparty's new documents all come after its old ones in event order (date,
    debits first, document_id) and no open credit still waits for a shipment it names (a reservation).
    Returns (counterparties that need matching from scratch instead, counterparties done, matches written,
    the first new day of each counterparty done: its flows change from that day on).
    """
    d, m, a = warehouse.documents, warehouse.matches, warehouse.allocations
    fallback: set[str] = set()
    done = written = 0
    since: dict[str, date] = {}
    ids = sorted(counterparty_ids)
    for start in range(0, len(ids), CHUNK):
        group = ids[start : start + CHUNK]
        mine = d.c.counterparty_id.in_(group)
        new_rows = conn.execute(select(*_DOC_COLUMNS).where(mine, d.c.load_id == load_id)).all()
        new_by: dict[str, list[matching.Doc]] = defaultdict(list)
        for r in new_rows:
            new_by[r.counterparty_id].append(_doc(r))
        first_new = {cp: min(matching.event_order(doc) for doc in docs) for cp, docs in new_by.items()}
        earliest = min((key[0] for key in first_new.values()), default=None)
        if earliest is None:
            continue
        # Old documents on or after the earliest new date: any of them after a new one breaks the order.
        for r in conn.execute(select(*_DOC_COLUMNS).where(mine, d.c.doc_date >= earliest, d.c.load_id != load_id)):
            doc = _doc(r)
            if r.counterparty_id in first_new and matching.event_order(doc) > first_new[r.counterparty_id]:
                fallback.add(r.counterparty_id)
        # The open documents (never settled), with what is left of each.
        as_debit = select(func.coalesce(func.sum(m.c.amount), 0)).where(m.c.debit_pk == d.c.doc_pk).scalar_subquery()
        as_credit = select(func.coalesce(func.sum(m.c.amount), 0)).where(m.c.credit_pk == d.c.doc_pk).scalar_subquery()
        remaining = case((d.c.side > 0, as_debit), else_=as_credit)
        booked: dict[str, dict[int, matching.Doc]] = defaultdict(dict)
        candidates = [cp for cp in new_by if cp not in fallback]
        for r in conn.execute(
            select(*_DOC_COLUMNS, (d.c.amount - remaining).label("left")).where(
                d.c.counterparty_id.in_(candidates), d.c.settled_date.is_(None), d.c.load_id != load_id
            )
        ):
            doc = _doc(r, int(r.left))
            booked[r.counterparty_id][doc.pk] = doc
        # Shipments named by an open credit or a new one, whether open or not.
        payments = [doc.document_id for cp in candidates for doc in (*booked[cp].values(), *new_by[cp]) if doc.side < 0]
        allocations: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for chunk_start in range(0, len(payments), CHUNK):
            chunk = payments[chunk_start : chunk_start + CHUNK]
            for payment_id, shipment_id, amount in conn.execute(
                select(a.c.payment_id, a.c.shipment_id, a.c.amount).where(a.c.payment_id.in_(chunk))
            ):
                allocations[payment_id].append((shipment_id, amount))
        for index, cp in enumerate(candidates):
            if progress is not None and index % 20 == 0:
                progress("match", start + index, len(ids))
            docs = booked[cp]
            named = {
                shipment_id
                for doc in (*docs.values(), *new_by[cp])
                if doc.side < 0
                for shipment_id in (
                    [s for s, _ in allocations.get(doc.document_id, [])] if doc.kind == "payment" else [doc.shipment_id]
                )
                if shipment_id
            }
            known = {doc.document_id for doc in (*docs.values(), *new_by[cp]) if doc.kind == "shipment"}
            missing = sorted(named - known)
            found: set[str] = set()
            for chunk_start in range(0, len(missing), CHUNK):
                chunk = missing[chunk_start : chunk_start + CHUNK]
                for r in conn.execute(
                    select(*_DOC_COLUMNS, (d.c.amount - remaining).label("left")).where(
                        d.c.kind == "shipment", d.c.counterparty_id == cp, d.c.document_id.in_(chunk)
                    )
                ):
                    docs[r[0]] = _doc(r, int(r.left))
                    found.add(r[2])
            old_credits_wait = any(
                doc.side < 0
                and doc.remaining > 0
                and any(
                    s not in known and s not in found
                    for s in (
                        [s for s, _ in allocations.get(doc.document_id, [])]
                        if doc.kind == "payment"
                        else [doc.shipment_id]
                    )
                    if s
                )
                for doc in docs.values()
            )
            if old_credits_wait:
                fallback.add(cp)  # a reservation is not kept in the warehouse: match this one from scratch
                continue
            found_matches = matching.continue_counterparty(docs.values(), new_by[cp], dict(allocations))
            rows = [(cp, x.debit_pk, x.credit_pk, x.amount, x.match_date) for x in found_matches]
            bulk_insert(conn, m, MATCH_COLUMNS, rows)
            written += len(rows)
            settled = [
                (doc.pk, doc.due_date, doc.settled_date)
                for doc in (*docs.values(), *new_by[cp])
                if doc.settled_date is not None
            ]
            bulk_update(conn, d, "doc_pk", ("due_date", "settled_date"), settled)
            since[cp] = first_new[cp][0]
            done += 1
    return fallback, done, written, since


def rematch(conn: Connection, counterparty_ids: set[str] | None, progress: Progress | None = None) -> tuple[int, int]:
    """Recompute due dates and FIFO matches for the given counterparties (None: all of them).

    Returns (counterparties matched, matches written).
    """
    progress = progress or (lambda _stage, _done, _total: None)
    d, m, c, a = warehouse.documents, warehouse.matches, warehouse.contracts, warehouse.allocations
    calendar = work_calendar(conn)
    terms = {r[0]: (r[1], r[2]) for r in conn.execute(select(c.c.contract_id, c.c.terms_days, c.c.terms_basis))}
    columns = (
        d.c.doc_pk,
        d.c.kind,
        d.c.document_id,
        d.c.contract_id,
        d.c.currency,
        d.c.doc_date,
        d.c.side,
        d.c.amount,
        d.c.due_date,
        d.c.own_due_date,
        d.c.shipment_id,
        d.c.counterparty_id,
        d.c.settled_date,
    )
    if counterparty_ids is None:
        conn.execute(delete(m))
        groups = [None]
    else:
        ids = sorted(counterparty_ids)
        for start in range(0, len(ids), CHUNK):
            conn.execute(delete(m).where(m.c.counterparty_id.in_(ids[start : start + CHUNK])))
        groups = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]

    payments_of: dict[str, str] = {}
    matched = written = 0
    stored: dict[int, tuple[date | None, date | None]] = {}  # doc_pk -> (due_date, settled_date) as stored
    doc_updates: list[tuple[int, date | None, date | None]] = []
    match_rows: list[tuple[Any, ...]] = []
    for group_index, group in enumerate(groups):
        query = select(*columns).where(d.c.counterparty_id.is_not(None))
        alloc_query = select(a.c.payment_id, a.c.shipment_id, a.c.amount)
        if group is not None:
            query = query.where(d.c.counterparty_id.in_(group))
            alloc_query = alloc_query.where(
                a.c.payment_id.in_(select(d.c.document_id).where(d.c.kind == "payment", d.c.counterparty_id.in_(group)))
            )
        allocations_by_payment: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for payment_id, shipment_id, amount in conn.execute(alloc_query):
            allocations_by_payment[payment_id].append((shipment_id, amount))
        by_counterparty: dict[str, list[matching.Doc]] = defaultdict(list)
        for row in conn.execute(query):
            (
                pk,
                kind,
                document_id,
                contract_id,
                currency,
                doc_date,
                side,
                amount,
                due_date,
                own_due,
                shipment_id,
                counterparty_id,
                settled_date,
            ) = row
            new_due = due_date_of(side, doc_date, own_due, terms.get(contract_id), calendar)
            stored[pk] = (due_date, settled_date)
            by_counterparty[counterparty_id].append(
                matching.Doc(pk, kind, document_id, contract_id, currency, doc_date, side, amount, new_due, shipment_id)
            )
            if kind == "payment":
                payments_of[document_id] = counterparty_id
        allocations_of: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(dict)
        for payment_id, targets in allocations_by_payment.items():
            owner = payments_of.get(payment_id)
            if owner is not None:
                allocations_of[owner][payment_id] = targets
        total = len(by_counterparty)
        for index, counterparty_id in enumerate(sorted(by_counterparty)):
            if index % 20 == 0:
                progress("match", index + group_index * CHUNK, total + group_index * CHUNK)
            docs = by_counterparty[counterparty_id]
            for found in matching.match_counterparty(docs, allocations_of.get(counterparty_id)):
                match_rows.append((counterparty_id, found.debit_pk, found.credit_pk, found.amount, found.match_date))
            for doc in docs:
                if stored[doc.pk] != (doc.due_date, doc.settled_date):
                    doc_updates.append((doc.pk, doc.due_date, doc.settled_date))
            matched += 1
            if len(match_rows) >= 100_000:
                bulk_insert(conn, m, MATCH_COLUMNS, match_rows)
                written += len(match_rows)
                match_rows = []
    if match_rows:
        bulk_insert(conn, m, MATCH_COLUMNS, match_rows)
        written += len(match_rows)
    bulk_update(conn, d, "doc_pk", ("due_date", "settled_date"), doc_updates)
    return matched, written


# ------------------------------------------------------------------------------------------ entry


LOCK_KEY = 7453101  # the PostgreSQL advisory lock a load holds for its whole transaction
LOAD_WAIT = "RECEIVABLES_LOAD_WAIT"  # seconds a load waits for another one to finish; unset: as long as it takes
log = logging.getLogger(__name__)


def _wait_limit(wait: float | None) -> float:
    """Seconds to wait for another load: the argument, else RECEIVABLES_LOAD_WAIT, else without limit."""
    if wait is None:
        raw = os.environ.get(LOAD_WAIT, "").strip()
        if not raw:
            return math.inf
        try:
            wait = float(raw)
        except ValueError:
            raise LoadError(f"{LOAD_WAIT} must be a number of seconds, not {raw!r}") from None
    return max(0.0, wait)


def _waiting(wait: float) -> float:
    """Say, once, that this load waits for another (unless it may not wait); the deadline by time.monotonic()."""
    if wait > 0:
        log.warning(
            "another load is running on this warehouse: waiting for it to finish%s",
            "" if math.isinf(wait) else f" (at most {wait:g} s)",
        )
    return time.monotonic() + wait


def _busy(wait: float) -> LoadBusy:
    within = f" and did not finish within {wait:g} s" if wait > 0 else ""
    return LoadBusy(
        f"another load is running on this warehouse{within}: nothing was loaded; load again once it has finished"
    )


@contextmanager
def _load_transaction(engine: Engine, wait: float) -> Iterator[Connection]:
    """The load's one transaction, begun once it holds the warehouse's load lock: one load at a time.

    A second load waits for the first to commit or die, then sees everything it wrote; with a limit, it
    gives up with LoadBusy. A killed load never leaves the lock behind: PostgreSQL's transaction-level
    advisory lock ends with the session, and SQLite's write lock with the process (the OS drops its file
    locks; the next reader ignores what the dead writer left uncommitted in the WAL)."""
    if engine.dialect.name == "sqlite":
        with _sqlite_write_transaction(engine, wait) as conn:
            yield conn
        return
    with engine.connect() as conn, conn.execution_options(isolation_level="READ COMMITTED").begin():
        # READ COMMITTED, unlike the engine's REPEATABLE READ: a snapshot taken before the wait for the
        # lock would hide what the load waited for.
        if not conn.execute(select(func.pg_try_advisory_xact_lock(LOCK_KEY))).scalar():
            deadline = _waiting(wait)
            if math.isinf(wait):
                conn.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))
            else:
                while not conn.execute(select(func.pg_try_advisory_xact_lock(LOCK_KEY))).scalar():
                    if time.monotonic() >= deadline:
                        raise _busy(wait)
                    time.sleep(0.1)
        yield conn


@contextmanager
def _sqlite_write_transaction(engine: Engine, wait: float) -> Iterator[Connection]:
    """BEGIN IMMEDIATE: the write lock first, before anything is read, so the load reads the warehouse as
    the previous load left it (a deferred BEGIN reads first, and its first write fails with
    SQLITE_BUSY_SNAPSHOT when another load committed meanwhile). The connection's busy_timeout (60 s)
    would end a longer wait with a bare 'database is locked': the first try does not wait, the next one
    waits up to the limit."""
    with engine.connect() as conn:
        conn.execution_options(sqlite_immediate=True)
        raw = conn.connection.driver_connection
        assert raw is not None
        usual = raw.execute("PRAGMA busy_timeout").fetchone()[0]
        deadline: float | None = None
        try:
            while True:
                remaining = 0.0 if deadline is None else deadline - time.monotonic()
                raw.execute(f"PRAGMA busy_timeout = {int(min(max(remaining, 0.0), 3600.0) * 1000)}")
                try:
                    transaction = conn.begin()
                    break
                except OperationalError as error:
                    if not getattr(error.orig, "sqlite_errorname", "").startswith("SQLITE_BUSY"):
                        raise
                if deadline is None:
                    deadline = _waiting(wait)
                elif time.monotonic() >= deadline:
                    raise _busy(wait)
        finally:
            raw.execute(f"PRAGMA busy_timeout = {usual}")
        with transaction:
            yield conn


def _rebuild_rollups(conn: Connection, progress: Progress | None) -> None:
    """flows (the trend, the act's opening) and shipment_checks (exceptions), from scratch."""
    for index, rollup in enumerate((flows, checks)):
        if progress:
            progress("rollups", index, 2)
        rollup.rebuild_all(conn)


def _update_rollups(conn: Connection, rematched: set[str], since: dict[str, date], progress: Progress | None) -> None:
    """The rollups of the counterparties matched again, and of those that went on matching from a day on.
    A warehouse from before a rollup gets it built once, in full."""
    for rollup in (flows, checks):
        if not rollup.ready(conn):
            rollup.rebuild_all(conn)
        else:
            rollup.rebuild(conn, rematched)
            rollup.rebuild_since(conn, since)


def load_paths(
    engine: Engine,
    paths: Iterable[str | Path],
    *,
    company_inn: str = "",
    company_name: str = "",
    command: str = "load",
    progress: Progress | None = None,
    kill_after: str | None = None,
    user: str = "",
    wait: float | None = None,
) -> LoadResult:
    """Load files and folders in one transaction; returns what happened. LoadError: nothing done.

    `company_name` and `company_inn`, when given with a name (the demo does), are kept in the warehouse:
    later loads without a configured INN still recognise the company's own payments, and the acts name
    the company without a config file. `user` is who asked for the load (the app's signed-in user; the
    CLI's is the OS user), as load_runs and the audit log show it.

    One load runs at a time: another one waits for it (`wait` seconds at most, else RECEIVABLES_LOAD_WAIT,
    else as long as it takes; LoadBusy when that runs out), then loads onto what it committed."""
    files = _expand(paths)
    wait_limit = _wait_limit(wait)
    ensure_schema(engine)
    started = time.perf_counter()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects and no cycles: the collector only costs time here
    try:
        with _load_transaction(engine, wait_limit) as conn:
            load_id = conn.execute(
                insert(warehouse.load_runs).values(
                    started_at=datetime.now(),
                    user_name=user or _user(),
                    host=socket.gethostname(),
                    command=command,
                    status="running",
                )
            ).inserted_primary_key[0]
            if company_name:
                write_meta(conn, "company_name", company_name)
                write_meta(conn, "company_inn", company_inn)
            company_inn = company_inn or read_meta(conn, "company_inn") or ""
            digests = {str(path): _sha256(path) for path, _explicit in files}
            same = _same_files_as_last_load(conn, digests, company_inn)
            if same is not None:
                return _record_unchanged(conn, load_id, same, started)
            loader = Loader(conn, company_inn=company_inn, progress=progress, digests=digests)
            loader.run(files, load_id)
            _kill_point("upserts", kill_after)
            continued = 0
            if loader.ctx.touch_all:
                matched, written = rematch(conn, None, progress)
                _rebuild_rollups(conn, progress)
            else:
                full = set(loader.ctx.touched)
                fallback, continued, written, since = continue_matching(
                    conn, loader.ctx.appended - full, load_id, progress
                )
                full |= fallback
                matched, more = rematch(conn, full, progress) if full else (0, 0)
                matched, written = matched + continued, written + more
                _update_rollups(conn, full, since, progress)
            _kill_point("matches", kill_after)
            _write_rejects(conn, loader, load_id, {str(p) for p, _explicit in files})
            # Fresh planner statistics: right after a big load PostgreSQL would otherwise plan blind.
            conn.execute(text("ANALYZE" if conn.dialect.name == "postgresql" else "PRAGMA optimize"))
            seconds = time.perf_counter() - started
            counts = {entity: c.as_dict() for entity, c in loader.counts.items()}
            conn.execute(
                update(warehouse.load_runs)
                .where(warehouse.load_runs.c.load_id == load_id)
                .values(
                    finished_at=datetime.now(),
                    status="done",
                    duration_ms=int(seconds * 1000),
                    counts=json.dumps(
                        {
                            "entities": counts,
                            "bank_sent": loader.bank_sent,
                            "bank_unidentified": loader.bank_unidentified,
                            "retried": loader.retried,
                            "retried_loaded": loader.retried_loaded,
                            "matches": written,
                            "company_inn": company_inn,
                        },
                        ensure_ascii=False,
                    ),
                    message=f"{len(files)} files",
                )
            )
            _record_files(conn, load_id, loader.result_files)
    finally:
        if gc_was_enabled:
            gc.enable()
    rows_written = written + sum(c.new + c.updated + c.deleted for c in loader.counts.values())
    if engine.dialect.name == "postgresql" and rows_written >= VACUUM_AFTER:
        _vacuum(engine)
    return LoadResult(
        load_id=int(load_id),
        counts=dict(loader.counts),
        files=loader.result_files,
        bank_sent=loader.bank_sent,
        bank_unidentified=loader.bank_unidentified,
        retried=loader.retried,
        retried_loaded=loader.retried_loaded,
        rematched_counterparties=matched,
        continued_counterparties=continued,
        matches_written=written,
        seconds=time.perf_counter() - started,
    )


def _vacuum(engine: Engine) -> None:
    """After a big load on PostgreSQL: clear the dead row versions the load left behind.

    Every document is inserted, then updated once matched (its due and settled dates), and rematching
    rewrites matches. Until autovacuum comes by, the (side, settled_date) index still holds a million
    dead "not settled" entries, and every as-of query walks them (aging at 1M: about 0.35 s of the
    first queries). VACUUM cannot run inside the load's transaction: it runs after the commit."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE) documents, matches, flows")


def _record_files(conn: Connection, load_id: int, outcomes: Sequence[FileOutcome]) -> None:
    if outcomes:
        conn.execute(
            insert(warehouse.load_files),
            [
                {
                    "load_id": load_id,
                    "path": f.path,
                    "sha256": f.sha256,
                    "size_bytes": f.size_bytes,
                    "entity": f.entity,
                    "rows_read": f.rows_read,
                    "message": f.message,
                }
                for f in outcomes
            ],
        )


def _same_files_as_last_load(
    conn: Connection, digests: dict[str, str], company_inn: str
) -> tuple[int, dict[str, Any], list[Any]] | None:
    """(load id, its counts, its files) when this load's files are exactly the last load's, byte for byte,
    read with the same company INN; else None.

    Loading them again would change nothing: the last load left the warehouse as these files make it
    (every key as its last occurrence in them, the rejects they caused, the references still missing
    retried then and missing still). So an unchanged nightly folder costs the hashing, not a re-read.
    """
    runs, files = warehouse.load_runs, warehouse.load_files
    last = conn.execute(
        select(runs.c.load_id, runs.c.counts).where(runs.c.status == "done").order_by(runs.c.load_id.desc()).limit(1)
    ).first()
    if last is None:
        return None
    counts = json.loads(last.counts or "{}")
    if counts.get("company_inn") != company_inn:
        return None  # an older load that did not record it, or another INN: bank statements read differently
    rows = conn.execute(select(files).where(files.c.load_id == last.load_id).order_by(files.c.path)).all()
    if {r.path: r.sha256 for r in rows} != digests:
        return None
    return int(last.load_id), counts, rows


def _record_unchanged(
    conn: Connection, load_id: int, same: tuple[int, dict[str, Any], list[Any]], started: float
) -> LoadResult:
    """Record a load of unchanged files: every row read counts as unchanged (the rejected ones as rejected)."""
    previous_id, previous, rows = same
    counts = {
        entity: EntityCounts(read=c["read"], unchanged=c["read"] - c["rejected"], rejected=c["rejected"])
        for entity, c in previous.get("entities", {}).items()
    }
    seconds = time.perf_counter() - started
    summary = {
        "entities": {entity: c.as_dict() for entity, c in counts.items()},
        "bank_sent": previous.get("bank_sent", 0),
        "bank_unidentified": previous.get("bank_unidentified", 0),
        "retried": 0,
        "retried_loaded": 0,
        "matches": 0,
        "company_inn": previous.get("company_inn", ""),
        "unchanged_since": previous_id,
    }
    conn.execute(
        update(warehouse.load_runs)
        .where(warehouse.load_runs.c.load_id == load_id)
        .values(
            finished_at=datetime.now(),
            status="done",
            duration_ms=int(seconds * 1000),
            counts=json.dumps(summary, ensure_ascii=False),
            message=f"{len(rows)} files, none changed since load {previous_id}",
        )
    )
    outcomes = [FileOutcome(r.path, r.entity, r.sha256, r.size_bytes, r.rows_read, r.message) for r in rows]
    _record_files(conn, load_id, outcomes)
    return LoadResult(
        load_id=load_id,
        counts=counts,
        files=outcomes,
        bank_sent=summary["bank_sent"],
        bank_unidentified=summary["bank_unidentified"],
        seconds=seconds,
        unchanged_since=previous_id,
    )


def _kill_point(point: str, kill_after: str | None) -> None:
    """Test hook (RECEIVABLES_TEST_KILL): die by SIGKILL here, mid-transaction, like a killed load."""
    if kill_after == point:
        import os
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def _write_rejects(conn: Connection, loader: Loader, load_id: int, files_in_load: set[str]) -> None:
    """The rejects list reflects the latest state: a reloaded file's old rejects are replaced, a key
    that loaded clears its old rejects, a retried reference that loaded leaves the list."""
    r = warehouse.rejects
    stale: set[int] = set(loader.resolved_reject_ids)
    loaded = loader.loaded_keys
    for reject_id, file, entity, key in conn.execute(select(r.c.reject_id, r.c.file, r.c.entity, r.c.record_key)):
        if file in files_in_load or (key and key in loaded.get(entity, ())):
            stale.add(reject_id)
    ids = sorted(stale)
    for start in range(0, len(ids), CHUNK):
        conn.execute(delete(r).where(r.c.reject_id.in_(ids[start : start + CHUNK])))
    if loader.rejects:
        conn.execute(
            insert(r),
            [
                {
                    "load_id": load_id,
                    "kind": x.kind,
                    "entity": x.entity,
                    "file": x.file,
                    "line": x.line,
                    "column_name": x.column_name,
                    "value": x.value,
                    "reason": x.reason,
                    "record_key": x.record_key,
                    "raw": x.raw,
                }
                for x in loader.rejects
            ],
        )


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
