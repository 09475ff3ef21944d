"""The client's debts page (pages/client_account.py) through AppTest on the small ledger
(tests/helpers/ledgers.py), signed in as the client K1 «Ромашка»; numbers worked out by hand.

Due dates: S1 1 000,00 (C1, 10.01, 30 days: 09.02 is a Sunday, so 10.02), S2 500,00 (C1, 20.01: 19.02),
S3 300,50 (C2, 15.01, 10 working days: 29.01), S5 100,00 (C1, 02.12.2025: 01.01.2026 falls in the New
Year holidays, so 12.01.2026). P1 1 200,00 on C1 (01.02) closes S1 (1 000,00) and S2 (200,00); P2 400,00
to K1 as a whole (05.02) closes S3 (300,50, the earliest due) and S2 (99,50).

As of 03.02.2025: S2 open 300,00 not due (due 19.02); S3 300,50 overdue 5 days (03.02 - 29.01). Owed
600,50 = 300,50 overdue + 300,00 not due; no advance; the next payment 300,00 by 19.02.2025.
As of 10.12.2025: S2 open 500 - 200 - 99,50 = 200,50, overdue 294 days (19.02 is day 50, 10.12 day 344);
S5 100,00 not due; C2 settled. Owed 300,50; next payment 100,00 by 12.01.2026.
K2 «ИП Петров» (manager Сидоров С.С., group Розница, contract П-7, УПД-4) is another client: never shown.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.services.access import User
from dashboard.ui.auth import USER_KEY
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from tests.helpers.ledgers import CONTRACTS, COUNTERPARTIES, PAYMENTS, SHIPMENTS, source, write_files
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

NB = "\u00a0"
OTHERS = ("Петров", "K2", "П-7", "УПД-4", "Сидоров", "Розница")
INTERNAL = ("Иванов", "Сети", "лимит", "limit", "buh@romashka.ru")  # its manager, group, limits, e-mail


def page(as_of: date, *, counterparty: str = "K1", language: str = "ru") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "client_account.py"), default_timeout=60)
    test.session_state[USER_KEY] = User(login="buh@romashka.ru", role="client", counterparty=counterparty)
    test.session_state["page_context"] = PageContext(
        language, Filters(as_of, "RUB", manager="", group="", counterparty_id=counterparty, contract_id="")
    )
    return test.run()


def text_of(test: AppTest) -> str:
    parts = [
        e.value for kind in ("title", "subheader", "markdown", "caption", "info", "success") for e in test.get(kind)
    ]
    parts += [f"{m.label} {m.value}" for m in test.metric]
    parts += [df.value.to_csv() for df in test.dataframe]
    return "\n".join(str(p) for p in parts)


def days(documents: pd.DataFrame) -> list[int | None]:
    return [None if pd.isna(v) else int(v) for v in documents["days_overdue"]]


def tiles(test: AppTest) -> dict[str, str]:
    """Each tile's exact amount: the chip beneath its rounded figure (or the figure, when it has no chip)."""
    return {m.label: m.proto.delta or m.value for m in test.metric}


def test_debts_as_of_february_with_the_next_payment(loaded_db: str) -> None:
    test = page(date(2025, 2, 3))
    assert not test.exception
    assert test.title[0].value == "ООО «Ромашка»: задолженность на 03.02.2025"
    assert tiles(test) == {
        "Долг по документам": f"600,50{NB}₽",
        "Из него просрочено": f"300,50{NB}₽",
        "Срок ещё не наступил": f"300,00{NB}₽",
        "Аванс (переплата)": f"0,00{NB}₽",
        "Ближайший платёж": f"300,00{NB}₽",
    }
    # The big figures are rounded to whole roubles (millions would not fit a tile); the next payment's is its day.
    assert [m.value for m in test.metric] == [f"601{NB}₽", f"301{NB}₽", f"300{NB}₽", f"0{NB}₽", "19.02.2025"]
    contracts = test.dataframe[0].value
    assert list(contracts["contract_number"]) == ["Д-1/25", "Д-2/25"]
    assert list(contracts["open_debits"]) == [Decimal("300.00"), Decimal("300.50")]
    assert list(contracts["overdue"]) == [Decimal("0.00"), Decimal("300.50")]
    documents = test.dataframe[1].value
    # S3 (due 29.01, 5 days overdue) first, then S2 (due 19.02, not yet due: no days overdue).
    assert list(documents["number"]) == ["УПД-3", "УПД-2"]
    assert list(documents["open_amount"]) == [Decimal("300.50"), Decimal("300.00")]
    assert list(documents["amount"]) == [Decimal("300.50"), Decimal("500.00")]
    assert days(documents) == [5, None]
    text = text_of(test)
    assert "ООО «Ромашка»" in text  # its own name is there; nothing of another client or ours
    assert [word for word in OTHERS + INTERNAL if word in text] == []


