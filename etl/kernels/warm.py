"""`python -m etl.kernels.warm`: compile the load's numba kernels into their caches on disk, once, when the
project is installed (`make install`), rather than in the first load a user runs.

A kernel compiles the first time it is called with its argument types, and numba keeps the machine code
beside its module (`cache=True`) for every later process. Compiling them all took about 6 s of CPU and
100 MB more at the peak of the first 1M load on PostgreSQL in a fresh checkout (1,041-1,044 MB against
956-975 MB with them cached, in turn, 2026-12-07): the first load after an install was the one over 1 GB.

The kernels are compiled by what calls them, so with the types a load gives them: a small demo loaded
whole into a temporary SQLite warehouse (FIFO matching, the shipment checks' sweep) and a small frame
encoded as PostgreSQL's binary COPY (no server needed). A kernel whose source changed compiles again in
the next load that calls it, as before.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

from etl.demo import write_demo_source
from etl.load import load_paths
from warehouse import pg_binary_copy
from warehouse.engine import make_engine

SCALE = 300  # shipments: enough for every kernel to run (matches, checks), a second or two of loading


def warm() -> float:
    """Compile every kernel (a no-op where its cache is fresh); the seconds it took."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "demo"
        write_demo_source(folder, scale=SCALE, seed=1, end=date(2026, 11, 20))
        engine = make_engine(f"sqlite:///{scratch}/warm.db", pooled=False)
        try:
            load_paths(engine, [folder])
        finally:
            engine.dispose()
    frame = pl.DataFrame({"number": [1, None], "text": ["a", None], "day": [date(2026, 1, 1), None]})
    types = [pg_binary_copy.TYPES[20], pg_binary_copy.TYPES[25], pg_binary_copy.TYPES[1082]]
    b"".join(pg_binary_copy.encode(frame, types))
    return time.perf_counter() - started


def main() -> None:
    print(f"numba kernels compiled and cached in {warm():.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
