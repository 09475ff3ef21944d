"""The cash-in forecast's maths (contract section 5, «The cash-in forecast"): no I/O, no dates but periods.

A debit's delay is the day it closed less its due date, in calendar days (negative: paid early). Each
counterparty's delays are read as a discrete-time survival model: the hazard h(t) is the chance that a
debit still unpaid at delay t - 1 is paid at delay t. Debits open on the forecast's day D are right-censored
observations (unpaid through D - due: they are at least that late), so a client that has started to pay
later lowers its own early hazards at once instead of only when those debits finally close.

Observations are weighted by recency (each by 0.5 ** (age / half-life), age: days from its closing to D;
an open debit is news of D, weight 1) and counted one per debit, not by amount: a client's habit is what it
does with each invoice, and one large invoice should not make it. The hazard at each delay is shrunk
toward the level above by weights n / (n + k), n the (weighted) debits at risk at that delay: everyone's
toward a flat base hazard, a group's toward everyone's, a counterparty's toward its group's (or everyone's
without a group). A counterparty with long history at short delays keeps its own hazard there and leans on
its group's where it has no experience (a debit later than it has ever been).

For a document open on D, `since_due` = D - due: the chance of payment on day D + j is
h(c + j) * prod_{i < j} (1 - h(c + i)), c = since_due: the part of the distribution beyond what is already
known (a document 20 days overdue is judged by the delays beyond 20). The grid runs over delays
GRID_MIN..GRID_MAX; an earlier payment counts at GRID_MIN, and the last cell is a constant daily hazard
(per day of exposure beyond GRID_MAX: a geometric tail for debts over a year old).

Money moves on bank days: a chance that falls on a weekend or holiday is moved to the next working day
(bank_day_offsets, on_bank_days). A client paying in batches (what fell due in a month paid on its last
working day, or a quarter's) is read from its closing days (batch_shares): that share of each day's chance
moves to the batch day (in_batches).

Money stays with the caller (kopecks); this module gives probabilities and the band's standard deviations.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

from domain.calendar import WorkCalendar

GRID_MIN = -90
GRID_MAX = 365
GRID = GRID_MAX - GRID_MIN + 1
# The 80 % band: the 10th and 90th percentiles of a normal distribution, mean +- 1.2816 sigma.
Z80 = 1.2815515655446004

Freq = Literal["day", "week", "month"]
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ForecastSettings:
    """The model's few knobs (docs/forecast.md says why these values)."""

    half_life_days: float = 180.0
    counterparty_strength: float = 2.0  # k of n / (n + k): debits at risk worth the group's hazard
    group_strength: float = 10.0
    # Under everyone's, where nobody has been at risk: the contract's own forecast (paid on the due date,
    # or at once when already late), worth one debit.
    base_strength: float = 1.0
    # Closed debits older than this (from D) are not read: their weight is below 1/16 at the half-life above.
    window_days: int = 720
    # How much two debits of one client move together in the band (1: all paid or none, 0: independently);
    # the backtest's weeks fell inside the 80 % band 44-45 % of the time at 0, 93-97 % at 1, 80-90 % at 0.25.
    client_correlation: float = 0.25
    # k of a counterparty's share of payments in month- or quarter-end batches, shrunk toward everyone's.
    batch_strength: float = 10.0
    # The expected date is looked for this far after D; beyond it the document stands at D + this.
    median_horizon_days: int = 730


DEFAULT_SETTINGS = ForecastSettings()


