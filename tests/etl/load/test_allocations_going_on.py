"""Allocations and matching that goes on: an allocation whose payment comes with the same load acts when
that payment is booked, after everything matched before, so its counterparty goes on matching from the
open documents; an allocation that would have acted in the past (its payment loaded before) matches the
counterparty again from scratch. Either way the tables equal one load of everything."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from etl.load import load_paths
from tests.helpers.ledgers import CONTRACTS, COUNTERPARTIES, SHIPMENTS, write_files
from tests.helpers.matched import Rows, matched_state
from warehouse.engine import ensure_schema, make_engine

PAYMENTS = "document_id,date,amount,contract_id,counterparty_id,number,purpose\n"
ALLOCATIONS = "payment_id,shipment_id,amount\n"


def tables(engine: Engine) -> tuple[Rows, Rows]:
    """Matches (debit, credit kind and id, counterparty, amount, date) and the documents' dates by keys."""
    return matched_state(engine, "a.document_id, b.kind, b.document_id, m.counterparty_id, m.amount, m.match_date")


def at_once(tmp_path: Path, folders: list[Path]) -> Engine:
    """A SQLite warehouse loaded with every folder's files in one load."""
    engine = make_engine(f"sqlite:///{tmp_path / 'once.db'}", pooled=False)
    ensure_schema(engine)
    load_paths(engine, folders)
    return engine


def test_an_allocation_with_its_new_payment_goes_on_one_of_an_old_payment_matches_again(
    engine: Engine, tmp_path: Path
) -> None:
    # K1's C1: S1 1000,00 (10.01.2025, due 09.02), S2 500,00 (20.01, due 19.02), S5 100,00 (02.12, due 01.01.2026).
    base = write_files(
        tmp_path / "base",
        {"counterparties.csv": COUNTERPARTIES, "contracts.csv": CONTRACTS, "shipments.csv": SHIPMENTS},
    )
    load_paths(engine, [base])
    # P9 (10.12.2025, 600,00 on C1) comes with its allocation of 500,00 to S2: the allocation closes S2 first,
    # FIFO gives the other 100,00 to S1, the earliest due. K1 goes on from its open documents.
    new = write_files(
        tmp_path / "new",
        {"payments.csv": PAYMENTS + "P9,2025-12-10,600,C1,,19,\n", "allocations.csv": ALLOCATIONS + "P9,S2,500\n"},
    )
    result = load_paths(engine, [new])
    assert (result.continued_counterparties, result.rematched_counterparties) == (1, 1)
    matched, documents = tables(engine)
    assert matched == [
        ("S1", "payment", "P9", "K1", 10_000, "2025-12-10"),
        ("S2", "payment", "P9", "K1", 50_000, "2025-12-10"),
    ]
    assert (matched, documents) == tables(at_once(tmp_path / "a", [base, new]))
    # An allocation of P9, loaded before: it acts when P9 is booked (S5 100,00 ahead of FIFO's S1), so K1 is
    # matched again from scratch: S2 500,00 and S5 100,00, S1 left open.
    old = write_files(tmp_path / "old", {"allocations.csv": ALLOCATIONS + "P9,S5,100\n"})
    result = load_paths(engine, [old])
    assert (result.continued_counterparties, result.rematched_counterparties) == (0, 1)
    matched, documents = tables(engine)
    assert matched == [
        ("S2", "payment", "P9", "K1", 50_000, "2025-12-10"),
        ("S5", "payment", "P9", "K1", 10_000, "2025-12-10"),
    ]
    assert (matched, documents) == tables(at_once(tmp_path / "b", [base, new, old]))
    # A changed amount of an allocation loaded before (S2: 500,00 -> 300,00): matched again, S1 takes the 200,00.
    changed = write_files(tmp_path / "changed", {"allocations.csv": ALLOCATIONS + "P9,S2,300\n"})
    result = load_paths(engine, [changed])
    assert (result.continued_counterparties, result.rematched_counterparties) == (0, 1)
    matched, documents = tables(engine)
    assert matched == [
        ("S1", "payment", "P9", "K1", 20_000, "2025-12-10"),
        ("S2", "payment", "P9", "K1", 30_000, "2025-12-10"),
        ("S5", "payment", "P9", "K1", 10_000, "2025-12-10"),
    ]
    final = write_files(
        tmp_path / "final",
        {
            "payments.csv": PAYMENTS + "P9,2025-12-10,600,C1,,19,\n",
            "allocations.csv": ALLOCATIONS + "P9,S2,300\nP9,S5,100\n",
        },
    )
    assert (matched, documents) == tables(at_once(tmp_path / "c", [base, final]))


