"""Receivables KPIs a CFO reads first: position, DSO (simple, countback, best possible), days delinquent,
collection effectiveness, expected inflow. Every formula is written once, as a pure function below, and
docs/kpis.md states each one with its inputs and a worked example.

Money is integer kopecks; a ratio becomes a Decimal (days or percent, one decimal, half away from zero)
only where it is computed, from exact fractions, never a float. Everything is per currency.

Definitions shared by every KPI here:
- receivables as of D: the open debits as of D (queries.ledger), gross of advances, which stand apart
  (in Russian books, 62.01 debit balances vs 62.02 advances received);
- current receivables as of D: the part of them not yet due (due date >= D), as in aging's not_due;
- credit sales of a period: debits of kind shipment or adjustment (a positive adjustment: the true-up
  of a sale, e.g. goods sold by weight) dated in the period. Gross: returns and negative adjustments
  are not netted (they lower receivables instead), so a month's sales are never negative. Opening
  balances are not sales: they are debt carried in at cut-over.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate

import polars as pl
from sqlalchemy import BigInteger, Connection, case, cast, func, select

import warehouse
from queries.aging import with_days
from queries.ledger import counterparty_names, open_credits, open_debits, open_debits_query
from queries.scope import Scope

SALE_KINDS = ("shipment", "adjustment")  # with side +1: shipments and positive adjustments
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


# -- reading the warehouse


def _money(expression):  # type: ignore[no-untyped-def]
    # SUM of BIGINT is NUMERIC in PostgreSQL: cast back so the driver hands over ints.
    return cast(func.sum(expression), BigInteger)


def _receivables_at(conn: Connection, as_of: date, scope: Scope) -> dict[str, tuple[int, int]]:
    """currency -> (receivables, current receivables) as of the date, summed in SQL over ledger's open debits."""
    debits = open_debits_query(as_of, scope).subquery()
    current = case((debits.c.due_date >= as_of, debits.c.open_amount), else_=0)
    rows = conn.execute(
        select(debits.c.currency, _money(debits.c.open_amount), _money(current)).group_by(debits.c.currency)
    ).all()
    return {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in rows}


@dataclass
class _DailyAmounts:
    """One currency's debits of some kinds, summed per day, for sums over any date range by bisection."""

    days: list[date]
    amounts: list[int]
    cumulative: list[int]

    def between(self, date_from: date, date_to: date) -> int:
        low, high = bisect_left(self.days, date_from), bisect_right(self.days, date_to)
        if high <= low:
            return 0
        return self.cumulative[high - 1] - (self.cumulative[low - 1] if low else 0)

    def months_back(self, end: date) -> list[tuple[int, int]]:
        """(days, sales) per month, newest first: end's month up to end, then whole months back to the
        first month with sales."""
        if not self.days or self.days[0] > end:
            return []
        months, last = [], end
        while last >= self.days[0].replace(day=1):
            first = last.replace(day=1)
            months.append(((last - first).days + 1, self.between(first, last)))
            last = first - timedelta(days=1)
        return months


def _daily_debits(
    conn: Connection, scope: Scope, date_to: date, date_from: date | None = None
) -> tuple[dict[str, _DailyAmounts], dict[str, _DailyAmounts]]:
    """Per currency, day by day up to date_to: credit sales, and opening balances (debits), in one scan."""
    d = warehouse.documents
    conditions = [
        d.c.side == 1,
        d.c.kind.in_((*SALE_KINDS, "opening")),
        d.c.doc_date <= date_to,
        d.c.counterparty_id.is_not(None),
        scope.document_filter(d),
    ]
    if date_from is not None:
        conditions.append(d.c.doc_date >= date_from)
    rows = conn.execute(
        select(d.c.currency, d.c.kind, d.c.doc_date, _money(d.c.amount))
        .where(*conditions)
        .group_by(d.c.currency, d.c.kind, d.c.doc_date)
    ).all()
    sales: dict[str, dict[date, int]] = {}
    opening: dict[str, dict[date, int]] = {}
    for currency, kind, day, amount in rows:
        by_day = (opening if kind == "opening" else sales).setdefault(currency, {})
        by_day[day] = by_day.get(day, 0) + int(amount)
    return _series(sales), _series(opening)


