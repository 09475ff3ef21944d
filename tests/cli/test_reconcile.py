"""`receivables reconcile` as a script sees it (contract section 5, «Two-sided reconciliation»): the CSV to
the byte, the XLSX opened back, our own act sent back with the client's half typed in, exit codes and the
audit row; on the small ledger of tests/helpers/ledgers.py.

K1's act for 01.01.2025-31.03.2025: opening 0,00; 10.01 УПД-1 +1 000,00; 15.01 УПД-3 +300,50; 20.01 УПД-2
+500,00; 01.02 п/п 11 -1 200,00; 05.02 п/п 12 -400,00; closing 200,50 (tests/dashboard/services/test_acts.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, select

import warehouse
from tests.helpers.cli import invoke
from tests.helpers.their_acts import CLIENT, COMPANY, TheirLine, act_sheet, csv_bytes, write_xlsx

PERIOD = ("--counterparty", "K1", "--from", "2025-01-01", "--to", "2025-03-31")
# The client's books as they print them (their side: our shipment is their credit, their payment their debit)
THEIRS = [
    TheirLine(date(2025, 1, 10), "Поступление (акт, накл.) УПД-1 от 10.01.2025", 0, 1_000_00),
    TheirLine(date(2025, 1, 20), "Поступление (акт, накл.) УПД-2 от 20.01.2025", 0, 500_00),
    TheirLine(date(2025, 2, 3), "Платежное поручение № 11 от 01.02.2025", 1_200_00, 0),  # booked 2 days later
    TheirLine(date(2025, 2, 5), "Платежное поручение № 12 от 05.02.2025", 400_00, 0),
    TheirLine(date(2025, 2, 5), "Платежное поручение № 13 от 05.02.2025", 100_00, 0),  # we have not got it
]
# Their closing: 0 - 1 000,00 - 500,00 + 1 200,00 + 400,00 + 100,00 = 200,00 in their debit: mirrored -200,00.
# Ours 200,50: 400,50 = 300,50 (УПД-3 only ours) + 100,00 (п/п 13 only theirs, -100,00 mirrored: 0 - (-100)).
EXPECTED = [
    "status,our_date,our_document,our_amount,their_date,their_document,their_amount,difference",
    "matched,2025-01-10,Реализация (№ УПД-1 от 10.01.2025),1000.00,"
    '2025-01-10,"Поступление (акт, накл.) УПД-1 от 10.01.2025",1000.00,0.00',
    "only_ours,2025-01-15,Реализация (№ УПД-3 от 15.01.2025),300.50,,,,300.50",
    "matched,2025-01-20,Реализация (№ УПД-2 от 20.01.2025),500.00,"
    '2025-01-20,"Поступление (акт, накл.) УПД-2 от 20.01.2025",500.00,0.00',
    "date_differs,2025-02-01,Оплата (п/п № 11 от 01.02.2025),-1200.00,"
    "2025-02-03,Платежное поручение № 11 от 01.02.2025,-1200.00,0.00",
    "matched,2025-02-05,Оплата (п/п № 12 от 05.02.2025),-400.00,2025-02-05,Платежное поручение № 12 от 05.02.2025,"
    "-400.00,0.00",
    "only_theirs,,,,2025-02-05,Платежное поручение № 13 от 05.02.2025,-100.00,100.00",
    "balance,2025-03-31,,200.50,2025-03-31,,-200.00,400.50",
]


@pytest.fixture
def loaded(small_ledger: str, tmp_path: Path) -> str:
    (tmp_path / "receivables.toml").write_text(
        f'[company]\nname = "{COMPANY}"\n[auth]\nmode = "oidc"\n[auth.users]\n'
        '"m2@firm.ru" = { role = "manager", manager = "Сидоров С.С." }\n',
        encoding="utf-8",
    )
    return small_ledger


def their_act(tmp_path: Path, name: str = "their.xlsx") -> Path:
    sheet = act_sheet(
        date_from=date(2025, 1, 1), date_to=date(2025, 3, 31), first_name=CLIENT, second_name=COMPANY, first=(0, THEIRS)
    )
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_bytes(csv_bytes(sheet, encoding="cp1251"))
        return path
    return write_xlsx(sheet, path)


def test_csv_exactly_and_the_audit_row(loaded: str, tmp_path: Path) -> None:
    done = invoke("reconcile", *PERIOD, str(their_act(tmp_path)), "-o", "out/r.csv", "--db", loaded, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert (tmp_path / "out/r.csv").read_text(encoding="utf-8").splitlines() == EXPECTED
    assert done.stdout == "reconcile: 3 differences, the closing balances differ by 400.50; written to out/r.csv\n"
    engine = create_engine(loaded)
    try:
        with engine.connect() as conn:
            audit = conn.execute(select(warehouse.audit_log)).mappings().all()
    finally:
        engine.dispose()
    assert [(a["action"], a["subject"], a["detail"], a["rows"]) for a in audit] == [
        ("export", "reconcile K1 2025-01-01..2025-03-31 their.xlsx", "r.csv", 7)
    ]


def test_a_csv_act_gives_the_same_table_and_the_xlsx_both_halves(loaded: str, tmp_path: Path) -> None:
    done = invoke(
        "reconcile", *PERIOD, str(their_act(tmp_path, "акт.csv")), "-o", "r.csv", "--db", loaded, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines() == EXPECTED
    done = invoke("reconcile", *PERIOD, str(their_act(tmp_path)), "-o", "r.xlsx", "--db", loaded, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["Акт сверки", "Расхождения"]
    rows = [[c.value for c in row] for row in book["Акт сверки"].iter_rows()]
    theirs_only = next(r for r in rows if r[5] == "Платежное поручение № 13 от 05.02.2025")
    assert theirs_only[:4] == [None, None, None, None]  # nothing of ours on that row
    assert (theirs_only[6], theirs_only[8], theirs_only[9]) == (100, "Только у контрагента", 100)
    table = [[c.value for c in row] for row in book["Расхождения"].iter_rows()]
    assert [r[0] for r in table] == [
        "Статус", "Совпадает", "Только у нас", "Совпадает", "Другая дата", "Совпадает", "Только у контрагента",
        "Конечное сальдо",
    ]  # fmt: skip


def test_our_own_act_sent_back_with_their_half_typed_in(loaded: str, tmp_path: Path) -> None:
    """`export act -o act.xlsx`, the client types its half (our debit in their credit, our credit in their
    debit, one payment typed 410,00), and sends it back: only that payment differs, by -400 - (-410) = 10,00."""
    done = invoke("export", "act", *PERIOD, "-o", "act.xlsx", "--db", loaded, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    book = load_workbook(tmp_path / "act.xlsx")
    ws = book.active
    assert ws is not None
    header = next(r for r in range(1, 40) if ws.cell(r, 1).value == "Дата")
    for row in range(header + 1, header + 9):  # opening, 5 documents, turnover, closing
        ws.cell(row, 5).value = ws.cell(row, 1).value
        ws.cell(row, 6).value = ws.cell(row, 2).value
        ws.cell(row, 7).value = ws.cell(row, 4).value  # their debit: our credit
        ws.cell(row, 8).value = ws.cell(row, 3).value
    ws.cell(header + 6, 7).value = 410  # п/п 12
    ws.cell(header + 7, 7).value = 1610  # their turnover follows their lines
    ws.cell(header + 8, 5).value, ws.cell(header + 8, 8).value = ws.cell(header + 8, 1).value, 190.5  # and closing
    book.save(tmp_path / "back.xlsx")
    done = invoke("reconcile", *PERIOD, "back.xlsx", "-o", "r.csv", "--db", loaded, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["matched"] * 4 + ["amount_differs", "balance"]
    assert lines[5].endswith(",-410.00,10.00")
    assert lines[6] == "balance,2025-03-31,,200.50,2025-03-31,,190.50,10.00"


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("not-an-act.csv", "-o", "r.csv"), 1, "no reconciliation act"),
        (("their.xlsx", "-o", "r.pdf"), 2, "must end with .csv or .xlsx"),
        (("missing.xlsx", "-o", "r.csv"), 2, "missing.xlsx: no such file"),
        (("their.xlsx", "-o", "r.csv", "--counterparty", "K9"), 1, "no act for counterparty K9"),
        (("their.xlsx", "-o", "r.csv", "--as-user", "m2@firm.ru"), 1, "no act for counterparty K1"),
        (("their.xlsx", "-o", "r.csv", "--from", "2025-04-01"), 2, "the period starts after it ends"),
    ],
)
def test_exit_codes(loaded: str, tmp_path: Path, args: tuple[str, ...], code: int, words: str) -> None:
    their_act(tmp_path)
    (tmp_path / "not-an-act.csv").write_text("document_id,date,amount\nS1,2025-01-10,100\n", encoding="utf-8")
    done = invoke("reconcile", *PERIOD, *args, "--db", loaded, cwd=tmp_path)
    assert done.returncode == code
    assert words in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "r.csv").exists()
    if code == 1:
        assert len(done.stderr.splitlines()) == 1
