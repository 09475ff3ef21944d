"""The reconciliation act page through AppTest on the small ledger (tests/helpers/ledgers.py), numbers worked
out by hand.

K1 over 01.01-28.02.2025: shipments S1 1 000,00 (10.01), S3 300,50 (15.01), S2 500,00 (20.01), payments
P1 1 200,00 (01.02) and P2 400,00 (05.02): turnovers 1 800,50 / 1 600,00, closing debit 200,50.
Its contract Д-2/25 holds S3 alone; P2 (no contract) closes it on 05.02, so that act ends at zero.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from datetime import date
from html import unescape
from io import BytesIO
from pathlib import Path

import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard.ui import tables
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from queries.act import act, act_balance
from tests.helpers.ledgers import write_files
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

NB = "\u00a0"
TOTALS = (
    "Сальдо начальное",
    "Обороты по дебету",
    "Обороты по кредиту",
    "Сальдо конечное",
    "Opening balance",
    "Debit turnover",
    "Credit turnover",
    "Closing balance",
)


def page(as_of: date, *, language: str = "ru", counterparty_id: str = "", contract_id: str = "") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "act.py"), default_timeout=60)
    test.session_state["page_context"] = PageContext(
        language, Filters(as_of, "RUB", manager="", group="", counterparty_id=counterparty_id, contract_id=contract_id)
    )
    return test.run()


def act_table(test: AppTest) -> str:
    """The act's table as the page sends it: one HTML table (st.html)."""
    return next(str(e.proto.body) for e in test.get("html") if "<table class=act>" in e.proto.body)