def _series(by_currency: dict[str, dict[date, int]]) -> dict[str, _DailyAmounts]:
    result = {}
    for currency, by_day in by_currency.items():
        days = sorted(by_day)
        amounts = [by_day[day] for day in days]
        result[currency] = _DailyAmounts(days, amounts, list(accumulate(amounts)))
    return result


def _debits_with_days(conn: Connection, as_of: date, scope: Scope) -> pl.DataFrame:
    return with_days(open_debits(conn, as_of=as_of, scope=scope), as_of)


# -- as of a date


POSITION_SCHEMA = {
    "currency": pl.String,
    "receivables": pl.Int64,
    "advances": pl.Int64,
    "balance": pl.Int64,
    "not_due": pl.Int64,
    "overdue": pl.Int64,
    "overdue_pct": PERCENT,
    "weighted_days_overdue": DAYS,
}


def _position(debits: pl.DataFrame, credits: pl.DataFrame) -> pl.DataFrame:
    money, overdue = pl.col("open_amount"), pl.col("days_overdue") > 0
    totals = debits.group_by("currency").agg(
        money.sum().alias("receivables"),
        money.filter(~overdue).sum().alias("not_due"),
        money.filter(overdue).sum().alias("overdue"),
        (money * pl.col("days_overdue")).filter(overdue).sum().alias("overdue_amount_days"),
    )
    advances = credits.group_by("currency").agg(money.sum().alias("advances"))
    joined = totals.join(advances, on="currency", how="full", coalesce=True)
    rows = []
    for r in joined.sort("currency").iter_rows(named=True):
        receivables, advance, overdue_amount = (int(r[k] or 0) for k in ("receivables", "advances", "overdue"))
        rows.append(
            (
                r["currency"],
                receivables,
                advance,
                receivables - advance,
                int(r["not_due"] or 0),
                overdue_amount,
                percent_of(overdue_amount, receivables),
                weighted_days(int(r["overdue_amount_days"] or 0), overdue_amount),
            )
        )
    return pl.DataFrame(rows, schema=POSITION_SCHEMA, orient="row")


