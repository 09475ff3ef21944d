"""Plotly figure builders: DataFrames in, figures out (no streamlit here).

Amounts are plotted in rubles (kopecks / 100): a chart is a picture, exact figures stay in the tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal

# Imported, not used: plotly looks pandas up in sys.modules without importing it (should_load=False), so
# while another thread is still importing pandas on a fresh server (a rerun's old script thread), a chart
# got the half-made module and the first page showed "partially initialized module 'pandas'". A real
# import waits for the other thread to finish.
import pandas  # noqa: F401
import plotly.graph_objects as go
import polars as pl

from dashboard.formatting import fraction
from domain.money import short_number

OVERDUE_COLORS = ["#f6c85f", "#f28e2b", "#e15759", "#b0413e", "#6b1f1f"]
NOT_DUE_COLORS = ["#4e79a7", "#6b9bc3", "#8cb8dc", "#b6d4ea"]


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
    plotly's ``400M``/``1.5G``: ticks at round steps from zero out to the largest value, below zero too
    when some values are negative (payments drawn down)."""
    known = [v for v in values if not math.isnan(v)]
    largest = max((abs(v) for v in known), default=0.0)
    if largest <= 0:
        return figure
    magnitude = 10 ** math.floor(math.log10(largest))
    low, high = min(*known, 0.0), max(*known, 0.0)
    step = next(m * magnitude for m in (0.1, 0.2, 0.5, 1, 2, 5, 10) if (high - low) / (m * magnitude) <= 6)
    ticks = [step * i for i in range(math.floor(low / step), int(high // step) + 2)]
    texts = [short_number(Decimal(str(round(v, 2))), language, trim=True) or fraction(v, language, 0) for v in ticks]
    figure.update_layout({axis: {"tickvals": ticks, "ticktext": texts}})
    return figure


def date_axis(figure: go.Figure, language: str, monthly: bool = False, axis: str = "xaxis") -> go.Figure:
    """Dates as the language writes them: ``07.2026`` / ``15.07.2026`` in Russian (plotly's month names are
    English only), ``Jul 2026`` / ``2026-07-15`` in English."""
    formats = {("ru", True): "%m.%Y", ("ru", False): "%d.%m.%Y", ("en", True): "%b %Y", ("en", False): "%Y-%m-%d"}
    tickformat = formats[("ru" if language == "ru" else "en", monthly)]
    figure.update_layout({axis: {"tickformat": tickformat}})
    return figure


def bucket_colors(names: list[str]) -> list[str]:
    """A color per bucket, whatever the config's edges: not-due buckets in blues, overdue ones from yellow
    to dark red (the oldest ones past the fifth all dark red)."""
    due = [n for n in names if n.startswith("due_")]
    return [
        NOT_DUE_COLORS[i % len(NOT_DUE_COLORS)]
        if n.startswith("due_")
        else OVERDUE_COLORS[min(len(OVERDUE_COLORS) - 1, i - len(due))]
        for i, n in enumerate(names)
    ]


def buckets_bar(totals: dict[str, int], labels: dict[str, str], language: str = "ru", height: int = 320) -> go.Figure:
    """One bar per bucket (due buckets first, as Buckets.names), colored by bucket_colors."""
    names = list(totals)
    colors = bucket_colors(names)
    figure = go.Figure(
        go.Bar(
            x=[labels.get(n, n) for n in names],
            y=[totals[n] / 100 for n in names],
            marker_color=colors,
            hovertemplate="%{x}: %{y:,.2f}<extra></extra>",
        )
    )
    money_axis(figure, [totals[n] / 100 for n in names], language)
    return _layout(figure, height, language)


def trend_area(trend: pl.DataFrame, columns: dict[str, str], language: str = "ru", height: int = 260) -> go.Figure:
    """Stacked areas over time; `columns` maps a frame column to its label."""
    figure = go.Figure()
    palette = ["#4e79a7", *OVERDUE_COLORS]
    for index, (column, label) in enumerate(columns.items()):
        figure.add_trace(
            go.Scatter(
                x=trend["date"].to_list(),
                y=(trend[column] / 100).to_list(),
                name=label,
                stackgroup="one",
                mode="lines",
                line={"width": 0.5, "color": palette[index % len(palette)]},
            )
        )
    stacked = sum((trend[column] / 100 for column in columns), pl.Series([0.0] * trend.height))
    money_axis(figure, stacked.to_list(), language)
    date_axis(figure, language, monthly=True)
    return _layout(figure, height, language)


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
