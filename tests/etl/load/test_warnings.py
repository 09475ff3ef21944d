"""Bad descriptive values lose nothing (contract section 1): the row loads without the value, and the value
stands in the rejects list as a warning, apart from the rows that did not load.

The case from real data: a counterparty whose KPP is `21`. It used to be rejected whole, and then its
contract and every document of it became reference rejects: 1 500,00 of receivables silently missing.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, text

from etl.load import load_paths
from queries.aging import aging
from queries.exceptions import exceptions
from tests.helpers.cli import invoke
from tests.helpers.ledgers import write_files

FILES = {
    "counterparties.csv": """
counterparty_id;name;inn;kpp;email
K21;ООО «Двадцать один»;7707083893;21;buh@21.ru, не-почта
""",
    "contracts.csv": """
contract_id,counterparty_id,number,date,currency,terms_days
C21,K21,21/25,2025-01-01,RUB,10
""",
    "shipments.csv": """
document_id,contract_id,date,amount,vat,warehouse
S21,C21,2025-02-03,"1 500,00",сто,Основной
""",
}


def test_a_bad_kpp_costs_only_the_kpp(engine: Engine, tmp_path: Path) -> None:
    result = load_paths(engine, [write_files(tmp_path / "src", FILES)])

    assert result.rejected_rows == 0
    assert (result.counts["counterparties"].new, result.counts["contracts"].new, result.counts["shipments"].new) == (
        1,
        1,
        1,
    )
    assert (result.counts["counterparties"].warnings, result.counts["shipments"].warnings) == (2, 1)
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT inn, kpp, email FROM counterparties WHERE counterparty_id = 'K21'")).one()
        vat = conn.execute(text("SELECT vat FROM documents WHERE document_id = 'S21'")).scalar_one()
        warnings = conn.execute(
            text(
                "SELECT entity, line, column_name, value, reason FROM rejects WHERE kind = 'warning' ORDER BY reject_id"
            )
        ).all()
        # The debt is there: 1 500,00 due 13.02.2025 (10 calendar days), overdue on 01.03.2025.
        row = aging(conn, as_of=date(2025, 3, 1), by="contract").row(0, named=True)
        codes = exceptions(conn, as_of=date(2025, 3, 1))["code"].to_list()
    assert tuple(stored) == ("7707083893", "", "buh@21.ru")  # the good address of the two stays
    assert vat is None
    assert [(w[0], w[1], w[2], w[3]) for w in warnings] == [
        ("counterparties", 2, "kpp", "21"),
        ("counterparties", 2, "email", "не-почта"),
        ("shipments", 2, "vat", "сто"),
    ]
    assert all("loads" in w[4] for w in warnings)
    assert (row["contract_id"], row["balance"], row["overdue"]) == ("C21", 150000, 150000)
    assert "rejected_row" not in codes  # a warning is not a row that did not load


def test_warnings_are_in_export_rejects_and_leave_when_the_value_is_fixed(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    source = write_files(tmp_path / "src", FILES)
    loaded = invoke("load", str(source), "--db", db)
    assert loaded.returncode == 0, loaded.stderr
    assert "warnings: 3 bad descriptive values" in loaded.stdout

    exported = invoke("export", "rejects", "--db", db, "-o", str(tmp_path / "rejects.csv"))
    assert exported.returncode == 0, exported.stderr
    with (tmp_path / "rejects.csv").open(encoding="utf-8") as handle:
        listed = [(r["kind"], r["column"], r["value"]) for r in csv.DictReader(handle)]
    assert sorted(listed) == [("warning", "email", "не-почта"), ("warning", "kpp", "21"), ("warning", "vat", "сто")]

    # The corrected file replaces the warnings it caused; the strict load no longer sees anything wrong.
    write_files(
        source,
        {
            "counterparties.csv": FILES["counterparties.csv"].replace(";21;", ";773601001;").replace(", не-почта", ""),
            "shipments.csv": FILES["shipments.csv"].replace(",сто,", ",250,"),
        },
    )
    again = invoke("load", str(source), "--db", db, "--strict")
    assert again.returncode == 0, again.stdout + again.stderr
    exported = invoke("export", "rejects", "--db", db, "-o", str(tmp_path / "rejects2.csv"))
    with (tmp_path / "rejects2.csv").open(encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == []
