"""The overdue trend: hand-computed series, and equality with aging as of every sampled date."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine

from domain.buckets import DEFAULT_BUCKETS, Buckets
from etl.load import load_paths
from queries.aging import aging
from queries.scope import Scope
from queries.trend import overdue_trend, period_ends
from tests.helpers.ledgers import source_folders, write_files
from warehouse.engine import ensure_schema, make_engine

# Due dates are given explicitly, so no working-day rule moves them.
LEDGER = {
    "counterparties.csv": "counterparty_id,name,manager\nK1,Альфа,Анна\nK2,Бета,Борис\n",
    "contracts.csv": (
        "contract_id,counterparty_id,number,terms_days,currency\nC1,K1,Д-1,0,RUB\nC2,K2,Д-2,0,RUB\nC3,K1,Д-3,0,USD\n"
    ),
    "shipments.csv": (
        "document_id,contract_id,date,amount,due_date\n"
        "S5,C2,2024-12-01,80,2024-12-11\n"  # overdue from 12.12.2024, before any range below
        "S1,C1,2025-01-10,100,2025-01-20\n"
        "S3,C3,2025-01-12,30,2025-01-12\n"  # USD, due the day it is shipped
        "S2,C1,2025-01-15,50,2025-02-28\n"
        "S4,C1,2025-02-10,20,2025-02-15\n"  # takes 20.00 of C1's advance on 10.02
    ),
    "payments.csv": (
        "document_id,date,amount,contract_id\n"
        "P3,2025-01-20,30,C2\n"  # S5: 80 -> 50
        "P1,2025-01-25,40,C1\n"  # S1 (due first): 100 -> 60
        "P2,2025-02-05,200,C1\n"  # S1 60 and S2 50 closed, 90.00 advance of C1
    ),
}

MONEY = ["balance", "advance", "not_due", "overdue", "overdue_1_30", "overdue_31_60", "overdue_61_90"]


def with_advance(frame: pl.DataFrame) -> pl.DataFrame:
    """The trend with the advance, which it implies: open debits (not_due + overdue) - balance."""
    return frame.with_columns((pl.col("not_due") + pl.col("overdue") - pl.col("balance")).alias("advance"))


def rows(frame: pl.DataFrame, currency: str) -> list[tuple]:
    selected = with_advance(frame).filter(pl.col("currency") == currency).select("date", *MONEY)
    return [tuple(r) for r in selected.iter_rows()]


@pytest.fixture
def ledger(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [write_files(tmp_path / "l", LEDGER)])
    return engine


def test_weekly_series_by_hand(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = overdue_trend(conn, date_from=date(2025, 1, 1), date_to=date(2025, 2, 12), freq="week")
    assert frame.columns[:5] == ["date", "currency", "balance", "not_due", "overdue"]
    assert frame.columns[5:10] == DEFAULT_BUCKETS.overdue_names
    assert all(frame[c].dtype == pl.Int64 for c in frame.columns[2:])
    assert frame["date"].dtype == pl.Date
    # Sundays, then date_to (a Wednesday).
    # S5 (due 11.12.2024) is 25 days overdue on 05.01, 32 on 12.01, 60 on 09.02 and 63 on 12.02.
    # date        balance  advance  not_due  overdue  1_30    31_60   61_90
    assert rows(frame, "RUB") == [
        (date(2025, 1, 5), 8_000, 0, 0, 8_000, 8_000, 0, 0),  # S5 80
        (date(2025, 1, 12), 18_000, 0, 10_000, 8_000, 0, 8_000, 0),  # + S1 100 not due
        (date(2025, 1, 19), 23_000, 0, 15_000, 8_000, 0, 8_000, 0),  # + S2 50 not due
        # P3 left S5 at 50; S1 overdue since 21.01 and 60 after P1; S2 50 not due
        (date(2025, 1, 26), 16_000, 0, 5_000, 11_000, 6_000, 5_000, 0),
        (date(2025, 2, 2), 16_000, 0, 5_000, 11_000, 6_000, 5_000, 0),
        (date(2025, 2, 9), -4_000, 9_000, 0, 5_000, 0, 5_000, 0),  # P2 closed C1: advance 90, S5 50 left
        (date(2025, 2, 12), -2_000, 7_000, 0, 5_000, 0, 0, 5_000),  # S4 took 20 of the advance
    ]
    # S3 30 USD due 12.01: not due on its due day, then 7, 14, 21, 28 days overdue, 31 on 12.02.
    assert rows(frame, "USD") == [
        (date(2025, 1, 5), 0, 0, 0, 0, 0, 0, 0),
        (date(2025, 1, 12), 3_000, 0, 3_000, 0, 0, 0, 0),
        (date(2025, 1, 19), 3_000, 0, 0, 3_000, 3_000, 0, 0),
        (date(2025, 1, 26), 3_000, 0, 0, 3_000, 3_000, 0, 0),
        (date(2025, 2, 2), 3_000, 0, 0, 3_000, 3_000, 0, 0),
        (date(2025, 2, 9), 3_000, 0, 0, 3_000, 3_000, 0, 0),
        (date(2025, 2, 12), 3_000, 0, 0, 3_000, 0, 3_000, 0),
    ]


def test_daily_series_by_hand(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = overdue_trend(
            conn, date_from=date(2025, 1, 19), date_to=date(2025, 1, 21), scope=Scope(currencies=("RUB",))
        )
    assert frame["currency"].unique().to_list() == ["RUB"]
    assert rows(frame, "RUB") == [
        (date(2025, 1, 19), 23_000, 0, 15_000, 8_000, 0, 8_000, 0),
        (date(2025, 1, 20), 20_000, 0, 15_000, 5_000, 0, 5_000, 0),  # P3 30 on S5; S1 due today, not overdue
        (date(2025, 1, 21), 20_000, 0, 5_000, 15_000, 10_000, 5_000, 0),  # S1 100 one day overdue
    ]


def test_monthly_series_clips_the_last_month(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = overdue_trend(conn, date_from=date(2024, 12, 15), date_to=date(2025, 2, 12), freq="month")
    assert rows(frame, "RUB") == [
        (date(2024, 12, 31), 8_000, 0, 0, 8_000, 8_000, 0, 0),  # S5 20 days overdue
        # S5 50 (51 days), S1 60 (11 days), S2 50 not due
        (date(2025, 1, 31), 16_000, 0, 5_000, 11_000, 6_000, 5_000, 0),
        (date(2025, 2, 12), -2_000, 7_000, 0, 5_000, 0, 0, 5_000),
    ]
    assert rows(frame, "USD") == [
        (date(2024, 12, 31), 0, 0, 0, 0, 0, 0, 0),
        (date(2025, 1, 31), 3_000, 0, 0, 3_000, 3_000, 0, 0),  # 19 days overdue
        (date(2025, 2, 12), 3_000, 0, 0, 3_000, 0, 3_000, 0),
    ]


def test_scope_and_settled_documents(ledger: Engine) -> None:
    with ledger.connect() as conn:
        boris = overdue_trend(
            conn, date_from=date(2025, 2, 12), date_to=date(2025, 2, 12), scope=Scope.for_manager("Борис")
        )
        # After 05.02 everything of C1 but the advance is settled; the trend still starts from the full history.
        late = overdue_trend(conn, date_from=date(2025, 3, 1), date_to=date(2025, 3, 1))
        before = overdue_trend(conn, date_from=date(2024, 1, 1), date_to=date(2024, 1, 31))
    assert rows(boris, "RUB") == [(date(2025, 2, 12), 5_000, 0, 0, 5_000, 0, 0, 5_000)]
    # 01.03: S5 50 is 80 days overdue; S3 30 USD 48 days; C1's advance 70.
    assert rows(late, "RUB") == [(date(2025, 3, 1), -2_000, 7_000, 0, 5_000, 0, 0, 5_000)]
    assert rows(late, "USD") == [(date(2025, 3, 1), 3_000, 0, 0, 3_000, 0, 3_000, 0)]
    assert before.height == 0  # nothing was booked yet: no currency has anything to show


def test_custom_buckets(ledger: Engine) -> None:
    buckets = Buckets(overdue_edges=(10,))
    with ledger.connect() as conn:
        frame = overdue_trend(conn, date_from=date(2025, 1, 31), date_to=date(2025, 1, 31), buckets=buckets)
    assert frame.columns[5:7] == ["overdue_1_10", "overdue_11_plus"]
    # S5 50 is 51 days overdue, S1 60 is 11 days overdue.
    assert frame.filter(pl.col("currency") == "RUB").select("overdue_1_10", "overdue_11_plus").row(0) == (0, 11_000)


def test_period_ends() -> None:
    # 01.01.2025 is a Wednesday.
    assert period_ends(date(2025, 1, 1), date(2025, 1, 3), "day") == [date(2025, 1, d) for d in (1, 2, 3)]
    assert period_ends(date(2025, 1, 1), date(2025, 1, 19), "week") == [
        date(2025, 1, 5),
        date(2025, 1, 12),
        date(2025, 1, 19),
    ]
    assert period_ends(date(2025, 1, 6), date(2025, 1, 8), "week") == [date(2025, 1, 8)]
    assert period_ends(date(2024, 1, 31), date(2024, 3, 30), "month") == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 30),
    ]
    with pytest.raises(ValueError, match="after"):
        period_ends(date(2025, 1, 2), date(2025, 1, 1), "day")
    with pytest.raises(ValueError, match="freq"):
        period_ends(date(2025, 1, 1), date(2025, 1, 2), "year")  # type: ignore[arg-type]


# -- the trend equals aging as of each date, summed per currency

TANGLED = {
    "counterparties.csv": "counterparty_id,name,manager\nK1,Альфа,Анна\nK2,Бета,Борис\nK3,Гамма,Анна\n",
    "contracts.csv": (
        "contract_id,counterparty_id,number,terms_days,terms_basis,currency\n"
        "C1,K1,Д-1,14,calendar,RUB\nC2,K1,Д-2,5,working,RUB\nC3,K2,Д-3,30,calendar,RUB\n"
        "C4,K2,Д-4,0,calendar,USD\nC5,K3,Д-5,45,calendar,RUB\n"
    ),
    "opening_balances.csv": (
        "document_id,contract_id,date,amount,due_date\n"
        "OB1,C1,2024-12-31,1500.00,2024-10-15\n"  # old debt, already 77 days overdue at cut-over
        "OB2,C3,2024-12-31,-300.00,\n"  # an advance at cut-over
    ),
    "shipments.csv": (
        "document_id,contract_id,date,amount,due_date\n"
        "S1,C1,2025-01-09,1000.00,\n"
        "S2,C2,2025-01-10,250.50,\n"
        "S3,C1,2025-01-20,400.00,\n"
        "S4,C3,2025-01-15,900.00,\n"
        "S5,C4,2025-01-16,120.00,\n"
        "S6,C3,2025-02-20,500.00,\n"
        "S7,C5,2025-03-01,700.00,2025-03-05\n"
        "S8,C2,2025-04-01,80.00,\n"
        "S9,C1,2025-05-10,300.00,\n"
    ),
    "returns.csv": (
        "document_id,contract_id,date,amount,shipment_id\nR1,C1,2025-02-01,100.00,S3\nR2,C4,2025-02-15,20,\n"
    ),
    "adjustments.csv": "document_id,contract_id,date,amount\nA1,C1,2025-02-10,15.25\nA2,C3,2025-03-03,-40.00\n",
    "payments.csv": (
        "document_id,date,amount,contract_id,counterparty_id\n"
        "P1,2025-01-05,200,C5,\n"  # a prepayment: C5 ships only on 01.03
        "P2,2025-01-30,600,C1,\n"  # partial: OB1 first
        "P3,2025-02-14,2000,,K1\n"  # counterparty level: across C1 and C2, the rest is K1's advance
        "P4,2025-02-25,450,C3,\n"
        "P5,2025-03-20,50,C4,\n"
        "P6,2025-04-15,900,C3,\n"
        "P7,2025-06-01,100,,K2\n"
    ),
    "allocations.csv": "payment_id,shipment_id,amount\nP4,S6,300\n",
}

FIGURES = ["balance", "advance", "not_due", "overdue", *DEFAULT_BUCKETS.overdue_names]


def aging_totals(engine: Engine, dates: list[date]) -> dict[tuple[date, str], tuple[int, ...]]:
    """aging(as_of=t) summed per currency, without all-zero currencies."""
    totals: dict[tuple[date, str], tuple[int, ...]] = {}
    with engine.connect() as conn:
        for as_of in dates:
            frame = aging(conn, as_of=as_of).group_by("currency").agg(pl.col(FIGURES).sum())
            for row in frame.iter_rows(named=True):
                totals[(as_of, row["currency"])] = tuple(int(row[c]) for c in FIGURES)
    return {k: v for k, v in totals.items() if any(v)}


def trend_totals(engine: Engine, date_from: date, date_to: date, freq: str = "day") -> dict[tuple[date, str], tuple]:
    with engine.connect() as conn:
        frame = overdue_trend(conn, date_from=date_from, date_to=date_to, freq=freq)  # type: ignore[arg-type]
    result = {
        (r["date"], r["currency"]): tuple(r[c] for c in FIGURES) for r in with_advance(frame).iter_rows(named=True)
    }
    return {k: v for k, v in result.items() if any(v)}


def test_trend_equals_aging_on_a_tangled_ledger(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [write_files(tmp_path / "t", TANGLED)])
    date_from, date_to = date(2024, 12, 30), date(2025, 9, 30)
    days = [date_from + timedelta(days=i) for i in range(0, (date_to - date_from).days + 1, 3)]
    trend = trend_totals(engine, date_from, date_to)
    assert trend  # the ledger has something to show
    assert {k: v for k, v in trend.items() if k[0] in days} == aging_totals(engine, days)
    # A range starting late still counts everything before it.
    assert trend_totals(engine, date(2025, 4, 16), date(2025, 4, 16)) == aging_totals(engine, [date(2025, 4, 16)])


def test_trend_equals_aging_weekly_and_monthly(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [write_files(tmp_path / "t", TANGLED)])
    for freq in ("week", "month"):
        ends = period_ends(date(2025, 1, 1), date(2025, 7, 10), freq)  # type: ignore[arg-type]
        assert trend_totals(engine, date(2025, 1, 1), date(2025, 7, 10), freq) == aging_totals(engine, ends)


@given(files=source_folders())
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_trend_equals_aging_on_generated_ledgers(tmp_path: Path, files: dict[str, str]) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}", pooled=False)
    try:
        ensure_schema(engine)
        load_paths(engine, [write_files(tmp_path / uuid.uuid4().hex, files)])
        # Generated documents are dated 2024-12-31 .. 2025-04-01, due up to about 2025-05-15.
        date_from, date_to = date(2024, 12, 20), date(2025, 9, 1)
        dates = [date_from + timedelta(days=i) for i in range(0, (date_to - date_from).days + 1, 6)]
        expected = aging_totals(engine, dates)
        trend = trend_totals(engine, date_from, date_to)
        assert {k: v for k, v in trend.items() if k[0] in dates} == expected
        # Starting mid-way skips the documents settled by then, and must not change a figure.
        late = trend_totals(engine, date(2025, 3, 1), date_to)
        assert {k: v for k, v in late.items() if k[0] in dates} == {
            k: v for k, v in expected.items() if k[0] >= date(2025, 3, 1)
        }
    finally:
        engine.dispose()


def test_trend_is_per_currency_never_mixed(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [write_files(tmp_path / "t", TANGLED)])
    with engine.connect() as conn:
        frame = overdue_trend(conn, date_from=date(2025, 2, 1), date_to=date(2025, 2, 28))
    per_day: dict[date, list[str]] = defaultdict(list)
    for day, currency in frame.select("date", "currency").iter_rows():
        per_day[day].append(currency)
    assert set(map(tuple, per_day.values())) == {("RUB", "USD")}
    buckets = frame.select(pl.sum_horizontal(DEFAULT_BUCKETS.overdue_names)).to_series()
    assert (buckets == frame["overdue"]).all()
    assert frame.columns == ["date", "currency", "balance", "not_due", "overdue", *DEFAULT_BUCKETS.overdue_names]
