"""`make bench`: load and query timings on demo warehouses, SQLite and PostgreSQL, as medians.

    python -m benchmarks.run [--scales 100000,1000000] [--runs 3] [--backends sqlite,postgres]
    python -m benchmarks.run --aging-on URL [--today 2026-11-20] [--runs 3]   # aging against its floors only

Each scale's demo source folder is written once into bench_out/ and reused; each backend gets a fresh
warehouse (a PostgreSQL database created and dropped here). The floor is the same aging computed by
a bare polars scan of the rows already in memory: what no database round trip can beat. The table is
printed and written to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, create_engine, func, select, text
from sqlalchemy.pool import NullPool

import warehouse
from benchmarks.load_floor import floor as load_floor
from benchmarks.load_memory import measure_in_process
from benchmarks.pages import browser_floor, browser_run, warm_reruns
from dashboard.services.acts import render_act
from dashboard.services.first_pages import warm
from dashboard.services.settings import Config
from domain.buckets import DEFAULT_BUCKETS
from etl.demo import write_demo_source
from etl.load import load_paths
from queries.act import act
from queries.aging import aging
from queries.calendar import payment_calendar
from queries.exceptions import exceptions
from queries.trend import overdue_trend
from warehouse.engine import ensure_schema, make_engine

PG_ADMIN = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
END = date(2026, 11, 20)
OUT = Path("bench_out")
PEAK = "full load: peak RSS (a process of its own)"
FLOOR_TODAY = "floor: aging in polars, in memory"
FLOOR_YEAR_AGO = "floor: aging a year ago in polars, in memory"
TARGETS = {
    "full load": ">= 100k rows/s",
    PEAK: "<= 1 GB",
    "floor: the files read by polars, inserted bare": "",
    "full load / floor": "<= 5x",
    "unchanged reload": "<= 10 s",
    "incremental load, 1,000 documents": "<= 2 s",
    "aging today": "<= 1 s",
    "aging a year ago": "<= 1 s",
    "act, largest counterparty, 1 year": "<= 0.2 s",
    "act as XLSX (data + document)": "<= 1 s",
    "act as PDF (data + document)": "",
    "trend, 3 years daily": "<= 1 s",
    "calendar, 1 year": "",
    "exceptions": "<= 2 s",
    FLOOR_TODAY: "",
    FLOOR_YEAR_AGO: "",
    "aging today / floor": "<= 2x",
    "aging a year ago / floor": "<= 2x",
    "pages, warm rerun (slowest page)": "<= 300 ms",
    "pages, first run (slowest page)": "",
    "first pages prepared after a load": "",
    "overview, first run after a load": "<= 2 s",
    "trend, first run after a load": "<= 2 s",
    "browser: overview's first chart, fresh server": "<= 2 s",
    "browser: a bare Streamlit page, fresh server (floor)": "",
    "app memory: server peak RSS after every page": "<= 1.5 GB",
}


def _fresh_url(backend: str) -> tuple[str, Callable[[], None]]:
    OUT.mkdir(exist_ok=True)
    if backend == "sqlite":
        path = OUT / f"bench_{uuid.uuid4().hex[:6]}.db"

        def remove() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)

        return f"sqlite:///{path}", remove
    name = f"receivables_bench_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name, drop


def _day_files(folder: Path, out: Path, day: date) -> Path:
    """A day's files: 700 shipments and 300 payments like the demo's, new ids, dated `day` (after them all)."""
    out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(day.toordinal())
    shipments = sorted(folder.glob("shipments_*.csv"))[-1].read_text(encoding="utf-8-sig").splitlines()
    payments = list(csv.reader(io.StringIO((folder / "payments.csv").read_text(encoding="utf-8-sig"))))
    with (out / "shipments_day.csv").open("w", encoding="utf-8") as f:
        f.write(shipments[0] + "\n")
        for i, line in enumerate(rnd.sample(shipments[1:], 700)):
            parts = line.split(",")
            parts[0], parts[2], parts[4] = f"SD{day:%Y%m%d}{i:04d}", day.isoformat(), f"УПД-D{i:04d}"
            f.write(",".join(parts) + "\n")
    with (out / "payments_day.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(payments[0])
        for i, row in enumerate(rnd.sample(payments[1:], 300)):
            writer.writerow([f"PD{day:%Y%m%d}{i:04d}", day.isoformat(), *row[2:]])
    return out


def _timed(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _largest_counterparty(conn: Connection) -> str:
    d = warehouse.documents
    return str(
        conn.execute(
            select(d.c.counterparty_id)
            .where(d.c.counterparty_id.is_not(None))
            .group_by(d.c.counterparty_id)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar()
    )


def polars_floor(conn: Connection, as_of: date) -> Callable[[], pl.DataFrame]:
    """Aging as of `as_of` from frames already in memory: open = amount - matches <= as_of, by contract, and
    its overdue part. The rows are read once here; the work returned is what the floor times."""
    d, m = warehouse.documents, warehouse.matches
    docs = pl.DataFrame(
        [
            tuple(r)
            for r in conn.execute(
                select(d.c.doc_pk, d.c.contract_id, d.c.doc_date, d.c.due_date, d.c.amount).where(d.c.side == 1)
            )
        ],
        schema={
            "doc_pk": pl.Int64,
            "contract_id": pl.String,
            "doc_date": pl.Date,
            "due_date": pl.Date,
            "amount": pl.Int64,
        },
        orient="row",
    )
    matches = pl.DataFrame(
        [tuple(r) for r in conn.execute(select(m.c.debit_pk, m.c.amount, m.c.match_date))],
        schema={"doc_pk": pl.Int64, "matched": pl.Int64, "match_date": pl.Date},
        orient="row",
    )

    def work() -> pl.DataFrame:
        paid = matches.lazy().filter(pl.col("match_date") <= as_of).group_by("doc_pk").agg(pl.col("matched").sum())
        return (
            docs.lazy()
            .filter(pl.col("doc_date") <= as_of)
            .join(paid, on="doc_pk", how="left")
            .with_columns((pl.col("amount") - pl.col("matched").fill_null(0)).alias("open"))
            .filter(pl.col("open") > 0)
            .with_columns((pl.lit(as_of) - pl.col("due_date")).dt.total_days().alias("days"))
            .group_by("contract_id")
            .agg(pl.col("open").sum(), pl.col("open").filter(pl.col("days") > 0).sum().alias("overdue"))
            .collect()
        )

    return work


def _timed_in_turn(runs: int, works: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Each work once a round, in turn, `runs` rounds; the medians. A shared machine's load drifts: works
    compared with each other should meet the same drift."""
    times: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(runs):
        for name, work in works.items():
            started = time.perf_counter()
            work()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def aging_against_floors(conn: Connection, today: date, runs: int) -> dict[str, str]:
    """Aging today and a year before `today`, each beside its polars floor as of the same day, timed in
    turn in one run (medians of `runs`), and the ratios issue 20 holds them to (at most 2x)."""
    year_ago = today - timedelta(days=365)
    seconds = _timed_in_turn(
        runs,
        {
            FLOOR_TODAY: polars_floor(conn, today),
            "aging today": lambda: aging(conn, as_of=today),
            FLOOR_YEAR_AGO: polars_floor(conn, year_ago),
            "aging a year ago": lambda: aging(conn, as_of=year_ago),
        },
    )
    figures = {name: f"{value:.3f} s" for name, value in seconds.items()}
    figures["aging today / floor"] = f"{seconds['aging today'] / seconds[FLOOR_TODAY]:.2f}x"
    figures["aging a year ago / floor"] = f"{seconds['aging a year ago'] / seconds[FLOOR_YEAR_AGO]:.2f}x"
    return figures


