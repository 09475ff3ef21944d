"""benchmarks/ten_million.py splits a demo source by month, and the months loaded one after another give the
warehouse one load of the whole source gives."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from benchmarks.ten_million import month_of, report, split_by_month
from etl.demo import COMPANY_INN, write_demo_source
from etl.load import load_paths
from warehouse.engine import ensure_schema, make_engine

SHIPMENTS = (
    "document_id,contract_id,date,amount,number,due_date,vat,warehouse,deleted\n"
    "S1,C1,2026-01-31,100.00,УПД-1,,16.67,Склад,0\n"
    "S2,C1,2026-02-01,200.00,УПД-2,,33.33,Склад,0\n"
    'S3,C1,2026-03-15,300.00,"УПД-3, исправленный",,50.00,Склад,0\n'
)
RETURNS = (
    "document_id;contract_id;date;amount;shipment_id;number;deleted\n"
    "R1;C1;15.02.2026;10,00;S1;ВТ-1;нет\n"
    "R2;C1;31.02.2026;20,00;S2;ВТ-2;нет\n"
)


def rows(path: Path, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=delimiter))


def test_a_small_folder_splits_into_its_months(tmp_path: Path) -> None:
    whole, out = tmp_path / "whole", tmp_path / "months"
    whole.mkdir()
    (whole / "shipments_2026.csv").write_text("\ufeff" + SHIPMENTS, encoding="utf-8")
    (whole / "returns.csv").write_text(RETURNS, encoding="utf-8")
    (whole / "counterparties.csv").write_bytes("counterparty_id;name\nK1;ООО «Ромашка»\n".encode("cp1251"))
    (whole / "allocations.csv").write_text("payment_id,shipment_id,amount\nP1,S1,50.00\n", encoding="utf-8")
    (whole / "bank_statement_2026-02.txt").write_bytes("1CClientBankExchange\n".encode("cp1251"))

    folders = split_by_month(whole, out)

    assert [f.name for f in folders] == ["2026-01", "2026-02", "2026-03"]
    january, february, march = folders
    # The master data and the allocations go to the first month whole (cp1251 untouched), with the return
    # dated 31.02, which that month's load rejects; the statement goes to the month its name says.
    assert sorted(p.name for p in january.iterdir()) == [
        "allocations.csv",
        "counterparties.csv",
        "returns.csv",
        "shipments_2026.csv",
    ]
    assert (january / "counterparties.csv").read_bytes() == (whole / "counterparties.csv").read_bytes()
    assert rows(january / "shipments_2026.csv")[1:] == [
        ["S1", "C1", "2026-01-31", "100.00", "УПД-1", "", "16.67", "Склад", "0"]
    ]
    assert rows(january / "returns.csv", ";") == [
        RETURNS.splitlines()[0].split(";"),
        RETURNS.splitlines()[2].split(";"),
    ]
    assert sorted(p.name for p in february.iterdir()) == [
        "bank_statement_2026-02.txt",
        "returns.csv",
        "shipments_2026.csv",
    ]
    assert [r[0] for r in rows(february / "shipments_2026.csv")] == ["document_id", "S2"]
    assert [r[0] for r in rows(february / "returns.csv", ";")] == ["document_id", "R1"]
    # A quoted field with the delimiter in it stays one field; the header comes without the BOM.
    assert rows(march / "shipments_2026.csv") == [
        SHIPMENTS.splitlines()[0].split(","),
        ["S3", "C1", "2026-03-15", "300.00", "УПД-3, исправленный", "", "50.00", "Склад", "0"],
    ]
    assert not (march / "shipments_2026.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_month_of_reads_dates_as_the_loader_does() -> None:
    assert month_of("2026-02-28") == "2026-02"
    assert month_of("01.12.2025") == "2025-12"
    assert month_of("31.02.2026") is None


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    whole = tmp_path_factory.mktemp("whole")
    write_demo_source(whole, scale=600, seed=5, end=date(2026, 6, 30))
    return whole, split_by_month(whole, tmp_path_factory.mktemp("months"))


def test_every_row_of_the_demo_lands_once_in_its_month(demo: tuple[Path, list[Path]]) -> None:
    whole, folders = demo
    for path in whole.glob("*.csv"):
        header = path.read_bytes().split(b"\n", 1)[0].decode("utf-8-sig", errors="replace")
        delimiter = ";" if header.count(";") > header.count(",") else ","
        if "date" not in header.split(delimiter):
            assert [f for f in folders if (f / path.name).exists()] == folders[:1]
            continue
        everything = rows(path, delimiter)
        at = everything[0].index("date")
        split: Counter[tuple[str, ...]] = Counter()
        for folder in folders:
            if (folder / path.name).exists():
                part = rows(folder / path.name, delimiter)
                assert part[0] == everything[0]
                assert all(month_of(r[at]) in (folder.name, None) for r in part[1:])
                assert all(month_of(r[at]) is not None for r in part[1:]) or folder == folders[0]
                split.update(tuple(r) for r in part[1:])
        assert split == Counter(tuple(r) for r in everything[1:]), path.name


def state(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]], int]:
    """Matches and documents by document keys (primary keys differ between warehouses), and the rejects."""
    with engine.connect() as conn:
        matches = conn.execute(
            text(
                "SELECT a.document_id, b.document_id, m.amount, CAST(m.match_date AS VARCHAR(10)) FROM matches m "
                "JOIN documents a ON a.doc_pk = m.debit_pk JOIN documents b ON b.doc_pk = m.credit_pk"
            )
        ).all()
        documents = conn.execute(
            text(
                "SELECT kind, document_id, amount, CAST(due_date AS VARCHAR(10)), "
                "CAST(settled_date AS VARCHAR(10)) FROM documents"
            )
        ).all()
        rejects = conn.execute(text("SELECT count(*) FROM rejects")).scalar_one()
    return sorted(tuple(r) for r in matches), sorted(tuple(r) for r in documents), rejects


def test_the_months_loaded_in_turn_give_the_whole_load(
    db_url: str, tmp_path: Path, demo: tuple[Path, list[Path]]
) -> None:
    whole, folders = demo
    at_once = make_engine(f"sqlite:///{tmp_path / 'once.db'}", pooled=False)
    ensure_schema(at_once)
    load_paths(at_once, [whole], company_inn=COMPANY_INN)
    by_month = make_engine(db_url, pooled=False)
    ensure_schema(by_month)
    for folder in folders:
        load_paths(by_month, [folder], company_inn=COMPANY_INN)
    once, months = state(at_once), state(by_month)
    assert len(months[0]) > 500
    assert months[1] == once[1]
    assert months[0] == once[0]
    assert months[2] == once[2]
    at_once.dispose()
    by_month.dispose()


def test_the_report_lists_what_was_recorded(tmp_path: Path) -> None:
    entries = [
        {"step": "load", "folders": ["2024-12"], "wall_s": 390.4, "cpu_s": 37.1, "peak_rss_mb": 999, "load_avg": 13.2},
        {"step": "load", "folders": ["2025-01", "2025-02", "2025-03"], "wall_s": 1187.7, "cpu_s": 136.6},
        {"step": "query", "name": "aging today", "wall_s": 6.918, "cpu_s": 1.051, "server_cpu_s": 0.74},
        {"step": "page", "name": "trend", "first_s": 46.97, "warm_s": 0.075, "raised": False, "load_avg": 15.8},
    ]
    entries[1].update(peak_rss_mb=1974, load_avg=11.9, db_mb=1464)
    entries[0]["db_mb"] = 370
    entries[2]["load_avg"] = 15.3
    (tmp_path / "results.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    lines = report(tmp_path).splitlines()
    assert "| 2024-12 | 390 s | 37 s | 999 MB | 370 MB | 13.2 |" in lines
    assert "| 2025-01 to 2025-03 | 1188 s | 137 s | 1,974 MB | 1,464 MB | 11.9 |" in lines
    assert "| aging today | 6.918 s | 1.05 s, 0.74 s | 15.3 |" in lines
    assert "| trend | 46.97 s | 75 ms | 15.8 |" in lines
