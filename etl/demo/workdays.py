"""Working days for placing demo documents, taken from the product's own calendar.

The demo places payments on bank days, registry payments on the customer's weekday, and writes
due dates of old debt; all of it follows :class:`domain.calendar.WorkCalendar` (the official
production calendar with its transfers) plus the company's own overrides, the ones the demo writes
to calendar.csv, so the product computes the same days once it loads the folder.
"""

from __future__ import annotations

import bisect
import random
from datetime import date

from domain.calendar import CALENDAR, HOLIDAY, WORKDAY, WORKING, WorkCalendar


def company_overrides(start: int, end: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """One company holiday on an ordinary weekday and one working Saturday, both in [start, end].

    The holiday is the second Friday of July (a company day off): no federal holiday or transfer
    ever falls in July, so the override really changes the calendar. The workday is the first
    Saturday of September (stock-taking): official working Saturdays only occur around
    November-December and in spring, so this one is not already a working day either.
    """
    last = date.fromordinal(end)

    def latest(month: int, weekday: int, nth: int) -> int:
        for year in (last.year, last.year - 1, last.year - 2):
            first = date(year, month, 1)
            o = first.toordinal() + (weekday - first.weekday()) % 7 + 7 * (nth - 1)
            if start <= o <= end:
                return o
        raise AssertionError("a two-year window always holds a July and a September")

    return (latest(7, 4, 2),), (latest(9, 5, 1),)


class WorkDays:
    """The working days of [lo, hi) as ordinal-indexed tables, built once from a WorkCalendar.

    The demo asks these questions millions of times with day ordinals; the tables answer them
    without building a date each time.
    """

    def __init__(self, lo: int, hi: int, holidays: tuple[int, ...], workdays: tuple[int, ...]) -> None:
        overrides = {date.fromordinal(o): HOLIDAY for o in holidays} | {date.fromordinal(o): WORKDAY for o in workdays}
        self.calendar = WorkCalendar.with_overrides(overrides)
        self.lo = lo
        self.hi = hi
        working = [self.calendar.is_working_day(date.fromordinal(o)) for o in range(lo, hi)]
        self._working = working
        # _next[i]: first working ordinal >= lo + i (hi if none).
        nxt = [hi] * (hi - lo + 1)
        for i in range(hi - lo - 1, -1, -1):
            nxt[i] = lo + i if working[i] else nxt[i + 1]
        self._next = nxt
        self._list = [lo + i for i in range(hi - lo) if working[i]]
        self._due: dict[tuple[int, int, bool], int] = {}
        self._ends: dict[tuple[int, int], int] = {}

    def is_working(self, o: int) -> bool:
        return self.lo <= o < self.hi and self._working[o - self.lo]

    def next_working(self, o: int) -> int:
        """The first working day on or after `o` (`o` itself past the tables' end)."""
        if o >= self.hi:
            return o
        return self._next[max(o, self.lo) - self.lo]

    def due(self, o: int, terms: int, working: bool) -> int:
        """WorkCalendar.due_date, by ordinal: a demo has few distinct (day, terms, basis) triples."""
        key = (o, terms, working)
        result = self._due.get(key)
        if result is None:
            basis = WORKING if working else CALENDAR
            result = self._due[key] = self.calendar.due_date(date.fromordinal(o), terms, basis).toordinal()
        return result

    def period_end(self, o: int, months: int) -> int:
        """The last working day of the month (`months` 1) or quarter (3) holding `o`: the day a batch
        payer pays what fell due in that period. When that day is before `o` (a due date moved past the
        period's last working day), the next period's last working day."""
        if o >= self.hi:
            return o
        key = (o, months)
        result = self._ends.get(key)
        if result is None:
            day = date.fromordinal(o)
            after = (day.month - 1) // months * months + months  # months from January to the next period
            following = date(day.year + after // 12, after % 12 + 1, 1).toordinal()
            result = following - 1
            while result > o - 40 and not self.is_working(result):
                result -= 1
            if result < o:
                result = self.period_end(following, months)
            self._ends[key] = result
        return result

    def month_index(self, o: int) -> int:
        """Months since the start of year 0 to the month holding `o`: consecutive months differ by one."""
        day = date.fromordinal(o)
        return day.year * 12 + day.month - 1

    def workday_in(self, lo: int, hi: int, rng: random.Random) -> int:
        """A random working day in [lo, hi]; lo itself when there is none."""
        days = self._list[bisect.bisect_left(self._list, lo) : bisect.bisect_right(self._list, hi)]
        return rng.choice(days) if days else lo
