"""Promises and disputes as of a date (queries.collections), hand-computed on the small ledger of
tests/helpers/ledgers.py with a few payments more, on SQLite and PostgreSQL.

The ledger's K1 «Ромашка» (manager Иванов И.И.): S1 1 000,00 (10.01.2025) and S2 500,00 (20.01.2025) on C1,
S3 300,50 on C2; P1 1 200,00 on C1 (01.02.2025) pays S1 and 200,00 of S2; P2 400,00 (05.02.2025, no
contract) pays S3 and 99,50 of S2, which stays open for 200,50. K2 «Петров» (Сидоров С.С.): S4 200,00 on C3
(02.12.2025). Every payment before a promise's date counts for nothing towards it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from etl.load import load_paths
from queries.collections import disputes_open, notes_of, promise_status
from queries.scope import Scope
from tests.helpers import notes
from tests.helpers.ledgers import source
from tests.helpers.notes import pay, resolve

EVERYONE = Scope.everything()
MARCH_3 = date(2025, 3, 3)


@pytest.fixture
def small(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def note(engine: Engine, kind: str, counterparty_id: str = "K1", on: date = MARCH_3, **given: object) -> int:
    """tests/helpers/notes.note with this module's usual counterparty and day."""
    return notes.note(engine, kind, counterparty_id, on, **given)


def promises(engine: Engine, as_of: date, scope: Scope = EVERYONE) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        frame = promise_status(conn, as_of=as_of, scope=scope)
    return [tuple(r) for r in frame.select("note_id", "paid", "missing", "status").iter_rows()]


def disputes(engine: Engine, as_of: date, scope: Scope = EVERYONE) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        frame = disputes_open(conn, as_of=as_of, scope=scope)
    return [tuple(r) for r in frame.select("note_id", "document_id", "open_amount", "days").iter_rows()]


def test_a_promise_kept_in_full(small: Engine, tmp_path: Path) -> None:
    """300,00 by 10.03; P3 pays exactly 300,00 on 07.03."""
    promise = note(small, "promise", amount=30_000, until=date(2025, 3, 10))
    pay(small, tmp_path / "more", "P3,2025-03-07,300,C1,")
    assert promises(small, date(2025, 3, 2)) == []  # a note counts from its date on
    assert promises(small, MARCH_3) == [(promise, 0, 30_000, "open")]
    assert promises(small, date(2025, 3, 6)) == [(promise, 0, 30_000, "open")]
    assert promises(small, date(2025, 3, 7)) == [(promise, 30_000, 0, "kept")]
    assert promises(small, date(2025, 4, 1)) == [(promise, 30_000, 0, "kept")]
    with small.connect() as conn:
        row = promise_status(conn, as_of=date(2025, 4, 1), scope=EVERYONE).row(0, named=True)
    assert (row["counterparty_id"], row["document_id"], row["currency"], row["amount"], row["until"]) == (
        "K1",
        None,
        "RUB",
        30_000,
        date(2025, 3, 10),
    )


def test_a_partial_payment_then_broken_from_the_day_after_until(small: Engine, tmp_path: Path) -> None:
    """250,50 by 10.03: K1 pays 100,00 on 05.03 (without a contract) and 200,00 on 12.03, too late; K2's
    50,00 on 05.03 is another's. Missing: 250,50 - 100,00 = 150,50."""
    promise = note(small, "promise", amount=25_050, until=date(2025, 3, 10))
    pay(small, tmp_path / "more", "P4,2025-03-05,100,,K1", "P5,2025-03-12,200,C1,", "P6,2025-03-05,50,C3,")
    assert promises(small, date(2025, 3, 4)) == [(promise, 0, 25_050, "open")]
    assert promises(small, date(2025, 3, 5)) == [(promise, 10_000, 15_050, "open")]
    assert promises(small, date(2025, 3, 10)) == [(promise, 10_000, 15_050, "open")]  # its last day: not yet broken
    assert promises(small, date(2025, 3, 11)) == [(promise, 10_000, 15_050, "broken")]
    assert promises(small, date(2025, 3, 12)) == [(promise, 10_000, 15_050, "broken")]  # P5 came after until


