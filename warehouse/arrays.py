"""Arrays handed to a numba kernel, all read-only: one compiled signature per kernel.

numba compiles a kernel once per signature, and an array's signature includes whether it is writable.
polars' `to_numpy()` gives a read-only view of a column it can share (one chunk, no nulls) and a writable
copy of one it cannot, so the same call compiled the kernel again on a large load whose frames came in
several chunks: the shipment checks' sweep 2.1 s and FIFO 0.3 s inside a 1M load after `make install`
had compiled them (etl.kernels.warm) over a small one. The kernels copy what they change.
"""

from __future__ import annotations

import numpy as np
import polars as pl


def read_only(values: np.ndarray | pl.Series) -> np.ndarray:
    """A read-only view of an array, or of a column's values (the array itself keeps its flags)."""
    view = (values.to_numpy() if isinstance(values, pl.Series) else values).view()
    view.flags.writeable = False
    return view
