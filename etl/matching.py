"""Chronological FIFO matching of credits to debits (contract section 2), one counterparty at a time.

Events are taken in date order; on one date debits come before credits, each by document_id. A credit
first honours its explicit allocations and its shipment_id, then closes its contract's open debits by
(due date, date, document_id) -- or, for a counterparty-level payment, the open debits of all the
counterparty's contracts in its currency by (due date, date, contract_id, document_id). What is left is
an advance that closes the next debits as they are booked: the contract's advance first, then the
counterparty's, each oldest credit first. A credit closes a debit on the later of the two dates.

An allocation to a shipment that is not booked yet (a prepayment earmarked for a future shipment, or
one the warehouse does not hold at all) reserves that part of the credit: no other debit can take it,
and the shipment takes it first when it is booked. A reservation larger than the shipment releases
the rest as a free advance.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(slots=True)
class Doc:
    pk: int
    kind: str
    document_id: str
    contract_id: str | None
    currency: str
    doc_date: date
    side: int  # +1 debit, -1 credit
    amount: int  # kopecks, > 0
    due_date: date | None = None  # debits only
    shipment_id: str | None = None
    remaining: int = 0
    reserved: int = 0
    last_match: date | None = None
    # The date of the document's first match (None: never matched). A document booked before
    # (continue_counterparty) keeps the one it comes with.
    first_match: date | None = None

    @property
    def settled_date(self) -> date | None:
        """The date of the match that closed the document entirely, else None."""
        return self.last_match if self.remaining == 0 and self.last_match is not None else None

    @property
    def free(self) -> int:
        return self.remaining - self.reserved


@dataclass(frozen=True, slots=True)
class Match:
    debit_pk: int
    credit_pk: int
    amount: int
    match_date: date


@dataclass
class _State:
    matches: list[Match] = field(default_factory=list)
    booked: set[int] = field(default_factory=set)
    # contract_id -> heap of (due_date, doc_date, document_id, pk) of debits that may still be open
    open_debits: dict[str, list[tuple[date, date, str, int]]] = field(default_factory=lambda: defaultdict(list))
    contract_advances: dict[str, list[Doc]] = field(default_factory=lambda: defaultdict(list))
    counterparty_advances: dict[str, list[Doc]] = field(default_factory=lambda: defaultdict(list))
    reservations: dict[str, list[list]] = field(default_factory=lambda: defaultdict(list))


def _close(state: _State, debit: Doc, credit: Doc, amount: int, on: date) -> None:
    debit.remaining -= amount
    credit.remaining -= amount
    debit.last_match = credit.last_match = on
    if debit.first_match is None:
        debit.first_match = on
    if credit.first_match is None:
        credit.first_match = on
    state.matches.append(Match(debit.pk, credit.pk, amount, on))


def _head(heap: list[tuple[date, date, str, int]], by_pk: dict[int, Doc]) -> Doc | None:
    while heap:
        debit = by_pk[heap[0][3]]
        if debit.remaining > 0:
            return debit
        heapq.heappop(heap)  # closed out of order (by an allocation): drop lazily
    return None


def _take_from_advances(state: _State, queue: list[Doc], debit: Doc) -> None:
    """Let `debit` consume free advance from `queue` (oldest credit first), dropping spent credits."""
    index = 0
    while index < len(queue) and debit.remaining > 0:
        credit = queue[index]
        if credit.remaining == 0:
            queue.pop(index)
            continue
        if credit.free > 0:
            _close(state, debit, credit, min(credit.free, debit.remaining), debit.doc_date)
        index += 1


def _book_debit(state: _State, debit: Doc) -> None:
    state.booked.add(debit.pk)
    debit.remaining = debit.amount
    for reservation in state.reservations.pop(debit.document_id, []):
        credit, reserved = reservation
        credit.reserved -= reserved
        amount = min(reserved, debit.remaining, credit.remaining)
        if amount > 0:
            _close(state, debit, credit, amount, debit.doc_date)
    if debit.contract_id is not None:
        _take_from_advances(state, state.contract_advances[debit.contract_id], debit)
    _take_from_advances(state, state.counterparty_advances[debit.currency], debit)
    if debit.remaining > 0 and debit.contract_id is not None:
        due = debit.due_date or debit.doc_date
        heapq.heappush(state.open_debits[debit.contract_id], (due, debit.doc_date, debit.document_id, debit.pk))


def _book_credit(
    state: _State,
    credit: Doc,
    by_pk: dict[int, Doc],
    shipments: dict[str, Doc],
    targets: Sequence[tuple[str, int]],
    contracts_by_currency: dict[str, list[str]],
) -> None:
    credit.remaining = credit.amount
    for shipment_id, wanted in targets:
        target = shipments.get(shipment_id)
        amount = min(wanted, credit.free)
        if amount <= 0 or (target is not None and target.currency != credit.currency):
            continue  # money never closes a debit in another currency, whatever a link says
        if target is not None and target.pk in state.booked:
            amount = min(amount, target.remaining)
            if amount > 0:
                _close(state, target, credit, amount, credit.doc_date)
        else:
            credit.reserved += amount
            state.reservations[shipment_id].append([credit, amount])

    if credit.contract_id is not None:
        heap = state.open_debits[credit.contract_id]
        while credit.free > 0:
            debit = _head(heap, by_pk)
            if debit is None:
                break
            _close(state, debit, credit, min(credit.free, debit.remaining), credit.doc_date)
    else:
        contract_ids = contracts_by_currency.get(credit.currency, [])
        while credit.free > 0:
            best: tuple[tuple[date, date, str, str], Doc] | None = None
            for contract_id in contract_ids:
                debit = _head(state.open_debits[contract_id], by_pk)
                if debit is None:
                    continue
                key = (debit.due_date or debit.doc_date, debit.doc_date, contract_id, debit.document_id)
                if best is None or key < best[0]:
                    best = (key, debit)
            if best is None:
                break
            debit = best[1]
            _close(state, debit, credit, min(credit.free, debit.remaining), credit.doc_date)

    if credit.remaining > 0:
        # Queued even when all of it is reserved: a reservation larger than its shipment frees the rest.
        if credit.contract_id is not None:
            state.contract_advances[credit.contract_id].append(credit)
        else:
            state.counterparty_advances[credit.currency].append(credit)


def event_order(doc: Doc) -> tuple[date, int, str, str]:
    return (doc.doc_date, 0 if doc.side > 0 else 1, doc.document_id, doc.kind)


def match_counterparty(
    docs: Iterable[Doc],
    allocations: dict[str, list[tuple[str, int]]] | None = None,
) -> list[Match]:
    """Match one counterparty's documents. `allocations`: payment document_id -> [(shipment_id, amount)].

    Debits need `due_date` set (the caller computes it from the contract's terms and the calendar).
    """
    state = _State()
    _process(state, sorted(docs, key=event_order), {}, allocations or {})
    return state.matches


def _process(
    state: _State,
    ordered: list[Doc],
    known: dict[int, Doc],
    allocations: dict[str, list[tuple[str, int]]],
) -> None:
    """Book `ordered` (in event order) on top of `state`; `known`: documents booked before, by pk."""
    by_pk = {**known, **{doc.pk: doc for doc in ordered}}
    shipments = {doc.document_id: doc for doc in by_pk.values() if doc.kind == "shipment"}
    contracts_by_currency: dict[str, set[str]] = defaultdict(set)
    for doc in by_pk.values():
        if doc.contract_id is not None:
            contracts_by_currency[doc.currency].add(doc.contract_id)
    sorted_contracts = {currency: sorted(ids) for currency, ids in contracts_by_currency.items()}
    for doc in ordered:
        if doc.side > 0:
            _book_debit(state, doc)
            continue
        targets: list[tuple[str, int]] = []
        if doc.kind == "payment":
            targets = sorted(allocations.get(doc.document_id, []))
        elif doc.shipment_id:
            targets = [(doc.shipment_id, doc.amount)]
        _book_credit(state, doc, by_pk, shipments, targets, sorted_contracts)


def continue_counterparty(
    booked: Iterable[Doc],
    new: Iterable[Doc],
    allocations: dict[str, list[tuple[str, int]]] | None = None,
) -> list[Match]:
    """Match documents that come after everything already matched, without matching the rest again.

    `booked`: the counterparty's documents already matched that may still take part: every open debit
    and open credit with its `remaining` (amount less its matches) and `due_date`, plus the shipments the
    new credits name (open or not). Open credits must hold no reservation (no allocation or shipment
    link still waiting for its shipment); the caller checks. `new`: documents whose event order comes
    after every booked document's. The result equals what match_counterparty gives for all documents,
    less the matches that exist already: FIFO state at the end of the old events is exactly the open
    debits (by due date) and the advances (oldest first) that `booked` describes.
    """
    state = _State()
    known: dict[int, Doc] = {}
    for doc in sorted(booked, key=event_order):
        known[doc.pk] = doc
        state.booked.add(doc.pk)
        if doc.remaining <= 0:
            continue
        if doc.side > 0:
            if doc.contract_id is not None:
                due = doc.due_date or doc.doc_date
                heapq.heappush(state.open_debits[doc.contract_id], (due, doc.doc_date, doc.document_id, doc.pk))
        elif doc.contract_id is not None:
            state.contract_advances[doc.contract_id].append(doc)
        else:
            state.counterparty_advances[doc.currency].append(doc)
    _process(state, sorted(new, key=event_order), known, allocations or {})
    return state.matches
