"""`make install` compiles the numba kernels (etl.kernels.warm): afterwards a load compiles none of them.

Both steps run in processes of their own over one empty numba cache (NUMBA_CACHE_DIR), so the kernels'
caches beside their modules (which earlier tests may have filled) play no part: without the warm-up, the
load's process compiles every kernel it calls (a cache miss each)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.paths import ROOT

# In a fresh process: a demo of another size than the warm-up's loaded into SQLite, and a frame of a
# document's column types encoded as binary COPY; then every kernel's cache hits and misses in it.
LOAD = """
import json, sys, tempfile
from datetime import date
from pathlib import Path
import polars as pl
from numba.core.registry import CPUDispatcher
from etl.demo import write_demo_source
from etl.kernels import fifo
from etl.load import load_paths
from warehouse import pg_binary_copy
from warehouse.engine import make_engine
from warehouse.rollups import sweep_kernel
with tempfile.TemporaryDirectory() as scratch:
    write_demo_source(Path(scratch) / "demo", scale=120, seed=3, end=date(2026, 6, 30))
    engine = make_engine(f"sqlite:///{scratch}/w.db", pooled=False)
    load_paths(engine, [Path(scratch) / "demo"])
    engine.dispose()
frame = pl.DataFrame({"doc_pk": [7], "kind": ["shipment"], "side": [1], "doc_date": [date(2025, 3, 4)]})
types = [pg_binary_copy.TYPES[oid] for oid in (23, 1043, 21, 1082)]
b"".join(pg_binary_copy.encode(frame, types))
stats = {}
for module in (fifo, sweep_kernel, pg_binary_copy):
    for name, kernel in vars(module).items():
        if isinstance(kernel, CPUDispatcher) and kernel.signatures:
            hits, misses = kernel.stats.cache_hits, kernel.stats.cache_misses
            stats[f"{module.__name__}.{name}"] = [sum(hits.values()), sum(misses.values())]
print(json.dumps(stats))
"""


def _run(arguments: list[str], cache: Path) -> str:
    environment = os.environ | {"NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_after_the_warm_up_a_load_compiles_no_kernel(tmp_path: Path) -> None:
    _run(["-m", "etl.kernels.warm"], tmp_path)
    stats = json.loads(_run(["-c", LOAD], tmp_path))
    # The load called the FIFO kernel, the sweep's and the binary COPY's, each found in the cache.
    assert {"etl.kernels.fifo.fifo", "warehouse.pg_binary_copy._lay_out"} <= set(stats)
    assert any(name.startswith("warehouse.rollups.sweep_kernel.") for name in stats)
    assert {name: misses for name, (_hits, misses) in stats.items() if misses} == {}
    assert all(hits for hits, _misses in stats.values())
