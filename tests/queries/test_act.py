"""The reconciliation act, hand-computed on small ledgers, on SQLite and PostgreSQL.

K1 is the published act: three payments 50 000 + 24 000 + 50 000 and three shipments 49 000 + 25 000
+ 45 000 in the first quarter of 2025: turnovers Dt 119 000,00 / Cr 124 000,00, closing Cr 5 000,00 (an
advance), which opens the second quarter in credit.

K2 has three contracts: C2 opens with a debt of 100,00 (Dt), C3 with an advance of 200,00 (Cr), C4 is in
dollars. Its payment P4 (500,00) has no contract and is spread across the ruble contracts; a return on C2
names a shipment of C3, and a C2 payment is allocated to a C3 shipment booked five days later, so money
crosses contracts both on the credit's own date and later.

Matching of K2 (FIFO, worked out by hand):
  31.12.2024  OB2 (C2, Dt 100, due 31.12) open; OB3 (C3, Cr 200) an advance of C3
  10.01       S5 (C2, 300) open
  12.01       S6 (C3, 150) takes 150 of OB3's advance (50 left)
  20.01       P4 (no contract, 500) closes OB2 100 and S5 300 by due date; 100 stays K2's advance
  03.02       S7 (C3, 200) takes OB3's 50, then P4's 100: 50 open
  10.02       R1 (C2 return 20, shipment S7) closes 20 of S7 the same day
  15.02       P5 (C2, 60, allocated to S9) reserves 60 for S9, which is not booked yet
  20.02       S9 (C3, 80) takes P5's 60: 20 open
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from dashboard.services.acts import act_rows_in
from etl.load import load_paths
from queries.act import ACT_SCHEMA, act, act_balance
from queries.aging import aging
from queries.documents import description_expr
from queries.scope import Scope
from tests.helpers.ledgers import write_files

LEDGER = {
    "counterparties.csv": ("counterparty_id,name,manager\nK1,ООО «Ромашка»,Иванов\nK2,ООО «Лютик»,Петров\n"),
    "contracts.csv": (
        "contract_id,counterparty_id,number,currency,terms_days,credit_limit\n"
        "C1,K1,Д-1/25,RUB,10,100000\n"
        "C2,K2,Д-2,RUB,0,\n"
        "C3,K2,Д-3,RUB,0,\n"
        "C4,K2,Д-4,USD,0,\n"
    ),
    "opening_balances.csv": (
        "document_id,contract_id,date,amount,due_date,number\n"
        "OB2,C2,2024-12-31,100,2024-12-31,ОС-1\n"
        "OB3,C3,2024-12-31,-200,,ОС-2\n"
    ),
    "shipments.csv": (
        "document_id,contract_id,date,amount,number\n"
        "S1,C1,2025-01-15,49000,101\n"
        "S2,C1,2025-02-05,25000,123\n"
        "S3,C1,2025-03-03,45000,130\n"
        "S4,C1,2025-04-10,8000,\n"  # no number: described by its id
        "S5,C2,2025-01-10,300,7\n"
        "S6,C3,2025-01-12,150,8\n"
        "S7,C3,2025-02-03,200,9\n"
        "S8,C4,2025-01-20,1000,1\n"
        "S9,C3,2025-02-20,80,10\n"
    ),
    "payments.csv": (
        "document_id,date,amount,contract_id,counterparty_id,number\n"
        "P1,2025-01-10,50000,C1,,45\n"
        "P2,2025-02-10,24000,C1,,46\n"
        "P3,2025-03-20,50000,C1,,47\n"
        "P4,2025-01-20,500,,K2,12\n"
        "P5,2025-02-15,60,C2,,13\n"
    ),
    "returns.csv": "document_id,contract_id,date,amount,shipment_id,number\nR1,C2,2025-02-10,20,S7,В-1\n",
    "adjustments.csv": (
        "document_id,contract_id,date,amount,shipment_id,number\n"
        "A1,C1,2025-05-05,-1000,,КД-1\n"  # lowers the debt: a credit
        "A2,C1,2025-05-06,500,,КД-2\n"  # raises it: a debit
    ),
    "allocations.csv": "payment_id,shipment_id,amount\nP5,S9,60\n",
}

Q1 = (date(2025, 1, 1), date(2025, 3, 31))
JAN = (date(2025, 1, 1), date(2025, 1, 31))
FEB = (date(2025, 2, 1), date(2025, 2, 28))


def lines(frame: pl.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame.select("kind", "date", "document", "debit", "credit").iter_rows()]


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    result = load_paths(engine, [write_files(tmp_path / "src", LEDGER)])
    assert result.rejected_rows == 0
    assert not result.refused
    return engine


def test_published_act_three_payments_three_shipments(loaded: Engine) -> None:
    with loaded.connect() as conn:
        frame = act(conn, counterparty_id="K1", date_from=Q1[0], date_to=Q1[1])
    assert frame.schema == pl.Schema(ACT_SCHEMA)
    assert lines(frame) == [
        ("opening", date(2025, 1, 1), "Сальдо начальное", 0, None),  # nothing before: 0 in debit
        ("document", date(2025, 1, 10), "Оплата (п/п № 45 от 10.01.2025)", None, 5_000_000),
        ("document", date(2025, 1, 15), "Реализация (№ 101 от 15.01.2025)", 4_900_000, None),
        ("document", date(2025, 2, 5), "Реализация (№ 123 от 05.02.2025)", 2_500_000, None),
        ("document", date(2025, 2, 10), "Оплата (п/п № 46 от 10.02.2025)", None, 2_400_000),
        ("document", date(2025, 3, 3), "Реализация (№ 130 от 03.03.2025)", 4_500_000, None),
        ("document", date(2025, 3, 20), "Оплата (п/п № 47 от 20.03.2025)", None, 5_000_000),
        # 49 000 + 25 000 + 45 000 = 119 000,00; 50 000 + 24 000 + 50 000 = 124 000,00
        ("turnover", None, "Обороты за период", 11_900_000, 12_400_000),
        # 0 + 119 000 - 124 000 = -5 000: the company owes K1 5 000,00 (an advance), in credit
        ("closing", date(2025, 3, 31), "Сальдо конечное", None, 500_000),
    ]
    assert frame.filter(pl.col("kind") == "document")["document_id"].to_list() == ["P1", "S1", "S2", "P2", "S3", "P3"]
    assert set(frame["contract_id"].drop_nulls()) == {"C1"}


def test_act_opening_in_credit(loaded: Engine) -> None:
    with loaded.connect() as conn:
        frame = act(conn, counterparty_id="K1", date_from=date(2025, 4, 1), date_to=date(2025, 6, 30))
    assert lines(frame) == [
        ("opening", date(2025, 4, 1), "Сальдо начальное", None, 500_000),  # Q1's closing advance
        ("document", date(2025, 4, 10), "Реализация (№ S4 от 10.04.2025)", 800_000, None),
        ("document", date(2025, 5, 5), "Корректировка долга (№ КД-1 от 05.05.2025)", None, 100_000),
        ("document", date(2025, 5, 6), "Корректировка долга (№ КД-2 от 06.05.2025)", 50_000, None),
        ("turnover", None, "Обороты за период", 850_000, 100_000),
        # -5 000 + 8 500 - 1 000 = 2 500,00 owed to us
        ("closing", date(2025, 6, 30), "Сальдо конечное", 250_000, None),
    ]


def test_act_opening_in_debit_and_credit_per_contract(loaded: Engine) -> None:
    with loaded.connect() as conn:
        whole = act(conn, counterparty_id="K2", date_from=JAN[0], date_to=JAN[1])
        c2 = act(conn, counterparty_id="K2", date_from=JAN[0], date_to=JAN[1], contract_id="C2")
        c3 = act(conn, counterparty_id="K2", date_from=JAN[0], date_to=JAN[1], contract_id="C3")
    assert lines(whole) == [
        ("opening", date(2025, 1, 1), "Сальдо начальное", None, 10_000),  # OB2 100 - OB3 200
        ("document", date(2025, 1, 10), "Реализация (№ 7 от 10.01.2025)", 30_000, None),
        ("document", date(2025, 1, 12), "Реализация (№ 8 от 12.01.2025)", 15_000, None),
        ("document", date(2025, 1, 20), "Оплата (п/п № 12 от 20.01.2025)", None, 50_000),  # all of P4
        ("turnover", None, "Обороты за период", 45_000, 50_000),
        ("closing", date(2025, 1, 31), "Сальдо конечное", None, 15_000),  # -100 + 450 - 500
    ]
    assert lines(c2) == [
        ("opening", date(2025, 1, 1), "Сальдо начальное", 10_000, None),  # OB2: Dt 100,00
        ("document", date(2025, 1, 10), "Реализация (№ 7 от 10.01.2025)", 30_000, None),
        # Only the 400 of P4 that closed OB2 and S5: its 100 left over is K2's advance, not C2's.
        ("document", date(2025, 1, 20), "Оплата (п/п № 12 от 20.01.2025)", None, 40_000),
        ("turnover", None, "Обороты за период", 30_000, 40_000),
        ("closing", date(2025, 1, 31), "Сальдо конечное", 0, None),
    ]
    assert lines(c3) == [
        ("opening", date(2025, 1, 1), "Сальдо начальное", None, 20_000),  # OB3: Cr 200,00
        ("document", date(2025, 1, 12), "Реализация (№ 8 от 12.01.2025)", 15_000, None),
        ("turnover", None, "Обороты за период", 15_000, 0),
        ("closing", date(2025, 1, 31), "Сальдо конечное", None, 5_000),
    ]


def test_contract_act_shows_counterparty_payments_on_the_match_date(loaded: Engine) -> None:
    with loaded.connect() as conn:
        c3 = act(conn, counterparty_id="K2", date_from=FEB[0], date_to=FEB[1], contract_id="C3")
        c2 = act(conn, counterparty_id="K2", date_from=FEB[0], date_to=FEB[1], contract_id="C2")
        whole = act(conn, counterparty_id="K2", date_from=FEB[0], date_to=FEB[1])
    assert lines(c3) == [
        ("opening", date(2025, 2, 1), "Сальдо начальное", None, 5_000),
        ("document", date(2025, 2, 3), "Реализация (№ 9 от 03.02.2025)", 20_000, None),
        # P4's leftover 100 reaches C3 when S7 takes it, on 03.02, described as the payment it is
        ("document", date(2025, 2, 3), "Оплата (п/п № 12 от 20.01.2025)", None, 10_000),
        ("document", date(2025, 2, 10), "Возврат (№ В-1 от 10.02.2025), по договору Д-2", None, 2_000),
        ("document", date(2025, 2, 20), "Реализация (№ 10 от 20.02.2025)", 8_000, None),
        ("document", date(2025, 2, 20), "Оплата (п/п № 13 от 15.02.2025), по договору Д-2", None, 6_000),
        ("turnover", None, "Обороты за период", 28_000, 18_000),
        # -50 + 280 - 180 = 50,00: S7 30 and S9 20 open
        ("closing", date(2025, 2, 28), "Сальдо конечное", 5_000, None),
    ]
    traced = c3.filter(pl.col("doc_kind") == "payment").select("document_id", "contract_id", "number")
    assert [tuple(r) for r in traced.iter_rows()] == [("P4", None, "12"), ("P5", "C2", "13")]
    assert lines(c2) == [
        ("opening", date(2025, 2, 1), "Сальдо начальное", 0, None),
        # R1 went to S7 (C3) the day it was booked: it never was C2's, so it is not in C2's act.
        ("document", date(2025, 2, 15), "Оплата (п/п № 13 от 15.02.2025)", None, 6_000),
        # P5 sat on C2 as an advance until S9 (C3) took it on 20.02.
        ("document", date(2025, 2, 20), "Оплата (п/п № 13 от 15.02.2025), зачтено по договору Д-3", 6_000, None),
        ("turnover", None, "Обороты за период", 6_000, 6_000),
        ("closing", date(2025, 2, 28), "Сальдо конечное", 0, None),
    ]
    assert lines(whole) == [
        ("opening", date(2025, 2, 1), "Сальдо начальное", None, 15_000),
        ("document", date(2025, 2, 3), "Реализация (№ 9 от 03.02.2025)", 20_000, None),
        ("document", date(2025, 2, 10), "Возврат (№ В-1 от 10.02.2025)", None, 2_000),
        ("document", date(2025, 2, 15), "Оплата (п/п № 13 от 15.02.2025)", None, 6_000),
        ("document", date(2025, 2, 20), "Реализация (№ 10 от 20.02.2025)", 8_000, None),
        ("turnover", None, "Обороты за период", 28_000, 8_000),
        ("closing", date(2025, 2, 28), "Сальдо конечное", 5_000, None),
    ]


def test_a_contract_act_names_its_cross_contract_rows_from_its_columns_in_either_language(loaded: Engine) -> None:
    """The rows of credits matched across contracts carry what names them (the credit's own date, the other
    contract, which way it crossed), so the English page words them by the same rule as the rest; in
    Russian the act is 1C's, as above, byte for byte."""
    with loaded.connect() as conn:
        c3 = act(conn, counterparty_id="K2", date_from=FEB[0], date_to=FEB[1], contract_id="C3")
        c2 = act(conn, counterparty_id="K2", date_from=FEB[0], date_to=FEB[1], contract_id="C2")
    named = ["date", "doc_date", "other_contract", "cross_contract"]
    assert [tuple(r) for r in c3.filter(pl.col("kind") == "document").select(named).iter_rows()] == [
        (date(2025, 2, 3), date(2025, 2, 3), None, None),  # S7, its own
        (date(2025, 2, 3), date(2025, 1, 20), None, "in"),  # P4, a payment without a contract
        (date(2025, 2, 10), date(2025, 2, 10), "Д-2", "in"),  # R1, C2's return on C3's S7
        (date(2025, 2, 20), date(2025, 2, 20), None, None),  # S9
        (date(2025, 2, 20), date(2025, 2, 15), "Д-2", "in"),  # P5 of C2 taken by S9
    ]
    assert [tuple(r) for r in c2.filter(pl.col("kind") == "document").select(named).iter_rows()] == [
        (date(2025, 2, 15), date(2025, 2, 15), None, None),
        (date(2025, 2, 20), date(2025, 2, 15), "Д-3", "out"),
    ]
    assert act_rows_in(c3, "ru").equals(c3)
    assert lines(act_rows_in(c3, "en")) == [
        ("opening", date(2025, 2, 1), "Opening balance", None, 5_000),
        ("document", date(2025, 2, 3), "Shipment (No. 9 of 2025-02-03)", 20_000, None),
        ("document", date(2025, 2, 3), "Payment (payment order No. 12 of 2025-01-20)", None, 10_000),
        ("document", date(2025, 2, 10), "Return (No. В-1 of 2025-02-10), under contract Д-2", None, 2_000),
        ("document", date(2025, 2, 20), "Shipment (No. 10 of 2025-02-20)", 8_000, None),
        (
            "document",
            date(2025, 2, 20),
            "Payment (payment order No. 13 of 2025-02-15), under contract Д-2",
            None,
            6_000,
        ),
        ("turnover", None, "Turnover for the period", 28_000, 18_000),
        ("closing", date(2025, 2, 28), "Closing balance", 5_000, None),
    ]
    assert lines(act_rows_in(c2, "en")) == [
        ("opening", date(2025, 2, 1), "Opening balance", 0, None),
        ("document", date(2025, 2, 15), "Payment (payment order No. 13 of 2025-02-15)", None, 6_000),
        (
            "document",
            date(2025, 2, 20),
            "Payment (payment order No. 13 of 2025-02-15), set off under contract Д-3",
            6_000,
            None,
        ),
        ("turnover", None, "Turnover for the period", 6_000, 6_000),
        ("closing", date(2025, 2, 28), "Closing balance", 0, None),
    ]