def bench_backend(folder: Path, backend: str, runs: int) -> dict[str, str]:
    url, drop = _fresh_url(backend)
    engine = make_engine(url, pooled=False)
    figures: dict[str, str] = {}
    try:
        ensure_schema(engine)
        # In a process of its own, as `receivables load` runs it: its peak of memory is the load's alone.
        first = measure_in_process(folder, url)
        seconds, rows = float(first["load_seconds"]), int(first["rows_read"])
        figures["full load"] = f"{seconds:.1f} s ({rows / seconds:,.0f} rows/s)"
        figures[PEAK] = f"{first['peak_rss_mb']:,.0f} MB"
        # The same files read with polars and inserted into bare tables of a fresh database of the same
        # kind: what issue 20 holds the full load against.
        floor_url, drop_floor = _fresh_url(backend)
        floor_engine = create_engine(floor_url, poolclass=NullPool)
        try:
            bare = load_floor(folder, floor_engine)
        finally:
            floor_engine.dispose()
            drop_floor()
        figures["floor: the files read by polars, inserted bare"] = f"{bare.seconds:.2f} s ({bare.rows:,} rows)"
        figures["full load / floor"] = f"{seconds / bare.seconds:.1f}x"
        again = load_paths(engine, [folder])
        figures["unchanged reload"] = f"{again.seconds:.1f} s"
        day = _day_files(folder, OUT / f"day_{folder.name}", END + timedelta(days=1))
        daily = load_paths(engine, [day])
        figures["incremental load, 1,000 documents"] = (
            f"{daily.seconds:.1f} s ({daily.continued_counterparties} of {daily.rematched_counterparties} "
            "counterparties matched on)"
        )
        # What `receivables load` does after a load: the first pages' default answers, for the bench's day.
        warmed = warm(engine, DEFAULT_BUCKETS, END)
        figures["first pages prepared after a load"] = f"{warmed.seconds:.1f} s ({warmed.answers} answers)"
        with engine.connect() as conn:
            largest = _largest_counterparty(conn)
            year_ago = END - timedelta(days=365)
            figures.update(aging_against_floors(conn, END, runs))
            queries: dict[str, Callable[[], object]] = {
                "act, largest counterparty, 1 year": lambda: act(
                    conn, counterparty_id=largest, date_from=year_ago, date_to=END
                ),
                "act as XLSX (data + document)": lambda: render_act(
                    conn, Config(), counterparty_id=largest, date_from=year_ago, date_to=END, fmt="xlsx"
                ),
                "act as PDF (data + document)": lambda: render_act(
                    conn, Config(), counterparty_id=largest, date_from=year_ago, date_to=END, fmt="pdf"
                ),
                "trend, 3 years daily": lambda: overdue_trend(
                    conn, date_from=END - timedelta(days=3 * 365), date_to=END, freq="day"
                ),
                "calendar, 1 year": lambda: payment_calendar(conn, as_of=END, date_from=year_ago, date_to=END),
                "exceptions": lambda: exceptions(conn, as_of=END),
            }
            for name, work in queries.items():
                figures[name] = f"{_timed(runs, work):.3f} s"
        pages = warm_reruns(url, END, largest)
        slowest_warm = max(pages, key=lambda p: pages[p][1])
        slowest_first = max(pages, key=lambda p: pages[p][0])
        failed = [p for p, (_, _, raised) in pages.items() if raised]
        figures["pages, warm rerun (slowest page)"] = f"{pages[slowest_warm][1] * 1000:.0f} ms ({slowest_warm})" + (
            f"; raised: {', '.join(failed)}" if failed else ""
        )
        figures["pages, first run (slowest page)"] = f"{pages[slowest_first][0]:.1f} s ({slowest_first})"
        figures["overview, first run after a load"] = f"{pages['overview'][0]:.2f} s"
        figures["trend, first run after a load"] = f"{pages['trend'][0]:.2f} s"
        browser = browser_run(url, END)
        if browser is not None:
            figures["browser: overview's first chart, fresh server"] = f"{browser[0]:.2f} s"
            floor = browser_floor()
            if floor is not None:
                figures["browser: a bare Streamlit page, fresh server (floor)"] = f"{floor:.2f} s"
            figures["app memory: server peak RSS after every page"] = f"{browser[1]:,.0f} MB"
    finally:
        engine.dispose()
        drop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--aging-on", metavar="URL", help="only aging against its floors, on this warehouse")
    parser.add_argument("--today", type=date.fromisoformat, default=END, help="with --aging-on: the day of «today»")
    args = parser.parse_args()
    if args.aging_on:
        engine = make_engine(args.aging_on, pooled=False)
        with engine.connect() as conn:
            figures = aging_against_floors(conn, args.today, args.runs)
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print("\n".join(f"| {name} | {figures[name]} |" for name in TARGETS if name in figures), f"\nload {load}")
        return
    lines = [
        "# Benchmarks",
        "",
        f"`make bench` on {platform.machine()} with {platform.python_version()}, demo data ending {END}, "
        f"medians of {args.runs} runs for queries (loads run once). Written by benchmarks/run.py.",
        "",
    ]
    for scale in (int(s) for s in args.scales.split(",")):
        folder = OUT / f"demo_{scale}"
        if not (folder / ".complete").exists():
            write_demo_source(folder, scale=scale, seed=1, end=END)
            (folder / ".complete").write_text("ok")
        results = {backend: bench_backend(folder, backend, args.runs) for backend in args.backends.split(",")}
        backends = list(results)
        lines += [
            f"## {scale:,} shipments",
            "",
            "| operation | target | " + " | ".join(backends) + " |",
            "|---|---|" + "---|" * len(backends),
        ]
        for operation, target in TARGETS.items():
            lines.append(
                f"| {operation} | {target} | " + " | ".join(results[b].get(operation, "") for b in backends) + " |"
            )
        lines.append("")
        print("\n".join(lines[-(len(TARGETS) + 4) :]), flush=True)
    path = Path("docs/benchmarks.md")
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(keep_hand_written("\n".join(lines), previous), encoding="utf-8")


# Everything from this line on in docs/benchmarks.md is measured by hand (acts, the act page, an idle
# machine's reruns) and survives `make bench`, which rewrites only the tables above it.
HAND_WRITTEN = "<!-- Below: measured by hand; make bench keeps it. -->"


def keep_hand_written(generated: str, previous: str) -> str:
    """The new tables, followed by the previous file's hand-written part (from HAND_WRITTEN on), if any."""
    if HAND_WRITTEN not in previous:
        return generated
    return generated.rstrip("\n") + "\n\n" + previous[previous.index(HAND_WRITTEN) :]


if __name__ == "__main__":
    main()
