"""A US-format CSV opened in a day-first Excel and saved as XLSX: `1/2/2013` (2 January) became a date cell
of 1 February, `1/13/2013` stayed text. Loaded as it was, half the rows came in with day and month swapped and
the rest were rejected. The file is refused as a whole, saying why; nothing of it loads.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine, text

from etl.load import load_paths
from tests.helpers.ledgers import write_files

REFERENCE = {
    "counterparties.csv": "counterparty_id,name\nK1,ООО «Альфа»\n",
    "contracts.csv": "contract_id,counterparty_id,number,terms_days\nC1,K1,Д-1,30\n",
}


def test_dates_mixed_with_month_first_text_refuse_the_file(engine: Engine, tmp_path: Path) -> None:
    folder = write_files(tmp_path / "src", REFERENCE)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["document_id", "contract_id", "date", "amount"])
    sheet.append(["S1", "C1", date(2013, 2, 1), 100])  # was 1/2/2013: 2 January, swapped by Excel
    sheet.append(["S2", "C1", "1/13/2013", 200])  # no 13th month: left as text
    sheet.append(["S3", "C1", date(2013, 3, 1), 300])  # was 1/3/2013
    book.save(folder / "shipments.xlsx")

    result = load_paths(engine, [folder])

    [refused] = result.refused
    assert refused.path.endswith("shipments.xlsx")
    assert refused.message == (
        "the date column mixes 2 dates with 1 texts like 1/13/2013 (month first): a US-format file opened in a "
        "day-first Excel, so its other dates may have day and month swapped. Open the original CSV with its "
        "dates as text, or export the file again from 1C"
    )
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM documents")).scalar() == 0


def test_day_first_dates_alone_load(engine: Engine, tmp_path: Path) -> None:
    folder = write_files(tmp_path / "src", REFERENCE)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["document_id", "contract_id", "date", "amount"])
    sheet.append(["S1", "C1", date(2013, 1, 2), 100])
    sheet.append(["S2", "C1", "13.01.2013", 200])
    book.save(folder / "shipments.xlsx")
    result = load_paths(engine, [folder])
    assert (result.counts["shipments"].new, result.refused) == (2, [])