def test_opening_balances_described_and_debits_before_credits(loaded: Engine) -> None:
    with loaded.connect() as conn:
        frame = act(conn, counterparty_id="K2", date_from=date(2024, 12, 1), date_to=date(2025, 1, 10))
    assert lines(frame)[:3] == [
        ("opening", date(2024, 12, 1), "Сальдо начальное", 0, None),
        ("document", date(2024, 12, 31), "Начальный остаток (№ ОС-1 от 31.12.2024)", 10_000, None),
        ("document", date(2024, 12, 31), "Начальный остаток (№ ОС-2 от 31.12.2024)", None, 20_000),
    ]
    assert frame["doc_kind"].to_list()[1:3] == ["opening", "opening"]


def test_act_in_another_currency(loaded: Engine) -> None:
    with loaded.connect() as conn:
        usd = act(conn, counterparty_id="K2", date_from=JAN[0], date_to=JAN[1], currency="USD")
        # With a contract the contract's currency rules, whatever `currency` says.
        c4 = act(conn, counterparty_id="K2", date_from=JAN[0], date_to=JAN[1], contract_id="C4", currency="RUB")
    expected = [
        ("opening", date(2025, 1, 1), "Сальдо начальное", 0, None),
        ("document", date(2025, 1, 20), "Реализация (№ 1 от 20.01.2025)", 100_000, None),
        ("turnover", None, "Обороты за период", 100_000, 0),
        ("closing", date(2025, 1, 31), "Сальдо конечное", 100_000, None),
    ]
    assert lines(usd) == expected
    assert lines(c4) == expected


