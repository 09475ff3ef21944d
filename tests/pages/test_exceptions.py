"""The page «Исключения» through AppTest on the fixture warehouse of tests/helpers/ledgers.py.

As of 31.12.2025 (hand-computed from tests/helpers/ledgers.py's `source`):
  overdue (2): S2 200,50 (due 19.02.2025, 315 days, high: over 30 days) and S4 200,00 (due 02.12.2025,
      29 days, medium: under 30 days and under 1 000 000,00); high first.
  shipped_while_overdue (1): S5 100,00 shipped 02.12.2025 while K1's S2 was 286 days overdue
      (19.02 -> 02.12.2025); S4 shipped the same day is due that day, so K2 had nothing overdue.
      Stop-list rules broken on 02.12.2025 (default [stoplist]): overdue_days (286 > 30); not credit_limit
      (C1 then held S2 200,50 + S5 100,00 = 300,50 against 100 000,00). With overdue_days 300 and
      overdue_amount 200,00: overdue_amount (S2's 200,50 > 200,00); with C1's limit at 300,00: credit_limit.
  no_payment_recently (2): K1 last paid 05.02.2025 (329 days), 200,50 overdue; K2 never paid, 200,00.
  Everything else: 0 (limits at 0,3 % and 4,0 %, nothing due on 31.12, no advance, no rejects).
As of 02.12.2025: S4 falls due that day (due_today 1); S2 is 286 days overdue.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from tests.helpers import ledgers
from tests.helpers.ledgers import write_files
from tests.helpers.notes import note, pay
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

NB = "\u00a0"
STOP_NOTE = (
    "Отгрузка нарушила стоп-лист, если в день отгрузки у контрагента долг, просроченный более чем на 30 дн. или "
    "договор отгрузки с сальдо выше кредитного лимита (с учётом самой отгрузки); «—» — по правилам стоп-листа "
    "отгружать было можно. Кто в стоп-листе сейчас — на странице «Стоп-лист»."
)


def load(url: str, folder: Path) -> None:
    engine = make_engine(url, pooled=False)
    load_paths(engine, [folder])
    engine.dispose()


def page(language: str = "ru", as_of: date = date(2025, 12, 31), counterparty_id: str = "") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "exceptions.py"), default_timeout=60)
    filters = Filters(
        as_of=as_of, currency="RUB", manager="", group="", counterparty_id=counterparty_id, contract_id=""
    )
    test.session_state["page_context"] = PageContext(language, filters)
    return test


def opened(test: AppTest, index: int) -> AppTest:
    """The page with tab `index` open: only the open tab is drawn."""
    test.session_state["exceptions_tab"] = test.tabs[index].label
    return test.run()


def test_empty_warehouse_says_so(app_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert any("Хранилище пусто" in info.value for info in test.info)


def test_one_tab_per_code_with_counts_in_working_order(loaded_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert test.title[0].value == "Исключения"
    assert [tab.label for tab in test.tabs] == [
        "Просрочка (2)",
        "Нарушенные обещания (0)",
        "Отгрузки при просрочке (1)",
        "Превышен лимит (0)",
        "Давно не платят (2)",
        "Срок сегодня (0)",
        "Близко к лимиту (0)",
        "Спорные документы (0)",
        "Срок раньше даты (0)",
        "Неопознанные платежи (0)",
        "Авансы (0)",
        "Отклонённые строки (0)",
    ]
    assert test.caption[0].value == "На 31.12.2025 исключений: 5, из них высокой важности 4."
    overdue = test.tabs[0].dataframe[0].value
    assert list(overdue["document_id"]) == ["S2", "S4"]
    assert [str(v) for v in overdue["amount"]] == ["200.50", "200.00"]
    assert list(overdue["days"]) == [315, 29]
    assert list(overdue["severity"]) == ["высокая", "средняя"]
    assert list(overdue["counterparty_name"]) == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert overdue["detail"][0] == f"Просрочено 315 дн.: УПД-2 от 20.01.2025, остаток 200,50{NB}₽".replace(NB, " ")

    # One tab is drawn at a time: the others only have their label until opened.
    assert [len(tab.dataframe) for tab in test.tabs] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    downloads = [b.proto.label for b in test.get("download_button")]
    assert downloads == ["Скачать все исключения (Excel)", "Скачать Excel", "Скачать Excel"]

    # Who to call first: K1's 200,50 overdue 315 days weighs 20 050 x (1 + 180/30) = 140 350, plus a quarter of
    # S5 shipped while overdue (2 500): 142 850; K2's 200,00 at 29 days, 20 000 x (1 + 29/30) = 39 333.
    ranked = test.dataframe[0].value
    assert list(ranked["counterparty_name"]) == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert [str(v) for v in ranked["score"]] == ["1428.50", "393.33"]
    assert list(ranked["priority"]) == ["высокая", "низкая"]
    assert list(ranked["n_shipped_while_overdue"]) == [1, 0]

    test = opened(test, 2)
    shipped = test.tabs[2].dataframe[0].value
    assert list(shipped["document_id"]) == ["S5"]
    assert [str(v) for v in shipped["amount"]] == ["100.00"]
    assert list(shipped["days"]) == [286]
    # S2 was 286 days overdue on 02.12.2025: more than the stop-list's 30.
    assert list(shipped["stop_rules"]) == ["срок просрочки"]
    assert [c.value for c in test.tabs[2].caption][1] == STOP_NOTE
    assert "stop_rules" not in overdue.columns

    test = opened(test, 4)
    quiet = test.tabs[4].dataframe[0].value
    assert list(quiet["counterparty_name"]) == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert [str(v) for v in quiet["amount"]] == ["200.50", "200.00"]
    assert "contract_number" not in quiet.columns  # a quiet customer, not a contract: the empty column is left out

    # Empty tabs say so; the open list has its own Excel download, and the whole list one more.
    test = opened(test, 3)
    assert test.tabs[3].info[0].value == "Здесь пусто."
    downloads = [b.proto.label for b in test.get("download_button")]
    assert downloads == ["Скачать все исключения (Excel)", "Скачать Excel"]  # the whole list, who to call


def test_due_today_on_its_day(loaded_db: str) -> None:
    test = page(as_of=date(2025, 12, 2)).run()
    assert not test.exception
    labels = [tab.label for tab in test.tabs]
    assert labels[0] == "Просрочка (1)"
    assert labels[5] == "Срок сегодня (1)"
    due = opened(test, 5).tabs[5].dataframe[0].value
    assert list(due["document_id"]) == ["S4"]
    assert "days" not in due.columns


def test_rejected_rows_have_their_tab(app_db: str, tmp_path: Path) -> None:
    files = {
        "counterparties.csv": ledgers.COUNTERPARTIES,
        "contracts.csv": ledgers.CONTRACTS,
        "shipments.csv": ledgers.SHIPMENTS.rstrip("\n") + "\nS9,C1,2025-13-45,10,УПД-9,,,\n",
        "payments.csv": ledgers.PAYMENTS,
    }
    load(app_db, write_files(tmp_path / "bad", files))
    test = page().run()
    assert not test.exception
    assert test.tabs[11].label == "Отклонённые строки (1)"
    rejected = opened(test, 11).tabs[11].dataframe[0].value
    assert list(rejected.columns) == ["detail", "document_id"]
    assert rejected["detail"][0].startswith("shipments.csv:")


def test_a_manager_never_sees_rows_without_a_counterparty(loaded_db: str) -> None:
    test = page(counterparty_id="K2").run()
    assert not test.exception
    assert [tab.label for tab in test.tabs][:5] == [
        "Просрочка (1)",
        "Нарушенные обещания (0)",
        "Отгрузки при просрочке (0)",
        "Превышен лимит (0)",
        "Давно не платят (1)",
    ]


def test_in_english(loaded_db: str) -> None:
    test = page("en").run()
    assert not test.exception
    assert test.title[0].value == "Exceptions"
    assert test.tabs[0].label == "Overdue (2)"
    assert test.caption[0].value == "As of 2025-12-31: 5 exceptions, 4 of them high severity."
    overdue = test.tabs[0].dataframe[0].value
    assert "detail_en" in overdue.columns
    assert overdue["detail_en"][0] == "Overdue 315 d: УПД-2 of 2025-01-20, open 200.50 RUB"
    assert list(overdue["severity"]) == ["high", "medium"]
    test = opened(test, 2)
    assert list(test.tabs[2].dataframe[0].value["stop_rules"]) == ["days overdue"]
    note = test.tabs[2].caption[1].value
    assert note.startswith(
        "A shipment broke the stop list when on its date the counterparty had a debt more than 30 days overdue or "
        "the shipment's contract with its balance, the shipment included, above the credit limit;"
    )


def test_shipped_while_overdue_follows_the_stoplist_config(loaded_db: str, tmp_path: Path) -> None:
    config = tmp_path / "receivables.toml"  # app_db runs the app in tmp_path
    config.write_text('[stoplist]\noverdue_days = 300\noverdue_amount = "200"\n', encoding="utf-8")
    test = page().run()
    assert not test.exception
    # 286 days is not more than 300; S2's 200,50 overdue on 02.12.2025 is above 200,00.
    test = opened(test, 2)
    assert list(test.tabs[2].dataframe[0].value["stop_rules"]) == ["сумма просрочки"]
    note = test.tabs[2].caption[1].value
    assert note.startswith(
        "Отгрузка нарушила стоп-лист, если в день отгрузки у контрагента долг, просроченный более чем на 300 дн. "
        f"или просрочка больше 200,00{NB}₽ или договор отгрузки"
    )


def test_a_shipment_the_stoplist_allowed_shows_a_dash(loaded_db: str, tmp_path: Path) -> None:
    settings = '[stoplist]\noverdue_days = 300\noverdue_amount = "200.50"\ncredit_limit = false\n'
    (tmp_path / "receivables.toml").write_text(settings, encoding="utf-8")
    test = page().run()
    assert not test.exception
    # Still an exception, but the stop-list allowed it: 200,50 is not above 200,50.
    test = opened(test, 2)
    assert list(test.tabs[2].dataframe[0].value["stop_rules"]) == ["—"]
    assert "кредитного лимита" not in test.tabs[2].caption[1].value


def test_shipped_while_overdue_over_the_credit_limit(app_db: str, tmp_path: Path) -> None:
    folder = ledgers.source(tmp_path)
    contracts = ledgers.CONTRACTS.replace("RUB,30,calendar,100000", "RUB,30,calendar,300")
    assert contracts != ledgers.CONTRACTS
    write_files(folder, {"contracts.csv": contracts})
    load(app_db, folder)
    test = page().run()
    assert not test.exception
    # C1 on 02.12.2025: S2 200,50 + S5 100,00 = 300,50, above 300,00 (as on 31.12: no payment since).
    test = opened(test, 2)
    assert list(test.tabs[2].dataframe[0].value["stop_rules"]) == ["срок просрочки, кредитный лимит"]
    assert test.tabs[3].label == "Превышен лимит (1)"


def test_the_stoplist_page_is_a_link_away(loaded_db: str) -> None:
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    test.query_params["as_of"] = "2025-12-31"
    test.run()
    test.switch_page("pages/exceptions.py").run()
    assert not test.exception
    test.session_state["exceptions_tab"] = test.tabs[2].label
    test.run()
    assert [(link.proto.label, link.proto.page) for link in test.get("page_link")] == [("Стоп-лист", "stoplist")]


def test_a_broken_promise_and_a_dispute_have_their_tabs(loaded_db: str, tmp_path: Path) -> None:
    """K2 promised 150,00 on 05.12.2025 until 15.12.2025 and paid 50,00 on 10.12.2025: broken, 100,00 missing,
    16 days on 31.12.2025. K1 disputes S2 since 01.12.2025: disputed, not overdue (tests/queries/
    test_exceptions_notes.py)."""
    engine = make_engine(loaded_db, pooled=False)
    note(engine, "promise", "K2", date(2025, 12, 5), amount=15_000, until=date(2025, 12, 15))
    note(engine, "dispute", "K1", date(2025, 12, 1), document_id="S2")
    pay(engine, tmp_path / "more", "P7,2025-12-10,50,C3,")
    engine.dispose()
    test = page().run()
    assert not test.exception
    labels = [tab.label for tab in test.tabs]
    assert (labels[0], labels[1], labels[7]) == ("Просрочка (1)", "Нарушенные обещания (1)", "Спорные документы (1)")
    broken = opened(test, 1).tabs[1].dataframe[0].value
    assert list(broken["counterparty_name"]) == ["ИП Петров Пётр Петрович"]
    assert [str(v) for v in broken["amount"]] == ["100.00"]
    assert list(broken["days"]) == [16]
    assert broken["detail"][0].startswith("Обещание оплатить 150,00")
    disputed = opened(test, 7).tabs[7].dataframe[0].value
    assert list(disputed["document_id"]) == ["S2"]
    assert [str(v) for v in disputed["amount"]] == ["200.50"]
    assert list(disputed["days"]) == [30]
    english = page("en").run()
    assert [tab.label for tab in english.tabs][7] == "Disputed documents (1)"
    assert opened(english, 7).tabs[7].dataframe[0].value["detail_en"][0] == (
        "Disputed for 30 d: УПД-2 of 2025-01-20, open 200.50 RUB"
    )
