"""Every page through Streamlit's AppTest on a small warehouse: no exception, the key numbers right."""

from __future__ import annotations

import ast
import json
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config
from streamlit.testing.v1 import AppTest

from etl.load import load_paths
from tests.helpers import svg
from tests.helpers.ledgers import source
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

_get = config.get_option
NB = "\u00a0"


def app(as_of: date | None = None) -> AppTest:
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    if as_of is not None:
        test.query_params["as_of"] = as_of.isoformat()
    return test


@pytest.mark.parametrize("path", sorted((ROOT / "pages").glob("*.py")), ids=lambda p: p.name)
def test_a_page_speaks_no_sql_and_holds_no_connection(path: Path) -> None:
    # Pages read through dashboard.ui.loaders and change things through dashboard.ui.actions.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    calls = {
        node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    assert not {m for m in imported if m == "sqlalchemy" or m.startswith("sqlalchemy.")}
    assert "get_engine" not in names
    assert not calls & {"connect", "begin", "execute"}


def test_empty_warehouse_gets_a_first_run_message(app_db: str) -> None:
    test = app().run()
    assert not test.exception
    assert any("Хранилище пусто" in info.value for info in test.info)


def test_overview_tiles_match_the_queries(app_db: str, tmp_path: Path) -> None:
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    test = app(date(2025, 12, 31)).run()
    assert not test.exception
    metrics = {m.label: m.value for m in test.metric}
    # As of 31.12.2025: C1 300.50 (S2 200.50 overdue, S5 100.00 not due) + C3 200.00 overdue = 500.50 owed.
    assert metrics["Дебиторская задолженность"] == f"501{NB}₽"
    # 200.50 + 200.00 = 400.50, whole rubles on a tile; 400.50 / 500.50 = 80.0 %
    assert metrics[f"Просрочено · 80,0{NB}%"] == f"401{NB}₽"
    assert metrics["Авансы полученные"] == f"0{NB}₽"
    # S5's 100.00 falls due on 12.01.2026, after this week (31.12-06.01) and this month: nothing falls due.
    assert metrics["К оплате на этой неделе"] == f"0{NB}₽"
    assert metrics["К оплате до конца месяца"] == f"0{NB}₽"
    # The tiles count due dates as if everyone paid on time, and say where the forecast is.
    helps = {m.label: m.proto.help for m in test.metric}
    assert "«Прогноз поступлений»" in helps["К оплате на этой неделе"]
    # The overview's two charts are SVG drawn on the server (no plotly.js to wait for on the first page); its
    # buckets' bars add up to the 500,50 owed.
    charts = svg.charts(test)
    assert set(charts) == {"trend", "buckets"}
    assert not test.get("plotly_chart")
    assert sum(kopecks for _label, kopecks in svg.bars(charts["buckets"])) == 50_050


def test_receivables_are_the_same_figure_on_the_overview_and_the_trend(app_db: str, tmp_path: Path) -> None:
    """The small ledger plus a client with only an advance (K3 paid 50,00 on a contract with nothing shipped):
    receivables 500,50 on both pages (the overview showed 450,50, the advance netted, the trend 500,50), the
    advance on its own tile."""
    folder = source(tmp_path)
    (folder / "counterparties_more.csv").write_text("counterparty_id,name\nK3,ООО «Аванс»\n", encoding="utf-8")
    (folder / "contracts_more.csv").write_text("contract_id,counterparty_id,number\nC9,K3,А-1\n", encoding="utf-8")
    (folder / "payments_more.csv").write_text(
        "document_id,date,amount,contract_id\nP9,2025-12-01,50,C9\n", encoding="utf-8"
    )
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [folder])
    engine.dispose()
    test = app(date(2025, 12, 31)).run()
    assert not test.exception
    overview = {m.label: m.value for m in test.metric}
    assert overview["Дебиторская задолженность"] == f"501{NB}₽"
    assert overview["Авансы полученные"] == f"50{NB}₽"
    test.switch_page("pages/trend.py").run()
    assert not test.exception
    assert test.metric[0].label == "Задолженность на 31.12.2025"
    assert test.metric[0].value == f"501{NB}₽"


def test_aging_page_table_and_language(app_db: str, tmp_path: Path) -> None:
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    test = app(date(2025, 12, 31))
    test.run()
    test.switch_page("pages/aging.py").run()
    assert not test.exception
    assert test.title[0].value == "Старение задолженности"
    # One row per counterparty (it listed contracts), the most overdue first, the card link first.
    table = test.dataframe[0].value
    assert list(table.columns[:4]) == ["card", "counterparty_name", "overdue", "balance"]
    assert list(table["counterparty_name"]) == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert [str(v) for v in table["overdue"]] == ["200.50", "200.00"]
    assert [str(v) for v in table["balance"]] == ["300.50", "200.00"]
    test.segmented_control(key="aging_by").set_value("manager").run()
    managers = test.dataframe[0].value
    assert list(managers["manager"]) == ["Иванов И.И.", "Сидоров С.С."]
    assert list(managers["counterparties"]) == [1, 1]

    english = app(date(2025, 12, 31))
    english.query_params["lang"] = "en"  # a shared link keeps its language
    english.run()
    english.switch_page("pages/aging.py").run()
    assert not english.exception
    assert english.title[0].value == "Aging"


