"""A client's own account (queries/client.py) on SQLite and PostgreSQL, over the small ledger
(tests/helpers/ledgers.py) and one more payment; worked out by hand.

Due dates: S1 1 000,00 (C1, 10.01: 10.02), S2 500,00 (C1, 20.01: 19.02), S3 300,50 (C2, 15.01: 29.01),
S5 100,00 (C1, 02.12.2025: 12.01.2026), K2's S4 200,00 (C3, 02.12.2025, terms 0: that day).
P1 1 200,00 (01.02, C1) closes S1 1 000,00 and S2 200,00; P2 400,00 (05.02, K1) closes S3 300,50 and S2
99,50; P3 1 000,00 (05.12.2025, K1) closes S2 200,50 and S5 100,00 and leaves 699,50 as K1's advance.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from etl.load import load_paths
from queries.client import account_by_contract, account_totals, payment_closures, payment_history
from queries.scope import Scope
from tests.helpers.ledgers import source

K1 = Scope(counterparty_ids=("K1",))


def load(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path, advance=True)])


def test_the_account_before_and_after_the_advance(engine: Engine, tmp_path: Path) -> None:
    load(engine, tmp_path)
    with engine.connect() as conn:
        february = account_by_contract(conn, as_of=date(2025, 2, 3), scope=K1)
        totals = account_totals(conn, as_of=date(2025, 2, 3), scope=K1)
        december = account_by_contract(conn, as_of=date(2025, 12, 10), scope=K1)
        december_totals = account_totals(conn, as_of=date(2025, 12, 10), scope=K1)
        before_p3 = account_totals(conn, as_of=date(2025, 12, 4), scope=K1)
        other = account_by_contract(conn, as_of=date(2025, 12, 10), scope=Scope(counterparty_ids=("K2",)))
        nobody = account_totals(conn, as_of=date(2025, 12, 10), scope=Scope(counterparty_ids=("K9",)))
    # 03.02.2025: C1 S2 300,00 not due; C2 S3 300,50 overdue (due 29.01).
    assert february.select("contract_id", "open_debits", "overdue", "not_due", "advance", "balance").rows() == [
        ("C1", 30_000, 0, 30_000, 0, 30_000),
        ("C2", 30_050, 30_050, 0, 0, 30_050),
    ]
    assert totals.rows(named=True) == [
        {
            "currency": "RUB",
            "balance": 60_050,
            "open_debits": 60_050,
            "overdue": 30_050,
            "not_due": 30_000,
            "advance": 0,
            "next_due_date": date(2025, 2, 19),  # S3's 29.01 is past: S2's 19.02 is the next
            "next_due_amount": 30_000,
        }
    ]
    # 04.12.2025, before P3: S2 200,50 overdue and S5 100,00 due 12.01.2026.
    assert before_p3.select("open_debits", "overdue", "next_due_date", "next_due_amount").row(0) == (
        30_050,
        20_050,
        date(2026, 1, 12),
        10_000,
    )
    # 10.12.2025: everything paid, 699,50 left as K1's advance on a row without a contract; no next payment.
    assert december.select("contract_id", "contract_number", "open_debits", "advance", "balance").rows() == [
        (None, None, 0, 69_950, -69_950)
    ]
    assert december_totals.select("open_debits", "advance", "balance", "next_due_date").row(0) == (
        0,
        69_950,
        -69_950,
        None,
    )
    # K2's S4 200,00, 8 days overdue, is K2's alone; a counterparty unknown to the warehouse has nothing.
    assert other.select("contract_id", "overdue").rows() == [("C3", 20_000)]
    assert nobody.height == 0


def test_payments_newest_first_with_the_debits_each_closed(engine: Engine, tmp_path: Path) -> None:
    load(engine, tmp_path)
    period = {"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}
    with engine.connect() as conn:
        payments = payment_history(conn, **period, as_of=date(2025, 12, 10), scope=K1)
        closures = payment_closures(conn, **period, as_of=date(2025, 12, 10), scope=K1)
        early = payment_history(conn, **period, as_of=date(2025, 2, 3), scope=K1)
        others = payment_history(conn, **period, as_of=date(2025, 12, 10), scope=Scope(counterparty_ids=("K2",)))
    assert payments.select("document_id", "doc_date", "contract_number", "amount", "closed", "advance").rows() == [
        ("P3", date(2025, 12, 5), None, 100_000, 30_050, 69_950),
        ("P2", date(2025, 2, 5), None, 40_000, 40_000, 0),
        ("P1", date(2025, 2, 1), "Д-1/25", 120_000, 120_000, 0),
    ]
    pk = dict(zip(payments["document_id"], payments["doc_pk"], strict=True))
    by_payment = {
        name: closures.filter(closures["payment_pk"] == pk[name]).select("number", "amount").rows() for name in pk
    }
    assert by_payment == {
        "P1": [("УПД-1", 100_000), ("УПД-2", 20_000)],
        "P2": [("УПД-3", 30_050), ("УПД-2", 9_950)],
        "P3": [("УПД-2", 20_050), ("УПД-5", 10_000)],
    }
    # Invariant: what a payment closed is the sum of its closures.
    for name, rows in by_payment.items():
        assert sum(amount for _, amount in rows) == payments.filter(payments["document_id"] == name)["closed"][0]
    # As of 03.02.2025 only P1 is dated, and it had closed everything it closes by 01.02.
    assert early.select("document_id", "closed", "advance").rows() == [("P1", 120_000, 0)]
    assert others.height == 0  # K2 paid nothing
