"""Clients' copies of reconciliation acts (warehouse.their_act_store, dashboard.services.their_acts) on the
small ledger of tests/helpers/ledgers.py, on SQLite and PostgreSQL: what a copy keeps (the file byte for byte),
the order of the lists, the newest copy of a period, who may store one for which counterparty, and the audit
row written with it or not at all.

The ledger: K1 «Ромашка» (manager Иванов И.И.) and K2 «Петров» (manager Сидоров С.С.).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

import warehouse
from dashboard.services import their_acts
from dashboard.services.access import User
from etl.load import load_paths
from queries.scope import Scope
from tests.helpers.ledgers import source
from warehouse import their_act_store

CLIENT = User(login="buh@romashka.ru", role="client", counterparty="K1")
CONTROLLER = User(login="control@firm.ru", role="controller")
IVANOV = User(login="ivanov@firm.ru", role="manager", manager="Иванов И.И.")
OCT, NOV = date(2026, 10, 1), date(2026, 11, 30)
# A file with every byte value, NUL included: kept as uploaded, not as text.
BINARY = bytes(range(256)) * 40


@pytest.fixture
def small(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def save(engine: Engine, **given: object) -> int:
    values: dict[str, object] = {
        "counterparty_id": "K1",
        "contract_id": None,
        "date_from": OCT,
        "date_to": NOV,
        "file_name": "Акт сверки.xlsx",
        "content": BINARY,
        "uploaded_by": "buh@romashka.ru",
        "uploaded_role": "client",
    }
    values.update(given)
    with engine.begin() as conn:
        return their_act_store.save(conn, **values)  # type: ignore[arg-type]


def audit_rows(engine: Engine) -> list[tuple[object, ...]]:
    a = warehouse.audit_log
    with engine.connect() as conn:
        query = select(a.c.user_name, a.c.role, a.c.source, a.c.action, a.c.subject, a.c.detail, a.c.rows)
        return [tuple(row) for row in conn.execute(query.order_by(a.c.audit_id))]


def copies_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(warehouse.their_acts)).scalar_one())


def test_a_copy_keeps_the_file_byte_for_byte_and_who_sent_it(small: Engine) -> None:
    at = datetime(2026, 12, 5, 9, 30)
    first = save(small, uploaded_at=at, contract_id="C1")
    with small.connect() as conn:
        assert their_act_store.content(conn, first) == BINARY
        assert their_act_store.content(conn, first + 100) is None
        assert their_act_store.get(conn, first) == their_act_store.StoredAct(
            their_act_id=first,
            counterparty_id="K1",
            contract_id="C1",
            date_from=OCT,
            date_to=NOV,
            file_name="Акт сверки.xlsx",
            uploaded_by="buh@romashka.ru",
            uploaded_role="client",
            uploaded_at=at,
            differences=None,  # not yet reconciled
            balance_difference=None,
        )
    with small.begin() as conn:
        their_act_store.set_result(conn, first, differences=3, balance_difference=-150_000)
    with small.connect() as conn:
        found = their_act_store.get(conn, first)
    assert found is not None
    assert (found.differences, found.balance_difference) == (3, -150_000)


def test_lists_are_newest_first_and_latest_for_picks_the_period(small: Engine) -> None:
    older = save(small, uploaded_at=datetime(2026, 12, 1, 10, 0))
    newer = save(small, uploaded_at=datetime(2026, 12, 5, 10, 0), date_from=date(2026, 7, 1), date_to=date(2026, 9, 30))
    same_minute = save(small, uploaded_at=datetime(2026, 12, 5, 10, 0), contract_id="C2")  # ties: the later id first
    save(small, counterparty_id="K2", uploaded_at=datetime(2026, 12, 6, 10, 0))
    with small.connect() as conn:
        assert [c.their_act_id for c in their_act_store.list_for(conn, "K1")] == [same_minute, newer, older]
        assert their_act_store.list_for(conn, "K9") == []
        latest = their_act_store.latest_for(conn, "K1")
        assert latest is not None
        assert latest.their_act_id == same_minute
        whole = their_act_store.latest_for(conn, "K1", contract_id=None)  # the act of the whole counterparty
        assert whole is not None
        assert whole.their_act_id == newer
        october = their_act_store.latest_for(conn, "K1", contract_id=None, date_from=OCT, date_to=NOV)
        assert october is not None
        assert october.their_act_id == older
        assert their_act_store.latest_for(conn, "K1", contract_id="C1") is None


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"content": b""}, "the file is empty"),
        ({"content": b"x" * (their_act_store.MAX_BYTES + 1)}, "more than"),
        ({"date_from": NOV, "date_to": OCT}, "before it starts"),
        ({"counterparty_id": "K9"}, "unknown counterparty 'K9'"),
    ],
)
def test_the_store_refuses_what_is_no_copy(small: Engine, given: dict[str, object], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        save(small, **given)
    assert copies_count(small) == 0


def test_a_client_stores_its_own_copy_with_the_audit_row(small: Engine) -> None:
    with small.begin() as conn:
        their_act_id = their_acts.store(
            conn,
            CLIENT,
            source="app",
            counterparty_id="K1",
            contract_id=None,
            date_from=OCT,
            date_to=NOV,
            file_name="akt.xlsx",
            content=BINARY,
            differences=3,
            balance_difference=150_000,
        )
    with small.connect() as conn:
        stored = their_act_store.get(conn, their_act_id)
    assert stored is not None
    assert (stored.uploaded_by, stored.uploaded_role, stored.differences) == ("buh@romashka.ru", "client", 3)
    assert audit_rows(small) == [
        (
            "buh@romashka.ru",
            "client",
            "app",
            "their_act",
            f"their act {their_act_id}: K1 2026-10-01..2026-11-30",
            "akt.xlsx",
            3,
        )
    ]
    # The same file again for the same period (a rerun, a second click) is the same copy, with no new audit row.
    with small.begin() as conn:
        again = their_acts.store(
            conn,
            CLIENT,
            source="app",
            counterparty_id="K1",
            contract_id=None,
            date_from=OCT,
            date_to=NOV,
            file_name="akt (1).xlsx",
            content=BINARY,
        )
    assert again == their_act_id
    assert copies_count(small) == 1
    assert len(audit_rows(small)) == 1


@pytest.mark.parametrize(
    ("user", "counterparty_id"),
    [
        (CLIENT, "K2"),  # another client's account
        (IVANOV, "K2"),  # Сидоров's counterparty
        (CONTROLLER, "K9"),  # nobody's
    ],
)
def test_who_may_not_store_for_whom_is_refused_and_nothing_is_written(
    small: Engine, user: User, counterparty_id: str
) -> None:
    with pytest.raises(their_acts.TheirActRefused) as refused, small.begin() as conn:
        their_acts.store(
            conn,
            user,
            source="app",
            counterparty_id=counterparty_id,
            contract_id=None,
            date_from=OCT,
            date_to=NOV,
            file_name="akt.xlsx",
            content=BINARY,
        )
    assert refused.value.code == "counterparty"
    assert copies_count(small) == 0
    assert audit_rows(small) == []


def test_staff_store_in_scope_and_the_reads_follow_the_scope(small: Engine) -> None:
    with small.begin() as conn:
        mine = their_acts.store(
            conn,
            IVANOV,
            source="app",
            counterparty_id="K1",
            contract_id="C1",
            date_from=OCT,
            date_to=NOV,
            file_name="from e-mail.csv",
            content=b"data",
        )
    with small.connect() as conn:
        assert [c.their_act_id for c in their_acts.copies(conn, counterparty_id="K1", scope=IVANOV.scope)] == [mine]
        assert their_acts.copies(conn, counterparty_id="K1", scope=Scope.for_manager("Сидоров С.С.")) == []
        assert their_acts.copy_file(conn, their_act_id=mine, scope=Scope.for_manager("Сидоров С.С.")) is None
        found = their_acts.copy_file(conn, their_act_id=mine, scope=CLIENT.scope)
        assert found is not None
        assert found[1] == b"data"
        # The client's own uploads only: this one came from our manager.
        assert their_acts.latest(conn, counterparty_id="K1", scope=CONTROLLER.scope, client_only=True) is None
        latest = their_acts.latest(conn, counterparty_id="K1", scope=CONTROLLER.scope)
        assert latest is not None
        assert latest.uploaded_role == "manager"


def test_a_copy_and_its_audit_row_land_together_or_not_at_all(small: Engine) -> None:
    def store_then_fail() -> None:
        with small.begin() as conn:
            their_acts.store(
                conn,
                CONTROLLER,
                source="app",
                counterparty_id="K1",
                contract_id=None,
                date_from=OCT,
                date_to=NOV,
                file_name="akt.xlsx",
                content=BINARY,
            )
            raise RuntimeError("the page failed")  # after the store, before the commit

    with pytest.raises(RuntimeError, match="the page failed"):
        store_then_fail()
    assert copies_count(small) == 0
    assert audit_rows(small) == []
