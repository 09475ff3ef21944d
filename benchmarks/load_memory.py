"""The full load's memory, stage by stage: peak RSS, RSS at each stage's start and CPU per stage.

    python -m benchmarks.load_memory FOLDER [--db URL] [--json]

Loads FOLDER into a fresh warehouse (SQLite in a temporary folder unless --db names one, which must be
empty) in this process, while a thread reads /proc/self/statm every few milliseconds: the highest RSS
seen in each stage of the load's progress (read, validate <entity>, write <kind>, match, rollups) and
overall, with the process's CPU (user + system) spent in each stage. tracemalloc would slow a 1M load
tenfold and sees neither polars' nor SQLite's memory; RSS sees both. `make bench` runs its full load through
`measure_in_process`: the load in a fresh process of its own, as `receivables load` runs it, and its peak
RSS beside its time (benchmarks/run.py, "full load: peak RSS").
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.load import load_paths
from warehouse.engine import ensure_schema, make_engine

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 1024 * 1024


def rss() -> int:
    """This process's resident set size in bytes, now."""
    with open("/proc/self/statm", "rb") as handle:
        return int(handle.read().split()[1]) * PAGE


@dataclass
class Stage:
    name: str
    start_rss: int
    peak_rss: int
    cpu: float = 0.0
    wall: float = 0.0


@dataclass
class Sampler:
    """RSS sampled on a thread; the highest per stage the progress callback names."""

    interval: float = 0.01
    stages: list[Stage] = field(default_factory=list)
    peak: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _cpu: float = 0.0
    _wall: float = 0.0

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def sample(self) -> None:
        now = rss()
        self.peak = max(self.peak, now)
        if self.stages:
            stage = self.stages[-1]
            stage.peak_rss = max(stage.peak_rss, now)

    def enter(self, name: str) -> None:
        if self.stages and self.stages[-1].name == name:
            return
        self._close()
        now = rss()
        self.peak = max(self.peak, now)
        self.stages.append(Stage(name, now, now))

    def _close(self) -> None:
        cpu, wall = _cpu(), time.perf_counter()
        if self.stages:
            self.stages[-1].cpu += cpu - self._cpu
            self.stages[-1].wall += wall - self._wall
        self._cpu, self._wall = cpu, wall

    def progress(self, stage: str, _done: int, _total: int) -> None:
        self.enter(stage)

    def __enter__(self) -> Sampler:
        self._cpu, self._wall = _cpu(), time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.sample()
        self._close()
        self._stop.set()
        self._thread.join()


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def measure(folder: Path, url: str) -> dict[str, object]:
    """Load `folder` into the (empty) warehouse at `url`; the stages' memory and CPU, and the totals."""
    engine = make_engine(url, pooled=False)
    try:
        ensure_schema(engine)
        before = rss()
        cpu = _cpu()
        started = time.perf_counter()
        with Sampler() as sampler:
            sampler.enter("start")
            result = load_paths(engine, [folder], progress=sampler.progress)
            sampler.enter("after")
        return {
            "load_seconds": result.seconds,
            "rows_read": sum(c.read for c in result.counts.values()),
            "rss_before_mb": before / MB,
            "peak_rss_mb": sampler.peak / MB,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "cpu_s": _cpu() - cpu,
            "wall_s": time.perf_counter() - started,
            "stages": [
                {
                    "stage": s.name,
                    "start_mb": round(s.start_rss / MB),
                    "peak_mb": round(s.peak_rss / MB),
                    "cpu_s": round(s.cpu, 2),
                    "wall_s": round(s.wall, 2),
                }
                for s in sampler.stages
            ],
        }
    finally:
        engine.dispose()


def measure_in_process(folder: Path, url: str) -> dict[str, Any]:
    """measure() in a fresh Python process: the figures of a load that starts from nothing imported."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.load_memory", str(folder), "--db", url, "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--db", help="an empty warehouse's URL (default: SQLite in a temporary folder)")
    parser.add_argument("--json", action="store_true", help="one JSON object rather than a table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="load_memory_") as scratch:
        url = args.db or f"sqlite:///{Path(scratch) / 'warehouse.db'}"
        figures = measure(args.folder, url)
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{'stage':<24} {'start MB':>9} {'peak MB':>9} {'CPU s':>7} {'wall s':>7}")
    stages = figures["stages"]
    assert isinstance(stages, list)
    for s in stages:
        print(f"{s['stage']:<24} {s['start_mb']:>9} {s['peak_mb']:>9} {s['cpu_s']:>7} {s['wall_s']:>7}")
    print(
        f"peak RSS {figures['peak_rss_mb']:.0f} MB (ru_maxrss {figures['max_rss_mb']:.0f} MB), "
        f"CPU {figures['cpu_s']:.1f} s, wall {figures['wall_s']:.1f} s, load average "
        + ", ".join(f"{v:.2f}" for v in os.getloadavg()),
        file=sys.stdout,
    )


if __name__ == "__main__":
    main()
