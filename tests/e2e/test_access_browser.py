"""Sign-in through a trusted proxy header in a real browser: a manager's pages hold only their clients, a
request without the header is refused, and a download clicked in the browser lands in the CFO's audit log.

The proxy is played by Playwright's extra HTTP headers, which reach Streamlit's st.context.headers the way
a reverse proxy's do."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.load import load_paths
from tests.helpers.browser import settled, start_app
from tests.helpers.ledgers import source
from tests.helpers.paths import ROOT
from warehouse.engine import ensure_schema, make_engine

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots"
CONFIG = """
[auth]
mode = "header"
header = "X-Forwarded-Email"
[auth.users]
"cfo@firm.ru" = { role = "cfo", name = "Петрова А. В." }
"ivanov@firm.ru" = { role = "manager", manager = "Иванов И.И.", name = "Иванов И. И." }
"""


def test_header_sign_in_scopes_a_manager_and_audits_a_download(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db_url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    load_paths(engine, [source(tmp_path)])  # K1 ООО «Ромашка» is Иванов's, K2 ИП Петров is Сидоров's
    engine.dispose()
    config = tmp_path / "receivables.toml"
    config.write_text(CONFIG, encoding="utf-8")
    process, url = start_app(db_url, tmp_path, config)
    SHOTS.mkdir(exist_ok=True)
    try:
        manager = browser.new_context(
            viewport={"width": 1400, "height": 1000},
            accept_downloads=True,
            extra_http_headers={"X-Forwarded-Email": "Ivanov@Firm.ru"},
        )
        page = manager.new_page()
        page.goto(url + "/aging?as_of=2025-12-31&counterparty=K2&manager=Сидоров С.С.")
        page.get_by_text("Топ-20 по сальдо").wait_for(timeout=60_000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Скачать Excel").first.wait_for(timeout=30_000)
        settled(page)
        body = page.locator("body").inner_text()
        assert "ООО «Ромашка»" in body
        assert "Петров" not in body
        assert "Сидоров" not in body
        assert "K2" not in body
        assert "Вы вошли как Иванов И. И. (менеджер)" in body
        assert page.get_by_role("link", name="Данные").count() == 0
        assert page.get_by_role("link", name="Журнал действий").count() == 0
        page.screenshot(path=str(SHOTS / "manager_aging.png"), full_page=True)
        with page.expect_download(timeout=60_000) as download_info:
            page.get_by_role("button", name="Скачать Excel").first.click()
        assert download_info.value.suggested_filename.endswith(".xlsx")
        manager.close()

        stranger = browser.new_page()
        stranger.goto(url + "/?as_of=2025-12-31")
        stranger.get_by_text("заголовке X-Forwarded-Email").wait_for(timeout=60_000)
        assert "Ромашка" not in stranger.locator("body").inner_text()
        stranger.close()

        cfo = browser.new_context(
            viewport={"width": 1400, "height": 1000}, extra_http_headers={"X-Forwarded-Email": "cfo@firm.ru"}
        )
        page = cfo.new_page()
        page.goto(url + "/audit")
        page.get_by_role("heading", name="Журнал действий").wait_for(timeout=60_000)
        settled(page)
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(SHOTS / "audit.png"), full_page=True)
        cfo.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    # The grid is a canvas: read the log from the warehouse, as the page does.
    from datetime import date

    from queries.audit import audit_log

    engine = make_engine(db_url, pooled=False)
    with engine.connect() as conn:
        log = audit_log(conn, date_from=date.today(), date_to=date.today())
    engine.dispose()
    exports = log.filter(log["action"] == "export").rows(named=True)
    assert [(r["user"], r["role"], r["source"]) for r in exports] == [("ivanov@firm.ru", "manager", "app")]
    assert exports[0]["subject"].endswith(".xlsx")
