"""The entry point: write a whole demo source folder, step by step, and say what was written."""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from etl.demo.company import COMPANY_ACCOUNT, COMPANY_INN, COMPANY_NAME
from etl.demo.customers import make_customers
from etl.demo.reference import write_calendar, write_contracts, write_counterparties
from etl.demo.shipments import write_movements
from etl.demo.state import Run
from etl.demo.statement import write_statement

# Files an earlier run may have left under another year or month; replaced, never merged with.
_STALE = re.compile(r"^(shipments_\d{4}\.csv|bank_statement_\d{4}-\d{2}\.txt)$")


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`write_demo_source` wrote.

    ``counts`` holds valid rows per entity (``counterparties``, ``contracts``, ``opening_balances``,
    ``shipments``, ``returns``, ``adjustments``, ``payments``, ``allocations``, ``calendar``), plus
    ``shipments_deleted`` (rows marked deleted=1), ``bank_payments`` (incoming statement documents,
    unidentified included), ``bank_unidentified``, ``bank_outgoing`` and ``bad_rows``.

    ``habits`` is each counterparty's habit of payment by counterparty_id (``ontime``, ``early``,
    ``late``, ``erratic``, ``month_end``, ``quarter_end``, ``slowing``, ``chronic``, ``partial``,
    ``prepay``: etl.demo.customers), what a backtest of a forecast may score each habit by. It is never
    written to the folder: the product has to learn it from the payments.
    """

    folder: Path
    files: tuple[Path, ...]
    counts: dict[str, int]
    company_name: str
    company_inn: str
    company_account: str
    habits: dict[str, str] = field(default_factory=dict)


def write_demo_source(folder: Path, *, scale: int = 50_000, seed: int = 1, end: date | None = None) -> DemoSummary:
    """Write a demo source folder of `scale` shipments over the two years up to `end` (default today).

    The folder is created if needed. Files of an earlier demo run are overwritten; year- or
    month-named ones an earlier run left (``shipments_<year>.csv``, ``bank_statement_<YYYY-MM>.txt``)
    are removed so a later load does not mix two demos. Other files are left alone.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1 shipment")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.iterdir()):
        if old.is_file() and _STALE.match(old.name):
            old.unlink()
    # The generator keeps ~10^5 pending documents alive at large scales; the cyclic GC would rescan
    # them again and again for nothing (nothing here makes reference cycles), costing ~10% of the run.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(Run(folder, scale, seed, end or date.today()))
    finally:
        if was_enabled:
            gc.enable()


def _run(run: Run) -> DemoSummary:
    # The order is part of the determinism: every step draws from the same random source.
    make_customers(run)
    write_counterparties(run)
    write_contracts(run)
    statement_docs = write_movements(run)
    write_statement(run, statement_docs)
    write_calendar(run)
    return DemoSummary(
        folder=run.folder,
        files=tuple(sorted(run.files)),
        counts=dict(run.counts),
        company_name=COMPANY_NAME,
        company_inn=COMPANY_INN,
        company_account=COMPANY_ACCOUNT,
        habits={cp.counterparty_id: cp.behaviour for cp in run.cps},
    )
