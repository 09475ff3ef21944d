"""Promises and disputes hold reminders and the stop-list's overdue rules (contract section 5, queries.holds),
hand-computed on the small ledger of tests/helpers/ledgers.py, on SQLite and PostgreSQL.

Without notes (tests/queries/test_reminders.py), on Monday 12.01.2026 K1 gets S2 (repeat no. 47, 200,50, 327
days overdue) and S5 («before», 100,00, due that day), K2 gets S4 (repeat no. 6, 200,00, 41 days). On Tuesday
13.01.2026 only S5 fires: its first overdue day (S2's repeats fall on Thursdays, S4's on Wednesdays).
Stop-list on 02.01.2026 (tests/queries/test_stoplist.py): K1 for S2 (317 days), K2 for S4 (31 days).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from dashboard.services import reminder_run
from dashboard.services.reminders import build_messages
from dashboard.services.settings import Config
from etl.load import load_paths
from queries.holds import holds, on_hold
from queries.reminders import CARRIED_SCHEMA, reminder_queue, whole_debts
from queries.stoplist import StopRules, stoplist
from tests.helpers import notes
from tests.helpers.ledgers import CONTRACTS, source, write_files
from tests.helpers.notes import resolve

MONDAY, TUESDAY = date(2026, 1, 12), date(2026, 1, 13)
ALL_THREE = [
    ("K1", "S2", "repeat", 47, 20_050, 327),
    ("K1", "S5", "before", 1, 10_000, 0),
    ("K2", "S4", "repeat", 6, 20_000, 41),
]


@pytest.fixture
def small(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def note(engine: Engine, counterparty_id: str, kind: str, on: date, **given: object) -> int:
    """tests/helpers/notes.note, the counterparty first as this module reads."""
    return notes.note(engine, kind, counterparty_id, on, **given)


def queue(engine: Engine, day: date, carried: pl.DataFrame | None = None) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        frame = reminder_queue(conn, as_of=day, carried=carried)
    columns = ("counterparty_id", "document_id", "rule", "reminder_no", "open_amount", "days_overdue")
    return [tuple(r) for r in frame.select(columns).iter_rows()]


# ------------------------------------------------------------------------------------------ promises


def test_an_open_promise_holds_all_the_counterpartys_reminders(small: Engine) -> None:
    """K1 promises 300,50 on 05.01.2026 until 16.01.2026 and pays nothing: open on 12.01, K1 gets nothing."""
    note(small, "K1", "promise", date(2026, 1, 5), amount=30_050, until=date(2026, 1, 16))
    assert queue(small, MONDAY) == [("K2", "S4", "repeat", 6, 20_000, 41)]
    assert queue(small, date(2026, 1, 2)) == []  # a day off: nothing anyway
    # A promise dated after the run's day does not exist yet on it.
    assert queue(small, date(2025, 12, 4)) == [("K1", "S2", "repeat", 42, 20_050, 288)]


def test_a_promise_on_one_document_holds_that_document_only(small: Engine) -> None:
    """A promise on S5: K1's letter is about S2 alone; its totals still say all K1 owes, 300,50."""
    note(small, "K1", "promise", date(2026, 1, 5), document_id="S5", amount=10_000, until=date(2026, 1, 16))
    assert queue(small, MONDAY) == [ALL_THREE[0], ALL_THREE[2]]
    with small.connect() as conn:
        frame = reminder_queue(conn, as_of=MONDAY)
        debts = whole_debts(conn, as_of=MONDAY)
    k1 = build_messages(frame, company="ООО «Поставщик»", as_of=MONDAY, debts=debts)[0]
    assert k1.documents == 1
    assert "УПД-2" in k1.body
    assert "УПД-5" not in k1.body
    assert "Итого по этим документам: 200,50 ₽ (из них просрочено 200,50 ₽)" in k1.body
    assert "300,50 ₽" in k1.body  # the whole debt, the held S5 included


def test_a_broken_promise_holds_through_its_last_day_only(small: Engine) -> None:
    """A promise of 300,50 until Monday 12.01 with nothing paid: open on 12.01 (K1 held), broken from 13.01, when
    S5's first overdue day reminds K1 again."""
    note(small, "K1", "promise", date(2025, 12, 29), amount=30_050, until=MONDAY)
    assert queue(small, MONDAY) == [ALL_THREE[2]]
    assert queue(small, TUESDAY) == [("K1", "S5", "overdue", 1, 10_000, 1)]
    # Until 13.01: still open then, nothing for K1.
    note(small, "K1", "promise", date(2025, 12, 29), amount=30_050, until=TUESDAY)
    assert queue(small, TUESDAY) == []