def table_rows(test: AppTest) -> list[list[str]]:
    """The act's table as cells, text as shown (the header row dropped)."""
    body = act_table(test).split("<tbody>", 1)[1]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body)
    return [[unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in rows]


def bold_rows(test: AppTest) -> list[str]:
    """The document column of the table's bold rows (the balances and the turnovers)."""
    return [unescape(t) for t in re.findall(r"<tr class=total><td>[^<]*</td><td>([^<]*)</td>", act_table(test))]


def rows_caption(test: AppTest) -> str | None:
    """The page picker's «Строки 1–500 из 8 510», or None when the act fits one page."""
    found = [m.value for m in test.markdown if m.value.startswith(("Строки ", "Rows "))]
    return found[0] if found else None


def totals(test: AppTest) -> list[tuple[str, str]]:
    """The totals over the table: each caption (opening, turnovers, closing) with the value under it."""
    labels = [c.value for c in test.caption if c.value in TOTALS]
    values = [m.value.removeprefix("#### ") for m in test.markdown if m.value.startswith("#### ")]
    return list(zip(labels, values, strict=True))


def test_empty_warehouse_gets_a_friendly_message(app_db: str) -> None:
    test = page(date(2025, 2, 28))
    assert not test.exception
    assert any("Хранилище пусто" in info.value for info in test.info)


def test_act_of_the_sidebar_counterparty_for_the_current_quarter(loaded_db: str) -> None:
    test = page(date(2025, 2, 28), counterparty_id="K1")
    assert not test.exception
    assert test.title[0].value == "Акт сверки"
    # The quarter of the as-of date, up to the as-of date.
    assert test.date_input(key="act_from").value == date(2025, 1, 1)
    assert test.date_input(key="act_to").value == date(2025, 2, 28)
    assert test.subheader[0].value == (
        "Акт сверки взаимных расчетов за период: 01.01.2025 – 28.02.2025 между Наша организация и ООО «Ромашка»"
    )
    assert table_rows(test) == [
        ["01.01.2025", "Сальдо начальное", "0,00", ""],
        ["10.01.2025", "Реализация (№ УПД-1 от 10.01.2025)", f"1{NB}000,00", ""],
        ["15.01.2025", "Реализация (№ УПД-3 от 15.01.2025)", "300,50", ""],
        ["20.01.2025", "Реализация (№ УПД-2 от 20.01.2025)", "500,00", ""],
        ["01.02.2025", "Оплата (п/п № 11 от 01.02.2025)", "", f"1{NB}200,00"],
        ["05.02.2025", "Оплата (п/п № 12 от 05.02.2025)", "", "400,00"],
        ["", "Обороты за период", f"1{NB}800,50", f"1{NB}600,00"],
        ["28.02.2025", "Сальдо конечное", "200,50", ""],
    ]
    assert any(
        m.value == f"По данным Наша организация на 28.02.2025 задолженность в пользу Наша организация "
        f"составляет 200,50{NB}₽."
        for m in test.markdown
    )
    # The page shows what the query computes.
    engine = make_engine(loaded_db, pooled=False)
    with engine.connect() as conn:
        closing = act_balance(act(conn, counterparty_id="K1", date_from=date(2025, 1, 1), date_to=date(2025, 2, 28)))
    engine.dispose()
    assert closing == 20_050
    labels = [button.proto.label for button in test.get("download_button")]
    assert labels == ["Скачать PDF", "Скачать Excel", "Скачать CSV"]
    assert "акт для подписи в форме 1С" in test.caption[0].value
    assert bold_rows(test) == ["Сальдо начальное", "Обороты за период", "Сальдо конечное"]
    # The signers, the ZIP of many acts and the reconciliation are expanders run only when opened.
    assert [e.label for e in test.expander] == ["Подписи", "Акты по всем контрагентам (ZIP)", "Сверка с актом клиента"]
    assert not test.text_input
    assert not test.get("file_uploader")
    for key in ("act_signers", "act_batch", "reconcile_open"):
        test.session_state[key] = True
    test.run()
    assert not test.exception
    labels = [button.proto.label for button in test.get("download_button")]
    assert labels == ["Скачать PDF", "Скачать Excel", "Скачать CSV", "Сформировать и скачать ZIP"]
    assert [i.key for i in test.text_input] == [
        "act_signer_pos",
        "act_signer_name",
        "act_client_pos",
        "act_client_name",
    ]
    assert len(test.get("file_uploader")) == 1
    assert table_rows(test)[-1] == ["28.02.2025", "Сальдо конечное", "200,50", ""]


def test_act_of_one_contract_with_the_company_name(
    loaded_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "receivables.toml"
    config.write_text(
        '[company]\nname = "ООО «Торговый дом»"\ninn = "7701234567"\n'
        '[act]\nsigner_position = "Главный бухгалтер"\nsigner = "Смирнова А. В."\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("RECEIVABLES_CONFIG", str(config))
    st.cache_resource.clear()
    test = page(date(2025, 2, 28), counterparty_id="K1")
    test.selectbox(key="act_contract").set_value("C2").run()
    assert not test.exception
    assert "между ООО «Торговый дом» и ООО «Ромашка»" in test.subheader[0].value
    # The signers the documents will carry start from the config's [act] section.
    test.session_state["act_signers"] = True  # the expander opened
    test.run()
    assert test.text_input(key="act_signer_pos").value == "Главный бухгалтер"
    assert test.text_input(key="act_signer_name").value == "Смирнова А. В."
    assert any(m.value == "по договору Д-2/25" for m in test.markdown)
    # S3 300,50 on Д-2/25, closed by P2 (a payment without a contract) on 05.02: nothing owed.
    assert table_rows(test) == [
        ["01.01.2025", "Сальдо начальное", "0,00", ""],
        ["15.01.2025", "Реализация (№ УПД-3 от 15.01.2025)", "300,50", ""],
        ["05.02.2025", "Оплата (п/п № 12 от 05.02.2025)", "", "300,50"],
        ["", "Обороты за период", "300,50", "300,50"],
        ["28.02.2025", "Сальдо конечное", "0,00", ""],
    ]
    assert any(
        m.value == "По данным ООО «Торговый дом» на 28.02.2025 задолженность отсутствует." for m in test.markdown
    )


def test_an_advance_is_owed_to_the_counterparty(loaded_db: str, tmp_path: Path) -> None:
    # K2 pays 500,00 on 01.11.2025 before its only shipment (S4 200,00 on 02.12.2025): an advance.
    extra = write_files(
        tmp_path / "advance",
        {"payments_k2.csv": "document_id,date,amount,contract_id,counterparty_id,number\nP9,2025-11-01,500,,K2,77\n"},
    )
    engine = make_engine(loaded_db, pooled=False)
    load_paths(engine, [extra])
    engine.dispose()
    test = page(date(2025, 11, 30), counterparty_id="K2")
    assert not test.exception
    assert test.date_input(key="act_from").value == date(2025, 10, 1)
    rows = table_rows(test)
    assert rows[1] == ["01.11.2025", "Оплата (п/п № 77 от 01.11.2025)", "", "500,00"]
    assert rows[-1] == ["30.11.2025", "Сальдо конечное", "", "500,00"]
    assert any(
        m.value == f"По данным Наша организация на 30.11.2025 задолженность в пользу ИП Петров Пётр Петрович "
        f"составляет 500,00{NB}₽."
        for m in test.markdown
    )


def test_choosing_a_counterparty_and_a_period(loaded_db: str) -> None:
    test = page(date(2025, 2, 28))
    assert not test.exception
    assert any(info.value == "Выберите контрагента" for info in test.info)
    test.selectbox(key="act_counterparty").set_value("K1").run()
    test.date_input(key="act_from").set_value(date(2025, 2, 1)).run()
    assert not test.exception
    rows = table_rows(test)
    # Opening on 01.02: 1 000,00 + 300,50 + 500,00 shipped in January, nothing paid yet.
    assert rows[0] == ["01.02.2025", "Сальдо начальное", f"1{NB}800,50", ""]
    assert rows[-2] == ["", "Обороты за период", "0,00", f"1{NB}600,00"]
    assert rows[-1] == ["28.02.2025", "Сальдо конечное", "200,50", ""]

    test.date_input(key="act_from").set_value(date(2025, 3, 1)).run()
    assert not test.exception
    assert test.warning[0].value == "Начало периода позже его конца: поправьте даты."


def test_act_in_english(loaded_db: str) -> None:
    test = page(date(2025, 2, 28), language="en", counterparty_id="K1")
    assert not test.exception
    assert test.title[0].value == "Reconciliation act"
    assert test.subheader[0].value == (
        "Reconciliation statement for the period 2025-01-01 – 2025-02-28 between Our company and ООО «Ромашка»"
    )
    # The documents named in English from their kind, number and date (the numbers are the documents' own).
    assert table_rows(test) == ENGLISH_ROWS
    assert any(
        m.value == "According to Our company, as of 2025-02-28 the balance in favour of Our company is 200.50 RUB."
        for m in test.markdown
    )


ENGLISH_ROWS = [
    ["2025-01-01", "Opening balance", "0.00", ""],
    ["2025-01-10", "Shipment (No. УПД-1 of 2025-01-10)", "1,000.00", ""],
    ["2025-01-15", "Shipment (No. УПД-3 of 2025-01-15)", "300.50", ""],
    ["2025-01-20", "Shipment (No. УПД-2 of 2025-01-20)", "500.00", ""],
    ["2025-02-01", "Payment (payment order No. 11 of 2025-02-01)", "", "1,200.00"],
    ["2025-02-05", "Payment (payment order No. 12 of 2025-02-05)", "", "400.00"],
    ["", "Turnover for the period", "1,800.50", "1,600.00"],
    ["2025-02-28", "Closing balance", "200.50", ""],
]


def test_a_contracts_act_in_english(loaded_db: str) -> None:
    # Д-2/25's act: S3, and P2 (K1's payment without a contract) where it closed S3, on its own date.
    test = page(date(2025, 2, 28), language="en", counterparty_id="K1")
    test.selectbox(key="act_contract").set_value("C2").run()
    assert not test.exception
    assert [row[:2] for row in table_rows(test)] == [
        ["2025-01-01", "Opening balance"],
        ["2025-01-15", "Shipment (No. УПД-3 of 2025-01-15)"],
        ["2025-02-05", "Payment (payment order No. 12 of 2025-02-05)"],
        ["", "Turnover for the period"],
        ["2025-02-28", "Closing balance"],
    ]


def test_a_document_without_a_number_is_named_by_its_id_in_english(loaded_db: str, tmp_path: Path) -> None:
    extra = write_files(
        tmp_path / "more",
        {
            "returns.csv": "document_id,contract_id,date,amount,shipment_id\nR1,C1,2025-02-10,50,S1\n",
            "adjustments.csv": "document_id,contract_id,date,amount,number\nA1,C1,2025-02-12,-20,КОР-1\n",
        },
    )
    engine = make_engine(loaded_db, pooled=False)
    load_paths(engine, [extra])
    engine.dispose()
    rows = {
        language: table_rows(page(date(2025, 2, 28), language=language, counterparty_id="K1"))
        for language in ("ru", "en")
    }
    assert ["10.02.2025", "Возврат (№ R1 от 10.02.2025)", "", "50,00"] in rows["ru"]
    assert ["12.02.2025", "Корректировка долга (№ КОР-1 от 12.02.2025)", "", "20,00"] in rows["ru"]
    assert ["2025-02-10", "Return (No. R1 of 2025-02-10)", "", "50.00"] in rows["en"]
    assert ["2025-02-12", "Debt adjustment (No. КОР-1 of 2025-02-12)", "", "20.00"] in rows["en"]


CSV = {
    "ru": [
        "Дата,Документ,Дебет,Кредит",
        "2025-01-01,Сальдо начальное,0.00,",
        "2025-01-10,Реализация (№ УПД-1 от 10.01.2025),1000.00,",
        "2025-01-15,Реализация (№ УПД-3 от 15.01.2025),300.50,",
        "2025-01-20,Реализация (№ УПД-2 от 20.01.2025),500.00,",
        "2025-02-01,Оплата (п/п № 11 от 01.02.2025),,1200.00",
        "2025-02-05,Оплата (п/п № 12 от 05.02.2025),,400.00",
        ",Обороты за период,1800.50,1600.00",
        "2025-02-28,Сальдо конечное,200.50,",
    ],
    "en": [
        "Date,Document,Debit,Credit",
        "2025-01-01,Opening balance,0.00,",
        "2025-01-10,Shipment (No. УПД-1 of 2025-01-10),1000.00,",
        "2025-01-15,Shipment (No. УПД-3 of 2025-01-15),300.50,",
        "2025-01-20,Shipment (No. УПД-2 of 2025-01-20),500.00,",
        "2025-02-01,Payment (payment order No. 11 of 2025-02-01),,1200.00",
        "2025-02-05,Payment (payment order No. 12 of 2025-02-05),,400.00",
        ",Turnover for the period,1800.50,1600.00",
        "2025-02-28,Closing balance,200.50,",
    ],
}


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_plain_csv_speaks_the_pages_language_and_the_act_for_signing_stays_1cs(
    loaded_db: str, language: str, downloads: dict[str, Callable[[], object]]
) -> None:
    page(date(2025, 2, 28), language=language, counterparty_id="K1")
    files: dict[str, bytes] = {}
    for make in downloads.values():
        content = make()
        data = content[0] if isinstance(content, tuple) else content
        assert isinstance(data, bytes)
        files["pdf" if data.startswith(b"%PDF") else "xlsx" if data.startswith(b"PK") else "csv"] = data
    assert files["csv"].decode("utf-8-sig").splitlines() == CSV[language]
    # The XLSX for signing is 1C's Russian form, whatever the page's language.
    sheet = load_workbook(BytesIO(files["xlsx"])).active
    assert sheet is not None
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
    assert {"Реализация (№ УПД-1 от 10.01.2025)", "Оплата (п/п № 12 от 05.02.2025)"} <= cells
    assert not any("Shipment" in c or "Payment" in c for c in cells)


def test_a_client_dealing_in_usd_only_gets_its_act_in_usd(app_db: str, tmp_path: Path) -> None:
    """Globex has one contract, in USD: 1 000,00 shipped on 10.01.2025, 400,00 paid without a contract on
    20.01 (in USD, its only currency). The act is in USD with those figures, not a RUB act of zeros,
    though the sidebar's currency is RUB."""
    files = {
        "counterparties.csv": "counterparty_id,name\nG1,Globex LLC\n",
        "contracts.csv": "contract_id,counterparty_id,number,currency\nCG,G1,G-1,USD\n",
        "shipments.csv": "document_id,contract_id,date,amount,number\nSG1,CG,2025-01-10,1000,INV-1\n",
        "payments.csv": "document_id,date,amount,counterparty_id,number\nPG1,2025-01-20,400,G1,77\n",
    }
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [write_files(tmp_path / "usd", files)])
    engine.dispose()
    test = page(date(2025, 2, 28), counterparty_id="G1")
    assert not test.exception
    assert test.selectbox(key="act_currency").value == "USD"
    rows = table_rows(test)
    assert rows[-1][2:] == ["600,00", ""]  # the closing debit balance


def test_signers_typed_stay_while_their_expander_is_closed(loaded_db: str) -> None:
    test = page(date(2025, 2, 28), counterparty_id="K1")
    test.session_state["act_signers"] = True
    test.run()
    test.text_input(key="act_client_name").input("Петрова А. А.").run()
    test.session_state["act_signers"] = False  # closed: its fields are not drawn, what was typed is kept
    test.run()
    assert not test.text_input
    test.session_state["act_signers"] = True
    test.run()
    assert test.text_input(key="act_client_name").value == "Петрова А. А."


def zip_signers(downloads: dict[str, Callable[[], object]]) -> set[str]:
    """Every cell of every act (XLSX) in the ZIP of acts the last run offered."""
    content = list(downloads.values())[-1]()
    data = content[0] if isinstance(content, tuple) else content
    assert isinstance(data, bytes)
    cells = set()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xlsx"):
                sheet = load_workbook(BytesIO(archive.read(name))).active
                assert sheet is not None
                cells |= {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
    assert cells  # the ZIP holds acts
    return cells


def test_our_signer_as_typed_signs_every_act_of_the_zip(
    loaded_db: str, downloads: dict[str, Callable[[], object]]
) -> None:
    """The signer typed in «Подписи» signs the act on screen and the ZIP's acts, whether an act is shown or
    not (no counterparty chosen: the ZIP alone)."""
    test = page(date(2025, 2, 28), counterparty_id="K1")
    test.session_state["act_signers"] = True
    test.session_state["act_batch"] = True
    test.run()
    test.radio(key="act_batch_fmt").set_value("xlsx").run()
    test.text_input(key="act_signer_pos").input("Финансовый директор").run()
    test.text_input(key="act_signer_name").input("Кузнецова Е. П.").run()
    assert not test.exception
    assert {"Финансовый директор", "Кузнецова Е. П."} <= zip_signers(downloads)
    test.session_state["act_signers"] = False  # closed: what was typed still signs
    # The sidebar's counterparty cleared: no act, the ZIP alone.
    test.session_state["page_context"] = PageContext(
        "ru", Filters(date(2025, 2, 28), "RUB", manager="", group="", counterparty_id="", contract_id="")
    )
    test.run()
    assert not test.exception
    assert [i.value for i in test.info] == ["Выберите контрагента"]
    assert {"Финансовый директор", "Кузнецова Е. П."} <= zip_signers(downloads)


def test_the_downloads_come_before_the_table(loaded_db: str) -> None:
    """An act of thousands of rows put its downloads pages down; they stand under the heading now."""
    test = page(date(2025, 2, 28), counterparty_id="K1")
    assert not test.exception

    def walk(node: object) -> list[object]:
        children = getattr(node, "children", {})
        found = [node]
        for key in sorted(children):
            found += walk(children[key])
        return found

    order = [type(n).__name__ + ":" + str(getattr(n, "value", ""))[:2] for n in walk(test.main)]
    first_download = next(i for i, name in enumerate(order) if name.startswith("DownloadButton"))
    table = next(i for i, node in enumerate(walk(test.main)) if "<table class=act>" in str(getattr(node, "proto", "")))
    assert first_download < table


def test_the_totals_come_first_and_the_table_pages_through_its_rows(
    loaded_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """K1's act over 01.01-28.02.2025 is 8 rows (opening, S1, S3, S2, P1, P2, turnovers, closing); 3 a page
    makes pages of rows 1-3, 4-6 and 7-8."""
    monkeypatch.setattr(tables, "ROWS_ON_SCREEN", 3)
    test = page(date(2025, 2, 28), counterparty_id="K1")
    assert not test.exception
    # The totals at once, whichever page is shown: opening 0, turnovers 1 800,50 / 1 600,00, closing 200,50 Dt.
    assert totals(test) == [
        ("Сальдо начальное", f"0,00{NB}₽ Дт"),
        ("Обороты по дебету", f"1{NB}800,50{NB}₽"),
        ("Обороты по кредиту", f"1{NB}600,00{NB}₽"),
        ("Сальдо конечное", f"200,50{NB}₽ Дт"),
    ]
    assert table_rows(test) == [
        ["01.01.2025", "Сальдо начальное", "0,00", ""],
        ["10.01.2025", "Реализация (№ УПД-1 от 10.01.2025)", f"1{NB}000,00", ""],
        ["15.01.2025", "Реализация (№ УПД-3 от 15.01.2025)", "300,50", ""],
    ]
    assert rows_caption(test) == "Строки 1–3 из 8"
    assert test.button(key="act_previous").disabled

    test.button(key="act_next").click().run()
    assert rows_caption(test) == "Строки 4–6 из 8"
    assert [row[1] for row in table_rows(test)] == [
        "Реализация (№ УПД-2 от 20.01.2025)",
        "Оплата (п/п № 11 от 01.02.2025)",
        "Оплата (п/п № 12 от 05.02.2025)",
    ]
    test.button(key="act_next").click().run()
    assert rows_caption(test) == "Строки 7–8 из 8"
    assert table_rows(test) == [
        ["", "Обороты за период", f"1{NB}800,50", f"1{NB}600,00"],
        ["28.02.2025", "Сальдо конечное", "200,50", ""],
    ]
    assert test.button(key="act_next").disabled
    test.button(key="act_previous").click().run()
    assert rows_caption(test) == "Строки 4–6 из 8"
    # The totals stay those of the whole act.
    assert [value for _label, value in totals(test)][1:3] == [f"1{NB}800,50{NB}₽", f"1{NB}600,00{NB}₽"]


def test_another_period_or_counterparty_starts_at_the_first_page(
    loaded_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "ROWS_ON_SCREEN", 3)
    test = page(date(2025, 2, 28), counterparty_id="K1")
    test.button(key="act_next").click().run()
    assert rows_caption(test) == "Строки 4–6 из 8"
    # From 01.02: opening 1 800,50 (January's shipments), P1, P2, turnovers, closing: 5 rows.
    test.date_input(key="act_from").set_value(date(2025, 2, 1)).run()
    assert not test.exception
    assert rows_caption(test) == "Строки 1–3 из 5"
    assert table_rows(test)[0] == ["01.02.2025", "Сальдо начальное", f"1{NB}800,50", ""]
    assert totals(test)[0] == ("Сальдо начальное", f"1{NB}800,50{NB}₽ Дт")
    test.button(key="act_next").click().run()
    assert rows_caption(test) == "Строки 4–5 из 5"
    # K2 over 01.02-28.02.2025: nothing moves, so opening, turnovers and closing, 3 rows: one page, no picker.
    test.selectbox(key="act_counterparty").set_value("K2").run()
    assert not test.exception
    assert rows_caption(test) is None
    assert [row[1] for row in table_rows(test)] == ["Сальдо начальное", "Обороты за период", "Сальдо конечное"]
    # Back to K1 over the same period: its first page again, not the one left.
    test.selectbox(key="act_counterparty").set_value("K1").run()
    assert rows_caption(test) == "Строки 1–3 из 5"


def test_the_pages_in_english(loaded_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "ROWS_ON_SCREEN", 5)
    test = page(date(2025, 2, 28), language="en", counterparty_id="K1")
    assert not test.exception
    assert rows_caption(test) == "Rows 1–5 of 8"
    assert totals(test) == [
        ("Opening balance", "0.00 RUB Dr"),
        ("Debit turnover", "1,800.50 RUB"),
        ("Credit turnover", "1,600.00 RUB"),
        ("Closing balance", "200.50 RUB Dr"),
    ]
    assert test.button(key="act_next").label == "Next"


def test_a_click_holding_the_button_the_run_before_drew_still_gets_the_file_of_the_period_on_screen(
    loaded_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A click that commits a typed date asks for the file by the id the run before drew, while the rerun it
    started draws a new one; Streamlit sweeps unreferred ids when a run ends. The page keeps the old id one
    run more (dashboard.ui.deferred.keep_previous), and its file is the act of the period on screen: from
    01.02 K1 opens at 1 800,50 and closes at 200,50. One media file manager serves every run, as a server's
    does (AppTest would make one per run)."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test

    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    monkeypatch.setattr(app_test, "MediaFileManager", lambda _storage: manager)

    def csv_button_id(test: AppTest) -> str:
        return next(
            str(b.proto.deferred_file_id) for b in test.get("download_button") if b.proto.label == "Скачать CSV"
        )

    test = page(date(2025, 2, 28), counterparty_id="K1")
    old_id = csv_button_id(test)
    test.date_input(key="act_from").set_value(date(2025, 2, 1)).run()
    assert not test.exception
    assert csv_button_id(test) != old_id  # the rerun drew the button anew, and its sweep ran

    url = manager.execute_deferred(old_id)
    served = storage.get_file(url.rsplit("/", 1)[-1].split(".")[0])
    assert served.content.decode("utf-8-sig").splitlines() == [
        "Дата,Документ,Дебет,Кредит",
        "2025-02-01,Сальдо начальное,1800.50,",
        "2025-02-01,Оплата (п/п № 11 от 01.02.2025),,1200.00",
        "2025-02-05,Оплата (п/п № 12 от 05.02.2025),,400.00",
        ",Обороты за период,0.00,1600.00",
        "2025-02-28,Сальдо конечное,200.50,",
    ]
    assert served.filename == "act_K1_20250201_20250228.csv"
