"""The payment calendar page through AppTest on the small warehouse of tests/helpers/ledgers.py, numbers by hand.

As of 31.12.2025 (RUB) three debits are open: S2 due 19.02.2025 (200.50 unpaid), S4 due 02.12.2025
(200.00, ИП Петров, УПД-4) and S5 due 12.01.2026 (100.00). The default window is November 2025 to
January 2026, drawn in whole weeks: Monday 27.10.2025 to Sunday 01.02.2026, 14 weeks.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from streamlit.testing.v1 import AppTest

from dashboard.ui.charts_calendar import calendar_heatmap, calendar_window, picked_day, whole_weeks
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from queries.calendar import calendar_layout
from tests.helpers.paths import ROOT

NB = "\u00a0"
AS_OF = date(2025, 12, 31)


def page(language: str = "ru", as_of: date = AS_OF, currency: str = "RUB") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "payment_calendar.py"), default_timeout=60)
    filters = Filters(as_of=as_of, currency=currency, manager="", group="", counterparty_id="", contract_id="")
    test.session_state["page_context"] = PageContext(language, filters)
    return test


def texts(values: object) -> list[str]:
    return [str(v)[:10] for v in values]  # type: ignore[attr-defined]


def test_empty_warehouse_gets_a_first_run_message(app_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert any("Хранилище пусто" in info.value for info in test.info)


def test_past_months_say_what_was_paid_of_what_fell_due(loaded_db: str) -> None:
    """As of 28.02.2025. January: S3 300,50 fell due on 29.01, paid by P2 on 05.02: paid in full. February:
    S1 1 000,00 (due 10.02, paid by P1) and S2 500,00 (due 19.02, 299,50 of it paid): 1 500,00 fell due,
    1 299,50 paid, 200,50 (13,4 %) unpaid. The tile read «200,50 не оплачено» of «200,50 к оплате» before."""
    test = page(as_of=date(2025, 2, 28)).run()
    assert not test.exception
    tiles = {m.label: (m.value, m.delta) for m in test.metric}
    assert tiles["Январь 2025: к оплате"] == (f"301{NB}₽", f"оплачено полностью: 301{NB}₽")
    assert tiles["Февраль 2025: к оплате"] == (
        f"1,5{NB}тыс.{NB}₽",
        f"не оплачено 201{NB}₽ (13,4{NB}%)",
    )
    months = test.dataframe[1].value
    february = months[[str(v)[:7] == "2025-02" for v in months["period_start"]]].iloc[0]
    assert (str(february["due"]), str(february["paid"]), str(february["unpaid"])) == ("1500.00", "1299.50", "200.50")


def test_default_window_totals_by_month_and_week(loaded_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert test.title[0].value == "Календарь платежей"
    tiles = {m.label: (m.value, m.delta) for m in test.metric}
    assert tiles["Ноябрь 2025: к оплате"] == (f"0{NB}₽", "документов: 0")
    # S4's 200.00 fell due on 02.12 and is unpaid on 31.12: past due, nothing of it paid.
    assert tiles["Декабрь 2025: к оплате"] == (f"200{NB}₽", f"не оплачено 200{NB}₽ (100,0{NB}%)")
    assert tiles["Январь 2026: к оплате"] == (f"100{NB}₽", "документов: 1")
    # S2's 200.50 fell due before the window: 201 ₽ in whole rubles, one document.
    assert tiles["Просрочено до 01.11.2025"] == (f"201{NB}₽", "документов: 1")
    assert len(test.get("plotly_chart")) == 1

    weeks = test.dataframe[0].value
    assert len(weeks) == 14
    assert texts(weeks["period_start"])[0] == "2025-10-27"
    assert texts(weeks["period_start"])[-1] == "2026-01-26"
    by_week = {
        str(r["period_start"])[:10]: (str(r["due"]), str(r["unpaid"]), r["documents"]) for _, r in weeks.iterrows()
    }
    assert by_week["2025-12-01"] == ("200.00", "200.00", 1)
    assert by_week["2026-01-12"] == ("100.00", "0.00", 1)
    assert sum(r[2] for r in by_week.values()) == 2

    months = test.dataframe[1].value
    assert texts(months["period_start"]) == ["2025-11-01", "2025-12-01", "2026-01-01"]
    assert [str(v) for v in months["due"]] == ["0.00", "200.00", "100.00"]
    assert [str(v) for v in months["unpaid"]] == ["0.00", "200.00", "0.00"]

    # The chosen day starts at the as-of date, when nothing falls due.
    assert test.date_input(key="calendar_day").value == AS_OF
    assert any("На 31.12.2025 не приходится" in info.value for info in test.info)


def test_choosing_a_day_lists_its_documents(loaded_db: str) -> None:
    test = page().run()
    test.date_input(key="calendar_day").set_value(date(2025, 12, 2)).run()
    assert not test.exception
    assert test.subheader[0].value == "Документы со сроком 02.12.2025"
    assert any(f"200,00{NB}₽, документов: 1" in m.value for m in test.markdown)
    documents = test.dataframe[2].value
    assert list(documents["number"]) == ["УПД-4"]
    assert list(documents["counterparty_name"]) == ["ИП Петров Пётр Петрович"]
    assert [str(v) for v in documents["open_amount"]] == ["200.00"]
    assert list(documents["kind"]) == ["Отгрузка"]


def test_month_switcher(loaded_db: str) -> None:
    test = page().run()
    test.button(key="calendar_prev").click().run()
    assert not test.exception
    labels = [m.label for m in test.metric]
    assert labels[:3] == ["Октябрь 2025: к оплате", "Ноябрь 2025: к оплате", "Декабрь 2025: к оплате"]
    assert {m.label: m.value for m in test.metric}["Просрочено до 01.10.2025"] == f"201{NB}₽"

    for _ in range(4):
        test.button(key="calendar_next").click().run()
    assert not test.exception
    tiles = {m.label: m.value for m in test.metric}
    assert list(tiles)[:3] == ["Февраль 2026: к оплате", "Март 2026: к оплате", "Апрель 2026: к оплате"]
    # A window after the as-of date: everything past due as of 31.12.2025 came before it, S2 + S4 = 400.50.
    assert tiles["Просрочено до 31.12.2025"] == f"401{NB}₽"

    test.button(key="calendar_today").click().run()
    assert [m.label for m in test.metric][1] == "Декабрь 2025: к оплате"


def test_english_and_a_currency_without_debt(loaded_db: str) -> None:
    test = page("en").run()
    assert not test.exception
    assert test.title[0].value == "Payment calendar"
    tiles = {m.label: m.value for m in test.metric}
    assert tiles["December 2025: due"] == "200 RUB"

    # Nothing in dollars: an empty grid and zero tiles, not an error.
    dollars = page("en", currency="USD").run()
    assert not dollars.exception
    assert {m.label: m.value for m in dollars.metric}["December 2025: due"] == "0 USD"
    assert len(dollars.dataframe[0].value) == 14


def test_heatmap_cells_and_the_picked_day() -> None:
    shown = calendar_window(AS_OF)
    assert shown == (date(2025, 11, 1), date(2026, 1, 31))
    grid = whole_weeks(*shown)
    assert grid == (date(2025, 10, 27), date(2026, 2, 1))
    calendar = pl.DataFrame(
        {"date": [date(2025, 12, 2), date(2026, 1, 12)], "currency": ["RUB", "RUB"], "due": [20_000, 10_000]},
        schema={"date": pl.Date, "currency": pl.String, "due": pl.Int64},
    ).with_columns(pl.lit(1, dtype=pl.Int64).alias("documents"))
    layout = calendar_layout(calendar, *grid, AS_OF, currencies=["RUB"])
    labels = {
        "legend.nothing": "nothing",
        "legend.expected": "expected",
        "legend.unpaid": "unpaid",
        "hover.due": "Due",
        "hover.documents": "Documents",
        "hover.unpaid": "past due",
    }
    figure = calendar_heatmap(
        layout,
        as_of=AS_OF,
        shown=shown,
        labels=labels,
        month_names=[str(m) for m in range(1, 13)],
        weekday_names=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        language="en",
    )
    traces = {trace.name: trace for trace in figure.data}
    assert sum(len(trace.x) for trace in figure.data) == 14 * 7
    unpaid, expected = traces["unpaid"], traces["expected"]
    # 02.12.2025 is a Tuesday of the sixth week column (27.10 is column 0); 12.01.2026 a Monday of column 11.
    assert (list(unpaid.x), list(unpaid.y), unpaid.customdata[0][0]) == ([5], [1], "2025-12-02")
    assert unpaid.customdata[0][1] == "Tue, 2025-12-02<br>Due: 200.00 RUB<br>Documents: 1<br>past due"
    assert (list(expected.x), list(expected.y), expected.customdata[0][0]) == ([11], [0], "2026-01-12")
    months = [a.text for a in figure.layout.annotations]
    assert months == ["<b>11 2025</b>", "<b>12 2025</b>", "<b>1 2026</b>"]

    assert picked_day({"points": [{"customdata": ["2025-12-02", "hover"]}]}) == date(2025, 12, 2)
    assert picked_day({"points": [], "box": [], "lasso": []}) is None
    assert picked_day({"points": [{"x": 3, "y": 1}]}) is None
    assert picked_day(None) is None
