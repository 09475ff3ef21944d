"""A client of ours in a real browser, signed in through the trusted proxy's header: its own account (debts,
payment calendar, acts, payments) in Russian and English, nothing of the other client, its manager or our
internal pages, whatever link it opens; a download holds its own act only.

The small ledger (tests/helpers/ledgers.py) as of 31.12.2025: K1 «Ромашка» owes 300,50 on Д-1/25 (S2 УПД-2
200,50 overdue since 19.02.2025, S5 УПД-5 100,00 due 12.01.2026). K2 «ИП Петров» (manager Сидоров С.С.) is
the other client. The pictures go to $RECEIVABLES_SHOTS (e.g. /tmp/shots/client), else the test's folder.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import openpyxl
import pytest

from etl.load import load_paths
from tests.helpers.browser import download, settled, start_app
from tests.helpers.ledgers import source
from warehouse.engine import ensure_schema, make_engine

pytestmark = pytest.mark.e2e
CONFIG = """
[company]
name = "ООО «Пример»"
[auth]
mode = "header"
header = "X-Forwarded-Email"
[auth.users]
"cfo@firm.ru" = { role = "cfo" }
"buh@romashka.ru" = { role = "client", counterparty = "K1", name = "Бухгалтерия Ромашки" }
"""
FOREIGN = ("Петров", "K2", "П-7", "УПД-4", "Сидоров", "Иванов", "Розница", "Сети", "Кредитный лимит", "Credit limit")


def body_of(page) -> str:  # type: ignore[no-untyped-def]
    settled(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    return str(page.locator("body").inner_text())


def test_a_client_signed_in_by_the_header_sees_its_own_account(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db_url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    config = tmp_path / "receivables.toml"
    config.write_text(CONFIG, encoding="utf-8")
    shots = Path(os.environ.get("RECEIVABLES_SHOTS", str(tmp_path / "shots")))
    shots.mkdir(parents=True, exist_ok=True)
    process, url = start_app(db_url, tmp_path, config)
    try:
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000},
            accept_downloads=True,
            extra_http_headers={"X-Forwarded-Email": "buh@romashka.ru"},
        )
        page = context.new_page()
        page.goto(url + "/?as_of=2025-12-31")
        page.get_by_role("heading", name="ООО «Ромашка»: задолженность на 31.12.2025").wait_for(timeout=60_000)
        page.locator('[data-testid="stDataFrame"]').nth(1).wait_for(timeout=30_000)
        body = body_of(page)
        assert [w for w in FOREIGN if w in body] == []
        assert "Вы вошли как Бухгалтерия Ромашки (клиент)" in body
        assert "300,50\u00a0₽" in body  # owed on documents
        assert "Ближайший платёж\n\n12.01.2026\n\n100,00\u00a0₽" in body  # the next payment
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Мой счёт" in sidebar
        for link in ("Долги", "Календарь платежей", "Акт сверки", "Мои оплаты"):
            assert page.get_by_role("link", name=link).count() == 1, link
        for internal in ("Обзор", "Кому звонить", "Исключения", "Стоп-лист", "Данные", "Журнал действий", "Карточка"):
            assert page.get_by_role("link", name=internal).count() == 0, internal
        assert [word for word in ("Менеджер", "Группа", "Контрагент", "Договор") if word in sidebar] == []
        page.screenshot(path=str(shots / "client_account_ru.png"), full_page=True)

        # A crafted link to an internal page opens no internal page; the client's own default instead.
        page.goto(url + "/exceptions?as_of=2025-12-31&counterparty=K2&manager=Сидоров С.С.")
        page.get_by_role("heading", name="ООО «Ромашка»: задолженность на 31.12.2025").wait_for(timeout=60_000)
        body = body_of(page)
        assert [w for w in FOREIGN if w in body] == []
        page.goto(url + "/counterparty?counterparty=K2&as_of=2025-12-31")
        page.get_by_role("heading", name="ООО «Ромашка»: задолженность на 31.12.2025").wait_for(timeout=60_000)
        assert [w for w in FOREIGN if w in body_of(page)] == []

        # The act asked for another client is the client's own; its workbook too.
        page.goto(url + "/act?counterparty=K2&as_of=2025-12-31")
        page.get_by_role("heading", name="Акт сверки", exact=True).wait_for(timeout=60_000)
        page.get_by_role("button", name="Скачать Excel").wait_for(timeout=60_000)
        body = body_of(page)
        assert "ООО «Ромашка»" in body
        assert [w for w in FOREIGN if w in body] == []
        assert page.get_by_text("Акты по всем контрагентам (ZIP)").count() == 0  # no batch of acts for a client
        page.screenshot(path=str(shots / "act_ru.png"), full_page=True)
        data = download(page, page.get_by_role("button", name="Скачать Excel"), tmp_path / "streamlit.log")
        cells = " ".join(
            str(c) for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for c in row
        )
        assert "ООО «Ромашка»" in cells
        assert [w for w in FOREIGN if w in cells] == []

        page.goto(url + "/client_payments?as_of=2025-12-31")
        page.get_by_role("heading", name="ООО «Ромашка»: история оплат").wait_for(timeout=60_000)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
        body = body_of(page)
        assert "Оплат: 2 на 1\u00a0600,00\u00a0₽" in body  # P1 1 200,00 and P2 400,00
        assert [w for w in FOREIGN if w in body] == []
        page.screenshot(path=str(shots / "client_payments_ru.png"), full_page=True)

        page.goto(url + "/payment_calendar?as_of=2025-12-31")
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        body = body_of(page)
        assert "Январь 2026: к оплате" in body
        assert [w for w in FOREIGN if w in body] == []
        page.screenshot(path=str(shots / "calendar_ru.png"), full_page=True)

        # English: the same account in the other language.
        for path, heading, name in (
            ("/", "ООО «Ромашка»: debts as of 2025-12-31", "client_account_en.png"),
            ("/client_payments", "ООО «Ромашка»: payment history", "client_payments_en.png"),
            ("/act", "Reconciliation act", "act_en.png"),
            ("/payment_calendar", "Payment calendar", "calendar_en.png"),
        ):
            page.goto(url + path + "?as_of=2025-12-31&lang=en")
            page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=60_000)
            body = body_of(page)
            assert [w for w in FOREIGN if w in body] == [], path
            assert "My account" in body
            if path == "/":
                assert "Next payment due\n\n2026-01-12\n\n100.00 RUB" in body
            page.screenshot(path=str(shots / name), full_page=True)
        context.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