def test_a_prepayment_allocated_to_a_later_shipment_of_the_same_load_goes_on(engine: Engine, tmp_path: Path) -> None:
    # P8 (03.12.2025, 250,00 on C1) reserves 100,00 for S7, shipped 05.12.2025 in the same load: FIFO gives the
    # free 150,00 to S1 on 03.12, and S7 takes its reserved 100,00 when it is booked.
    base = write_files(
        tmp_path / "base",
        {"counterparties.csv": COUNTERPARTIES, "contracts.csv": CONTRACTS, "shipments.csv": SHIPMENTS},
    )
    load_paths(engine, [base])
    new = write_files(
        tmp_path / "new",
        {
            "shipments.csv": "document_id,contract_id,date,amount\nS7,C1,2025-12-05,100\n",
            "payments.csv": PAYMENTS + "P8,2025-12-03,250,C1,,18,\n",
            "allocations.csv": ALLOCATIONS + "P8,S7,100\n",
        },
    )
    result = load_paths(engine, [new])
    assert (result.continued_counterparties, result.rematched_counterparties) == (1, 1)
    matched, documents = tables(engine)
    assert matched == [
        ("S1", "payment", "P8", "K1", 15_000, "2025-12-03"),
        ("S7", "payment", "P8", "K1", 10_000, "2025-12-05"),
    ]
    assert (matched, documents) == tables(at_once(tmp_path / "a", [base, new]))


def test_an_old_open_payment_allocated_to_a_new_shipment_goes_on_while_the_reservation_fits(
    engine: Engine, tmp_path: Path
) -> None:
    # P7 (03.12.2025, 2 000,00 on C1) closes S1 1 000,00, S2 500,00 and S5 100,00: 400,00 of it stays open.
    base = write_files(
        tmp_path / "base",
        {
            "counterparties.csv": COUNTERPARTIES,
            "contracts.csv": CONTRACTS,
            "shipments.csv": SHIPMENTS,
            "payments.csv": PAYMENTS + "P7,2025-12-03,2000,C1,,17,\n",
        },
    )
    load_paths(engine, [base])
    # S8 (10.12.2025, 300,00) comes with an allocation of 250,00 of P7. From scratch P7 would have reserved
    # 250,00 for S8 on 03.12 and still closed the same three shipments; S8 takes the 250,00 first, then 50,00
    # of P7's free advance. K1 goes on.
    s8 = "document_id,contract_id,date,amount\nS8,C1,2025-12-10,300\n"
    fits = write_files(tmp_path / "fits", {"shipments.csv": s8, "allocations.csv": ALLOCATIONS + "P7,S8,250\n"})
    result = load_paths(engine, [fits])
    assert (result.continued_counterparties, result.rematched_counterparties) == (1, 1)
    matched, documents = tables(engine)
    assert [m for m in matched if m[0] == "S8"] == [
        ("S8", "payment", "P7", "K1", 5_000, "2025-12-10"),
        ("S8", "payment", "P7", "K1", 25_000, "2025-12-10"),
    ]
    assert len(matched) == 5
    assert (matched, documents) == tables(at_once(tmp_path / "a", [base, fits]))


def test_an_old_payment_allocated_beyond_what_is_left_or_to_an_old_shipment_matches_again(
    engine: Engine, tmp_path: Path
) -> None:
    base = write_files(
        tmp_path / "base",
        {
            "counterparties.csv": COUNTERPARTIES,
            "contracts.csv": CONTRACTS,
            "shipments.csv": SHIPMENTS,
            "payments.csv": PAYMENTS + "P7,2025-12-03,2000,C1,,17,\n",
        },
    )
    load_paths(engine, [base])
    # 450,00 of P7 for S8 is more than the 400,00 left: from scratch the reservation leaves P7 50,00 short
    # for S5 on 03.12 (S1 and S2 come first by due date), so K1 is matched again.
    s8 = "document_id,contract_id,date,amount\nS8,C1,2025-12-10,500\n"
    beyond = write_files(tmp_path / "beyond", {"shipments.csv": s8, "allocations.csv": ALLOCATIONS + "P7,S8,450\n"})
    result = load_paths(engine, [beyond])
    assert (result.continued_counterparties, result.rematched_counterparties) == (0, 1)
    matched, documents = tables(engine)
    assert ("S5", "payment", "P7", "K1", 5_000, "2025-12-03") in matched
    assert ("S8", "payment", "P7", "K1", 45_000, "2025-12-10") in matched
    assert (matched, documents) == tables(at_once(tmp_path / "a", [base, beyond]))
    # An allocation of P7 to S3, a shipment loaded before (under C2): it acts on 03.12, so K1 is matched again.
    old = write_files(tmp_path / "old", {"allocations.csv": ALLOCATIONS + "P7,S3,100\n"})
    result = load_paths(engine, [old])
    assert (result.continued_counterparties, result.rematched_counterparties) == (0, 1)
    final = write_files(
        tmp_path / "final", {"shipments.csv": s8, "allocations.csv": ALLOCATIONS + "P7,S8,450\nP7,S3,100\n"}
    )
    assert tables(engine) == tables(at_once(tmp_path / "b", [base, final]))


START = date(2025, 1, 1)
CUT = 45  # days after START: the first load brings the documents dated up to it, the second the rest


Ledger = tuple[dict[str, str], dict[str, str], set[str], set[str], set[str]]