ACTS = [  # (counterparty, currency, contract): the whole counterparty in a currency, and each contract
    ("K1", "RUB", None),
    ("K1", "RUB", "C1"),
    ("K2", "RUB", None),
    ("K2", "RUB", "C2"),
    ("K2", "RUB", "C3"),
    ("K2", "USD", None),
    ("K2", "USD", "C4"),
]


def test_act_invariants_against_aging(loaded: Engine) -> None:
    """closing = opening + Dt - Ct; the act's closing is the aging balance (the counterparty's rows in that
    currency, or the contract's row); one period's closing opens the next."""
    start, later = date(2024, 12, 1), date(2026, 1, 31)
    ends = [date(2024, 12, 31), date(2025, 1, 11), date(2025, 1, 31), date(2025, 2, 10), date(2025, 2, 17)]
    ends += [date(2025, 2, 20), date(2025, 3, 31), date(2025, 5, 5), date(2025, 12, 31)]
    with loaded.connect() as conn:
        for date_to in ends:
            rows = aging(conn, as_of=date_to)
            for counterparty_id, currency, contract_id in ACTS:
                period = {"counterparty_id": counterparty_id, "contract_id": contract_id, "currency": currency}
                frame = act(conn, date_from=start, date_to=date_to, **period)
                following = act(conn, date_from=date_to + timedelta(days=1), date_to=later, **period)
                turnover = frame.filter(pl.col("kind") == "turnover")
                documents = frame.filter(pl.col("kind") == "document")
                debit, credit = turnover["debit"][0], turnover["credit"][0]
                assert (debit, credit) == (documents["debit"].sum(), documents["credit"].sum())
                assert act_balance(frame) == act_balance(frame, "opening") + debit - credit
                mine = rows.filter(pl.col("counterparty_id") == counterparty_id, pl.col("currency") == currency)
                if contract_id is not None:
                    mine = mine.filter(pl.col("contract_id") == contract_id)
                assert act_balance(frame) == mine["balance"].sum(), (date_to, period)
                assert act_balance(following, "opening") == act_balance(frame)


