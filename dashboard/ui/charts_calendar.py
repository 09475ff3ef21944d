"""The payment calendar as a GitHub-style heatmap: weeks as columns, weekdays as rows (no streamlit here).

Plotly selection events do not fire on heatmaps, so each day is a square marker of a scatter: a click
selects a point, and its customdata carries the day (picked_day reads it back). Colours are a picture
(a square-root scale of the amount within the shown window); the exact figures are in the hover and the tables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Literal

import plotly.graph_objects as go
import polars as pl

from dashboard.formatting import day as day_text
from domain.money import money
from queries.calendar import calendar_totals

EMPTY = "#ebedf0"  # GitHub's empty cell
EXPECTED_SCALE = [[0.0, "#c6dbef"], [0.5, "#4e79a7"], [1.0, "#08306b"]]
UNPAID_SCALE = [[0.0, "#fcbba1"], [0.5, "#e15759"], [1.0, "#67000d"]]
UNPAID_OUTLINE = "#b0413e"
AS_OF_OUTLINE = "#111111"
CELL = 32  # marker size, pixels
PITCH = 38  # pixels from one cell to the next


def month_start(day: date, months: int = 0) -> date:
    """The first day of the month `months` after (or before, when negative) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def calendar_window(anchor: date, months_before: int = 1, months_after: int = 1) -> tuple[date, date]:
    """The shown months around the anchor's month: (first day of the first, last day of the last)."""
    return month_start(anchor, -months_before), month_start(anchor, months_after + 1) - timedelta(days=1)


def whole_weeks(date_from: date, date_to: date) -> tuple[date, date]:
    """The range widened to whole weeks, Monday to Sunday, so every column of the grid is full."""
    return date_from - timedelta(days=date_from.weekday()), date_to + timedelta(days=6 - date_to.weekday())


def picked_day(selection: Mapping[str, Any] | None) -> date | None:
    """The day of the first selected cell of a calendar_heatmap (from st.plotly_chart's selection)."""
    points = (selection or {}).get("points") or []
    for point in points:
        custom = point.get("customdata")
        value = custom[0] if isinstance(custom, list | tuple) and custom else custom
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            continue
    return None


def _level(amount: int, largest: int) -> float:
    """0.15..1 on a square-root scale of the amount against the largest of its kind in the window: big days
    stand out, and a small amount is still visible."""
    if amount <= 0 or largest <= 0:
        return 0.0
    return 0.15 + 0.85 * math.sqrt(min(amount, largest) / largest)


