"""Acts at scale (issue 20): the reconciliation act of N rows as PDF and XLSX, timed as medians of 3.

    python -m benchmarks.acts [--rows 45000] [--runs 3] [--only pdf|xlsx]

The act frame is built here in queries.act.act's shape, no warehouse needed: an opening balance, N
documents of realistic wording («Реализация (№ УПД-012345 от 15.01.2026)», «Оплата (п/п № 4567 от
16.01.2026)»), amounts from 0,01 to 999 999 999 999,99, the turnover and the closing balance.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

import polars as pl

from dashboard.services.act_document import ActHeader
from dashboard.services.act_pdf import act_pdf_bytes
from dashboard.services.act_xlsx import act_xlsx_bytes
from queries.act import ACT_SCHEMA, CLOSING_TITLE, OPENING_TITLE, TURNOVER_TITLE

START = date(2026, 1, 1)
LARGEST = 99_999_999_999_999  # kopecks: 999 999 999 999,99
HEADER = ActHeader(
    company='ООО "Торговый дом"',
    counterparty='ООО "Крупнейший клиент и партнёры"',
    date_from=START,
    date_to=date(2026, 12, 31),
)


def act_frame(rows: int, seed: int = 20) -> pl.DataFrame:
    """An act of `rows` documents over 2026: sales and payments, amounts spread over every magnitude."""
    rng = random.Random(seed)
    records: list[tuple[object, ...]] = [("opening", START, OPENING_TITLE, 1_234_567_89, None, *[None] * 8)]
    debit_total = credit_total = 0
    for i in range(rows):
        day = START + timedelta(days=i * 365 // max(rows, 1))
        amount = min(LARGEST, max(1, int(10 ** rng.uniform(0, 14))))
        if rng.random() < 0.6:
            text = f"Реализация (№ УПД-{rng.randrange(1_000_000):06d} от {day:%d.%m.%Y})"
            records.append(("document", day, text, amount, None, f"D{i}", "sale", i, None, "", day, None, None))
            debit_total += amount
        else:
            pay_day = day + timedelta(days=1)
            text = f"Оплата (п/п № {rng.randrange(10_000)} от {pay_day:%d.%m.%Y})"
            records.append(("document", day, text, None, amount, f"D{i}", "payment", i, None, "", pay_day, None, None))
            credit_total += amount
    records.append(("turnover", None, TURNOVER_TITLE, debit_total, credit_total, *[None] * 8))
    closing = 1_234_567_89 + debit_total - credit_total
    closing_amounts = (closing, None) if closing >= 0 else (None, -closing)
    records.append(("closing", date(2026, 12, 31), CLOSING_TITLE, *closing_amounts, *[None] * 8))
    return pl.DataFrame(records, schema=ACT_SCHEMA, orient="row")


def _median(build: Callable[[], bytes], runs: int) -> tuple[float, float, bytes]:
    """Medians of wall and CPU seconds (the machine is shared: CPU seconds move less with its load)."""
    wall, cpu, out = [], [], b""
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        out = build()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=45_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("pdf", "xlsx"))
    args = parser.parse_args()
    act = act_frame(args.rows)
    print(f"act of {act.height:,} rows")
    if args.only != "xlsx":
        seconds, cpu, pdf = _median(lambda: act_pdf_bytes(act, HEADER), args.runs)
        from pypdf import PdfReader

        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"PDF:  {seconds:6.2f} s ({cpu:.2f} s CPU)  {pages:,} pages  {len(pdf) / 1e6:.1f} MB")
    if args.only != "pdf":
        seconds, cpu, xlsx = _median(lambda: act_xlsx_bytes(act, HEADER), args.runs)
        print(f"XLSX: {seconds:6.2f} s ({cpu:.2f} s CPU)  {len(xlsx) / 1e6:.1f} MB")
    print(f"load average {os.getloadavg()[0]:.1f} (the machine is shared: CPU seconds move less with it)")


if __name__ == "__main__":
    main()
