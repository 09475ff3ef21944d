"""The load's first stage: files and folders into row batches per entity (contract section 1).

A file is an entity's by the start of its name, a bank statement by its content; any other file is
skipped (met in a folder) or refused (named explicitly), never silently ignored. Rows still waiting for a
reference since an earlier load (the rejects list) come back here, ahead of the files' rows.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, select

import warehouse
from domain.entities import BANK_PAYMENTS, DOCUMENT_KIND, LOAD_ORDER
from domain.errors import InvalidValue
from domain.money import parse_money
from etl.columns import ENTITIES, ColumnMaps, entity_of_name, record_key
from etl.errors import FileRefused
from etl.load.columnar import FileFrame, read_frame, stripped
from etl.load.edo import EdoBatch, edo_rows, read_edo
from etl.load.tables import CSV_SUFFIXES, Layouts, table_rows
from etl.load.types import FileOutcome, LoadError, Progress, Reject, Row, Tally
from etl.sources import bank_1c
from etl.sources.edo import EDO_SUFFIXES, is_edo_xml

SourceFile = tuple[Path, bool]  # (file, named explicitly)


@dataclass
class PendingFile:
    """A document file, read only when its entity's turn comes: at 1M shipments, every file's rows held at
    once were most of the load's memory. Its length is its lines less the header (to size the load), at
    least 1: the file is opened in its turn even when it holds nothing, to be refused if it has to be."""

    path: Path
    entity: str
    outcome: FileOutcome
    layouts: Layouts
    lines: int

    def __len__(self) -> int:
        return max(self.lines, 1)

    def open(self, tally: Tally) -> FileFrame | list[Row]:
        """The file's rows (a frame where polars can vouch for the reading); a refused file gives none."""
        try:
            frame = read_frame(self.path, self.entity, tally, self.layouts)
            batch: FileFrame | list[Row] = (
                frame if frame is not None else table_rows(self.path, self.entity, tally, self.layouts)
            )
        except FileRefused as exc:
            self.outcome.entity, self.outcome.message = "refused", str(exc)
            tally.rejects.append(Reject("file", self.entity, str(self.path), None, "", "", str(exc)))
            return []
        self.outcome.rows_read = len(batch)
        return batch


Batch = list[Row] | FileFrame | PendingFile  # a document file is read by polars into a frame, when its turn comes


@dataclass
class Rows:
    """Row batches per entity in load order: a batch is one file's rows, or the rows retried."""

    batches: dict[str, list[Batch]]
    in_files: int  # rows the files gave (the retried ones aside): how big this load is


def find(paths: Iterable[str | Path]) -> list[SourceFile]:
    """(file, named explicitly) pairs: a file named on the command line that matches nothing is refused
    with the reason, while an unknown file met in a folder is only skipped. LoadError: a path is missing."""
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


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read(
    conn: Connection,
    files: Sequence[SourceFile],
    digests: dict[str, str],
    company_inn: str,
    tally: Tally,
    progress: Progress,
    maps: ColumnMaps | None = None,
) -> Rows:
    """Every file's rows, then the reference rejects of earlier loads to retry; refused files and rows
    that cannot be rows (too many values, a bank amount that is no amount) go to the tally's rejects."""
    batches = _gather(files, digests, company_inn, tally, progress, Layouts(conn, maps or {}))
    in_files = sum(len(batch) for entity_batches in batches.values() for batch in entity_batches)
    pending = _pending_references(conn, {str(p) for p, _explicit in files})
    tally.retried = sum(len(rows) for rows in pending.values())
    merged = {}
    for entity in LOAD_ORDER:
        entity_batches = [pending[entity], *batches.get(entity, [])] if pending.get(entity) else batches.get(entity, [])
        merged[entity] = _drop_superseded(entity, entity_batches, tally)
    return Rows(merged, in_files)


def _entity_of(path: Path) -> str | None:
    """The entity a file holds, by the start of its name (case-insensitive, English or as 1C users name it)."""
    return entity_of_name(path.name)


def _gather(
    files: Sequence[SourceFile],
    digests: dict[str, str],
    company_inn: str,
    tally: Tally,
    progress: Progress,
    layouts: Layouts,
) -> dict[str, list[Batch]]:
    """Read every file; group row batches by entity. A refused file contributes nothing."""
    batches: dict[str, list[Batch]] = defaultdict(list)
    edo_batch = EdoBatch()
    for index, (path, explicit) in enumerate(files):
        progress("read", index, len(files))
        name = str(path)
        outcome = FileOutcome(name, "", digests.get(name) or sha256(path), path.stat().st_size)
        tally.files.append(outcome)
        try:
            if bank_1c.is_bank_statement(path) or _looks_like_statement(path):
                outcome.entity = "bank_statement"
                rows = _bank_rows(path, company_inn, tally)
                outcome.rows_read = len(rows)
                batches["payments"].append(rows)
                continue
            if path.suffix.lower() in EDO_SUFFIXES and (path.suffix.lower() == ".zip" or is_edo_xml(path)):
                outcome.entity = "edo"
                outcome.message = read_edo(path, company_inn, edo_batch, tally)
                continue
            entity = _entity_of(path)
            if entity is None and explicit:
                raise FileRefused(
                    "not a source file: the name does not start with an entity name ("
                    + ", ".join(LOAD_ORDER)
                    + "), it is not a 1C bank statement (its first line must be 1CClientBankExchange) and not "
                    + "a УПД/УКД XML"
                )
            if entity is None:
                outcome.entity = "skipped"
                outcome.message = "not a known source file (name does not start with an entity name)"
                continue
            outcome.entity = entity
            if entity in DOCUMENT_KIND and path.suffix.lower() in CSV_SUFFIXES:
                batches[entity].append(PendingFile(path, entity, outcome, layouts, _data_lines(path)))
                continue
            rows = table_rows(path, entity, tally, layouts)
            outcome.rows_read = len(rows)
            batches[entity].append(rows)
        except FileRefused as exc:
            outcome.entity = "refused"
            outcome.message = str(exc)
            tally.rejects.append(Reject("file", _entity_of(path) or "", name, None, "", "", str(exc)))
    edo, tally.edo_skipped = edo_rows(edo_batch)
    for entity, rows in edo.items():
        batches[entity].append(rows)
    return batches


