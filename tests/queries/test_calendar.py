"""The payment calendar, hand-computed on a small ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from etl.load import load_paths
from queries.calendar import calendar_layout, calendar_totals, documents_due_on, payment_calendar
from queries.ledger import open_debits
from queries.scope import Scope
from tests.helpers.ledgers import write_files

AS_OF = date(2025, 3, 10)  # a Monday

# Due dates are given explicitly, so no working-day rule moves them.
LEDGER = {
    "counterparties.csv": "counterparty_id,name,manager\nK1,Альфа,Анна\nK2,Бета,Борис\n",
    "contracts.csv": "contract_id,counterparty_id,number,currency\nC1,K1,Д-1,RUB\nC2,K2,Д-2,RUB\nC3,K1,Д-3,USD\n",
    "shipments.csv": (
        "document_id,contract_id,date,amount,due_date,number\n"
        "S7,C2,2025-01-10,20,2025-02-10,УПД-7\n"  # never paid by AS_OF: a past day
        "S1,C1,2025-02-01,100,2025-03-05,УПД-1\n"  # 30 paid before its due day: 70 shows
        "S2,C1,2025-02-03,40,2025-03-03,УПД-2\n"  # due first, fully paid by P1: shows nothing
        "S3,C2,2025-02-10,60,2025-03-12,УПД-3\n"  # paid on 11.03, after AS_OF: still shows
        "S5,C3,2025-02-20,10,2025-03-12,УПД-5\n"  # USD
        "S4,C1,2025-03-08,25,2025-03-12,УПД-4\n"
        "S6,C1,2025-03-15,500,2025-03-20,УПД-6\n"  # booked after AS_OF: not on its calendar
    ),
    "payments.csv": (
        "document_id,date,amount,contract_id\n"
        "P1,2025-03-01,70,C1\n"  # S2 40 (due first), then S1 30
        "P2,2025-03-11,80,C2\n"  # S7 20, S3 60
    ),
}


def rows(frame: pl.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame.select("date", "currency", "due", "documents").iter_rows()]


@pytest.fixture
def ledger(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [write_files(tmp_path / "l", LEDGER)])
    return engine


def test_calendar_by_hand(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = payment_calendar(conn, as_of=AS_OF, date_from=date(2025, 2, 1), date_to=date(2025, 3, 31))
    assert frame.schema == pl.Schema({"date": pl.Date, "currency": pl.String, "due": pl.Int64, "documents": pl.Int64})
    assert rows(frame) == [
        (date(2025, 2, 10), "RUB", 2_000, 1),  # past: S7 fell due and is unpaid
        (date(2025, 3, 5), "RUB", 7_000, 1),  # past: S1 100 - 30; 03.03 (S2) is fully paid and absent
        (date(2025, 3, 12), "RUB", 8_500, 2),  # S3 60 (paid only after AS_OF) + S4 25
        (date(2025, 3, 12), "USD", 1_000, 1),  # S5, never added to rubles
    ]


def test_calendar_moves_with_as_of(ledger: Engine) -> None:
    with ledger.connect() as conn:
        next_day = payment_calendar(
            conn, as_of=date(2025, 3, 11), date_from=date(2025, 2, 1), date_to=date(2025, 3, 31)
        )
        later = payment_calendar(conn, as_of=date(2025, 3, 16), date_from=date(2025, 3, 13), date_to=date(2025, 3, 31))
        before = payment_calendar(conn, as_of=date(2025, 1, 31), date_from=date(2025, 2, 1), date_to=date(2025, 3, 31))
    assert rows(next_day) == [
        (date(2025, 3, 5), "RUB", 7_000, 1),
        (date(2025, 3, 12), "RUB", 2_500, 1),  # P2 closed S3 (and S7) on 11.03
        (date(2025, 3, 12), "USD", 1_000, 1),
    ]
    assert rows(later) == [(date(2025, 3, 20), "RUB", 50_000, 1)]  # S6, booked on 15.03
    assert rows(before) == [(date(2025, 2, 10), "RUB", 2_000, 1)]  # only S7 was booked by 31.01


def test_calendar_range_and_scope(ledger: Engine) -> None:
    with ledger.connect() as conn:
        march = payment_calendar(conn, as_of=AS_OF, date_from=date(2025, 3, 1), date_to=date(2025, 3, 12))
        one_day = payment_calendar(conn, as_of=AS_OF, date_from=date(2025, 3, 12), date_to=date(2025, 3, 12))
        boris = payment_calendar(
            conn, as_of=AS_OF, date_from=date(2025, 2, 1), date_to=date(2025, 3, 31), scope=Scope.for_manager("Борис")
        )
        dollars = payment_calendar(
            conn, as_of=AS_OF, date_from=date(2025, 2, 1), date_to=date(2025, 3, 31), scope=Scope(currencies=("USD",))
        )
        nobody = payment_calendar(
            conn, as_of=AS_OF, date_from=date(2025, 2, 1), date_to=date(2025, 3, 31), scope=Scope.for_manager("Нет")
        )
        with pytest.raises(ValueError, match="after"):
            payment_calendar(conn, as_of=AS_OF, date_from=date(2025, 3, 2), date_to=date(2025, 3, 1))
    assert [r[0] for r in rows(march)] == [date(2025, 3, 5), date(2025, 3, 12), date(2025, 3, 12)]
    assert rows(one_day) == rows(march)[1:]
    assert rows(boris) == [(date(2025, 2, 10), "RUB", 2_000, 1), (date(2025, 3, 12), "RUB", 6_000, 1)]  # S7, S3
    assert rows(dollars) == [(date(2025, 3, 12), "USD", 1_000, 1)]
    assert nobody.height == 0
    assert nobody.schema == march.schema


def test_calendar_equals_open_debits_by_due_date(ledger: Engine) -> None:
    with ledger.connect() as conn:
        for as_of in (date(2025, 2, 1), AS_OF, date(2025, 3, 11), date(2025, 4, 1)):
            calendar = payment_calendar(conn, as_of=as_of, date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
            expected = (
                open_debits(conn, as_of=as_of)
                .group_by(pl.col("due_date").alias("date"), "currency")
                .agg(pl.col("open_amount").sum().alias("due"), pl.len().cast(pl.Int64).alias("documents"))
                .sort("date", "currency")
            )
            assert rows(calendar) == rows(expected)


def test_layout_fills_every_day(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = payment_calendar(conn, as_of=AS_OF, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))
    layout = calendar_layout(frame, date(2025, 3, 1), date(2025, 3, 31), AS_OF)
    assert layout.columns == [
        "date",
        "currency",
        "due",
        "documents",
        "fell_due",
        "weekday",
        "week_start",
        "month",
        "is_past",
    ]
    assert layout.height == 31 * 2  # every day, for RUB and USD
    rub = layout.filter(pl.col("currency") == "RUB")
    assert rub["date"].to_list() == [date(2025, 3, 1) + timedelta(days=i) for i in range(31)]
    assert rub["due"].sum() == 7_000 + 8_500
    assert layout.filter(pl.col("due") == 0)["documents"].to_list() == [0] * (62 - 3)
    by_day = {(r["date"], r["currency"]): r for r in layout.iter_rows(named=True)}
    # 01.03.2025 is a Saturday in the ISO week starting Monday 24.02
    saturday = by_day[(date(2025, 3, 1), "RUB")]
    assert (saturday["weekday"], saturday["week_start"], saturday["month"], saturday["is_past"]) == (
        5,
        date(2025, 2, 24),
        date(2025, 3, 1),
        True,
    )
    # 12.03.2025 is a Wednesday, after AS_OF
    wednesday = by_day[(date(2025, 3, 12), "RUB")]
    assert (wednesday["due"], wednesday["documents"], wednesday["weekday"], wednesday["week_start"]) == (
        8_500,
        2,
        2,
        date(2025, 3, 10),
    )
    assert not wednesday["is_past"]
    assert not by_day[(AS_OF, "USD")]["is_past"]  # as_of itself is not past
    assert by_day[(AS_OF - timedelta(days=1), "USD")]["is_past"]
    # 31 days from a Saturday span 6 ISO weeks: the rows of the heatmap
    assert layout["week_start"].n_unique() == 6
    assert set(layout["weekday"].to_list()) == set(range(7))


def test_layout_of_an_empty_calendar_still_has_every_day() -> None:
    empty = pl.DataFrame(schema={"date": pl.Date, "currency": pl.String, "due": pl.Int64, "documents": pl.Int64})
    layout = calendar_layout(empty, date(2025, 2, 1), date(2025, 2, 28), date(2025, 2, 1))
    assert layout.height == 28
    assert layout["due"].sum() == 0
    assert layout["currency"].null_count() == 28
    chosen = calendar_layout(empty, date(2025, 2, 1), date(2025, 2, 28), date(2025, 2, 1), currencies=["RUB"])
    assert chosen["currency"].unique().to_list() == ["RUB"]


def test_totals_by_week_and_month(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = payment_calendar(conn, as_of=AS_OF, date_from=date(2025, 2, 1), date_to=date(2025, 3, 31))
    weeks = calendar_totals(frame, "week")
    assert [tuple(r) for r in weeks.iter_rows()] == [
        (date(2025, 2, 10), date(2025, 2, 16), "RUB", 2_000, 1),
        (date(2025, 3, 3), date(2025, 3, 9), "RUB", 7_000, 1),
        (date(2025, 3, 10), date(2025, 3, 16), "RUB", 8_500, 2),
        (date(2025, 3, 10), date(2025, 3, 16), "USD", 1_000, 1),
    ]
    months = calendar_totals(frame, "month")
    assert [tuple(r) for r in months.iter_rows()] == [
        (date(2025, 2, 1), date(2025, 2, 28), "RUB", 2_000, 1),
        (date(2025, 3, 1), date(2025, 3, 31), "RUB", 15_500, 3),
        (date(2025, 3, 1), date(2025, 3, 31), "USD", 1_000, 1),
    ]
    layout = calendar_layout(frame, date(2025, 2, 1), date(2025, 3, 31), AS_OF)
    assert calendar_totals(layout, "month").filter(pl.col("due") > 0).equals(months)
    with pytest.raises(ValueError, match="freq"):
        calendar_totals(frame, "year")  # type: ignore[arg-type]


def test_documents_due_on_a_day(ledger: Engine) -> None:
    with ledger.connect() as conn:
        due = documents_due_on(conn, as_of=AS_OF, day=date(2025, 3, 12))
        partly = documents_due_on(conn, as_of=AS_OF, day=date(2025, 3, 5))
        paid = documents_due_on(conn, as_of=AS_OF, day=date(2025, 3, 3))
        scoped = documents_due_on(conn, as_of=AS_OF, day=date(2025, 3, 12), scope=Scope.for_manager("Анна"))
    assert due.columns[:10] == [
        "document_id",
        "number",
        "counterparty_id",
        "counterparty_name",
        "contract_id",
        "currency",
        "doc_date",
        "due_date",
        "amount",
        "open_amount",
    ]
    assert [
        tuple(r) for r in due.select("document_id", "counterparty_name", "currency", "open_amount").iter_rows()
    ] == [
        ("S3", "Бета", "RUB", 6_000),
        ("S4", "Альфа", "RUB", 2_500),
        ("S5", "Альфа", "USD", 1_000),
    ]
    assert partly.select("document_id", "number", "doc_date", "due_date", "amount", "open_amount").row(0) == (
        "S1",
        "УПД-1",
        date(2025, 2, 1),
        date(2025, 3, 5),
        10_000,
        7_000,
    )
    assert paid.height == 0
    assert scoped["document_id"].to_list() == ["S4", "S5"]
