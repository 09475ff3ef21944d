"""The exceptions page's caches (pages/exceptions.py: the counts, the clients ranked and the open tab's rows,
cached by the warehouse version and the notes' stamp) follow a note written between two runs of one
session, and the whole-list Excel, read when it is clicked, holds every exception the tabs count.

The ledger of tests/helpers/ledgers.py as of 31.12.2025 (tests/pages/test_exceptions.py works it out):
overdue 2 (K1's S2 200,50, K2's S4 200,00), shipped_while_overdue 1 (K1's S5 while S2 was overdue),
no_payment_recently 2 (K1, K2): 5. K1 then disputes S2 from 01.12.2025 (no load: the warehouse version
stays): S2 is disputed, not overdue (overdue 1: S4; disputed 1); S5, shipped on 02.12.2025 when K1's only
overdue debit was already disputed, was not shipped while overdue (0); and K1, with no undisputed overdue
debt left, is no longer a client gone quiet with money overdue (no_payment_recently 1: K2). 3 in all.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from datetime import date

import openpyxl
from streamlit.testing.v1 import AppTest

from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from tests.helpers.notes import note
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

AS_OF = date(2025, 12, 31)


def counts(test: AppTest) -> dict[str, str]:
    """The tabs' labels that count something: «Просрочка» -> «2»."""
    found = {}
    for tab in test.tabs:
        title, _, number = tab.label.rpartition(" (")
        if number != "0)":
            found[title] = number.rstrip(")")
    return found


def listed(test: AppTest, downloads: dict[str, Callable[[], object]]) -> Counter[str]:
    """The whole-list Excel's rows counted by code."""
    button = next(b for b in test.get("download_button") if b.proto.label == "Скачать все исключения (Excel)")
    data = downloads[button.proto.deferred_file_id]()
    assert isinstance(data, bytes)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    code = rows[0].index("code")
    return Counter(str(row[code]) for row in rows[1:])


def test_a_dispute_written_between_two_runs_changes_the_counts_and_the_list(
    loaded_db: str, downloads: dict[str, Callable[[], object]]
) -> None:
    test = AppTest.from_file(str(ROOT / "pages" / "exceptions.py"), default_timeout=60)
    filters = Filters(as_of=AS_OF, currency="RUB", manager="", group="", counterparty_id="", contract_id="")
    test.session_state["page_context"] = PageContext("ru", filters)
    test.run()
    assert not test.exception
    assert counts(test) == {"Просрочка": "2", "Отгрузки при просрочке": "1", "Давно не платят": "2"}
    assert listed(test, downloads) == {"overdue": 2, "shipped_while_overdue": 1, "no_payment_recently": 2}

    engine = make_engine(loaded_db, pooled=False)
    note(engine, "dispute", "K1", date(2025, 12, 1), document_id="S2")
    engine.dispose()
    test.session_state["exceptions_tab"] = test.tabs[0].label  # and the overdue tab's rows, cached too
    test.run()
    assert not test.exception
    after = counts(test)
    assert after == {"Просрочка": "1", "Спорные документы": "1", "Давно не платят": "1"}
    assert listed(test, downloads) == {"overdue": 1, "disputed": 1, "no_payment_recently": 1}
    assert list(test.tabs[0].dataframe[0].value["document_id"]) == ["S4"]