def test_a_kept_or_withdrawn_promise_holds_nothing(small: Engine, tmp_path: Path) -> None:
    """K1 promises 50,00 until 16.01 on 05.01.2026 and pays 50,00 (P3, no contract) on 09.01: kept by 12.01.
    P3 closes the oldest debt first, so S2 is 150,50 open. A withdrawn promise holds nothing either."""
    note(small, "K1", "promise", date(2026, 1, 5), amount=5_000, until=date(2026, 1, 16))
    header = "document_id,date,amount,contract_id,counterparty_id"
    load_paths(small, [write_files(tmp_path / "more", {"payments_more.csv": f"{header}\nP3,2026-01-09,50,,K1"})])
    assert queue(small, MONDAY) == [
        ("K1", "S2", "repeat", 47, 15_050, 327),
        ("K1", "S5", "before", 1, 10_000, 0),
        ("K2", "S4", "repeat", 6, 20_000, 41),
    ]
    withdrawn = note(small, "K2", "promise", date(2026, 1, 5), amount=20_000, until=date(2026, 1, 16))
    assert ("K2", "S4", "repeat", 6, 20_000, 41) not in queue(small, MONDAY)
    resolve(small, withdrawn, MONDAY)
    assert ("K2", "S4", "repeat", 6, 20_000, 41) in queue(small, MONDAY)


# ------------------------------------------------------------------------------------------ disputes


def test_a_disputed_document_is_left_out_until_resolved(small: Engine) -> None:
    """K2 disputes S4 on 10.12.2025: nothing for K2 on 12.01; resolved on 12.01, S4 is back that day."""
    dispute = note(small, "K2", "dispute", date(2025, 12, 10), document_id="S4")
    assert queue(small, MONDAY) == ALL_THREE[:2]
    assert queue(small, date(2025, 12, 3)) == [("K2", "S4", "overdue", 1, 20_000, 1)]  # before the note
    with small.connect() as conn:
        assert whole_debts(conn, as_of=MONDAY).filter(pl.col("counterparty_id") == "K2")["open_debits"].to_list() == [
            20_000
        ]
    resolve(small, dispute, date(2026, 1, 13))
    assert queue(small, MONDAY) == ALL_THREE[:2]  # resolved the day after: still held on 12.01
    other = note(small, "K2", "dispute", date(2025, 12, 10), document_id="S4")
    resolve(small, other, date(2026, 1, 9))
    assert queue(small, MONDAY) == ALL_THREE[:2]  # the first dispute still holds S4
    assert queue(small, TUESDAY) == [("K1", "S5", "overdue", 1, 10_000, 1)]  # S4's repeats fall on Wednesdays


def test_a_resolved_dispute_brings_the_document_back(small: Engine) -> None:
    dispute = note(small, "K2", "dispute", date(2025, 12, 10), document_id="S4")
    resolve(small, dispute, date(2026, 1, 9))
    assert queue(small, MONDAY) == ALL_THREE


def test_a_carried_reminder_follows_the_holds_of_the_day(small: Engine) -> None:
    """S4's repeat of 30.12.2025 failed and is carried to 12.01: it goes with today's own, unless S4 is disputed."""
    carried = pl.DataFrame([("shipment", "S4", "repeat", 5, date(2025, 12, 30))], schema=CARRIED_SCHEMA, orient="row")
    assert ("K2", "S4", "repeat", 5, 20_000, 41) in queue(small, MONDAY, carried)
    note(small, "K2", "dispute", date(2026, 1, 5), document_id="S4")
    assert queue(small, MONDAY, carried) == ALL_THREE[:2]