def test_debts_in_december_and_in_english(loaded_db: str) -> None:
    test = page(date(2025, 12, 10), language="en")
    assert not test.exception
    assert test.title[0].value == "ООО «Ромашка»: debts as of 2025-12-10"
    shown = tiles(test)
    assert shown["Owed on documents"] == "300.50 RUB"
    assert shown["Of it overdue"] == "200.50 RUB"
    assert shown["Not yet due"] == "100.00 RUB"
    assert shown["Next payment due"] == "100.00 RUB"
    assert [m.value for m in test.metric][-1] == "2026-01-12"
    contracts = test.dataframe[0].value
    assert list(contracts["contract_number"]) == ["Д-1/25"]  # Д-2/25 is settled
    documents = test.dataframe[1].value
    assert list(documents["number"]) == ["УПД-2", "УПД-5"]
    assert days(documents) == [294, None]
    text = text_of(test)
    assert "Д-1/25" in text
    assert [word for word in OTHERS + INTERNAL if word in text] == []
    assert [b.proto.label for b in test.get("download_button")] == ["Download Excel", "Download Excel"]


def test_an_advance_and_nothing_owed(app_db: str, tmp_path: Path) -> None:
    """P3 1 000,00 to K1 as a whole on 05.12.2025 closes S2's 200,50 and S5's 100,00: 699,50 is left as an
    advance, on a row without a contract; nothing is owed and there is no next payment."""
    folder = source(tmp_path, advance=True)
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [folder])
    engine.dispose()
    test = page(date(2025, 12, 10))
    assert not test.exception
    assert tiles(test) == {
        "Долг по документам": f"0,00{NB}₽",
        "Из него просрочено": f"0,00{NB}₽",
        "Срок ещё не наступил": f"0,00{NB}₽",
        "Аванс (переплата)": f"699,50{NB}₽",
        "Ближайший платёж": "нет",
    }
    assert [c.value for c in test.caption if c.value.startswith("Сальдо")] == [f"Сальдо с учётом аванса: -699,50{NB}₽"]
    contracts = test.dataframe[0].value
    assert list(contracts["contract_number"]) == ["без договора (аванс)"]
    assert list(contracts["advance"]) == [Decimal("699.50")]
    assert [i.value for i in test.info] == ["Неоплаченных документов нет."]


def test_a_client_unknown_to_the_warehouse_sees_an_empty_account(loaded_db: str) -> None:
    test = page(date(2025, 12, 10), counterparty="K9")
    assert not test.exception
    assert "«K9»" in test.info[0].value
    assert "не найден" in test.info[0].value
    assert not test.dataframe
    assert not test.metric
    text = text_of(test)
    assert [word for word in ("Ромашка", *OTHERS) if word in text] == []


def test_the_other_client_sees_its_own_and_not_ours(loaded_db: str) -> None:
    """K2 as of 10.12.2025: S4 200,00 (02.12.2025, terms 0: due that day) is 8 days overdue."""
    test = page(date(2025, 12, 10), counterparty="K2")
    assert not test.exception
    assert tiles(test)["Из него просрочено"] == f"200,00{NB}₽"
    text = text_of(test)
    assert "УПД-4" in text
    assert [w for w in ("Ромашка", "УПД-1", "УПД-2", "Д-1/25", "K1", "Иванов") if w in text] == []


def test_anyone_but_a_client_running_the_page_sees_no_account(loaded_db: str) -> None:
    test = AppTest.from_file(str(ROOT / "pages" / "client_account.py"), default_timeout=60)
    test.session_state[USER_KEY] = User(login="cfo@firm.ru", role="cfo")
    test.session_state["page_context"] = PageContext("ru", Filters(date(2025, 12, 10), "RUB", "", "", "", ""))
    test.run()
    assert not test.exception
    assert test.info[0].value.startswith("Эта страница — личный кабинет клиента")
    assert not test.dataframe
    assert "Ромашка" not in text_of(test)
    assert "Ромашка" in text_of(page(date(2025, 12, 10)))  # the client itself sees its name


def test_each_currency_on_its_own(app_db: str, tmp_path: Path) -> None:
    """K1 also has C4 in USD (terms 0) with S6 50,00 USD on 01.12.2025: as of 10.12.2025 it is 9 days overdue.
    The RUB figures stay as in December above (owed 300,50); the dollars are never added to them."""
    folder = write_files(
        tmp_path / "src",
        {
            "counterparties.csv": COUNTERPARTIES,
            "contracts.csv": CONTRACTS.rstrip("\n") + "\nC4,K1,USD-1,2025-06-01,USD,0,calendar,\n",
            "shipments.csv": SHIPMENTS.rstrip("\n") + "\nS6,C4,2025-12-01,50,INV-6,,,\n",
            "payments.csv": PAYMENTS,
        },
    )
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [folder])
    engine.dispose()
    test = page(date(2025, 12, 10))
    assert not test.exception
    assert [s.value for s in test.subheader][:2] == ["В валюте RUB", "В валюте USD"]
    owed = [m.proto.delta for m in test.metric if m.label == "Долг по документам"]
    assert owed == [f"300,50{NB}₽", f"50,00{NB}USD"]
    contracts = test.dataframe[0].value
    assert list(zip(contracts["contract_number"], contracts["currency"], strict=True)) == [
        ("Д-1/25", "RUB"),
        ("USD-1", "USD"),
    ]
    documents = test.dataframe[1].value
    assert days(documents.loc[documents["number"] == "INV-6"]) == [9]
