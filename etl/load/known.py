"""What the warehouse plus the load so far knows: the references rows are checked against.

Counterparties, contracts and the calendar are read whole (they are small); documents are read per kind,
whole for a big load, by key for a small one (a day's file against millions of documents). The upserts
keep it current as they write, and note the counterparties whose matches the load changed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, overload

from sqlalchemy import Connection, func, select

import warehouse
from domain.calendar import WorkCalendar, due_date_of
from etl.load.types import CHUNK
from warehouse.calendar import work_calendar

if TYPE_CHECKING:
    from etl.load.resolve import Resolver

SMALL_LOAD = 50_000  # rows: up to this, documents are looked up by key rather than all read

# A stored document as the load checks rows against it: (doc_pk, row_hash, counterparty_id); a first load's
# held documents have no row hash here (etl.load.first.LOOKUP).
StoredDoc = tuple[int, str | None, str | None]
_T = TypeVar("_T")


class ContractRef(NamedTuple):
    counterparty_id: str
    currency: str
    number: str
    terms_days: int
    terms_basis: str
    contract_date: date | None
    name: str


@dataclass
class Known:
    """What the warehouse plus the load so far knows, for reference checks."""

    conn: Connection
    counterparties: dict[str, str] = field(default_factory=dict)  # id -> inn
    names: dict[str, str] = field(default_factory=dict)  # counterparty id -> name
    version: int = 0  # counts changes to counterparties and contracts, for the indexes built on them
    contracts: dict[str, ContractRef] = field(default_factory=dict)
    documents: dict[str, DocIndex] = field(default_factory=dict)
    calendar: WorkCalendar | None = None
    touched: set[str] = field(default_factory=set)  # matched again from scratch
    appended: set[str] = field(default_factory=set)  # only new documents: matching may just go on
    # Open payments of earlier loads that this load allocates to shipments it brings: payment id ->
    # counterparty; matching goes on with them if it can (etl/load/allocated.py), else starts again.
    allocated: dict[str, str] = field(default_factory=dict)
    touch_all: bool = False
    # Every document this load inserts gets a larger key (last_pk): a day's new documents are found by that
    # range instead of reading every document of their counterparties (etl.load.match.continue_matching).
    last_pk_before: int = 0
    # A first load holds its documents unwritten (etl/load/first.py): their shipments' contracts come from it.
    held_contract: Callable[[str], str | None] | None = None

    small: bool = False  # a small load looks documents up by key instead of reading every key
    _inn_cache: dict[str, str] | None = field(default=None, init=False, repr=False)
    _purpose_index: dict[str, list[tuple[str, str]]] | None = field(default=None, init=False, repr=False)
    _currencies: dict[str, set[str]] | None = field(default=None, init=False, repr=False)
    _resolver: Resolver | None = field(default=None, init=False, repr=False)

    def resolver(self) -> Resolver:
        """Names to ids (etl/load/resolve.py), one per load: its indexes follow `version`."""
        if self._resolver is None:
            from etl.load.resolve import Resolver

            self._resolver = Resolver(self)
        return self._resolver

    def docs(self, kind: str) -> DocIndex:
        """document_id -> (doc_pk, row_hash, counterparty_id) for one kind: read at once for a big load,
        looked up as asked for a small one (a day's file against millions of documents)."""
        if kind not in self.documents:
            self.documents[kind] = DocIndex(self.conn, kind, complete=not self.small)
        return self.documents[kind]

    def touch(self, *counterparty_ids: str | None) -> None:
        """These counterparties are matched again from scratch."""
        for counterparty_id in counterparty_ids:
            if counterparty_id is not None:
                self.touched.add(counterparty_id)

    def due_date(self, record: dict[str, Any]) -> date | None:
        contract = self.contracts.get(record["contract_id"])
        terms = (contract.terms_days, contract.terms_basis) if contract else None
        assert self.calendar is not None
        return due_date_of(record["side"], record["doc_date"], record["own_due_date"], terms, self.calendar)

    def has_counterparty(self, counterparty_id: str, inn: str) -> bool:
        if counterparty_id in self.counterparties:
            return True
        if self._inn_cache is None:
            self._inn_cache = self.inn_index()
        return bool(inn) and inn in self._inn_cache

    def shipment_contract(self, document_id: str) -> str | None:
        """The contract of a shipment in the warehouse (this load's written or held ones included)."""
        if self.held_contract is not None:
            return self.held_contract(document_id)
        d = warehouse.documents
        return self.conn.execute(
            select(d.c.contract_id).where(d.c.kind == "shipment", d.c.document_id == document_id)
        ).scalar()

    # -- a bank payment's payer

    def inn_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for counterparty_id in sorted(self.counterparties, reverse=True):
            inn = self.counterparties[counterparty_id]
            if inn:
                index[inn] = counterparty_id  # the lowest id wins when branches share an INN
        return index

    def identify_payer(self, record: dict[str, Any]) -> None:
        """A bank payment's counterparty by the payer's INN, its contract by number in the purpose."""
        if self._inn_cache is None:
            self._inn_cache = self.inn_index()
        counterparty_id = self._inn_cache.get(record["payer_inn"])
        record["counterparty_id"] = counterparty_id
        record["contract_id"], record["currency"] = self.contract_from_purpose(counterparty_id, record["purpose"])

    def contract_from_purpose(self, counterparty_id: str | None, purpose: str) -> tuple[str | None, str]:
        """The counterparty's RUB contract whose number appears in the purpose as a whole token."""
        if counterparty_id is None:
            return None, "RUB"
        if self._purpose_index is None:
            index: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for contract_id, contract in self.contracts.items():
                if contract.number and contract.currency == "RUB":
                    index[contract.counterparty_id].append((contract_id, contract.number))
            for candidates in index.values():
                candidates.sort(key=lambda item: (-len(item[1]), item[0]))  # the longest number first
            self._purpose_index = index
        for contract_id, number in self._purpose_index.get(counterparty_id, []):
            if _whole_token(number).search(purpose):
                return contract_id, "RUB"
        return None, "RUB"

    def payment_currency(self, counterparty_id: str) -> str:
        """A payment without a contract or a currency of its own is in its counterparty's currency when all
        the counterparty's contracts share one, else in RUB (contract section 1, "Currency of a payment")."""
        if self._currencies is None:
            self._currencies = defaultdict(set)
            for contract in self.contracts.values():
                self._currencies[contract.counterparty_id].add(contract.currency)
        currencies = self._currencies.get(counterparty_id, set())
        return next(iter(currencies)) if len(currencies) == 1 else "RUB"

    def forget_payers(self) -> None:
        """Counterparties or contracts changed: the payer indexes are built again when next needed."""
        self._inn_cache = self._purpose_index = self._currencies = None
        self.version += 1


@lru_cache(maxsize=65536)
def _whole_token(number: str) -> re.Pattern[str]:
    """A contract number as a whole token of a payment's purpose, any case; made once per number (a bank
    statement's tens of thousands of payments name the same few thousand contracts)."""
    return re.compile(r"(?<![\w/-])" + re.escape(number) + r"(?![\w/-])", flags=re.IGNORECASE)


def read_known(conn: Connection, rows_in_files: int) -> Known:
    """Counterparties, contracts and the calendar as the warehouse holds them before this load."""
    known = Known(conn, small=rows_in_files <= SMALL_LOAD)
    t = warehouse.counterparties
    for counterparty_id, inn, name in conn.execute(select(t.c.counterparty_id, t.c.inn, t.c.name)):
        known.counterparties[counterparty_id], known.names[counterparty_id] = inn, name
    c = warehouse.contracts
    known.contracts = {
        r[0]: ContractRef(*r[1:])
        for r in conn.execute(
            select(
                c.c.contract_id,
                c.c.counterparty_id,
                c.c.currency,
                c.c.number,
                c.c.terms_days,
                c.c.terms_basis,
                c.c.contract_date,
                c.c.name,
            )
        )
    }
    known.calendar = work_calendar(conn)
    known.last_pk_before = last_pk(conn)
    return known


def last_pk(conn: Connection) -> int:
    """A document key every document inserted from now on is larger than. SQLite gives a new row the largest
    rowid + 1 (a first load reserves its keys the same way): the largest key. PostgreSQL gives the sequence's
    next value (a first load reserves its keys from it too), which is above the sequence's last one even if
    a key was ever written past it: the smaller of the two."""
    d = warehouse.documents
    largest = int(conn.execute(select(func.max(d.c.doc_pk))).scalar() or 0)
    if conn.dialect.name != "postgresql":
        return largest
    sequence = conn.exec_driver_sql("SELECT pg_get_serial_sequence('documents', 'doc_pk')").scalar_one()
    last = conn.exec_driver_sql(
        f"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {sequence}"
    ).scalar_one()
    return min(largest, int(last))


class DocIndex(dict[str, StoredDoc]):
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

    @overload
    def get(self, key: str, default: None = None, /) -> StoredDoc | None: ...
    @overload
    def get(self, key: str, default: StoredDoc, /) -> StoredDoc: ...
    @overload
    def get(self, key: str, default: _T, /) -> StoredDoc | _T: ...
    def get(self, key: str, default: object = None, /) -> object:
        if not self.complete and not dict.__contains__(self, key):
            self.fetch([key])
        return dict.get(self, key, default)

    def __missing__(self, key: str) -> StoredDoc:
        self.fetch([key])
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        self.fetch([key])
        return dict.__contains__(self, key)

    def __delitem__(self, key: str) -> None:
        dict.__delitem__(self, key)
        self.absent.add(key)