def hazard_counts(
    owner: npt.ArrayLike,
    delays: npt.ArrayLike,
    paid: npt.ArrayLike,
    since_due: npt.ArrayLike,
    owners: int,
    half_life_days: float,
) -> tuple[Floats, Floats]:
    """Per owner (0..owners-1) and delay cell: recency-weighted events and debits at risk (the last cell: days).

    A paid debit with delay d is at risk at every delay up to d and an event at d; an unpaid one (delay: its
    since_due c, not paid through c) is at risk up to c, with no event; one not yet within the grid tells
    nothing. Each day at risk counts by its recency, 0.5 ** (days from it to D / half-life): the day at
    delay t of a debit due D - c is D - c + t, so its weight is w0 * 2 ** (t / half-life) with
    w0 = 0.5 ** (c / half-life), and a column's sum is 2 ** (t / half-life) times the sum of w0 over the
    debits reaching t. (Weighting a closed debit by its closing day alone would let an open one, weighted as
    of D, outweigh it at every delay, and the long delays would look ever less likely to end.)
    Shape (owners, GRID) each."""
    who = np.asarray(owner, dtype=np.int64)
    d = np.asarray(delays, dtype=np.int64)
    done = np.asarray(paid, dtype=bool)
    c = np.asarray(since_due, dtype=np.float64)
    keep = done | (d >= GRID_MIN)
    who, d, done, c = who[keep], d[keep], done[keep], c[keep]
    rate = np.log(2.0) / half_life_days
    w0 = np.exp(-rate * c)
    t = np.clip(d, GRID_MIN, GRID_MAX)
    cell = who * GRID + (t - GRID_MIN)
    size = owners * GRID
    per_day = np.exp(rate * np.arange(GRID_MIN, GRID_MAX + 1, dtype=np.float64))
    events = np.bincount(cell[done], weights=(w0 * np.exp(rate * t))[done], minlength=size).reshape(owners, GRID)
    reach = np.bincount(cell, weights=w0, minlength=size).reshape(owners, GRID)
    at_risk = np.cumsum(reach[:, ::-1], axis=1)[:, ::-1] * per_day[None, :]
    beyond = d >= GRID_MAX
    # The sum of w0 * 2 ** (s / half-life) over the days s = GRID_MAX..d, a geometric series.
    span = (d[beyond] - GRID_MAX + 1).astype(np.float64)
    days = w0[beyond] * np.exp(rate * GRID_MAX) * np.expm1(rate * span) / np.expm1(rate)
    at_risk[:, -1] = np.bincount(who[beyond], weights=days, minlength=owners)
    return np.asarray(events, dtype=np.float64), np.asarray(at_risk, dtype=np.float64)


def shrunk(events: Floats, at_risk: Floats, prior: Floats, strength: float) -> Floats:
    """(events + k * prior) / (at_risk + k): the own hazard where there is experience, the prior where not."""
    return np.asarray((events + strength * prior) / (at_risk + strength), dtype=np.float64)


