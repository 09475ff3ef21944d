"""The counterparty card's timeline: shipments and payments per month, the balance day by day.

Built from the reconciliation act of the period (queries.act.act), so the line ends on the act's closing
balance and every bar is a sum of the act's rows. Rubles on the chart (kopecks / 100); exact figures stay
in the tables.
"""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl

from dashboard.ui.chart_style import NOT_DUE_COLORS, OVERDUE_COLORS
from dashboard.ui.charts import _layout, money_axis

SHIPMENT_COLOR = NOT_DUE_COLORS[0]
PAYMENT_COLOR = "#59a14f"
BALANCE_COLOR = OVERDUE_COLORS[3]


def monthly_flows(act_frame: pl.DataFrame) -> pl.DataFrame:
    """Per month of the act's documents: shipments (debits of shipments) and payments (credits of payments)."""
    documents = act_frame.filter(pl.col("kind") == "document")
    return (
        documents.with_columns(pl.col("date").dt.truncate("1mo").alias("month"))
        .group_by("month")
        .agg(
            pl.col("debit").filter(pl.col("doc_kind") == "shipment").sum().alias("shipments"),
            pl.col("credit").filter(pl.col("doc_kind") == "payment").sum().alias("payments"),
        )
        .sort("month")
    )


def daily_balance(act_frame: pl.DataFrame) -> pl.DataFrame:
    """The balance at the close of each day with a document, from the opening row to the closing row."""
    opening = act_frame.filter(pl.col("kind") == "opening")
    closing = act_frame.filter(pl.col("kind") == "closing")
    if opening.height == 0 or closing.height == 0:
        return pl.DataFrame(schema={"date": pl.Date, "balance": pl.Int64})
    start = int(opening["debit"].fill_null(0)[0]) - int(opening["credit"].fill_null(0)[0])
    moves = (
        act_frame.filter(pl.col("kind") == "document")
        .group_by("date")
        .agg((pl.col("debit").fill_null(0) - pl.col("credit").fill_null(0)).sum().alias("change"))
        .sort("date")
        .with_columns((pl.col("change").cum_sum() + start).alias("balance"))
        .select("date", "balance")
    )
    first = pl.DataFrame({"date": [opening["date"][0]], "balance": [start]}, schema=moves.schema)
    last_day: date = closing["date"][0]
    end = moves["balance"][-1] if moves.height else start
    last = pl.DataFrame({"date": [last_day], "balance": [end]}, schema=moves.schema)
    return pl.concat([first, moves, last]).unique("date", keep="last").sort("date")


def timeline(act_frame: pl.DataFrame, labels: dict[str, str], language: str = "ru", height: int = 340) -> go.Figure:
    """Bars: shipments up, payments down, per month; a step line: the balance after each day."""
    flows = monthly_flows(act_frame)
    balance = daily_balance(act_frame)
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            x=flows["month"].to_list(),
            y=(flows["shipments"] / 100).to_list(),
            name=labels["shipments"],
            marker_color=SHIPMENT_COLOR,
            xperiod="M1",
            xperiodalignment="middle",
            hovertemplate="%{x|%m.%Y}: %{y:,.2f}<extra>" + labels["shipments"] + "</extra>",
        )
    )
    figure.add_trace(
        go.Bar(
            x=flows["month"].to_list(),
            y=(-flows["payments"] / 100).to_list(),
            name=labels["payments"],
            marker_color=PAYMENT_COLOR,
            xperiod="M1",
            xperiodalignment="middle",
            customdata=(flows["payments"] / 100).to_list(),
            hovertemplate="%{x|%m.%Y}: %{customdata:,.2f}<extra>" + labels["payments"] + "</extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=balance["date"].to_list(),
            y=(balance["balance"] / 100).to_list(),
            name=labels["balance"],
            mode="lines",
            line={"shape": "hv", "width": 2, "color": BALANCE_COLOR},
            hovertemplate="%{x|%d.%m.%Y}: %{y:,.2f}<extra>" + labels["balance"] + "</extra>",
        )
    )
    # Month names would come out in English in either language; numbers read the same in both.
    figure.update_layout(barmode="relative", xaxis={"tickformat": "%m.%Y"})
    figure.add_hline(y=0, line_width=1, line_color="#999999")
    drawn = [*(flows["shipments"] / 100).to_list(), *(-flows["payments"] / 100).to_list()]
    money_axis(figure, [*drawn, *(balance["balance"] / 100).to_list()], language)  # «10 млн», not «10M»
    return _layout(figure, height, language)
