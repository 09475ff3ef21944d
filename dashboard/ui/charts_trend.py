"""Figures of the overdue trend page: stacked areas by bucket, DSO lines with CEI bars (no streamlit here).

Amounts are plotted in rubles (kopecks / 100) and ratios as floats: a chart is a picture, the exact
figures stay in the tables beside it.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.ui.chart_style import NOT_DUE_COLORS, OVERDUE_COLORS
from dashboard.ui.charts import SEPARATORS, date_axis, money_axis


def _layout(figure: go.Figure, height: int, language: str) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.12},
        separators=SEPARATORS.get(language, SEPARATORS["en"]),
        hovermode="x unified",
    )
    return figure


def overdue_areas(
    trend: pl.DataFrame, not_due_label: str, buckets: dict[str, str], language: str = "ru", height: int = 440
) -> go.Figure:
    """Stacked areas over `trend["date"]`. `buckets` maps the overdue bucket columns, youngest first, to
    labels. The oldest debt lies at the bottom (dark red), younger buckets above it up to yellow (1-30
    days), and not due (pale blue) on top: overdue reads against the zero line, the top edge is the total
    owed. A click on "not due" in the legend hides it and the axis rescales to overdue alone."""
    figure = go.Figure()
    dates = trend["date"].to_list()
    layers = [(c, label, OVERDUE_COLORS[i % len(OVERDUE_COLORS)]) for i, (c, label) in enumerate(buckets.items())]
    for column, label, color in [*reversed(layers), ("not_due", not_due_label, NOT_DUE_COLORS[2])]:
        figure.add_trace(
            go.Scatter(
                x=dates,
                y=(trend[column] / 100).to_list(),
                name=label,
                stackgroup="one",
                mode="lines",
                line={"width": 0.5, "color": color},
                fillcolor=color,
                hovertemplate="%{y:,.2f}",
            )
        )
    date_axis(figure, language)
    total = sum((trend[column] / 100 for column in (*buckets, "not_due")), pl.Series([0.0] * trend.height))
    money_axis(figure, total.to_list(), language)
    figure.update_yaxes(rangemode="tozero")
    figure = _layout(figure, height, language)
    figure.update_layout(legend={"traceorder": "reversed"})  # the legend reads like the stack, top down
    return figure


def dso_cei_chart(kpis: pl.DataFrame, labels: dict[str, str], language: str = "ru", height: int = 380) -> go.Figure:
    """Per month: CEI as bars on the right axis (percent), countback and simple DSO as lines on the left
    (days). `labels` names the series and the axes: dso_countback, dso_simple, cei, days_axis, cei_axis."""
    months = kpis["month"].to_list()

    def values(column: str) -> list[float | None]:
        return [None if v is None else float(v) for v in kpis[column].to_list()]

    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            x=months,
            y=values("cei"),
            name=labels["cei"],
            yaxis="y2",
            marker_color="#b6d4ea",
            hovertemplate="%{y:.1f}%",
        )
    )
    for column, color, dash in (("dso_countback", "#4e79a7", "solid"), ("dso_simple", "#e15759", "dot")):
        figure.add_trace(
            go.Scatter(
                x=months,
                y=values(column),
                name=labels[column],
                mode="lines+markers",
                line={"color": color, "width": 2.5, "dash": dash},
                hovertemplate="%{y:.1f}",
            )
        )
    figure.update_layout(
        yaxis={"title": {"text": labels["days_axis"]}, "rangemode": "tozero"},
        yaxis2={
            "title": {"text": labels["cei_axis"]},
            "overlaying": "y",
            "side": "right",
            "range": [0, 105],
            "tickmode": "linear",
            "tick0": 0,
            "dtick": 20,
            "showgrid": False,
        },
        xaxis={"dtick": "M1"},
        bargap=0.35,
    )
    date_axis(figure, language, monthly=True)
    return _layout(figure, height, language)
