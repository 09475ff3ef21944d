"""Writing result frames to files: the suffix picks the format (contract section 4).

No streamlit here: the CLI and the pages share these renderers.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

SUPPORTED = (".csv", ".xlsx")


class ExportError(Exception):
    """The output cannot be written as asked (unknown suffix)."""


def write_table(frame: pl.DataFrame, path: Path, *, sheet: str = "data") -> None:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ExportError(f"cannot write {path.name}: the file name must end with {' or '.join(SUPPORTED)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.write_csv(path, date_format="%Y-%m-%d")
    else:
        frame.write_excel(path, worksheet=sheet[:31], autofit=True, freeze_panes=(1, 0))
