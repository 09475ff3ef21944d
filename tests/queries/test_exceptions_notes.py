"""broken_promise and disputed in the exceptions list (queries.exceptions_notes), hand-computed on the small
ledger of tests/helpers/ledgers.py, on SQLite and PostgreSQL.

As of 31.12.2025 the ledger has two overdue debits: K1's S2 200,50 (due 19.02.2025, 315 days) and K2's S4
200,00 (due 02.12.2025, 29 days, its contract C3 with terms 0). Here:
- K2 promises 150,00 on 05.12.2025 until 15.12.2025 and pays 50,00 (P7, on C3) on 10.12.2025: broken from
  16.12.2025 with 150,00 - 50,00 = 100,00 missing, 16 days after its last day on 31.12. P7 leaves S4 open
  for 150,00, and K2's last payment 21 days back: no longer no_payment_recently.
- K1 disputes S2 on 01.12.2025: disputed with 200,50 open, 30 days on 31.12; S2 leaves overdue, and with it
  K1's no_payment_recently (S2 was its only overdue debt: S5 falls due on 01.01.2026), and S5's
  shipped_while_overdue (shipped on 02.12, while S2, its only overdue debt, was disputed).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from dashboard.services.wording import exceptions_worded
from etl.load import load_paths
from queries.exceptions import exceptions
from queries.scope import Scope
from tests.helpers.ledgers import source
from tests.helpers.notes import note, pay, resolve

AS_OF = date(2025, 12, 31)


@pytest.fixture
def small(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def found(engine: Engine, as_of: date = AS_OF, scope: Scope | None = None) -> pl.DataFrame:
    with engine.connect() as conn:
        return exceptions(conn, as_of=as_of, scope=scope)


def rows(frame: pl.DataFrame, *codes: str) -> list[tuple[object, ...]]:
    columns = ("code", "severity", "counterparty_id", "contract_id", "document_id", "amount", "days")
    return [tuple(r) for r in frame.filter(pl.col("code").is_in(codes)).select(columns).iter_rows()]


def test_a_broken_promise_shows_what_is_missing(small: Engine, tmp_path: Path) -> None:
    promise = note(small, "promise", "K2", date(2025, 12, 5), amount=15_000, until=date(2025, 12, 15))
    pay(small, tmp_path / "more", "P7,2025-12-10,50,C3,")
    assert rows(found(small, date(2025, 12, 15)), "broken_promise") == []  # its last day: still open
    assert rows(found(small, date(2025, 12, 16)), "broken_promise") == [
        ("broken_promise", "high", "K2", None, None, 10_000, 1)
    ]
    frame = found(small)
    assert rows(frame, "broken_promise", "overdue", "no_payment_recently") == [
        ("no_payment_recently", "high", "K1", None, None, 20_050, 329),  # last paid 05.02.2025
        ("overdue", "high", "K1", "C1", "S2", 20_050, 315),
        ("broken_promise", "high", "K2", None, None, 10_000, 16),
        ("overdue", "medium", "K2", "C3", "S4", 15_000, 29),
    ]
    row = frame.filter(pl.col("code") == "broken_promise").row(0, named=True)
    assert (row["promised"], row["until"], row["note_id"], row["counterparty_name"]) == (
        15_000,
        date(2025, 12, 15),
        promise,
        "ИП Петров Пётр Петрович",
    )
    worded = exceptions_worded(frame).filter(pl.col("code") == "broken_promise")
    assert worded["detail"].to_list() == [
        "Обещание оплатить 150,00 ₽ до 15.12.2025 не выполнено: оплачено 50,00 ₽, не хватает 100,00 ₽ "
        "(16 дн. после срока)"
    ]
    assert worded["detail_en"].to_list() == [
        "Promise to pay 150.00 RUB by 2025-12-15 broken: paid 50.00 RUB, missing 100.00 RUB (16 d past its date)"
    ]


def test_a_promise_kept_or_withdrawn_is_no_exception(small: Engine, tmp_path: Path) -> None:
    note(small, "promise", "K2", date(2025, 12, 5), amount=5_000, until=date(2025, 12, 15))  # kept by P7
    withdrawn = note(small, "promise", "K2", date(2025, 12, 5), amount=9_000, until=date(2025, 12, 15))
    pay(small, tmp_path / "more", "P7,2025-12-10,50,C3,")
    resolve(small, withdrawn, date(2025, 12, 12))
    assert rows(found(small), "broken_promise") == []


def test_a_disputed_document_shows_once_as_disputed_until_resolved(small: Engine) -> None:
    undisputed = [("shipped_while_overdue", "high", "K1", "C1", "S5", 10_000, 286)]
    assert rows(found(small), "shipped_while_overdue") == undisputed  # S2 overdue 286 days on 02.12.2025
    dispute = note(small, "dispute", "K1", date(2025, 12, 1), document_id="S2")
    assert rows(found(small, date(2025, 11, 30)), "disputed") == []  # a note counts from its date on
    frame = found(small)
    # By severity, then amount: K1 has nothing overdue left, so no no_payment_recently either.
    assert rows(frame, "disputed", "overdue", "no_payment_recently") == [
        ("no_payment_recently", "high", "K2", None, None, 20_000, None),  # never paid
        ("disputed", "medium", "K1", "C1", "S2", 20_050, 30),
        ("overdue", "medium", "K2", "C3", "S4", 20_000, 29),
    ]
    assert frame.filter(pl.col("code") == "disputed")["note_id"].to_list() == [dispute]
    worded = exceptions_worded(frame).filter(pl.col("code") == "disputed")
    assert worded["detail"].to_list() == ["Оспаривается 30 дн.: УПД-2 от 20.01.2025, остаток 200,50 ₽"]
    assert worded["detail_en"].to_list() == ["Disputed for 30 d: УПД-2 of 2025-01-20, open 200.50 RUB"]
    # K1's shipment S5 of 02.12.2025 was made while S2 was overdue, but under a dispute open that day: the
    # stop-list left S2 out then, so S5 broke no overdue rule and is no exception.
    assert rows(frame, "shipped_while_overdue") == []
    resolve(small, dispute, date(2025, 12, 20))
    again = found(small)
    assert rows(again, "disputed") == []
    assert ("overdue", "high", "K1", "C1", "S2", 20_050, 315) in rows(again, "overdue")
    assert rows(again, "shipped_while_overdue") == []  # resolved after S5's date: it was disputed on that day


def test_a_manager_sees_only_their_own_promises_and_disputes(small: Engine) -> None:
    note(small, "promise", "K2", date(2025, 12, 5), amount=15_000, until=date(2025, 12, 15))
    note(small, "dispute", "K1", date(2025, 12, 1), document_id="S2")
    ivanov, sidorov = Scope.for_manager("Иванов И.И."), Scope.for_manager("Сидоров С.С.")
    assert [r[0] for r in rows(found(small, scope=ivanov), "broken_promise", "disputed")] == ["disputed"]
    assert [r[0] for r in rows(found(small, scope=sidorov), "broken_promise", "disputed")] == ["broken_promise"]
    # A contract filter keeps a dispute on its contracts; a promise on no document goes with no contract.
    on_c3 = Scope(contract_ids=("C3",))
    assert rows(found(small, scope=on_c3), "broken_promise", "disputed") == []
