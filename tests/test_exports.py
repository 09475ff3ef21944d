"""Exports as files: exact CSV money text, the contract's columns, formatted XLSX that opens."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from dashboard.exports import ExportError, for_csv, write_table
from tests.test_cli import run
from tests.test_load import source

AGING_COLUMNS = [
    "counterparty_id",
    "counterparty_name",
    "contract_id",
    "contract_number",
    "currency",
    "credit_limit",
    "balance",
    "advance",
    "not_due",
    "overdue",
    "due_0_7",
    "due_8_14",
    "due_15_30",
    "due_31_plus",
    "overdue_1_30",
    "overdue_31_60",
    "overdue_61_90",
    "overdue_91_180",
    "overdue_181_plus",
    "max_days_overdue",
]


def test_money_text_is_exact() -> None:
    frame = pl.DataFrame({"m": [0, 5, -5, 100, -12_345, 123_456_789_012_345, None]}, schema={"m": pl.Int64})
    assert for_csv(frame, ["m"])["m"].to_list() == [
        "0.00",
        "0.05",
        "-0.05",
        "1.00",
        "-123.45",
        "1234567890123.45",
        None,
    ]


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.csv or \.xlsx"):
        write_table(pl.DataFrame({"a": [1]}), tmp_path / "x.json")


def test_export_aging_csv_and_xlsx(db_url: str, tmp_path: Path) -> None:
    assert run("load", str(source(tmp_path)), "--db", db_url).returncode == 0
    out = tmp_path / "aging.csv"
    done = run("export", "aging", "--as-of", "2025-12-31", "--db", db_url, "-o", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames is not None
        assert reader.fieldnames[: len(AGING_COLUMNS)] == AGING_COLUMNS
        rows = list(reader)
    assert [(r["contract_id"], r["balance"], r["not_due"], r["overdue"], r["overdue_181_plus"]) for r in rows] == [
        ("C1", "300.50", "100.00", "200.50", "200.50"),
        ("C3", "200.00", "0.00", "200.00", "0.00"),
    ]
    assert rows[0]["credit_limit"] == "100000.00"
    assert rows[1]["credit_limit"] == "5000.50"

    by_counterparty = tmp_path / "by_cp.csv"
    assert (
        run(
            "export",
            "aging",
            "--as-of",
            "2025-12-31",
            "--by",
            "counterparty",
            "--db",
            db_url,
            "-o",
            str(by_counterparty),
        ).returncode
        == 0
    )
    header = by_counterparty.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "contract_id" not in header
    assert "contract_number" not in header

    xlsx = tmp_path / "aging.xlsx"
    assert run("export", "aging", "--as-of", "2025-12-31", "--db", db_url, "-o", str(xlsx)).returncode == 0
    with zipfile.ZipFile(xlsx) as archive:
        assert archive.testzip() is None
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header_row = next(i for i, row in enumerate(values) if row[0] == "counterparty_id")
    assert values[header_row][: len(AGING_COLUMNS)] == AGING_COLUMNS
    balance = AGING_COLUMNS.index("balance")
    assert [row[balance] for row in values[header_row + 1 :]] == [300.5, 200.0, 500.5]  # two contracts, then Итого RUB
    assert values[-1][0] == "Итого RUB"
    assert sheet.freeze_panes == f"A{header_row + 2}"
    assert sheet.auto_filter.ref is not None


def test_aging_as_of_defaults_to_today(db_url: str, tmp_path: Path) -> None:
    assert run("load", str(source(tmp_path)), "--db", db_url).returncode == 0
    out = tmp_path / "today.csv"
    assert run("export", "aging", "--db", db_url, "-o", str(out)).returncode == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # Everything in the fixture is dated 2025: by today all of it is due.
    assert date.today() > date(2026, 1, 12)
    assert {r["not_due"] for r in rows} == {"0.00"}
