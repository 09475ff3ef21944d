"""`receivables export worklist` (contract section 5) on the small ledger of tests/helpers/ledgers.py, on
SQLite and PostgreSQL: exactly the contract's columns in its order, as tests/queries/test_worklist.py ranks
them (K2's promise of 150,00 until 15.12.2025, 50,00 paid: broken with 100,00 missing, on top of K1's larger
overdue debt), money as exact decimals, codes for reason and next step."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
from sqlalchemy import Engine

from etl.load import load_paths
from tests.helpers.cli import invoke
from tests.helpers.ledgers import source
from tests.helpers.notes import note, pay

CONTRACT_COLUMNS = [
    "rank",
    "counterparty_id",
    "counterparty_name",
    "currency",
    "overdue",
    "max_days_overdue",
    "reason",
    "last_contact",
    "next_step",
]


def test_export_worklist_csv_and_xlsx(engine: Engine, db_url: str, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path)])
    note(engine, "promise", "K2", date(2025, 12, 5), amount=15_000, until=date(2025, 12, 15))
    note(engine, "call", "K1", date(2025, 12, 20))
    pay(engine, tmp_path / "more", "P7,2025-12-10,50,C3,")
    out = tmp_path / "worklist.csv"
    done = invoke("export", "worklist", "--as-of", "2025-12-31", "--db", db_url, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"worklist: 2 rows written to {out}"
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        CONTRACT_COLUMNS,
        ["1", "K2", "ИП Петров Пётр Петрович", "RUB", "150.00", "29", "broken_promise,overdue", "2025-12-05", "call"],
        [
            "2",
            "K1",
            "ООО «Ромашка»",
            "RUB",
            "200.50",
            "315",
            "overdue,shipped_while_overdue,no_payment_recently",
            "2025-12-20",
            "stop_shipments",
        ],
    ]
    # Before the promise's last day K2 waits for it: off the list.
    earlier = invoke("export", "worklist", "--as-of", "2025-12-15", "--db", db_url, "-o", str(out))
    assert earlier.returncode == 0, earlier.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        assert [r["counterparty_id"] for r in csv.DictReader(handle)] == ["K1"]

    xlsx = tmp_path / "worklist.xlsx"
    done = invoke("export", "worklist", "--as-of", "2025-12-31", "--db", db_url, "--language", "en", "-o", str(xlsx))
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[2] == (
        "Rank",
        "Counterparty id",
        "Counterparty",
        "Currency",
        "Overdue",
        "Max days overdue",
        "Reason",
        "Last contact",
        "Next step",
    )
    assert values[3][:6] == (1, "K2", "ИП Петров Пётр Петрович", "RUB", 150, 29)
    assert values[4][4] == 200.5
