"""The forecast's hand-made ledger (tests/queries/test_forecast.py works out what it gives).

K1 «Альфа» (group Сети) paid each of twelve monthly shipments exactly 10 days after its due date; on
FORECAST_AS_OF = 30.06.2025 it owes S20 100,00 due 05.07, S21 40,00 due 25.06, S22 30,00 due 15.06; K2 «Бета»
(group Сети, no history) owes S30 50,00 due 10.07.2025.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.helpers.ledgers import write_files

FORECAST_AS_OF = date(2025, 6, 30)


def forecast_files() -> dict[str, str]:
    shipments = ["document_id,contract_id,date,amount,due_date,number"]
    payments = ["document_id,date,amount,contract_id"]
    for month in range(12):  # shipped 01.06.2024 .. 01.05.2025, due a month later, paid 10 days after that
        shipped = date(2024 + (5 + month) // 12, (5 + month) % 12 + 1, 1)
        due = date(shipped.year + shipped.month // 12, shipped.month % 12 + 1, 1)
        shipments.append(f"S{month + 1},C1,{shipped},10,{due},УПД-{month + 1}")
        payments.append(f"P{month + 1},{due + timedelta(days=10)},10,C1")
    shipments += [
        "S20,C1,2025-06-20,100,2025-07-05,УПД-20",
        "S21,C1,2025-06-01,40,2025-06-25,УПД-21",
        "S22,C1,2025-05-20,30,2025-06-15,УПД-22",
        "S30,C2,2025-06-25,50,2025-07-10,УПД-30",
    ]
    return {
        "counterparties.csv": "counterparty_id,name,manager,group\nK1,Альфа,Анна,Сети\nK2,Бета,Борис,Сети\n",
        "contracts.csv": "contract_id,counterparty_id,number,currency\nC1,K1,Д-1,RUB\nC2,K2,Д-2,RUB\n",
        "shipments.csv": "\n".join(shipments),
        "payments.csv": "\n".join(payments),
    }


def forecast_source(tmp_path: Path) -> Path:
    return write_files(tmp_path / "src", forecast_files())
