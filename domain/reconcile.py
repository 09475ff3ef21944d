"""Two-sided reconciliation: the lines of the act the counterparty sent back matched to ours.

Both sides come as lines (date, document text, amount in kopecks signed from OUR side: + raises what the
counterparty owes us). Their act is kept from their side (their debit is our credit), so the caller
mirrors it before it comes here. The passes, each over what the earlier ones left (contract section 5,
«Two-sided reconciliation»; docs/semantics.md says it for people):

1. exact: the same date and amount (`matched`);
2. split on one date: several lines of one side on one date adding up to one line of the other on that
   date (a payment split in two), one result row per group (`matched`);
3. the same amount within 5 days, the nearest dates first (`date_differs`);
4. a split within 5 days: as 2, the group on another date within 5 days (`date_differs`);
5. the same document number in both texts with another amount, same direction (`amount_differs`);
6. the rest: `only_ours`, `only_theirs`.

Every line lands in exactly one row, so with the `opening` row (the opening balances' difference, when
there is one) the rows' differences add up to the closing balances' difference, to the kopeck, whenever
their act is consistent (their closing = their opening + their lines); `explain` says by how much it is
not. No I/O here: dashboard.services.reconcile reads the acts, the CSV and XLSX render the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

STATUSES = ("matched", "date_differs", "amount_differs", "only_ours", "only_theirs")
SUMMARY_STATUSES = ("opening", "balance")
WINDOW_DAYS = 5  # «same amount within 5 days»
MAX_GROUP_CANDIDATES = 12  # lines of one date tried as the parts of a split
MAX_GROUP_SIZE = 4  # parts of a split at most (a payment in 2, 3 or 4 parts)
GROUP_SEPARATOR = "; "  # between the texts of a split group's lines, in its row's document


@dataclass(frozen=True)
class Line:
    """One line of an act: its date, its text as printed, its amount signed from our side (kopecks)."""

    day: date
    document: str
    amount: int


@dataclass(frozen=True)
class Row:
    """One row of the reconciliation: our line(s) and theirs (a missing side is None).

    `our_lines`: the indexes of our lines the row holds, into the sequence of our lines `match` was given (one,
    several for a split group, in the order its text joins them; none for only_theirs, opening and balance),
    so a caller names our side from its own columns, not from the text (dashboard.services.reconcile.rows_in).
    The program's, not a column people see: two rows showing the same compare equal whatever their indexes."""

    status: str
    our_date: date | None = None
    our_document: str | None = None
    our_amount: int | None = None
    their_date: date | None = None
    their_document: str | None = None
    their_amount: int | None = None
    our_lines: tuple[int, ...] = field(default=(), compare=False)

    @property
    def difference(self) -> int:
        """our_amount - their_amount, a missing side counting as 0."""
        return (self.our_amount or 0) - (self.their_amount or 0)


@dataclass(frozen=True)
class Explanation:
    """The closing balances' difference taken apart: opening + each status's differences + what their own
    act does not add up to (their closing - their opening - their lines, mirrored; 0 for a consistent act)."""

    balance: int
    opening: int
    by_status: dict[str, int]
    inconsistency: int

    @property
    def parts(self) -> list[tuple[str, int]]:
        """(opening | a status | inconsistency, kopecks) of every non-zero part, in the rows' order."""
        named = [("opening", self.opening), *((s, self.by_status.get(s, 0)) for s in STATUSES)]
        return [(name, value) for name, value in [*named, ("inconsistency", self.inconsistency)] if value]


# -- document numbers ---------------------------------------------------------------------------------

_BEFORE_DATE = re.compile(r"(?:№\s*)?([^\s(),№]+)\s+от\s+\d{1,2}\.\d{1,2}\.\d{2,4}", re.IGNORECASE)
_AFTER_SIGN = re.compile(r"№\s*([^\s(),]+)")
_TRAILING_DIGITS = re.compile(r"(.*?)(\d+)")


def document_number(text: str) -> str | None:
    """The document's number in an act's text, normalised: «Реализация (акт, накл.) 00123 от 15.01.2026»,
    «Платежное поручение № 123 от …» and «Оплата (п/п № 123 от …)» all give "123"; a prefix stays as 1C keeps
    it («ТД00-000123» → "тд00-123"), leading zeros of the number go, case does not count. None: no number."""
    found = _BEFORE_DATE.search(text) or _AFTER_SIGN.search(text)
    if found is None:
        return None
    token = found.group(1).strip(".,;:")
    if not any(ch.isdigit() for ch in token):
        return None
    parts = _TRAILING_DIGITS.fullmatch(token)
    if parts is not None:
        token = parts.group(1) + str(int(parts.group(2)))
    return token.casefold()


