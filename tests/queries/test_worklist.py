"""The worklist (queries.worklist), hand-computed on the small ledger of tests/helpers/ledgers.py, on SQLite
and PostgreSQL.

As of 31.12.2025 (tests/queries/test_exceptions_notes.py works the exceptions out):
- K1 «Ромашка»: S2 200,50 overdue 315 days (due 19.02.2025); S5 100,00 shipped on 02.12.2025 while S2 was
  286 days overdue; last paid 05.02.2025. Score (queries.priority): 200,50 x (1 + min(315, 180) / 30) = 1 403,50,
  plus a quarter of S5, 25,00: 1 428,50. On the stop-list (S2 more than 30 days overdue).
- K2 «Петров»: S4 200,00 overdue 29 days, never paid. Score 200,00 x (1 + 29 / 30) = 393,33.
With K2's promise of 150,00 (05.12.2025, until 15.12.2025) and its payment of 50,00 on 10.12.2025 (P7 on C3):
S4 open 150,00, score 150,00 x (1 + 29 / 30) = 295,00, the promise broken with 100,00 missing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from etl.load import load_paths
from queries.scope import Scope
from queries.worklist import WORKLIST_SCHEMA, worklist
from tests.helpers.ledgers import source
from tests.helpers.notes import note, pay, resolve

AS_OF = date(2025, 12, 31)
COLUMNS = ("rank", "counterparty_id", "currency", "overdue", "max_days_overdue", "reason", "last_contact", "next_step")
K1_REASON = "overdue,shipped_while_overdue,no_payment_recently"


@pytest.fixture
def small(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def listed(engine: Engine, as_of: date = AS_OF, scope: Scope | None = None, *extra: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        frame = worklist(conn, as_of=as_of, scope=scope)
    assert frame.schema == WORKLIST_SCHEMA
    return [tuple(r) for r in frame.select(*COLUMNS, *extra).iter_rows()]


def test_ranked_by_the_score_without_notes(small: Engine) -> None:
    assert listed(small, AS_OF, None, "score", "missing") == [
        (1, "K1", "RUB", 20_050, 315, K1_REASON, None, "stop_shipments", 142_850, 0),
        (2, "K2", "RUB", 20_000, 29, "overdue,no_payment_recently", None, "email", 39_333, 0),
    ]
    with small.connect() as conn:
        names = worklist(conn, as_of=AS_OF)["counterparty_name"].to_list()
    assert names == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]


def test_a_broken_promise_tops_a_larger_overdue_debt(small: Engine, tmp_path: Path) -> None:
    note(small, "promise", "K2", date(2025, 12, 5), amount=15_000, until=date(2025, 12, 15))
    note(small, "call", "K1", date(2025, 12, 20), text="обещали разобраться")
    note(small, "call", "K1", date(2026, 1, 5))  # after D: not yet a contact as of 31.12
    pay(small, tmp_path / "more", "P7,2025-12-10,50,C3,")
    # Before its last day K2's promise is open: K2 is left out, waiting for it.
    assert [r[1] for r in listed(small, date(2025, 12, 15))] == ["K1"]
    assert listed(small, AS_OF, None, "score", "missing") == [
        (1, "K2", "RUB", 15_000, 29, "broken_promise,overdue", date(2025, 12, 5), "call", 29_500, 10_000),
        (2, "K1", "RUB", 20_050, 315, K1_REASON, date(2025, 12, 20), "stop_shipments", 142_850, 0),
    ]


def test_an_open_promise_leaves_the_counterparty_out_and_the_larger_shortfall_goes_first(
    small: Engine, tmp_path: Path
) -> None:
    note(small, "promise", "K2", date(2025, 12, 5), amount=15_000, until=date(2025, 12, 15))
    pay(small, tmp_path / "more", "P7,2025-12-10,50,C3,")
    note(small, "promise", "K1", date(2025, 12, 20), amount=20_050, until=date(2026, 1, 10))
    assert [r[1] for r in listed(small)] == ["K2"]
    # As of 11.01.2026 K1's promise is broken too, with 200,50 missing: more than K2's 100,00 (S5 falls due
    # on 12.01.2026, the first working day after the New Year holidays).
    assert listed(small, date(2026, 1, 11), None, "missing") == [
        (1, "K1", "RUB", 20_050, 326, "broken_promise," + K1_REASON, date(2025, 12, 20), "call", 20_050),
        # K2's last payment, 10.12.2025, is now 32 days back.
        (2, "K2", "RUB", 15_000, 40, "broken_promise,overdue,no_payment_recently", date(2025, 12, 5), "call", 10_000),
    ]


def test_only_disputed_debt_leaves_the_counterparty_out_until_resolved(small: Engine) -> None:
    """K1's only overdue debt, S2, disputed on 01.12.2025: K1 is off the list although S5 was shipped while
    S2 was overdue; back once the dispute is resolved."""
    dispute = note(small, "dispute", "K1", date(2025, 12, 1), document_id="S2")
    assert listed(small) == [(1, "K2", "RUB", 20_000, 29, "overdue,no_payment_recently", None, "email")]
    resolve(small, dispute, date(2025, 12, 20))
    assert [r[1] for r in listed(small)] == ["K1", "K2"]
    assert listed(small)[0][6] == date(2025, 12, 1)  # the dispute is a contact too


def test_a_manager_sees_their_own_counterparties_only(small: Engine) -> None:
    assert [r[1] for r in listed(small, AS_OF, Scope.for_manager("Сидоров С.С."))] == ["K2"]
    assert listed(small, AS_OF, Scope.for_manager("Никто")) == []


def test_an_empty_warehouse_has_an_empty_worklist(engine: Engine) -> None:
    with engine.connect() as conn:
        frame = worklist(conn, as_of=AS_OF)
    assert frame.height == 0
    assert frame.schema == pl.Schema(WORKLIST_SCHEMA)
