"""The overview page in a real browser shows what the warehouse holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.load import load_paths
from etl.warehouse import ensure_schema, make_engine
from tests.e2e.conftest import start_app
from tests.test_load import source

pytestmark = pytest.mark.e2e


def test_overview_shows_warehouse_status(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db_url = f"sqlite:///{tmp_path / 'warehouse.db'}"
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    process, url = start_app(db_url, tmp_path)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(url)
        page.get_by_text("Состояние хранилища").wait_for(timeout=60_000)
        page.get_by_text("Контрагенты").first.wait_for()
        metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        # 2 counterparties, 3 contracts, 7 documents (5 shipments + 2 payments), 0 unidentified, 0 rejects.
        assert metrics == ["2", "3", "7", "0", "0"]
        assert page.locator('[data-testid="stException"]').count() == 0
        shots = Path(__file__).resolve().parents[2] / "screenshots"
        shots.mkdir(exist_ok=True)
        page.screenshot(path=str(shots / "overview.png"), full_page=True)
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