def test_contract_advance_sits_on_the_contract_row(loaded: Engine) -> None:
    with loaded.connect() as conn:
        frame = act(conn, counterparty_id="K2", date_from=JAN[0], date_to=JAN[1], contract_id="C3")
        rows = aging(conn, as_of=JAN[1])
        before_s9 = act(conn, counterparty_id="K2", date_from=FEB[0], date_to=date(2025, 2, 17), contract_id="C2")
        rows_17 = aging(conn, as_of=date(2025, 2, 17))
    c3 = rows.filter(pl.col("contract_id") == "C3")
    assert (c3["balance"][0], c3["advance"][0]) == (-5_000, 5_000)
    assert act_balance(frame) == -5_000
    # P5 reserved for S9 is C2's advance until S9 is booked on 20.02.
    c2 = rows_17.filter(pl.col("contract_id") == "C2")
    assert (c2["balance"][0], c2["advance"][0]) == (-6_000, 6_000)
    assert act_balance(before_s9) == -6_000


def test_scope_outside_gives_an_empty_act(loaded: Engine) -> None:
    with loaded.connect() as conn:
        hidden = act(conn, counterparty_id="K1", date_from=Q1[0], date_to=Q1[1], scope=Scope.for_manager("Петров"))
        own = act(conn, counterparty_id="K2", date_from=JAN[0], date_to=JAN[1], scope=Scope.for_manager("Петров"))
        unknown = act(conn, counterparty_id="K9", date_from=Q1[0], date_to=Q1[1])
        foreign_contract = act(conn, counterparty_id="K1", date_from=Q1[0], date_to=Q1[1], contract_id="C2")
        other_currency = act(
            conn, counterparty_id="K2", date_from=JAN[0], date_to=JAN[1], scope=Scope(currencies=("USD",))
        )
        narrowed = act(conn, counterparty_id="K2", date_from=FEB[0], date_to=FEB[1], scope=Scope(contract_ids=("C3",)))
        c3 = act(conn, counterparty_id="K2", date_from=FEB[0], date_to=FEB[1], contract_id="C3")
        outside_contract = act(
            conn,
            counterparty_id="K2",
            date_from=FEB[0],
            date_to=FEB[1],
            contract_id="C2",
            scope=Scope(contract_ids=("C3",)),
        )
    for empty in (hidden, unknown, foreign_contract, other_currency, outside_contract):
        assert empty.height == 0
        assert empty.schema == pl.Schema(ACT_SCHEMA)
    assert own.height == 6
    # A scope narrowed to one contract gives that contract's act.
    assert narrowed.equals(c3)


