"""Lists saved from 1C («Вывести список…» → XLSX) load as they are (contract section 1, "Lists and reports
saved from 1C"): Russian file names and headings, `Код` as the id, counterparties and contracts by name or
INN, documents keyed by number and date, currency words. The same ledger as canonical CSV gives the same
aging and act, on SQLite and PostgreSQL.

The ledger, worked out by hand:
- ООО «Ромашка» (Код 000000001): «Основной договор» (000000011, 10 working days, limit 100 000,00) and
  «Договор № 15/2025 от 10.01.2025» (000000012, no name of its own, 30 calendar days);
  ИП Петров (000000002): «Договор поставки в USD» № П-7 (000000013, `долл.`, terms 0), named by his INN.
- Shipments (no Код column, so keyed «number от date»): ВО-1 13.01.2025 1 000,00 on 000000011, due
  27.01.2025 (the 10th working day after it); ВО-2 20.01.2025 500,00 on «Договор № 15/2025 от 10.01.2025»,
  due 19.02.2025; ВО-3 21.01.2025 300,50 USD on contract number П-7, due the same day; ВО-1 again on
  12.01.2026 200,00: another year, another document.
- Payments: № 11 01.02.2025 1 200,00 on «Основной договор»: closes ВО-1, 200,00 is left as the contract's
  advance (it closes the 2026 ВО-1 when that comes); № 12 05.02.2025 100,00 from Петров with no contract:
  in USD, his only currency, so ВО-3 has 200,50 open.
- As of 28.02.2025: 000000011 has an advance of 200,00; 000000012 500,00 overdue (9 days); 000000013
  200,50 USD overdue (38 days).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, text

from etl.load import load_paths
from queries.act import act
from queries.aging import aging
from queries.exceptions import exceptions
from tests.helpers.ledgers import write_files

COUNTERPARTIES = [
    ["Наименование", "Код", "ИНН", "КПП", "Ответственный", "Эл. почта"],
    ["ООО «Ромашка»", "000000001", "7707083893", "773601001", "Иванов И.И.", "buh@romashka.ru"],
    ["ИП Петров Пётр Петрович", "000000002", "500100732259", None, "Сидоров С.С.", None],
    ["ООО «Вектор»", "000000003", "7736207543", None, None, None],
    ["ООО «Вектор»", "000000004", None, None, None, None],  # a branch of the same name
]
CONTRACTS = [
    [
        "Наименование",
        "Код",
        "Владелец",
        "Номер",
        "Дата",
        "Валюта взаиморасчетов",
        "Срок оплаты (дней)",
        "Вид срока",
        "Допустимая сумма задолженности",
    ],
    ["Основной договор", "000000011", "ООО «Ромашка»", "б/н", date(2025, 1, 9), "руб.", 10, "рабочих дней", 100000],
    [None, "000000012", "ООО «Ромашка»", "15/2025", date(2025, 1, 10), "руб.", 30, "календарных дней", None],
    ["Договор поставки в USD", "000000013", "500100732259", "П-7", date(2025, 1, 1), "долл.", 0, "календарных", None],
    ["Основной договор", "000000014", "ООО «Вектор»", "1", date(2025, 1, 1), "руб.", 0, None, None],
]
SHIPMENTS = [
    ["Номер", "Дата", "Контрагент", "Договор", "Сумма документа", "Склад"],
    ["ВО-1", date(2025, 1, 13), 'ООО "Ромашка"', "Основной договор", 1000, "Основной"],
    ["ВО-2", date(2025, 1, 20), "ооо «ромашка»", "Договор № 15/2025 от 10.01.2025", 500, None],
    ["ВО-3", date(2025, 1, 21), "500100732259", "П-7", 300.5, None],
    ["ВО-1", date(2026, 1, 12), "ООО «Ромашка»", "Основной договор", 200, None],
    ["ВО-4", date(2025, 1, 22), "ООО «Нет такого»", "Основной договор", 50, None],
    ["ВО-5", date(2025, 1, 22), "ООО «Ромашка»", "Договор № 99 от 01.01.2025", 70, None],
]
PAYMENTS = [
    ["Номер", "Дата", "Контрагент", "Договор", "Сумма документа", "Назначение платежа"],
    ["11", date(2025, 2, 1), "ООО «Ромашка»", "Основной договор", 1200, "Оплата по договору"],
    ["12", date(2025, 2, 5), "ИП Петров Пётр Петрович", None, 100, "Оплата"],
]

# The same ledger as canonical CSV: ids where the lists have names.
CANONICAL = {
    "counterparties.csv": """
counterparty_id;name;inn;kpp;manager;email
000000001;ООО «Ромашка»;7707083893;773601001;Иванов И.И.;buh@romashka.ru
000000002;ИП Петров Пётр Петрович;500100732259;;Сидоров С.С.;
000000003;ООО «Вектор»;7736207543;;;
000000004;ООО «Вектор»;;;;
""",
    "contracts.csv": """
contract_id,counterparty_id,number,date,currency,terms_days,terms_basis,credit_limit,name
000000011,000000001,б/н,2025-01-09,RUB,10,working,100000,Основной договор
000000012,000000001,15/2025,2025-01-10,RUB,30,calendar,,
000000013,000000002,П-7,2025-01-01,USD,0,calendar,,Договор поставки в USD
""",
    "shipments.csv": """
document_id,contract_id,date,amount,number,warehouse
ВО-1 от 13.01.2025,000000011,2025-01-13,1000,ВО-1,Основной
ВО-2 от 20.01.2025,000000012,2025-01-20,500,ВО-2,
ВО-3 от 21.01.2025,000000013,2025-01-21,300.50,ВО-3,
ВО-1 от 12.01.2026,000000011,2026-01-12,200,ВО-1,
""",
    "payments.csv": """