# -- matching ------------------------------------------------------------------------------------------


class _Side:
    """The lines of one side with which of them are still unmatched."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.lines = list(lines)
        self.free = [True] * len(self.lines)

    def open(self) -> list[int]:
        return [i for i, free in enumerate(self.free) if free]

    def take(self, indexes: Iterable[int]) -> list[int]:
        taken = sorted(indexes)
        for i in taken:
            self.free[i] = False
        return taken


def _group_for(target: int, candidates: list[tuple[int, int]]) -> list[int] | None:
    """The smallest group (2 to MAX_GROUP_SIZE lines, earliest lines first) of (index, amount) adding up to
    target; only lines of the target's sign and smaller than it can be parts of it."""
    parts = [(i, a) for i, a in candidates if a != 0 and (a > 0) == (target > 0) and abs(a) < abs(target)]
    parts = parts[:MAX_GROUP_CANDIDATES]
    if len(parts) < 2 or abs(sum(a for _, a in parts)) < abs(target):
        return None
    for size in range(2, min(len(parts), MAX_GROUP_SIZE) + 1):
        for group in combinations(parts, size):
            if sum(a for _, a in group) == target:
                return [i for i, _ in group]
    return None


def _free_on(side: _Side, indexes: list[int]) -> list[tuple[int, int]]:
    return [(j, side.lines[j].amount) for j in indexes if side.free[j]]


def _group_sums(candidates: list[tuple[int, int]]) -> set[int]:
    """Every sum _group_for could find among these lines (a quick no for most lines of a large act)."""
    sums: set[int] = set()
    for sign in (1, -1):
        parts = [a for _, a in candidates if a * sign > 0][:MAX_GROUP_CANDIDATES]
        for size in range(2, min(len(parts), MAX_GROUP_SIZE) + 1):
            sums.update(sum(group) for group in combinations(parts, size))
    return sums


def _row(status: str, ours: _Side, our_idx: list[int], theirs: _Side, their_idx: list[int]) -> Row:
    def side(s: _Side, idx: list[int]) -> tuple[date | None, str | None, int | None]:
        if not idx:
            return None, None, None
        lines = [s.lines[i] for i in idx]
        return lines[0].day, GROUP_SEPARATOR.join(x.document for x in lines), sum(x.amount for x in lines)

    return Row(status, *side(ours, our_idx), *side(theirs, their_idx), our_lines=tuple(our_idx))


def _exact(ours: _Side, theirs: _Side, found: list[tuple[Row, int, int]]) -> None:
    waiting: dict[tuple[date, int], list[int]] = {}
    for j in theirs.open():
        line = theirs.lines[j]
        waiting.setdefault((line.day, line.amount), []).append(j)
    for i in ours.open():
        line = ours.lines[i]
        queue = waiting.get((line.day, line.amount))
        if queue:
            j = queue.pop(0)
            found.append((_row("matched", ours, ours.take([i]), theirs, theirs.take([j])), i, j))


def _splits(ours: _Side, theirs: _Side, found: list[tuple[Row, int, int]], *, same_day: bool) -> None:
    """One line of either side against a group of the other's lines of one date: that date (same_day), else
    another date within the window, nearest first (earlier first on a tie)."""
    status = "matched" if same_day else "date_differs"
    offsets = (
        [0] if same_day else sorted((d for d in range(-WINDOW_DAYS, WINDOW_DAYS + 1) if d), key=lambda d: (abs(d), d))
    )
    for single, group_side, single_is_ours in ((ours, theirs, True), (theirs, ours, False)):
        by_day: dict[date, list[int]] = {}
        for j in group_side.open():
            by_day.setdefault(group_side.lines[j].day, []).append(j)
        reachable: dict[date, set[int]] = {}  # per day, every sum a group could make (dropped when one is taken)

        for i in single.open():
            line = single.lines[i]
            for offset in offsets:
                day = date.fromordinal(line.day.toordinal() + offset)
                if day not in by_day:
                    continue
                if day not in reachable:
                    reachable[day] = _group_sums(_free_on(group_side, by_day[day]))
                if line.amount not in reachable[day]:
                    continue
                group = _group_for(line.amount, _free_on(group_side, by_day[day]))
                if group is None:
                    continue
                reachable.pop(day)
                one, many = single.take([i]), group_side.take(group)
                if single_is_ours:
                    found.append((_row(status, ours, one, theirs, many), one[0], many[0]))
                else:
                    found.append((_row(status, ours, many, theirs, one), many[0], one[0]))
                break