def receivables_position(conn: Connection, *, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    """Per currency as of D: receivables (open debits), advances, balance = receivables - advances, not_due,
    overdue, overdue_pct = overdue / receivables x 100, weighted_days_overdue = sum(open x days overdue) /
    overdue over the overdue debits. The same figures as the aging summed per currency."""
    scope = scope or Scope.everything()
    return _position(_debits_with_days(conn, as_of, scope), open_credits(conn, as_of=as_of, scope=scope))


INFLOW_SCHEMA = {
    "currency": pl.String,
    "week_to": pl.Date,
    "inflow_week": pl.Int64,
    "month_to": pl.Date,
    "inflow_month": pl.Int64,
}


def _inflow(debits: pl.DataFrame, as_of: date) -> pl.DataFrame:
    week_to, month_to = as_of + timedelta(days=6), month_end(as_of)
    money, due = pl.col("open_amount"), pl.col("due_date")
    frame = debits.group_by("currency").agg(
        money.filter(due.is_between(as_of, week_to)).sum().alias("inflow_week"),
        money.filter(due.is_between(as_of, month_to)).sum().alias("inflow_month"),
    )
    return (
        frame.with_columns(pl.lit(week_to).alias("week_to"), pl.lit(month_to).alias("month_to"))
        .select(list(INFLOW_SCHEMA))
        .cast(INFLOW_SCHEMA)  # type: ignore[arg-type]
        .sort("currency")
    )


def expected_inflow(conn: Connection, *, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    """Per currency: open debits as of D falling due this week, D..D+6 (inflow_week), and this month,
    D..the month's last day (inflow_month, this week's days of the month included). What is already
    overdue is not expected: it is the overdue tile."""
    return _inflow(_debits_with_days(conn, as_of, scope or Scope.everything()), as_of)


DELINQUENCY_SCHEMA = {
    "counterparty_id": pl.String,
    "counterparty_name": pl.String,
    "currency": pl.String,
    "overdue": pl.Int64,
    "overdue_documents": pl.Int64,
    "average_days_overdue": DAYS,
    "max_days_overdue": pl.Int64,
}


def days_delinquent_by_counterparty(conn: Connection, *, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    """Per counterparty and currency with overdue debits as of D: the overdue amount and its amount-weighted
    average days overdue, sum(open x days overdue) / sum(open). Largest overdue first."""
    debits = _debits_with_days(conn, as_of, scope or Scope.everything()).filter(pl.col("days_overdue") > 0)
    money = pl.col("open_amount")
    totals = debits.group_by("counterparty_id", "currency").agg(
        money.sum().alias("overdue"),
        pl.len().cast(pl.Int64).alias("overdue_documents"),
        (money * pl.col("days_overdue")).sum().alias("amount_days"),
        pl.col("days_overdue").max().alias("max_days_overdue"),
    )
    names = counterparty_names(conn, totals["counterparty_id"].unique().to_list())
    totals = totals.join(names.select("counterparty_id", "counterparty_name"), on="counterparty_id", how="left")
    rows = [
        (
            r["counterparty_id"],
            r["counterparty_name"],
            r["currency"],
            r["overdue"],
            r["overdue_documents"],
            weighted_days(int(r["amount_days"]), int(r["overdue"])),
            r["max_days_overdue"],
        )
        for r in totals.iter_rows(named=True)
    ]
    frame = pl.DataFrame(rows, schema=DELINQUENCY_SCHEMA, orient="row")
    return frame.sort(["currency", "overdue", "counterparty_id"], descending=[False, True, False])


# -- over a period


def credit_sales(conn: Connection, *, period: Period, scope: Scope | None = None) -> pl.DataFrame:
    """Per currency: credit sales of the period (shipments and positive adjustments dated in it)."""
    sales, _ = _daily_debits(conn, scope or Scope.everything(), period.date_to, period.date_from)
    rows = [(currency, series.between(period.date_from, period.date_to)) for currency, series in sales.items()]
    rows = [row for row in rows if row[1]]
    return pl.DataFrame(rows, schema={"currency": pl.String, "credit_sales": pl.Int64}, orient="row").sort("currency")


PERIOD_SCHEMA = {
    "period_from": pl.Date,
    "period_to": pl.Date,
    "period_days": pl.Int64,
    "currency": pl.String,
    "receivables_start": pl.Int64,
    "credit_sales": pl.Int64,
    "receivables": pl.Int64,
    "current_receivables": pl.Int64,
    "dso_simple": DAYS,
    "dso_countback": DAYS,
    "dso_countback_is_lower_bound": pl.Boolean,
    "best_possible_dso": DAYS,
    "average_days_delinquent": DAYS,
    "cei": PERCENT,
}


def _period_kpis(
    conn: Connection,
    periods: Sequence[Period],
    scope: Scope,
    known: dict[date, dict[str, tuple[int, int]]] | None = None,
) -> pl.DataFrame:
    """One row per period and currency. receivables_start: open debits as of the day before the period, plus
    opening balances booked in it (debt carried in at cut-over: not a sale, yet to be collected), so that
    start + sales - end is exactly what credits closed in the period."""
    if not periods:
        return pl.DataFrame(schema=PERIOD_SCHEMA)
    totals = dict(known or {})
    for day in sorted({p.date_to for p in periods} | {p.date_from - timedelta(days=1) for p in periods}):
        if day not in totals:
            totals[day] = _receivables_at(conn, day, scope)
    sales, opening = _daily_debits(conn, scope, max(p.date_to for p in periods))
    currencies = sorted({c for day in totals.values() for c in day} | set(sales) | set(opening))
    empty = _DailyAmounts([], [], [])
    rows = []
    for period in periods:
        start_totals = totals[period.date_from - timedelta(days=1)]
        for currency in currencies:
            receivables, current = totals[period.date_to].get(currency, (0, 0))
            history = sales.get(currency, empty)
            sold = history.between(period.date_from, period.date_to)
            start = start_totals.get(currency, (0, 0))[0] + opening.get(currency, empty).between(
                period.date_from, period.date_to
            )
            simple = dso_simple(receivables, sold, period.days)
            best = best_possible_dso(current, sold, period.days)
            countback = countback_dso(receivables, history.months_back(period.date_to))
            rows.append(
                (
                    period.date_from,
                    period.date_to,
                    period.days,
                    currency,
                    start,
                    sold,
                    receivables,
                    current,
                    simple,
                    countback.days,
                    countback.is_lower_bound,
                    best,
                    average_days_delinquent(simple, best),
                    cei_percent(start, sold, receivables, current),
                )
            )
    frame = pl.DataFrame(rows, schema=PERIOD_SCHEMA, orient="row")
    # A currency with nothing owed or sold in any of the periods (only older history) has no row.
    money = pl.sum_horizontal(pl.col("receivables_start", "credit_sales", "receivables").abs())
    return frame.filter(money.sum().over("currency") > 0)


def period_kpis(conn: Connection, *, period: Period, scope: Scope | None = None) -> pl.DataFrame:
    """Per currency for the period: receivables at its start and end, credit sales, DSO (simple and countback,
    both as of the period end), best possible DSO, average days delinquent and CEI."""
    return _period_kpis(conn, [period], scope or Scope.everything())


def monthly_kpis(conn: Connection, *, date_from: date, date_to: date, scope: Scope | None = None) -> pl.DataFrame:
    """period_kpis for each calendar month from date_from to date_to (the first and last clipped to them),
    one row per month and currency, for a chart. `month` is the month's first day."""
    frame = _period_kpis(conn, Period.months(date_from, date_to), scope or Scope.everything())
    month = pl.col("period_from").dt.truncate("1mo").alias("month")
    return frame.select(month, pl.all()).sort(["month", "currency"])


SUMMARY_COLUMNS = [
    "currency",
    "receivables",
    "advances",
    "balance",
    "not_due",
    "overdue",
    "overdue_pct",
    "weighted_days_overdue",
    "inflow_week",
    "inflow_month",
    "period_from",
    "period_to",
    "period_days",
    "credit_sales",
    "receivables_start",
    "dso_simple",
    "dso_countback",
    "dso_countback_is_lower_bound",
    "best_possible_dso",
    "average_days_delinquent",
    "cei",
]


def kpi_summary(
    conn: Connection,
    *,
    as_of: date,
    scope: Scope | None = None,
    period_days: int = 90,
    date_from: date | None = None,
) -> pl.DataFrame:
    """Every tile, one row per currency: the position and expected inflow as of D, and the period KPIs for
    the period ending on D (the last `period_days` days, or date_from..D)."""
    scope = scope or Scope.everything()
    period = Period(date_from, as_of) if date_from is not None else Period.trailing(as_of, period_days)
    debits = _debits_with_days(conn, as_of, scope)
    position = _position(debits, open_credits(conn, as_of=as_of, scope=scope))
    known = {as_of: {r[0]: (r[1], r[2]) for r in position.select("currency", "receivables", "not_due").iter_rows()}}
    over_period = _period_kpis(conn, [period], scope, known).drop("receivables", "current_receivables")
    frame = position.join(_inflow(debits, as_of).drop("week_to", "month_to"), on="currency", how="left").join(
        over_period, on="currency", how="full", coalesce=True
    )
    # A currency on one side only (sold in the period but nothing open at D, or just an advance) still gets
    # a full row: zero money, undefined ratios.
    money = ["receivables", "advances", "balance", "not_due", "overdue", "inflow_week", "inflow_month"]
    frame = frame.with_columns(
        pl.col(*money, "credit_sales", "receivables_start").fill_null(0),
        pl.lit(period.date_from).alias("period_from"),
        pl.lit(period.date_to).alias("period_to"),
        pl.lit(period.days, dtype=pl.Int64).alias("period_days"),
        pl.col("dso_countback_is_lower_bound").fill_null(False),
    )
    return frame.select(SUMMARY_COLUMNS).sort("currency")
