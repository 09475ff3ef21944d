"""Receivables by contract, hand-computed as of Monday 31.03.2025, on SQLite and PostgreSQL.

K1 / C1 (10 calendar days, limit 1 000,00):
  S4 10.01 400,00 due 20.01, P1 (01.02, 350,00) closes 350: 50,00 open, 70 days overdue (11 + 28 + 31)
  S1 03.03 300,00 due 13.03: 18 days overdue
  S2 20.03 200,00 due 30.03, a Sunday: 31.03, due today (0 days)
  S3 21.03 100,00 with its own due date 31.03: due today too
K1 / C2 (5 working days, no limit): S5 Tue 25.03 123,45: 26, 27, 28, 31.03, 01.04 -> due 01.04 (1 day)
K2 / C3 (0 days, limit 0): P2 (05.03, 10,00, no contract) waits as K2's advance; S6 10.03 30,00 takes it:
  20,00 open, 21 days overdue
K3 / C4: no documents; P3 (15.03, 500,00, no contract) is K3's advance, on a row without a contract
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, text

from domain.buckets import DEFAULT_BUCKETS, Buckets
from domain.limits import limit_usage_pct
from etl.load import load_paths
from queries.contracts import receivables_by_contract
from queries.scope import Scope
from tests.helpers.ledgers import BY_CONTRACT as LEDGER
from tests.helpers.ledgers import BY_CONTRACT_AS_OF as AS_OF
from tests.helpers.ledgers import write_files
from tests.helpers.tables import advances, due_dates, open_amounts


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    result = load_paths(engine, [write_files(tmp_path / "src", LEDGER)])
    assert result.rejected_rows == 0
    assert not result.refused
    return engine


def test_receivables_by_contract(loaded: Engine) -> None:
    with loaded.connect() as conn:
        frame = receivables_by_contract(conn, as_of=AS_OF)
    assert frame["usage_pct"].dtype == pl.Decimal(12, 1)
    assert frame.select(
        "counterparty_id", "counterparty_name", "manager", "group", "contract_id", "contract_number", "currency"
    ).rows() == [
        ("K1", "Альфа", "Анна", "Сети", "C1", "Д-1", "RUB"),
        ("K1", "Альфа", "Анна", "Сети", "C2", "Д-2", "RUB"),
        ("K2", "Бета", "Борис", "Розница", "C3", "Д-3", "RUB"),
        ("K3", "Гамма", "Анна", "Сети", None, None, "RUB"),
    ]
    assert frame.select("terms_days", "terms_basis", "credit_limit", "usage_pct", "headroom").rows() == [
        (10, "calendar", 100_000, Decimal("65.0"), 35_000),  # 650 of 1 000
        (5, "working", None, None, None),
        (0, "calendar", 0, None, -2_000),  # a zero limit: no share, 20,00 over it
        (None, None, None, None, None),
    ]
    assert frame.select(
        "balance", "advance", "not_due", "overdue", "due_0_7", "overdue_1_30", "overdue_61_90"
    ).rows() == [
        (65_000, 0, 30_000, 35_000, 30_000, 30_000, 5_000),
        (12_345, 0, 12_345, 0, 12_345, 0, 0),
        (2_000, 0, 0, 2_000, 0, 2_000, 0),
        (-50_000, 50_000, 0, 0, 0, 0, 0),
    ]
    assert frame.select(
        "max_days_overdue",
        "open_documents",
        "nearest_due_date",
        "nearest_due_amount",
        "oldest_overdue_document",
        "oldest_overdue_days",
    ).rows() == [
        (70, 4, date(2025, 3, 31), 30_000, "S4", 70),  # S2 200 + S3 100 due today
        (0, 1, date(2025, 4, 1), 12_345, None, None),
        (21, 1, None, None, "S6", 21),
        (0, 0, None, None, None, None),
    ]


def _recount(engine: Engine, as_of: date) -> dict[tuple[str | None, str | None], dict[str, int]]:
    """(counterparty_id, contract_id) -> the money of its row, recounted from the documents and matches in
    plain SQL and Python (tests.helpers), with the default bucket edges written out: not due 0-7, 8-14,
    15-30, 31+ days to due; overdue 1-30, 31-60, 61-90, 91-180, 181+ days."""

    def bucket(days: int) -> str:
        for low, high, name in [(0, 7, "due_0_7"), (8, 14, "due_8_14"), (15, 30, "due_15_30")]:
            if low <= -days <= high:
                return name
        if days <= -31:
            return "due_31_plus"
        for low, high, name in [(1, 30, "overdue_1_30"), (31, 60, "overdue_31_60"), (61, 90, "overdue_61_90")]:
            if low <= days <= high:
                return name
        return "overdue_91_180" if days <= 180 else "overdue_181_plus"

    with engine.connect() as conn:
        owners = {
            r[0]: (r[1], r[2])
            for r in conn.execute(text("SELECT document_id, counterparty_id, contract_id FROM documents"))
        }
    rows: dict[tuple[str | None, str | None], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    due = due_dates(engine)
    for document_id, amount in open_amounts(engine, as_of).items():
        if amount <= 0:
            continue
        days = (as_of - due[document_id]).days
        row = rows[owners[document_id]]
        row["open_debits"] += amount
        row["overdue" if days > 0 else "not_due"] += amount
        row[bucket(days)] += amount
        row["max_days_overdue"] = max(row["max_days_overdue"], days)
    for document_id, amount in advances(engine, as_of).items():
        if amount > 0:
            rows[owners[document_id]]["advance"] += amount
    for row in rows.values():
        row["balance"] = row["open_debits"] - row["advance"]
    return rows


def test_money_is_recounted_from_the_documents(loaded: Engine) -> None:
    # Not aging's frame compared with itself: every row's money recounted from the documents and matches.
    money = ["balance", "advance", "not_due", "overdue", *DEFAULT_BUCKETS.names, "max_days_overdue"]
    for as_of in (date(2025, 1, 31), date(2025, 3, 12), AS_OF, date(2025, 12, 31)):
        with loaded.connect() as conn:
            frame = receivables_by_contract(conn, as_of=as_of)
        expected = _recount(loaded, as_of)
        found = {(r["counterparty_id"], r["contract_id"]): r for r in frame.iter_rows(named=True)}
        assert set(found) == set(expected), as_of
        for key, row in expected.items():
            assert {c: found[key][c] for c in money} == {c: row[c] for c in money}, (as_of, key)
        buckets = frame.select(pl.sum_horizontal(DEFAULT_BUCKETS.names)).to_series()
        assert (buckets == frame["not_due"] + frame["overdue"]).all()
    # 12.03.2025 by hand: S4 50,00 open (due 20.01, 51 days: overdue_31_60); S1 300,00 due 13.03 (1 day to
    # due); S6 30,00 less K2's advance P2 10,00 (matched 10.03): 20,00, due 10.03 (2 days); K3 nothing yet.
    assert _recount(loaded, date(2025, 3, 12))["K1", "C1"]["overdue_31_60"] == 5_000
    assert _recount(loaded, date(2025, 3, 12))["K2", "C3"]["overdue_1_30"] == 2_000


def test_earlier_date_and_negative_usage(loaded: Engine) -> None:
    with loaded.connect() as conn:
        frame = receivables_by_contract(conn, as_of=date(2025, 1, 31))
    # Only S4 exists: 400,00 due 20.01, 11 days overdue.
    assert frame.select("contract_id", "balance", "usage_pct", "headroom", "oldest_overdue_days").rows() == [
        ("C1", 40_000, Decimal("40.0"), 60_000, 11)
    ]
    with loaded.connect() as conn:
        march = receivables_by_contract(conn, as_of=date(2025, 3, 6))
    # 06.03: S4 50 (45 days), S1 300 not yet due (13.03); K2's P2 10,00 waits on a row without a contract.
    assert march.select("contract_id", "balance", "advance", "nearest_due_date", "nearest_due_amount").rows() == [
        ("C1", 35_000, 0, date(2025, 3, 13), 30_000),
        (None, -1_000, 1_000, None, None),
    ]


def test_scope_and_buckets(loaded: Engine) -> None:
    with loaded.connect() as conn:
        anna = receivables_by_contract(conn, as_of=AS_OF, scope=Scope.for_manager("Анна"))
        nobody = receivables_by_contract(conn, as_of=AS_OF, scope=Scope.for_manager("Никто"))
        coarse = receivables_by_contract(conn, as_of=AS_OF, buckets=Buckets(due_edges=(), overdue_edges=(30,)))
    assert anna["counterparty_id"].to_list() == ["K1", "K1", "K3"]
    assert nobody.height == 0
    assert "usage_pct" in nobody.columns
    assert coarse.select("contract_id", "due_0_plus", "overdue_1_30", "overdue_31_plus").rows()[0] == (
        "C1",
        30_000,
        30_000,
        5_000,
    )


def test_limit_usage_rounding() -> None:
    assert limit_usage_pct(1, 3) == Decimal("33.3")
    assert limit_usage_pct(2, 3) == Decimal("66.7")
    assert limit_usage_pct(1, 8) == Decimal("12.5")  # 12.5 exactly
    assert limit_usage_pct(1, 16) == Decimal("6.3")  # 6.25: half up
    assert limit_usage_pct(-1, 16) == Decimal("-6.3")
    assert limit_usage_pct(5, None) is None
    assert limit_usage_pct(5, 0) is None
