"""Working days and due dates against the official Russian production calendar.

Every expected date below was worked out by hand from domain/data/ru_calendar.csv (the official calendar);
the comment next to it says which facts of the calendar it depends on.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import DATA_FIRST_YEAR, DATA_LAST_YEAR, FIXED_HOLIDAYS, WorkCalendar, due_date_of
from tests.helpers.paths import ROOT, SHARED_TESTDATA

DATA_CSV = ROOT / "domain" / "data" / "ru_calendar.csv"
OFFICIAL_CSV = SHARED_TESTDATA / "calendar" / "ru_special_days_2013_2027.csv"

D = date.fromisoformat


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.default()


# -- the shipped data ----------------------------------------------------------------------------


def _shipped_rows() -> list[tuple[date, str]]:
    with DATA_CSV.open(encoding="utf-8", newline="") as f:
        return [(D(r["date"]), r["kind"]) for r in csv.DictReader(f)]


def test_shipped_csv_shape() -> None:
    rows = _shipped_rows()
    assert DATA_CSV.read_text(encoding="utf-8").splitlines()[0] == "date,kind"
    assert rows == sorted(rows)
    assert len({d for d, _ in rows}) == len(rows)
    assert {k for _, k in rows} == {"holiday", "workday"}
    # A working day only needs listing when it falls on a weekend.
    assert all(d.weekday() >= 5 for d, k in rows if k == "workday")
    assert (DATA_FIRST_YEAR, DATA_LAST_YEAR) == (2013, 2027)


@pytest.mark.skipif(not OFFICIAL_CSV.exists(), reason="the shared official calendar is not on this machine")
def test_shipped_csv_matches_official_source() -> None:
    expected: list[tuple[date, str]] = []
    with OFFICIAL_CSV.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            d = D(r["date"])
            if r["t"] == "1":
                expected.append((d, "holiday"))
            elif d.weekday() >= 5:
                expected.append((d, "workday"))
    assert _shipped_rows() == expected


@pytest.mark.parametrize(
    ("year", "working_days"),
    [
        # Official yearly totals of the 5-day week production calendar.
        (2013, 247),
        (2019, 247),
        (2022, 247),
        (2023, 247),
        (2024, 248),
        (2025, 247),
        (2026, 247),
        # 2020 and 2021 lose the presidential non-working days (29 and 7 weekdays).
        (2020, 219),
        (2021, 240),
    ],
)
def test_working_days_per_year(cal: WorkCalendar, year: int, working_days: int) -> None:
    start = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - start).days
    assert sum(cal.is_working_day(start + timedelta(i)) for i in range(days)) == working_days


def test_every_fixed_holiday_is_off_in_the_data_years(cal: WorkCalendar) -> None:
    for year in range(DATA_FIRST_YEAR, DATA_LAST_YEAR + 1):
        for month, day in FIXED_HOLIDAYS:
            assert not cal.is_working_day(date(year, month, day)), (year, month, day)


# -- is_working_day ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2025-03-12", True),  # a plain Wednesday
        ("2025-03-15", False),  # a plain Saturday
        ("2025-03-16", False),  # a plain Sunday
        ("2024-12-27", True),  # Friday before the 2025 New Year
        ("2024-12-28", True),  # Saturday worked in exchange for 2024-12-30 (t=3)
        ("2024-12-29", False),  # Sunday
        ("2024-12-30", False),  # Monday off, transferred from 2024-12-28
        ("2024-12-31", False),  # Tuesday off, transferred from 2024-01-07
        ("2025-01-01", False),  # New Year holidays 2025-01-01..08
        ("2025-01-06", False),
        ("2025-01-08", False),
        ("2025-01-09", True),  # first working day of 2025
        ("2025-03-07", True),  # shortened pre-holiday day is still a working day (t=2)
        ("2025-03-08", False),  # Women's Day on a Saturday
        ("2025-05-02", False),  # Friday off, transferred from 2025-01-04
        ("2025-05-08", False),  # Thursday off, transferred from 2025-02-23
        ("2025-06-13", False),  # Friday off, transferred from 2025-03-08
        ("2025-10-31", True),
        ("2025-11-01", True),  # working Saturday, listed as t=2 (shortened) in the data
        ("2025-11-02", False),  # Sunday
        ("2025-11-03", False),  # Monday off, transferred from 2025-11-01
        ("2025-11-04", False),  # National Unity Day
        ("2025-11-05", True),
        ("2025-12-31", False),  # Wednesday off, transferred from 2025-01-05
        ("2026-01-01", False),  # 2026 New Year: 01-01..08 holidays, 01-09 transferred from 01-03
        ("2026-01-09", False),
        ("2026-01-10", False),  # Saturday
        ("2026-01-11", False),  # Sunday
        ("2026-01-12", True),  # first working day of 2026
        ("2026-03-09", False),  # Monday off, transferred from Women's Day on Sunday 2026-03-08
        ("2020-04-15", False),  # 2020 presidential non-working period
        ("2027-02-20", True),  # working Saturday (t=2) for Monday 2027-02-22
        ("2027-02-22", False),
    ],
)
def test_is_working_day(cal: WorkCalendar, day: str, working: bool) -> None:
    assert cal.is_working_day(D(day)) is working


# -- next_working_day_on_or_after, add_working_days ----------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-03-12", "2025-03-12"),  # already a working day
        ("2025-03-15", "2025-03-17"),  # Saturday -> Monday
        ("2024-12-29", "2025-01-09"),  # Sunday, then 12-30..01-08 all off
        ("2025-11-02", "2025-11-05"),  # Sunday, then 11-03 and 11-04 off
        ("2024-12-28", "2024-12-28"),  # a working Saturday is itself
        ("2025-12-31", "2026-01-12"),  # 12-31 and 2026-01-01..11 all off
    ],
)
def test_next_working_day_on_or_after(cal: WorkCalendar, day: str, expected: str) -> None:
    assert cal.next_working_day_on_or_after(D(day)) == D(expected)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        ("2025-03-12", 0, "2025-03-12"),
        ("2025-03-15", 0, "2025-03-15"),  # n = 0 is the day itself, even a day off
        ("2025-03-12", 1, "2025-03-13"),
        ("2025-03-14", 1, "2025-03-17"),  # Friday -> Monday
        ("2024-12-27", 1, "2024-12-28"),  # the working Saturday counts
        ("2024-12-27", 2, "2025-01-09"),  # 12-28, then nothing until 01-09
        # 12-30 (1), 12-31 off, 2026-01-01..11 off, 01-12 (2), 13 (3), 14 (4), 15 (5)
        ("2025-12-29", 5, "2026-01-15"),
        ("2025-10-30", 3, "2025-11-05"),  # 10-31 (1), Sat 11-01 (2), 11-02..04 off, 11-05 (3)
        ("2025-01-01", 1, "2025-01-09"),  # counted from a holiday
        ("2025-01-09", -1, "2024-12-28"),  # backwards: the working Saturday before the holidays
        ("2025-03-17", -1, "2025-03-14"),
    ],
)
def test_add_working_days(cal: WorkCalendar, day: str, n: int, expected: str) -> None:
    assert cal.add_working_days(D(day), n) == D(expected)


# -- due_date ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "terms", "expected"),
    [
        ("2025-03-03", 30, "2025-04-02"),  # lands on a Wednesday: no shift
        ("2025-02-14", 30, "2025-03-17"),  # lands on Sunday 03-16 -> Monday
        ("2025-03-05", 10, "2025-03-17"),  # lands on Saturday 03-15 -> Monday
        ("2024-12-02", 30, "2025-01-09"),  # lands on 2025-01-01 -> first working day of 2025
        ("2025-12-05", 30, "2026-01-12"),  # lands on Sunday 2026-01-04 -> first working day of 2026
        ("2025-12-01", 30, "2026-01-12"),  # lands on 2025-12-31 (transferred day off)
        ("2025-10-02", 30, "2025-11-01"),  # lands on the working Saturday 2025-11-01: no shift
        ("2025-10-03", 30, "2025-11-05"),  # lands on Sunday 11-02; 11-03, 11-04 off
        ("2024-11-28", 30, "2024-12-28"),  # lands on the working Saturday 2024-12-28
        ("2025-01-03", 7, "2025-01-10"),  # counted from a holiday, lands on a working Friday
        ("2025-03-03", 1, "2025-03-04"),
    ],
)
def test_due_date_calendar_basis(cal: WorkCalendar, doc: str, terms: int, expected: str) -> None:
    assert cal.due_date(D(doc), terms, "calendar") == D(expected)


def test_due_date_calendar_is_the_default_basis(cal: WorkCalendar) -> None:
    assert cal.due_date(D("2025-02-14"), 30) == D("2025-03-17")


@pytest.mark.parametrize(
    ("doc", "terms", "expected"),
    [
        ("2025-12-29", 5, "2026-01-15"),  # see test_add_working_days
        # 03-04 (1), 05 (2), 06 (3), Fri 07 short day (4), Sat 08 holiday, 10 (5) .. 14 (9), 17 (10)
        ("2025-03-03", 10, "2025-03-17"),
        ("2024-12-27", 2, "2025-01-09"),
        ("2025-10-30", 3, "2025-11-05"),
        ("2025-01-01", 1, "2025-01-09"),
        ("2025-03-15", 1, "2025-03-17"),  # from a Saturday: Monday is the 1st working day after
        # 2025-04-30 Wed (1), 05-01..04 off, 05 (2), 06 (3), 07 (4), 05-08..11 off, 12 (5)
        ("2025-04-29", 5, "2025-05-12"),
    ],
)
def test_due_date_working_basis(cal: WorkCalendar, doc: str, terms: int, expected: str) -> None:
    assert cal.due_date(D(doc), terms, "working") == D(expected)


@pytest.mark.parametrize("basis", ["calendar", "working"])
@pytest.mark.parametrize("doc", ["2025-01-01", "2025-03-16", "2025-03-12", "2024-12-28"])
def test_due_date_zero_terms_is_the_document_date(cal: WorkCalendar, doc: str, basis: str) -> None:
    # N = 0 (payment on delivery): the document date itself, even on a holiday or a Sunday.
    assert cal.due_date(D(doc), 0, basis) == D(doc)


def test_due_date_basis_is_forgiving_about_case(cal: WorkCalendar) -> None:
    assert cal.due_date(D("2025-12-29"), 5, " Working ") == D("2026-01-15")


def test_due_date_rejects_bad_arguments(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="basis"):
        cal.due_date(D("2025-03-03"), 30, "banking")
    with pytest.raises(ValueError, match="negative"):
        cal.due_date(D("2025-03-03"), -1, "calendar")


@pytest.mark.parametrize(
    ("side", "doc", "own", "terms", "expected"),
    [
        (-1, "2025-02-14", "2025-03-20", (30, "calendar"), None),  # a credit has no due date, whatever it says
        (1, "2025-02-14", "2025-03-16", (30, "calendar"), "2025-03-16"),  # its own date wins, a Sunday kept
        (1, "2025-02-14", None, (30, "calendar"), "2025-03-17"),  # 03-16 is a Sunday -> Monday
        (1, "2025-03-03", None, (10, "working"), "2025-03-17"),  # see test_due_date_working_basis
        (1, "2025-03-16", None, None, "2025-03-16"),  # no contract: due on its date, a Sunday kept
    ],
)
def test_due_date_of_a_document(
    cal: WorkCalendar, side: int, doc: str, own: str | None, terms: tuple[int, str] | None, expected: str | None
) -> None:
    # A debit's due date: its own, else its contract's terms from its date; a credit has none.
    found = due_date_of(side, D(doc), D(own) if own else None, terms, cal)
    assert found == (D(expected) if expected else None)


# -- overrides -----------------------------------------------------------------------------------


def test_holiday_override_on_a_plain_wednesday(cal: WorkCalendar) -> None:
    local = WorkCalendar.with_overrides({D("2025-03-12"): "holiday"})
    assert cal.is_working_day(D("2025-03-12"))
    assert not local.is_working_day(D("2025-03-12"))
    # 2025-02-10 + 30 days = Wednesday 2025-03-12
    assert cal.due_date(D("2025-02-10"), 30, "calendar") == D("2025-03-12")
    assert local.due_date(D("2025-02-10"), 30, "calendar") == D("2025-03-13")
    assert cal.due_date(D("2025-03-11"), 1, "working") == D("2025-03-12")
    assert local.due_date(D("2025-03-11"), 1, "working") == D("2025-03-13")
    # Every later working-day count shifts by one day too.
    assert cal.due_date(D("2025-03-10"), 5, "working") == D("2025-03-17")
    assert local.due_date(D("2025-03-10"), 5, "working") == D("2025-03-18")


def test_workday_override_on_a_sunday(cal: WorkCalendar) -> None:
    local = WorkCalendar.with_overrides({D("2025-03-16"): "workday"})
    assert not cal.is_working_day(D("2025-03-16"))
    assert local.is_working_day(D("2025-03-16"))
    # 2025-02-14 + 30 days = Sunday 2025-03-16: no longer moved to Monday
    assert cal.due_date(D("2025-02-14"), 30, "calendar") == D("2025-03-17")
    assert local.due_date(D("2025-02-14"), 30, "calendar") == D("2025-03-16")
    assert cal.due_date(D("2025-03-14"), 1, "working") == D("2025-03-17")
    assert local.due_date(D("2025-03-14"), 1, "working") == D("2025-03-16")
    assert local.next_working_day_on_or_after(D("2025-03-15")) == D("2025-03-16")


def test_overrides_win_over_the_official_data() -> None:
    local = WorkCalendar({D("2025-01-06"): "workday", D("2025-11-01"): "holiday"})
    assert local.is_working_day(D("2025-01-06"))  # an official holiday made a working day
    assert not local.is_working_day(D("2025-11-01"))  # the official working Saturday cancelled
    assert local.due_date(D("2024-12-27"), 2, "working") == D("2025-01-06")
    assert local.due_date(D("2025-10-31"), 1, "working") == D("2025-11-05")


def test_overrides_outside_the_precomputed_span() -> None:
    local = WorkCalendar({D("2200-01-13"): "holiday", D("1980-01-05"): "workday"})
    assert not local.is_working_day(D("2200-01-13"))  # a Monday
    assert local.next_working_day_on_or_after(D("2200-01-11")) == D("2200-01-14")
    assert local.is_working_day(D("1980-01-05"))  # a Saturday


def test_overrides_do_not_leak_into_the_default() -> None:
    WorkCalendar.with_overrides({D("2025-03-12"): "holiday"})
    assert WorkCalendar.default().is_working_day(D("2025-03-12"))


def test_default_and_empty_overrides_share_one_instance() -> None:
    assert WorkCalendar.default() is WorkCalendar.default()
    assert WorkCalendar.with_overrides({}) is WorkCalendar.default()
    assert WorkCalendar.with_overrides(None) is WorkCalendar.default()


def test_override_kinds_are_checked() -> None:
    assert WorkCalendar({D("2025-03-12"): " Holiday "}).overrides == {D("2025-03-12"): "holiday"}
    with pytest.raises(ValueError, match="holiday"):
        WorkCalendar({D("2025-03-12"): "weekend"})


# -- outside the official data -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2030-01-01", False),  # fixed holidays Jan 1-8 (Tue-Tue in 2030)
        ("2030-01-08", False),
        ("2030-01-09", True),
        ("2030-05-09", False),  # Victory Day, a Thursday: no bridge to Friday without a decree
        ("2030-05-10", True),
        ("2028-01-08", False),  # Saturday: no transfer to a weekday outside the data
        ("2028-01-10", True),
        ("2028-05-08", True),  # Monday between May 1 and May 9
        ("2028-06-12", False),
        ("2012-01-09", True),  # (in reality a transferred day off; the fallback knows no transfers)
        ("2012-02-23", False),
        ("1985-11-04", False),  # before the span: still the fixed-holiday rule
        ("2200-11-04", False),
        ("2200-11-05", True),
    ],
)
def test_fallback_outside_the_data(cal: WorkCalendar, day: str, working: bool) -> None:
    assert cal.is_working_day(D(day)) is working


def test_due_dates_outside_the_data(cal: WorkCalendar) -> None:
    # 2030-12-02 + 30 = 2031-01-01 (Wed); Jan 1-8 off -> Thursday 2031-01-09
    assert cal.due_date(D("2030-12-02"), 30, "calendar") == D("2031-01-09")
    # 12-28 (1), 29 (2), 30 (3), Fri 2027-12-31 off (data), 2028-01-01..08 off, Sun 09, Mon 10 (4), 11 (5)
    assert cal.due_date(D("2027-12-27"), 5, "working") == D("2028-01-11")
    # Beyond the precomputed span: 2200-11-04 is a Tuesday holiday -> Wednesday
    assert cal.due_date(D("2200-10-05"), 30, "calendar") == D("2200-11-05")


# -- agreement with a naive reference ------------------------------------------------------------

_REFERENCE_DATA = dict(_shipped_rows())


def _ref_working(d: date, overrides: dict[date, str]) -> bool:
    if d in overrides:
        return overrides[d] == "workday"
    if 2013 <= d.year <= 2027 and d in _REFERENCE_DATA:
        return _REFERENCE_DATA[d] == "workday"
    if 2013 <= d.year <= 2027:
        return d.weekday() < 5
    return d.weekday() < 5 and (d.month, d.day) not in FIXED_HOLIDAYS


def _ref_due(doc: date, n: int, basis: str, overrides: dict[date, str]) -> date:
    if n == 0:
        return doc
    if basis == "calendar":
        d = doc + timedelta(n)
        while not _ref_working(d, overrides):
            d += timedelta(1)
        return d
    d = doc
    while n:
        d += timedelta(1)
        n -= _ref_working(d, overrides)
    return d


_dates = st.dates(min_value=date(1985, 1, 1), max_value=date(2135, 12, 31))
_edge_dates = st.sampled_from(
    [D("1989-12-20"), D("1990-01-01"), D("2012-12-25"), D("2027-12-25"), D("2125-12-20"), D("2126-01-01")]
)


@settings(max_examples=400, deadline=None)
@given(
    doc=st.one_of(_dates, _edge_dates),
    n=st.integers(min_value=0, max_value=400),
    basis=st.sampled_from(["calendar", "working"]),
)
def test_due_date_matches_reference(doc: date, n: int, basis: str) -> None:
    assert WorkCalendar.default().due_date(doc, n, basis) == _ref_due(doc, n, basis, {})


_OVERRIDES = {
    D("2025-03-12"): "holiday",
    D("2025-03-16"): "workday",
    D("2025-01-03"): "workday",
    D("2030-06-05"): "holiday",
}
_WITH_OVERRIDES = WorkCalendar.with_overrides(_OVERRIDES)


@settings(max_examples=200, deadline=None)
@given(
    doc=st.dates(min_value=date(2024, 11, 1), max_value=date(2030, 7, 1)),
    n=st.integers(min_value=0, max_value=60),
    basis=st.sampled_from(["calendar", "working"]),
)
def test_due_date_with_overrides_matches_reference(doc: date, n: int, basis: str) -> None:
    assert _WITH_OVERRIDES.due_date(doc, n, basis) == _ref_due(doc, n, basis, _OVERRIDES)


@settings(max_examples=300, deadline=None)
@given(doc=st.one_of(_dates, _edge_dates), n=st.integers(min_value=-300, max_value=300))
def test_add_working_days_is_consistent(doc: date, n: int) -> None:
    cal = WorkCalendar.default()
    result = cal.add_working_days(doc, n)
    if n == 0:
        assert result == doc
        return
    assert cal.is_working_day(result)
    lo, hi = (doc, result) if n > 0 else (result, doc)
    assert (result > doc) == (n > 0)
    # Exactly |n| working days in the half-open interval between them (doc itself never counts).
    span = (
        [lo + timedelta(i) for i in range(1, (hi - lo).days + 1)]
        if n > 0
        else [lo + timedelta(i) for i in range((hi - lo).days)]
    )
    assert sum(cal.is_working_day(d) for d in span) == abs(n)
