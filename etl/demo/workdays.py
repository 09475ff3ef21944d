"""Working days for placing demo documents, and the company's own calendar overrides.

Only places demo payments around due dates; the product's own calendar decides what is overdue.
"""

from __future__ import annotations

import bisect
import random
from datetime import date

_FIXED_HOLIDAYS = frozenset([(1, d) for d in range(1, 9)] + [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)])


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
    """Approximate working days (weekends, fixed-date holidays, the demo's calendar.csv overrides)."""

    def __init__(self, lo: int, hi: int, holidays: tuple[int, ...], workdays: tuple[int, ...]) -> None:
        self.lo = lo
        self.hi = hi
        working = []
        for o in range(lo, hi):
            d = date.fromordinal(o)
            ok = d.weekday() < 5 and (d.month, d.day) not in _FIXED_HOLIDAYS
            if o in holidays:
                ok = False
            if o in workdays:
                ok = True
            working.append(ok)
        self.working = working
        # next_working[i]: first working ordinal >= lo + i (hi if none).
        nxt = [hi] * (hi - lo + 1)
        for i in range(hi - lo - 1, -1, -1):
            nxt[i] = lo + i if working[i] else nxt[i + 1]
        self._next = nxt
        self._list = [lo + i for i in range(hi - lo) if working[i]]
        counts = []
        seen = 0
        for ok in working:
            seen += ok
            counts.append(seen)
        self._count = counts  # working days in [lo, lo + i]

    def is_working(self, o: int) -> bool:
        return self.lo <= o < self.hi and self.working[o - self.lo]

    def next_working(self, o: int) -> int:
        if o >= self.hi:
            return o
        return self._next[max(o, self.lo) - self.lo]

    def due(self, o: int, terms: int, working: bool) -> int:
        if terms <= 0:
            return o
        if not working:
            return self.next_working(o + terms)
        pos = self._count[o - self.lo] + terms - 1  # the N-th working day strictly after o
        return self._list[pos] if pos < len(self._list) else o + terms * 7 // 5

    def workday_in(self, lo: int, hi: int, rng: random.Random) -> int:
        """A random working day in [lo, hi]; lo itself when there is none."""
        days = self._list[bisect.bisect_left(self._list, lo) : bisect.bisect_right(self._list, hi)]
        return rng.choice(days) if days else lo
