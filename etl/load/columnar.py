"""A CSV table file read by polars into a frame of text columns, exactly as the row reader would read it.

The row reader (etl/sources/csv_reader.py through etl/load/tables.py) is the reference: the same decoding
and its refusals, the same delimiter, the same header mapping, the same line numbers, ragged rows and
blank rows, the same refusal of swapped dates. This reader takes a file only where it can vouch for
that: every record on one physical line, quotes only around whole values (doubled inside), no lone
carriage return, a header on the first line, and the document list keyed by its id column. Any other
file gives None and is read row by row, as before.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl.columns import ENTITIES
from etl.errors import FileRefused
from etl.load.tables import CSV_SUFFIXES, Layouts, header_positions, ragged_row
from etl.load.types import Tally
from etl.sources.csv_reader import decode, detect_delimiter

# What Python's str.strip() strips: the characters str.isspace() holds to be whitespace.
PY_SPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
# The same as a regex class for polars (Rust's \s is Unicode White_Space, which lacks \x1c-\x1f).
SPACE_CLASS = r"[\s\x1c-\x1f]"
LINE = "line"


@dataclass
class FileFrame:
    """One table file's rows: `line` (as the row reader numbers them) and the entity's columns present in
    the file, as text (a value the row lacks is empty)."""

    file: str
    frame: pl.DataFrame

    def __len__(self) -> int:
        return self.frame.height


def stripped(column: str | pl.Expr) -> pl.Expr:
    """str.strip() in polars: exactly the characters Python strips."""
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.str.strip_chars(PY_SPACE)


def read_frame(path: Path, entity: str, tally: Tally, layouts: Layouts) -> FileFrame | None:
    """The file's rows as a frame, or None when it is no CSV this reader vouches for (read it row by
    row). FileRefused as the row reader would refuse it; ragged rows go to the tally's rejects."""
    if path.suffix.lower() not in CSV_SUFFIXES:
        return None
    data = path.read_bytes()
    if not data.strip():
        raise FileRefused("the file is empty")
    text, encoding = decode(data)
    if "\x00" in text:
        return None  # the row reader says where
    end = text.find("\n")
    first_line = (text[:end] if end >= 0 else text).lstrip("\ufeff")
    delimiter = detect_delimiter(first_line)
    if encoding in ("utf-8", "utf-8-sig") and not text.startswith("\ufeff"):
        raw = data[3:] if encoding == "utf-8-sig" else data
    else:
        raw = text.encode("utf-8")
    del text, data
    if raw.count(b"\r") != raw.count(b"\r\n") or not raw.strip(b"\n") or raw.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        values = pl.read_csv(
            io.BytesIO(raw),
            has_header=False,
            separator=delimiter,
            quote_char='"',
            infer_schema=False,
            truncate_ragged_lines=True,
        )
        lines = _lines(raw, delimiter, values.width)
    except pl.exceptions.PolarsError:
        return None  # the row reader says what is wrong
    del raw
    if lines is None or values.height != lines.height:
        return None
    values = values.with_columns(pl.all().fill_null(""))
    header = list(values.row(0))
    width = len(header)
    # A line's fields: its delimiters outside quotes, plus one. Only a quoted value holds a delimiter, and
    # polars gives the values of the first `width` fields: a line has more fields than the header exactly
    # when it has at least `width` delimiters besides those in these values.
    inner = values.select(pl.sum_horizontal(pl.all().str.count_matches(delimiter, literal=True))).to_series()
    lines = lines.with_columns(fields=pl.col("delimiters") - inner + 1)
    if lines["fields"][0] != width or _blank(header):
        return None
    return _table(path, entity, tally, layouts, header, values, lines, delimiter)


def _lines(raw: bytes, delimiter: str, width: int) -> pl.DataFrame | None:
    """Per physical line: its delimiters, and its text where it may have more than `width` fields; None
    when a line is not one whole record with well-formed quotes."""
    lines = pl.read_csv(
        io.BytesIO(raw), has_header=False, separator="\x00", quote_char=None, new_columns=["text"], infer_schema=False
    )
    d = re.escape(delimiter)
    field = rf'(?:"(?:[^"]|"")*"|[^"{d}]*)'
    text = pl.col("text").fill_null("")
    quoted = text.str.contains('"', literal=True)
    delimiters = text.str.count_matches(delimiter, literal=True)
    checked = lines.select(
        well_formed=~quoted | text.str.contains(rf"^{field}(?:{d}{field})*$"),
        delimiters=delimiters,
        text=pl.when(delimiters >= width).then(text),
    )
    if not checked["well_formed"].all():
        return None
    return checked.select("delimiters", "text")


def _blank(values: list[str]) -> bool:
    return all(not v.strip() for v in values)


def _table(
    path: Path,
    entity: str,
    tally: Tally,
    layouts: Layouts,
    header: list[str],
    values: pl.DataFrame,
    lines: pl.DataFrame,
    delimiter: str,
) -> FileFrame | None:
    name = str(path)
    width = len(header)
    positions = header_positions(header, entity, layouts)
    if "document_id" not in positions:
        return None  # keyed by number and date: the row reader makes the key
    names = values.columns
    wanted = [(column, positions[column]) for column in ENTITIES[entity].columns if column in positions]
    frame = values.select(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(LINE),
        *[pl.col(names[i]).alias(column) for column, i in wanted],
        blank=pl.all_horizontal([stripped(pl.col(n)) == "" for n in names]),
    ).with_columns(fields=lines["fields"], text=lines["text"])
    frame = frame.slice(1)
    long = frame.filter(pl.col("fields") > width)
    kept = frame.filter((pl.col("fields") <= width) & ~pl.col("blank"))
    if long.height:
        keep_lines = []
        for line, text in long.select(LINE, "text").iter_rows():
            parsed = next(csv.reader([text], delimiter=delimiter, strict=True))
            if _blank(parsed):
                continue
            if any(v.strip() for v in parsed[width:]):
                tally.reject_read(entity, ragged_row(entity, name, line, len(parsed), width))
            else:
                keep_lines.append(line)
        if keep_lines:
            kept = pl.concat([kept, frame.filter(pl.col(LINE).is_in(keep_lines))]).sort(LINE)
    kept = kept.drop("blank", "fields", "text")
    _refuse_swapped_dates(kept)
    return FileFrame(name, kept)


_SLASHED = rf"^{SPACE_CLASS}*(\d{{1,2}})/(\d{{1,2}})/(\d{{2,4}})(?:{SPACE_CLASS}.*)?$"
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _refuse_swapped_dates(frame: pl.DataFrame) -> None:
    """tables._refuse_swapped_dates, column-wise: dates mixed with month-first text refuse the file."""
    for column in ("date", "due_date"):
        if column not in frame.columns:
            continue
        value = pl.col(column)
        iso = value.str.contains(_ISO_DATE)
        slashed = ~iso & value.str.contains(_SLASHED)
        counts = frame.select(dates=iso.sum(), slashed=slashed.sum(), example=value.filter(slashed).first())
        dates, slashes, example = counts.row(0)
        if dates and slashes:
            raise FileRefused(
                f"the {column} column mixes {dates} dates with {slashes} texts like {example.strip()} (month "
                "first): a US-format file opened in a day-first Excel, so its other dates may have day and "
                "month swapped. Open the original CSV with its dates as text, or export the file again from 1C"
            )
