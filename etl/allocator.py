"""polars' allocator (jemalloc) told to give the pages it frees back to the system at once when they decay,
for every process of the product that loads: the CLI (etl/__init__ runs `configure` before any etl module
imports polars) and the app.

polars starts jemalloc with dirty_decay_ms:500,muzzy_decay_ms:1000: a page freed is kept half a second, then
only advised free (MADV_FREE, "muzzy"), which the kernel takes back only under memory pressure, so it stays
in the resident set for another second. A load frees hundreds of MB a stage (a file's parsed text, its
records once held) while numpy (the matching kernels) and SQLite allocate through malloc, which cannot
reuse them. With muzzy_decay_ms:0 the decayed pages are returned outright (MADV_DONTNEED); with the file
slices spilled (etl.load.columnar), a 1M load peaked at 837-869 MB against 893-905 MB in turn before them,
with no CPU to see (docs/scaling.md, fifteenth session); dirty_decay_ms:0 as well cut more (856-861 MB in
the fourteenth) but cost 13-15 s of CPU, every free a system call.

polars appends an _RJEM_MALLOC_CONF found in the environment to its own settings, and jemalloc takes the
last value of each: a muzzy_decay_ms set there by whoever runs the product is left as it is.
"""

from __future__ import annotations

import os
import sys

VARIABLE = "_RJEM_MALLOC_CONF"
SETTING = "muzzy_decay_ms:0"


def configure() -> bool:
    """Add SETTING to the environment polars reads as it starts; False when too late (polars imported) or
    the environment names its own muzzy_decay_ms."""
    if "polars" in sys.modules:
        return False
    current = os.environ.get(VARIABLE, "")
    if "muzzy_decay_ms" in current:
        return False
    os.environ[VARIABLE] = f"{current},{SETTING}" if current else SETTING
    return True
