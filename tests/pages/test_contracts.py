"""The page «Задолженность по договорам» through AppTest on the fixture warehouse of tests/helpers/ledgers.py.

As of 31.12.2025 (hand-computed from tests/helpers/ledgers.py's `source`):
  C1 Д-1/25 (K1, limit 100 000,00): S2 200,50 open (due 19.02.2025, 315 days overdue) + S5 100,00 (due
     12.01.2026, not due) = 300,50; usage 300,50 / 100 000,00 = 0,3005 % -> 0,3 %; headroom 99 699,50.
  C3 П-7 (K2, limit 5 000,50): S4 200,00 due 02.12.2025, 29 days overdue; usage 4,0 %.
  C2 (K1): S3 was paid on 05.02.2025, nothing open: no row.
S2 was closed by P1 (01.02.2025, 200,00) and P2 (05.02.2025, 99,50): 500,00 - 299,50 = 200,50 open.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from tests.helpers import ledgers
from tests.helpers.ledgers import write_files
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

AS_OF = date(2025, 12, 31)


def page(language: str = "ru", as_of: date = AS_OF, **filters: str) -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "contracts.py"), default_timeout=60)
    values = {"manager": "", "group": "", "counterparty_id": "", "contract_id": ""} | filters
    test.session_state["page_context"] = PageContext(language, Filters(as_of=as_of, currency="RUB", **values))
    return test


def select_row(test: AppTest, table_index: int, row: int) -> None:
    key = test.dataframe[table_index].key
    test.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}


def test_empty_warehouse_says_so(app_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert any("Хранилище пусто" in info.value for info in test.info)


def test_one_row_per_contract_with_exact_money_and_limit_usage(loaded_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert test.title[0].value == "Задолженность по договорам"
    tiles = {m.label: m.value for m in test.metric}
    assert tiles["Договоров"] == "2"
    assert tiles["Сальдо"] == "501\u00a0₽"  # 300,50 + 200,00 in whole rubles
    assert tiles["Сверх лимита"] == "0"
    table = test.dataframe[0].value
    assert list(table["contract_number"]) == ["Д-1/25", "П-7"]
    assert [str(v) for v in table["balance"]] == ["300.50", "200.00"]
    assert [str(v) for v in table["overdue"]] == ["200.50", "200.00"]
    assert [str(v) for v in table["not_due"]] == ["100.00", "0.00"]
    assert [str(v) for v in table["headroom"]] == ["99699.50", "4800.50"]
    assert all(isinstance(v, Decimal) for v in table["balance"])
    assert list(table["limit_bar"]) == [pytest.approx(0.3), pytest.approx(4.0)]
    assert list(table["max_days_overdue"]) == [315, 29]
    assert [str(v) for v in table["overdue_181_plus"]] == ["200.50", "0.00"]
    assert [str(v) for v in table["overdue_1_30"]] == ["0.00", "200.00"]
    assert list(table["limit_flag"]) == ["", ""]
    # Nothing selected and two rows: no drill-down yet, and the Excel download is there.
    assert len(test.dataframe) == 1
    assert any(b.proto.label == "Скачать Excel" for b in test.get("download_button"))


def test_search_narrows_and_one_contract_opens_its_documents(loaded_db: str) -> None:
    test = page().run()
    test.text_input(key="contracts_search").input("ромашка").run()
    assert not test.exception
    contracts, documents = test.dataframe[0].value, test.dataframe[1].value
    assert list(contracts["contract_number"]) == ["Д-1/25"]
    assert list(documents["document_id"]) == ["S2", "S5"]
    assert [str(v) for v in documents["open_amount"]] == ["200.50", "100.00"]
    assert list(documents["days_overdue"]) == [315, -12]
    assert list(documents["bucket"]) == ["181+ дн. просрочки", "8–14 дн. до срока"]

    test.text_input(key="contracts_search").input("П-7").run()
    assert list(test.dataframe[0].value["counterparty_name"]) == ["ИП Петров Пётр Петрович"]
    # S4 is the contract's only open document: it is opened too, and nothing was matched against it yet.
    assert list(test.dataframe[1].value["document_id"]) == ["S4"]
    assert any("не было зачётов" in info.value for info in test.info)

    test.text_input(key="contracts_search").input("нет такого").run()
    assert any("Ничего не найдено" in info.value for info in test.info)


def test_selected_document_shows_the_payments_behind_it(loaded_db: str) -> None:
    test = page().run()
    select_row(test, 0, 0)  # C1
    test.run()
    assert not test.exception
    assert test.subheader[0].value == "Открытые документы: Д-1/25 · ООО «Ромашка»"
    select_row(test, 1, 0)  # S2
    test.run()
    assert not test.exception
    matches = test.dataframe[2].value
    assert list(matches["document_id"]) == ["P1", "P2"]
    assert [str(v) for v in matches["amount"]] == ["200.00", "99.50"]
    assert list(matches["match_date"].astype(str)) == ["2025-02-01", "2025-02-05"]


def test_limit_flags_and_the_limit_filter(app_db: str, tmp_path: Path) -> None:
    # The same ledger with tighter limits: C1 320,00 (300,50 / 320,00 = 93,9 %: near, from 90 %),
    # C3 150,00 (200,00 / 150,00 = 133,3 %: over by 50,00; the bar stays full).
    contracts = ledgers.CONTRACTS.replace(",100000", ",320").replace(",5000.50", ",150")
    files = {
        "counterparties.csv": ledgers.COUNTERPARTIES,
        "contracts.csv": contracts,
        "shipments.csv": ledgers.SHIPMENTS,
        "payments.csv": ledgers.PAYMENTS,
    }
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [write_files(tmp_path / "tight", files)])
    engine.dispose()
    test = page().run()
    assert not test.exception
    assert {m.label: m.value for m in test.metric}["Сверх лимита"] == "1"
    table = test.dataframe[0].value
    assert list(table["limit_flag"]) == ["⚠ близко (93,9\u00a0%)", "✖ превышен (133,3\u00a0%)"]
    assert list(table["limit_bar"]) == [pytest.approx(93.9), pytest.approx(100.0)]
    assert [str(v) for v in table["headroom"]] == ["19.50", "-50.00"]
    test.segmented_control(key="contracts_show").set_value("limit").run()
    assert list(test.dataframe[0].value["contract_number"]) == ["Д-1/25", "П-7"]


def test_filters_by_overdue_and_limit(loaded_db: str) -> None:
    test = page().run()
    test.segmented_control(key="contracts_show").set_value("limit").run()
    assert not test.exception
    assert any("Ничего не найдено" in info.value for info in test.info)  # 0,3 % and 4,0 %: far from it
    test.segmented_control(key="contracts_show").set_value("overdue").run()
    assert list(test.dataframe[0].value["contract_number"]) == ["Д-1/25", "П-7"]


def test_in_english(loaded_db: str) -> None:
    test = page("en").run()
    assert not test.exception
    assert test.title[0].value == "Receivables by contract"
    assert test.dataframe[0].value.shape[0] == 2
    select_row(test, 0, 1)  # C3
    test.run()
    assert not test.exception
    assert test.subheader[0].value == "Open documents: П-7 · ИП Петров Пётр Петрович"
    assert list(test.dataframe[1].value["kind"]) == ["Shipment"]


def test_nothing_owed_on_an_early_date(loaded_db: str) -> None:
    test = page(as_of=date(2024, 12, 31)).run()
    assert not test.exception
    assert any("задолженности нет" in info.value for info in test.info)