def test_a_promise_withdrawn_from_the_day_it_is_resolved(small: Engine) -> None:
    promise = note(small, "promise", amount=10_000, until=date(2025, 3, 10))
    resolve(small, promise, date(2025, 3, 8))
    assert promises(small, date(2025, 3, 7)) == [(promise, 0, 10_000, "open")]  # as it was before
    assert promises(small, date(2025, 3, 8)) == [(promise, 0, 10_000, "withdrawn")]
    assert promises(small, date(2025, 3, 11)) == [(promise, 0, 10_000, "withdrawn")]  # never broken


def test_a_dispute_open_with_its_document_s_open_amount_until_resolved(small: Engine) -> None:
    """S2 disputed on 03.02: open 300,00 then (P1 paid 200,00 of it), 200,50 from 05.02 (P2's 99,50).
    S1, disputed the same day, was paid in full by P1 on 01.02: open 0."""
    s2 = note(small, "dispute", on=date(2025, 2, 3), document_id="S2")
    s1 = note(small, "dispute", on=date(2025, 2, 3), document_id="S1")
    note(small, "call", on=date(2025, 2, 3))
    assert disputes(small, date(2025, 2, 2)) == []
    assert disputes(small, date(2025, 2, 3)) == [(s2, "S2", 30_000, 0), (s1, "S1", 0, 0)]
    resolve(small, s1, date(2025, 2, 4))
    assert disputes(small, date(2025, 2, 3)) == [(s2, "S2", 30_000, 0), (s1, "S1", 0, 0)]  # resolved later
    assert disputes(small, date(2025, 2, 10)) == [(s2, "S2", 20_050, 7)]
    resolve(small, s2, date(2025, 2, 20))
    assert disputes(small, date(2025, 2, 19)) == [(s2, "S2", 20_050, 16)]
    assert disputes(small, date(2025, 2, 20)) == []


def test_a_manager_sees_only_the_notes_of_their_counterparties(small: Engine) -> None:
    k1_promise = note(small, "promise", amount=10_000, until=date(2025, 12, 10), on=date(2025, 12, 3))
    k1_dispute = note(small, "dispute", on=date(2025, 12, 3), document_id="S5")
    k2_promise = note(small, "promise", "K2", on=date(2025, 12, 3), amount=20_000, until=date(2025, 12, 10))
    k2_dispute = note(small, "dispute", "K2", on=date(2025, 12, 3), document_id="S4")
    day = date(2025, 12, 5)
    ivanov, sidorov = Scope.for_manager("Иванов И.И."), Scope.for_manager("Сидоров С.С.")
    assert [p[0] for p in promises(small, day, sidorov)] == [k2_promise]
    assert disputes(small, day, sidorov) == [(k2_dispute, "S4", 20_000, 2)]
    assert [p[0] for p in promises(small, day, ivanov)] == [k1_promise]
    assert disputes(small, day, ivanov) == [(k1_dispute, "S5", 10_000, 2)]
    assert [p[0] for p in promises(small, day)] == [k1_promise, k2_promise]
    with small.connect() as conn:
        assert notes_of(conn, scope=sidorov)["note_id"].to_list() == [k2_dispute, k2_promise]
        assert notes_of(conn, scope=ivanov, counterparty_id="K2").is_empty()
        assert notes_of(conn, scope=Scope.for_manager("Никто")).is_empty()


def test_notes_of_a_counterparty_newest_first(small: Engine) -> None:
    old = note(small, "call", on=date(2025, 2, 1))
    later = note(small, "email", on=date(2025, 3, 1))
    same_day = note(small, "note", on=date(2025, 3, 1))
    note(small, "call", "K2", on=date(2025, 3, 2))
    with small.connect() as conn:
        mine = notes_of(conn, scope=EVERYONE, counterparty_id="K1")
        everyone = notes_of(conn, scope=EVERYONE)
    assert mine["note_id"].to_list() == [same_day, later, old]
    assert mine["kind"].to_list() == ["note", "email", "call"]
    assert mine["author"].to_list() == ["control@firm.ru"] * 3
    assert everyone.height == 4
    assert everyone["counterparty_id"][0] == "K2"