def calendar_heatmap(
    layout: pl.DataFrame,
    *,
    as_of: date,
    shown: tuple[date, date],
    labels: Mapping[str, str],
    month_names: Sequence[str],
    weekday_names: Sequence[str],
    language: str = "ru",
    currency: str = "RUB",
) -> go.Figure:
    """One square per day of `layout` (queries.calendar.calendar_layout for one currency, whole weeks).

    Days outside `shown` (the months on screen) are faded; past days with an amount still unpaid are red,
    days ahead with an amount due are blue, the rest grey; the as-of date has a black outline.
    `labels`: legend.nothing, legend.expected, legend.unpaid, hover.due, hover.documents, hover.unpaid.
    """
    rows = layout.sort("date").to_dicts()
    first_week = min((r["week_start"] for r in rows), default=shown[0])
    # Past days keep only their unpaid remainder: each colour scale is relative to its own largest day.
    largest = {
        past: max((r["due"] for r in rows if r["is_past"] == past and shown[0] <= r["date"] <= shown[1]), default=0)
        for past in (True, False)
    }
    groups: dict[str, dict[str, list[Any]]] = {
        kind: {k: [] for k in ("x", "y", "text", "custom", "level", "opacity", "line", "width", "font")}
        for kind in ("nothing", "expected", "unpaid")
    }
    for row in rows:
        kind = "nothing" if row["due"] <= 0 else "unpaid" if row["is_past"] else "expected"
        group = groups[kind]
        level = _level(row["due"], largest[row["is_past"]])
        when = f"{weekday_names[row['weekday']]}, {day_text(row['date'], language)}"
        hover = when
        if row["due"] > 0:
            hover += f"<br>{labels['hover.due']}: {money(row['due'], language, currency)}"
            hover += f"<br>{labels['hover.documents']}: {row['documents']}"
            if kind == "unpaid":
                hover += f"<br>{labels['hover.unpaid']}"
        is_as_of = row["date"] == as_of
        group["x"].append((row["week_start"] - first_week).days // 7)
        group["y"].append(row["weekday"])
        group["text"].append(str(row["date"].day))
        group["custom"].append([row["date"].isoformat(), hover])
        group["level"].append(level)
        group["opacity"].append(1.0 if shown[0] <= row["date"] <= shown[1] else 0.35)
        group["line"].append(AS_OF_OUTLINE if is_as_of else UNPAID_OUTLINE if kind == "unpaid" else "#ffffff")
        group["width"].append(3 if is_as_of else 2 if kind == "unpaid" else 0)
        group["font"].append("#ffffff" if level > 0.6 else "#333333")

    figure = go.Figure()
    for kind, scale in (("nothing", None), ("expected", EXPECTED_SCALE), ("unpaid", UNPAID_SCALE)):
        group = groups[kind]
        if not group["x"]:
            continue
        color: Any = EMPTY if scale is None else group["level"]
        figure.add_trace(
            go.Scatter(
                x=group["x"],
                y=group["y"],
                mode="markers+text",
                name=labels[f"legend.{kind}"],
                text=group["text"],
                textfont={"size": 11, "color": group["font"]},
                customdata=group["custom"],
                hovertemplate="%{customdata[1]}<extra></extra>",
                marker={
                    "symbol": "square",
                    "size": CELL,
                    "color": color,
                    "colorscale": scale,
                    "cmin": 0,
                    "cmax": 1,
                    "opacity": group["opacity"],
                    "line": {"color": group["line"], "width": group["width"]},
                },
                selected={"marker": {"opacity": 1}},
                unselected={"marker": {"opacity": 0.45}},
            )
        )

    weeks = max((p for g in groups.values() for p in g["x"]), default=0) + 1
    month = month_start(shown[0])
    while month <= shown[1]:
        column = ((month - timedelta(days=month.weekday())) - first_week).days // 7
        figure.add_annotation(
            x=column - 0.45,
            y=1.0,
            yref="paper",
            xanchor="left",
            yanchor="bottom",
            text=f"<b>{month_names[month.month - 1]} {month.year}</b>",
            showarrow=False,
            font={"size": 13},
        )
        month = month_start(month, 1)
    figure.update_xaxes(range=[-0.6, weeks - 0.4], visible=False, fixedrange=True)
    figure.update_yaxes(
        range=[6.6, -0.6],
        tickvals=list(range(7)),
        ticktext=list(weekday_names),
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    figure.update_layout(
        width=46 + weeks * PITCH,
        height=40 + 7 * PITCH + 60,
        margin={"l": 36, "r": 6, "t": 40, "b": 10},
        plot_bgcolor="#ffffff",
        showlegend=True,
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0},
        clickmode="event+select",
        dragmode=False,
        separators=", " if language == "ru" else ".,",
    )
    return figure


def totals_with_unpaid(layout: pl.DataFrame, freq: Literal["week", "month"]) -> pl.DataFrame:
    """queries.calendar.calendar_totals of one currency's layout, with `unpaid`: the part due on past days
    still unpaid as of the as-of date, and `paid`: what of the amounts that fell due on past days has been
    paid (the whole amount due less what is open). Columns: period_start, period_end, due (on past days the
    amounts that fell due, on days to come what is still expected), paid, unpaid, documents."""
    past = pl.col("is_past")
    parts = layout.with_columns(
        pl.when(past).then(pl.col("due")).otherwise(0).alias("unpaid"),
        pl.when(past).then(pl.col("fell_due") - pl.col("due")).otherwise(0).alias("paid"),
        # What a period is about: on a past day, what fell due; on a day to come, what is still expected.
        pl.when(past).then(pl.col("fell_due")).otherwise(pl.col("due")).alias("shown_due"),
    )
    columns = ("due", "paid", "unpaid", "documents")
    return (
        calendar_totals(parts.drop("due").rename({"shown_due": "due"}), freq, columns)
        .select("period_start", "period_end", "due", "paid", "unpaid", "documents")
        .sort("period_start")
    )
