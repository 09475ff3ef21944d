"""The page «Кому звонить» (pages/worklist.py) through AppTest on the small ledger of tests/helpers/ledgers.py
as of 31.12.2025, ranked as tests/queries/test_worklist.py works out: without notes K1 «Ромашка» (200,50
overdue 315 days, on the stop-list) before K2 «Петров» (200,00, 29 days); with K2's promise of 150,00 broken
(50,00 paid, 100,00 missing) K2 comes first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from tests.helpers.notes import note, pay
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine


def page(language: str = "ru", as_of: date = date(2025, 12, 31)) -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "worklist.py"), default_timeout=60)
    filters = Filters(as_of=as_of, currency="RUB", manager="", group="", counterparty_id="", contract_id="")
    test.session_state["page_context"] = PageContext(language, filters)
    return test


def broken_promise(url: str, tmp_path: Path) -> None:
    engine = make_engine(url, pooled=False)
    note(engine, "promise", "K2", date(2025, 12, 5), amount=15_000, until=date(2025, 12, 15))
    note(engine, "call", "K1", date(2025, 12, 20))
    pay(engine, tmp_path / "more", "P7,2025-12-10,50,C3,")
    engine.dispose()


def test_empty_warehouse_says_so(app_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert any("Хранилище пусто" in info.value for info in test.info)


def test_ranked_by_the_score_with_reasons_and_next_steps_in_words(loaded_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert test.title[0].value == "Кому звонить"
    assert test.caption[0].value == "На 31.12.2025: 2 в списке, из них с нарушенным обещанием 0."
    table = test.dataframe[0].value
    assert list(table.columns) == [
        "card",
        "action",  # «✎ Записать»: a contact logged in a dialog (tests/e2e/test_worklist_browser.py)
        "rank",
        "counterparty_name",
        "overdue",  # who and how much first, then what to do and why
        "max_days_overdue",
        "next_step",
        "last_contact",
        "reason",
        "currency",
    ]
    assert list(table["counterparty_name"]) == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert list(table["action"]) == ["✎ Записать"] * 2
    assert list(table["reason"]) == ["просрочка, отгрузки при просрочке, давно не платит", "просрочка, давно не платит"]
    assert list(table["next_step"]) == ["остановить отгрузки", "написать"]
    assert [str(v) for v in table["overdue"]] == ["200.50", "200.00"]
    assert list(table["max_days_overdue"]) == [315, 29]
    assert [b.proto.label for b in test.get("download_button")] == ["Скачать Excel"]


def test_a_broken_promise_comes_first(loaded_db: str, tmp_path: Path) -> None:
    broken_promise(loaded_db, tmp_path)
    test = page().run()
    assert not test.exception
    assert test.caption[0].value == "На 31.12.2025: 2 в списке, из них с нарушенным обещанием 1."
    table = test.dataframe[0].value
    assert list(table["counterparty_name"]) == ["ИП Петров Пётр Петрович", "ООО «Ромашка»"]
    assert list(table["reason"]) == [
        "обещание не выполнено, просрочка",
        "просрочка, отгрузки при просрочке, давно не платит",
    ]
    assert list(table["next_step"]) == ["позвонить", "остановить отгрузки"]
    assert [str(v) for v in table["missing"]] == ["100.00", "None"]  # no promise: an empty cell, not 0,00
    assert [str(v.date()) for v in table["last_contact"]] == ["2025-12-05", "2025-12-20"]


def test_in_english(loaded_db: str, tmp_path: Path) -> None:
    broken_promise(loaded_db, tmp_path)
    test = page("en").run()
    assert not test.exception
    assert test.title[0].value == "Worklist"
    assert test.caption[0].value == "As of 2025-12-31: 2 on the list, 1 of them with a broken promise."
    table = test.dataframe[0].value
    assert list(table["reason"]) == ["promise broken, overdue", "overdue, shipped while overdue, no recent payment"]
    assert list(table["next_step"]) == ["call", "stop shipments"]


def test_nobody_to_call(loaded_db: str) -> None:
    """As of 20.01.2025 nothing is overdue yet: S3, the first due, falls due on 29.01.2025."""
    test = page(as_of=date(2025, 1, 20)).run()
    assert not test.exception
    assert test.success[0].value == "Звонить некому: нет просрочки, нарушенных обещаний и превышенных лимитов."