def test_currency_defaults_to_rubles_whatever_the_list_order(app_db: str, tmp_path: Path) -> None:
    folder = source(tmp_path)
    (folder / "contracts_more.csv").write_text(
        "contract_id,counterparty_id,number,currency\nC9,K2,CNY-1,CNY\nC8,K2,A-1,AED\n", encoding="utf-8"
    )
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [folder])
    engine.dispose()
    test = app(date(2025, 12, 31)).run()
    assert test.selectbox(key="filter_currency").value == "RUB"  # not the first in the list


def test_a_counterparty_opens_from_the_tables_by_link(app_db: str, tmp_path: Path) -> None:
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    test = app(date(2025, 12, 31)).run()
    top = test.dataframe[0].value
    assert list(top["card"]) == [
        "counterparty?counterparty=K1&as_of=2025-12-31",
        "counterparty?counterparty=K2&as_of=2025-12-31",
    ]
    # Following the link: the sidebar takes the counterparty from the URL and the card shows it.
    linked = app(date(2025, 12, 31))
    linked.query_params["counterparty"] = "K2"
    linked.run()
    linked.switch_page("pages/counterparty.py").run()
    assert not linked.exception
    assert linked.title[0].value == "ИП Петров Пётр Петрович"


def test_a_failing_page_shows_one_line_and_logs_the_traceback(
    loaded_db: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from dashboard.ui import loaders

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("secret internals: postgresql://user:pw@host/db")

    monkeypatch.setattr(loaders, "kpi_summary", broken)  # the overview, run by the router's navigation
    # As `receivables serve` and .streamlit/config.toml run it: details off.
    monkeypatch.setattr(st, "get_option", lambda name: "none" if name == "client.showErrorDetails" else _get(name))
    test = app(date(2025, 12, 31)).run()
    assert not test.exception  # no traceback box
    assert test.error[0].value.startswith("Страница не открылась из-за внутренней ошибки (RuntimeError).")
    assert "secret internals" not in test.error[0].value
    assert "secret internals" in caplog.text  # the details are in the server's log


def test_the_configs_aging_buckets_show_on_the_overview_and_the_aging_page(loaded_db: str, tmp_path: Path) -> None:
    # [aging] due_edges = [10], overdue_edges = [45]: buckets due 0-10, due 11+, overdue 1-45, overdue 46+.
    # As of 31.12.2025 (tests/helpers/ledgers.py's small ledger): S5 100,00 due 12.01.2026 is 12 days to due (due 11+);
    # S4 200,00 due 02.12.2025 is 29 days overdue (1-45); S2 200,50 due 19.02.2025 is 315 days (46+).
    (tmp_path / "receivables.toml").write_text("[aging]\ndue_edges = [10]\noverdue_edges = [45]\n", "utf-8")
    labels = ["0–10 дн. до срока", "11+ дн. до срока", "1–45 дн. просрочки", "46+ дн. просрочки"]
    test = app(date(2025, 12, 31)).run()
    assert not test.exception
    buckets = svg.charts(test)["buckets"]
    assert svg.bars(buckets) == list(zip(labels, [0, 10_000, 20_000, 20_050], strict=True))  # kopecks
    # Spans beneath the bars, the group's unit once under each group.
    assert svg.texts(buckets)[-6:] == ["0–10", "11+", "1–45", "46+", "дн. до срока", "дн. просрочки"]

    test.switch_page("pages/aging.py").run()
    assert not test.exception
    names = ["due_0_10", "due_11_plus", "overdue_1_45", "overdue_46_plus"]
    config = json.loads(test.dataframe[0].proto.columns)
    assert [config[name]["label"] for name in names] == labels
    assert "overdue_1_30" not in config
    table = test.dataframe[0].value
    assert list(table["counterparty_name"]) == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert [[str(v) for v in table[name]] for name in names] == [
        ["0.00", "0.00"],
        ["100.00", "0.00"],  # S5
        ["0.00", "200.00"],  # S4
        ["200.50", "0.00"],  # S2
    ]
    chart = json.loads(test.get("plotly_chart")[0].proto.spec)["data"]  # by counterparty, largest balance first
    assert chart[0]["y"] == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert [(trace["name"], trace["x"]) for trace in chart] == [
        (labels[0], [0.0, 0.0]),
        (labels[1], [100.0, 0.0]),
        (labels[2], [0.0, 200.0]),
        (labels[3], [200.5, 0.0]),
    ]


@pytest.mark.parametrize(("language", "pattern"), [("ru", "DD.MM.YYYY"), ("en", "YYYY-MM-DD")])
def test_date_pickers_write_dates_as_the_language(app_db: str, tmp_path: Path, language: str, pattern: str) -> None:
    """The English pickers showed 01.10.2026 beside tables and texts that write 2026-10-01."""
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    test = app(date(2025, 12, 31))
    test.query_params["lang"] = language
    test.run()
    test.switch_page("pages/trend.py").run()
    assert not test.exception
    assert [picker.proto.format for picker in test.date_input] == [pattern]  # the trend's period
    test.switch_page("pages/payment_calendar.py").run()
    assert not test.exception
    assert {picker.key: picker.proto.format for picker in test.date_input}["calendar_day"] == pattern
