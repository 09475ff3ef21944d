"""The load's first stage: files and folders into row batches per entity (contract section 1).

A file is an entity's by the start of its name, a bank statement by its content; any other file is
skipped (met in a folder) or refused (named explicitly), never silently ignored. Rows still waiting for a
reference since an earlier load (the rejects list) come back here, ahead of the files' rows.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

import warehouse
from domain.entities import BANK_PAYMENTS, DOCUMENT_KIND, LOAD_ORDER
from domain.errors import InvalidValue
from domain.money import parse_money
from etl.columns import ENTITIES, entity_of_name, normalize_column, record_key
from etl.errors import FileRefused
from etl.load.edo import EdoBatch, edo_rows, read_edo
from etl.load.types import FileOutcome, LoadError, Progress, Reject, Row, Tally
from etl.parsing import parse_date
from etl.sources import bank_1c
from etl.sources.csv_reader import read_csv_rows
from etl.sources.edo import EDO_SUFFIXES, is_edo_xml
from etl.sources.xlsx import read_xlsx_rows

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}

SourceFile = tuple[Path, bool]  # (file, named explicitly)


@dataclass
class Rows:
    """Row batches per entity in load order: a batch is one file's rows, or the rows retried."""

    batches: dict[str, list[list[Row]]]
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
) -> Rows:
    """Every file's rows, then the reference rejects of earlier loads to retry; refused files and rows
    that cannot be rows (too many values, a bank amount that is no amount) go to the tally's rejects."""
    batches = _gather(files, digests, company_inn, tally, progress)
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
    files: Sequence[SourceFile], digests: dict[str, str], company_inn: str, tally: Tally, progress: Progress
) -> dict[str, list[list[Row]]]:
    """Read every file; group row batches by entity. A refused file contributes nothing."""
    batches: dict[str, list[list[Row]]] = defaultdict(list)
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
            rows = _table_rows(path, entity, tally)
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


def _table_rows(path: Path, entity: str, tally: Tally) -> list[Row]:
    """An entity file's rows by canonical column; a row with more values than the header is rejected."""
    name = str(path)
    positions, table = _read_table(path, entity)
    wanted = [(column, positions[column]) for column in ENTITIES[entity].columns if column in positions]
    rows = []
    for line, values in table:
        if len(values) > len(positions) and any(v.strip() for v in values[len(positions) :]):
            tally.reject_read(
                entity,
                Reject(
                    "row",
                    entity,
                    name,
                    line,
                    "",
                    "",
                    f"the row has {len(values)} values, the header {len(positions)} columns",
                    record_key="",
                    raw="",  # not retried: the file has to be fixed
                ),
            )
            continue
        row_values = {column: (values[i] if i < len(values) else "") for column, i in wanted}
        if "document_id" not in positions and _keyed_by_number(positions, entity):
            row_values["document_id"] = number_date_key(row_values["number"], row_values["date"])
        rows.append(Row(name, line, row_values))
    _refuse_swapped_dates(rows)
    return rows


_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2,4})(?:\s.*)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _refuse_swapped_dates(rows: list[Row]) -> None:
    """A date column holding both dates and text like `1/13/2013` is a US-format CSV opened in a day-first
    Excel: the cells Excel could read as day-first became dates with day and month swapped (2013-01-02 read
    as 1 February), the rest stayed text. Half the file would load with wrong dates: refused as a whole."""
    for column in ("date", "due_date"):
        dates = slashed = 0
        example = ""
        for row in rows:
            value = row.values.get(column, "")
            if _ISO_DATE.match(value):
                dates += 1
            elif _SLASHED.match(value):
                slashed += 1
                example = example or value.strip()
        if dates and slashed:
            raise FileRefused(
                f"the {column} column mixes {dates} dates with {slashed} texts like {example} (month first): "
                "a US-format file opened in a day-first Excel, so its other dates may have day and month "
                "swapped. Open the original CSV with its dates as text, or export the file again from 1C"
            )


def _keyed_by_number(positions: dict[str, int], entity: str) -> bool:
    """A document list from 1C without an id column is keyed by number and date (contract section 1)."""
    return entity in DOCUMENT_KIND and "number" in positions and "date" in positions


def number_date_key(number: str, day: str) -> str:
    """«ВО-101 от 03.02.2025»: 1C numbers documents anew each year, so the number alone is no key. The date
    as the file wrote it when it is no date (the row is then rejected for its date, under this key)."""
    try:
        shown = f"{parse_date(day):%d.%m.%Y}"
    except InvalidValue:
        shown = day.strip()
    return f"{number.strip()} от {shown}"


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
        column = normalize_column(name, entity)
        if not column:
            continue
        if column in positions:
            raise FileRefused(f"column {name!r} appears twice in the header")
        positions[column] = index
    spec = ENTITIES[entity]
    missing = [
        c
        for c in spec.required
        if c not in positions and not (c == "document_id" and _keyed_by_number(positions, entity))
    ]
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


def _bank_rows(path: Path, company_inn: str, tally: Tally) -> list[Row]:
    """A statement's incoming payments as pre-validated payment records; their payer is identified by
    INN when payments are validated."""
    statement = bank_1c.read_bank_statement(path)
    classified = bank_1c.classify(statement, company_inn or None)
    tally.bank_sent += classified.sent
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


def _drop_superseded(entity: str, batches: list[list[Row]], tally: Tally) -> list[list[Row]]:
    """A retried row whose key a file of this load brings again gives way to the file's row."""
    if not batches or not batches[0] or batches[0][0].reject_id is None:
        return batches
    fresh_keys = {record_key(entity, row.values) for batch in batches[1:] for row in batch}
    kept = []
    for row in batches[0]:
        if row.reject_id is not None and record_key(entity, row.values) in fresh_keys:
            tally.resolved_reject_ids.add(row.reject_id)
        else:
            kept.append(row)
    return [kept, *batches[1:]]
