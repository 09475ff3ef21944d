"""The ledgers tests load: source folders written from literals, hand-made or generated.

- The small ledger (`source`): K1 «Ромашка» with C1 (30 calendar days, limit 100 000,00) and C2 (10 working
  days), K2 «Петров» with C3 (terms 0, limit 5 000,50); shipments S1-S5, payments P1 (on C1) and P2 (K1's,
  no contract). Its due dates and FIFO are worked out in tests/etl/load/test_load_paths.py; most tests of
  queries, services, pages, the CLI and the browser run on it, and their docstrings work out what they
  assert from it.
- BY_CONTRACT: four contracts of three counterparties as of Monday 31.03.2025 (BY_CONTRACT_AS_OF), worked
  out in tests/queries/test_contracts.py and read again by tests/queries/test_documents.py.
- source_folders: a hypothesis strategy of small but tangled folders, bad rows included.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st


def write_files(folder: Path, files: dict[str, str], encoding: str = "utf-8") -> Path:
    """Write each file's text as 1C would (CRLF line ends, in `encoding`) into folder; returns folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content.strip("\n").replace("\n", "\r\n").encode(encoding) + b"\r\n")
    return folder


# ------------------------------------------------------------------------------------ the small ledger

COUNTERPARTIES = """
counterparty_id;name;inn;kpp;manager;email;group
K1;ООО «Ромашка»;7707083893;773601001;Иванов И.И.;buh@romashka.ru;Сети
K2;ИП Петров Пётр Петрович;500100732259;;Сидоров С.С.;petrov@mail.ru, p2@mail.ru;Розница
"""

CONTRACTS = """
contract_id,counterparty_id,number,date,currency,terms_days,terms_basis,credit_limit
C1,K1,Д-1/25,2025-01-01,RUB,30,calendar,100000
C2,K1,Д-2/25,01.01.2025,,10,working,
C3,K2,П-7,2025-01-01,RUB,0,calendar,5000.50
"""

SHIPMENTS = """
document_id,contract_id,date,amount,number,due_date,vat,warehouse
S1,C1,2025-01-10,"1 000,00",УПД-1,,166.67,Основной
S2,C1,2025-01-20,500,УПД-2,,,
S3,C2,2025-01-15,300.50,УПД-3,,,
S4,C3,2025-12-02,200,УПД-4,,,
S5,C1,2025-12-02,100,УПД-5,,,
"""

PAYMENTS = """
document_id,date,amount,contract_id,counterparty_id,number,purpose
P1,2025-02-01,1200,C1,,11,Оплата по договору Д-1/25
P2,2025-02-05,400,,K1,12,Оплата
"""


def source(tmp_path: Path, *, advance: bool = False) -> Path:
    """The small ledger written as a source folder, tmp_path/src, as 1C exports it. With `advance`, P3 too:
    1 000,00 paid by K1 as a whole on 05.12.2025, which closes S2's 200,50 and S5's 100,00 and leaves 699,50
    as an advance."""
    payments = PAYMENTS.rstrip("\n") + "\nP3,2025-12-05,1000,,K1,13,Аванс\n" if advance else PAYMENTS
    return write_files(
        tmp_path / "src",
        {
            "counterparties.csv": COUNTERPARTIES,
            "contracts.csv": CONTRACTS,
            "shipments.csv": SHIPMENTS,
            "payments.csv": payments,
        },
    )


# ---------------------------------------------------------------------- receivables by contract (31.03.2025)

BY_CONTRACT = {
    "counterparties.csv": (
        "counterparty_id,name,manager,group\nK1,Альфа,Анна,Сети\nK2,Бета,Борис,Розница\nK3,Гамма,Анна,Сети\n"
    ),
    "contracts.csv": (
        "contract_id,counterparty_id,number,currency,terms_days,terms_basis,credit_limit\n"
        "C1,K1,Д-1,RUB,10,calendar,1000\n"
        "C2,K1,Д-2,RUB,5,working,\n"
        "C3,K2,Д-3,RUB,0,calendar,0\n"
        "C4,K3,Д-4,RUB,0,calendar,\n"
    ),
    "shipments.csv": (
        "document_id,contract_id,date,amount,number,due_date\n"
        "S1,C1,2025-03-03,300,101,\n"
        "S2,C1,2025-03-20,200,102,\n"
        "S3,C1,2025-03-21,100,103,2025-03-31\n"
        "S4,C1,2025-01-10,400,100,\n"
        "S5,C2,2025-03-25,123.45,201,\n"
        "S6,C3,2025-03-10,30,301,\n"
    ),
    "payments.csv": (
        "document_id,date,amount,contract_id,counterparty_id,number\n"
        "P1,2025-02-01,350,C1,,77\n"
        "P2,2025-03-05,10,,K2,78\n"
        "P3,2025-03-15,500,,K3,79\n"
    ),
}

