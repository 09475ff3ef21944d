"""Aging as of a date, hand-computed on small ledgers, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from domain.buckets import DEFAULT_BUCKETS, Buckets
from etl.load import load_paths
from queries.aging import aging
from queries.scope import Scope
from tests.helpers.ledgers import source, write_files


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in frame.select(columns).iter_rows()]


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def test_aging_before_anything_falls_due(loaded: Engine) -> None:
    with loaded.connect() as conn:
        frame = aging(conn, as_of=date(2025, 2, 10))
    # Only S2 is open: 500 - 200 (P1) - 99.50 (P2) = 200.50, due 19.02: 9 days to due.
    assert rows(frame, "contract_id", "balance", "not_due", "overdue", "due_8_14", "max_days_overdue") == [
        ("C1", 20_050, 20_050, 0, 20_050, 0)
    ]
    assert frame["counterparty_name"].to_list() == ["ООО «Ромашка»"]
    assert frame["credit_limit"].to_list() == [10_000_000]


def test_aging_at_year_end(loaded: Engine) -> None:
    with loaded.connect() as conn:
        frame = aging(conn, as_of=date(2025, 12, 31))
    # C1: S2 200.50 overdue 315 days (due 19.02.2025), S5 100.00 due 12.01.2026 (12 days to due).
    # C3: S4 200.00 due 02.12.2025, overdue 29 days.
    assert rows(
        frame,
        "contract_id",
        "balance",
        "not_due",
        "overdue",
        "due_8_14",
        "overdue_1_30",
        "overdue_181_plus",
        "max_days_overdue",
    ) == [
        ("C1", 30_050, 10_000, 20_050, 10_000, 0, 20_050, 315),
        ("C3", 20_000, 0, 20_000, 0, 20_000, 0, 29),
    ]


def test_aging_invariants(loaded: Engine) -> None:
    with loaded.connect() as conn:
        for as_of in (date(2025, 1, 31), date(2025, 2, 10), date(2025, 12, 31)):
            frame = aging(conn, as_of=as_of)
            buckets = frame.select(pl.sum_horizontal(DEFAULT_BUCKETS.names)).to_series()
            assert (buckets == frame["not_due"] + frame["overdue"]).all()
            assert (frame["balance"] == frame["not_due"] + frame["overdue"] - frame["advance"]).all()


LEDGER = {
    "counterparties.csv": "counterparty_id,name,manager\nK1,Альфа,Анна\nK2,Бета,Борис\n",
    "contracts.csv": (
        "contract_id,counterparty_id,number,terms_days,credit_limit,currency\n"
        "C1,K1,Д-1,0,1000,RUB\nC2,K1,Д-2,0,,RUB\nC3,K1,Д-3,0,500,USD\nC4,K2,Д-4,0,200,RUB\n"
    ),
    "shipments.csv": (
        "document_id,contract_id,date,amount\n"
        "S1,C1,2025-03-01,100\nS2,C2,2025-03-02,50\nS3,C3,2025-03-03,70\nS4,C4,2025-03-04,30\n"
    ),
    "payments.csv": (
        "document_id,date,amount,contract_id,counterparty_id\n"
        "P1,2025-03-10,400,,K1\n"  # closes S1 100 and S2 50 by due date, 250.00 stays the counterparty's advance
        "P2,2025-03-11,80,C4,\n"  # 30 to S4, 50.00 advance of C4
    ),
}


def test_counterparty_advance_stands_on_a_row_without_contract(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [write_files(tmp_path / "l", LEDGER)])
    with engine.connect() as conn:
        frame = aging(conn, as_of=date(2025, 3, 31))
        by_counterparty = aging(conn, as_of=date(2025, 3, 31), by="counterparty")
    assert rows(frame, "counterparty_id", "contract_id", "currency", "balance", "advance", "overdue") == [
        ("K1", "C3", "USD", 7_000, 0, 7_000),  # the ruble payment never touches the USD contract
        ("K1", None, "RUB", -25_000, 25_000, 0),
        ("K2", "C4", "RUB", -5_000, 5_000, 0),
    ]
    assert rows(by_counterparty, "counterparty_id", "currency", "credit_limit", "balance", "advance") == [
        ("K1", "RUB", None, -25_000, 25_000),  # C2 has no limit, so neither has K1 in rubles
        ("K1", "USD", 50_000, 7_000, 0),
        ("K2", "RUB", 20_000, -5_000, 5_000),
    ]


def test_scope_of_a_manager_sees_only_their_counterparties(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [write_files(tmp_path / "l", LEDGER)])
    with engine.connect() as conn:
        frame = aging(conn, as_of=date(2025, 3, 31), scope=Scope.for_manager("Борис"))
        nobody = aging(conn, as_of=date(2025, 3, 31), scope=Scope.for_manager("'; DROP TABLE documents; --"))
    assert frame["counterparty_id"].to_list() == ["K2"]
    assert nobody.height == 0


def test_custom_bucket_edges() -> None:
    buckets = Buckets(due_edges=(10,), overdue_edges=(15, 45))
    assert buckets.names == ["due_0_10", "due_11_plus", "overdue_1_15", "overdue_16_45", "overdue_46_plus"]
    days = pl.DataFrame({"d": [-11, -10, 0, 1, 15, 16, 45, 46]})
    assert days.select(buckets.bucket_expression(pl.col("d"))).to_series().to_list() == [
        "due_11_plus",
        "due_0_10",
        "due_0_10",
        "overdue_1_15",
        "overdue_1_15",
        "overdue_16_45",
        "overdue_16_45",
        "overdue_46_plus",
    ]
    with pytest.raises(ValueError, match="increasing"):
        Buckets(due_edges=(14, 7))


def test_narrowing_a_scope_never_widens_it() -> None:
    manager = Scope.for_manager("Анна").narrowed(managers=("Борис",), counterparty_ids=("K1",))
    assert manager.managers == ()  # Анна asked for Борис's clients: nothing
    assert manager.counterparty_ids == ("K1",)
    twice = Scope.everything().narrowed(counterparty_ids=("K1", "K2")).narrowed(counterparty_ids=("K2", "K3"))
    assert twice.counterparty_ids == ("K2",)
