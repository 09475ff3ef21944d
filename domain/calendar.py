"""Russian working-day calendar and the due-date rule of contract section 2.

The shipped data (``domain/data/ru_calendar.csv``) is the official production calendar: every
non-working day (``holiday``, weekends included) and every working Saturday or Sunday
(``workday``). Years the data does not cover fall back to Monday-Friday less the fixed federal
holidays, without transfers, because transfers are decreed year by year and cannot be guessed.

``due_date`` runs about once per loaded document, so the calendar is precomputed into flat
lists over a wide span of days and each query is a couple of list lookups; only dates outside
that span take the slow day-by-day path.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date, timedelta
from importlib import resources
from typing import ClassVar

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)

CALENDAR = "calendar"
WORKING = "working"
BASES = (CALENDAR, WORKING)

# Federal holidays by (month, day) under art. 112 of the Labour Code; used only for years the
# official data does not cover.
FIXED_HOLIDAYS: frozenset[tuple[int, int]] = frozenset(
    [(1, d) for d in range(1, 9)] + [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)]
)

# Wide enough for every document date parse_date accepts (1990..2100) plus long terms.
_SPAN_FIRST = date(1990, 1, 1)
_SPAN_END = date(2126, 1, 1)  # exclusive

_DATA_FILE = "ru_calendar.csv"


def _load_shipped() -> dict[date, str]:
    text = resources.files("domain").joinpath("data", _DATA_FILE).read_text(encoding="utf-8")
    days: dict[date, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        kind = row["kind"].strip()
        if kind not in KINDS:
            raise ValueError(f"{_DATA_FILE}: unknown kind {kind!r} on {row['date']}")
        days[date.fromisoformat(row["date"].strip())] = kind
    return days


_SHIPPED: dict[date, str] = _load_shipped()
# The data covers whole years: its first and last years are complete official calendars.
DATA_FIRST_YEAR: int = min(_SHIPPED).year
DATA_LAST_YEAR: int = max(_SHIPPED).year


def _base_is_working(d: date) -> bool:
    """The built-in rule without overrides."""
    if DATA_FIRST_YEAR <= d.year <= DATA_LAST_YEAR:
        kind = _SHIPPED.get(d)
        if kind is not None:
            return kind == WORKDAY
        return d.weekday() < 5
    return d.weekday() < 5 and (d.month, d.day) not in FIXED_HOLIDAYS


def _build_base_flags() -> bytes:
    first = _SPAN_FIRST.toordinal()
    return bytes(_base_is_working(date.fromordinal(o)) for o in range(first, _SPAN_END.toordinal()))


_BASE_FLAGS: bytes = _build_base_flags()


def _normalise_overrides(overrides: Mapping[date, str] | None) -> dict[date, str]:
    result: dict[date, str] = {}
    for day, kind in (overrides or {}).items():
        norm = kind.strip().lower() if isinstance(kind, str) else kind
        if norm not in KINDS:
            raise ValueError(f"calendar override for {day}: kind must be 'holiday' or 'workday', not {kind!r}")
        result[day] = norm
    return result


class WorkCalendar:
    """Working days: Mon-Fri, less official holidays, plus working weekend days, then overrides."""

    __slots__ = ("_first", "_flags", "_lt", "_overrides", "_size", "_wd")

    _default: ClassVar[WorkCalendar | None] = None

    def __init__(self, overrides: Mapping[date, str] | None = None) -> None:
        self._overrides: dict[date, str] = _normalise_overrides(overrides)
        self._first: int = _SPAN_FIRST.toordinal()
        flags = bytearray(_BASE_FLAGS)
        for day, kind in self._overrides.items():
            i = day.toordinal() - self._first
            if 0 <= i < len(flags):
                flags[i] = kind == WORKDAY
        self._flags: bytes = bytes(flags)
        self._size: int = len(flags)
        # _lt[i] = number of working days strictly before span day i (len = size + 1), so the
        # k-th working day of the span is _wd[k] and both rules below are O(1) lookups.
        lt = [0] * (self._size + 1)
        wd: list[date] = []
        count = 0
        for i, flag in enumerate(flags):
            lt[i] = count
            if flag:
                wd.append(date.fromordinal(self._first + i))
                count += 1
        lt[self._size] = count
        self._lt: list[int] = lt
        self._wd: list[date] = wd

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def default(cls) -> WorkCalendar:
        """The shipped calendar without overrides; built once per process."""
        if cls._default is None:
            cls._default = cls()
        return cls._default

    @classmethod
    def with_overrides(cls, overrides: Mapping[date, str] | None) -> WorkCalendar:
        """The shipped calendar with loaded ``calendar`` rows applied (they win over the data)."""
        if not overrides:
            return cls.default()
        return cls(overrides)

    @property
    def overrides(self) -> dict[date, str]:
        return dict(self._overrides)

    # -- queries ------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        i = d.toordinal() - self._first
        if 0 <= i < self._size:
            return bool(self._flags[i])
        return self._slow_is_working(d)

    def next_working_day_on_or_after(self, d: date) -> date:
        i = d.toordinal() - self._first
        if 0 <= i < self._size:
            k = self._lt[i]
            if k < len(self._wd):
                return self._wd[k]
        return self._slow_step(d, 0, include_start=True)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (before it when n < 0); n = 0 returns ``d`` itself."""
        if n == 0:
            return d
        i = d.toordinal() - self._first
        if 0 <= i < self._size:
            wd = self._wd
            k = self._lt[i + 1] + n - 1 if n > 0 else self._lt[i] + n
            if 0 <= k < len(wd):
                return wd[k]
            # Past an edge of the span: walk on from the last (first) working day inside it,
            # which is working day number len - 1 (0) of the span.
            if k >= len(wd):
                return self._slow_step(wd[-1], k - len(wd) + 1, include_start=False)
            return self._slow_step(wd[0], k, include_start=False)
        return self._slow_step(d, n, include_start=False)

    def due_date(self, doc_date: date, terms_days: int, basis: str = CALENDAR) -> date:
        """Due date of a debit from its date and the contract's terms (contract section 2).

        ``calendar``: doc_date + N days, moved forward to the next working day when that day is
        not one (Civil Code art. 193). ``working``: the N-th working day after doc_date.
        N = 0: doc_date itself for both bases, even on a day off, since payment on delivery
        means the delivery day.
        """
        if terms_days == 0:
            return doc_date
        if terms_days < 0:
            raise ValueError(f"payment terms cannot be negative: {terms_days} days")
        if basis != CALENDAR and basis != WORKING:  # noqa: PLR1714 - the fast path is two compares
            norm = basis.strip().lower() if isinstance(basis, str) else basis
            if norm not in BASES:
                raise ValueError(f"terms basis must be 'calendar' or 'working', not {basis!r}")
            basis = norm
        i = doc_date.toordinal() - self._first
        if basis == CALENDAR:
            j = i + terms_days
            if 0 <= j < self._size:
                k = self._lt[j]
                if k < len(self._wd):
                    return self._wd[k]
            return self.next_working_day_on_or_after(doc_date + timedelta(days=terms_days))
        if 0 <= i < self._size:
            k = self._lt[i + 1] + terms_days - 1
            if k < len(self._wd):
                return self._wd[k]
        return self.add_working_days(doc_date, terms_days)

    # -- outside the precomputed span -----------------------------------------------------------

    def _slow_is_working(self, d: date) -> bool:
        kind = self._overrides.get(d)
        if kind is not None:
            return kind == WORKDAY
        return _base_is_working(d)

    def _slow_step(self, d: date, n: int, *, include_start: bool) -> date:
        """Walk day by day: the |n|-th working day after (n > 0) or before (n < 0) ``d``;
        with include_start and n = 0, the first working day on or after ``d``."""
        if include_start and self.is_working_day(d):
            return d
        step = timedelta(days=-1 if n < 0 else 1)
        remaining = max(abs(n), 1)
        current = d
        while True:
            current += step
            if self.is_working_day(current):
                remaining -= 1
                if remaining == 0:
                    return current


def due_date_of(
    side: int, doc_date: date, own_due_date: date | None, terms: tuple[int, str] | None, calendar: WorkCalendar
) -> date | None:
    """A debit's due date: its own, else its contract's terms (days, basis) from its date; credits have none."""
    if side < 0:
        return None
    if own_due_date is not None:
        return own_due_date
    days, basis = terms or (0, CALENDAR)
    return calendar.due_date(doc_date, days, basis)