def test_empty_period_and_bad_period(loaded: Engine) -> None:
    with loaded.connect() as conn:
        quiet = act(conn, counterparty_id="K1", date_from=date(2025, 7, 1), date_to=date(2025, 7, 31))
        with pytest.raises(ValueError, match="starts after it ends"):
            act(conn, counterparty_id="K1", date_from=date(2025, 2, 1), date_to=date(2025, 1, 31))
    assert lines(quiet) == [
        ("opening", date(2025, 7, 1), "Сальдо начальное", 250_000, None),
        ("turnover", None, "Обороты за период", 0, 0),
        ("closing", date(2025, 7, 31), "Сальдо конечное", 250_000, None),
    ]


def document_description(kind: str, number: str, document_id: str, doc_date: date) -> str:
    """One document named by the rule the act's frames use (queries.documents.description_expr)."""
    one = pl.DataFrame({"kind": [kind], "number": [number], "document_id": [document_id], "doc_date": [doc_date]})
    return str(one.select(description_expr())[0, 0])


def test_1c_descriptions() -> None:
    day = date(2025, 2, 5)
    assert document_description("shipment", "123", "S1", day) == "Реализация (№ 123 от 05.02.2025)"
    assert document_description("shipment", "", "S1", day) == "Реализация (№ S1 от 05.02.2025)"
    assert document_description("payment", "45", "P1", date(2025, 2, 10)) == "Оплата (п/п № 45 от 10.02.2025)"
    assert document_description("return", "В-1", "R1", day) == "Возврат (№ В-1 от 05.02.2025)"
    assert document_description("adjustment", "", "A1", day) == "Корректировка долга (№ A1 от 05.02.2025)"
    assert document_description("opening", "ОС-1", "OB1", day) == "Начальный остаток (№ ОС-1 от 05.02.2025)"