def fit_hazards(
    owner: npt.ArrayLike,
    delays: npt.ArrayLike,
    paid: npt.ArrayLike,
    since_due: npt.ArrayLike,
    group_of: npt.ArrayLike,
    groups: int,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> Floats:
    """The shrunk hazards, shape (owners, GRID): a row per counterparty (`group_of[i]`: its group's index,
    -1 for none), each leaning on its group's and the group on everyone's."""
    group_index = np.asarray(group_of, dtype=np.int64)
    owners = len(group_index)
    events, at_risk = hazard_counts(owner, delays, paid, since_due, owners, settings.half_life_days)
    base = (np.arange(GRID_MIN, GRID_MAX + 1) >= 0).astype(np.float64)
    everyone = shrunk(events.sum(axis=0), at_risk.sum(axis=0), base, settings.base_strength)
    group_events = np.zeros((groups + 1, GRID))
    group_at_risk = np.zeros((groups + 1, GRID))
    slot = np.where(group_index >= 0, group_index, groups)  # the last slot: no group
    np.add.at(group_events, slot, events)
    np.add.at(group_at_risk, slot, at_risk)
    by_group = shrunk(group_events, group_at_risk, everyone[None, :], settings.group_strength)
    by_group[groups] = everyone  # without a group a counterparty leans on everyone's directly
    return shrunk(events, at_risk, by_group[slot], settings.counterparty_strength)


def _hazards_ahead(hazards: Floats, owner: Ints, since_due: Ints, days: int) -> Floats:
    t = since_due[:, None] + np.arange(1, days + 1, dtype=np.int64)[None, :]
    cell = np.clip(t - GRID_MIN, 0, GRID - 1)
    ahead = hazards[owner[:, None], cell]
    return np.where(t < GRID_MIN, 0.0, ahead)


def payment_probabilities(hazards: Floats, owner: npt.ArrayLike, since_due: npt.ArrayLike, days: int) -> Floats:
    """p[i, j - 1]: the chance document i (unpaid on D, `since_due` = D - due) is paid on D + j, j = 1..days."""
    who = np.asarray(owner, dtype=np.int64)
    late = np.asarray(since_due, dtype=np.int64)
    if days <= 0 or len(who) == 0:
        return np.zeros((len(who), max(days, 0)))
    h = _hazards_ahead(hazards, who, late, days)
    survival = np.cumprod(1.0 - h, axis=1)
    before = np.concatenate([np.ones((len(who), 1)), survival[:, :-1]], axis=1)
    return np.asarray(before * h, dtype=np.float64)


def median_day(probabilities: Floats) -> Ints:
    """Days after D to each document's expected date (column j - 1: day D + j): the first day by which its
    chance of being paid reaches one half (the median: the date that errs least in days on average); the
    last column's day when it never does."""
    days = probabilities.shape[1]
    reached = np.cumsum(probabilities, axis=1) >= 0.5 - 1e-12
    return np.where(reached.any(axis=1), reached.argmax(axis=1) + 1, days).astype(np.int64)


def median_days(hazards: Floats, owner: npt.ArrayLike, since_due: npt.ArrayLike, horizon: int) -> Ints:
    """median_day of the hazards' own chances (no bank days, no batches), at most `horizon` days after D."""
    return median_day(payment_probabilities(hazards, owner, since_due, horizon))


def rounded_periods(daily: Floats, last_day: Ints) -> Ints:
    """Expected kopecks per period from the expected amount of each day (`last_day`: each period's last day,
    1-based): the rounded running total at the period's end less that at the previous one, so the periods of
    any length add up to the same whole kopecks (a month is the sum of its days, to the kopeck)."""
    running = np.rint(np.cumsum(daily)).astype(np.int64)
    ends = running[np.asarray(last_day, dtype=np.int64) - 1]
    return np.diff(np.concatenate([[0], ends])).astype(np.int64)


def owner_spread(amounts: npt.ArrayLike, owner: npt.ArrayLike, in_period: Floats, owners: int) -> tuple[Floats, Floats]:
    """Per counterparty and period, the sum of its documents' standard deviations and the sum of their
    variances (in_period[i, k]: document i's chance of being paid in period k; each is a Bernoulli draw of
    its open amount). Summed over chunks of documents, then `sigma` combines them."""
    a = np.asarray(amounts, dtype=np.float64)
    p = np.clip(in_period, 0.0, 1.0)
    who = np.asarray(owner, dtype=np.int64)
    deviation = a[:, None] * np.sqrt(p * (1.0 - p))
    sd = np.zeros((owners, in_period.shape[1]))
    variance = np.zeros((owners, in_period.shape[1]))
    np.add.at(sd, who, deviation)
    np.add.at(variance, who, deviation**2)
    return sd, variance


def sigma(sd: Floats, variance: Floats, correlation: float) -> Floats:
    """Each period's standard deviation. Two documents of one counterparty are correlated by `correlation`
    (a client paying in batches pays them all or none: 1; independent invoices: 0), so its variance is
    correlation * (sum of sd) ** 2 + (1 - correlation) * (sum of variances); counterparties are independent,
    their variances add up."""
    within = correlation * sd**2 + (1.0 - correlation) * variance
    return np.asarray(np.sqrt(within.sum(axis=0)), dtype=np.float64)


def band(expected: Ints, deviation: Floats, ceiling: Ints) -> tuple[Ints, Ints]:
    """low and high of the 80 % band in whole kopecks: expected -+ Z80 sigma, low >= 0, high <= what is open,
    and always low <= expected <= high."""
    low = np.maximum(np.rint(expected - Z80 * deviation), 0).astype(np.int64)
    high = np.minimum(np.rint(expected + Z80 * deviation), ceiling).astype(np.int64)
    return np.minimum(low, expected), np.maximum(high, expected)


def bank_day_offsets(as_of: date, days: int, calendar: WorkCalendar) -> Ints:
    """For j = 0..days: the day after as_of of the first working day on or after as_of + j (money moves on bank
    days: what the delays put on a Saturday arrives on Monday). Index 0 is unused."""
    offsets = np.zeros(days + 1, dtype=np.int64)
    for j in range(1, days + 1):
        offsets[j] = (calendar.next_working_day_on_or_after(as_of + timedelta(days=j)) - as_of).days
    return offsets


def on_bank_days(probabilities: Floats, offsets: Ints) -> Floats:
    """The chances per day (column j - 1: day as_of + j) with each day's moved to day offsets[j]: with
    bank_day_offsets, a non-working day's to the next working day; with batch_day_offsets, to the batch day.
    A chance moved past the last column leaves the horizon (it is not expected within it)."""
    days = probabilities.shape[1]
    target = offsets[1 : days + 1] - 1
    inside = target < days
    moved = np.zeros_like(probabilities)
    np.add.at(moved.T, target[inside], probabilities.T[inside])
    return moved


def last_working_day(year: int, month: int, calendar: WorkCalendar) -> date:
    day = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def batch_day_offsets(as_of: date, days: int, calendar: WorkCalendar, months: int) -> Ints:
    """For j = 0..days: the day after as_of of the last working day of the month (months = 1) or quarter (3)
    that holds as_of + j, or of the next one when as_of + j is past it: the day a client paying in batches
    pays what falls to it. Index 0 is unused."""
    offsets = np.zeros(days + 1, dtype=np.int64)
    for j in range(1, days + 1):
        day = as_of + timedelta(days=j)
        last_month = (day.month - 1) // months * months + months  # the period's last month, 1..12
        end = last_working_day(day.year, last_month, calendar)
        if day > end:
            following = last_month + months
            end = last_working_day(day.year + (following - 1) // 12, (following - 1) % 12 + 1, calendar)
        offsets[j] = (end - as_of).days
    return offsets


def batch_shares(
    owner: npt.ArrayLike,
    month_end: npt.ArrayLike,
    quarter_end: npt.ArrayLike,
    weights: npt.ArrayLike,
    owners: int,
    strength: float,
) -> tuple[Floats, Floats]:
    """Per counterparty, how much of its paying is done in month-end and in quarter-end batches, from its
    closed debits (month_end: closed on a month's last working day; quarter_end: on a quarter's).

    A counterparty's share of closings on month ends, shrunk toward everyone's by n / (n + k), counts only
    by how far it exceeds everyone's: (share - everyone's) / (1 - everyone's), 0 below it; of that, the part
    paid at quarter ends is how far its month-end closings fall on quarter ends beyond one in three (what
    monthly batches give). Returns (month, quarter): chances to move to the month's and the quarter's batch day."""
    who = np.asarray(owner, dtype=np.int64)
    w = np.asarray(weights, dtype=np.float64)
    at_month = w * np.asarray(month_end, dtype=np.float64)
    at_quarter = w * np.asarray(quarter_end, dtype=np.float64)
    total = np.bincount(who, weights=w, minlength=owners)
    months = np.bincount(who, weights=at_month, minlength=owners)
    quarters = np.bincount(who, weights=at_quarter, minlength=owners)
    everyone = months.sum() / total.sum() if total.sum() > 0 else 0.0
    share = (months + strength * everyone) / (total + strength)
    batched = np.clip((share - everyone) / (1.0 - everyone), 0.0, 1.0) if everyone < 1 else np.zeros(owners)
    on_quarters = (quarters + strength / 3.0) / (months + strength)
    quarterly = batched * np.clip((on_quarters - 1.0 / 3.0) / (2.0 / 3.0), 0.0, 1.0)
    return np.asarray(batched - quarterly, dtype=np.float64), np.asarray(quarterly, dtype=np.float64)


def in_batches(
    probabilities: Floats, month: Floats, quarter: Floats, month_offsets: Ints, quarter_offsets: Ints
) -> Floats:
    """Each document's chances with its counterparty's month-end share moved to the month's batch day and its
    quarter-end share to the quarter's (month, quarter: per document)."""
    rest = (1.0 - month - quarter)[:, None] * probabilities
    monthly = month[:, None] * on_bank_days(probabilities, month_offsets)
    return np.asarray(rest + monthly + quarter[:, None] * on_bank_days(probabilities, quarter_offsets))


def add_months(day: date, months: int) -> date:
    """The same day `months` later, the month's last day when it has no such day; a month's last day stays one."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    is_last = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if is_last else min(day.day, last))


def period_ends(as_of: date, date_to: date, freq: Freq) -> list[date]:
    """The last day of each period from as_of + 1 to date_to: days; 7-day weeks from as_of + 1; months ending
    on as_of's day of the month (on month ends when as_of is one). The last period ends on date_to."""
    if date_to <= as_of:
        return []
    ends: list[date] = []
    k = 1
    while not ends or ends[-1] < date_to:
        if freq == "day":
            end = as_of + timedelta(days=k)
        elif freq == "week":
            end = as_of + timedelta(days=7 * k)
        elif freq == "month":
            end = add_months(as_of, k)
        else:
            raise ValueError(f"freq must be day, week or month, not {freq!r}")
        ends.append(min(end, date_to))
        k += 1
    return ends
