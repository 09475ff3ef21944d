"""Acts as files from the warehouse: one act (PDF, XLSX) and batches as ZIP, from the library and the CLI.

Hand-computed on the small ledger of tests/helpers/ledgers.py (K1: C1, C2 and a payment without a contract;
K2: C3), and checked against aging over demo data on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pypdf
import pytest
from sqlalchemy import Engine

from dashboard.services.act_document import Signer
from dashboard.services.acts import acts_zip, file_stem, render_act
from dashboard.services.settings import Config
from domain.money import format_money
from etl.demo import COMPANY_INN, COMPANY_NAME, write_demo_source
from etl.load import load_paths
from queries.aging import aging
from queries.scope import Scope
from tests.helpers.cli import invoke
from tests.helpers.ledgers import source

END = date(2026, 11, 20)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def index_of(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))


# ------------------------------------------------------------------------ the small hand-computed ledger
# K1 in 2025: S1 1000.00 + S2 500.00 (C1), S3 300.50 (C2), P1 1200.00 (C1), P2 400.00 (no contract), S5 100.00
# (C1, December). FIFO: P1 closes S1 and 200.00 of S2; P2 (05.02) closes S3 (due 29.01) and 99.50 of S2.
# At 31.03.2025: K1 owes 1800.50 - 1600.00 = 200.50; at 31.12.2025 300.50, all of it on C1 (C2 is settled).
# K2: S4 200.00 (C3) in December, nothing before.


@pytest.fixture
def small(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def test_one_act_as_pdf(small: Engine) -> None:
    with small.connect() as conn:
        data = render_act(
            conn,
            Config(company_name="ООО «Поставщик»"),
            counterparty_id="K1",
            date_from=date(2025, 1, 1),
            date_to=date(2025, 3, 31),
            signer=Signer("Главный бухгалтер", "Смирнова А. В."),
        )
    text = pdf_text(data)
    assert "Обороты за период 1 800,50 1 600,00" in text
    assert "31.03.2025 Сальдо конечное 200,50" in text
    assert (
        "По данным ООО «Поставщик» на 31.03.2025 задолженность в пользу ООО «Поставщик» составляет 200,50 руб. "
        "(Двести рублей 50 копеек)"
    ) in text
    assert "Главный бухгалтер ООО «Поставщик» Смирнова А. В., с одной стороны, и ______ ООО «Ромашка»" in text


def test_one_contract_act_names_the_contract(small: Engine) -> None:
    with small.connect() as conn:
        data = render_act(
            conn,
            Config(),
            counterparty_id="K1",
            date_from=date(2025, 1, 1),
            date_to=date(2025, 12, 31),
            contract_id="C1",
        )
    text = pdf_text(data)
    assert "по договору № Д-1/25 от 01.01.2025" in text
    assert "31.12.2025 Сальдо конечное 300,50" in text
    assert "Наша организация" in text  # no company configured, none in the warehouse


def test_unknown_or_hidden_counterparty_is_an_error(small: Engine) -> None:
    with small.connect() as conn:
        for scope in (Scope.everything(), Scope.for_manager("Сидоров С.С.")):
            counterparty = "K9" if scope.managers is None else "K1"
            with pytest.raises(ValueError, match=f"no act for counterparty {counterparty}"):
                render_act(
                    conn,
                    Config(),
                    counterparty_id=counterparty,
                    date_from=date(2025, 1, 1),
                    date_to=date(2025, 3, 31),
                    scope=scope,
                )


def test_batch_by_counterparty_and_by_contract(small: Engine) -> None:
    year = {"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}
    with small.connect() as conn:
        everyone = acts_zip(conn, Config(), **year)
        quarter = acts_zip(conn, Config(), date_from=date(2025, 1, 1), date_to=date(2025, 3, 31), fmt="xlsx")
        contracts = acts_zip(conn, Config(), **year, per_contract=True)
        contracts_with_balance = acts_zip(conn, Config(), **year, per_contract=True, with_balance=True)
        sidorov = acts_zip(conn, Config(), **year, scope=Scope.for_manager("Сидоров С.С."))

    assert [(e.counterparty_id, e.closing, e.documents) for e in everyone.entries] == [
        ("K1", 30_050, 6),
        ("K2", 20_000, 1),
    ]
    archive = zipfile.ZipFile(io.BytesIO(everyone.data))
    assert sorted(archive.namelist()) == sorted([e.file for e in everyone.entries] + ["index.csv"])
    assert [(r["counterparty_id"], r["closing_balance"]) for r in index_of(archive)] == [
        ("K1", "300.50"),
        ("K2", "200.00"),
    ]
    assert "Сальдо конечное 200,00" in pdf_text(archive.read(everyone.entries[1].file))

    # In the first quarter K2 has neither documents nor a balance: no act for it.
    assert [(e.counterparty_id, e.closing) for e in quarter.entries] == [("K1", 20_050)]
    assert quarter.entries[0].file.endswith(".xlsx")

    # Per contract: C2 is settled (S3 closed by P2) but had documents; with_balance drops it.
    assert [(e.contract, e.closing) for e in contracts.entries] == [
        ("№ Д-1/25 от 01.01.2025", 30_050),
        ("№ Д-2/25 от 01.01.2025", 0),
        ("№ П-7 от 01.01.2025", 20_000),
    ]
    assert [e.contract for e in contracts_with_balance.entries] == ["№ Д-1/25 от 01.01.2025", "№ П-7 от 01.01.2025"]

    # A manager's batch holds their clients only, down to the index and the file names.
    assert [e.counterparty_id for e in sidorov.entries] == ["K2"]
    names = zipfile.ZipFile(io.BytesIO(sidorov.data)).namelist()
    assert not any("K1" in n or "Ромашка" in n for n in names)


def test_file_names_are_safe() -> None:
    stem = file_stem("K/1", 'ООО "А/Б: В*Г?"', "№ 1/2 от 01.01.2025", "RUB", date(2025, 1, 1), date(2025, 3, 31))
    assert stem == "K_1_ООО_А_Б_В_Г_1_2_от_01.01.2025_RUB_20250101-20250331"
    assert not set(stem) & set('\\/:*?"<>| ')


# --------------------------------------------------------------------------------------- the CLI


def test_cli_act_pdf_and_zip(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    assert invoke("load", str(source(tmp_path)), "--db", db).returncode == 0
    period = ("--from", "2025-01-01", "--to", "2025-12-31", "--db", db)

    done = invoke(
        "export", "act", "--counterparty", "K1", *period, "-o", str(tmp_path / "act.pdf"), "--signer", "Смирнова"
    )
    assert done.returncode == 0, done.stderr
    assert "act: the reconciliation act written to" in done.stdout
    assert "Сальдо конечное 300,50" in pdf_text((tmp_path / "act.pdf").read_bytes())

    done = invoke("export", "act", "--all", *period, "--manager", "Сидоров С.С.", "-o", str(tmp_path / "acts.zip"))
    assert done.returncode == 0, done.stderr
    assert "act: 1 acts written to" in done.stdout
    archive = zipfile.ZipFile(tmp_path / "acts.zip")
    assert [r["counterparty_id"] for r in index_of(archive)] == ["K2"]

    done = invoke(
        "export", "act", "--all", *period, "--per-contract", "--format", "xlsx", "-o", str(tmp_path / "c.zip")
    )
    assert done.returncode == 0, done.stderr
    assert sum(n.endswith(".xlsx") for n in zipfile.ZipFile(tmp_path / "c.zip").namelist()) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--all", "-o", "acts.pdf"), "export act --all writes a .zip of acts"),
        (("--counterparty", "K1", "-o", "acts.zip"), "a .zip holds many acts: use --all"),
        (("--counterparty", "K1", "--manager", "X", "-o", "a.pdf"), "--manager choose acts for --all"),
        (("--all", "--contract", "C1", "-o", "a.zip"), "with --all use --per-contract"),
    ],
)
def test_cli_act_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    done = invoke("export", "act", "--from", "2025-01-01", "--to", "2025-03-31", "--db", db, *args, cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert not list(tmp_path.glob("a*.*"))  # nothing written


def test_cli_act_wrong_suffix(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    args = ("--counterparty", "K1", "--from", "2025-01-01", "--to", "2025-03-31", "--db", db, "-o", "act.txt")
    done = invoke("export", "act", *args, cwd=tmp_path)
    assert done.returncode == 1
    assert "must end with .csv, .xlsx, .pdf or .zip (with --all)" in done.stderr


# ------------------------------------------------------------------- demo data: acts agree with aging


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    write_demo_source(folder, scale=1500, seed=11, end=END)
    return folder


def test_batch_closings_equal_aging(engine: Engine, demo_folder: Path) -> None:
    load_paths(engine, [demo_folder], company_inn=COMPANY_INN, company_name=COMPANY_NAME)
    date_from, date_to = END - timedelta(days=120), END - timedelta(days=15)
    with engine.connect() as conn:
        batch = acts_zip(conn, Config(), date_from=date_from, date_to=date_to, with_balance=True)
        by_contract = acts_zip(
            conn, Config(), date_from=date_from, date_to=date_to, per_contract=True, with_balance=True
        )
        by_counterparty = aging(conn, as_of=date_to, by="counterparty")
        contracts = aging(conn, as_of=date_to, by="contract")

    expected = {
        (r["counterparty_id"], r["currency"]): r["balance"]
        for r in by_counterparty.group_by("counterparty_id", "currency").agg(pl.col("balance").sum()).to_dicts()
        if r["balance"] != 0
    }
    assert {(e.counterparty_id, e.currency): e.closing for e in batch.entries} == expected
    assert len(expected) > 20

    per_contract = {
        r["contract_id"]: r["balance"]
        for r in contracts.filter(pl.col("contract_id").is_not_null() & (pl.col("balance") != 0)).to_dicts()
    }
    assert {e.contract_id: e.closing for e in by_contract.entries} == per_contract

    archive = zipfile.ZipFile(io.BytesIO(batch.data))
    index = {r["file"]: r for r in index_of(archive)}
    biggest = max(batch.entries, key=lambda e: abs(e.closing))
    assert index[biggest.file]["closing_balance"] == format_money(biggest.closing)
    text = pdf_text(archive.read(biggest.file))
    assert f"между {COMPANY_NAME} и {biggest.counterparty_name}" in text  # the company the demo stored
    assert "Сальдо конечное" in text
