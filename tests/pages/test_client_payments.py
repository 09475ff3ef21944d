"""The client's payment history (pages/client_payments.py) through AppTest on the small ledger
(tests/helpers/ledgers.py) with one more payment, signed in as the client K1 «Ромашка»; worked out by hand.

P1 1 200,00 (01.02.2025, № 11, on C1 Д-1/25) closes S1 УПД-1 (due 10.02) 1 000,00 and S2 УПД-2 (due 19.02)
200,00. P2 400,00 (05.02.2025, № 12, to K1 as a whole) closes by due date S3 УПД-3 (due 29.01) 300,50 and
S2 99,50. P3 1 000,00 (05.12.2025, № 13, to K1 as a whole) closes S2's last 500 - 200 - 99,50 = 200,50 and
S5 УПД-5 100,00 (dated 02.12.2025): 1 000 - 300,50 = 699,50 is left as an advance.
Newest first: P3, P2, P1; three payments, 2 600,00 in all. K2 «ИП Петров» paid nothing and is never shown.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.services.access import User
from dashboard.ui.auth import USER_KEY
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from tests.helpers.ledgers import source
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

NB = "\u00a0"
OTHERS = ("Петров", "K2", "П-7", "УПД-4", "Сидоров", "Розница", "Иванов", "Сети")


@pytest.fixture
def ledger(app_db: str, tmp_path: Path) -> str:
    folder = source(tmp_path, advance=True)
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [folder])
    engine.dispose()
    return app_db


def page(as_of: date, *, counterparty: str = "K1", language: str = "ru") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "client_payments.py"), default_timeout=60)
    test.session_state[USER_KEY] = User(login="buh@romashka.ru", role="client", counterparty=counterparty)
    test.session_state["page_context"] = PageContext(
        language, Filters(as_of, "RUB", manager="", group="", counterparty_id=counterparty, contract_id="")
    )
    return test.run()


def test_payments_newest_first_with_what_each_closed(ledger: str, downloads: dict[str, Callable[[], object]]) -> None:
    test = page(date(2025, 12, 10))
    assert not test.exception
    assert test.title[0].value == "ООО «Ромашка»: история оплат"
    # The period: a year up to the as-of date.
    assert test.date_input(key="client_payments_from").value == date(2024, 12, 10)
    assert test.date_input(key="client_payments_to").value == date(2025, 12, 10)
    assert test.markdown[0].value == f"Оплат: 3 на 2{NB}600,00{NB}₽"
    table = test.dataframe[0].value
    assert list(table["number"]) == ["13", "12", "11"]
    assert list(table["amount"]) == [Decimal("1000.00"), Decimal("400.00"), Decimal("1200.00")]
    assert list(table["closed"]) == [Decimal("300.50"), Decimal("400.00"), Decimal("1200.00")]
    assert list(table["payment_advance"]) == [Decimal("699.50"), Decimal("0.00"), Decimal("0.00")]
    assert list(table["contract_number"]) == ["без договора", "без договора", "Д-1/25"]
    assert list(table["closed_documents"]) == [
        f"Реализация № УПД-2 от 20.01.2025 — 200,50{NB}₽; Реализация № УПД-5 от 02.12.2025 — 100,00{NB}₽",
        f"Реализация № УПД-3 от 15.01.2025 — 300,50{NB}₽; Реализация № УПД-2 от 20.01.2025 — 99,50{NB}₽",
        f"Реализация № УПД-1 от 10.01.2025 — 1{NB}000,00{NB}₽; Реализация № УПД-2 от 20.01.2025 — 200,00{NB}₽",
    ]
    files = {
        b.proto.label: deferred
        for b in test.get("download_button")
        for deferred in [downloads[b.proto.deferred_file_id]]
    }
    assert set(files) == {"Скачать Excel", "Скачать CSV"}
    csv = files["Скачать CSV"]()
    assert isinstance(csv, bytes)
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0] == "Дата,Номер,Валюта,Сумма,Договор,Зачтено,Осталось авансом,Какие документы закрыла"
    assert lines[1].startswith("2025-12-05,13,RUB,1000.00,без договора,300.50,699.50,")
    workbook = files["Скачать Excel"]()
    assert isinstance(workbook, bytes)
    cells = [
        str(c) for row in openpyxl.load_workbook(io.BytesIO(workbook)).active.iter_rows(values_only=True) for c in row
    ]
    assert "УПД-1" in " ".join(cells)
    everything = csv.decode("utf-8-sig") + " ".join(cells) + table.to_csv()
    assert [w for w in OTHERS if w in everything] == []


def test_the_period_filter_and_an_as_of_before_the_last_payment(ledger: str) -> None:
    """As of 03.02.2025 only P1 is dated in the period; P2 and P3 come later."""
    test = page(date(2025, 2, 3), language="en")
    assert not test.exception
    table = test.dataframe[0].value
    assert list(table["number"]) == ["11"]
    assert test.markdown[0].value == "Payments: 1, 1,200.00 RUB in all"
    assert list(table["closed_documents"]) == [
        "Shipment No. УПД-1 of 2025-01-10: 1,000.00 RUB; Shipment No. УПД-2 of 2025-01-20: 200.00 RUB"
    ]
    # Back to 05.12.2025 as of 10.12.2025: P3 alone.
    test = page(date(2025, 12, 10))
    test.date_input(key="client_payments_from").set_value(date(2025, 12, 1)).run()
    assert list(test.dataframe[0].value["number"]) == ["13"]
    test.date_input(key="client_payments_from").set_value(date(2025, 12, 6)).run()
    assert test.info[0].value == "С 06.12.2025 по 10.12.2025 оплат от вас не поступало."
    assert not test.dataframe


def test_another_client_sees_no_payment_of_ours(ledger: str) -> None:
    test = page(date(2025, 12, 10), counterparty="K2")
    assert not test.exception
    assert "оплат от вас не поступало" in test.info[0].value  # K2 paid nothing
    assert not test.dataframe
    unknown = page(date(2025, 12, 10), counterparty="K9")
    assert "«K9»" in unknown.info[0].value
    assert not unknown.dataframe
