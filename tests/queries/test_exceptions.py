"""The credit controller's exception list, hand-computed on a small ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, event, text

from dashboard.services.wording import exceptions_worded
from domain.money import money_en, money_ru
from etl.load import load_paths
from queries.exceptions import EXCEPTION_SCHEMA, ExceptionRules, exceptions
from queries.scope import Scope
from queries.stoplist import StopRules
from tests.helpers.cli import invoke
from tests.helpers.ledgers import write_files
from tests.helpers.shipped_recount import random_ledger, recount

AS_OF = date(2025, 3, 31)  # a Monday; the default look-back window starts on 31.12.2024

# Every due date is given on the shipment, so no working-day rule is involved.
LEDGER = {
    "counterparties.csv": (
        "counterparty_id,name,manager\nK1,ООО «Альфа»,Анна\nK2,ООО «Бета»,Борис\nK3,ООО «Гамма»,Борис\n"
        "K4,ООО «Дельта»,Анна\n"
    ),
    "contracts.csv": (
        "contract_id,counterparty_id,number,terms_days,credit_limit\n"
        "C1,K1,Д-1,0,1000\n"  # 1 250.00 open on 31.03: 250.00 over the limit
        "C2,K2,Д-2,0,500\n"  # 180.00 open: 36 %, nothing to say
        "C3,K3,Д-3,0,1000\n"  # 900.00 open: exactly 90 %, near the limit
        "C4,K3,Д-4,0,\n"  # no limit
        "C5,K4,Д-5,0,0\n"  # prepayment only; an advance is no excess
    ),
    "shipments.csv": (
        "document_id,contract_id,date,amount,number,due_date\n"
        "S1,C1,2025-01-10,800,УПД-1,2025-02-10\n"  # P1 pays 300.00 on 20.02: 500.00 open, 49 days overdue
        "S2,C1,2025-03-03,600,УПД-2,2025-03-30\n"  # S1 21 days overdue that day; itself 1 day overdue on 31.03
        "S3,C1,2025-03-10,100,УПД-3,2025-03-31\n"  # S1 28 days overdue that day; due on 31.03 itself
        "S4,C1,2025-03-20,50,УПД-4,2025-04-01\n"  # S1 38 days overdue that day; not due on 31.03
        "S5,C2,2025-02-03,200,УПД-5,2025-02-14\n"  # paid in full by P2 on 05.03
        "S6,C2,2025-03-05,100,УПД-6,2025-03-15\n"  # shipped the day S5 was paid: fine; 16 days overdue on 31.03
        "S7,C2,2025-03-15,50,УПД-7,2025-04-15\n"  # shipped the day S6 fell due: S6 is overdue from 16.03 only
        "S8,C2,2025-03-16,30,УПД-8,2025-04-15\n"  # S6 1 day overdue that day
        "S9,C3,2025-03-25,950,УПД-9,2025-04-25\n"  # S10 84 days overdue that day (other contract)
        "S10,C4,2024-12-01,300,УПД-10,2024-12-31\n"  # 90 days overdue on 31.03, never paid
        "S99,C1,2025-03-01,12.345,УПД-99,\n"  # line 12: rejected, three decimals
    ),
    "returns.csv": "document_id,contract_id,date,amount,shipment_id,number\nR1,C3,2025-03-26,50,S9,В-1\n",
    "payments.csv": (
        "document_id,date,amount,contract_id,counterparty_id,number,purpose\n"
        "P1,2025-02-20,300,C1,,11,Оплата по договору Д-1\n"  # K1's last payment: 39 days before 31.03
        "P2,2025-03-05,200,C2,,12,Оплата\n"  # K2's last payment: 26 days before, under 30
        "P4,2025-03-12,400,C5,,14,Предоплата\n"  # nothing to close: an advance of C5
        "P5,2025-03-14,150,,K4,15,Оплата\n"  # no contract, nothing open: an advance of K4
    ),
}

STATEMENT = """1CClientBankExchange
ВерсияФормата=1.03
Кодировка=Windows
РасчСчет=40702810900000000001
СекцияРасчСчет
РасчСчет=40702810900000000001
КонецРасчСчет
СекцияДокумент=Платежное поручение
Номер=501
Дата=28.03.2025
Сумма=1234.56
ПлательщикСчет=40702810500000000888
ПлательщикИНН=500100732259
Плательщик1=ИП Неизвестный
ПолучательСчет=40702810900000000001
ПолучательИНН=7728168971
ДатаПоступило=28.03.2025
НазначениеПлатежа=Оплата по счёту 77
КонецДокумента
СекцияДокумент=Платежное поручение
Номер=502
Дата=02.04.2025
Сумма=10.00
ПлательщикСчет=40702810500000000888
ПлательщикИНН=500100732259
Плательщик1=ИП Неизвестный
ПолучательСчет=40702810900000000001
ПолучательИНН=7728168971
ДатаПоступило=02.04.2025
НазначениеПлатежа=Оплата
КонецДокумента
КонецФайла
"""


@pytest.fixture
def ledger(engine: Engine, tmp_path: Path) -> Engine:
    folder = write_files(tmp_path / "src", LEDGER)
    write_files(folder, {"statement.txt": STATEMENT}, encoding="cp1251")
    load_paths(engine, [folder])
    return engine


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in frame.select(columns).iter_rows()]


def unidentified_id(engine: Engine) -> str:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT document_id FROM documents WHERE counterparty_id IS NULL AND amount = 123456")
        ).scalar_one()


def test_each_code_fires_exactly_where_it_should(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = exceptions(conn, as_of=AS_OF)
    assert frame.schema == pl.Schema(EXCEPTION_SCHEMA)
    bank = unidentified_id(ledger)
    # By severity, then amount (largest first); equal amounts by code.
    assert rows(frame, "severity", "code", "counterparty_id", "contract_id", "document_id", "amount", "days") == [
        # K1 has 500.00 (S1) + 600.00 (S2) overdue and last paid on 20.02: 39 days.
        ("high", "no_payment_recently", "K1", None, None, 110_000, 39),
        # On 25.03 S10 (due 31.12.2024, other contract) was 84 days overdue. A shipment that broke a stop
        # rule (over 30 days overdue, or over the contract's limit) is high.
        ("high", "shipped_while_overdue", "K3", "C3", "S9", 95_000, 84),
        # On 03.03 S1 (due 10.02) was 21 days overdue with 500.00 open.
        ("high", "shipped_while_overdue", "K1", "C1", "S2", 60_000, 21),
        ("high", "overdue", "K1", "C1", "S1", 50_000, 49),  # 800 - 300, due 10.02
        ("high", "no_payment_recently", "K3", None, None, 30_000, None),  # never paid
        ("high", "overdue", "K3", "C4", "S10", 30_000, 90),  # due 31.12.2024
        ("high", "credit_limit_exceeded", "K1", "C1", None, 25_000, None),  # 500 + 600 + 100 + 50 - 1000
        ("high", "shipped_while_overdue", "K1", "C1", "S3", 10_000, 28),  # S1 on 10.03
        ("high", "shipped_while_overdue", "K1", "C1", "S4", 5_000, 38),  # S1 on 20.03 (S2 due 30.03 is not yet)
        ("medium", "unidentified_payment", None, None, bank, 123_456, 3),  # received 28.03
        ("medium", "credit_limit_near", "K3", "C3", None, 90_000, None),  # 950 - 50 returned = 90 % of 1000
        ("medium", "overdue", "K1", "C1", "S2", 60_000, 1),  # due 30.03
        ("medium", "overdue", "K2", "C2", "S6", 10_000, 16),  # due 15.03
        # S6 (due 15.03) one day late on 16.03, C2 within its limit: no stop rule broken, so medium.
        ("medium", "shipped_while_overdue", "K2", "C2", "S8", 3_000, 1),
        ("medium", "rejected_row", None, None, "S99", None, None),
        ("low", "advance", "K4", "C5", "P4", 40_000, 19),  # received 12.03
        ("low", "advance", "K4", None, "P5", 15_000, 17),  # the counterparty's, received 14.03
        ("low", "due_today", "K1", "C1", "S3", 10_000, 0),
    ]
    # Not there: S5 (paid), S6 (shipped the day S5 was paid), S7 (the day S6 fell due), S4 and S9 (not due),
    # K2 in no_payment_recently (paid 26 days ago), C2 and C5 against their limits, payment 502 (dated 02.04).
    assert frame.filter(pl.col("counterparty_id") == "K1")["counterparty_name"].unique().to_list() == ["ООО «Альфа»"]
    assert frame.filter(pl.col("counterparty_id").is_null())["counterparty_name"].to_list() == [None, None]


def test_detail_is_a_russian_sentence_for_each_code(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = exceptions_worded(exceptions(conn, as_of=AS_OF))
    detail = {(code, key): text for code, key, text in rows(frame, "code", "document_id", "detail")}
    detail |= {
        (code, counterparty_id): text
        for code, counterparty_id, document_id, text in rows(frame, "code", "counterparty_id", "document_id", "detail")
        if document_id is None
    }
    assert detail["overdue", "S1"] == "Просрочено 49 дн.: УПД-1 от 10.01.2025, остаток 500,00 ₽"
    assert detail["due_today", "S3"] == "Срок оплаты сегодня: УПД-3 от 10.03.2025, остаток 100,00 ₽"
    assert detail["credit_limit_exceeded", "K1"] == (
        "Превышен кредитный лимит по договору Д-1: баланс 1 250,00 ₽ при лимите 1 000,00 ₽, превышение 250,00 ₽"
    )
    assert detail["credit_limit_near", "K3"] == (
        "Кредитный лимит по договору Д-3 использован на 90%: баланс 900,00 ₽ при лимите 1 000,00 ₽"
    )
    assert detail["shipped_while_overdue", "S2"] == (
        "Отгрузка УПД-2 от 03.03.2025 на 600,00 ₽ при просроченном долге 500,00 ₽ (до 21 дн.)"
    )
    assert detail["no_payment_recently", "K1"] == "Нет оплат 39 дн. (последняя 20.02.2025), просрочено 1 100,00 ₽"
    assert detail["no_payment_recently", "K3"] == "Оплат не было ни разу, просрочено 300,00 ₽"
    assert detail["unidentified_payment", unidentified_id(ledger)] == (
        "Неопознанный платёж № 501 от 28.03.2025 на 1 234,56 ₽: ИП Неизвестный, ИНН 500100732259;"
        " назначение: «Оплата по счёту 77»"
    )
    assert detail["advance", "P4"] == "Не зачтено 400,00 ₽: платёж № 14 от 12.03.2025 (по договору Д-5)"
    assert detail["advance", "P5"] == "Не зачтено 150,00 ₽: платёж № 15 от 14.03.2025 (без договора)"
    assert detail["rejected_row", "S99"].startswith("shipments.csv:12 amount «12.345» — ")
    english = {(code, doc): text for code, doc, text in rows(frame, "code", "document_id", "detail_en")}
    assert english["overdue", "S1"] == "Overdue 49 d: УПД-1 of 2025-01-10, open 500.00 RUB"
    assert english["shipped_while_overdue", "S2"] == (
        "Shipment УПД-2 of 2025-03-03 for 600.00 RUB while 500.00 RUB was overdue (up to 21 d)"
    )


def test_money_is_formatted_exactly_in_russian_style() -> None:
    assert money_ru(1_234_567, "RUB") == "12 345,67 ₽"
    assert money_ru(5, "RUB") == "0,05 ₽"
    assert money_ru(-123_456_789, "USD") == "-1 234 567,89 USD"
    # Far beyond a float's 15-16 significant digits, still to the kopeck.
    assert money_ru(12_345_678_901_234_567_891, "RUB") == "123 456 789 012 345 678,91 ₽"
    assert money_en(1_234_567, "EUR") == "12,345.67 EUR"


def test_rules_move_the_thresholds(ledger: Engine) -> None:
    def codes(**rules: int) -> list[tuple]:
        with ledger.connect() as conn:
            frame = exceptions(conn, as_of=AS_OF, rules=ExceptionRules(**rules))
        return rows(frame, "code", "counterparty_id", "document_id", "severity")

    def shipped(**rules: int) -> set[str]:
        return {doc for code, _, doc, _ in codes(**rules) if code == "shipped_while_overdue"}

    # Overdue by more than 21 days on the day: S2 (21) and S8 (1) drop out.
    assert shipped(shipped_while_overdue_days=21) == {"S3", "S4", "S9"}
    assert shipped(shipped_while_overdue_days=20) == {"S2", "S3", "S4", "S9"}
    # The window [D - lookback, D] includes its first day: 20.03 is 11 days before 31.03.
    assert shipped(lookback_days=10) == {"S9"}
    assert shipped(lookback_days=11) == {"S4", "S9"}
    assert shipped(lookback_days=0) == set()
    assert ("credit_limit_near", "K3", None, "medium") not in codes(credit_limit_near_percent=91)
    # No payment in the last N days: K1's last was 39 days ago.
    assert ("no_payment_recently", "K1", None, "high") in codes(no_payment_days=39)
    assert ("no_payment_recently", "K1", None, "high") not in codes(no_payment_days=40)
    assert ("no_payment_recently", "K3", None, "high") in codes(no_payment_days=40)  # never paid
    # S1 is 49 days overdue with 500.00 open.
    assert ("overdue", "K1", "S1", "medium") in codes(high_overdue_days=49)
    assert ("overdue", "K1", "S1", "high") in codes(high_overdue_days=49, large_overdue_amount=50_000)
    with pytest.raises(ValueError, match="lookback_days"):
        ExceptionRules(lookback_days=-1)
    with pytest.raises(ValueError, match="credit_limit_near_percent"):
        ExceptionRules(credit_limit_near_percent=0)


def amount_only(overdue_amount: int) -> StopRules:
    """The stop-list's overdue_amount rule alone (no debt is 100 days overdue on any shipment's date)."""
    return StopRules(overdue_days=100, overdue_amount=overdue_amount, credit_limit=False)


def stop_rules_of(engine: Engine, as_of: date = AS_OF, **kwargs: object) -> dict[str, str]:
    """shipment -> stop_rules of its shipped_while_overdue row."""
    with engine.connect() as conn:
        frame = exceptions(conn, as_of=as_of, **kwargs)  # type: ignore[arg-type]
    assert set(frame.filter(pl.col("code") != "shipped_while_overdue")["stop_rules"]) <= {""}
    return dict(rows(frame.filter(pl.col("code") == "shipped_while_overdue"), "document_id", "stop_rules"))


def test_shipped_while_overdue_names_the_stop_rules_broken_on_the_shipments_date(ledger: Engine) -> None:
    # Default stop rules: more than 30 days overdue, no amount threshold, credit limits on. On the shipment's
    # date (not on 31.03):
    # - S9 25.03: K3's S10 84 days overdue (> 30); C3 balance S9 950.00 (R1 comes on 26.03) <= 1 000.00.
    # - S2 03.03: S1 21 days; C1 balance S1 500.00 (800 - P1 300) + S2 600.00 = 1 100.00 > 1 000.00.
    # - S3 10.03: S1 28 days; C1 1 100.00 + S3 100.00 = 1 200.00 > 1 000.00.
    # - S4 20.03: S1 38 days (> 30); C1 1 200.00 + S4 50.00 = 1 250.00 > 1 000.00.
    # - S8 16.03: S6 1 day; C2 S6 100.00 + S7 50.00 + S8 30.00 = 180.00 <= 500.00 (S5 paid): no rule broken.
    assert stop_rules_of(ledger) == {
        "S9": "overdue_days",
        "S2": "credit_limit",
        "S3": "credit_limit",
        "S4": "overdue_days,credit_limit",
        "S8": "",
    }
    # S9's 84 days: more than 83, not more than 84.
    assert stop_rules_of(ledger, stop_rules=StopRules(overdue_days=83))["S9"] == "overdue_days"
    assert stop_rules_of(ledger, stop_rules=StopRules(overdue_days=84)) == {
        "S9": "",
        "S2": "credit_limit",
        "S3": "credit_limit",
        "S4": "credit_limit",
        "S8": "",
    }
    assert stop_rules_of(ledger, stop_rules=StopRules(credit_limit=False)) == {
        "S9": "overdue_days",
        "S2": "",
        "S3": "",
        "S4": "overdue_days",
        "S8": "",
    }
    # The other columns do not move with the stop rules; the severity does: a shipment that broke one is high.
    with ledger.connect() as conn:
        default = exceptions(conn, as_of=AS_OF)
        strict = exceptions(conn, as_of=AS_OF, stop_rules=StopRules(overdue_days=0, overdue_amount=1))
    assert (
        default.drop("stop_rules", "severity")
        .sort("code", "document_id")
        .equals(strict.drop("stop_rules", "severity").sort("code", "document_id"))
    )
    shipped = pl.col("code") == "shipped_while_overdue"
    assert rows(default.filter(shipped & (pl.col("severity") == "medium")), "document_id") == [("S8",)]
    assert strict.filter(shipped)["severity"].unique().to_list() == ["high"]  # S8 too: any overdue debt stops


def test_overdue_amount_stop_rule_on_the_shipments_date(ledger: Engine) -> None:
    # Overdue on the day: S2, S3, S4: S1 500.00 (S2 is due 30.03, after S4's 20.03); S9: S10 300.00 (S9 itself
    # is not due); S8: S6 100.00 (S7 due 15.04). Above 300.00: S2, S3, S4; S9 is not above it (equal).
    assert stop_rules_of(ledger, stop_rules=amount_only(30_000)) == {
        "S9": "",
        "S2": "overdue_amount",
        "S3": "overdue_amount",
        "S4": "overdue_amount",
        "S8": "",
    }
    assert stop_rules_of(ledger, stop_rules=amount_only(29_999))["S9"] == "overdue_amount"
    assert stop_rules_of(ledger, stop_rules=amount_only(9_999))["S8"] == "overdue_amount"
    assert stop_rules_of(ledger, stop_rules=amount_only(10_000))["S8"] == ""
    # All three, in the order of the stop-list's reasons.
    assert stop_rules_of(ledger, stop_rules=StopRules(overdue_days=30, overdue_amount=30_000))["S4"] == (
        "overdue_days,overdue_amount,credit_limit"
    )


def test_the_overdue_amount_counts_debts_under_the_exception_threshold(engine: Engine, tmp_path: Path) -> None:
    # The ledger plus S11 (C1, 10.00) shipped on 31.03: S1 500.00 is 49 days overdue that day, S2 600.00 (due
    # 30.03) 1 day. With shipped_while_overdue_days 30 only S1 makes it an exception (detail 500.00, up to 49
    # days), but the stop-list's overdue amount is every overdue debt: 500.00 + 600.00 = 1 100.00.
    files = dict(LEDGER)
    files["shipments.csv"] = LEDGER["shipments.csv"] + "S11,C1,2025-03-31,10,УПД-11,2025-04-30\n"
    load_paths(engine, [write_files(tmp_path / "src", files)])
    rules = ExceptionRules(shipped_while_overdue_days=30)
    with engine.connect() as conn:
        frame = exceptions(conn, as_of=AS_OF, rules=rules, stop_rules=amount_only(109_999))
    frame = exceptions_worded(frame.filter(pl.col("code") == "shipped_while_overdue"))
    # S9 (S10 84 days) and S4 (S1 38 days on 20.03) stay; S2 (21 days), S3 (28) and S8 (1) drop out. S11
    # broke the rule (high) and comes first; S9 and S4 broke none (medium).
    assert rows(frame, "document_id", "days", "stop_rules", "severity") == [
        ("S11", 49, "overdue_amount", "high"),  # 1 100.00 > 1 099.99
        ("S9", 84, "", "medium"),  # 300.00 overdue that day
        ("S4", 38, "", "medium"),  # 500.00
    ]
    assert frame.filter(pl.col("document_id") == "S11")["detail"].item() == (
        "Отгрузка УПД-11 от 31.03.2025 на 10,00 ₽ при просроченном долге 500,00 ₽ (до 49 дн.)"
    )
    assert stop_rules_of(engine, rules=rules, stop_rules=amount_only(110_000))["S11"] == ""
    # C1 on 31.03: S1 500.00 + S2 600.00 + S3 100.00 + S4 50.00 + S11 10.00 = 1 260.00 > 1 000.00.
    assert stop_rules_of(engine, rules=rules)["S11"] == "overdue_days,credit_limit"


def test_credit_limit_stop_rule_takes_the_balance_of_the_shipments_date(engine: Engine, tmp_path: Path) -> None:
    # The ledger with C1's limit at 1 150.00 and C3's at 920.00. C1 on the shipments' dates: 03.03 S1 500.00 +
    # S2 600.00 = 1 100.00 (not above), 10.03 + S3 100.00 = 1 200.00 (above), 20.03 + S4 50.00 = 1 250.00.
    # C3 on 25.03: S9 950.00, above 920.00, although on 31.03 it is 900.00 (R1 returned 50.00 on 26.03).
    files = dict(LEDGER)
    files["contracts.csv"] = (
        LEDGER["contracts.csv"]
        .replace("C1,K1,Д-1,0,1000", "C1,K1,Д-1,0,1150")
        .replace("C3,K3,Д-3,0,1000", "C3,K3,Д-3,0,920")
    )
    assert files["contracts.csv"].count("1150") == files["contracts.csv"].count(",920") == 1
    load_paths(engine, [write_files(tmp_path / "src", files)])
    assert stop_rules_of(engine) == {
        "S9": "overdue_days,credit_limit",
        "S2": "",
        "S3": "credit_limit",
        "S4": "overdue_days,credit_limit",
        "S8": "",
    }
    # As of 04.03 the window's only such shipment is S2, and C1 held 1 100.00 on 03.03 as on 04.03.
    assert stop_rules_of(engine, as_of=date(2025, 3, 4)) == {"S2": ""}
    with engine.connect() as conn:
        frame = exceptions(conn, as_of=AS_OF)
    # credit_limit_exceeded is as of 31.03: C1 1 250.00 - 1 150.00; C3's 900.00 is not above 920.00.
    assert rows(frame.filter(pl.col("code") == "credit_limit_exceeded"), "contract_id", "amount") == [("C1", 10_000)]


def test_credit_limit_stop_rule_counts_money_moved_between_contracts(engine: Engine, tmp_path: Path) -> None:
    # The ledger with C3's limit at 100.00, K3's S12 (C3, 10.00, 20.03, due 20.04) and P6 (C3, 300.00, 24.03)
    # allocated 200.00 to S10 (C4). Matching: 24.03 P6 closes 200.00 of S10, then S12's 10.00, and keeps
    # 90.00 as C3's advance; 25.03 S9 (950.00) takes it; 26.03 R1 closes 50.00 of S9. C3 on the days:
    # 20.03: S12 10.00 (<= 100.00); 25.03: S9 860.00 (> 100.00); 31.03: S9 810.00.
    files = dict(LEDGER)
    files["contracts.csv"] = LEDGER["contracts.csv"].replace("C3,K3,Д-3,0,1000", "C3,K3,Д-3,0,100")
    files["shipments.csv"] = LEDGER["shipments.csv"] + "S12,C3,2025-03-20,10,УПД-12,2025-04-20\n"
    files["payments.csv"] = LEDGER["payments.csv"] + "P6,2025-03-24,300,C3,,16,Оплата\n"
    files["allocations.csv"] = "payment_id,shipment_id,amount\nP6,S10,200\n"
    load_paths(engine, [write_files(tmp_path / "src", files)])
    with engine.connect() as conn:
        frame = exceptions(conn, as_of=AS_OF)
    k3 = frame.filter(pl.col("counterparty_id") == "K3")
    # S10: 300.00 overdue 79 days on 20.03; 100.00 overdue 84 days on 25.03.
    assert rows(k3.filter(pl.col("code") == "shipped_while_overdue"), "document_id", "days", "stop_rules") == [
        ("S9", 84, "overdue_days,credit_limit"),
        ("S12", 79, "overdue_days"),
    ]
    assert rows(k3.filter(pl.col("code") == "credit_limit_exceeded"), "contract_id", "amount") == [("C3", 71_000)]


def test_export_takes_the_stop_rules_from_the_config(engine: Engine, db_url: str, tmp_path: Path) -> None:
    load_paths(engine, [write_files(tmp_path / "src", LEDGER)])
    out = tmp_path / "exceptions.csv"

    def exported(*config: str) -> dict[str, str]:
        done = invoke("export", "exceptions", "--as-of", "2025-03-31", "--db", db_url, *config, "-o", str(out))
        assert done.returncode == 0, done.stderr
        with out.open(encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames is not None
            assert reader.fieldnames[-1] == "stop_rules"  # after the contract's columns and the others
            found = list(reader)
        assert {r["stop_rules"] for r in found if r["code"] != "shipped_while_overdue"} == {""}
        return {r["document_id"]: r["stop_rules"] for r in found if r["code"] == "shipped_while_overdue"}

    # As in test_shipped_while_overdue_names_the_stop_rules_broken_on_the_shipments_date.
    assert exported() == {
        "S9": "overdue_days",
        "S2": "credit_limit",
        "S3": "credit_limit",
        "S4": "overdue_days,credit_limit",
        "S8": "",
    }
    config = tmp_path / "receivables.toml"
    config.write_text('[stoplist]\noverdue_days = 100\noverdue_amount = "300"\ncredit_limit = false\n', "utf-8")
    # Above 300.00 overdue on the day: S2, S3, S4 (S1 500.00); not S9 (300.00) nor S8 (100.00).
    assert exported("--config", str(config)) == {
        "S9": "",
        "S2": "overdue_amount",
        "S3": "overdue_amount",
        "S4": "overdue_amount",
        "S8": "",
    }


def test_as_of_an_earlier_date(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = exceptions(conn, as_of=date(2025, 3, 4))
    # On 04.03: S1 500.00 is 22 days overdue, S5 200.00 18 days (paid the next day), S10 63 days; S2 was shipped
    # on 03.03 over S1; S1 and S5 were shipped before anything of theirs fell due, S10 before the window
    # (03.12.2024). K1 paid 12 days ago, K2 and K3 never; C1 holds 500 + 600 against 1000. The bank payment,
    # P2, P4 and P5 are not received yet.
    assert rows(
        frame.filter(pl.col("code") != "rejected_row"), "code", "counterparty_id", "document_id", "amount", "days"
    ) == [
        ("shipped_while_overdue", "K1", "S2", 60_000, 21),
        ("no_payment_recently", "K3", None, 30_000, None),
        ("overdue", "K3", "S10", 30_000, 63),
        ("no_payment_recently", "K2", None, 20_000, None),
        ("credit_limit_exceeded", "K1", None, 10_000, None),
        ("overdue", "K1", "S1", 50_000, 22),  # medium: 30 days or fewer
        ("overdue", "K2", "S5", 20_000, 18),
    ]
    assert frame.filter(pl.col("code") == "rejected_row").height == 1  # the rejects list is not dated


def test_a_managers_scope_sees_only_their_counterparties(ledger: Engine) -> None:
    with ledger.connect() as conn:
        everything = exceptions(conn, as_of=AS_OF)
        boris = exceptions(conn, as_of=AS_OF, scope=Scope.for_manager("Борис"))
        anna = exceptions(conn, as_of=AS_OF, scope=Scope.for_manager("Анна"))
        contract = exceptions(conn, as_of=AS_OF, scope=Scope(contract_ids=("C2",)))
        dollars = exceptions(conn, as_of=AS_OF, scope=Scope(currencies=("USD",)))
        nobody = exceptions(conn, as_of=AS_OF, scope=Scope.for_manager("'; DROP TABLE documents; --"))
    # A manager gets exactly the rows of their counterparties, and no payment or reject that belongs to nobody.
    assert boris.equals(everything.filter(pl.col("counterparty_id").is_in(["K2", "K3"])))
    assert anna.equals(everything.filter(pl.col("counterparty_id").is_in(["K1", "K4"])))
    # Narrowed to a contract: its rows only (K2 paid 26 days ago, so no counterparty-level row either).
    assert rows(contract, "code", "document_id") == [("overdue", "S6"), ("shipped_while_overdue", "S8")]  # both medium
    # Rubles everywhere: only the rejects, which have no currency, are left.
    assert dollars["code"].to_list() == ["rejected_row"]
    assert nobody.height == 0
    assert nobody.schema == pl.Schema(EXCEPTION_SCHEMA)


def test_empty_warehouse(engine: Engine) -> None:
    with engine.connect() as conn:
        frame = exceptions(conn, as_of=AS_OF)
    assert frame.height == 0
    assert frame.schema == pl.Schema(EXCEPTION_SCHEMA)


def test_a_fixed_number_of_queries_whatever_the_number_of_shipments(ledger: Engine) -> None:
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(ledger, "before_cursor_execute", count)
    try:
        with ledger.connect() as conn:
            exceptions(conn, as_of=AS_OF)
    finally:
        event.remove(ledger, "before_cursor_execute", count)
    assert len(statements) <= 13  # 12, and the disputes open over shipped_while_overdue's window


@pytest.mark.parametrize(
    ("seed", "threshold", "stop_rules"),
    [
        (1, 0, StopRules()),
        (2, 0, StopRules(overdue_days=10, overdue_amount=60_000)),
        # The stop-list's overdue amount also counts the debits overdue by the threshold or less.
        (3, 7, StopRules(overdue_days=20, overdue_amount=120_000)),
    ],
)
def test_shipped_while_overdue_agrees_with_a_day_by_day_recount(
    engine: Engine, tmp_path: Path, seed: int, threshold: int, stop_rules: StopRules
) -> None:
    result = load_paths(engine, [write_files(tmp_path / "src", random_ledger(seed))])
    assert sum(c.rejected for c in result.counts.values()) == 0
    as_of = date(2025, 4, 20)
    rules = ExceptionRules(shipped_while_overdue_days=threshold, lookback_days=60)
    with engine.connect() as conn:
        frame = exceptions_worded(
            exceptions(conn, as_of=as_of, rules=rules, stop_rules=stop_rules).filter(
                pl.col("code") == "shipped_while_overdue"
            )
        )
    expected = [
        (
            e.shipment_id,
            e.amount,
            e.days,
            "while " + " and ".join(money_en(e.overdue[c], c) for c in sorted(e.overdue)) + " was overdue",
            e.stop_rules,
        )
        for e in recount(engine, as_of=as_of, lookback_days=60, threshold=threshold, stop_rules=stop_rules).shipped
    ]
    found = [
        (doc, amount, days, text[text.index("while ") : text.index(" (up to")], broken)
        for doc, amount, days, text, broken in rows(frame, "document_id", "amount", "days", "detail_en", "stop_rules")
    ]
    assert sorted(found) == sorted(expected)
    assert expected  # the ledger does exercise the rule...
    # ...and each stop rule both ways.
    for reason in ("overdue_days", "overdue_amount", "credit_limit"):
        if reason == "overdue_amount" and not stop_rules.overdue_amount:
            continue
        assert {reason in e[4].split(",") for e in expected} == {True, False}, reason
