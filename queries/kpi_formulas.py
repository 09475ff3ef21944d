"""The KPI formulas, pure and exact: DSO (simple, countback, best possible), days delinquent, CEI, shares,
and the periods they are taken over. docs/kpis.md states each one with a worked example.

Money in is integer kopecks; a ratio comes out as a Decimal (days or percent, one decimal, half away
from zero) computed from exact fractions, never a float. The queries of queries.kpi, queries.kpi_position
and queries.kpi_periods read the warehouse and apply these.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import polars as pl

DAYS = pl.Decimal(18, 1)
PERCENT = pl.Decimal(18, 1)


# -- periods


@dataclass(frozen=True)
class Period:
    """Days from date_from to date_to, both included."""

    date_from: date
    date_to: date

    def __post_init__(self) -> None:
        if self.date_from > self.date_to:
            raise ValueError(f"a period cannot end ({self.date_to}) before it starts ({self.date_from})")

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @classmethod
    def trailing(cls, as_of: date, days: int) -> Period:
        """The `days` days ending on as_of (90: as_of and the 89 days before it)."""
        if days < 1:
            raise ValueError("a period has at least one day")
        return cls(as_of - timedelta(days=days - 1), as_of)

    @classmethod
    def months(cls, date_from: date, date_to: date) -> list[Period]:
        """The calendar months from date_from to date_to, the first and last clipped to them."""
        cls(date_from, date_to)  # the same check as a period's
        periods, start = [], date_from
        while start <= date_to:
            periods.append(cls(start, min(month_end(start), date_to)))
            start = month_end(start) + timedelta(days=1)
        return periods


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# -- the formulas (pure, exact)


def round_tenth(value: Fraction) -> Decimal:
    """An exact fraction to one decimal, half away from zero (26.666... -> 26.7, 0.25 -> 0.3)."""
    tenths = value * 10
    numerator, denominator = abs(tenths.numerator), tenths.denominator
    rounded = (2 * numerator + denominator) // (2 * denominator)
    return Decimal(rounded if tenths >= 0 else -rounded).scaleb(-1)


def percent_of(part: int, whole: int) -> Decimal | None:
    """part / whole x 100; None when there is no whole."""
    if whole <= 0:
        return None
    return round_tenth(Fraction(part * 100, whole))


def days_of_sales(amount: int, credit_sales: int, days: int) -> Decimal | None:
    """How many days of the period's sales `amount` is: amount / credit sales x days. None without sales."""
    if credit_sales <= 0:
        return None
    return round_tenth(Fraction(amount * days, credit_sales))


def dso_simple(receivables: int, credit_sales: int, days: int) -> Decimal | None:
    """DSO = receivables at the period end / credit sales of the period x days in the period."""
    return days_of_sales(receivables, credit_sales, days)


def best_possible_dso(current_receivables: int, credit_sales: int, days: int) -> Decimal | None:
    """Best possible DSO = current (not yet due) receivables at the period end / credit sales x days."""
    return days_of_sales(current_receivables, credit_sales, days)


def average_days_delinquent(dso: Decimal | None, best_possible: Decimal | None) -> Decimal | None:
    """ADD = DSO - best possible DSO, of the rounded figures, so the three tiles add up on screen."""
    if dso is None or best_possible is None:
        return None
    return dso - best_possible


def weighted_days(amount_days: int, amount: int) -> Decimal | None:
    """An amount-weighted average of days: sum(amount x days) / sum(amount); None without an amount."""
    if amount <= 0:
        return None
    return round_tenth(Fraction(amount_days, amount))


def cei_percent(
    receivables_start: int, credit_sales: int, receivables_end: int, current_receivables_end: int
) -> Decimal | None:
    """CEI = (start + sales - end) / (start + sales - current end) x 100; None when nothing was collectible."""
    collectible = receivables_start + credit_sales - current_receivables_end
    if collectible <= 0:
        return None
    return round_tenth(Fraction((receivables_start + credit_sales - receivables_end) * 100, collectible))


@dataclass(frozen=True)
class Countback:
    """A countback DSO. is_lower_bound: the receivables outlast every recorded sale, so the days counted
    (back to the first month with sales) are a floor, not the figure."""

    days: Decimal | None
    is_lower_bound: bool = False

    def as_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {"dso_countback": [self.days], "dso_countback_is_lower_bound": [self.is_lower_bound]},
            schema={"dso_countback": DAYS, "dso_countback_is_lower_bound": pl.Boolean},
        )


def countback_dso(receivables: int, months: Iterable[tuple[int, int]]) -> Countback:
    """The countback ("exhaustion") DSO: months are (days, credit sales), newest first.

    Walk back subtracting each month's sales from the receivables: a month the receivables outlast counts
    all its days; the month where they run out counts remaining / its sales x its days. A month without
    sales counts in full (the debt is older than it). None without any sales; 0 without receivables.
    """
    months = list(months)
    if not any(sales > 0 for _, sales in months):
        return Countback(None)
    if receivables <= 0:
        return Countback(Decimal("0.0"))
    remaining, total = receivables, Fraction(0)
    for days, sales in months:
        if sales > 0 and remaining <= sales:
            return Countback(round_tenth(total + Fraction(remaining * days, sales)))
        remaining -= max(sales, 0)
        total += days
    return Countback(round_tenth(total), is_lower_bound=True)