def _pairs(
    ours: _Side,
    theirs: _Side,
    found: list[tuple[Row, int, int]],
    status: str,
    key: Callable[[Line], object],
    fits: Callable[[Line, Line], tuple[int, int] | None],
) -> None:
    """Pairs of one line each with the same key (not None) that `fits` (our line, their line) -> rank or None,
    the smallest ranks first (lines are bucketed by the key: a large act is never compared pair by pair)."""
    buckets: dict[object, list[int]] = {}
    for j in theirs.open():
        k = key(theirs.lines[j])
        if k is not None:
            buckets.setdefault(k, []).append(j)
    ranked: list[tuple[tuple[int, int], int, int]] = []
    for i in ours.open():
        k = key(ours.lines[i])
        for j in buckets.get(k, ()) if k is not None else ():
            rank = fits(ours.lines[i], theirs.lines[j])
            if rank is not None:
                ranked.append((rank, i, j))
    ranked.sort()
    for _rank, i, j in ranked:
        if ours.free[i] and theirs.free[j]:
            found.append((_row(status, ours, ours.take([i]), theirs, theirs.take([j])), i, j))


def _within_window(our: Line, their: Line) -> tuple[int, int] | None:
    gap = their.day.toordinal() - our.day.toordinal()
    return (abs(gap), gap) if our.amount == their.amount and abs(gap) <= WINDOW_DAYS else None


def _same_number(our: Line, their: Line) -> tuple[int, int] | None:
    if our.amount == their.amount or (our.amount > 0) != (their.amount > 0):
        return None
    number = document_number(our.document)
    if number is None or number != document_number(their.document):
        return None
    gap = their.day.toordinal() - our.day.toordinal()
    return (abs(gap), gap)


def match(ours: Sequence[Line], theirs: Sequence[Line]) -> list[Row]:
    """Every line of both sides in one row each, by the passes of the module's docstring; rows in date
    order (a row's date: ours, else theirs), ours before theirs-only on one date, then in the lines' order."""
    our_side, their_side = _Side(ours), _Side(theirs)
    found: list[tuple[Row, int, int]] = []
    _exact(our_side, their_side, found)
    _splits(our_side, their_side, found, same_day=True)
    _pairs(our_side, their_side, found, "date_differs", lambda x: x.amount, _within_window)
    _splits(our_side, their_side, found, same_day=False)
    _pairs(our_side, their_side, found, "amount_differs", lambda x: document_number(x.document), _same_number)
    for i in our_side.open():
        found.append((_row("only_ours", our_side, our_side.take([i]), their_side, []), i, -1))
    for j in their_side.open():
        found.append((_row("only_theirs", our_side, [], their_side, their_side.take([j])), -1, j))

    def key(item: tuple[Row, int, int]) -> tuple[date, int, int, int]:
        row, i, j = item
        day = row.our_date or row.their_date
        assert day is not None
        return (day, 0 if row.our_date is not None else 1, i, j)

    return [row for row, _, _ in sorted(found, key=key)]


# -- the balances ---------------------------------------------------------------------------------------


def reconcile_rows(
    ours: Sequence[Line],
    theirs: Sequence[Line],
    *,
    our_opening: int,
    their_opening: int,
    our_closing: int,
    their_closing: int,
    date_from: date,
    date_to: date,
) -> list[Row]:
    """The whole table: an `opening` row when the opening balances differ, the matched lines, and the last
    row `balance` (our closing and theirs). Balances and lines all signed from our side (theirs mirrored)."""
    rows: list[Row] = []
    if our_opening != their_opening:
        rows.append(Row("opening", date_from, None, our_opening, date_from, None, their_opening))
    rows.extend(match(ours, theirs))
    rows.append(Row("balance", date_to, None, our_closing, date_to, None, their_closing))
    return rows


def explain(rows: Sequence[Row]) -> Explanation:
    """The `balance` row's difference as the sum of the opening's, each status's, and the rest (their act's
    own inconsistency)."""
    balance = next((r.difference for r in rows if r.status == "balance"), 0)
    opening = sum(r.difference for r in rows if r.status == "opening")
    by_status = {s: sum(r.difference for r in rows if r.status == s) for s in STATUSES}
    return Explanation(balance, opening, by_status, balance - opening - sum(by_status.values()))


def differences(rows: Sequence[Row]) -> int:
    """How many line rows are not `matched` (the opening and balance rows left out)."""
    return sum(1 for r in rows if r.status not in ("matched", *SUMMARY_STATUSES))