document_id,date,amount,contract_id,counterparty_id,number,purpose
11 от 01.02.2025,2025-02-01,1200,000000011,,11,Оплата по договору
12 от 05.02.2025,2025-02-05,100,,000000002,12,Оплата
""",
}


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "TDSheet"  # as 1C names the sheet it saves
    for row in rows:
        sheet.append(row)
    book.save(path)


def lists_folder(folder: Path) -> Path:
    folder.mkdir(parents=True)
    write_xlsx(folder / "Контрагенты.xlsx", COUNTERPARTIES)
    write_xlsx(folder / "Договоры с контрагентами.xlsx", CONTRACTS)
    write_xlsx(folder / "Реализация товаров и услуг.xlsx", SHIPMENTS)
    write_xlsx(folder / "Поступления на расчетный счет.xlsx", PAYMENTS)
    return folder


def test_1c_lists_load_by_names_and_numbers(engine: Engine, tmp_path: Path) -> None:
    result = load_paths(engine, [lists_folder(tmp_path / "1c")])

    assert {f.entity for f in result.files} == {"counterparties", "contracts", "shipments", "payments"}
    new = {entity: c.new for entity, c in result.counts.items()}
    assert new == {"counterparties": 4, "contracts": 3, "shipments": 4, "payments": 2}
    with engine.connect() as conn:
        rejects = conn.execute(
            text("SELECT kind, entity, line, column_name, value, reason FROM rejects ORDER BY entity, line")
        ).all()
        stored = conn.execute(
            text("SELECT contract_id, counterparty_id, name, currency, terms_basis FROM contracts ORDER BY 1")
        ).all()
        keys = (
            conn.execute(text("SELECT document_id FROM documents WHERE kind = 'shipment' ORDER BY 1")).scalars().all()
        )
        rows = aging(conn, as_of=date(2025, 2, 28), by="contract").sort("contract_id")
    assert [tuple(r) for r in stored] == [
        ("000000011", "000000001", "Основной договор", "RUB", "working"),
        ("000000012", "000000001", "", "RUB", "calendar"),
        ("000000013", "000000002", "Договор поставки в USD", "USD", "calendar"),
    ]
    assert list(keys) == ["ВО-1 от 12.01.2026", "ВО-1 от 13.01.2025", "ВО-2 от 20.01.2025", "ВО-3 от 21.01.2025"]
    assert rows.select("contract_id", "currency", "balance", "advance", "overdue", "max_days_overdue").rows() == [
        ("000000011", "RUB", -20000, 20000, 0, 0),
        ("000000012", "RUB", 50000, 0, 50000, 9),
        ("000000013", "USD", 20050, 0, 20050, 38),
    ]

    # Names that match nothing or several are references, retried later, with the candidates listed.
    assert [(r.kind, r.entity, r.line, r.column_name, r.value) for r in rejects] == [
        ("reference", "contracts", 5, "counterparty_id", "ООО «Вектор»"),
        ("reference", "shipments", 6, "counterparty_id", "ООО «Нет такого»"),
        ("reference", "shipments", 7, "contract_id", "Договор № 99 от 01.01.2025"),
    ]
    reasons = [r.reason for r in rejects]
    assert reasons[0] == "several counterparties are called so: 000000003, 000000004"
    assert reasons[1].startswith("unknown counterparty (no such code, INN or name)")
    assert reasons[2] == (
        "unknown contract of counterparty 000000001; its contracts: Основной договор (000000011), "
        "Договор № 15/2025 от 10.01.2025 (000000012)"
    )


def test_1c_lists_and_canonical_csv_give_the_same_aging_acts_and_exceptions(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    load_paths(engine, [lists_folder(tmp_path / "1c")])
    other_url = f"sqlite:///{tmp_path / 'canonical.db'}"
    from warehouse.engine import make_engine

    canonical = make_engine(other_url, pooled=False)
    load_paths(canonical, [write_files(tmp_path / "csv", CANONICAL)])

    def picture(e: Engine) -> tuple[pl.DataFrame, ...]:
        with e.connect() as conn:
            return (
                aging(conn, as_of=date(2025, 2, 28), by="contract").sort("contract_id"),
                aging(conn, as_of=date(2026, 1, 31), by="counterparty").sort("counterparty_id", "currency"),
                # The 1C lists' three reference rejects aside, the list of exceptions is the same.
                exceptions(conn, as_of=date(2025, 2, 28))
                .filter(pl.col("code") != "rejected_row")
                .sort("code", "document_id", "contract_id"),
                act(conn, counterparty_id="000000001", date_from=date(2025, 1, 1), date_to=date(2026, 1, 31)),
                act(
                    conn,
                    counterparty_id="000000002",
                    date_from=date(2025, 1, 1),
                    date_to=date(2025, 12, 31),
                    currency="USD",
                ),
            )

    for ours, theirs in zip(picture(engine), picture(canonical), strict=True):
        assert ours.height > 0
        assert ours.equals(theirs), f"{ours}\n{theirs}"
    canonical.dispose()


@pytest.mark.parametrize(
    ("text_value", "expected"),
    [
        ("руб.", "RUB"),
        ("RUR", "RUB"),
        ("643", "RUB"),
        ("долл.", "USD"),
        ("840", "USD"),
        ("евро", "EUR"),
        ("юань", "CNY"),
    ],
)
def test_currency_words(text_value: str, expected: str) -> None:
    from domain.currencies import currency_code

    assert currency_code(text_value) == expected
