"""The forecast's maths (domain/forecast.py), computed by hand on a few debits."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from domain.calendar import WorkCalendar
from domain.forecast import (
    GRID,
    GRID_MAX,
    GRID_MIN,
    Z80,
    ForecastSettings,
    add_months,
    band,
    bank_day_offsets,
    batch_day_offsets,
    batch_shares,
    fit_hazards,
    hazard_counts,
    in_batches,
    last_working_day,
    median_day,
    median_days,
    on_bank_days,
    owner_spread,
    payment_probabilities,
    period_ends,
    rounded_periods,
    shrunk,
    sigma,
)

NO_RECENCY = 1e12  # a half-life so long that every weight is 1


def cell(t: int) -> int:
    return t - GRID_MIN


def test_hazard_counts_by_hand() -> None:
    # One counterparty: paid at delay 0, paid at delay 2, open and 1 day overdue (censored at 1).
    # At risk at delay 0: all three; at 1: the one paid at 2 and the open one; at 2: the one paid at 2.
    # Events: one at 0, one at 2. Before 0 all three are at risk, nobody paid.
    events, at_risk = hazard_counts([0, 0, 0], [0, 2, 1], [True, True, False], [0, 0, 1], 1, NO_RECENCY)
    assert events.shape == (1, GRID)
    assert events[0, cell(0)] == pytest.approx(1)
    assert events[0, cell(2)] == pytest.approx(1)
    assert events.sum() == pytest.approx(2)
    assert at_risk[0, cell(-5)] == pytest.approx(3)
    assert at_risk[0, cell(0)] == pytest.approx(3)
    assert at_risk[0, cell(1)] == pytest.approx(2)
    assert at_risk[0, cell(2)] == pytest.approx(1)
    assert at_risk[0, cell(3)] == pytest.approx(0)


def test_recency_weighs_each_day_at_risk_by_its_age() -> None:
    # Half-life 10 days. A debit due 20 days before D, paid at delay 10 (10 days before D): its event weighs
    # 0.5 ** (10 / 10) = 0.5; its day at risk at delay 0 (20 days before D) weighs 0.25.
    events, at_risk = hazard_counts([0], [10], [True], [20], 1, 10.0)
    assert events[0, cell(10)] == pytest.approx(0.5)
    assert at_risk[0, cell(0)] == pytest.approx(0.25)
    assert at_risk[0, cell(10)] == pytest.approx(0.5)


def test_the_last_cell_counts_days_beyond_the_grid() -> None:
    # Open and GRID_MAX + 9 days overdue: 10 days at risk in the last cell (GRID_MAX..GRID_MAX + 9), no event.
    events, at_risk = hazard_counts([0], [GRID_MAX + 9], [False], [GRID_MAX + 9], 1, NO_RECENCY)
    assert at_risk[0, -1] == pytest.approx(10)
    assert events.sum() == 0


def test_shrunk_by_hand() -> None:
    # (events + k * prior) / (at_risk + k): 3 of 4 paid, prior 0.5, k = 2: (3 + 1) / (4 + 2) = 2/3.
    assert shrunk(np.array([3.0]), np.array([4.0]), np.array([0.5]), 2.0)[0] == pytest.approx(2 / 3)


def test_a_client_always_10_days_late_is_expected_on_due_plus_10() -> None:
    # K0 paid 20 debits each exactly 10 days after its due date; a debit due 5 days after D: expected on
    # D + 15 (its due date + 10). At delays 0..9 its own hazard is (0 + k * prior) / (20 + k), small; at 10 it
    # is (20 + k * prior) / (20 + k) >= 20/22: the chance of payment crosses one half on delay 10.
    settings = ForecastSettings(half_life_days=NO_RECENCY)
    hazards = fit_hazards([0] * 20, [10] * 20, [True] * 20, [30] * 20, [-1], 0, settings)
    assert hazards[0, cell(10)] >= 20 / 22
    assert median_days(hazards, [0], [-5], 365)[0] == 15
    # Due 4 days before D (not yet 10 days late): expected on D + 6, its due date + 10.
    assert median_days(hazards, [0], [4], 365)[0] == 6


def test_a_client_without_history_leans_on_its_group() -> None:
    # K0 and K1 in group 0; only K0 has history. K1's row is the group's hazard, itself K0's counts shrunk
    # toward everyone's: (e + k_g * everyone) / (r + k_g).
    settings = ForecastSettings(half_life_days=NO_RECENCY)
    hazards = fit_hazards([0, 0, 0], [3, 5, 5], [True, True, True], [40, 40, 40], [0, 0], 1, settings)
    events, at_risk = hazard_counts([0, 0, 0], [3, 5, 5], [True] * 3, [40] * 3, 1, NO_RECENCY)
    base = (np.arange(GRID_MIN, GRID_MAX + 1) >= 0).astype(float)
    everyone = shrunk(events[0], at_risk[0], base, settings.base_strength)
    group = shrunk(events[0], at_risk[0], everyone, settings.group_strength)
    np.testing.assert_allclose(hazards[1], group)
    # K0 leans on the group too, but less than K1 where it has been at risk: at delay 5 (2 of 2 paid).
    assert hazards[0, cell(5)] == pytest.approx((2 + settings.counterparty_strength * group[cell(5)]) / (2 + 2))


def test_an_overdue_document_is_judged_by_the_delays_beyond_what_is_known() -> None:
    # Hazards: half the debits paid at delay 5, all the rest at delay 10. A debit unpaid on D and 6 days
    # overdue is past delay 5: it is paid on delay 10, D + 4, for sure. Unconditionally the median is 5.
    hazards = np.zeros((1, GRID))
    hazards[0, cell(5)] = 0.5
    hazards[0, cell(10)] = 1.0
    p = payment_probabilities(hazards, [0], [6], 10)
    np.testing.assert_allclose(p[0], [0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
    assert median_days(hazards, [0], [6], 100)[0] == 4
    # Due on D + 2 (since_due -2): D + 7 (delay 5) has 0.5, D + 12 (delay 10) the other 0.5; the median: D + 7.
    q = payment_probabilities(hazards, [0], [-2], 12)
    assert q[0, 6] == pytest.approx(0.5)
    assert q[0, 11] == pytest.approx(0.5)
    assert median_days(hazards, [0], [-2], 100)[0] == 7


def test_a_document_never_expected_stands_at_the_horizon() -> None:
    assert median_days(np.zeros((1, GRID)), [0], [0], 50)[0] == 50


def test_rounded_periods_add_up_to_the_days() -> None:
    # Three days of 0.4 kopeck: the running totals 0.4, 0.8, 1.2 round to 0, 1, 1: days 0, 1, 0; the
    # three days as one period: 1.
    daily = np.array([0.4, 0.4, 0.4])
    assert rounded_periods(daily, np.array([1, 2, 3])).tolist() == [0, 1, 0]
    assert rounded_periods(daily, np.array([3])).tolist() == [1]


def test_documents_of_one_counterparty_move_together() -> None:
    # Two debits of 100,00 (10 000 kopecks), each paid with chance 0.5: each sd 5 000, variance 25e6.
    # One counterparty, correlation 1: 5 000 + 5 000 = 10 000; correlation 0: sqrt(2 * 25e6) = 7 071.07;
    # correlation 0.25: sqrt(0.25 * 10 000 ** 2 + 0.75 * 50e6) = sqrt(62.5e6) = 7 905.69.
    # Two counterparties are independent whatever the correlation: 7 071.07.
    p = np.array([[0.5], [0.5]])
    together = owner_spread([10_000, 10_000], [0, 0], p, 2)
    apart = owner_spread([10_000, 10_000], [0, 1], p, 2)
    assert sigma(*together, 1.0)[0] == pytest.approx(10_000)
    assert sigma(*together, 0.0)[0] == pytest.approx(5_000 * 2**0.5)
    assert sigma(*together, 0.25)[0] == pytest.approx(62.5e6**0.5)
    assert sigma(*apart, 1.0)[0] == pytest.approx(5_000 * 2**0.5)


def test_the_band_holds_the_expectation() -> None:
    # expected 10 000, sd 5 000: 10 000 -+ 1.2816 * 5 000 = 3 592 .. 16 408, high capped by 15 000 open.
    low, high = band(np.array([10_000, 0]), np.array([5_000.0, 0.0]), np.array([15_000, 15_000]))
    assert low.tolist() == [round(10_000 - Z80 * 5_000), 0]
    assert high.tolist() == [15_000, 0]
    assert (low <= np.array([10_000, 0])).all()


def test_period_ends() -> None:
    assert period_ends(date(2026, 1, 31), date(2026, 2, 3), "day") == [
        date(2026, 2, 1),
        date(2026, 2, 2),
        date(2026, 2, 3),
    ]
    # Weeks of 7 days from D + 1; the last period ends on D2.
    assert period_ends(date(2026, 1, 31), date(2026, 2, 16), "week") == [
        date(2026, 2, 7),
        date(2026, 2, 14),
        date(2026, 2, 16),
    ]
    # From a month end: calendar months.
    assert period_ends(date(2026, 1, 31), date(2026, 4, 30), "month") == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert period_ends(date(2026, 1, 15), date(2026, 3, 20), "month") == [
        date(2026, 2, 15),
        date(2026, 3, 15),
        date(2026, 3, 20),
    ]
    assert period_ends(date(2026, 1, 15), date(2026, 1, 15), "day") == []
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_money_moves_on_bank_days() -> None:
    # D = Thursday 01.05.2025 (a holiday); Friday 02.05 is a holiday too (the 2025 transfer), 03.05 and 04.05
    # the weekend, Monday 05.05 the first working day: days 1 (02.05) to 4 (05.05) all arrive on day 4; 06.05
    # and 07.05 are working days (5, 6).
    calendar = WorkCalendar.default()
    offsets = bank_day_offsets(date(2025, 5, 1), 6, calendar)
    assert offsets[1:].tolist() == [4, 4, 4, 4, 5, 6]
    # A chance of 0.25 on each of days 1..4 lands on day 4 whole; a chance on the last day past the horizon
    # would leave it: days 1..3 only, all moved beyond day 3, leave nothing.
    p = np.array([[0.25, 0.25, 0.25, 0.25, 0.0, 0.0]])
    np.testing.assert_allclose(on_bank_days(p, offsets), [[0, 0, 0, 1.0, 0, 0]])
    np.testing.assert_allclose(on_bank_days(p[:, :3], offsets[:4]), [[0, 0, 0]])


def test_batch_days_are_the_last_working_days_of_months_and_quarters() -> None:
    # D = 20.11.2025. November's last working day is Friday 28.11 (day 8); December's is Tuesday 30.12 (day 40:
    # 31.12.2025 is a holiday); January 2026's is Friday 30.01 (day 71); the quarter after December's: 31.03.2026
    # (day 131). Days 1-8 go to 28.11, from Saturday 29.11 on to 30.12, from 31.12 on to 30.01.
    calendar = WorkCalendar.default()
    assert last_working_day(2025, 12, calendar) == date(2025, 12, 30)
    months = batch_day_offsets(date(2025, 11, 20), 45, calendar, 1)
    assert months[1:9].tolist() == [8] * 8
    assert months[9:41].tolist() == [40] * 32
    assert months[41:46].tolist() == [71] * 5
    quarters = batch_day_offsets(date(2025, 11, 20), 45, calendar, 3)
    assert quarters[1:41].tolist() == [40] * 40
    assert quarters[41:46].tolist() == [131] * 5


def test_batch_shares_by_hand() -> None:
    # K0 closed 4 debits on month ends (1 on a quarter end), K1 4 elsewhere; weights 1, k = 2. Everyone's share
    # on month ends 4/8 = 1/2. K0: (4 + 2 * 1/2) / (4 + 2) = 5/6, beyond everyone's: (5/6 - 1/2) / (1/2) = 2/3;
    # of its month-end closings on quarter ends: (1 + 2/3) / (4 + 2) = 5/18, under one in three: no quarterly
    # batches. K1: (0 + 1) / 6 = 1/6, under everyone's: 0.
    month, quarter = batch_shares([0] * 4 + [1] * 4, [1, 1, 1, 1, 0, 0, 0, 0], [1, 0, 0, 0] + [0] * 4, [1.0] * 8, 2, 2)
    np.testing.assert_allclose(month, [2 / 3, 0])
    np.testing.assert_allclose(quarter, [0, 0])
    # All four of K0's on quarter ends: (4 + 2/3) / 6 = 7/9 on quarters, (7/9 - 1/3) / (2/3) = 2/3 of its 2/3
    # batched is quarterly: 4/9; monthly the rest, 2/9.
    month, quarter = batch_shares([0] * 4 + [1] * 4, [1, 1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1] + [0] * 4, [1.0] * 8, 2, 2)
    np.testing.assert_allclose(month, [2 / 9, 0])
    np.testing.assert_allclose(quarter, [4 / 9, 0])


def test_a_batch_payer_pays_on_the_batch_day() -> None:
    # Chances 0.5 on days 1 and 2; the month's batch day is day 3, the quarter's day 4. Wholly monthly: all on
    # day 3; half monthly, a quarter quarterly: 0.125 on days 1 and 2 each, 0.5 on day 3, 0.25 on day 4.
    p = np.array([[0.5, 0.5, 0.0, 0.0]])
    months, quarters = np.array([0, 3, 3, 3, 4]), np.array([0, 4, 4, 4, 4])
    np.testing.assert_allclose(in_batches(p, np.array([1.0]), np.array([0.0]), months, quarters), [[0, 0, 1, 0]])
    np.testing.assert_allclose(
        in_batches(p, np.array([0.5]), np.array([0.25]), months, quarters), [[0.125, 0.125, 0.5, 0.25]]
    )
    assert median_day(np.array([[0.125, 0.125, 0.5, 0.25]]))[0] == 3
