"""10M documents on PostgreSQL (issue 20): a demo source written once, split by month, loaded month by month
with `receivables load`, then the queries and the pages timed.

    python -m benchmarks.ten_million --scale 5800000 --db postgresql+psycopg2://postgres@127.0.0.1:5432/t10m \
        --out /tmp/T/10m [--steps generate,split,load,measure] [--runs 3]

A full load of 10M documents at once needs more memory than the 2-core, 23 GB machine has (about 3.4 GB of
RSS per million shipments at the time of writing), so the source is loaded a month at a time, as a company
that migrates would, or as nightly loads would have built it. Every step runs under `nice -n 10` and
`/usr/bin/time -v` (wall, CPU and peak RSS of each), and appends what it measured to OUT/results.jsonl with
the load average of that moment; a rerun skips the months already loaded. The database must exist and be
empty (`createdb -h 127.0.0.1 -U postgres t10m`); dropping it and deleting OUT is left to the caller.
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TextIO

from domain.errors import InvalidValue
from etl.demo import COMPANY_INN, COMPANY_NAME
from etl.parsing import parse_date

END = date(2026, 11, 20)  # the demo's last day, as in `make bench`
STATEMENT = re.compile(r"(\d{4}-\d{2})")  # bank_statement_2026-11.txt: the month a statement is named for
BIN = Path(sys.executable).parent


@functools.lru_cache(maxsize=16384)
def month_of(text: str) -> str | None:
    """'2026-03' for a date as the loader reads it (ISO or DD.MM.YYYY), None for one it rejects."""
    try:
        return f"{parse_date(text):%Y-%m}"
    except InvalidValue:
        return None


def _dated_header(path: Path) -> tuple[list[str], str] | None:
    """A CSV file's header and delimiter when it has a `date` column, else None (master data, the contracts
    workbook, allocations, a bank statement, a file in another encoding)."""
    if path.suffix != ".csv":
        return None
    with path.open("rb") as f:
        first = f.readline()
    try:
        line = first.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        return None
    delimiter = ";" if line.count(";") > line.count(",") else ","
    header = next(csv.reader([line], delimiter=delimiter))
    return (header, delimiter) if "date" in header else None


def split_by_month(whole: Path, out: Path) -> list[Path]:
    """Write each dated file of `whole` into out/YYYY-MM/ folders by the month of each row's date, under the
    same name and delimiter; return the month folders in order.

    Rows are streamed (a 10M-document source does not fit in memory as text). The files without a date
    column (counterparties, contracts, allocations, the calendar) go to the first month whole, so every
    later month finds its references; a row whose date the loader rejects (the demo writes a few, such as
    31.02) goes to the first month too, where its load rejects it. A bank statement goes to the month its
    name says (bank_statement_2026-11.txt), else to the last month.
    """
    out.mkdir(parents=True, exist_ok=True)
    undated: list[Path] = []
    statements: list[Path] = []
    rejected: dict[str, tuple[list[str], str, list[list[str]]]] = {}
    months: set[str] = set()
    for path in sorted(whole.iterdir()):
        if not path.is_file():
            continue
        found = _dated_header(path)
        if found is None:
            (statements if path.suffix == ".txt" else undated).append(path)
            continue
        header, delimiter = found
        at = header.index("date")
        files: dict[str, tuple[TextIO, Any]] = {}
        try:
            with path.open(encoding="utf-8-sig", newline="") as source:
                reader = csv.reader(source, delimiter=delimiter)
                next(reader)
                for row in reader:
                    month = month_of(row[at]) if len(row) > at else None
                    if month is None:
                        rejected.setdefault(path.name, (header, delimiter, []))[2].append(row)
                        continue
                    if month not in files:
                        (out / month).mkdir(exist_ok=True)
                        target = (out / month / path.name).open("w", encoding="utf-8", newline="")
                        writer = csv.writer(target, delimiter=delimiter, lineterminator="\n")
                        writer.writerow(header)
                        files[month] = (target, writer)
                    files[month][1].writerow(row)
        finally:
            for opened, _ in files.values():
                opened.close()
        months.update(files)
    if not months:
        raise ValueError(f"no dated rows in {whole}")
    first, last = min(months), max(months)
    for path in undated:
        shutil.copy(path, out / first / path.name)
    for path in statements:
        named = STATEMENT.search(path.name)
        month = named.group(1) if named and named.group(1) in months else last
        shutil.copy(path, out / month / path.name)
    for name, (header, delimiter, rows) in rejected.items():
        target_path = out / first / name
        fresh = not target_path.exists()
        with target_path.open("a", encoding="utf-8", newline="") as target:
            writer = csv.writer(target, delimiter=delimiter, lineterminator="\n")
            if fresh:
                writer.writerow(header)
            writer.writerows(rows)
    return [out / month for month in sorted(months)]


# -- running and measuring --------------------------------------------------------------------------------


def timed_command(args: list[str]) -> dict[str, Any]:
    """Run args under `nice -n 10 /usr/bin/time -v`: wall and CPU seconds, peak RSS (MB), stdout's last line."""
    load_before = os.getloadavg()[0]
    done = subprocess.run(
        ["nice", "-n", "10", "/usr/bin/time", "-v", *args], capture_output=True, text=True, check=False
    )
    report = dict(
        line.strip().rsplit(": ", 1) for line in done.stderr.splitlines() if line.startswith("\t") and ": " in line
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    wall = 0.0
    for part in report["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    return {
        "wall_s": round(wall, 1),
        "cpu_s": round(float(report["User time (seconds)"]) + float(report["System time (seconds)"]), 1),
        "peak_rss_mb": round(int(report["Maximum resident set size (kbytes)"]) / 1024),
        "load_avg": round(max(load_before, os.getloadavg()[0]), 1),
        "said": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "",
    }


def record(out: Path, entry: dict[str, Any]) -> None:
    print(json.dumps(entry, ensure_ascii=False), flush=True)
    with (out / "results.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


def recorded(out: Path, step: str) -> list[dict[str, Any]]:
    path = out / "results.jsonl"
    if not path.exists():
        return []
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [e for e in entries if e["step"] == step]


def database_size_mb(url: str) -> int:
    from sqlalchemy import text

    from warehouse.engine import make_engine

    engine = make_engine(url, pooled=False)
    try:
        with engine.connect() as conn:
            return round(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one() / 2**20)
    finally:
        engine.dispose()


def load_months(
    out: Path, folders: list[Path], url: str, per_load: int = 1, first: int = 0, until: str | None = None
) -> None:
    """`receivables load` the month folders in order, `per_load` consecutive months a load (the first load:
    the first `first` months when given), up to the month `until` (YYYY-MM) when given, as the demo's
    company; the months already loaded (by a run recorded in out) are skipped."""
    config = out / "receivables.toml"
    config.write_text(f'[company]\ninn = "{COMPANY_INN}"\nname = "{COMPANY_NAME}"\n', encoding="utf-8")
    done = {name for e in recorded(out, "load") for name in e["folders"]}
    remaining = [f for f in folders if f.name not in done and (until is None or f.name <= until)]
    groups = [remaining[:first]] if first and not done else []
    rest = remaining[len(groups[0]) :] if groups else remaining
    groups += [rest[start : start + per_load] for start in range(0, len(rest), per_load)]
    for group in groups:
        paths = [str(folder) for folder in group]
        measured = timed_command([str(BIN / "receivables"), "load", *paths, "--db", url, "--config", str(config)])
        names = [folder.name for folder in group]
        record(out, {"step": "load", "folders": names, **measured, "db_mb": database_size_mb(url)})


def _backend_cpu(pid: int) -> float:
    """CPU seconds of the PostgreSQL backend `pid` so far (the server runs on this machine): what a query
    cost the server, which the wall time on a shared machine does not say."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _median(runs: int, work: Callable[[], object], backend: int | None = None) -> dict[str, float]:
    walls, cpus, servers, loads = [], [], [], []
    for _ in range(runs):
        loads.append(os.getloadavg()[0])
        server = _backend_cpu(backend) if backend else 0.0
        started, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        servers.append(_backend_cpu(backend) - server if backend else 0.0)
    return {
        "wall_s": round(statistics.median(walls), 3),
        "cpu_s": round(statistics.median(cpus), 3),
        "server_cpu_s": round(statistics.median(servers), 2),
        "load_avg": round(statistics.median(loads), 1),
    }


def measure(out: Path, url: str, runs: int, as_of: date, *, pages: bool = True) -> None:
    """The queries of `make bench` as medians of `runs` (wall, client CPU, the server backend's CPU), then
    every page's first run and warm reruns."""
    from sqlalchemy import func, select, text

    import warehouse
    from benchmarks.pages import warm_reruns
    from benchmarks.run import _largest_counterparty
    from dashboard.services.acts import render_act
    from dashboard.services.settings import Config
    from queries.act import act
    from queries.aging import aging
    from queries.calendar import payment_calendar
    from queries.exceptions import exceptions
    from queries.trend import overdue_trend
    from warehouse.engine import make_engine

    engine = make_engine(url, pooled=False)
    year_ago = as_of - timedelta(days=365)
    try:
        with engine.connect() as conn:
            d, m = warehouse.documents, warehouse.matches
            largest = _largest_counterparty(conn)
            backend = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
            record(
                out,
                {
                    "step": "size",
                    "documents": conn.execute(select(func.count()).select_from(d)).scalar_one(),
                    "matches": conn.execute(select(func.count()).select_from(m)).scalar_one(),
                    "largest": largest,
                    "largest_documents": conn.execute(
                        select(func.count()).select_from(d).where(d.c.counterparty_id == largest)
                    ).scalar_one(),
                    "db_mb": database_size_mb(url),
                },
            )
            queries: dict[str, Callable[[], object]] = {
                "aging today": lambda: aging(conn, as_of=as_of),
                "aging a year ago": lambda: aging(conn, as_of=year_ago),
                "aging six months ago": lambda: aging(conn, as_of=as_of - timedelta(days=182)),
                "act, largest counterparty, 1 year": lambda: act(
                    conn, counterparty_id=largest, date_from=year_ago, date_to=as_of
                ),
                "act as XLSX (data + document)": lambda: render_act(
                    conn, Config(), counterparty_id=largest, date_from=year_ago, date_to=as_of, fmt="xlsx"
                ),
                "act as PDF (data + document)": lambda: render_act(
                    conn, Config(), counterparty_id=largest, date_from=year_ago, date_to=as_of, fmt="pdf"
                ),
                "trend, 3 years daily": lambda: overdue_trend(
                    conn, date_from=as_of - timedelta(days=3 * 365), date_to=as_of, freq="day"
                ),
                "calendar, 1 year": lambda: payment_calendar(conn, as_of=as_of, date_from=year_ago, date_to=as_of),
                "exceptions": lambda: exceptions(conn, as_of=as_of),
            }
            for name, work in queries.items():
                record(out, {"step": "query", "name": name, **_median(runs, work, backend)})
    finally:
        engine.dispose()
    if not pages:
        return
    load_avg = os.getloadavg()[0]
    for page, (first, warm, raised) in warm_reruns(url, as_of, largest).items():
        record(
            out,
            {
                "step": "page",
                "name": page,
                "first_s": round(first, 2),
                "warm_s": round(warm, 3),
                "raised": raised,
                "load_avg": round(load_avg, 1),
            },
        )
        load_avg = os.getloadavg()[0]


def report(out: Path) -> str:
    """The recorded loads, queries and pages as markdown tables."""
    lines = ["| load | wall | CPU (client) | peak RSS | database | load average |", "|---|---|---|---|---|---|"]
    for e in recorded(out, "load"):
        months = e["folders"][0] if len(e["folders"]) == 1 else f"{e['folders'][0]} to {e['folders'][-1]}"
        lines.append(
            f"| {months} | {e['wall_s']:.0f} s | {e['cpu_s']:.0f} s | {e['peak_rss_mb']:,} MB "
            f"| {e['db_mb']:,} MB | {e['load_avg']} |"
        )
    lines += ["", "| query | median wall | CPU: client, server | load average |", "|---|---|---|---|"]
    lines += [
        f"| {e['name']} | {e['wall_s']:.3f} s | {e['cpu_s']:.2f} s, {e.get('server_cpu_s', 0):.2f} s "
        f"| {e['load_avg']} |"
        for e in recorded(out, "query")
    ]
    lines += ["", "| page | first run | warm rerun (median) | load average |", "|---|---|---|---|"]
    lines += [
        f"| {e['name']}{' (raised)' if e['raised'] else ''} | {e['first_s']:.2f} s | {e['warm_s'] * 1000:.0f} ms "
        f"| {e['load_avg']} |"
        for e in recorded(out, "page")
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=5_800_000, help="demo shipments (1M make 1.72M documents)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", required=True, help="an existing, empty PostgreSQL database's URL")
    parser.add_argument("--out", type=Path, required=True, help="scratch folder: the source, its months, results")
    parser.add_argument(
        "--steps", default="generate,split,load,measure,report", help="or queries: measure without pages"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--as-of", type=date.fromisoformat, default=END, help="the day measured: the last loaded day if not all were"
    )
    parser.add_argument("--months-per-load", type=int, default=1, help="consecutive month folders a load")
    parser.add_argument("--first-months", type=int, default=0, help="month folders of the first load (0: as the rest)")
    parser.add_argument("--until", help="the last month folder to load (YYYY-MM), for a later run to go on from")
    args = parser.parse_args(argv)
    steps = set(args.steps.split(","))
    args.out.mkdir(parents=True, exist_ok=True)
    whole, months = args.out / "whole", args.out / "months"
    if "generate" in steps:
        command = [str(BIN / "python"), "-m", "etl.demo", str(whole), "--scale", str(args.scale)]
        measured = timed_command([*command, "--seed", str(args.seed), "--end", END.isoformat()])
        record(args.out, {"step": "generate", "scale": args.scale, **measured})
    if "split" in steps:
        started, cpu = time.perf_counter(), time.process_time()
        folders = split_by_month(whole, months)
        record(
            args.out,
            {
                "step": "split",
                "months": len(folders),
                "wall_s": round(time.perf_counter() - started, 1),
                "cpu_s": round(time.process_time() - cpu, 1),
            },
        )
    if "load" in steps:
        folders = sorted(p for p in months.iterdir() if p.is_dir())
        load_months(args.out, folders, args.db, args.months_per_load, args.first_months, args.until)
    if "measure" in steps or "queries" in steps:
        measure(args.out, args.db, args.runs, args.as_of, pages="measure" in steps)
    if "report" in steps:
        print(report(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
