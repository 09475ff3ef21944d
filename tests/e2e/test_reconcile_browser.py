"""The client's act reconciled on the act page, in a real browser: the file goes through Streamlit's uploader,
the differences show, the XLSX of both halves downloads, and the act kept shows on the card, whose link
brings its reconciliation back (the same through AppTest, with every number
worked out: tests/pages/test_act_reconcile.py).

The small ledger's K1 over 01.01-28.02.2025 and the client's act of it with S3 left out and S2 typed as
550,00: two lines differ (only_ours +300,50, amount_differs -50,00), the closing balances by 250,50:
ours 200,50 less theirs (1 000,00 + 550,00 received, 1 200,00 + 400,00 paid: -50,00 from our side).
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from queries.act import act
from tests.helpers import their_acts
from tests.helpers.browser import IDLE, download, start_small_ledger_app
from warehouse.engine import make_engine

pytestmark = pytest.mark.e2e
NB = "\u00a0"


def their_file(db_url: str, folder: Path) -> Path:
    engine = make_engine(db_url, pooled=False)
    with engine.connect() as conn:
        ours = act(conn, counterparty_id="K1", date_from=date(2025, 1, 1), date_to=date(2025, 2, 28))
    engine.dispose()
    opening, lines = their_acts.from_our_act(ours)  # S1, S3, S2, P1, P2
    lines = their_acts.retype(their_acts.drop(lines, 1), 1, 55_000)  # S3 gone, S2 550,00
    sheet = their_acts.act_sheet(
        date_from=date(2025, 1, 1),
        date_to=date(2025, 2, 28),
        first_name="ООО «Ромашка»",
        second_name="Наша организация",
        first=(opening, lines),
    )
    return their_acts.write_xlsx(sheet, folder / "Акт сверки от Ромашки.xlsx")


def settle(page) -> None:  # type: ignore[no-untyped-def]
    """Let a rerun finish. Streamlit's status widget also shows «Source file changed» while files of the
    working tree change under the server, so a busy tree may keep it up: the test then goes on and waits for
    the text it needs instead."""
    page.wait_for_timeout(800)
    with suppress(PlaywrightTimeout):
        page.wait_for_function(IDLE, timeout=20_000)
    page.wait_for_timeout(300)


def test_upload_the_clients_act_see_the_differences_and_download_both_halves(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    process, url = start_small_ledger_app(tmp_path)
    try:
        upload = their_file(f"sqlite:///{tmp_path / 'warehouse.db'}", tmp_path / "their")
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url + "/act?counterparty=K1&as_of=2025-02-28")
        page.get_by_text("Сверка с актом клиента").wait_for(timeout=60_000)
        settle(page)
        page.get_by_text("Сверка с актом клиента").click()  # an expander run only when open
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').wait_for(state="attached", timeout=60_000)
        settle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        page.get_by_text("Строк сверки: 5; совпадают: 3; расхождений: 2.", exact=False).wait_for(timeout=60_000)
        settle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        explained = f"Разница сальдо 250,50{NB}₽ = разница сумм −50,00{NB}₽ + нет у клиента 300,50{NB}₽"
        assert page.get_by_text(explained).count() == 1
        # The grid draws on a canvas and keeps its cells' text in a table for screen readers.
        grid = page.locator('[data-testid="stDataFrame"]').last.locator("table").first.inner_text()
        assert "Только у нас" in grid
        assert "Другая сумма" in grid

        data = download(
            page, page.get_by_role("button", name="Акт с расхождениями (Excel)"), tmp_path / "streamlit.log"
        )
        book = load_workbook(BytesIO(data))
        assert book.sheetnames == ["Акт сверки", "Расхождения"]
        cells = [str(c) for row in book["Акт сверки"].iter_rows(values_only=True) for c in row if c is not None]
        assert "По данным ООО «Ромашка», руб." in cells
        assert "Только у нас" in cells

        # Kept as the client's act, it is on the card, whose link brings its reconciliation back.
        page.get_by_role("button", name="Сохранить как акт клиента").click()
        page.get_by_text("Акт клиента сохранён", exact=False).wait_for(timeout=60_000)
        page.goto(url + "/counterparty?counterparty=K1&as_of=2025-02-28")
        page.get_by_text("Клиент прислал акт сверки", exact=False).wait_for(timeout=60_000)
        assert page.get_by_text("01.01–28.02.2025: 2 расхождения", exact=False).count() == 1
        page.get_by_role("button", name="Открыть сверку").click()
        page.get_by_text("Строк сверки: 5; совпадают: 3; расхождений: 2.", exact=False).wait_for(timeout=60_000)
        assert page.get_by_text("Акт клиента: «Акт сверки от Ромашки.xlsx», загружен", exact=False).count() == 1
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        process.terminate()
        process.wait(timeout=30)
