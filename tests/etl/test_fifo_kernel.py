"""The compiled FIFO (etl.kernels) against the reference, etl.matching, on random ledgers: the same matches
(as a multiset), remaining amounts, settled dates and first match dates, from scratch and going on from an
open state, for many counterparties in one call and split over kernel batches."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from etl.kernels import match_frames as kernel
from etl.matching import Doc, continue_counterparty, event_order, match_counterparty

START = date(2025, 1, 1)
Allocations = dict[str, list[tuple[str, int]]]


def _ledger(rnd: random.Random, counterparty: str, first_pk: int, size: int) -> tuple[list[Doc], Allocations]:
    """One counterparty's documents: shipments and debit adjustments, payments (on a contract or the
    counterparty), returns and credit adjustments linked to shipments (some of another counterparty or
    none at all), openings, in two currencies, on few days so that ties are common."""
    contracts = [(f"{counterparty}-C{i}", rnd.choice(["RUB", "RUB", "USD"])) for i in range(rnd.randint(1, 3))]
    docs: list[Doc] = []
    for i in range(size):
        pk = first_pk + i
        day = START + timedelta(days=rnd.randint(0, 12))
        contract, currency = rnd.choice(contracts)
        roll = rnd.random()
        # Ids repeat across kinds: an adjustment may carry a shipment's id (and take what waits for it).
        number = (
            f"S{first_pk + rnd.randrange(size)}" if rnd.random() < 0.3 else f"{counterparty}-{rnd.randint(0, size)}"
        )
        if roll < 0.4:
            due = day + timedelta(days=rnd.choice([0, 0, 3, 10]))
            docs.append(Doc(pk, "shipment", f"S{pk}", contract, currency, day, 1, rnd.randint(1, 9_000), due))
        elif roll < 0.47:
            kind = rnd.choice(["adjustment", "opening"])
            document_id = number if kind == "adjustment" else f"O{pk}"
            docs.append(Doc(pk, kind, document_id, contract, currency, day, 1, rnd.randint(1, 5_000), None))
        elif roll < 0.8:
            on_contract = rnd.random() < 0.7
            currency = currency if on_contract else rnd.choice(["RUB", "RUB", "USD"])
            docs.append(
                Doc(
                    pk,
                    "payment",
                    f"P{pk}",
                    contract if on_contract else None,
                    currency,
                    day,
                    -1,
                    rnd.randint(1, 12_000),
                )
            )
        else:
            kind = rnd.choice(["return", "adjustment", "opening"])
            link = None
            if kind != "opening" and rnd.random() < 0.7:
                link = f"S{first_pk + rnd.randrange(size + 3)}" if rnd.random() < 0.9 else f"S{rnd.randrange(99_999)}"
            document_id = f"R{pk}" if kind == "return" else (number if kind == "adjustment" else f"O{pk}")
            docs.append(Doc(pk, kind, document_id, contract, currency, day, -1, rnd.randint(1, 6_000), None, link))
    payments = [d.document_id for d in docs if d.kind == "payment"]
    shipments = [d.document_id for d in docs if d.kind == "shipment"] + ["S-ELSEWHERE"]
    allocations: Allocations = defaultdict(list)
    for _ in range(rnd.randint(0, 4) if payments else 0):
        payment, shipment = rnd.choice(payments), rnd.choice(shipments)
        if shipment not in {s for s, _ in allocations[payment]}:  # (payment, shipment) is the table's key
            allocations[payment].append((shipment, rnd.randint(1, 8_000)))
    return docs, dict(allocations)


@st.composite
def ledgers(draw: st.DrawFn) -> list[tuple[str, list[Doc], Allocations]]:
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    out = []
    pk = 1
    for i in range(rnd.randint(1, 4)):
        size = rnd.randint(1, 30)
        docs, allocations = _ledger(rnd, f"K{i}", pk, size)
        out.append((f"K{i}", docs, allocations))
        pk += size
    return out


def _fresh(doc: Doc) -> Doc:
    return Doc(
        doc.pk, doc.kind, doc.document_id, doc.contract_id, doc.currency, doc.doc_date, doc.side, doc.amount,
        doc.due_date, doc.shipment_id,
    )  # fmt: skip


def _frame(rows: list[tuple[str, Doc]], pre: set[int] | None = None) -> pl.DataFrame:
    columns = ("pk", "kind", "document_id", "contract_id", "currency", "doc_date", "side", "amount", "due_date")
    frame = pl.DataFrame(
        [(*(getattr(d, c) for c in columns), d.shipment_id, counterparty) for counterparty, d in rows],
        schema=kernel.DOCUMENTS,
        orient="row",
    )
    if pre is None:
        return frame
    remaining = {d.pk: d.remaining for _, d in rows}
    return frame.with_columns(
        pre=pl.col("doc_pk").is_in(list(pre)),
        remaining=pl.col("doc_pk").replace_strict(remaining, return_dtype=pl.Int64),
    )


def _allocations(cases: list[tuple[str, list[Doc], Allocations]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(p, s, a) for _, _, allocations in cases for p, targets in allocations.items() for s, a in targets],
        schema=kernel.ALLOCATIONS,
        orient="row",
    )


State = dict[int, tuple[int, date | None, date | None]]  # doc_pk: remaining, settled date, first match date


def _kernel(
    frame: pl.DataFrame, allocations: pl.DataFrame, batch: int, stored: dict[int, date | None] | None = None
) -> tuple[Counter, State]:
    """The kernel's matches and state; a first match date it leaves out (a document matched before) is the
    one `stored` with the document, as the loader keeps it."""
    matches, state = kernel.match_frames(frame, allocations, batch)
    found = Counter(matches.select("counterparty_id", "debit_pk", "credit_pk", "amount", "match_date").rows())
    stored = stored or {}
    return found, {pk: (left, settled, first or stored.get(pk)) for pk, left, settled, first in state.rows()}


BATCHES = pytest.mark.parametrize("batch", [kernel.BATCH, 7], ids=["one batch", "batches of 7 rows"])


@BATCHES
@given(cases=ledgers())
@settings(max_examples=400, deadline=None)
def test_the_kernel_matches_as_the_reference(batch: int, cases: list[tuple[str, list[Doc], Allocations]]) -> None:
    expected: Counter = Counter()
    state: State = {}
    for counterparty, docs, allocations in cases:
        mine = [_fresh(d) for d in docs]
        for m in match_counterparty(mine, allocations):
            expected[(counterparty, m.debit_pk, m.credit_pk, m.amount, m.match_date)] += 1
        state |= {d.pk: (d.remaining, d.settled_date, d.first_match) for d in mine}
    rows = [(counterparty, _fresh(d)) for counterparty, docs, _ in cases for d in docs]
    assert _kernel(_frame(rows), _allocations(cases), batch) == (expected, state)


@BATCHES
@given(cases=ledgers(), cut=st.floats(0, 1))
@settings(max_examples=400, deadline=None)
def test_the_kernel_goes_on_as_the_reference(
    batch: int, cases: list[tuple[str, list[Doc], Allocations]], cut: float
) -> None:
    # Each counterparty's first events were matched before: the kernel goes on from their open state (the
    # open documents with what is left of each, and every shipment a credit names) as continue_counterparty.
    expected: Counter = Counter()
    state: State = {}
    rows: list[tuple[str, Doc]] = []
    pre: set[int] = set()
    for counterparty, docs, allocations in cases:
        ordered = sorted((_fresh(d) for d in docs), key=event_order)
        at = round(cut * len(ordered))
        before, after = ordered[:at], ordered[at:]
        match_counterparty(before, allocations)
        assume(all(d.reserved == 0 for d in before if d.side < 0))  # else the loader matches from scratch
        links = [[d.shipment_id, *(s for s, _ in allocations.get(d.document_id, []))] for d in ordered if d.side < 0]
        named = {s for targets in links for s in targets}
        booked = [_copy_state(d) for d in before if d.remaining > 0 or d.document_id in named]
        snapshot = [_copy_state(d) for d in booked]
        for m in continue_counterparty(booked, after, allocations):
            expected[(counterparty, m.debit_pk, m.credit_pk, m.amount, m.match_date)] += 1
        state |= {d.pk: (d.remaining, d.settled_date, d.first_match) for d in (*booked, *after)}
        rows += [(counterparty, d) for d in snapshot] + [(counterparty, _fresh(d)) for d in after]
        pre |= {d.pk for d in snapshot}
    stored = {d.pk: d.first_match for _, d in rows if d.pk in pre}
    assert _kernel(_frame(rows, pre), _allocations(cases), batch, stored) == (expected, state)


def _copy_state(doc: Doc) -> Doc:
    """The document as the loader reads it back: what is left of it and its first match date, no last
    match known."""
    copy = _fresh(doc)
    copy.remaining = doc.remaining
    copy.first_match = doc.first_match
    return copy


def test_no_documents_no_matches() -> None:
    matches, state = kernel.match_frames(pl.DataFrame(schema=kernel.DOCUMENTS), pl.DataFrame(schema=kernel.ALLOCATIONS))
    assert matches.is_empty()
    assert state.is_empty()


@BATCHES
def test_documents_without_a_counterparty_are_left_out(batch: int) -> None:
    # A shipment of 100 due 10 January and a payment of 60 on 20 January for K1; a payment of 50 and a
    # shipment of 30 with no counterparty (an unidentified bank line, say), in the frame's middle.
    def doc(pk: int, kind: str, day: int, side: int, amount: int) -> tuple[object, ...]:
        due = date(2026, 1, 10) if side > 0 else None
        return (pk, kind, f"D{pk}", "C1", "RUB", date(2026, 1, day), side, amount, due, None)

    rows = [
        (*doc(1, "shipment", 1, 1, 100), "K1"),
        (*doc(2, "payment", 2, -1, 50), None),
        (*doc(3, "shipment", 3, 1, 30), None),
        (*doc(4, "payment", 20, -1, 60), "K1"),
    ]
    frame = pl.DataFrame(rows, schema=kernel.DOCUMENTS, orient="row")
    matches, state = kernel.match_frames(frame, pl.DataFrame(schema=kernel.ALLOCATIONS), batch)
    assert matches.rows() == [("K1", 1, 4, 60, date(2026, 1, 20))]
    assert sorted(state.rows()) == [(1, 40, None, date(2026, 1, 20)), (4, 0, date(2026, 1, 20), date(2026, 1, 20))]
    only_none = frame.filter(pl.col("counterparty_id").is_null())
    assert [part.is_empty() for part in kernel.match_frames(only_none, pl.DataFrame(schema=kernel.ALLOCATIONS))] == [
        True,
        True,
    ]
