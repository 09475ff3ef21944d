"""due_before_date: a shipment due before its own date loads (nothing lost) and is shown for checking.

K1 «Альфа», C1 terms 0. As of 15.03.2025:
- S1 dated 10.03.2025, due 01.03.2025 (typed wrong, or day and month swapped): 100,00 open, 9 days before
  its date; it is also overdue 14 days;
- S2 dated 05.03.2025, due 03.05.2025: fine;
- S3 dated 12.03.2025, due 02.03.2025, paid in full on 13.03.2025: closed, nothing to check;
- OB1, an opening balance dated 01.03.2025 and due 01.02.2025: debt already overdue at the cut-over, as
  usual, not a mistake.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from dashboard.services.wording import exception_details
from etl.load import load_paths
from queries.exceptions import exceptions
from tests.helpers.ledgers import write_files

LEDGER = {
    "counterparties.csv": "counterparty_id,name\nK1,ООО «Альфа»\n",
    "contracts.csv": "contract_id,counterparty_id,number,terms_days\nC1,K1,Д-1,0\n",
    "opening_balances.csv": "document_id,contract_id,date,amount,due_date\nOB1,C1,2025-03-01,50,2025-02-01\n",
    "shipments.csv": (
        "document_id,contract_id,date,amount,due_date,number\n"
        "S1,C1,2025-03-10,100,2025-03-01,УПД-1\n"
        "S2,C1,2025-03-05,70,2025-05-03,УПД-2\n"
        "S3,C1,2025-03-12,30,2025-03-02,УПД-3\n"
    ),
    "allocations.csv": "payment_id,shipment_id,amount\nP1,S3,30\n",
    "payments.csv": "document_id,date,amount,contract_id\nP1,2025-03-13,30,C1\n",
}


def test_a_shipment_due_before_its_date_is_flagged_while_open(engine: Engine, tmp_path: Path) -> None:
    result = load_paths(engine, [write_files(tmp_path / "src", LEDGER)])
    assert result.rejected_rows == 0
    with engine.connect() as conn:
        found = exceptions(conn, as_of=date(2025, 3, 15))
    flagged = found.filter(found["code"] == "due_before_date")
    assert flagged.select("severity", "document_id", "amount", "days").rows() == [("medium", "S1", 10000, 9)]
    overdue = found.filter(found["code"] == "overdue").sort("document_id")
    assert overdue.select("document_id", "days").rows() == [("OB1", 42), ("S1", 14)]
    assert exception_details(flagged, "ru")[0] == (
        "Срок оплаты на 9 дн. раньше даты документа: УПД-1 от 10.03.2025, остаток 100,00 ₽"
    )
    assert exception_details(flagged, "en")[0] == "Due 9 d before its own date: УПД-1 of 2025-03-10, open 100.00 RUB"
