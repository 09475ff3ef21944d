"""The demo's source folder split at a date, for tests of a load onto a warehouse that already holds the
earlier part: incremental matching, and a load killed or raced while it brings the later part.

The demo (etl.demo) writes most CSV files `,`-separated with ISO dates, but returns and adjustments
`;`-separated with dates as DD.MM.YYYY, and the counterparties in cp1251, as 1C writes them: each file is
split with its own delimiter and its dates read as the loader reads them.
"""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from domain.errors import InvalidValue
from etl.demo import COMPANY_INN, COMPANY_NAME, write_demo_source
from etl.load import load_paths
from etl.parsing import parse_date
from warehouse.engine import make_engine

END = date(2026, 6, 30)  # the demo's last day
CUT = date(2026, 3, 31)  # the last day of the earlier part


def split_at(whole: Path, before: Path, after: Path | None = None, cut: date = CUT) -> None:
    """Write the rows of each file of `whole` dated up to `cut` into `before`, and the later ones into
    `after` (when given). A file without a date column (the master data, the contracts workbook, the
    allocations) goes to `before` whole; the bank statement, the last month's, to `after`."""
    for path in sorted(whole.iterdir()):
        try:
            text = path.read_text(encoding="utf-8-sig") if path.suffix == ".csv" else ""
        except UnicodeDecodeError:  # the counterparties come in cp1251: no dates in them
            text = ""
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter)) if text else []
        if not rows or "date" not in rows[0]:
            if path.suffix != ".txt":
                shutil.copy(path, before / path.name)
            elif after is not None:
                shutil.copy(path, after / path.name)
            continue
        at = rows[0].index("date")
        for folder, later in ((before, False), (after, True)):
            if folder is None:
                continue
            out = io.StringIO()
            kept = [row for row in rows[1:] if _after(row[at], cut) is later]
            csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows([rows[0], *kept])
            (folder / path.name).write_text(out.getvalue(), encoding="utf-8")


def _after(text: str, cut: date) -> bool:
    """Whether a row dated `text` comes after cut. The demo's deliberately impossible dates (31.02) go
    with the earlier part: whichever load reads them rejects them."""
    try:
        return parse_date(text) > cut
    except InvalidValue:
        return False


@dataclass(frozen=True)
class Sources:
    base: Path  # the demo's documents up to CUT (no bank statement)
    change: Path  # the whole demo, with corrected amounts on some 2025 shipments
    correction: Path  # only the corrected 2025 shipments


def demo_sources(root: Path, scale: int) -> Sources:
    """The demo split at CUT, the whole of it with corrections, and the corrections alone."""
    whole, base, change, correction = (root / name for name in ("whole", "base", "change", "correction"))
    write_demo_source(whole, scale=scale, seed=5, end=END)
    for folder in (base, change, correction):
        folder.mkdir()
    shutil.copytree(whole, change, dirs_exist_ok=True)
    split_at(whole, base)
    # A corrected re-export of 2025: every 25th shipment one ruble more, so its counterparty is matched
    # again from scratch (an earlier document changed), while the others only go on with the new days.
    rows = list(csv.reader(io.StringIO((whole / "shipments_2025.csv").read_text(encoding="utf-8-sig"))))
    amount = rows[0].index("amount")
    for row in rows[1::25]:
        row[amount] = str(Decimal(row[amount]) + 1)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    for folder in (change, correction):
        (folder / "shipments_2025.csv").write_text(out.getvalue(), encoding="utf-8")
    return Sources(base, change, correction)


def load_base(url: str, base: Path) -> None:
    """Load the earlier part into the warehouse at url, as the demo's company."""
    engine = make_engine(url, pooled=False)
    load_paths(engine, [base], company_inn=COMPANY_INN, company_name=COMPANY_NAME)
    engine.dispose()
