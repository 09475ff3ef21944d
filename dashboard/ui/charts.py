"""Plotly figure builders: DataFrames in, figures out (no streamlit here).

Amounts are plotted in rubles (kopecks / 100): a chart is a picture, exact figures stay in the tables.
"""

from __future__ import annotations

# Imported, not used: plotly looks pandas up in sys.modules without importing it (should_load=False), so
# while another thread is still importing pandas on a fresh server (a rerun's old script thread), a chart
# got the half-made module and the first page showed "partially initialized module 'pandas'". A real
# import waits for the other thread to finish.
import pandas  # noqa: F401
import plotly.graph_objects as go
import polars as pl

OVERDUE_COLORS = ["#f6c85f", "#f28e2b", "#e15759", "#b0413e", "#6b1f1f"]
NOT_DUE_COLORS = ["#4e79a7", "#6b9bc3", "#8cb8dc", "#b6d4ea"]


def _layout(figure: go.Figure, height: int) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        separators=", ",
    )
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


def buckets_bar(totals: dict[str, int], labels: dict[str, str], height: int = 320) -> go.Figure:
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
    return _layout(figure, height)


def trend_area(trend: pl.DataFrame, columns: dict[str, str], height: int = 260) -> go.Figure:
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
    return _layout(figure, height)


def stacked_bars(frame: pl.DataFrame, category: str, columns: dict[str, str], height: int = 420) -> go.Figure:
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
    return _layout(figure, height)
