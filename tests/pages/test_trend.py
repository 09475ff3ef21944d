"""The overdue trend page through AppTest on the small warehouse of tests/helpers/ledgers.py, numbers by hand.

The fixture as of 31.12.2025 (RUB): S2 (due 19.02.2025) has 200.50 unpaid, 315 days overdue; S4 (due
02.12.2025) 200.00, 29 days overdue; S5 (due 12.01.2026) 100.00 not due. In January 2025 S1 1 000.00,
S2 500.00 and S3 300.50 were shipped; P1 1 200.00 and P2 400.00 paid all but 200.50 of them in February.
"""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from tests.helpers.paths import ROOT

NB = "\u00a0"
AS_OF = date(2025, 12, 31)


def page(language: str = "ru", as_of: date = AS_OF, currency: str = "RUB") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "trend.py"), default_timeout=60)
    filters = Filters(as_of=as_of, currency=currency, manager="", group="", counterparty_id="", contract_id="")
    test.session_state["page_context"] = PageContext(language, filters)
    return test


def money(values: object) -> list[str]:
    return [str(v) for v in values]  # type: ignore[attr-defined]


def test_empty_warehouse_gets_a_first_run_message(app_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert any("Хранилище пусто" in info.value for info in test.info)


def test_default_view_weekly_for_the_last_twelve_months(loaded_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert test.title[0].value == "Динамика просрочки"
    metrics = {m.label: m.value for m in test.metric}
    # 100.00 not due + 400.50 overdue = 500.50 owed; whole rubles on a tile, 400.50 / 500.50 = 80.0 %
    assert metrics["Задолженность на 31.12.2025"] == f"501{NB}₽"
    assert metrics["Просрочено на 31.12.2025"] == f"401{NB}₽"
    assert metrics["Доля просрочки"] == f"80,0{NB}%"
    assert len(test.get("plotly_chart")) == 2

    trend = test.dataframe[0].value
    # 01.01.2025-31.12.2025: the 52 Sundays of 2025 (05.01 ... 28.12) and the period end, a Wednesday.
    assert len(trend) == 53
    assert str(trend["date"].iloc[0])[:10] == "2025-01-05"
    last = trend.iloc[-1]
    assert str(last["date"])[:10] == "2025-12-31"
    assert money([last["balance"], last["not_due"], last["overdue"]]) == ["500.50", "100.00", "400.50"]
    # S4 29 days overdue, S2 315 days: the 1-30 and 181+ buckets.
    assert money([last["overdue_1_30"], last["overdue_31_60"], last["overdue_181_plus"]]) == [
        "200.00",
        "0.00",
        "200.50",
    ]

    kpis = test.dataframe[1].value
    assert len(kpis) == 12
    december = kpis.iloc[-1]
    assert str(december["period_from"])[:10] == "2025-12-01"
    # December sales S4 + S5 = 300.00; receivables 500.50, of which 100.00 not due.
    assert money([december["credit_sales"], december["receivables"], december["current_receivables"]]) == [
        "300.00",
        "500.50",
        "100.00",
    ]
    # DSO = 500.50 / 300.00 x 31 = 51.72; best possible = 100 / 300 x 31 = 10.33; ADD = 51.7 - 10.3
    assert (december["dso_simple"], december["best_possible_dso"], december["average_days_delinquent"]) == (
        51.7,
        10.3,
        41.4,
    )
    # Countback: December's 300.00 sales (31 days), ten months without sales (Feb-Nov: 303 days), then
    # 200.50 of January's 1 800.50: 200.50 / 1 800.50 x 31 = 3.45 days; 31 + 303 + 3.45 = 337.5.
    assert december["dso_countback"] == 337.5
    # CEI = (200.50 + 300.00 - 500.50) / (200.50 + 300.00 - 100.00) = 0 %: nothing collected in December.
    assert december["cei"] == 0.0
    # February: (1 800.50 + 0 - 200.50) / (1 800.50 - 0) = 88.86 %; January: 1 800.50 owed of 1 800.50
    # sold in 31 days is 31.0 days.
    assert kpis.iloc[1]["cei"] == 88.9
    assert kpis.iloc[0]["dso_simple"] == 31.0


def test_monthly_step_and_a_chosen_period(loaded_db: str) -> None:
    test = page().run()
    test.button_group(key="trend_freq").set_value("month").run()
    assert not test.exception
    trend = test.dataframe[0].value
    assert len(trend) == 12
    january = trend.iloc[0]
    # 31.01.2025: S1 and S2 not due yet (1 500.00), S3 due 29.01 overdue 300.50, 2 days.
    assert money([january["not_due"], january["overdue"], january["overdue_1_30"]]) == ["1500.00", "300.50", "300.50"]

    test.date_input(key=f"trend_period_{AS_OF.isoformat()}").set_value((date(2025, 2, 1), date(2025, 3, 31))).run()
    assert not test.exception
    trend = test.dataframe[0].value
    assert [str(d)[:10] for d in trend["date"]] == ["2025-02-28", "2025-03-31"]
    # 31.03.2025: S2's 200.50 is 40 days overdue.
    assert money(trend["overdue_31_60"]) == ["0.00", "200.50"]
    assert money(trend["overdue_1_30"]) == ["200.50", "0.00"]
    kpis = test.dataframe[1].value
    assert [str(d)[:10] for d in kpis["period_from"]] == ["2025-02-01", "2025-03-01"]


def test_english_and_a_currency_without_debt(loaded_db: str) -> None:
    test = page("en").run()
    assert not test.exception
    assert test.title[0].value == "Overdue trend"
    metrics = {m.label: m.value for m in test.metric}
    assert metrics["Overdue on 2025-12-31"] == "401 RUB"
    assert test.subheader[1].value == "DSO and CEI by month"

    dollars = page("en", currency="USD").run()
    assert not dollars.exception
    assert any("Nothing was owed in USD" in info.value for info in dollars.info)
