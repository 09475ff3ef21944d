"""The demo source folder generator: reproducible, in the contract's formats, and plausible."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from stdnum.ru import inn as ru_inn

from domain.calendar import WorkCalendar
from etl.demo import DemoSummary, write_demo_source
from etl.sources.xlsx import read_xlsx_rows
from queries.aging import aging
from queries.stoplist import stoplist
from tests.helpers.cli import invoke
from warehouse.engine import make_engine

END = date(2026, 11, 22)
SCALE = 1500
CYRILLIC = re.compile("[А-Яа-яЁё]")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    return write_demo_source(tmp_path_factory.mktemp("demo") / "source", scale=SCALE, seed=1, end=END)


def _hashes(summary: DemoSummary) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in summary.files}


def _money(text: str) -> Decimal:
    """The contract's number rules, enough for what the demo writes (never a float)."""
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        cleaned = (
            cleaned.replace(",", "")
            if cleaned.rfind(".") > cleaned.rfind(",")
            else cleaned.replace(".", "").replace(",", ".")
        )
    return Decimal(cleaned.replace(",", "."))


def _read(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _shipments(summary: DemoSummary) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in summary.files:
        if path.name.startswith("shipments_"):
            rows += _read(path, "utf-8-sig")
    return rows


def _statement(summary: DemoSummary) -> tuple[dict[str, str], list[dict[str, str]], bytes]:
    path = next(p for p in summary.files if p.name.startswith("bank_statement_"))
    raw = path.read_bytes()
    text = raw.decode("cp1251")
    header: dict[str, str] = {}
    docs: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    in_account = False
    for line in text.split("\r\n"):
        if line.startswith("СекцияДокумент="):
            current = {"_type": line.split("=", 1)[1]}
        elif line == "КонецДокумента":
            assert current is not None
            docs.append(current)
            current = None
        elif line == "СекцияРасчСчет":
            in_account = True
        elif line == "КонецРасчСчет":
            in_account = False
        elif "=" in line:
            key, value = line.split("=", 1)
            if current is not None:
                current[key] = value
            elif in_account:
                header[f"account.{key}"] = value
            else:
                header[key] = value
    return header, docs, raw


def test_same_inputs_give_identical_bytes(demo: DemoSummary, tmp_path: Path) -> None:
    again = write_demo_source(tmp_path / "again", scale=SCALE, seed=1, end=END)
    assert _hashes(again) == _hashes(demo)
    assert again.counts == demo.counts


def test_another_seed_gives_other_data(demo: DemoSummary, tmp_path: Path) -> None:
    other = write_demo_source(tmp_path / "other", scale=SCALE, seed=2, end=END)
    assert _hashes(other) != _hashes(demo)
    assert other.counts["shipments"] == SCALE


def test_file_set_and_headers(demo: DemoSummary) -> None:
    names = sorted(p.name for p in demo.files)
    assert all(p.parent == demo.folder and p.is_file() for p in demo.files)
    assert sorted(p.name for p in demo.folder.iterdir()) == names
    assert names == sorted(
        [
            "adjustments.csv",
            "allocations.csv",
            "bank_statement_2026-11.txt",
            "calendar.csv",
            "contracts.xlsx",
            "counterparties.csv",
            "opening_balances.csv",
            "payments.csv",
            "returns.csv",
            "shipments_2024.csv",
            "shipments_2025.csv",
            "shipments_2026.csv",
        ]
    )
    expected = {
        "counterparties.csv": ("cp1251", ";", "counterparty_id;name;inn;kpp;manager;email;group"),
        "shipments_2025.csv": (
            "utf-8-sig",
            ",",
            "document_id,contract_id,date,amount,number,due_date,vat,warehouse,deleted",
        ),
        "returns.csv": ("utf-8", ";", "document_id;contract_id;date;amount;shipment_id;number;deleted"),
        "adjustments.csv": ("utf-8", ";", "document_id;contract_id;date;amount;shipment_id;number;deleted"),
        "payments.csv": ("utf-8", ",", "document_id,date,amount,contract_id,counterparty_id,number,purpose"),
        "allocations.csv": ("utf-8", ",", "payment_id,shipment_id,amount"),
        "opening_balances.csv": ("utf-8", ",", "document_id,contract_id,date,amount,due_date,number"),
        "calendar.csv": ("utf-8", ",", "date,kind"),
    }
    for name, (encoding, _delimiter, header) in expected.items():
        raw = (demo.folder / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig"), name
        assert raw.decode(encoding).splitlines()[0] == header, name
    # Windows-1251 for real: Cyrillic bytes that are not valid UTF-8, and CRLF as Windows writes.
    raw = (demo.folder / "counterparties.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert CYRILLIC.search(raw.decode("cp1251"))
    assert b"\r\n" in raw
    assert CYRILLIC.search((demo.folder / "payments.csv").read_text(encoding="utf-8"))


def test_counterparties_are_russian_companies_with_valid_inns(demo: DemoSummary) -> None:
    rows = _read(demo.folder / "counterparties.csv", "cp1251", ";")
    assert len(rows) == demo.counts["counterparties"] + 1  # + the deliberate bad INN
    assert demo.counts["counterparties"] >= 20
    invalid = [r for r in rows if not ru_inn.is_valid(r["inn"])]
    assert len(invalid) == 1
    assert len({r["inn"] for r in rows}) == len(rows)
    for row in rows:
        assert re.fullmatch(r"(ООО|АО) «.+»|ИП \S+ [А-Я]\.[А-Я]\.", row["name"]), row["name"]
        assert len(row["inn"]) == (12 if row["name"].startswith("ИП") else 10)
        assert (row["kpp"] == "") == row["name"].startswith("ИП")
        assert row["group"] in {"Сети", "Розница", "HoReCa", "Опт"}
    assert 4 <= len({r["manager"] for r in rows}) <= 6
    assert ru_inn.is_valid(demo.company_inn)


def test_contracts_sheet_has_real_dates_and_numbers(demo: DemoSummary) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(demo.folder / "contracts.xlsx", read_only=True)
    rows = list(workbook["contracts"].iter_rows(values_only=True))
    workbook.close()
    assert rows[0] == (
        "contract_id",
        "counterparty_id",
        "number",
        "date",
        "currency",
        "terms_days",
        "terms_basis",
        "credit_limit",
    )
    body = rows[1:]
    assert len(body) == demo.counts["contracts"]
    per_counterparty = Counter(r[1] for r in body)
    assert set(per_counterparty.values()) <= {2, 3}
    for contract_id, _cp, number, signed, currency, terms, basis, limit in body:
        assert re.fullmatch(r"C\d{5}", contract_id)
        assert re.fullmatch(r"Д-\d{4}/\d{2}", number)
        assert isinstance(signed, datetime)
        assert currency in {"RUB", "USD", "CNY"}
        assert terms in {0, 14, 30, 45, 60}
        assert basis in {"calendar", "working"}
        if limit is not None and currency == "RUB":
            assert 100_000 <= limit <= 200_000_000
    assert len({r[2] for r in body}) == len(body)  # numbers are unique: payments are matched by them
    assert 1 <= sum(r[4] != "RUB" for r in body) <= 2
    assert any(r[7] is None for r in body)
    working = sum(r[6] == "working" for r in body)
    assert 0.15 < working / len(body) < 0.5


def test_money_has_at_most_two_decimals(demo: DemoSummary) -> None:
    """Every money value parses exactly with <= 2 decimals, except the one deliberate `12,345`."""
    too_precise: list[str] = []
    columns = {"amount", "vat"}
    sources: list[tuple[Path, str, str]] = [
        (p, "utf-8-sig", ",") for p in demo.files if p.name.startswith("shipments_")
    ] + [
        (demo.folder / "returns.csv", "utf-8", ";"),
        (demo.folder / "adjustments.csv", "utf-8", ";"),
        (demo.folder / "payments.csv", "utf-8", ","),
        (demo.folder / "allocations.csv", "utf-8", ","),
        (demo.folder / "opening_balances.csv", "utf-8", ","),
    ]
    for path, encoding, delimiter in sources:
        for row in _read(path, encoding, delimiter):
            for column in columns & row.keys():
                value = _money(row[column])
                if value != value.quantize(Decimal("0.01")):
                    too_precise.append(row[column])
    assert too_precise == ["12,345"]


def test_shipments_count_dates_and_vat(demo: DemoSummary) -> None:
    rows = _shipments(demo)
    bad = 3
    assert len(rows) == SCALE + demo.counts["shipments_deleted"] + bad
    assert demo.counts["shipments"] == SCALE
    ids = [r["document_id"] for r in rows]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    dates: list[date] = []
    for row in rows:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["date"]) and row["contract_id"] != "C99999":
            amount = _money(row["amount"])
            if amount != amount.quantize(Decimal("0.01")):
                continue
            assert amount > 0
            kop = int(amount * 100)
            assert _money(row["vat"]) * 100 == (kop + 3) // 6  # VAT 20% included, half up
            dates.append(date.fromisoformat(row["date"]))
    assert dates == sorted(dates)
    assert min(dates) >= date(2024, 11, 22)
    assert max(dates) <= END
    sundays = sum(d.weekday() == 6 for d in dates)
    assert sundays < len(dates) * 0.02  # "no shipments on Sundays, mostly"
    assert any(r["date"].startswith("31.02.") for r in rows)
    assert any(r["deleted"] == "1" for r in rows)


def test_bad_rows_are_where_they_belong(demo: DemoSummary) -> None:
    assert demo.counts["bad_rows"] == 8
    returns = _read(demo.folder / "returns.csv", delimiter=";")
    assert sum(_money(r["amount"]) < 0 for r in returns) == 1
    assert len(returns) == demo.counts["returns"] + 1
    adjustments = _read(demo.folder / "adjustments.csv", delimiter=";")
    assert sum(_money(r["amount"]) == 0 for r in adjustments) == 1
    payments = _read(demo.folder / "payments.csv")
    assert sum(not r["contract_id"] and not r["counterparty_id"] for r in payments) == 1
    assert len(payments) == demo.counts["payments"] + 1
    payment_ids = {r["document_id"] for r in payments}
    allocations = _read(demo.folder / "allocations.csv")
    assert len(allocations) == demo.counts["allocations"] + 1
    assert [a["payment_id"] for a in allocations if a["payment_id"] not in payment_ids] == ["P9999999"]
    assert demo.counts["allocations"] >= 3


def test_payments_reference_contracts_mostly(demo: DemoSummary) -> None:
    payments = [r for r in _read(demo.folder / "payments.csv") if r["counterparty_id"]]
    without_contract = sum(not r["contract_id"] for r in payments)
    assert 0 < without_contract < len(payments) * 0.3
    ids = [r["document_id"] for r in payments]
    assert ids == sorted(ids)
    dates = [r["date"] for r in payments]
    assert dates == sorted(dates)  # ids follow the payment dates
    assert all(r["purpose"] for r in payments)
    with_contract = [r for r in payments if r["contract_id"]]
    assert sum("по договору № Д-" in r["purpose"] for r in with_contract) == len(with_contract)


def test_bank_statement(demo: DemoSummary) -> None:
    header, docs, raw = _statement(demo)
    assert raw.startswith(b"1CClientBankExchange\r\n")
    assert raw.rstrip(b"\r\n").endswith("КонецФайла".encode("cp1251"))
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    assert header["ВерсияФормата"] == "1.03"
    assert header["Кодировка"] == "Windows"
    assert header["РасчСчет"] == header["account.РасчСчет"] == demo.company_account
    incoming = [d for d in docs if d["ПолучательСчет"] == demo.company_account]
    outgoing = [d for d in docs if d["ПлательщикСчет"] == demo.company_account]
    assert len(incoming) + len(outgoing) == len(docs)
    assert len(incoming) == demo.counts["bank_payments"]
    assert len(outgoing) == demo.counts["bank_outgoing"] >= 1
    assert all(d["ПолучательИНН"] == demo.company_inn for d in incoming)
    assert all(d["_type"] == "Платежное поручение" for d in docs)
    received = sum((Decimal(d["Сумма"]) for d in incoming), Decimal(0))
    sent = sum((Decimal(d["Сумма"]) for d in outgoing), Decimal(0))
    assert Decimal(header["account.ВсегоПоступило"]) == received
    assert Decimal(header["account.ВсегоСписано"]) == sent
    assert Decimal(header["account.КонечныйОстаток"]) == (Decimal(header["account.НачальныйОстаток"]) + received - sent)
    first = date(2026, 10, 24)
    for doc in docs:
        assert re.fullmatch(r"\d+\.\d{2}", doc["Сумма"])
        moved = doc.get("ДатаПоступило") or doc["ДатаСписано"]
        assert first <= datetime.strptime(moved, "%d.%m.%Y").date() <= END

    counterparties = _read(demo.folder / "counterparties.csv", "cp1251", ";")
    known = {r["inn"] for r in counterparties}
    unknown = {d["ПлательщикИНН"] for d in incoming} - known
    assert len(unknown) >= 3
    assert len(unknown) == demo.counts["bank_unidentified"]
    assert all(ru_inn.is_valid(inn) for inn in unknown)


def test_statement_purposes_name_the_payers_contract(demo: DemoSummary) -> None:
    """The loader finds the contract by its number in НазначениеПлатежа, among the payer's contracts."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(demo.folder / "contracts.xlsx", read_only=True)
    contracts = list(workbook["contracts"].iter_rows(values_only=True))[1:]
    workbook.close()
    inn_of = {r["counterparty_id"]: r["inn"] for r in _read(demo.folder / "counterparties.csv", "cp1251", ";")}
    numbers_of: dict[str, set[str]] = {}
    for row in contracts:
        if row[4] == "RUB":
            numbers_of.setdefault(inn_of[row[1]], set()).add(row[2])
    _header, docs, _raw = _statement(demo)
    named = 0
    for doc in docs:
        if doc["ПолучательИНН"] != demo.company_inn or doc["ПлательщикИНН"] not in numbers_of:
            continue
        mentioned = set(re.findall(r"Д-\d{4}/\d{2}", doc["НазначениеПлатежа"]))
        assert mentioned <= numbers_of[doc["ПлательщикИНН"]]
        named += bool(mentioned)
    assert named > 0


def test_payments_never_exceed_what_is_owed(demo: DemoSummary) -> None:
    debits = sum(
        (
            _money(r["amount"])
            for r in _shipments(demo)
            if re.fullmatch(r"\d+\.\d{2}", r["amount"]) and r["deleted"] == "0"
        ),
        Decimal(0),
    )
    debits += sum(
        (max(Decimal(0), _money(r["amount"])) for r in _read(demo.folder / "opening_balances.csv")), Decimal(0)
    )
    paid = sum((_money(r["amount"]) for r in _read(demo.folder / "payments.csv")), Decimal(0))
    _header, docs, _raw = _statement(demo)
    paid += sum((Decimal(d["Сумма"]) for d in docs if d["ПолучательИНН"] == demo.company_inn), Decimal(0))
    assert 0 < paid <= debits
    # Open debt at the end is a realistic few weeks of sales, not everything and not nothing.
    assert debits * Decimal("0.02") < debits - paid < debits * Decimal("0.4")


def test_opening_balances_and_calendar(demo: DemoSummary) -> None:
    balances = _read(demo.folder / "opening_balances.csv")
    assert len(balances) == demo.counts["opening_balances"] > 0
    amounts = [_money(r["amount"]) for r in balances]
    assert any(a < 0 for a in amounts)
    assert sum(a > 0 for a in amounts) > sum(a < 0 for a in amounts)
    cut_over = date(2024, 11, 21)
    for row, amount in zip(balances, amounts, strict=True):
        day = date.fromisoformat(row["date"])
        assert day <= cut_over
        if amount > 0:  # an unpaid document from before the cut-over, with its due date
            assert date.fromisoformat(row["due_date"]) >= day
        else:  # an advance, as at the cut-over
            assert day == cut_over
            assert row["due_date"] == ""
    assert any(date.fromisoformat(r["due_date"]) < cut_over for r in balances if r["due_date"])
    calendar = _read(demo.folder / "calendar.csv")
    assert len(calendar) == demo.counts["calendar"] >= 1
    for row in calendar:
        day = date.fromisoformat(row["date"])
        if row["kind"] == "holiday":
            assert day.weekday() < 5
            assert day.month == 7
        else:
            assert row["kind"] == "workday"
            assert day.weekday() == 5
            assert day.month == 9


def test_bank_days_and_old_due_dates_follow_the_official_calendar(demo: DemoSummary) -> None:
    """The demo's working days are the product's: the official calendar with its transfers, plus the
    overrides the demo writes to calendar.csv. Nobody pays on a day off, the transferred ones included,
    and the due dates of the opening balances are the ones the product computes from the terms."""
    overrides = {date.fromisoformat(r["date"]): r["kind"] for r in _read(demo.folder / "calendar.csv")}
    calendar = WorkCalendar.with_overrides(overrides)
    paid_on = {date.fromisoformat(r["date"]) for r in _read(demo.folder / "payments.csv") if r["counterparty_id"]}
    _header, docs, _raw = _statement(demo)
    paid_on |= {datetime.strptime(d.get("ДатаПоступило") or d["ДатаСписано"], "%d.%m.%Y").date() for d in docs}
    assert len(paid_on) > 300
    assert [d for d in sorted(paid_on) if not calendar.is_working_day(d)] == []
    # Weekdays off by decree in the window that a list of fixed holidays does not know about.
    transferred = {date(2024, 12, 30), date(2024, 12, 31), date(2025, 5, 2), date(2025, 5, 8), date(2025, 6, 13)}
    transferred |= {date(2025, 11, 3), date(2025, 12, 31), date(2026, 1, 9), date(2026, 3, 9), date(2026, 5, 11)}
    assert not paid_on & transferred
    assert not paid_on & {d for d, kind in overrides.items() if kind == "holiday"}  # the company's day off

    _sheet, rows = read_xlsx_rows(demo.folder / "contracts.xlsx", "contracts")
    terms = {cells[0]: (int(cells[5]), cells[6]) for _number, cells in list(rows)[1:]}
    balances = [r for r in _read(demo.folder / "opening_balances.csv") if r["due_date"]]
    assert len(balances) > 10
    for row in balances:
        days, basis = terms[row["contract_id"]]
        expected = calendar.due_date(date.fromisoformat(row["date"]), days, basis)
        assert date.fromisoformat(row["due_date"]) == expected, row


def test_small_scale_is_still_a_sensible_folder(tmp_path: Path) -> None:
    summary = write_demo_source(tmp_path / "small", scale=300, seed=7, end=date(2025, 3, 3))
    counts = summary.counts
    assert counts["shipments"] == 300
    assert counts["counterparties"] >= 20
    assert counts["payments"] > 100
    assert counts["bank_payments"] >= 3
    assert counts["bad_rows"] == 8
    assert sorted(p.name for p in summary.files if p.name.startswith("shipments_")) == [
        "shipments_2023.csv",
        "shipments_2024.csv",
        "shipments_2025.csv",
    ]
    assert any(p.name == "bank_statement_2025-03.txt" for p in summary.files)


def test_rerun_with_another_end_replaces_stale_files(tmp_path: Path) -> None:
    folder = tmp_path / "source"
    write_demo_source(folder, scale=300, end=date(2025, 3, 3))
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    summary = write_demo_source(folder, scale=300, end=END)
    names = {p.name for p in folder.iterdir()}
    assert names == {p.name for p in summary.files} | {"notes.txt"}


def test_bad_scale_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        write_demo_source(tmp_path, scale=0)


@pytest.mark.slow
def test_large_scale_row_counts(tmp_path: Path) -> None:
    scale = 200_000
    summary = write_demo_source(tmp_path / "large", scale=scale, seed=3, end=END)
    counts = summary.counts
    assert counts["shipments"] == scale
    shipments = 0
    for path in summary.files:
        if path.name.startswith("shipments_"):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                shipments += sum(1 for _ in csv.reader(handle)) - 1
    assert shipments == scale + counts["shipments_deleted"] + 3
    with (summary.folder / "payments.csv").open(encoding="utf-8", newline="") as handle:
        payments = list(csv.DictReader(handle))
    assert len(payments) == counts["payments"] + 1
    # Weekly registries too: none is paid on a day off, not even across the long New Year break.
    calendar = WorkCalendar.with_overrides(
        {date.fromisoformat(r["date"]): r["kind"] for r in _read(summary.folder / "calendar.csv")}
    )
    paid_on = {date.fromisoformat(r["date"]) for r in payments if r["counterparty_id"]}
    assert [d for d in sorted(paid_on) if not calendar.is_working_day(d)] == []
    assert counts["counterparties"] == 200
    assert 0.01 * scale < counts["returns"] < 0.03 * scale
    assert 0.02 * scale < counts["adjustments"] < 0.04 * scale
    assert counts["bank_payments"] > 1000
    text = next(p for p in summary.files if p.name.startswith("bank_statement_")).read_bytes().decode("cp1251")
    assert text.count("СекцияДокумент=") == counts["bank_payments"] + counts["bank_outgoing"]
    assert io.StringIO(text).readline().strip() == "1CClientBankExchange"


def test_the_demo_looks_like_a_real_book(tmp_path: Path) -> None:
    """A few percent of the contracts with a limit over it, and the stop-list holding a small share of what
    is owed (47 of 312 contracts were over their limits, and the stop-list held 80 % of the debt)."""
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    done = invoke(
        "demo", "--scale", "20000", "--seed", "1", "--end", "2026-11-22", "--out", str(tmp_path / "src"), "--db", db
    )
    assert done.returncode == 0, done.stderr
    engine = make_engine(db, pooled=False)
    with engine.connect() as conn:
        rows = aging(conn, as_of=date(2026, 11, 22), by="contract").filter(pl.col("currency") == "RUB")
        stopped = stoplist(conn, as_of=date(2026, 11, 22)).filter(pl.col("currency") == "RUB")
    engine.dispose()
    limited = rows.filter(pl.col("credit_limit").is_not_null() & pl.col("contract_id").is_not_null())
    over = limited.filter(pl.col("balance") > pl.col("credit_limit"))
    assert 0 < over.height <= 0.06 * limited.height
    owed = rows["not_due"].sum() + rows["overdue"].sum()
    assert stopped["balance"].sum() <= 0.3 * owed
