"""What the load's stages hand each other and what a load returns.

A file's rows travel as `Row`s (read), become records or `Reject`s (validate), and the `Tally` keeps
what the load saw on the way (counts, rejects, files) until it is recorded and returned as `LoadResult`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# (stage, done, total): `read`, `validate <entity>`, `write <kind>`, `match`, `rollups`. The tests and the
# app's progress bar read these names.
Progress = Callable[[str, int, int], None]

CHUNK = 500  # keys per IN (...) list

Record = dict[str, Any]  # a validated row: column -> value, as the tables take it


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
    warnings: int = 0  # values left out of rows that loaded (a bad INN, KPP, e-mail, VAT...)

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
    # EDO documents that are not debts, by etl.load.edo.EDO_SKIPPED: invoice-only СЧФ, suppliers' documents,
    # duplicates and earlier copies of corrected ones, other files of an archive (signatures, receipts).
    edo_skipped: dict[str, int] = field(default_factory=dict)

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if f.entity == "refused"]

    @property
    def skipped(self) -> list[FileOutcome]:
        return [f for f in self.files if f.entity == "skipped"]

    @property
    def rejected_rows(self) -> int:
        return sum(c.rejected for c in self.counts.values())

    @property
    def warnings(self) -> int:
        return sum(c.warnings for c in self.counts.values())


@dataclass
class Row:
    """One input row on its way in: where it came from and its raw values by canonical column."""

    file: str
    line: int | None
    values: dict[str, str]
    reject_id: int | None = None  # set when retried from the rejects list
    record: dict[str, Any] | None = None  # a pre-validated record (bank statements)
    only_if_new: bool = False  # a buyer made from a УПД: loaded only when no counterparty has its INN or id


@dataclass
class Reject:
    kind: str
    entity: str
    file: str
    line: int | None
    column_name: str
    value: str
    reason: str
    record_key: str = ""
    raw: str = ""


@dataclass
class Tally:
    """What the load saw so far, stage by stage: it is recorded in load_runs and returned as LoadResult."""

    counts: dict[str, EntityCounts] = field(default_factory=lambda: defaultdict(EntityCounts))
    rejects: list[Reject] = field(default_factory=list)
    resolved_reject_ids: set[int] = field(default_factory=set)  # earlier rejects that leave the list
    loaded_keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    files: list[FileOutcome] = field(default_factory=list)
    bank_sent: int = 0
    bank_unidentified: int = 0
    retried: int = 0
    retried_loaded: int = 0
    edo_skipped: dict[str, int] = field(default_factory=dict)  # etl.load.edo.EDO_SKIPPED: count
    bank_through: date | None = None  # the last day the statements read cover (ДатаКонца)

    def reject_read(self, entity: str, reject: Reject) -> None:
        """A row refused as it was read: it counts as read and rejected."""
        self.rejects.append(reject)
        self.counts[entity].read += 1
        self.counts[entity].rejected += 1
