"""`make install` compiles the numba kernels (etl.kernels.warm): afterwards a load compiles none of them.

Both steps run in processes of their own over one empty numba cache (NUMBA_CACHE_DIR), so the kernels'
caches beside their modules (which earlier tests may have filled) play no part: without the warm-up, the
load's process compiles every kernel it calls (a cache miss each)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from etl.kernels import fifo
from etl.kernels import match_frames as kernel
from tests.helpers.paths import ROOT
from warehouse.rollups import sweep_kernel
from warehouse.rollups.sweep import DEBIT_SCHEMA, MATCH_SCHEMA, SHIPMENT_SCHEMA

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


def _in_two_chunks(frame: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([frame.head(1), frame.tail(frame.height - 1)], rechunk=False)


def test_frames_in_one_chunk_or_several_call_each_kernel_with_one_signature() -> None:
    # polars hands a one-chunk column to numpy as a read-only view and a column of several chunks (or with
    # nulls) as a writable copy; numba compiles a kernel per signature, writability included. A 1M load's
    # frames come in several chunks where the warm-up's small ones did not, so it compiled the sweep and
    # FIFO again (2.4 s) until every array was handed over read-only (warehouse.arrays).
    day = date(2025, 1, 1)
    shipments = pl.DataFrame(
        [(1, "S1", "1", "K1", "C1", "RUB", day, 10_000), (2, "S2", "2", "K1", "C1", "RUB", day + timedelta(6), 5_000)],
        schema=SHIPMENT_SCHEMA,
        orient="row",
    )
    debits = pl.DataFrame(
        [(1, "K1", "RUB", day, day + timedelta(4), 10_000), (5, "K1", "RUB", day, day + timedelta(5), 9_000)],
        schema=DEBIT_SCHEMA,
        orient="row",
    )
    matches = pl.DataFrame(
        [(1, day + timedelta(7), 3_000), (5, day + timedelta(7), 2_000)], schema=MATCH_SCHEMA, orient="row"
    )

    def doc(pk: int, kind: str, day: int, side: int, amount: int) -> tuple[object, ...]:
        due = date(2026, 1, 10) if side > 0 else None
        return (pk, kind, f"D{pk}", "C1", "RUB", date(2026, 1, day), side, amount, due, None, "K1")

    rows = [doc(1, "shipment", 1, 1, 100), doc(2, "shipment", 2, 1, 50), doc(4, "payment", 20, -1, 60)]
    first = pl.DataFrame(rows, schema=kernel.DOCUMENTS, orient="row")
    # A later load's documents: some booked before, their remaining amounts (None: new ones), allocations.
    later = first.with_columns(pre=pl.Series([True, False, False]), remaining=pl.Series([100, None, None]))
    allocations = pl.DataFrame([("D4", "D2", 10), ("D4", "D1", 5)], schema=kernel.ALLOCATIONS, orient="row")
    for shape in (lambda frame: frame, _in_two_chunks):
        found, _amounts = sweep_kernel.sweep_frames(
            shape(shipments), shape(debits), shape(matches), 0, date.max, late_too=False
        )
        assert found.rows() == [(2, 2)]
        assert kernel.match_frames(shape(first), pl.DataFrame(schema=kernel.ALLOCATIONS))[0]["amount"].sum() == 60
        assert kernel.match_frames(shape(later), shape(allocations))[0]["amount"].sum() == 60
    assert len(sweep_kernel._sweep.signatures) == 1
    assert len(fifo.fifo.signatures) == 1
