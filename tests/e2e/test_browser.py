"""The app in a real browser: pages render (plotly included), no error box, downloads (Excel, the act's PDF
and the ZIP of acts) read back."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pypdf
import pytest
from openpyxl import load_workbook

from tests.helpers.browser import download, settled, start_small_ledger_app
from tests.helpers.paths import ROOT

pytestmark = pytest.mark.e2e
SHOTS = ROOT / "screenshots"
PAGES = [  # every other page: its navigation title (= its heading) and the screenshot name
    ("Динамика просрочки", "trend"),
    ("Календарь платежей", "calendar"),
    ("Задолженность по договорам", "contracts"),
    ("Исключения", "exceptions"),
    ("Стоп-лист", "stoplist"),
    ("Напоминания", "reminders"),
    ("Карточка контрагента", "counterparty"),
    ("Акт сверки", "act"),
    ("Данные", "data"),
]


def test_pages_render_and_download(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    process, url = start_small_ledger_app(tmp_path)
    SHOTS.mkdir(exist_ok=True)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(url + "/?as_of=2025-12-31")
        page.get_by_text("Крупнейшие должники").wait_for(timeout=60_000)
        # The overview's charts are SVG from the server: drawn with the page, no plotly.js to load.
        page.locator('svg[data-chart="buckets"]').wait_for(timeout=30_000)
        assert page.locator('svg[data-chart="trend"] polygon').count() == 2
        assert page.locator(".js-plotly-plot").count() == 0
        settled(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert values[0].replace("\u00a0", " ") == "501 ₽"
        page.screenshot(path=str(SHOTS / "overview.png"), full_page=True)

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Скачать Excel").first.click()
        workbook = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
        sheet = workbook.active
        assert sheet is not None
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[0][:3] == ["Контрагент", "Менеджер", "Сальдо"]
        assert rows[1][2] == 300.5  # ООО «Ромашка» owes 300,50 as of 31.12.2025

        page.get_by_role("link", name="Старение задолженности").click()
        page.get_by_text("Топ-20 по сальдо").wait_for(timeout=60_000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(SHOTS / "aging.png"), full_page=True)

        for title, shot in PAGES:
            page.get_by_role("link", name=title).click()
            page.locator("h1").first.wait_for(timeout=60_000)
            page.wait_for_function("document.querySelector('[data-testid=\"stStatusWidget\"]') === null")
            page.wait_for_timeout(1500)  # let charts and tables finish drawing
            assert page.locator('[data-testid="stException"]').count() == 0, title
            page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)

        # The act of K1 as the client gets it: the PDF, and every counterparty's acts as one ZIP.
        page.goto(url + "/act?as_of=2025-12-31&counterparty=K1")
        page.get_by_role("button", name="Скачать PDF").wait_for(timeout=60_000)
        page.wait_for_function("document.querySelector('[data-testid=\"stStatusWidget\"]') === null")
        pdf_bytes = download(page, page.get_by_role("button", name="Скачать PDF"), tmp_path / "streamlit.log")
        assert pdf_bytes.startswith(b"%PDF")
        pdf = pypdf.PdfReader(io.BytesIO(pdf_bytes))
        text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
        assert "Сальдо конечное 300,50" in text
        assert "(Триста рублей 50 копеек)" in text
        page.get_by_text("Акты по всем контрагентам (ZIP)").click()
        zip_button = page.get_by_role("button", name="Сформировать и скачать ZIP")
        zip_button.wait_for(timeout=30_000)
        page.wait_for_function("document.querySelector('[data-testid=\"stStatusWidget\"]') === null")
        archive = zipfile.ZipFile(io.BytesIO(download(page, zip_button, tmp_path / "streamlit.log")))
        index = archive.read("index.csv").decode("utf-8-sig")
        assert "K1,ООО «Ромашка»" in index
        assert "300.50" in index
        assert page.locator('[data-testid="stException"]').count() == 0
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_link_to_a_page_opens_that_page_on_a_fresh_server(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # The first visitor of a just-started server follows a shared link to the act page: Streamlit would run
    # pages/act.py without the router (its old pages/ folder mode) unless the page context turns that off.
    process, url = start_small_ledger_app(tmp_path)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url + "/act?as_of=2025-12-31&counterparty=K1")
        page.get_by_role("button", name="Скачать PDF").wait_for(timeout=60_000)
        assert page.locator("h1").first.inner_text() == "Акт сверки"
        assert page.get_by_text("Сальдо конечное").count() >= 1
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_role("link", name="Обзор").count() == 1  # the router's navigation, not a file list
        page.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
