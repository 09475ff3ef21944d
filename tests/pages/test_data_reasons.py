"""The data page shows the load's reasons in the reader's language: the rejects and warnings tables, the files of a
load and the upload's messages, in Russian for a Russian reader and as stored (English) for an English one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from tests.helpers.ledgers import source
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

# S6 loads without its VAT «сто» (a warning); S7's amount «много» rejects it.
BAD = "document_id,contract_id,date,amount,number,vat\nS6,C1,2025-03-03,250,УПД-6,сто\nS7,C1,2025-03-04,много,УПД-7,\n"
NOT_SOURCE = (
    "not a source file: the name does not start with an entity name (calendar, counterparties, contracts, "
    "opening_balances, shipments, returns, adjustments, payments, allocations), it is not a 1C bank statement (its "
    "first line must be 1CClientBankExchange) and not a УПД/УКД XML"
)
NOT_SOURCE_RU = (
    "это не файл с данными: имя не начинается с названия сущности (calendar, counterparties, contracts, "
    "opening_balances, shipments, returns, adjustments, payments, allocations), это не банковская выписка 1С (её "
    "первая строка — 1CClientBankExchange) и не XML-файл УПД/УКД"
)


@pytest.fixture(autouse=True)
def upload_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dashboard.services.uploads.UPLOAD_FOLDER", tmp_path / "uploads")


def page(language: str) -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=60)
    test.session_state["page_context"] = PageContext(
        language, Filters(date(2025, 2, 28), "RUB", manager="", group="", counterparty_id="", contract_id="")
    )
    return test.run()


def reasons(test: AppTest) -> list[tuple[int, str, str]]:
    """(line, column, reason) of the rejects and warnings tables, in the order shown."""
    frames = [pl.from_pandas(element.value) for element in test.dataframe]
    return [
        row for frame in frames if "reason" in frame.columns for row in frame.select("line", "column", "reason").rows()
    ]


@pytest.fixture
def loaded(app_db: str, tmp_path: Path) -> str:
    bad = tmp_path / "more" / "shipments_bad.csv"
    bad.parent.mkdir()
    bad.write_text(BAD, encoding="utf-8")
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    load_paths(engine, [bad])
    engine.dispose()
    return app_db


def test_rejects_and_warnings_read_in_russian(loaded: str) -> None:
    test = page("ru")
    assert not test.exception
    assert reasons(test) == [
        (3, "amount", "это не сумма: много"),
        (2, "vat", "это не сумма: сто; строка загружена без этого значения"),
    ]


def test_rejects_and_warnings_stay_as_stored_in_english(loaded: str) -> None:
    test = page("en")
    assert not test.exception
    assert reasons(test) == [
        (3, "amount", "not an amount: много"),
        (2, "vat", "not an amount: сто; the row loads without it"),
    ]


@pytest.mark.parametrize(
    ("language", "warning", "message"),
    [
        ("ru", f"Файл notes.csv не принят: {NOT_SOURCE_RU}", NOT_SOURCE_RU),
        ("en", f"File notes.csv was refused: {NOT_SOURCE}", NOT_SOURCE),
    ],
)
def test_a_refused_upload_says_why_in_the_readers_language(
    app_db: str, language: str, warning: str, message: str
) -> None:
    test = page(language)
    test.file_uploader[0].set_value([("notes.csv", b"a,b\n1,2\n", "text/csv")]).run()
    test.button(key="data_upload_button").click().run()
    assert not test.exception
    assert [w.value for w in test.warning] == [warning]
    files = [pl.from_pandas(element.value) for element in test.dataframe if "rows_read" in element.value.columns]
    assert [frame["message"].to_list() for frame in files] == [[message]]
