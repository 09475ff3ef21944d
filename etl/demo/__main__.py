"""``python -m etl.demo FOLDER [--scale N] [--seed S] [--end YYYY-MM-DD]``: write and time a demo."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

from etl.demo.generator import write_demo_source


def main(argv: list[str] | None = None) -> int:
    """``python -m etl.demo FOLDER [--scale N] [--seed S] [--end YYYY-MM-DD]``: write and time a demo."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scale", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    summary = write_demo_source(args.folder, scale=args.scale, seed=args.seed, end=args.end)
    elapsed = time.perf_counter() - started
    size = sum(p.stat().st_size for p in summary.files)
    for key, value in summary.counts.items():
        print(f"{key:>20} {value:>10,}")
    print(f"{len(summary.files)} files, {size / 2**20:.1f} MiB, {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
