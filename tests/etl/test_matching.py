"""FIFO matching cases worked out by hand (contract section 2), on the pure matcher; and its properties over
generated documents (hypothesis): matching is online, continuing from the open state equals matching
everything, and nothing is overspent."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from etl.matching import Doc, Match, continue_counterparty, event_order, match_counterparty

_pk = iter(range(1, 10_000))


def debit(
    document_id: str, contract: str, day: date, amount: int, due: date | None = None, kind: str = "shipment"
) -> Doc:
    return Doc(next(_pk), kind, document_id, contract, "RUB", day, 1, amount, due or day)


def credit(
    document_id: str,
    contract: str | None,
    day: date,
    amount: int,
    kind: str = "payment",
    shipment_id: str | None = None,
    currency: str = "RUB",
) -> Doc:
    return Doc(next(_pk), kind, document_id, contract, currency, day, -1, amount, None, shipment_id)


def named(matches: list[Match], docs: list[Doc]) -> list[tuple[str, str, int, date]]:
    by_pk = {d.pk: d.document_id for d in docs}
    return [(by_pk[m.debit_pk], by_pk[m.credit_pk], m.amount, m.match_date) for m in matches]


def test_partial_payments_across_two_shipments() -> None:
    # S1 1000.00 due 10.02, S2 500.00 due 20.02; P1 700.00 then P2 600.00.
    # P1 closes 700 of S1; P2 closes the remaining 300 of S1, then 300 of S2; S2 keeps 200.00 open.
    docs = [
        debit("S1", "C1", date(2025, 1, 10), 100_000, date(2025, 2, 10)),
        debit("S2", "C1", date(2025, 1, 20), 50_000, date(2025, 2, 20)),
        credit("P1", "C1", date(2025, 2, 1), 70_000),
        credit("P2", "C1", date(2025, 2, 15), 60_000),
    ]
    assert named(match_counterparty(docs), docs) == [
        ("S1", "P1", 70_000, date(2025, 2, 1)),
        ("S1", "P2", 30_000, date(2025, 2, 15)),
        ("S2", "P2", 30_000, date(2025, 2, 15)),
    ]


def test_first_match_date_is_the_day_of_a_document_first_match() -> None:
    # The same ledger: S1 is first matched by P1 on 01.02 and settled by P2 on 15.02; S2 first matched by
    # P2 on 15.02 and left open; P1 is used up on its day; P2 too (all 60_000 of it on 15.02).
    docs = [
        debit("S1", "C1", date(2025, 1, 10), 100_000, date(2025, 2, 10)),
        debit("S2", "C1", date(2025, 1, 20), 50_000, date(2025, 2, 20)),
        credit("P1", "C1", date(2025, 2, 1), 70_000),
        credit("P2", "C1", date(2025, 2, 15), 60_000),
        credit("P3", "C2", date(2025, 2, 16), 1_000),  # nothing open on C2: never matched
    ]
    match_counterparty(docs)
    assert [(d.document_id, d.first_match, d.settled_date) for d in docs] == [
        ("S1", date(2025, 2, 1), date(2025, 2, 15)),
        ("S2", date(2025, 2, 15), None),
        ("P1", date(2025, 2, 1), date(2025, 2, 1)),
        ("P2", date(2025, 2, 15), date(2025, 2, 15)),
        ("P3", None, None),
    ]


def test_credit_closes_by_due_date_not_by_document_date() -> None:
    # S1 is older but due later (60 days) than S2 (0 days): the payment goes to S2 first.
    docs = [
        debit("S1", "C1", date(2025, 3, 3), 10_000, date(2025, 5, 2)),
        debit("S2", "C1", date(2025, 3, 4), 10_000, date(2025, 3, 4)),
        credit("P1", "C1", date(2025, 3, 10), 15_000),
    ]
    assert named(match_counterparty(docs), docs) == [
        ("S2", "P1", 10_000, date(2025, 3, 10)),
        ("S1", "P1", 5_000, date(2025, 3, 10)),
    ]


def test_prepayment_closes_later_shipment_on_the_shipment_date() -> None:
    docs = [
        credit("P1", "C1", date(2025, 1, 5), 30_000),
        debit("S1", "C1", date(2025, 1, 9), 20_000),
        debit("S2", "C1", date(2025, 1, 12), 20_000),
    ]
    # 300.00 in advance: S1 takes 200.00 on 09.01, S2 the remaining 100.00 on 12.01.
    assert named(match_counterparty(docs), docs) == [
        ("S1", "P1", 20_000, date(2025, 1, 9)),
        ("S2", "P1", 10_000, date(2025, 1, 12)),
    ]


def test_counterparty_level_payment_across_two_contracts() -> None:
    # C1/S1 due 20.02, C2/S2 due 10.02 (earlier): a payment without a contract closes S2 first.
    docs = [
        debit("S1", "C1", date(2025, 1, 10), 40_000, date(2025, 2, 20)),
        debit("S2", "C2", date(2025, 1, 11), 25_000, date(2025, 2, 10)),
        credit("P1", None, date(2025, 2, 1), 50_000),
    ]
    assert named(match_counterparty(docs), docs) == [
        ("S2", "P1", 25_000, date(2025, 2, 1)),
        ("S1", "P1", 25_000, date(2025, 2, 1)),
    ]


def test_counterparty_level_tie_on_due_date_goes_by_date_then_contract() -> None:
    due = date(2025, 2, 10)
    docs = [
        debit("S9", "C2", date(2025, 1, 10), 10_000, due),
        debit("S1", "C1", date(2025, 1, 10), 10_000, due),
        debit("S5", "C1", date(2025, 1, 9), 10_000, due),
        credit("P1", None, date(2025, 2, 1), 25_000),
    ]
    # Same due date: S5 (earlier date) first, then C1/S1 before C2/S9 (contract_id order).
    assert named(match_counterparty(docs), docs) == [
        ("S5", "P1", 10_000, date(2025, 2, 1)),
        ("S1", "P1", 10_000, date(2025, 2, 1)),
        ("S9", "P1", 5_000, date(2025, 2, 1)),
    ]


def test_explicit_allocation_is_honoured_before_fifo() -> None:
    docs = [
        debit("S1", "C1", date(2025, 1, 10), 10_000),
        debit("S2", "C1", date(2025, 1, 11), 10_000),
        credit("P1", "C1", date(2025, 1, 20), 15_000),
    ]
    matches = match_counterparty(docs, {"P1": [("S2", 10_000)]})
    # The allocation takes S2 whole; FIFO gives the remaining 50.00 to S1.
    assert named(matches, docs) == [
        ("S2", "P1", 10_000, date(2025, 1, 20)),
        ("S1", "P1", 5_000, date(2025, 1, 20)),
    ]


def test_allocation_to_a_future_shipment_is_reserved_for_it() -> None:
    docs = [
        credit("P1", "C1", date(2025, 1, 5), 10_000),
        debit("S1", "C1", date(2025, 1, 6), 8_000),
        debit("S2", "C1", date(2025, 1, 7), 6_000),
    ]
    matches = match_counterparty(docs, {"P1": [("S2", 6_000)]})
    # 60.00 of P1 waits for S2; only the free 40.00 may close S1 on 06.01.
    assert named(matches, docs) == [
        ("S1", "P1", 4_000, date(2025, 1, 6)),
        ("S2", "P1", 6_000, date(2025, 1, 7)),
    ]


def test_return_linked_to_its_shipment() -> None:
    docs = [
        debit("S1", "C1", date(2025, 1, 10), 10_000, date(2025, 1, 20)),
        debit("S2", "C1", date(2025, 1, 11), 10_000, date(2025, 1, 21)),
        credit("R1", "C1", date(2025, 1, 15), 3_000, kind="return", shipment_id="S2"),
    ]
    assert named(match_counterparty(docs), docs) == [("S2", "R1", 3_000, date(2025, 1, 15))]


def test_return_larger_than_what_is_open_on_its_shipment_goes_fifo() -> None:
    docs = [
        debit("S1", "C1", date(2025, 1, 10), 10_000),
        debit("S2", "C1", date(2025, 1, 11), 10_000),
        credit("P1", "C1", date(2025, 1, 12), 8_000),  # closes 80.00 of S1
        credit("R1", "C1", date(2025, 1, 13), 5_000, kind="return", shipment_id="S1"),
    ]
    # R1 closes the 20.00 still open on S1, then 30.00 of S2 by FIFO.
    assert named(match_counterparty(docs), docs) == [
        ("S1", "P1", 8_000, date(2025, 1, 12)),
        ("S1", "R1", 2_000, date(2025, 1, 13)),
        ("S2", "R1", 3_000, date(2025, 1, 13)),
    ]


def test_overpayment_is_left_as_an_advance() -> None:
    docs = [debit("S1", "C1", date(2025, 1, 10), 10_000), credit("P1", "C1", date(2025, 1, 15), 12_500)]
    matches = match_counterparty(docs)
    assert named(matches, docs) == [("S1", "P1", 10_000, date(2025, 1, 15))]
    assert docs[1].remaining == 2_500  # 25.00 stays as the contract's advance


def test_new_debit_takes_contract_advance_before_counterparty_advance() -> None:
    docs = [
        credit("P1", None, date(2025, 1, 1), 5_000),  # counterparty advance, older
        credit("P2", "C1", date(2025, 1, 2), 5_000),  # contract advance
        debit("S1", "C1", date(2025, 1, 3), 8_000),
    ]
    assert named(match_counterparty(docs), docs) == [
        ("S1", "P2", 5_000, date(2025, 1, 3)),
        ("S1", "P1", 3_000, date(2025, 1, 3)),
    ]


def test_contract_advance_does_not_close_another_contract() -> None:
    docs = [credit("P1", "C1", date(2025, 1, 1), 5_000), debit("S1", "C2", date(2025, 1, 3), 8_000)]
    assert match_counterparty(docs) == []


def test_same_day_debits_come_before_credits() -> None:
    day = date(2025, 1, 10)
    docs = [credit("A-PAY", "C1", day, 10_000), debit("Z-SHIP", "C1", day, 10_000)]
    # Were the credit first, it would be an advance; it still closes on the same day either way, but
    # the debit-first order makes it a plain payment match.
    assert named(match_counterparty(docs), docs) == [("Z-SHIP", "A-PAY", 10_000, day)]


def test_counterparty_payment_does_not_cross_currencies() -> None:
    usd = Doc(900_001, "shipment", "S-USD", "C-USD", "USD", date(2025, 1, 1), 1, 10_000, date(2025, 1, 1))
    rub = debit("S-RUB", "C1", date(2025, 1, 2), 10_000)
    pay = credit("P1", None, date(2025, 1, 5), 15_000)
    docs = [usd, rub, pay]
    assert named(match_counterparty(docs), docs) == [("S-RUB", "P1", 10_000, date(2025, 1, 5))]


def test_negative_opening_balance_is_an_advance() -> None:
    docs = [
        credit("OB1", "C1", date(2024, 12, 31), 7_000, kind="opening"),
        debit("S1", "C1", date(2025, 1, 10), 10_000),
    ]
    assert named(match_counterparty(docs), docs) == [("S1", "OB1", 7_000, date(2025, 1, 10))]


def test_links_never_cross_currencies() -> None:
    usd = Doc(900_101, "shipment", "S-USD", "C-USD", "USD", date(2025, 1, 1), 1, 10_000, date(2025, 1, 1))
    rub = debit("S-RUB", "C1", date(2025, 1, 2), 10_000)
    ret = credit("R1", "C1", date(2025, 1, 5), 3_000, kind="return", shipment_id="S-USD")
    pay = credit("P1", "C1", date(2025, 1, 6), 2_000)
    docs = [usd, rub, ret, pay]
    # The return names a USD shipment but is in rubles: it goes FIFO on its own contract instead.
    assert named(match_counterparty(docs, {"P1": [("S-USD", 2_000)]}), docs) == [
        ("S-RUB", "R1", 3_000, date(2025, 1, 5)),
        ("S-RUB", "P1", 2_000, date(2025, 1, 6)),
    ]


# -- properties over generated documents -------------------------------------------------------------

START = date(2025, 1, 1)


@st.composite
def document_sets(draw: st.DrawFn) -> tuple[list[Doc], dict[str, list[tuple[str, int]]]]:
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    docs = []
    contracts = ["C1", "C2", "C3"]
    for i in range(rnd.randint(1, 25)):
        day = START + timedelta(days=rnd.randint(0, 40))
        if rnd.random() < 0.5:
            docs.append(
                Doc(
                    i,
                    "shipment",
                    f"S{i:02}",
                    rnd.choice(contracts),
                    "RUB",
                    day,
                    1,
                    rnd.randint(1, 10_000),
                    day + timedelta(days=rnd.choice([0, 3, 10, 30])),
                )
            )
        else:
            kind = rnd.choice(["payment", "payment", "return"])
            contract = rnd.choice([*contracts, None]) if kind == "payment" else rnd.choice(contracts)
            link = f"S{rnd.randrange(25):02}" if kind == "return" and rnd.random() < 0.5 else None
            docs.append(Doc(i, kind, f"P{i:02}", contract, "RUB", day, -1, rnd.randint(1, 10_000), None, link))
    payments = [d.document_id for d in docs if d.kind == "payment"]
    shipments = [d.document_id for d in docs if d.kind == "shipment"]
    allocations: dict[str, list[tuple[str, int]]] = defaultdict(list)
    if payments and shipments:
        for _ in range(rnd.randint(0, 3)):
            allocations[rnd.choice(payments)].append((rnd.choice(shipments), rnd.randint(1, 5_000)))
    return docs, dict(allocations)


def _fresh_docs(docs: list[Doc]) -> list[Doc]:
    return [
        Doc(
            d.pk,
            d.kind,
            d.document_id,
            d.contract_id,
            d.currency,
            d.doc_date,
            d.side,
            d.amount,
            d.due_date,
            d.shipment_id,
        )
        for d in docs
    ]


@given(case=document_sets(), cut=st.integers(0, 41))
@settings(max_examples=300, deadline=None)
def test_matching_as_of_a_date_ignores_later_documents(case: tuple[list[Doc], dict], cut: int) -> None:
    docs, allocations = case
    as_of = START + timedelta(days=cut)
    full = [m for m in match_counterparty(_fresh_docs(docs), allocations) if m.match_date <= as_of]
    prefix = match_counterparty(_fresh_docs([d for d in docs if d.doc_date <= as_of]), allocations)
    assert sorted(full, key=repr) == sorted(prefix, key=repr)


@given(case=document_sets(), cut=st.integers(0, 25))
@settings(max_examples=400, deadline=None)
def test_continuing_from_the_open_state_equals_matching_everything(case: tuple[list[Doc], dict], cut: int) -> None:
    # An incremental load: the first `cut` events were matched before; the rest come now. Continuing from
    # the open debits and advances alone must give the same matches, settled and first match dates as
    # matching all (a document matched before keeps its first match date).
    docs, allocations = case
    everything = _fresh_docs(docs)
    full = match_counterparty(everything, allocations)
    ordered = sorted(_fresh_docs(docs), key=event_order)
    before, after = ordered[:cut], ordered[cut:]
    first = match_counterparty(before, allocations)
    assume(all(d.reserved == 0 for d in before if d.side < 0))  # the loader matches those in full
    more = continue_counterparty(before, after, allocations)
    assert sorted(first + more, key=repr) == sorted(full, key=repr)
    settled = {d.pk: (d.settled_date, d.first_match) for d in everything}
    assert {d.pk: (d.settled_date, d.first_match) for d in before + after} == settled


@pytest.mark.parametrize("amounts", [[100, 250, 75]])
def test_matching_never_overspends(amounts: list[int]) -> None:
    # A payment larger than everything open: all debits close, the rest stays with the credit.
    docs = [Doc(i, "shipment", f"S{i}", "C1", "RUB", START, 1, a, START) for i, a in enumerate(amounts)]
    pay = Doc(99, "payment", "P", "C1", "RUB", START + timedelta(days=1), -1, 1_000)
    matches = match_counterparty([*docs, pay])
    assert sum(m.amount for m in matches) == 425
    assert pay.remaining == 575
