"""Exports as files: exact CSV money text, the contract's columns, formatted XLSX that opens."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from dashboard.services.exports import ExportError, for_csv, write_table
from tests.helpers.cli import invoke
from tests.helpers.ledgers import source, write_files

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


def test_export_aging_csv_and_xlsx(small_ledger: str, tmp_path: Path) -> None:
    db_url = small_ledger
    out = tmp_path / "aging.csv"
    done = invoke("export", "aging", "--as-of", "2025-12-31", "--db", db_url, "-o", str(out))
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
        invoke(
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
    assert invoke("export", "aging", "--as-of", "2025-12-31", "--db", db_url, "-o", str(xlsx)).returncode == 0
    with zipfile.ZipFile(xlsx) as archive:
        assert archive.testzip() is None
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    # A workbook is read by people: the headers are Russian (the CSV above keeps the contract's names).
    header_row = next(i for i, row in enumerate(values) if row[0] == "Код контрагента")
    assert values[header_row][:10] == [
        "Код контрагента",
        "Контрагент",
        "Код договора",
        "Договор",
        "Валюта",
        "Кредитный лимит",
        "Сальдо",
        "Аванс",
        "Не наступил срок",
        "Просрочено",
    ]
    assert "181+ дн. просрочки" in values[header_row]
    balance = AGING_COLUMNS.index("balance")
    assert [row[balance] for row in values[header_row + 1 :]] == [300.5, 200.0, 500.5]  # two contracts, then Итого RUB
    assert values[-1][0] == "Итого RUB"
    assert sheet.freeze_panes == f"A{header_row + 2}"
    assert sheet.auto_filter.ref is not None

    english = tmp_path / "aging_en.xlsx"
    done = invoke("export", "aging", "--as-of", "2025-12-31", "--db", db_url, "-o", str(english), "--language", "en")
    assert done.returncode == 0, done.stderr
    sheet = load_workbook(english).active
    assert sheet is not None
    texts = {c.value for row in sheet.iter_rows() for c in row}
    assert {"Counterparty id", "Balance", "Total RUB"} <= texts


def test_aging_as_of_defaults_to_today(small_ledger: str, tmp_path: Path) -> None:
    db_url = small_ledger
    out = tmp_path / "today.csv"
    assert invoke("export", "aging", "--db", db_url, "-o", str(out)).returncode == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # Everything in the fixture is dated 2025: by today all of it is due.
    assert date.today() > date(2026, 1, 12)
    assert {r["not_due"] for r in rows} == {"0.00"}


def test_export_act_csv(small_ledger: str, tmp_path: Path) -> None:
    db_url = small_ledger
    out = tmp_path / "act.csv"
    done = invoke(
        "export",
        "act",
        "--counterparty",
        "K1",
        "--from",
        "2025-01-01",
        "--to",
        "2025-02-28",
        "--db",
        db_url,
        "-o",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames is not None
        assert reader.fieldnames[:5] == ["kind", "date", "document", "debit", "credit"]
        rows = [(r["kind"], r["date"], r["document"], r["debit"], r["credit"]) for r in reader]
    # K1: S1 1000.00 (10.01), S3 300.50 (15.01), S2 500.00 (20.01); P1 1200.00 (01.02), P2 400.00 (05.02).
    # Turnover 1800.50 / 1600.00; closing 200.50 owed to us, in debit.
    assert rows[0][0] == "opening"
    assert rows[0][3:] == ("0.00", "")
    assert [r[2] for r in rows[1:6]] == [
        "Реализация (№ УПД-1 от 10.01.2025)",
        "Реализация (№ УПД-3 от 15.01.2025)",
        "Реализация (№ УПД-2 от 20.01.2025)",
        "Оплата (п/п № 11 от 01.02.2025)",
        "Оплата (п/п № 12 от 05.02.2025)",
    ]
    assert rows[6][0] == "turnover"
    assert rows[6][3:] == ("1800.50", "1600.00")
    assert rows[7] == ("closing", "2025-02-28", "Сальдо конечное", "200.50", "")


def test_export_exceptions_with_rules_from_config(db_url: str, tmp_path: Path) -> None:
    folder = source(tmp_path)
    write_files(folder, {"payments_unknown.csv": "document_id,date,amount,counterparty_id\nPX,2025-03-01,1,K404\n"})
    assert invoke("load", str(folder), "--db", db_url).returncode == 0
    out = tmp_path / "exceptions.csv"
    assert invoke("export", "exceptions", "--as-of", "2025-12-31", "--db", db_url, "-o", str(out)).returncode == 0
    with out.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames is not None
        assert reader.fieldnames[:7] == [
            "code",
            "counterparty_id",
            "contract_id",
            "document_id",
            "amount",
            "days",
            "detail",
        ]
        rows = list(reader)
    overdue = {(r["document_id"], r["amount"], r["days"]) for r in rows if r["code"] == "overdue"}
    # S2: 200.50 open, due 19.02.2025, 315 days; S4: 200.00, due 02.12.2025, 29 days.
    assert overdue == {("S2", "200.50", "315"), ("S4", "200.00", "29")}
    assert [r["document_id"] for r in rows if r["code"] == "rejected_row"] == ["PX"]
    # S5 was shipped on 02.12.2025 while S2 was 286 days overdue.
    assert [r["document_id"] for r in rows if r["code"] == "shipped_while_overdue"] == ["S5"]
    config = tmp_path / "lenient.toml"
    config.write_text("[exceptions]\nshipped_while_overdue_days = 300\n", encoding="utf-8")
    assert (
        invoke(
            "export", "exceptions", "--as-of", "2025-12-31", "--db", db_url, "--config", str(config), "-o", str(out)
        ).returncode
        == 0
    )
    assert "shipped_while_overdue" not in out.read_text(encoding="utf-8")
    config.write_text("[exceptions]\nshiped_days = 3\n", encoding="utf-8")
    typo = invoke("export", "exceptions", "--db", db_url, "--config", str(config), "-o", str(out))
    assert typo.returncode == 1
    assert "unknown setting in [exceptions]: shiped_days" in typo.stderr


def test_export_calendar_and_trend_csv(small_ledger: str, tmp_path: Path) -> None:
    db_url = small_ledger
    calendar = tmp_path / "calendar.csv"
    done = invoke(
        "export",
        "calendar",
        "--as-of",
        "2025-02-03",
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-31",
        "--db",
        db_url,
        "-o",
        str(calendar),
    )
    assert done.returncode == 0, done.stderr
    with calendar.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames is not None
        assert reader.fieldnames[:3] == ["date", "due", "documents"]
        rows = [(r["date"], r["due"], r["documents"]) for r in reader]
    # As of 03.02: S3 300.50 (due 29.01) unpaid; S1 fully paid by P1; S2 300.00 left after P1, due 19.02.
    assert rows == [("2025-01-29", "300.50", "1"), ("2025-02-19", "300.00", "1")]

    trend = tmp_path / "trend.csv"
    done = invoke(
        "export",
        "trend",
        "--from",
        "2025-02-01",
        "--to",
        "2025-02-28",
        "--freq",
        "week",
        "--db",
        db_url,
        "-o",
        str(trend),
    )
    assert done.returncode == 0, done.stderr
    with trend.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames is not None
        assert reader.fieldnames[:4] == ["date", "balance", "not_due", "overdue"]
        rows = [(r["date"], r["balance"], r["not_due"], r["overdue"]) for r in reader]
    # Sun 02.02: after P1 (01.02): S2 300.00 not due, S3 300.50 overdue since 30.01.
    # Sun 09.02 and later: after P2 (05.02) only S2's 200.50 is left, overdue from 20.02.
    assert rows == [
        ("2025-02-02", "600.50", "300.00", "300.50"),
        ("2025-02-09", "200.50", "200.50", "0.00"),
        ("2025-02-16", "200.50", "200.50", "0.00"),
        ("2025-02-23", "200.50", "0.00", "200.50"),
        ("2025-02-28", "200.50", "0.00", "200.50"),
    ]


def test_export_act_xlsx_is_the_document(small_ledger: str, tmp_path: Path) -> None:
    db_url = small_ledger
    config = tmp_path / "company.toml"
    config.write_text('[company]\nname = "ООО «Пример»"\n', encoding="utf-8")
    out = tmp_path / "act.xlsx"
    done = invoke(
        "export",
        "act",
        "--counterparty",
        "K1",
        "--from",
        "2025-01-01",
        "--to",
        "2025-02-28",
        "--contract",
        "C1",
        "--db",
        db_url,
        "--config",
        str(config),
        "-o",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    sheet = load_workbook(out).active
    assert sheet is not None
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert texts[0] == "Акт сверки"
    assert "по договору № Д-1/25 от 01.01.2025" in texts
    # C1 alone: S1 1000.00 + S2 500.00 shipped; P1 1200.00 paid on C1 and 99.50 of P2 (no contract) matched
    # to S2 on 05.02: closing 200.50 owed to us.
    assert any(
        t.startswith("По данным ООО «Пример» на 28.02.2025 задолженность в пользу ООО «Пример» составляет 200,50 руб.")
        and "(Двести рублей 50 копеек)" in t
        for t in texts
    ), texts
    missing = invoke(
        "export",
        "act",
        "--counterparty",
        "K404",
        "--from",
        "2025-01-01",
        "--to",
        "2025-02-28",
        "--db",
        db_url,
        "-o",
        str(tmp_path / "none.xlsx"),
    )
    assert missing.returncode == 1
    assert "no act for counterparty K404" in missing.stderr


def test_totals_rows_only_where_amounts_add_up(tmp_path: Path) -> None:
    """Balances at successive month-ends do not add up (the trend's workbook summed them to 4,38 млрд on the
    demo), nor do different exceptions' amounts: no totals row there; aging and the stop-list keep theirs."""
    db = f"sqlite:///{tmp_path / 'w.db'}"
    assert invoke("load", str(source(tmp_path)), "--db", db).returncode == 0
    exports = {
        "trend": ["--from", "2025-01-01", "--to", "2025-12-31", "--freq", "month"],
        "exceptions": ["--as-of", "2025-12-31"],
        "aging": ["--as-of", "2025-12-31"],
    }
    has_totals = {}
    for report, options in exports.items():
        out = tmp_path / f"{report}.xlsx"
        done = invoke("export", report, *options, "--db", db, "-o", str(out))
        assert done.returncode == 0, done.stderr
        sheet = load_workbook(out).active
        assert sheet is not None
        has_totals[report] = any(str(c.value).startswith("Итого") for row in sheet.iter_rows() for c in row)
    assert has_totals == {"trend": False, "exceptions": False, "aging": True}
