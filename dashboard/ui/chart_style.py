"""How a chart looks, for the plotly charts (dashboard.ui.charts) and the SVG ones (dashboard.ui.svg_charts)
alike: the buckets' colors, round money ticks labelled ``400 млн`` / ``400M``, and dates as the language
writes them. No plotly here: the SVG charts must not pay for importing it."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from dashboard.formatting import fraction
from domain.money import short_number

OVERDUE_COLORS = ["#f6c85f", "#f28e2b", "#e15759", "#b0413e", "#6b1f1f"]
NOT_DUE_COLORS = ["#4e79a7", "#6b9bc3", "#8cb8dc", "#b6d4ea"]

# strftime formats of a date axis: (language, monthly ticks) -> format. Plotly's month names are English
# only, so Russian writes months as numbers.
DATE_TICK_FORMATS = {("ru", True): "%m.%Y", ("ru", False): "%d.%m.%Y", ("en", True): "%b %Y", ("en", False): "%Y-%m-%d"}


def money_ticks(values: Iterable[float], language: str) -> tuple[list[float], list[str]]:
    """Ticks at round steps (1, 2, 5 times a power of ten; at most about six) from zero out to the largest
    value, below zero too when some values are negative, with their labels; none when every value is zero.
    Values are rubles: a tick is a position on a picture, exact amounts stay in the tables and titles."""
    known = [v for v in values if not math.isnan(v)]
    largest = max((abs(v) for v in known), default=0.0)
    if largest <= 0:
        return [], []
    magnitude = 10 ** math.floor(math.log10(largest))
    low, high = min(*known, 0.0), max(*known, 0.0)
    step = next(m * magnitude for m in (0.1, 0.2, 0.5, 1, 2, 5, 10) if (high - low) / (m * magnitude) <= 6)
    ticks = [step * i for i in range(math.floor(low / step), int(high // step) + 2)]
    texts = [short_number(Decimal(str(round(v, 2))), language, trim=True) or fraction(v, language, 0) for v in ticks]
    return ticks, texts


def date_tick(value: date, language: str, monthly: bool) -> str:
    """A date on an axis: ``07.2026`` / ``Jul 2026`` for months, ``15.07.2026`` / ``2026-07-15`` for days."""
    return value.strftime(DATE_TICK_FORMATS[("ru" if language == "ru" else "en", monthly)])


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
