"""Files uploaded in the browser, loaded through the same ETL as `receivables load`.

The uploads are written under their own names into one folder of the system's temporary directory and
loaded from there, then deleted. The folder is the same every time on purpose: the loader knows a file by
its path, so uploading a corrected `shipments.csv` again replaces the rejects the earlier one left
(a fresh folder per upload would leave them listed for ever). One upload at a time per process: two
sessions saving a file of the same name must not overwrite each other's before it is read. No streamlit
here: the page owns the widgets, this module the files and the load.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

import polars as pl
from sqlalchemy import Engine

from domain.entities import DOCUMENT_KIND, LOAD_ORDER
from etl.columns import ColumnMaps, entity_of_name
from etl.errors import FileRefused
from etl.load import LoadResult, Progress, load_paths
from etl.load.tables import Layouts, Peek, peek_table
from etl.sources import bank_1c
from queries.loads import COUNT_FIELDS, ENTITY_ORDER

# What the upload box accepts: source tables (CSV, XLSX), 1C bank statements (kl_to_1c.txt), and EDO
# documents (УПД/УКД XML, or the .zip an EDO operator exports).
UPLOAD_TYPES = ("csv", "xlsx", "txt", "tsv", "xml", "zip")
UPLOAD_FOLDER = Path(tempfile.gettempdir()) / "receivables-uploads"

_ONE_AT_A_TIME = threading.Lock()
_ENTITY_OF_KIND = {kind: entity for entity, kind in DOCUMENT_KIND.items()}


class UploadError(Exception):
    """The uploaded files cannot be loaded as given (no usable file name); nothing was written."""


def safe_name(name: str) -> str:
    """The file's own name without any folder a browser may send (either slash), never hidden or empty."""
    base = PureWindowsPath(name.replace("/", "\\")).name.strip()
    if not base or base.startswith("."):
        raise UploadError(f"not a usable file name: {name!r}")
    return base


def save_uploads(files: Iterable[tuple[str, bytes]], folder: Path) -> list[Path]:
    """Write each (name, content) under its own name into `folder`; a name given twice keeps the last."""
    folder.mkdir(parents=True, exist_ok=True)
    saved: dict[str, Path] = {}
    for name, content in files:
        path = folder / safe_name(name)
        path.write_bytes(content)
        saved[path.name] = path
    return list(saved.values())


def save_and_load(
    files: Iterable[tuple[str, bytes]],
    *,
    engine: Engine,
    company_inn: str = "",
    progress: Progress | None = None,
    folder: Path | None = None,
    user: str = "",
    column_maps: ColumnMaps | None = None,
) -> LoadResult:
    """Save the uploads and load them in one transaction, like `receivables load FILE...`; the saved files
    are removed afterwards whatever happened. Each file is named explicitly, so one the loader does not
    recognise is refused with its reason instead of being skipped in silence."""
    pairs = list(files)
    if not pairs:
        raise UploadError("no files to load")
    with _ONE_AT_A_TIME:
        paths = save_uploads(pairs, folder or UPLOAD_FOLDER)
        try:
            return load_paths(
                engine,
                paths,
                company_inn=company_inn,
                command="upload " + " ".join(p.name for p in paths),
                progress=progress,
                column_maps=column_maps,
                user=user,
            )
        finally:
            for path in paths:
                path.unlink(missing_ok=True)


@dataclass
class ProgressTracker:
    """Turns the loader's (stage, done, total) reports into one bar that only moves forward.

    Stages arrive in order: "read" (per file), "validate <entity>" and "write <kind>" (per entity, in load
    order), "match" (per counterparty), and after a load that matched everyone "rollups". They share the
    bar 30 / 50 / 15 / 5.
    """

    fraction: float = 0.0

    def update(self, stage: str, done: int, total: int) -> tuple[float, str, str]:
        """(fraction 0..1, stage name: read / validate / write / match / rollups, the entity it concerns or "")."""
        share = done / total if total > 0 else 0.0
        name, _, subject = stage.partition(" ")
        if name == "read":
            value = 0.3 * share
        elif name in ("validate", "write"):
            entity = _ENTITY_OF_KIND.get(subject, subject) if name == "write" else subject
            slot = LOAD_ORDER.index(entity) if entity in LOAD_ORDER else len(LOAD_ORDER) - 1
            value = 0.3 + 0.5 * (slot + (share if name == "write" else 0.0)) / len(LOAD_ORDER)
            subject = entity
        elif name == "match":
            value = 0.8 + 0.15 * share
        elif name == "rollups":
            value = 0.95 + 0.05 * share
        else:
            value = self.fraction
        self.fraction = max(self.fraction, min(value, 1.0))
        return self.fraction, name, subject


def result_counts(result: LoadResult) -> pl.DataFrame:
    """The load's per-entity summary (read, new, updated, unchanged, deleted, rejected), in load order."""
    rank = {name: index for index, name in enumerate(ENTITY_ORDER)}
    rows = [
        (entity, *(getattr(counts, field) for field in COUNT_FIELDS))
        for entity, counts in sorted(result.counts.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))
    ]
    return pl.DataFrame(rows, schema={"entity": pl.String, **dict.fromkeys(COUNT_FIELDS, pl.Int64)}, orient="row")


def result_files(result: LoadResult) -> pl.DataFrame:
    """Each uploaded file: its name, what it held (or skipped / refused), size, rows read, the reason if any."""
    return pl.DataFrame(
        [(Path(f.path).name, f.entity, f.size_bytes, f.rows_read, f.message) for f in result.files],
        schema={
            "name": pl.String,
            "entity": pl.String,
            "size_bytes": pl.Int64,
            "rows_read": pl.Int64,
            "message": pl.String,
        },
        orient="row",
    )


# -- the mapping form: a table file whose headings do not give the columns its entity needs -----------

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")


@dataclass(frozen=True)
class UploadLayout:
    """An uploaded table file as the load would read it: its entity (by its name, or as a person chose),
    and its headings with the column each is read as (etl.load.tables.Peek); `problem` when unreadable."""

    name: str
    entity: str | None
    peek: Peek | None = None
    problem: str = ""

    @property
    def needs_mapping(self) -> bool:
        return not self.problem and (self.entity is None or (self.peek is not None and bool(self.peek.missing)))


def upload_layout(
    name: str, content: bytes, *, engine: Engine, column_maps: ColumnMaps, entity: str | None = None
) -> UploadLayout | None:
    """The layout of an uploaded CSV or XLSX file, None for the files read by content (bank statements,
    EDO XML and archives). `entity` overrides the one the file's name gives."""
    if not name.lower().endswith(TABLE_SUFFIXES):
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / safe_name(name)
        path.write_bytes(content)
        if bank_1c.is_bank_statement(path):
            return None
        entity = entity or entity_of_name(path.name)
        if entity is None:
            return UploadLayout(name, None)
        try:
            with engine.connect() as conn:
                return UploadLayout(name, entity, peek_table(path, entity, Layouts(conn, column_maps)))
        except FileRefused as exc:
            return UploadLayout(name, entity, problem=str(exc))


def saved_name(name: str, entity: str) -> str:
    """The name an upload is saved under so that the load reads it as `entity` (the person's choice when
    its own name says another entity or none)."""
    return name if entity_of_name(safe_name(name)) == entity else f"{entity} {safe_name(name)}"
