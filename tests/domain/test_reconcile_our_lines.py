"""Which of our lines each reconciliation row holds (domain.reconcile.Row.our_lines): set by every pass, on a
hand-made pair of sides, and, for any sides, every line of ours in exactly one row whose text, amount and date
are those lines'."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.reconcile import GROUP_SEPARATOR, Line, Row, match, reconcile_rows

D = date(2026, 1, 10)


def day(n: int) -> date:
    return D + timedelta(days=n)


OURS = [
    Line(day(0), "Реализация 1", 100_000),  # 0: exact
    Line(day(1), "Оплата 11", -120_000),  # 1: their 700,00 + 500,00 on that day
    Line(day(2), "Реализация 2", 30_000),  # 2, 3: our split of their 500,00 on that day
    Line(day(2), "Реализация 3", 20_000),
    Line(day(3), "Оплата 5", -40_000),  # 4: the same amount in theirs 2 days later
    Line(day(6), "Реализация 6", 11_000),  # 5, 6: our split of their 330,00 2 days later
    Line(day(6), "Реализация 7", 22_000),
    Line(day(10), "Реализация (№ 77 от 20.01.2026)", 50_000),  # 7: № 77 with another amount in theirs
    Line(day(12), "Реализация 8", 9_000),  # 8: only ours
]
THEIRS = [
    Line(day(0), "Поступление 1", 100_000),
    Line(day(1), "П/п 11", -70_000),
    Line(day(1), "П/п 11/2", -50_000),
    Line(day(2), "Поступление 2-3", 50_000),
    Line(day(5), "П/п 5", -40_000),
    Line(day(8), "Поступление 6-7", 33_000),
    Line(day(10), "Поступление 77 от 20.01.2026", 49_000),
    Line(day(13), "Корректировка", 7),  # only theirs
]


def test_every_pass_names_the_lines_of_ours_it_took() -> None:
    rows = match(OURS, THEIRS)
    assert [(r.status, r.our_lines) for r in rows] == [
        ("matched", (0,)),
        ("matched", (1,)),
        ("matched", (2, 3)),
        ("date_differs", (4,)),
        ("date_differs", (5, 6)),
        ("amount_differs", (7,)),
        ("only_ours", (8,)),
        ("only_theirs", ()),
    ]
    assert rows[2].our_document == "Реализация 2; Реализация 3"  # the group's texts in its indexes' order


def test_opening_and_balance_hold_none() -> None:
    rows = reconcile_rows(
        OURS[:1], [], our_opening=5, their_opening=0, our_closing=100_005, their_closing=0,
        date_from=day(0), date_to=day(30),
    )  # fmt: skip
    assert [(r.status, r.our_lines) for r in rows] == [("opening", ()), ("only_ours", (0,)), ("balance", ())]


def test_the_indexes_are_not_part_of_what_a_row_shows() -> None:
    # rows people see as the same are equal (the tests and callers that compare rows compare what is shown)
    shown = Row("only_ours", day(0), "Реализация 1", 100_000)
    assert match(OURS[:1], [])[0] == shown
    assert match(OURS[:1], [])[0].our_lines == (0,)


@st.composite
def sides(draw: st.DrawFn) -> tuple[list[Line], list[Line]]:
    """Our lines (texts repeating on purpose) and theirs: some of ours, some split, some moved, some new."""
    amounts = st.integers(-5_000, 5_000).filter(bool)
    ours = [
        Line(day(d), f"Документ {n}", a)
        for d, a, n in draw(st.lists(st.tuples(st.integers(0, 12), amounts, st.integers(0, 3)), max_size=25))
    ]
    theirs: list[Line] = []
    for line in ours:
        change = draw(st.sampled_from(["same", "drop", "move", "split"]))
        if change == "same":
            theirs.append(line)
        elif change == "move":
            theirs.append(Line(line.day + timedelta(days=draw(st.integers(-6, 6))), line.document, line.amount))
        elif change == "split":
            part = line.amount // 2
            theirs += [Line(line.day, "a", part), Line(line.day, "b", line.amount - part)]
    theirs += [Line(day(d), "x", a) for d, a in draw(st.lists(st.tuples(st.integers(0, 12), amounts), max_size=6))]
    return ours, theirs


@settings(max_examples=300, deadline=None)
@given(sides())
def test_each_line_of_ours_in_exactly_one_row_that_shows_it(case: tuple[list[Line], list[Line]]) -> None:
    ours, theirs = case
    rows = match(ours, theirs)
    held = sorted(i for r in rows for i in r.our_lines)
    assert held == list(range(len(ours)))
    for r in rows:
        assert (r.status == "only_theirs") == (not r.our_lines)
        if r.our_lines:
            lines = [ours[i] for i in r.our_lines]
            assert list(r.our_lines) == sorted(r.our_lines)
            assert r.our_document == GROUP_SEPARATOR.join(x.document for x in lines)
            assert r.our_amount == sum(x.amount for x in lines)
            assert r.our_date == lines[0].day
            assert {x.day for x in lines} == {r.our_date}  # a group is of one date
