"""The cash-in forecast's figure (pages/forecast.py): contractual bars against the expected line and its
80 % band, per period (no streamlit here).

Amounts are plotted in rubles (kopecks / 100): a chart is a picture, the exact figures stay in the table.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.ui.chart_style import NOT_DUE_COLORS
from dashboard.ui.charts import SEPARATORS, date_axis, money_axis


def forecast_chart(periods: pl.DataFrame, labels: dict[str, str], language: str = "ru", height: int = 420) -> go.Figure:
    """`periods`: date (each period's last day), contractual, expected, low, high in kopecks; `labels` names
    contractual, expected and band. Bars: by due dates; the line: expected; the shaded band: low to high."""
    dates = periods["date"].to_list()

    def rubles(column: str) -> list[float]:
        return (periods[column] / 100).to_list()

    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            x=dates,
            y=rubles("contractual"),
            name=labels["contractual"],
            marker_color=NOT_DUE_COLORS[3],
            hovertemplate="%{y:,.2f}",
        )
    )
    figure.add_trace(
        go.Scatter(x=dates, y=rubles("high"), mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False)
    )
    figure.add_trace(
        go.Scatter(
            x=dates,
            y=rubles("low"),
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor="rgba(242, 142, 43, 0.22)",
            name=labels["band"],
            hoverinfo="skip",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=dates,
            y=rubles("expected"),
            name=labels["expected"],
            mode="lines+markers",
            line={"color": "#f28e2b", "width": 3},
            hovertemplate="%{y:,.2f}",
        )
    )
    date_axis(figure, language)
    money_axis(figure, rubles("contractual") + rubles("high"), language)
    figure.update_yaxes(rangemode="tozero")
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        separators=SEPARATORS.get(language, SEPARATORS["en"]),
        hovermode="x unified",
        bargap=0.3,
    )
    return figure
