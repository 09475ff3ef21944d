"""A row of a table of counterparties opens the counterparty's card in the same tab (dashboard.ui.tables
`show_table(opens_card=…)`), through the whole app as the router runs it, on the small ledger of
tests/helpers/ledgers.py as of 31.12.2025: K1 «Ромашка» (manager Иванов И.И.) owes 300,50, 200,50 of it
315 days overdue, and is on the stop-list; K2 «Петров» (Сидоров С.С.) owes 200,00, 29 days overdue.

AppTest selects a row as the grid does, through the table's selection state; a click in the browser is
tests/e2e/test_card_browser.py."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest, app_test

from tests.helpers.paths import ROOT

CARD = "Карточка контрагента"
NAMES = {"K1": "ООО «Ромашка»", "K2": "ИП Петров Пётр Петрович"}


def app() -> AppTest:
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    test.query_params["as_of"] = date(2025, 12, 31).isoformat()
    return test


@pytest.fixture(autouse=True)
def through_the_router(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run through the router (its sidebar, st.navigation), as in the browser. After its first run
    AppTest runs a page's file by itself, Streamlit's old mode for a pages/ folder beside the main script,
    which only a call of st.navigation turns off for the rest of that run: the page gets the last run's
    page context and no sidebar."""

    class Router(PagesManager):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            PagesManager.uses_pages_directory = False

    monkeypatch.setattr(app_test, "PagesManager", Router)


def run(test: AppTest, page: str | None = None) -> AppTest:
    """A run on `page`, or where the last run ended (a widget changed, the browser's back)."""
    if page is not None:
        test.switch_page(f"pages/{page}.py")
    return test.run()


def on_page(page: str) -> AppTest:
    test = run(run(app()), page)
    assert not test.exception
    assert len(test.sidebar.selectbox) == 5  # the router drew the sidebar's filters
    return test


def select(test: AppTest, key: str, *, row: int | None = None, cell: tuple[int, str] | None = None) -> AppTest:
    """What a click in the grid sends: a row's box at the left, or a cell."""
    assert key in [frame.key for frame in test.dataframe]
    rows, cells = ([row] if row is not None else []), ([list(cell)] if cell is not None else [])
    test.session_state[key] = {"selection": {"rows": rows, "columns": [], "cells": cells}}
    return run(test)


def assert_card(test: AppTest, counterparty_id: str) -> None:
    assert not test.exception
    assert test.title[0].value == NAMES[counterparty_id]  # the card's heading is the counterparty's name
    assert test.session_state["filter_counterparty"] == counterparty_id
    assert test.session_state["filter_contract"] == ""
    assert test.query_params["counterparty"] == counterparty_id
    assert test.query_params["as_of"] == "2025-12-31"  # the sidebar's other filters stay


@pytest.mark.parametrize(
    ("page", "key", "row", "counterparty_id"),
    [
        ("aging", "aging_table_counterparty", 1, "K2"),  # the most overdue first: K1, then K2
        ("exceptions", "exceptions_priority", 0, "K1"),  # «Кому звонить первым»: K1 first
        ("overview", "overview_top", 1, "K2"),  # the largest balance first: K1, then K2
        ("stoplist", "stoplist", 0, "K1"),  # K1 alone: S2 is 315 days overdue
        ("worklist", "worklist", 1, "K2"),  # by the score: K1, then K2
    ],
)
def test_a_row_opens_its_counterpartys_card(
    loaded_db: str, page: str, key: str, row: int, counterparty_id: str
) -> None:
    test = on_page(page)
    assert any(c.value.startswith("Щёлкните строку, чтобы открыть карточку") for c in test.caption)
    assert any(b.proto.label == "Скачать Excel" for b in test.get("download_button"))
    assert_card(select(test, key, row=row), counterparty_id)


def test_a_click_on_a_cell_opens_the_card_but_the_links_cell_leaves_it_to_the_link(loaded_db: str) -> None:
    test = on_page("aging")
    # The link's own cell: the browser opens the card in a new tab, this one stays on the list.
    select(test, "aging_table_counterparty", cell=(1, "card"))
    assert not test.exception
    assert test.title[0].value == "Старение задолженности"
    assert test.session_state["filter_counterparty"] == ""
    assert_card(select(test, "aging_table_counterparty", cell=(1, "overdue")), "K2")


def test_coming_back_shows_the_whole_list_and_does_not_reopen_the_card(loaded_db: str) -> None:
    test = on_page("aging")
    assert_card(select(test, "aging_table_counterparty", row=1), "K2")
    assert "aging_table_counterparty" not in test.session_state  # the row's selection is forgotten
    run(test, "aging")  # the browser's back, or the navigation
    assert not test.exception
    assert test.title[0].value == "Старение задолженности"
    assert list(test.dataframe[0].value["counterparty_name"]) == [NAMES["K1"], NAMES["K2"]]
    assert test.session_state["filter_counterparty"] == ""
    assert "counterparty" not in test.query_params
    run(test)  # and it stays there
    assert test.title[0].value == "Старение задолженности"


def test_the_other_filters_stay_and_come_back_as_they_were(loaded_db: str) -> None:
    test = on_page("exceptions")
    test.selectbox(key="filter_manager").set_value("Сидоров С.С.")
    run(test)
    test.selectbox(key="filter_counterparty").set_value("K2")
    run(test)
    test.selectbox(key="filter_contract").set_value("C3")
    run(test)
    assert_card(select(test, "exceptions_priority", row=0), "K2")
    assert test.session_state["filter_manager"] == "Сидоров С.С."
    assert test.query_params["manager"] == "Сидоров С.С."
    run(test, "exceptions")
    assert not test.exception
    assert (test.session_state["filter_counterparty"], test.session_state["filter_contract"]) == ("K2", "C3")


def test_going_on_from_the_card_keeps_its_counterparty(loaded_db: str) -> None:
    test = on_page("aging")
    assert_card(select(test, "aging_table_counterparty", row=1), "K2")
    run(test, "act")  # the card's link to the act
    assert not test.exception
    assert test.session_state["filter_counterparty"] == "K2"
    run(test, "aging")  # the list, later: as the sidebar says now
    assert list(test.dataframe[0].value["counterparty_name"]) == [NAMES["K2"]]


def test_a_counterparty_chosen_on_the_card_is_not_undone_by_coming_back(loaded_db: str) -> None:
    test = on_page("aging")
    assert_card(select(test, "aging_table_counterparty", row=1), "K2")
    test.selectbox(key="filter_counterparty").set_value("K1")
    run(test, "counterparty")
    assert test.title[0].value == NAMES["K1"]
    run(test, "aging")
    assert test.session_state["filter_counterparty"] == "K1"
    assert list(test.dataframe[0].value["counterparty_name"]) == [NAMES["K1"]]


def test_the_contracts_card_button_opens_the_card_and_back_is_the_whole_list(loaded_db: str) -> None:
    # A row of contracts opens the contract's documents; the card is the button beside them.
    test = on_page("contracts")
    select(test, test.dataframe[0].key, row=1)  # C3 of K2: the most overdue first, C1 then C3
    assert test.subheader[0].value == "Открытые документы: П-7 · ИП Петров Пётр Петрович"
    test.button(key="contracts_card").click()
    assert_card(run(test), "K2")
    run(test, "contracts")
    assert not test.exception
    assert list(test.dataframe[0].value["contract_number"]) == ["Д-1/25", "П-7"]
