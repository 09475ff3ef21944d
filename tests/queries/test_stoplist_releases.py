"""Stop-list releases (issue 17): the rule (queries.releases), the stop-list's columns, the worklist and the
shipped_while_overdue exception, the service's checks and audit rows; on SQLite and PostgreSQL.

The small ledger (tests/helpers/ledgers.py, worked out in tests/queries/test_stoplist.py): as of 31.12.2025 K1
«Ромашка» is on the stop-list (S2 200,50 is 315 days overdue: overdue_days), K2 is not (S4 29 days); as of
02.01.2026 both are (S4 31 days). K1's S5 (100,00, 02.12.2025) was shipped while S2 was 286 days overdue: a
high shipped_while_overdue breaking overdue_days.

The release R1 of K1 from 29.12.2025 until 05.01.2026 is active on 29.12, 31.12 and 05.01 (both ends
inclusive), not on 28.12 nor 06.01; ended on 02.01.2026 it is active on 01.01 and not on 02.01.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

import warehouse
from dashboard.services import releases
from dashboard.services.access import User
from etl.load import load_paths
from queries.exceptions import exceptions
from queries.releases import active_releases
from queries.stoplist import STOPLIST_SCHEMA, is_stopped, stoplist
from queries.worklist import worklist
from tests.helpers.cli import invoke
from tests.helpers.ledgers import source
from warehouse.release_store import ReleaseRefused, add_release

CFO = User(login="petrova@firm.ru", role="cfo", name="Петрова А. В.")
CONTROLLER = User(login="control@firm.ru", role="controller")
MANAGER = User(login="ivanov@firm.ru", role="manager", manager="Иванов И.И.")
FIRST, LAST = date(2025, 12, 29), date(2026, 1, 5)
REASON = "Гарантийное письмо от 26.12.2025"


@pytest.fixture
def small(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def give(engine: Engine, user: User = CFO, **changed: object) -> releases.Released:
    values: dict[str, object] = {"counterparty_id": "K1", "reason": REASON, "released_on": FIRST, "until": LAST}
    with engine.begin() as conn:
        return releases.release(conn, user, source="cli", **(values | changed))  # type: ignore[arg-type]


def listed(engine: Engine, as_of: date) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        found = stoplist(conn, as_of=as_of)
    assert found.schema == STOPLIST_SCHEMA
    columns = ("counterparty_id", "to_release", "released_until", "release_reason", "released_by")
    return list(found.select(columns).iter_rows())


def audit(engine: Engine) -> list[tuple[object, ...]]:
    a = warehouse.audit_log
    with engine.connect() as conn:
        query = select(a.c.user_name, a.c.role, a.c.action, a.c.subject, a.c.detail).order_by(a.c.audit_id)
        return [tuple(row) for row in conn.execute(query)]


def test_active_from_its_first_to_its_last_day_and_listed_with_why(small: Engine) -> None:
    assert listed(small, date(2025, 12, 31)) == [("K1", 20_050, None, None, None)]
    give(small)
    released = ("K1", 20_050, LAST, REASON, "petrova@firm.ru")
    assert listed(small, date(2025, 12, 28)) == [("K1", 20_050, None, None, None)]
    assert listed(small, FIRST) == [released]
    assert listed(small, date(2025, 12, 31)) == [released]
    # 02.01.2026: K2's S4 is 31 days overdue (200,00) and not released; K1 first (200,50).
    assert listed(small, date(2026, 1, 2)) == [released, ("K2", 20_000, None, None, None)]
    assert listed(small, LAST)[0] == released
    assert listed(small, LAST + timedelta(days=1))[0] == ("K1", 20_050, None, None, None)
    with small.connect() as conn:
        found = stoplist(conn, as_of=date(2026, 1, 2))
    assert found.filter(is_stopped())["counterparty_id"].to_list() == ["K2"]


def test_ended_it_counts_until_the_day_before(small: Engine) -> None:
    given = give(small)
    with small.begin() as conn:
        assert releases.end(conn, CONTROLLER, source="app", release_id=given.release_id, on=date(2026, 1, 2)) == "K1"
    assert listed(small, date(2026, 1, 1))[0][2] == LAST
    assert listed(small, date(2026, 1, 2))[0][2] is None
    with small.begin() as conn, pytest.raises(ReleaseRefused) as refused:
        releases.end(conn, CFO, source="app", release_id=given.release_id, on=date(2026, 1, 3))
    assert refused.value.code == "ended"
    assert audit(small)[-1] == ("control@firm.ru", "controller", "stop_release_ended", "release 1: K1", "2026-01-02")


def test_a_new_release_ends_the_old_one(small: Engine) -> None:
    first = give(small)
    second = give(small, CONTROLLER, reason="Оплата в пути", released_on=date(2025, 12, 31), until=date(2026, 1, 9))
    assert second.ended == (first.release_id,)
    r = warehouse.stop_releases
    with small.connect() as conn:
        rows = conn.execute(select(r.c.release_id, r.c.ended_on, r.c.ended_by).order_by(r.c.release_id)).all()
        on_30th = active_releases(conn, as_of=date(2025, 12, 30))
        on_31st = active_releases(conn, as_of=date(2025, 12, 31))
    assert [tuple(row) for row in rows] == [(1, date(2025, 12, 31), "control@firm.ru"), (2, None, "")]
    assert on_30th.select("release_id", "released_until").rows() == [(1, LAST)]
    assert on_31st.select("release_id", "released_until", "release_reason").rows() == [
        (2, date(2026, 1, 9), "Оплата в пути")
    ]
    assert [row[2] for row in audit(small)] == ["stop_release", "stop_release_ended", "stop_release"]
    assert audit(small)[0] == (
        "petrova@firm.ru",
        "cfo",
        "stop_release",
        "release 1: K1 2025-12-29..2026-01-05",
        REASON,
    )
    assert audit(small)[1][3:] == ("release 1: K1", "2025-12-31 (by release 2)")


@pytest.mark.parametrize(
    ("changed", "code"),
    [
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 501}, "reason_long"),
        ({"until": FIRST - timedelta(days=1)}, "until_before"),
        ({"until": FIRST + timedelta(days=91)}, "until_far"),
        ({"counterparty_id": "K9"}, "counterparty"),
    ],
)
def test_what_a_release_needs(small: Engine, changed: dict[str, object], code: str) -> None:
    with pytest.raises(ReleaseRefused) as refused:
        give(small, **changed)
    assert refused.value.code == code
    assert audit(small) == []
    with small.connect() as conn:
        assert conn.execute(select(warehouse.stop_releases.c.release_id)).first() is None


def test_the_longest_release_and_the_longest_reason_are_allowed(small: Engine) -> None:
    give(small, reason="x" * 500, until=FIRST + timedelta(days=90))
    assert listed(small, FIRST + timedelta(days=90))[0][2] == FIRST + timedelta(days=90)


def test_a_manager_may_not_release(small: Engine) -> None:
    assert (CFO.may_release, CONTROLLER.may_release, MANAGER.may_release) == (True, True, False)
    with pytest.raises(ReleaseRefused) as refused:
        give(small, MANAGER)
    assert refused.value.code == "not_allowed"
    given = give(small)
    with small.begin() as conn, pytest.raises(ReleaseRefused) as refused:
        releases.end(conn, MANAGER, source="app", release_id=given.release_id, on=FIRST)
    assert refused.value.code == "not_allowed"


def test_the_worklist_no_longer_says_stop_shipments(small: Engine) -> None:
    """K1 as of 31.12.2025 (tests/queries/test_worklist.py): stop_shipments; released, S2 is 315 days overdue,
    more than CALL_AFTER_DAYS (30): a call."""

    def steps() -> list[tuple[object, ...]]:
        with small.connect() as conn:
            return worklist(conn, as_of=date(2025, 12, 31)).select("counterparty_id", "next_step", "score").rows()

    assert steps() == [("K1", "stop_shipments", 142_850), ("K2", "email", 39_333)]
    give(small)
    assert steps() == [("K1", "call", 142_850), ("K2", "email", 39_333)]


def test_a_shipment_on_a_released_day_broke_no_stop_rule(small: Engine) -> None:
    def s5() -> tuple[object, ...]:
        with small.connect() as conn:
            found = exceptions(conn, as_of=date(2025, 12, 31))
        row = found.filter(found["code"] == "shipped_while_overdue", found["document_id"] == "S5")
        return tuple(row.select("severity", "stop_rules", "days").row(0))

    assert s5() == ("high", "overdue_days", 286)
    with small.begin() as conn:  # through the store: a release dated in the past, as the load's history is
        add_release(
            conn,
            counterparty_id="K1",
            reason=REASON,
            released_on=date(2025, 12, 1),
            until=date(2025, 12, 2),
            author="x",
        )
    assert s5() == ("medium", "", 286)


def test_the_export_says_who_is_released(small: Engine, db_url: str, tmp_path: Path) -> None:
    give(small)
    out = tmp_path / "stoplist.csv"
    done = invoke("export", "stoplist", "--as-of", "2026-01-02", "--db", db_url, "-o", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as handle:
        found = [
            (r["counterparty_id"], r["released_until"], r["release_reason"], r["released_by"])
            for r in csv.DictReader(handle)
        ]
    assert found == [("K1", "2026-01-05", REASON, "petrova@firm.ru"), ("K2", "", "", "")]