def test_the_plan_says_who_is_on_hold(small: Engine) -> None:
    """K1's open promise (300,50 until 16.01) holds S2 and S5 (300,50); K2's dispute of S4 holds 200,00: nobody
    is reminded on 12.01, and the plan says why."""
    note(small, "K1", "promise", date(2026, 1, 5), amount=30_050, until=date(2026, 1, 16))
    note(small, "K2", "dispute", date(2025, 12, 10), document_id="S4")
    with small.connect() as conn:
        assert holds(conn, as_of=MONDAY).select("counterparty_id", "document_id", "reason").rows() == [
            ("K1", None, "promise"),
            ("K2", "S4", "dispute"),
        ]
        held = on_hold(conn, as_of=MONDAY)
    assert held.select("counterparty_id", "reason", "number", "held_currency", "held", "documents").rows() == [
        ("K1", "promise", None, "RUB", 30_050, 2),
        ("K2", "dispute", "УПД-4", "RUB", 20_000, 1),
    ]
    planned = reminder_run.plan(small, Config(company_name="ООО «Поставщик»", raw={}), as_of=MONDAY)
    assert planned.items == []
    assert reminder_run.paused_table(planned, "ru").rows() == [
        ("K1", "ООО «Ромашка»", "все документы (2)", "обещание оплатить 300,50\u00a0₽ до 16.01.2026", "300,50\u00a0₽"),
        ("K2", "ИП Петров Пётр Петрович", "УПД-4", "спор с 10.12.2025", "200,00\u00a0₽"),
    ]
    assert reminder_run.paused_table(planned, "en")["reason"].to_list() == [
        "promised to pay 300.50 RUB by 2026-01-16",
        "disputed since 2025-12-10",
    ]


# ------------------------------------------------------------------------------------------ the stop-list


DEFAULT_RULES = StopRules()


def stopped(engine: Engine, day: date, rules: StopRules = DEFAULT_RULES) -> list[tuple[object, ...]]:
    columns = ["counterparty_id", "reasons", "overdue", "max_days_overdue", "balance", "over_limit", "to_release"]
    with engine.connect() as conn:
        return list(stoplist(conn, as_of=day, rules=rules).select(columns).iter_rows())


def test_a_disputed_document_counts_in_no_overdue_rule(small: Engine) -> None:
    """02.01.2026: K1 is stopped for S2 (317 days), K2 for S4 (31 days). K2 disputes S4 (its only overdue
    debit): K2 is off; K1 disputes S2: off too (S5 is not due yet, C1 far below its limit)."""
    assert [row[:2] for row in stopped(small, date(2026, 1, 2))] == [("K1", "overdue_days"), ("K2", "overdue_days")]
    note(small, "K2", "dispute", date(2025, 12, 20), document_id="S4")
    assert stopped(small, date(2026, 1, 2)) == [("K1", "overdue_days", 20_050, 317, 30_050, 0, 20_050)]
    note(small, "K1", "dispute", date(2025, 12, 20), document_id="S2")
    assert stopped(small, date(2026, 1, 2)) == []
    # The amount rule: overdue above 100,00, K1's 200,50 and K2's 200,00, until both were disputed on 20.12.2025.
    rules = StopRules(overdue_days=400, overdue_amount=10_000)
    assert stopped(small, date(2025, 12, 19), rules) == [
        ("K1", "overdue_amount", 20_050, 303, 30_050, 0, 10_050),
        ("K2", "overdue_amount", 20_000, 17, 20_000, 0, 10_000),
    ]
    assert stopped(small, date(2026, 1, 2), rules) == []


def test_a_disputed_document_still_counts_in_the_balance(engine: Engine, tmp_path: Path) -> None:
    """C3's limit lowered to 100,00: on 02.01.2026 K2's balance 200,00 (S4) is 100,00 over it. With S4 disputed
    K2 stays stopped for the limit alone: overdue 0, to_release the 100,00 over the limit."""
    folder = source(tmp_path)
    contracts = CONTRACTS.replace(
        "C3,K2,П-7,2025-01-01,RUB,0,calendar,5000.50", "C3,K2,П-7,2025-01-01,RUB,0,calendar,100"
    )
    assert contracts != CONTRACTS
    load_paths(engine, [write_files(folder, {"contracts.csv": contracts})])
    k2 = [row for row in stopped(engine, date(2026, 1, 2)) if row[0] == "K2"]
    assert k2 == [("K2", "overdue_days,credit_limit", 20_000, 31, 20_000, 10_000, 20_000)]
    note(engine, "K2", "dispute", date(2025, 12, 20), document_id="S4")
    k2 = [row for row in stopped(engine, date(2026, 1, 2)) if row[0] == "K2"]
    assert k2 == [("K2", "credit_limit", 0, 0, 20_000, 10_000, 10_000)]