@st.composite
def split_ledgers(draw: st.DrawFn) -> Ledger:
    """Two loads of one ledger: the documents dated up to CUT, then the later ones with allocations.

    Returns the two folders' files, the counterparties the second load brings documents for, those it
    brings an allocation of a payment of the first load to a shipment of the first load for (which must be
    matched again from scratch), and those with an allocation of a payment of the first load to a shipment
    of the second (which may go on).
    With `demo_like` drawn, every allocation comes with the first load as the demo's do: those of a later
    payment are rejected until it arrives, then retried.
    """
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    demo_like = draw(st.booleans())
    n_cp = rnd.randint(1, 3)
    counterparties = "counterparty_id,name,inn\n" + "".join(f"K{i},Клиент {i},\n" for i in range(n_cp))
    contracts = {
        f"C{i}": (f"K{rnd.randrange(n_cp)}", rnd.choice(["RUB", "RUB", "USD"])) for i in range(rnd.randint(1, 4))
    }
    contract_rows = "contract_id,counterparty_id,number,terms_days,terms_basis,currency\n" + "".join(
        f"{c},{cp},Д-{c},{rnd.choice([0, 5, 30])},{rnd.choice(['calendar', 'working'])},{cur}\n"
        for c, (cp, cur) in contracts.items()
    )
    shipments: list[tuple[str, str, int, int]] = []  # id, contract, day, kopecks
    for i in range(rnd.randint(1, 14)):
        shipments.append((f"S{i}", rnd.choice(list(contracts)), rnd.randint(0, 90), rnd.randint(1, 100_000)))
    payments: list[tuple[str, str, str, int, int]] = []  # id, contract ('' for the counterparty's), cp, day, kopecks
    for i in range(rnd.randint(1, 10)):
        contract = rnd.choice(list(contracts))
        cp = contracts[contract][0]
        payments.append(
            (f"P{i}", contract if rnd.random() < 0.6 else "", cp, rnd.randint(0, 90), rnd.randint(1, 150_000))
        )
    allocations: dict[tuple[str, str], int] = {}
    for payment_id, _contract, cp, pay_day, _amount in payments:
        mine = [s for s in shipments if contracts[s[1]][0] == cp and s[2] <= pay_day + 20]
        for shipment_id, *_ in rnd.sample(mine, min(len(mine), rnd.choice([0, 0, 1, 2]))):
            allocations[(payment_id, shipment_id)] = rnd.randint(1, 60_000)

    def files(later: bool) -> dict[str, str]:
        def mine(day: int) -> bool:
            return (day > CUT) == later

        ships = "".join(f"{s},{c},{START + timedelta(days=d)},{k / 100:.2f}\n" for s, c, d, k in shipments if mine(d))
        pays = "".join(
            f"{p},{START + timedelta(days=d)},{k / 100:.2f},{c},{'' if c else cp},,\n"
            for p, c, cp, d, k in payments
            if mine(d)
        )
        out = {"shipments.csv": "document_id,contract_id,date,amount\n" + ships, "payments.csv": PAYMENTS + pays}
        if not later:
            out |= {"counterparties.csv": counterparties, "contracts.csv": contract_rows}
        if later != demo_like:
            out["allocations.csv"] = ALLOCATIONS + "".join(
                f"{p},{s},{k / 100:.2f}\n" for (p, s), k in allocations.items()
            )
        return {name: text for name, text in out.items() if text.count("\n") > 1}

    second_cps = {contracts[c][0] for _s, c, d, _k in shipments if d > CUT} | {
        cp for _p, _c, cp, d, _k in payments if d > CUT
    }
    old_payments = {p: cp for p, _c, cp, d, _k in payments if d <= CUT}
    # An allocation of a first-load payment that the second load brings (demo-like: the first load brought it
    # with its payment unless its shipment is a later one).
    later_shipments = {s for s, _c, d, _k in shipments if d > CUT}
    # An earlier payment's allocation to an earlier shipment that the second load brings: matched again. One
    # to a later shipment (demo-like: retried once the shipment is loaded) may go on if the payment is open.
    touched = {old_payments[p] for p, s in allocations if p in old_payments and s not in later_shipments}
    maybe = {old_payments[p] for p, s in allocations if p in old_payments and s in later_shipments}
    return files(False), files(True), second_cps, set() if demo_like else touched, maybe


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledger=split_ledgers())
def test_two_loads_with_allocations_equal_one(tmp_path_factory: pytest.TempPathFactory, ledger: Ledger) -> None:
    first_files, second_files, second_cps, touched, maybe = ledger
    tmp = tmp_path_factory.mktemp("ledger")
    first = write_files(tmp / "first", first_files)
    second = write_files(tmp / "second", second_files)
    in_two = make_engine(f"sqlite:///{tmp / 'two.db'}", pooled=False)
    ensure_schema(in_two)
    load_paths(in_two, [first])
    later = load_paths(in_two, [second])
    # Every later document is dated after every earlier one and nothing waits for a shipment not loaded:
    # only an allocation of an earlier payment makes a counterparty start again.
    assert later.rematched_counterparties == len(second_cps | touched)
    assert len(second_cps - touched - maybe) <= later.continued_counterparties <= len(second_cps - touched)
    assert tables(in_two) == tables(at_once(tmp, [first, second]))
    in_two.dispose()