def _data_lines(path: Path) -> int:
    """The lines of a file after its header: its rows, near enough (blank lines and quoted line breaks
    aside) to tell a small load from a big one."""
    feeds = returns = 0
    last = b"\n"
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            feeds += block.count(b"\n")
            returns += block.count(b"\r") if b"\r" in block else 0  # a search for one byte costs less than a count
            last = block[-1:]
    return max(max(feeds, returns) + (last not in (b"\n", b"\r")) - 1, 0)


def _looks_like_statement(path: Path) -> bool:
    """A file that mentions the 1C exchange marker near its start is meant as a statement: rather than
    skip it as unknown, read it and let the reader refuse it with the reason."""
    with path.open("rb") as handle:
        return b"1CClientBankExchange" in handle.read(2048)


def _statement_end(statement: bank_1c.BankStatement, incoming: list[date]) -> date | None:
    """The last day a statement covers: its ДатаКонца, else its latest incoming payment's date. The reminders
    hold while the bank statements stop short of the previous working day (a client may have paid)."""
    try:
        return datetime.strptime(statement.header.get("ДатаКонца", "").strip(), "%d.%m.%Y").date()
    except ValueError:
        return max(incoming, default=None)


def _bank_rows(path: Path, company_inn: str, tally: Tally) -> list[Row]:
    """A statement's incoming payments as pre-validated payment records; their payer is identified by
    INN when payments are validated."""
    statement = bank_1c.read_bank_statement(path, fields=bank_1c.CLASSIFIED_FIELDS)
    classified = bank_1c.classify(statement, company_inn or None)
    tally.bank_sent += classified.sent
    through = _statement_end(statement, [p.date for p in classified.incoming])
    if through is not None and (tally.bank_through is None or through > tally.bank_through):
        tally.bank_through = through
    name = str(path)
    for line, column, value, reason in classified.problems:
        tally.reject_read(BANK_PAYMENTS, Reject("row", BANK_PAYMENTS, name, line, column, value, reason))
    rows = []
    for payment in classified.incoming:
        try:
            amount = parse_money(payment.amount_text)
        except InvalidValue as exc:
            tally.reject_read(
                BANK_PAYMENTS,
                Reject("row", BANK_PAYMENTS, name, payment.line, "Сумма", payment.amount_text, str(exc)),
            )
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
            tally.reject_read(
                BANK_PAYMENTS,
                Reject(
                    "row",
                    BANK_PAYMENTS,
                    name,
                    payment.line,
                    "Сумма",
                    payment.amount_text,
                    "amount must be greater than zero",
                ),
            )
            continue
        rows.append(Row(name, payment.line, {"document_id": payment.document_id}, record=record))
    return rows


def _pending_references(conn: Connection, files_in_load: set[str]) -> dict[str, list[Row]]:
    """Reference rejects of earlier loads, to retry now (rows of files being reloaded come again)."""
    r = warehouse.rejects
    pending: dict[str, list[Row]] = defaultdict(list)
    for reject_id, entity, file, line, raw in conn.execute(
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
        pending[entity].append(Row(file, line, values, reject_id=reject_id))
    return pending


def _drop_superseded(entity: str, batches: list[Batch], tally: Tally) -> list[Batch]:
    """A retried row whose key a file of this load brings again gives way to the file's row."""
    retried = batches[0] if batches else None
    if not isinstance(retried, list) or not retried or retried[0].reject_id is None:
        return batches
    opened = [batch.open(tally) if isinstance(batch, PendingFile) else batch for batch in batches[1:]]
    fresh_keys: set[str] = set()
    for batch in opened:
        if isinstance(batch, FileFrame):
            for part in batch.each("document_id"):
                fresh_keys.update(part.select(stripped("document_id"))["document_id"].to_list())
        else:
            fresh_keys.update(record_key(entity, row.values) for row in batch)
    kept = []
    for row in retried:
        if row.reject_id is not None and record_key(entity, row.values) in fresh_keys:
            tally.resolved_reject_ids.add(row.reject_id)
        else:
            kept.append(row)
    return [kept, *opened]
