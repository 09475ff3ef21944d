"""The currency of a payment and of an act (contract section 1, "Currency of a payment").

K1 deals in USD only (C1); K2 in RUB (C2) and USD (C3). Each is shipped on 10.01.2025, terms 0:
S1 100,00 USD (C1), S2 50,00 RUB (C2), S3 70,00 USD (C3). Payments without a contract:
- P1 60,00 from K1, no currency: all K1's contracts are in USD, so it is USD and closes S1 to 40,00
  (it used to become a RUB advance of 60,00 that closed nothing, and S1 stayed 100,00 overdue);
- P2 30,00 from K2, no currency: K2 has two currencies, so RUB; it closes S2 to 20,00;
- P3 10,00 from K2 in USD (its currency column): it closes S3 to 60,00.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from etl.load import load_paths
from queries.aging import aging
from tests.helpers.cli import invoke
from tests.helpers.ledgers import write_files

FILES = {
    "counterparties.csv": """
counterparty_id,name
K1,Globex LLC
K2,ООО «Две валюты»
""",
    "contracts.csv": """
contract_id,counterparty_id,number,currency,terms_days
C1,K1,G-1,USD,0
C2,K2,Р-2,RUB,0
C3,K2,В-3,USD,0
""",
    "shipments.csv": """
document_id,contract_id,date,amount
S1,C1,2025-01-10,100
S2,C2,2025-01-10,50
S3,C3,2025-01-10,70
""",
    "payments.csv": """
document_id,date,amount,counterparty_id,currency
P1,2025-01-20,60,K1,
P2,2025-01-20,30,K2,
P3,2025-01-21,10,K2,USD
""",
}


def test_a_payment_without_a_contract_is_in_its_counterpartys_only_currency(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [write_files(tmp_path / "src", FILES)])
    with engine.connect() as conn:
        rows = aging(conn, as_of=date(2025, 1, 31), by="counterparty").sort("counterparty_id", "currency")
    assert rows.select("counterparty_id", "currency", "balance", "advance", "overdue").rows() == [
        ("K1", "USD", 4000, 0, 4000),
        ("K2", "RUB", 2000, 0, 2000),
        ("K2", "USD", 6000, 0, 6000),
    ]


def test_the_act_is_in_the_counterpartys_currency_or_says_which_to_choose(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    assert invoke("load", str(write_files(tmp_path / "src", FILES)), "--db", db).returncode == 0
    period = ("--from", "2025-01-01", "--to", "2025-01-31", "--db", db)

    # K1 deals in USD only: its act is in USD (it used to be in RUB, every amount 0.00).
    out = tmp_path / "k1.csv"
    done = invoke("export", "act", "--counterparty", "K1", *period, "-o", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as handle:
        rows = [(r["kind"], r["debit"], r["credit"]) for r in csv.DictReader(handle)]
    assert rows[1:3] == [("document", "100.00", ""), ("document", "", "60.00")]  # S1, then P1
    assert rows[-1] == ("closing", "40.00", "")

    # K2 deals in two: the act asks which; a currency K1 does not deal in names the one it does.
    asked = invoke("export", "act", "--counterparty", "K2", *period, "-o", str(tmp_path / "k2.csv"))
    assert asked.returncode == 1
    assert "counterparty K2 has contracts in RUB, USD: choose the act's currency" in asked.stderr
    wrong = invoke("export", "act", "--counterparty", "K1", "--currency", "RUB", *period, "-o", str(tmp_path / "x.csv"))
    assert wrong.returncode == 1
    assert "counterparty K1 has no documents in RUB; its currencies: USD" in wrong.stderr
    chosen = invoke(
        "export", "act", "--counterparty", "K2", "--currency", "USD", *period, "-o", str(tmp_path / "k2.csv")
    )
    assert chosen.returncode == 0, chosen.stderr
