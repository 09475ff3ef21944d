"""Charts drawn on the server as inline SVG, for the first page everyone opens.

A plotly chart is drawn by plotly.js in the browser: about 4.6 MB of JavaScript, which the browser loads,
parses and runs before it draws anything. On this project's 2-core machine that took 3-4 s of every fresh
tab (a bare Streamlit page with one plotly chart: the chart at 4-6 s, its title at 1.3 s), whatever the
server did. The overview's two charts (the overdue trend and the buckets) are plain shapes, so they are
drawn here as SVG markup that arrives with the page: no script, no wait. Exact amounts are in each
shape's title (the browser's tooltip) and in the tables; positions are pixels, so floats are fine there.

The axes read as on every other chart (dashboard.ui.chart_style). Text takes the page's font and color
(`currentColor`), so the charts follow Streamlit's light and dark themes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from dashboard.formatting import day
from dashboard.i18n import bucket_label, bucket_parts
from dashboard.ui.chart_style import NOT_DUE_COLORS, OVERDUE_COLORS, bucket_colors, date_tick, money_ticks
from domain.money import money

WIDTH = 480  # the drawing's own units, about a half-width column's pixels; the SVG scales to its column
FONT = 12
CHAR = 6.6  # a rough width of one character at FONT, to make room for labels
GRID = 'stroke="currentColor" stroke-opacity="0.15"'


@dataclass(frozen=True)
class Bar:
    """A bar: its full label (in its title), the short one beneath it, and the caption of its group (written
    once under each run of bars of the same group: «дн. до срока», «дн. просрочки»)."""

    label: str
    kopecks: int
    color: str
    tick: str
    group: str = ""


@dataclass(frozen=True)
class Layer:
    """One band of a stacked area: its label, color and an amount per date (kopecks)."""

    label: str
    color: str
    kopecks: Sequence[int]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(name: str, title: str, height: float, body: list[str]) -> str:
    # One line: Streamlit's markdown would otherwise read an indented line as code.
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" data-chart="{_e(name)}" role="img" aria-label="{_e(title)}" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" style="max-width:100%;height:auto;overflow:visible" '
        f'font-size="{FONT}" fill="currentColor">' + "".join(body) + "</svg>"
    )


class _Scale:
    """Rubles to the drawing's y: zero and the ticks' range mapped onto [top, bottom]."""

    def __init__(self, values: Sequence[float], language: str, top: float, bottom: float) -> None:
        self.ticks, self.texts = money_ticks(values, language)
        low = min([0.0, *self.ticks])
        high = max([0.0, *self.ticks]) or 1.0
        self.low, self.high, self.top, self.bottom = low, high, top, bottom

    def y(self, rubles: float) -> float:
        return self.bottom - (rubles - self.low) / (self.high - self.low) * (self.bottom - self.top)

    def left_margin(self) -> float:
        return max((len(t) for t in self.texts), default=1) * CHAR + 8

    def draw(self, left: float, right: float) -> list[str]:
        """Grid lines and labels at the ticks."""
        out = []
        for tick, text in zip(self.ticks, self.texts, strict=True):
            y = self.y(tick)
            out.append(f'<line x1="{_n(left)}" x2="{_n(right)}" y1="{_n(y)}" y2="{_n(y)}" {GRID}/>')
            label = f'<text x="{_n(left - 6)}" y="{_n(y + FONT / 3)}" text-anchor="end" fill-opacity="0.7">'
            out.append(f"{label}{_e(text)}</text>")
        return out


def _runs(groups: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first, last, group) of each run of equal neighbours."""
    runs: list[tuple[int, int, str]] = []
    for index, group in enumerate(groups):
        if runs and runs[-1][2] == group:
            runs[-1] = (runs[-1][0], index, group)
        else:
            runs.append((index, index, group))
    return runs


def bars(items: Sequence[Bar], *, name: str, title: str, language: str, currency: str, height: int = 280) -> str:
    """A bar per item (the aging buckets): its short label beneath, its group's caption under each run of
    bars, its full label and exact amount in its title."""
    rubles = [b.kopecks / 100 for b in items]
    grouped = any(b.group for b in items)
    bottom = height - 6 - (2 if grouped else 1) * (FONT + 4)
    scale = _Scale(rubles, language, top=8, bottom=bottom)
    left = scale.left_margin()
    slot = (WIDTH - left) / max(len(items), 1)
    body = scale.draw(left, WIDTH)
    zero = scale.y(0)
    for index, (item, value) in enumerate(zip(items, rubles, strict=True)):
        x = left + index * slot + slot * 0.15
        y = min(scale.y(value), zero)
        tip = f"{item.label}: {money(item.kopecks, language, currency)}"
        body.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(slot * 0.7)}" height="{_n(abs(zero - scale.y(value)))}" '
            f'fill="{_e(item.color)}" data-label="{_e(item.label)}" data-kopecks="{item.kopecks}">'
            f"<title>{_e(tip)}</title></rect>"
        )
        body.append(
            f'<text x="{_n(left + (index + 0.5) * slot)}" y="{_n(bottom + FONT + 2)}" text-anchor="middle" '
            f'fill-opacity="0.8">{_e(item.tick)}</text>'
        )
    body.append(f'<line x1="{_n(left)}" x2="{WIDTH}" y1="{_n(zero)}" y2="{_n(zero)}" stroke="currentColor"/>')
    if grouped:
        line_y = bottom + FONT + 7
        for first, last, group in _runs([b.group for b in items]):
            x1, x2 = left + first * slot + 4, left + (last + 1) * slot - 4
            body.append(f'<line x1="{_n(x1)}" x2="{_n(x2)}" y1="{_n(line_y)}" y2="{_n(line_y)}" {GRID}/>')
            body.append(
                f'<text x="{_n((x1 + x2) / 2)}" y="{_n(line_y + FONT + 2)}" text-anchor="middle" '
                f'fill-opacity="0.7">{_e(group)}</text>'
            )
    return _svg(name, title, height, body)


def _month_ticks(dates: Sequence[date], most: int = 7) -> list[int]:
    """Positions of the first date of each month, every k-th one so that at most `most` are labelled."""
    firsts = [i for i, d in enumerate(dates) if i == 0 or (d.year, d.month) != (dates[i - 1].year, dates[i - 1].month)]
    step = -(-len(firsts) // most) if firsts else 1
    return firsts[::step]


def stacked_area(
    dates: Sequence[date],
    layers: Sequence[Layer],
    *,
    name: str,
    title: str,
    language: str,
    currency: str,
    height: int = 280,
) -> str:
    """Layers stacked over time, the first at the bottom; a column per date carries every layer's exact
    amount in its title; months on the axis, the legend beneath."""
    count = len(dates)
    totals = [sum(layer.kopecks[i] for layer in layers) / 100 for i in range(count)]
    bottom = height - 2 * FONT - 18
    scale = _Scale(totals, language, top=10, bottom=bottom)
    left = scale.left_margin()
    step = (WIDTH - left) / max(count - 1, 1)

    def x(i: int) -> float:
        return left + i * step

    body = scale.draw(left, WIDTH)
    below = [0.0] * count
    for layer in layers:
        above = [below[i] + layer.kopecks[i] / 100 for i in range(count)]
        upper = " ".join(f"{_n(x(i))},{_n(scale.y(above[i]))}" for i in range(count))
        lower = " ".join(f"{_n(x(i))},{_n(scale.y(below[i]))}" for i in reversed(range(count)))
        body.append(
            f'<polygon points="{upper} {lower}" fill="{_e(layer.color)}" fill-opacity="0.85" '
            f'data-label="{_e(layer.label)}" data-kopecks="{",".join(str(k) for k in layer.kopecks)}"/>'
        )
        below = above
    for i in _month_ticks(dates):
        body.append(
            f'<text x="{_n(x(i))}" y="{_n(bottom + FONT + 4)}" text-anchor="middle" fill-opacity="0.7">'
            f"{_e(date_tick(dates[i], language, monthly=True))}</text>"
        )
    for i, when in enumerate(dates):  # hover columns: the date and every layer's amount
        tip = "\n".join(
            [
                day(when, language),
                *(f"{layer.label}: {money(layer.kopecks[i], language, currency)}" for layer in layers),
            ]
        )
        body.append(
            f'<rect x="{_n(x(i) - step / 2)}" y="{_n(scale.top)}" width="{_n(step)}" height="{_n(bottom - scale.top)}" '
            f'fill="transparent"><title>{_e(tip)}</title></rect>'
        )
    legend_x = left
    for layer in layers:
        body.append(
            f'<rect x="{_n(legend_x)}" y="{_n(height - FONT - 2)}" width="10" height="10" fill="{_e(layer.color)}"/>'
        )
        body.append(f'<text x="{_n(legend_x + 14)}" y="{_n(height - 3)}">{_e(layer.label)}</text>')
        legend_x += 14 + len(layer.label) * CHAR + 18
    return _svg(name, title, height, body)


def buckets_chart(totals: dict[str, int], *, title: str, language: str, currency: str) -> str:
    """The overview's buckets: one bar per bucket (due buckets first, as Buckets.names) in bucket_colors,
    spans of days beneath, «дн. до срока» / «дн. просрочки» under each group."""
    names = list(totals)
    items = []
    for bucket, color in zip(names, bucket_colors(names), strict=True):
        span, unit = bucket_parts(bucket, language)
        items.append(Bar(bucket_label(bucket, language), totals[bucket], color, span, unit))
    return bars(items, name="buckets", title=title, language=language, currency=currency)


def trend_chart(trend: pl.DataFrame, columns: dict[str, str], *, title: str, language: str, currency: str) -> str:
    """The overview's trend: `columns` (a frame column -> its label) stacked in that order, the first in the
    not-due blue, then the overdue colors."""
    palette = [NOT_DUE_COLORS[0], *OVERDUE_COLORS]
    layers = [
        Layer(label, palette[i % len(palette)], trend[column].fill_null(0).to_list())
        for i, (column, label) in enumerate(columns.items())
    ]
    return stacked_area(
        trend["date"].to_list(), layers, name="trend", title=title, language=language, currency=currency
    )
