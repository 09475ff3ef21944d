"""`receivables export forecast` (contract section 5) on the forecast's ledger (tests/helpers/forecast_ledger.py,
worked out in tests/queries/test_forecast.py), on SQLite and PostgreSQL: the contract's columns, period ends
from D + 1, what is overdue on D in the first period, money as exact decimals, one row per open debit."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
from sqlalchemy import Engine

from etl.load import load_paths
from tests.helpers.cli import invoke
from tests.helpers.forecast_ledger import forecast_source


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_export_forecast_by_week(engine: Engine, db_url: str, tmp_path: Path) -> None:
    load_paths(engine, [forecast_source(tmp_path)])
    out = tmp_path / "forecast.csv"
    done = invoke(
        "export", "forecast", "--as-of", "2025-06-30", "--to", "2025-07-31", "--freq", "week",
        "--db", db_url, "-o", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"forecast: 5 rows written to {out}"
    rows = _rows(out)
    # The contract's columns, then the currency (amounts of different currencies are never added).
    assert rows[0] == ["date", "contractual", "expected", "low", "high", "currency"]
    # Periods start on 01.07 (D + 1): 7-day weeks end 07.07 .. 28.07, the last on --to.
    assert [r[0] for r in rows[1:]] == ["2025-07-07", "2025-07-14", "2025-07-21", "2025-07-28", "2025-07-31"]
    # Overdue on D (S21 40,00, S22 30,00) falls in the first week with S20 100,00 due 05.07; S30 in the second.
    assert [r[1] for r in rows[1:]] == ["170.00", "50.00", "0.00", "0.00", "0.00"]
    for _date, _contractual, expected, low, high, currency in rows[1:]:
        assert currency == "RUB"
        assert Decimal(low) <= Decimal(expected) <= Decimal(high)
        assert Decimal(expected).as_tuple().exponent == -2  # whole kopecks, two decimals
    assert sum(Decimal(r[2]) for r in rows[1:]) <= Decimal("220.00")


def test_export_forecast_by_document_and_month(engine: Engine, db_url: str, tmp_path: Path) -> None:
    load_paths(engine, [forecast_source(tmp_path)])
    out = tmp_path / "documents.csv"
    done = invoke(
        "export", "forecast", "--as-of", "2025-06-30", "--to", "2025-08-31", "--by", "document",
        "--db", db_url, "-o", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _rows(out) == [
        ["counterparty_id", "contract_id", "document_id", "currency", "due_date", "open", "expected_date"],
        ["K1", "C1", "S22", "RUB", "2025-06-15", "30.00", "2025-07-01"],
        ["K1", "C1", "S21", "RUB", "2025-06-25", "40.00", "2025-07-07"],
        ["K1", "C1", "S20", "RUB", "2025-07-05", "100.00", "2025-07-15"],
        ["K2", "C2", "S30", "RUB", "2025-07-10", "50.00", "2025-07-21"],
    ]
    days, months = tmp_path / "days.csv", tmp_path / "months.csv"
    for freq, path in (("day", days), ("month", months)):
        done = invoke(
            "export", "forecast", "--as-of", "2025-06-30", "--to", "2025-08-31", "--freq", freq,
            "--db", db_url, "-o", str(path),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    by_day, by_month = _rows(days)[1:], _rows(months)[1:]
    assert [r[0] for r in by_month] == ["2025-07-31", "2025-08-31"]
    # The months add up to their days, to the kopeck.
    for end, *_ in by_month:
        month = end[:7]
        assert sum(Decimal(r[2]) for r in by_day if r[0].startswith(month)) == Decimal(
            next(r[2] for r in by_month if r[0] == end)
        )


def test_export_forecast_refuses_a_period_before_as_of(db_url: str, tmp_path: Path) -> None:
    done = invoke(
        "export", "forecast", "--as-of", "2025-06-30", "--to", "2025-06-30", "--db", db_url,
        "-o", str(tmp_path / "f.csv"),
    )  # fmt: skip
    assert done.returncode == 2
    assert "--to 2025-06-30 must be after it" in done.stderr


def test_export_forecast_xlsx_speaks_the_readers_language(engine: Engine, db_url: str, tmp_path: Path) -> None:
    load_paths(engine, [forecast_source(tmp_path)])
    out = tmp_path / "documents.xlsx"
    done = invoke(
        "export", "forecast", "--as-of", "2025-06-30", "--to", "2025-07-31", "--by", "document", "--language", "en",
        "--db", db_url, "-o", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "Counterparty id")
    assert header[4:] == ("Due date", "Open", "Expected payment")
    assert [row[6].date() for row in rows[rows.index(header) + 1 :] if row[6] is not None] == [
        date(2025, 7, 1),
        date(2025, 7, 7),
        date(2025, 7, 15),
        date(2025, 7, 21),
    ]
