"""Chart axes speak the user's language: amounts as «100 млн» / «100M» (plotly wrote 400M and 1.5G in both),
dates as 07.2026 in Russian (plotly's month names are English only)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import plotly.graph_objects as go
import polars as pl

from dashboard.ui.charts import money_axis
from dashboard.ui.svg_charts import buckets_chart, trend_chart
from tests.helpers import svg


def test_money_axis_in_russian_and_english() -> None:
    figure = money_axis(go.Figure(), [440_100_000.0, 12.5], "ru")
    assert figure.layout.yaxis.tickvals == (0, 100_000_000, 200_000_000, 300_000_000, 400_000_000, 500_000_000)
    assert figure.layout.yaxis.ticktext == (
        "0",
        "100\u00a0млн",
        "200\u00a0млн",
        "300\u00a0млн",
        "400\u00a0млн",
        "500\u00a0млн",
    )
    english = money_axis(go.Figure(), [1_500_000_000.0], "en")
    assert english.layout.yaxis.ticktext[:3] == ("0", "500M", "1B")
    assert english.layout.yaxis.ticktext[3] == "1.5B"


def test_the_overview_buckets_are_drawn_to_scale_in_the_users_language() -> None:
    """58 000 000,00 not due and 44 000 000,00 overdue: ticks every 10M up to 60M; the plot runs from y=8 to
    y=242 (280 high, less two rows of labels of 16 and a margin of 6), so 60M is 234 units: 58M is a bar
    226.2 high, 44M one 171.6 high. Exact amounts are in the titles, as the language writes money."""
    root = ET.fromstring(
        buckets_chart(
            {"due_0_7": 5_800_000_000, "overdue_1_30": 4_400_000_000},
            title="By due date",
            language="en",
            currency="RUB",
        )
    )
    assert svg.bars(root) == [("due in 0–7 d", 5_800_000_000), ("1–30 d overdue", 4_400_000_000)]
    heights = [r.attrib["height"] for r in root.iter(f"{svg.SVG}rect") if "data-kopecks" in r.attrib]
    assert heights == ["226.2", "171.6"]
    assert svg.texts(root) == [
        "0",
        "10M",
        "20M",
        "30M",
        "40M",
        "50M",
        "60M",
        "0–7",
        "1–30",
        "days to due",
        "days overdue",
    ]
    assert svg.titles(root) == ["due in 0–7 d: 58,000,000.00 RUB", "1–30 d overdue: 44,000,000.00 RUB"]
    assert root.attrib["aria-label"] == "By due date"


def test_the_overview_trend_stacks_its_layers_with_exact_amounts_in_russian() -> None:
    """Three weeks: 300 + 90 млн, 310 + 90,1 млн, then 310 млн and no overdue (a missing value is zero). The
    overdue band sits on the not-due one; months as 06.2026; each week's title has both exact amounts."""
    trend = pl.DataFrame(
        {
            "date": [date(2026, 6, 30), date(2026, 7, 7), date(2026, 7, 31)],
            "not_due": [30_000_000_000, 31_000_000_000, 31_000_000_000],
            "overdue": [9_000_000_000, 9_010_000_000, None],
        }
    )
    columns = {"not_due": "Не наступил срок", "overdue": "Просрочено"}
    root = ET.fromstring(trend_chart(trend, columns, title="Динамика", language="ru", currency="RUB"))
    nb = "\u00a0"
    assert svg.texts(root) == [
        "0",
        *(f"{n}{nb}млн" for n in (100, 200, 300, 400, 500)),
        "06.2026",
        "07.2026",
        *columns.values(),
    ]
    assert (
        svg.titles(root)[1]
        == f"07.07.2026\nНе наступил срок: 310{nb}000{nb}000,00{nb}₽\nПросрочено: 90{nb}100{nb}000,00{nb}₽"
    )
    assert svg.titles(root)[2].endswith(f"Просрочено: 0,00{nb}₽")
    bands = [p.attrib for p in root.iter(f"{svg.SVG}polygon")]
    assert [b["data-label"] for b in bands] == list(columns.values())
    # The overdue band's lower edge is the not-due band's upper edge, point for point.
    not_due_top = bands[0]["points"].split()[:3]
    overdue_bottom = list(reversed(bands[1]["points"].split()[3:]))
    assert not_due_top == overdue_bottom


def test_the_cards_chart_draws_payments_below_zero_in_the_users_language() -> None:
    """An act with 10 500 000,00 shipped in October and 8 000 000,00 paid in November: the bars go up to 10,5 млн
    and down to −8 млн, the balance line ends at 2,5 млн. The axis runs below zero too, in 5 млн steps (−10 to
    15 млн), labelled as Russian says it, not plotly's 10M."""
    from dashboard.ui.charts_counterparty import timeline

    act = pl.DataFrame(
        {
            "kind": ["opening", "document", "document", "closing"],
            "doc_kind": [None, "shipment", "payment", None],
            "date": [date(2026, 10, 1), date(2026, 10, 5), date(2026, 11, 10), date(2026, 11, 30)],
            "debit": [0, 1_050_000_000, 0, 250_000_000],
            "credit": [0, 0, 800_000_000, 0],
        }
    )
    labels = {"shipments": "Отгрузки", "payments": "Оплаты", "balance": "Сальдо"}
    figure = timeline(act, labels, "ru")
    assert figure.layout.yaxis.tickvals == (-10_000_000, -5_000_000, 0, 5_000_000, 10_000_000, 15_000_000)
    assert figure.layout.yaxis.ticktext[2:] == ("0", "5\u00a0млн", "10\u00a0млн", "15\u00a0млн")
    assert figure.layout.yaxis.ticktext[0] in ("-10\u00a0млн", "−10\u00a0млн")
    english = timeline(act, labels, "en")
    assert english.layout.yaxis.ticktext[3:] == ("5M", "10M", "15M")
