"""The act page when the act has no documents, or when there is no act on screen (pages/act.py), through
AppTest on the small ledger (tests/helpers/ledgers.py), in Russian and English.

- K1 «Ромашка» over March 2025: no document in the period; what January and February left is the opening:
  S1 1 000,00 + S3 300,50 + S2 500,00 - P1 1 200,00 - P2 400,00 = 200,50 owed to us, so opening and closing
  debit 200,50 and no turnover. An act of balances alone is a valid 1C act: the page shows its balances, its
  downloads (built with the balances), the batch of acts and the reconciliation with the client's act.
- K2 «Петров» over the first quarter of 2025: nothing before it, nothing in it (S4 comes in December):
  zero balances, «задолженность отсутствует».
- No counterparty chosen (the sidebar has none): no act, but every act of the period as one ZIP needs none.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from queries.act import act
from tests.helpers import their_acts
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

NB = "\u00a0"
MARCH = (date(2025, 3, 1), date(2025, 3, 31))
ZIP_TITLE = {"ru": "Акты по всем контрагентам (ZIP)", "en": "Acts for every counterparty (ZIP)"}
RECONCILE_TITLE = {"ru": "Сверка с актом клиента", "en": "Reconcile with the client's act"}


def page(language: str, counterparty_id: str, *, period: tuple[date, date] | None = None, **state: object) -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "act.py"), default_timeout=60)
    test.session_state["page_context"] = PageContext(
        language,
        Filters(date(2025, 3, 31), "RUB", manager="", group="", counterparty_id=counterparty_id, contract_id=""),
    )
    for key, value in state.items():
        test.session_state[key] = value
    test.run()
    if period is not None:
        test.date_input(key="act_from").set_value(period[0])
        test.date_input(key="act_to").set_value(period[1])
        test.run()
    assert not test.exception
    return test


def totals(test: AppTest) -> list[str]:
    """The four figures over the table: opening, debit and credit turnovers, closing."""
    return [m.value.removeprefix("#### ") for m in test.markdown if m.value.startswith("#### ")]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_an_act_of_balances_alone_shows_them_its_downloads_and_both_sections(loaded_db: str, language: str) -> None:
    test = page(language, "K1", period=MARCH)
    expected = {
        "ru": [f"200,50{NB}₽ Дт", f"0,00{NB}₽", f"0,00{NB}₽", f"200,50{NB}₽ Дт"],
        "en": ["200.50 RUB Dr", "0.00 RUB", "0.00 RUB", "200.50 RUB Dr"],
    }
    assert totals(test) == expected[language]
    sentence = {
        "ru": "По данным Наша организация на 31.03.2025 задолженность в пользу Наша организация составляет "
        f"200,50{NB}₽.",
        "en": "According to Our company, as of 2025-03-31 the balance in favour of Our company is 200.50 RUB.",
    }
    assert any(m.value == sentence[language] for m in test.markdown)
    assert len(test.get("download_button")) == 3  # PDF, XLSX, CSV
    formats = {  # the files are 1C's Russian form whatever the page's language
        "ru": "PDF и Excel — акт для подписи в форме 1С (обе стороны, сумма прописью, подписи); "
        "CSV — таблица как есть.",
        "en": "PDF and Excel are the act for signing in 1C's form, in Russian as the counterparty's 1C prints it "
        "(both sides, the amount in words, signatures); CSV is the plain table.",
    }
    assert formats[language] in [c.value for c in test.caption]
    # The period's pickers spell dates as the rest of the page does.
    pattern = {"ru": "DD.MM.YYYY", "en": "YYYY-MM-DD"}[language]
    assert [test.date_input(key=k).proto.format for k in ("act_from", "act_to")] == [pattern, pattern]
    labels = [e.label for e in test.expander]
    assert ZIP_TITLE[language] in labels
    assert RECONCILE_TITLE[language] in labels
    assert not test.info
    assert not test.warning


def test_its_files_hold_the_balances(loaded_db: str, downloads: dict[str, Callable[[], object]]) -> None:
    test = page("ru", "K1", period=MARCH)
    files = {}
    for make in list(downloads.values())[-3:]:  # the period's own three (the first run drew the quarter's)
        content = make()
        assert isinstance(content, bytes)
        kind = "pdf" if content.startswith(b"%PDF") else "xlsx" if content.startswith(b"PK") else "csv"
        files[kind] = content
    assert set(files) == {"pdf", "xlsx", "csv"}
    assert files["pdf"].startswith(b"%PDF")
    csv_text = files["csv"].decode("utf-8-sig").splitlines()
    assert csv_text == [
        "Дата,Документ,Дебет,Кредит",
        "2025-03-01,Сальдо начальное,200.50,",
        ",Обороты за период,0.00,0.00",
        "2025-03-31,Сальдо конечное,200.50,",
    ]
    sheet = load_workbook(BytesIO(files["xlsx"])).active
    assert sheet is not None
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "Сальдо начальное" in cells
    assert "Сальдо конечное" in cells
    assert test.get("download_button")  # the page drew them


def test_an_act_with_nothing_at_all_is_settled(loaded_db: str) -> None:
    test = page("ru", "K2")  # the quarter to 31.03.2025
    assert totals(test) == [f"0,00{NB}₽ Дт", f"0,00{NB}₽", f"0,00{NB}₽", f"0,00{NB}₽ Дт"]
    assert any(m.value == "По данным Наша организация на 31.03.2025 задолженность отсутствует." for m in test.markdown)
    assert len(test.get("download_button")) == 3
    assert {ZIP_TITLE["ru"], RECONCILE_TITLE["ru"]} <= {e.label for e in test.expander}


def test_their_act_of_balances_alone_reconciles(loaded_db: str, tmp_path: Path) -> None:
    engine = make_engine(loaded_db, pooled=False)
    with engine.connect() as conn:
        ours = act(conn, counterparty_id="K1", date_from=MARCH[0], date_to=MARCH[1])
    engine.dispose()
    opening, lines = their_acts.from_our_act(ours)
    assert (opening, lines) == (-20_050, [])  # their side: 200,50 they owe, in their credit
    sheet = their_acts.act_sheet(
        date_from=MARCH[0],
        date_to=MARCH[1],
        first_name="ООО «Ромашка»",
        second_name="Наша организация",
        first=(opening, lines),
    )
    data = their_acts.write_xlsx(sheet, tmp_path / "akt.xlsx").read_bytes()
    test = page("ru", "K1", period=MARCH, reconcile_open=True)
    test.file_uploader(key="reconcile_upload").set_value(("akt.xlsx", data, "application/octet-stream")).run()
    assert not test.exception
    assert not test.error, [e.value for e in test.error]
    assert not test.warning, [w.value for w in test.warning]
    # No line on either side, the same closing balance: the acts agree.
    assert [m.value for m in test.success] == [f"Акты совпадают: все строки и сальдо на 31.03.2025 — 200,50{NB}₽."]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_without_a_counterparty_the_batch_of_acts_is_still_there(loaded_db: str, language: str) -> None:
    test = page(language, "", act_batch=True)  # the ZIP's expander opened
    assert [i.value for i in test.info] == [{"ru": "Выберите контрагента", "en": "Choose a counterparty"}[language]]
    assert [e.label for e in test.expander] == [ZIP_TITLE[language]]
    assert [b.proto.label for b in test.get("download_button")] == [
        {"ru": "Сформировать и скачать ZIP", "en": "Build and download the ZIP"}[language]
    ]
    assert not test.get("html")  # no act table


def test_the_batch_without_a_counterparty_holds_every_act(
    loaded_db: str, downloads: dict[str, Callable[[], object]]
) -> None:
    page("ru", "", act_batch=True)
    [make] = downloads.values()
    content = make()
    data = content[0] if isinstance(content, tuple) else content
    assert isinstance(data, bytes)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        index = archive.read("index.csv").decode("utf-8-sig")
    # The quarter to 31.03.2025 with a balance or movements: K1 alone (K2 has neither before December).
    assert "K1" in index
    assert "K2" not in index
