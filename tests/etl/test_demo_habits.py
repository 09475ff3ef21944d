"""The demo's customers pay by differing habits, and the habits show in the loaded warehouse.

One demo at scale 20 000 (seed 1) is loaded into SQLite. A shipment's delay is its settled date (the day
the matching closed it, FIFO as the product matches) less its due date: what a forecast learns from and
a backtest is scored against. Each customer's habit comes from DemoSummary.habits, which the folder
itself never carries.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
import pytest
from sqlalchemy import select

import warehouse
from domain.buckets import DEFAULT_BUCKETS
from domain.calendar import WorkCalendar
from etl.demo import DemoSummary, write_demo_source
from etl.load import load_paths
from queries.aging import aging
from queries.stoplist import stoplist
from warehouse.engine import ensure_schema, make_engine

END = date(2026, 11, 22)
START = END - timedelta(days=730)  # the demo's two-year window
SCALE = 20_000


@dataclass(frozen=True)
class Book:
    demo: DemoSummary
    delays: dict[str, list[int]]  # counterparty -> delays (days) of its settled shipments, by due date
    due_before_last: dict[str, list[tuple[int, int]]]  # counterparty -> (due - its last payment, delay)
    payments: dict[str, list[date]]  # counterparty -> dates of its payments (bank statement's included)
    shipments_closed: dict[str, list[int]]  # counterparty -> per payment, how many shipments it closed
    calendar: WorkCalendar
    as_of_end: dict[str, int]  # the aging's buckets and advance summed as of END, kopecks (all currencies)
    stopped: int  # counterparties on the stop-list as of END
    unidentified: int  # payments from payers nobody knows


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    root = tmp_path_factory.mktemp("habits")
    demo = write_demo_source(root / "source", scale=SCALE, seed=1, end=END)
    engine = make_engine(f"sqlite:///{root / 'warehouse.db'}", pooled=False)
    ensure_schema(engine)
    load_paths(engine, [demo.folder], company_inn=demo.company_inn, company_name=demo.company_name)
    d, m = warehouse.documents, warehouse.matches
    with engine.connect() as conn:
        shipments = conn.execute(
            select(d.c.counterparty_id, d.c.due_date, d.c.settled_date)
            .where(d.c.kind == "shipment", d.c.settled_date.is_not(None))
            .order_by(d.c.counterparty_id, d.c.due_date, d.c.doc_pk)
        ).all()
        payments = conn.execute(select(d.c.counterparty_id, d.c.doc_date).where(d.c.kind == "payment")).all()
        shipment_pks = select(d.c.doc_pk).where(d.c.kind == "shipment")
        closed = conn.execute(
            select(m.c.counterparty_id, m.c.credit_pk, m.c.debit_pk)
            .where(m.c.debit_pk.in_(shipment_pks))
            .join(d, d.c.doc_pk == m.c.credit_pk)
            .where(d.c.kind == "payment")
        ).all()
        buckets = aging(conn, as_of=END).select(pl.col([*DEFAULT_BUCKETS.overdue_names, "advance"]).sum())
        stopped = stoplist(conn, as_of=END).height
    engine.dispose()

    paid_on: dict[str, list[date]] = defaultdict(list)
    for counterparty_id, day in payments:
        if counterparty_id is not None:
            paid_on[counterparty_id].append(day)
    delays: dict[str, list[int]] = defaultdict(list)
    due_before_last: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for counterparty_id, due, settled in shipments:
        delays[counterparty_id].append((settled - due).days)
        last = max(paid_on[counterparty_id])
        due_before_last[counterparty_id].append(((due - last).days, (settled - due).days))
    per_payment: dict[tuple[str, int], set[int]] = defaultdict(set)
    for counterparty_id, credit_pk, debit_pk in closed:
        per_payment[(counterparty_id, credit_pk)].add(debit_pk)
    shipments_closed: dict[str, list[int]] = defaultdict(list)
    for (counterparty_id, _credit), debits in per_payment.items():
        shipments_closed[counterparty_id].append(len(debits))
    with (demo.folder / "calendar.csv").open(encoding="utf-8", newline="") as handle:
        overrides = {date.fromisoformat(r["date"]): r["kind"] for r in csv.DictReader(handle)}
    return Book(
        demo,
        delays,
        due_before_last,
        paid_on,
        shipments_closed,
        WorkCalendar.with_overrides(overrides),
        buckets.to_dicts()[0],
        stopped,
        sum(1 for counterparty_id, _day in payments if counterparty_id is None),
    )


def _of(book: Book, habit: str) -> list[str]:
    return [cp for cp, h in book.demo.habits.items() if h == habit]


def _pooled(book: Book, habit: str) -> list[int]:
    return [x for cp in _of(book, habit) for x in book.delays[cp]]


def _iqr(xs: list[int]) -> float:
    q1, _q2, q3 = statistics.quantiles(xs, n=4)
    return q3 - q1


def _period_end(calendar: WorkCalendar, day: date, months: int) -> date:
    """The last working day of the month (1) or quarter (3) holding `day`."""
    after = (day.month - 1) // months * months + months
    last = date(day.year + after // 12, after % 12 + 1, 1) - timedelta(days=1)
    while not calendar.is_working_day(last):
        last -= timedelta(days=1)
    return last


def test_every_habit_has_its_share_of_customers(book: Book) -> None:
    # 170 customers at scale 20 000 (round(1.2 * sqrt(20 000)) = round(169.7)); each habit's quota is
    # round(170 * share), at least 1 (Python rounds 8.5 to 8): the rest, 170 - 91, pay on time.
    assert Counter(book.demo.habits.values()) == {
        "slowing": 3,  # 170 * 0.02 = 3.4
        "chronic": 5,  # 5.1
        "partial": 14,  # 13.6
        "prepay": 10,  # 10.2
        "late": 22,  # 22.1
        "early": 14,  # 13.6
        "erratic": 10,  # 10.2
        "month_end": 8,  # 8.5
        "quarter_end": 5,  # 5.1
        "ontime": 79,
    }


@pytest.mark.parametrize(
    ("habit", "low", "high"),
    [
        ("ontime", -4, 3),  # 0-4 days early, one time in eight 1-6 days late, on the next bank day
        ("early", -15, -3),  # its own lead of 6-12 days, give or take 3
        ("late", 10, 40),  # its own delay of 10-40 days
        ("erratic", 0, 45),  # from 10 days early to 60 late: a median late by weeks
        ("month_end", 5, 25),  # what fell due in a month, paid on its last bank day: half a month on average
        ("quarter_end", 20, 75),  # the same over a quarter: a month and a half
        ("chronic", 30, 90),  # one to three months late
        ("partial", 0, 25),  # a week late, then the rest in 1-3 weeks
    ],
)
def test_each_habits_median_delay_lies_in_its_range(book: Book, habit: str, low: int, high: int) -> None:
    delays = _pooled(book, habit)
    assert len(delays) >= 100, habit
    assert low <= statistics.median(delays) <= high, (habit, statistics.median(delays))


def test_late_payers_are_late_each_by_its_own_steady_delay_and_erratic_ones_are_not_steady(book: Book) -> None:
    late = {cp: book.delays[cp] for cp in _of(book, "late") if len(book.delays[cp]) >= 10}
    assert len(late) >= 10
    medians = [statistics.median(xs) for xs in late.values()]
    assert all(8 <= m <= 42 for m in medians), medians
    assert max(medians) - min(medians) >= 10  # each has its own delay, not one for all
    # Steady: half of a late payer's shipments within a week or so of each other; an erratic one's spread
    # over weeks.
    assert statistics.median(_iqr(xs) for xs in late.values()) <= 8
    erratic = [xs for cp in _of(book, "erratic") if len(xs := book.delays[cp]) >= 10]
    assert len(erratic) >= 5
    assert statistics.median(_iqr(xs) for xs in erratic) >= 14


@pytest.mark.parametrize(("habit", "months"), [("month_end", 1), ("quarter_end", 3)])
def test_batch_payers_pay_on_the_periods_last_bank_day_several_shipments_at_once(
    book: Book, habit: str, months: int
) -> None:
    # After the first weeks, where the debt of the cut-over is paid off, every payment of a batch payer
    # falls on the last working day of a month (a quarter): 31.03, 30.06, 30.09 or the bank day before.
    days = [day for cp in _of(book, habit) for day in book.payments[cp] if day >= START + timedelta(days=40)]
    assert len(days) >= 20
    assert [day for day in days if day != _period_end(book.calendar, day, months)] == []
    if months == 3:
        assert {day.month for day in days} <= {3, 6, 9, 12}
    # One payment closes several shipments: most of them close two or more.
    closed = [k for cp in _of(book, habit) for k in book.shipments_closed[cp]]
    assert sum(k >= 2 for k in closed) > 0.5 * len(closed)


def test_a_slowing_customer_pays_later_and_later_before_it_stops(book: Book) -> None:
    slowing = _of(book, "slowing")
    assert slowing
    for cp in slowing:
        # It stopped paying months before the end.
        assert max(book.payments[cp]) < END - timedelta(days=45)
        before = [delay for until_last, delay in book.due_before_last[cp] if until_last < -200]
        lately = [delay for until_last, delay in book.due_before_last[cp] if until_last >= -120]
        assert len(before) >= 5, cp
        assert len(lately) >= 2, cp
        assert statistics.median(before) <= 3, cp  # on time while things went well
        assert statistics.median(lately) >= statistics.median(before) + 10, cp


def test_the_demo_still_shows_debt_in_every_overdue_bucket_a_stop_list_advances_and_unknown_payers(book: Book) -> None:
    # The habits spread the debt over every bucket: batch, erratic and chronic payers fill 31-90 days, the
    # slowing customers that stopped 2-5 and 7-8 months before the end 91-180 and 181+.
    assert all(book.as_of_end[name] > 0 for name in DEFAULT_BUCKETS.overdue_names), book.as_of_end
    assert book.as_of_end["advance"] > 0
    assert book.stopped > 0
    assert book.unidentified >= 3  # the bank statement's payers nobody knows
