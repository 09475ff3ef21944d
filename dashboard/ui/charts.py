"""Plotly figure builders: DataFrames in, figures out (no streamlit here).

Amounts are plotted in rubles (kopecks / 100): a chart is a picture, exact figures stay in the tables.
"""

from __future__ import annotations

from collections.abc import Iterable

# Imported, not used: plotly looks pandas up in sys.modules without importing it (should_load=False), so
# while another thread is still importing pandas on a fresh server (a rerun's old script thread), a chart
# got the half-made module and the first page showed "partially initialized module 'pandas'". A real
# import waits for the other thread to finish.
import pandas  # noqa: F401
import plotly.graph_objects as go
import polars as pl

from dashboard.ui.chart_style import DATE_TICK_FORMATS, bucket_colors, money_ticks

SEPARATORS = {"ru": ", ", "en": ".,"}  # plotly's decimal mark, then its thousands separator


def _layout(figure: go.Figure, height: int, language: str = "ru") -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        separators=SEPARATORS.get(language, SEPARATORS["en"]),
    )
    return figure


def money_axis(figure: go.Figure, values: Iterable[float], language: str, axis: str = "yaxis") -> go.Figure:
    """An amount axis in rubles labelled as the language says it (``400 млн``, ``1,5 млрд``; ``400M``), not
    plotly's ``400M``/``1.5G`` (dashboard.ui.chart_style.money_ticks)."""
    ticks, texts = money_ticks(values, language)
    if ticks:
        figure.update_layout({axis: {"tickvals": ticks, "ticktext": texts}})
    return figure


def date_axis(figure: go.Figure, language: str, monthly: bool = False, axis: str = "xaxis") -> go.Figure:
    """Dates as the language writes them (dashboard.ui.chart_style.DATE_TICK_FORMATS)."""
    tickformat = DATE_TICK_FORMATS[("ru" if language == "ru" else "en", monthly)]
    figure.update_layout({axis: {"tickformat": tickformat}})
    return figure


def stacked_bars(
    frame: pl.DataFrame, category: str, columns: dict[str, str], language: str = "ru", height: int = 420
) -> go.Figure:
    """Horizontal stacked bars per category (counterparty, manager, group) by bucket; `columns` maps each
    bucket column (as Buckets.names) to its label."""
    figure = go.Figure()
    for (column, label), color in zip(columns.items(), bucket_colors(list(columns)), strict=True):
        figure.add_trace(
            go.Bar(
                y=frame[category].to_list(),
                x=(frame[column] / 100).to_list(),
                name=label,
                orientation="h",
                marker_color=color,
            )
        )
    figure.update_layout(barmode="stack", yaxis={"autorange": "reversed"})
    totals = sum((frame[column] / 100 for column in columns), pl.Series([0.0] * frame.height))
    money_axis(figure, totals.to_list(), language, axis="xaxis")
    return _layout(figure, height, language)