BY_CONTRACT_AS_OF = date(2025, 3, 31)


# ------------------------------------------------------------------------------------ generated folders

GENERATED_START = date(2025, 1, 1)  # generated documents are dated up to 120 days after it
INNS = ["7707083893", "500100732259", "7728168971"]


@st.composite
def source_folders(draw: st.DrawFn) -> dict[str, str]:
    """A small but tangled source folder: several contracts, all document kinds, some bad rows."""
    seed = draw(st.integers(0, 2**32 - 1))
    rnd = random.Random(seed)
    n_cp = rnd.randint(1, 3)
    counterparties = ["counterparty_id;name;inn"] + [f"K{i};Контрагент {i};{INNS[i]}" for i in range(n_cp)]
    contracts = ["contract_id,counterparty_id,number,terms_days,terms_basis,currency"]
    contract_ids = []
    for i in range(rnd.randint(1, 4)):
        contract_ids.append(f"C{i}")
        contracts.append(
            f"C{i},K{rnd.randrange(n_cp)},Д-{i},{rnd.choice([0, 5, 14, 30])},{rnd.choice(['calendar', 'working'])},"
            f"{rnd.choice(['RUB', 'RUB', 'RUB', 'USD'])}"
        )

    def day() -> str:
        return (GENERATED_START + timedelta(days=rnd.randint(0, 90))).isoformat()

    def money() -> str:
        return f"{rnd.randint(1, 200_000) / 100:.2f}" if rnd.random() > 0.05 else rnd.choice(["12.345", "abc", "-1"])

    shipments = ["document_id,contract_id,date,amount,due_date"]
    shipment_ids = []
    for i in range(rnd.randint(0, 12)):
        shipment_ids.append(f"S{i}")
        due = (GENERATED_START + timedelta(days=rnd.randint(91, 120))).isoformat() if rnd.random() < 0.2 else ""
        shipments.append(f"S{i},{rnd.choice([*contract_ids, 'C404'])},{day()},{money()},{due}")
    returns = ["document_id,contract_id,date,amount,shipment_id"]
    for i in range(rnd.randint(0, 3)):
        link = rnd.choice(["", *shipment_ids]) if shipment_ids else ""
        returns.append(f"R{i},{rnd.choice(contract_ids)},{day()},{money()},{link}")
    adjustments = ["document_id,contract_id,date,amount"]
    for i in range(rnd.randint(0, 3)):
        sign = rnd.choice(["", "-"])
        adjustments.append(f"A{i},{rnd.choice(contract_ids)},{day()},{sign}{rnd.randint(1, 5000) / 100:.2f}")
    openings = ["document_id,contract_id,date,amount"]
    for i in range(rnd.randint(0, 2)):
        openings.append(f"OB{i},{rnd.choice(contract_ids)},2024-12-31,{rnd.choice(['', '-'])}{money()}")
    payments = ["document_id,date,amount,contract_id,counterparty_id"]
    payment_ids = []
    for i in range(rnd.randint(0, 10)):
        payment_ids.append(f"P{i}")
        if rnd.random() < 0.6:
            payments.append(f"P{i},{day()},{money()},{rnd.choice(contract_ids)},")
        else:
            payments.append(f"P{i},{day()},{money()},,K{rnd.randrange(n_cp)}")
    allocations = ["payment_id,shipment_id,amount"]
    if payment_ids and shipment_ids:
        for _ in range(rnd.randint(0, 3)):
            allocations.append(
                f"{rnd.choice(payment_ids)},{rnd.choice(shipment_ids)},{rnd.randint(1, 50_000) / 100:.2f}"
            )
    return {
        "counterparties.csv": "\n".join(counterparties),
        "contracts.csv": "\n".join(contracts),
        "shipments.csv": "\n".join(shipments),
        "returns.csv": "\n".join(returns),
        "adjustments.csv": "\n".join(adjustments),
        "opening_balances.csv": "\n".join(openings),
        "payments.csv": "\n".join(payments),
        "allocations.csv": "\n".join(dict.fromkeys(allocations)),
    }
