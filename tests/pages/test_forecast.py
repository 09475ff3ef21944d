"""The cash-in forecast page and the card's expected dates through AppTest, on the forecast's ledger
(tests/helpers/forecast_ledger.py; tests/queries/test_forecast.py works out its dates): as of 30.06.2025 K1
owes S22 30,00 (due 15.06), S21 40,00 (due 25.06), S20 100,00 (due 05.07), K2 S30 50,00 (due 10.07)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from tests.helpers.forecast_ledger import FORECAST_AS_OF, forecast_source
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

NB = "\u00a0"


@pytest.fixture
def forecast_db(app_db: str, tmp_path: Path) -> str:
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [forecast_source(tmp_path)])
    engine.dispose()
    return app_db


def page(name: str, language: str = "ru", as_of: date = FORECAST_AS_OF, counterparty_id: str = "") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    filters = Filters(
        as_of=as_of, currency="RUB", manager="", group="", counterparty_id=counterparty_id, contract_id=""
    )
    test.session_state["page_context"] = PageContext(language, filters)
    return test


def texts(values: object) -> list[str]:
    return [str(v)[:10] for v in values]  # type: ignore[attr-defined]


def test_empty_warehouse(app_db: str) -> None:
    test = page("forecast").run()
    assert not test.exception
    assert any("Хранилище пусто" in info.value for info in test.info)


def test_nothing_owed_says_so(forecast_db: str) -> None:
    test = page("forecast", as_of=date(2024, 1, 1)).run()
    assert not test.exception
    assert [info.value for info in test.info] == ["На 01.01.2024 открытого долга в RUB нет: ждать нечего."]


def test_thirteen_weeks_in_russian(forecast_db: str) -> None:
    test = page("forecast").run()
    assert not test.exception
    assert test.title[0].value == "Прогноз поступлений"
    tiles = {m.label: m for m in test.metric}
    # Week 1 (01.07-07.07): S22 and S21 overdue and S20 due 05.07 by the contract, 170,00; 4 weeks: all 220,00.
    assert tiles["Ожидается за неделю"].delta == f"по договору 170{NB}₽"
    assert tiles["Ожидается за 4 недели"].delta == f"по договору 220{NB}₽"
    assert tiles["Ожидается за 13 недель"].delta == f"по договору 220{NB}₽"
    assert "С вероятностью 80 %" in tiles["Ожидается за неделю"].help
    weeks = test.dataframe[0].value
    assert len(weeks) == 13
    assert texts(weeks["start"])[:2] == ["2025-07-01", "2025-07-08"]
    assert texts(weeks["date"])[:2] == ["2025-07-07", "2025-07-14"]
    assert texts(weeks["date"])[-1] == "2025-09-29"  # 30.06 + 91 days
    assert [str(v) for v in weeks["contractual"]][:3] == ["170.00", "50.00", "0.00"]
    # The documents and their expected dates: S22 01.07, S21 07.07, S20 15.07, S30 21.07 (by expected date).
    documents = test.dataframe[1].value
    assert list(documents["number"]) == ["УПД-22", "УПД-21", "УПД-20", "УПД-30"]
    assert texts(documents["expected_date"]) == ["2025-07-01", "2025-07-07", "2025-07-15", "2025-07-21"]
    assert list(documents["counterparty_name"]) == ["Альфа", "Альфа", "Альфа", "Бета"]


def test_thirteen_weeks_in_english(forecast_db: str) -> None:
    test = page("forecast", language="en").run()
    assert not test.exception
    assert test.title[0].value == "Cash-in forecast"
    tiles = {m.label: m for m in test.metric}
    assert tiles["Expected next week"].delta == "170 RUB by due dates"
    assert "With 80 % probability" in tiles["Expected next week"].help
    assert test.subheader[0].value == "By week: contractual and expected"


@pytest.mark.parametrize(("language", "heading"), [("ru", "Ожидаемая оплата"), ("en", "Expected payment")])
def test_the_card_shows_each_open_debits_expected_date(forecast_db: str, language: str, heading: str) -> None:
    test = page("counterparty", language=language, counterparty_id="K1").run()
    assert not test.exception
    documents = next(frame.value for frame in test.dataframe if "expected_date" in frame.value.columns)
    dates = dict(zip(documents["number"], texts(documents["expected_date"]), strict=True))
    assert dates == {"УПД-22": "2025-07-01", "УПД-21": "2025-07-07", "УПД-20": "2025-07-15"}
    config = next(frame for frame in test.dataframe if "expected_date" in frame.value.columns).proto.columns
    assert json.loads(config)["expected_date"]["label"] == heading
