"""Chart axes speak the user's language: amounts as «100 млн» / «100M» (plotly wrote 400M and 1.5G in both),
dates as 07.2026 in Russian (plotly's month names are English only)."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl

from dashboard.ui.charts import buckets_bar, money_axis, trend_area


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


def test_the_overview_charts_are_in_the_users_language() -> None:
    trend = pl.DataFrame(
        {
            "date": [date(2026, 6, 30), date(2026, 7, 31)],
            "not_due": [30_000_000_000, 31_000_000_000],
            "overdue": [9_000_000_000, 9_010_000_000],
        }
    )
    area = trend_area(trend, {"not_due": "Не наступил срок", "overdue": "Просрочено"}, "ru")
    assert area.layout.xaxis.tickformat == "%m.%Y"
    assert area.layout.separators == ", "
    assert "400\u00a0млн" in area.layout.yaxis.ticktext
    bars = buckets_bar({"due_0_7": 5_800_000_000, "overdue_1_30": 4_400_000_000}, {}, "en")
    assert bars.layout.separators == ".,"
    assert "50M" in bars.layout.yaxis.ticktext


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
