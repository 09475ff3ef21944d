"""Stop-list releases on the pages (dashboard/ui/releases.py) through AppTest on the small ledger of
tests/helpers/ledgers.py: as of 02.01.2026 K1 «Ромашка» (S2 317 days overdue) and K2 «Петров» (S4 31 days)
are on the stop-list; as of 31.12.2025 K1 only.

The CFO (the local user without [auth]) releases K1 through the form until the default last day, the page's
date + 7 days (09.01.2026): the list keeps K1 and says «Отгрузки разрешены до 09.01.2026: <причина> (local)»;
the card says so too; ending it stops K1 again. A manager sees no form; a blank reason keeps the form with
an error and writes nothing. The audit page names both actions.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import warehouse
from dashboard.services.access import User
from dashboard.ui import actions
from dashboard.ui.auth import USER_KEY
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

AS_OF = date(2026, 1, 2)
CFO = User(login="local", role="cfo")
RELEASED_RU = "Отгрузки разрешены до 09.01.2026: Гарантийное письмо (local)"


def page(name: str = "stoplist", language: str = "ru", as_of: date = AS_OF, counterparty_id: str = "") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    filters = Filters(
        as_of=as_of, currency="RUB", manager="", group="", counterparty_id=counterparty_id, contract_id=""
    )
    test.session_state["page_context"] = PageContext(language, filters)
    return test


def rows(url: str, table: str) -> list[dict[str, object]]:
    engine = make_engine(url, pooled=False)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(warehouse.metadata.tables[table])).mappings()]
    finally:
        engine.dispose()


def statuses(test: AppTest) -> list[str]:
    return list(test.dataframe[0].value["status"])


def release_through_the_form(test: AppTest, reason: str) -> AppTest:
    assert test.selectbox(key="release_form_client").value == "K1"
    assert test.date_input(key="release_form_until").value == date(2026, 1, 9)
    test.text_input(key="release_form_reason").input(reason)
    test.get("form_submit_button")[0].click().run()  # type: ignore[attr-defined]
    assert not test.exception, test.exception
    return test


def test_released_through_the_form_and_ended(loaded_db: str) -> None:
    test = page().run()
    assert not test.exception, test.exception
    assert statuses(test) == ["Отгрузки остановлены", "Отгрузки остановлены"]
    assert "Разрешить отгрузки" in [s.value for s in test.subheader]
    test = release_through_the_form(test, "Гарантийное письмо")
    assert "Отгрузки разрешены: ООО «Ромашка», до 09.01.2026." in [s.value for s in test.success]
    assert statuses(test) == [RELEASED_RU, "Отгрузки остановлены"]  # still listed, by what it must pay
    assert list(test.dataframe[0].value["counterparty_name"]) == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert {m.label: m.value for m in test.metric}["Контрагентов в стоп-листе"] == "2"
    assert "Из них отгрузки разрешены: 1 (см. «Статус»)." in [c.value for c in test.caption]
    assert RELEASED_RU in [i.value for i in test.info]
    [release] = rows(loaded_db, "stop_releases")
    assert (release["released_on"], release["until"], release["author"]) == (AS_OF, date(2026, 1, 9), "local")
    test.button(key="release_end_1").click().run()
    assert not test.exception, test.exception
    assert statuses(test) == ["Отгрузки остановлены", "Отгрузки остановлены"]
    assert "Разрешение отгрузок отменено с 02.01.2026: ООО «Ромашка»." in [s.value for s in test.success]
    [release] = rows(loaded_db, "stop_releases")
    assert (release["ended_on"], release["ended_by"]) == (AS_OF, "local")
    assert [r["action"] for r in rows(loaded_db, "audit_log")] == ["stop_release", "stop_release_ended"]


def test_a_blank_reason_keeps_the_form_with_an_error(loaded_db: str) -> None:
    test = release_through_the_form(page().run(), "   ")
    assert "Укажите причину." in [e.value for e in test.error]
    assert test.get("form_submit_button")
    assert test.text_input(key="release_form_reason").value == "   "
    assert rows(loaded_db, "stop_releases") == []
    assert statuses(test) == ["Отгрузки остановлены", "Отгрузки остановлены"]


def test_a_manager_sees_the_release_but_no_form(loaded_db: str) -> None:
    actions.release_client(
        CFO, counterparty_id="K1", reason="Гарантийное письмо", released_on=AS_OF, until=date(2026, 1, 9)
    )
    test = page()
    test.session_state[USER_KEY] = User(login="m1@firm.ru", role="manager", manager="Иванов И.И.")
    test.run()
    assert not test.exception, test.exception
    assert statuses(test) == [RELEASED_RU]
    assert not test.get("form_submit_button")
    assert not [b for b in test.button if b.key == "release_end_1"]
    assert "Разрешить отгрузки" not in [s.value for s in test.subheader]


def test_in_english(loaded_db: str) -> None:
    test = release_through_the_form(page(language="en").run(), "Letter of guarantee")
    assert statuses(test) == [
        "Shipments released until 2026-01-09: Letter of guarantee (local)",
        "Shipments stopped",
    ]
    assert test.button(key="release_end_1").label == "End the release"


def test_the_card_says_shipments_are_released(loaded_db: str) -> None:
    card = page("counterparty", as_of=date(2025, 12, 31), counterparty_id="K1").run()
    assert any(e.value.startswith("На 31.12.2025 контрагент в стоп-листе") for e in card.error)
    actions.release_client(
        CFO, counterparty_id="K1", reason="Гарантийное письмо", released_on=date(2025, 12, 31), until=date(2026, 1, 9)
    )
    card = page("counterparty", as_of=date(2025, 12, 31), counterparty_id="K1").run()
    assert not card.exception, card.exception
    [warning] = [w.value for w in card.warning if "стоп-листе" in w.value]
    assert warning == f"На 31.12.2025 контрагент в стоп-листе (срок просрочки). {RELEASED_RU}."
    assert not any("стоп-листе" in e.value for e in card.error)
    english = page("counterparty", "en", as_of=date(2026, 1, 10), counterparty_id="K1").run()  # ran out
    assert any(e.value.startswith("As of 2026-01-10 the counterparty is on the stop list") for e in english.error)


def test_the_audit_page_names_the_release_actions(loaded_db: str) -> None:
    given = actions.release_client(CFO, counterparty_id="K1", reason="Hi", released_on=AS_OF, until=date(2026, 1, 9))
    actions.end_release(CFO, given.release_id, on=AS_OF)
    test = page("audit").run()
    assert not test.exception, test.exception
    log = test.dataframe[0].value
    assert {"разрешение отгрузок из стоп-листа", "отмена разрешения отгрузок"} <= set(log["action"])
    test.session_state["page_context"] = PageContext("en", test.session_state["page_context"].filters)
    test.run()
    assert {"stop-list release", "stop-list release ended"} <= set(test.selectbox(key="audit_action").options)
