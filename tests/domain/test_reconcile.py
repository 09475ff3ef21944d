"""The matching rule of the two-sided reconciliation (domain/reconcile.py): each pass on a hand-made pair of
sides, the order of the rows, the balance rows, and the property that the differences add up."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.reconcile import Line, Row, document_number, explain, match, reconcile_rows

D = date(2026, 1, 10)


def day(n: int) -> date:
    return D + timedelta(days=n)


def test_document_numbers_as_1c_prints_them() -> None:
    assert document_number("Реализация (акт, накл.) 00123 от 15.01.2026") == "123"
    assert document_number("Поступление (акт, накл.) 123 от 15.01.2026") == "123"
    assert document_number("Оплата от покупателя 45 от 16.01.2026") == "45"
    assert document_number("Платежное поручение № 45 от 16.01.2026") == "45"
    assert document_number("Оплата (п/п № 0045 от 16.01.2026)") == "45"  # the act's own wording
    assert document_number("Реализация (№ УПД-1 от 10.01.2025)") == "упд-1"
    # 1C's prefix stays, the zeros padding the number go, case does not count
    assert document_number("Реализация ТД00-000123 от 15.01.2026") == document_number(
        "поступление тд00-123 от 15.01.2026"
    )
    assert document_number("Реализация ТД00-000123 от 15.01.2026") != document_number("Реализация 123 от 15.01.2026")
    assert document_number("Корректировка долга") is None
    assert document_number("Сальдо начальное") is None


def test_exact_pass_pairs_same_date_and_amount() -> None:
    ours = [Line(day(0), "Реализация 1", 100_000), Line(day(0), "Реализация 2", 100_000)]
    theirs = [Line(day(0), "Поступление 2", 100_000), Line(day(0), "Поступление 1", 100_000)]
    # both on one date and amount: paired in the lines' order, whatever their texts
    assert match(ours, theirs) == [
        Row("matched", day(0), "Реализация 1", 100_000, day(0), "Поступление 2", 100_000),
        Row("matched", day(0), "Реализация 2", 100_000, day(0), "Поступление 1", 100_000),
    ]


def test_exact_before_a_nearer_date() -> None:
    ours = [Line(day(0), "Реализация 1", 5_000)]
    theirs = [Line(day(2), "Поступление 1", 5_000), Line(day(0), "Поступление 1", 5_000)]
    assert match(ours, theirs) == [
        Row("matched", day(0), "Реализация 1", 5_000, day(0), "Поступление 1", 5_000),
        Row("only_theirs", their_date=day(2), their_document="Поступление 1", their_amount=5_000),
    ]


def test_same_amount_within_five_days_nearest_first() -> None:
    # ours on days 0 and 3, theirs on days 2 and 4, all 1 000,00. Gaps: (3,4) 1, (3,2) 1, (0,2) 2, (0,4) 4;
    # nearest first: 3<->2 (gap -1 sorts before +1), then 0 has only 4 left (gap 4, still within 5 days).
    ours = [Line(day(0), "Оплата 1", -100_000), Line(day(3), "Оплата 2", -100_000)]
    theirs = [Line(day(2), "П/п 1", -100_000), Line(day(4), "П/п 2", -100_000)]
    assert match(ours, theirs) == [
        Row("date_differs", day(0), "Оплата 1", -100_000, day(4), "П/п 2", -100_000),
        Row("date_differs", day(3), "Оплата 2", -100_000, day(2), "П/п 1", -100_000),
    ]


def test_six_days_apart_is_no_date_difference() -> None:
    ours = [Line(day(0), "Реализация 7", 100)]
    theirs = [Line(day(6), "Поступление 8", 100)]
    assert [r.status for r in match(ours, theirs)] == ["only_ours", "only_theirs"]


def test_split_payment_on_one_date() -> None:
    # our 1 200,00 payment is 700,00 + 500,00 in their books, same day: one matched row, the group joined
    ours = [Line(day(0), "Оплата 11", -120_000)]
    theirs = [Line(day(0), "П/п 11", -70_000), Line(day(0), "П/п 11/2", -50_000), Line(day(0), "П/п 99", -30_000)]
    assert match(ours, theirs) == [
        Row("matched", day(0), "Оплата 11", -120_000, day(0), "П/п 11; П/п 11/2", -120_000),
        Row("only_theirs", their_date=day(0), their_document="П/п 99", their_amount=-30_000),
    ]


def test_split_on_our_side_and_within_five_days() -> None:
    # two of our shipments of day 0 (300 + 200) are one receipt of 500 in theirs on day 2: a date difference
    ours = [Line(day(0), "Реализация 1", 30_000), Line(day(0), "Реализация 2", 20_000)]
    theirs = [Line(day(2), "Поступление 1-2", 50_000)]
    assert match(ours, theirs) == [
        Row("date_differs", day(0), "Реализация 1; Реализация 2", 50_000, day(2), "Поступление 1-2", 50_000)
    ]


def test_same_number_with_another_amount() -> None:
    ours = [
        Line(day(0), "Реализация (№ 00123 от 10.01.2026)", 50_000),
        Line(day(1), "Оплата (п/п № 123 от 11.01.2026)", -1_000),
    ]
    theirs = [Line(day(0), "Поступление (акт, накл.) 123 от 10.01.2026", 49_000)]
    # the payment 123 has the number too but the other direction: never an amount difference of a shipment
    assert match(ours, theirs) == [
        Row(
            "amount_differs",
            day(0),
            "Реализация (№ 00123 от 10.01.2026)",
            50_000,
            day(0),
            "Поступление (акт, накл.) 123 от 10.01.2026",
            49_000,
        ),
        Row("only_ours", day(1), "Оплата (п/п № 123 от 11.01.2026)", -1_000),
    ]
    assert match(ours, theirs)[0].difference == 1_000  # 500,00 - 490,00


def test_rows_by_date_ours_before_theirs() -> None:
    ours = [Line(day(5), "Реализация 3", 300), Line(day(1), "Реализация 1", 100)]
    theirs = [Line(day(1), "Корректировка", 7), Line(day(0), "Возврат", -50)]
    assert [(r.status, r.our_date or r.their_date) for r in match(ours, theirs)] == [
        ("only_theirs", day(0)),
        ("only_ours", day(1)),
        ("only_theirs", day(1)),
        ("only_ours", day(5)),
    ]


def test_balance_rows_and_explanation() -> None:
    # ours: opening 1 000,00, a shipment 500,00 and a payment -300,00: closing 1 200,00.
    # theirs (mirrored): opening 900,00, the shipment typed 450,00 and a return -20,00 we never booked, the
    # payment missing: closing 900 + 450 - 20 = 1 330,00. Difference 1 200 - 1 330 = -130,00
    # = opening 100,00 + amount 50,00 + only ours -300,00 + only theirs 20,00.
    ours = [Line(day(0), "Реализация 5 от 10.01.2026", 50_000), Line(day(3), "Оплата 9 от 13.01.2026", -30_000)]
    theirs = [Line(day(0), "Поступление 5 от 10.01.2026", 45_000), Line(day(4), "Возврат 2 от 14.01.2026", -2_000)]
    rows = reconcile_rows(
        ours,
        theirs,
        our_opening=100_000,
        their_opening=90_000,
        our_closing=120_000,
        their_closing=133_000,
        date_from=day(0),
        date_to=day(20),
    )
    assert [(r.status, r.difference) for r in rows] == [
        ("opening", 10_000),
        ("amount_differs", 5_000),
        ("only_ours", -30_000),
        ("only_theirs", 2_000),
        ("balance", -13_000),
    ]
    explanation = explain(rows)
    assert explanation.parts == [
        ("opening", 10_000),
        ("amount_differs", 5_000),
        ("only_ours", -30_000),
        ("only_theirs", 2_000),
    ]
    assert explanation.inconsistency == 0


def test_no_opening_row_when_openings_agree_and_inconsistency_explained() -> None:
    # their printed closing says 1 000,00 but their lines make 1 010,00: 10,00 their act does not explain
    rows = reconcile_rows(
        [Line(day(0), "Реализация 1", 1_000)],
        [Line(day(0), "Поступление 1", 1_000)],
        our_opening=100_000,
        their_opening=100_000,
        our_closing=101_000,
        their_closing=100_000,
        date_from=day(0),
        date_to=day(9),
    )
    assert [r.status for r in rows] == ["matched", "balance"]
    assert explain(rows).parts == [("inconsistency", 1_000)]


amounts = st.integers(min_value=-10_000_00, max_value=10_000_00).filter(lambda a: a != 0)
lines = st.lists(st.tuples(st.integers(0, 30), amounts, st.integers(1, 40)), max_size=25)


@st.composite
def sides(draw: st.DrawFn) -> tuple[list[Line], list[Line], int, int]:
    """Our lines, and theirs made from ours by planted changes (dropped, moved, retyped, split, added)."""
    ours = [Line(day(d), f"Документ {n} от {day(d):%d.%m.%Y}", a) for d, a, n in draw(lines)]
    theirs: list[Line] = []
    for line in ours:
        change = draw(st.sampled_from(["same", "same", "drop", "move", "retype", "split"]))
        if change == "same":
            theirs.append(line)
        elif change == "move":
            theirs.append(Line(line.day + timedelta(days=draw(st.integers(-7, 7))), line.document, line.amount))
        elif change == "retype":
            theirs.append(Line(line.day, line.document, line.amount + draw(st.integers(-500, 500))))
        elif change == "split" and abs(line.amount) > 1:
            part = line.amount // 2
            theirs += [Line(line.day, line.document, part), Line(line.day, line.document + " (2)", line.amount - part)]
    theirs += [Line(day(d), f"Их документ {n}", a) for d, a, n in draw(lines)]
    return ours, theirs, draw(st.integers(-(10**9), 10**9)), draw(st.integers(-(10**9), 10**9))


@settings(max_examples=300, deadline=None)
@given(sides())
def test_differences_add_up_to_the_balance_difference(case: tuple[list[Line], list[Line], int, int]) -> None:
    ours, theirs, our_opening, their_opening = case
    rows = reconcile_rows(
        ours,
        theirs,
        our_opening=our_opening,
        their_opening=their_opening,
        our_closing=our_opening + sum(x.amount for x in ours),
        their_closing=their_opening + sum(x.amount for x in theirs),  # a consistent act of theirs
        date_from=day(0),
        date_to=day(40),
    )
    assert rows[-1].status == "balance"
    assert sum(r.difference for r in rows[:-1]) == rows[-1].difference
    assert explain(rows).inconsistency == 0
    # every line in exactly one row: the amounts of each side add up to its lines'
    body = [r for r in rows if r.status not in ("opening", "balance")]
    assert sum(r.our_amount or 0 for r in body) == sum(x.amount for x in ours)
    assert sum(r.their_amount or 0 for r in body) == sum(x.amount for x in theirs)
    assert sum(1 for r in body if r.our_amount is not None) <= len(ours)
    for r in body:
        assert (r.status == "only_theirs") == (r.our_date is None)
        assert (r.status == "only_ours") == (r.their_date is None)
        if r.status == "matched":
            assert (r.our_date, r.our_amount) == (r.their_date, r.their_amount)
        if r.status == "date_differs":
            assert r.our_amount == r.their_amount
            assert r.our_date is not None
            assert r.their_date is not None
            assert 0 < abs((r.our_date - r.their_date).days) <= 5
        if r.status == "amount_differs":
            assert r.difference != 0
    keys = [(r.our_date or r.their_date, r.our_date is None) for r in body]
    assert keys == sorted(keys)  # by date, ours before theirs-only


def test_a_consistent_copy_matches_everything() -> None:
    ours = [Line(day(i % 7), f"Документ {i}", (i + 1) * 1_000 * (-1) ** i) for i in range(12)]
    rows = match(ours, list(reversed(ours)))
    assert {r.status for r in rows} == {"matched"}
    assert len(rows) == 12
