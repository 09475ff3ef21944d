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
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from etl.columns import ENTITIES
from etl.errors import FileRefused
from etl.load.tables import CSV_SUFFIXES, Layouts, header_positions, ragged_row
from etl.load.types import Reject, Tally
from etl.sources.csv_reader import decode, detect_delimiter

# What Python's str.strip() strips: the characters str.isspace() holds to be whitespace.
PY_SPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
# The same as a regex class for polars (Rust's \s is Unicode White_Space, which lacks \x1c-\x1f).
SPACE_CLASS = r"[\s\x1c-\x1f]"
LINE = "line"
SLICE_BYTES = 16 << 20  # a UTF-8 file is read and parsed this much at a time (about 80-300k rows)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileFrame:
    """One table file's rows, in slices of a few hundred thousand rows in line order: `line` (as the row
    reader numbers them) and the entity's columns present in the file, as text (a value the row lacks is
    empty). Every slice but the last waits in a temporary file (`_Spilled`) until it is taken: a big file's
    parsed text is then never all in memory while its rows become records (the 1M demo's payments, 134 MB
    of it, were held whole beside their records)."""

    def __init__(self, file: str, *slices: pl.DataFrame | _Spilled) -> None:
        self.file = file
        self._slices = list(slices)

    def each(self, *columns: str) -> Iterator[pl.DataFrame]:
        """Every slice in line order, with only `columns` when named (read from a spilled slice alone)."""
        for part in self._slices:
            if isinstance(part, _Spilled):
                yield part.read(list(columns) or None)
            else:
                yield part.select(list(columns)) if columns else part

    def take(self) -> pl.DataFrame | None:
        """The first slice left, let go of (None when none is)."""
        if not self._slices:
            return None
        part = self._slices.pop(0)
        return part.take() if isinstance(part, _Spilled) else part

    @property
    def count(self) -> int:
        """Slices not taken."""
        return len(self._slices)

    @property
    def spilled(self) -> int:
        """Slices waiting in temporary files."""
        return sum(isinstance(part, _Spilled) for part in self._slices)

    @property
    def frame(self) -> pl.DataFrame:
        """The rows in one frame (the slices concatenated)."""
        parts = list(self.each())
        return pl.concat(parts) if parts else pl.DataFrame({LINE: []}, schema={LINE: pl.Int64})

    def __len__(self) -> int:
        return sum(part.height for part in self._slices)


class _Spilled:
    """A slice of a file's rows in a temporary file (Arrow IPC, unlinked at once: it goes with the process
    however that ends, or when taken or let go of)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.height = frame.height
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed in take, or with the object)
        frame.write_ipc(self._file)

    def read(self, columns: list[str] | None = None) -> pl.DataFrame:
        self._file.seek(0)
        return pl.read_ipc(self._file, columns=columns)

    def take(self) -> pl.DataFrame:
        frame = self.read()
        self._file.close()
        return frame

    def __del__(self) -> None:  # a file refused after its first slices, or a FileFrame let go of untaken
        file = getattr(self, "_file", None)  # None: the temporary file could not be made
        if file is not None:
            file.close()


def stripped(column: str | pl.Expr) -> pl.Expr:
    """str.strip() in polars: exactly the characters Python strips."""
    expr = pl.col(column) if isinstance(column, str) else column
    return expr.str.strip_chars(PY_SPACE)


def read_frame(path: Path, entity: str, tally: Tally, layouts: Layouts) -> FileFrame | None:
    """The file's rows as a frame, or None when it is no CSV this reader vouches for (read it row by
    row). FileRefused as the row reader would refuse it; ragged rows go to the tally's rejects.

    A UTF-8 file is read from disk SLICE_BYTES at a time, cut after a line feed (a record is one line
    here), and each slice parsed with the header line before it: the file's bytes, its text and polars'
    frames of every column are never all in memory at once (the 141 MB payments file of the 1M demo
    held 470 MB so). Any other file (another encoding, a NUL, a start that is not text) is read whole
    and decoded as the row reader decodes it, then parsed a slice at a time the same way."""
    if path.suffix.lower() not in CSV_SUFFIXES:
        return None
    try:
        return _table(path, entity, tally, layouts, _utf8_chunks(path))
    except _NotUtf8:
        pass
    chunks = _decoded_chunks(path)
    return None if chunks is None else _table(path, entity, tally, layouts, chunks)


class _NotUtf8(Exception):
    """A file to read whole: not UTF-8 text from its start to its end."""


def _utf8_chunks(path: Path) -> Iterator[bytes]:
    """The file's bytes in slices ending with a line feed (the last one: up to the file's end), after a
    UTF-8 BOM. _NotUtf8 when a slice is not UTF-8 or holds a NUL, or the file does not start with text."""
    with path.open("rb") as handle:
        rest = b""
        first = True
        while True:
            block = handle.read(SLICE_BYTES)
            data = rest + block
            if first:
                if not data.strip() or data.startswith((b"\xff\xfe", b"\xfe\xff", _ZIP_MAGIC, _OLE_MAGIC)):
                    raise _NotUtf8  # empty, UTF-16 or binary: decode() refuses it
                if data.startswith(b"\xef\xbb\xbf"):
                    data = data[3:]
                first = False
            end = len(block) < SLICE_BYTES  # a short read: the file's end
            cut = len(data) if end else data.rfind(b"\n") + 1
            chunk, rest = data[:cut], data[cut:]
            del data
            if chunk:
                if b"\x00" in chunk or not _is_utf8(chunk):
                    raise _NotUtf8
                yield chunk
            if end:
                return


def _is_utf8(chunk: bytes) -> bool:
    """Whether the bytes are UTF-8, as bytes.decode("utf-8") holds it (the same standard: no overlong form,
    no surrogate), checked by polars without making the text a Python str (about a sixth of the CPU)."""
    try:
        pl.Series([chunk], dtype=pl.Binary).cast(pl.String)
    except pl.exceptions.PolarsError:
        return False
    return True


def _decoded_chunks(path: Path) -> Iterator[bytes] | None:
    """The file decoded as the row reader decodes it (FileRefused alike), as UTF-8 in slices ending with a
    line feed; None when the row reader has to say what is wrong."""
    data = path.read_bytes()
    if not data.strip():
        raise FileRefused("the file is empty")
    text, encoding = decode(data)
    if "\x00" in text:
        return None  # the row reader says where
    if encoding in ("utf-8", "utf-8-sig") and not text.startswith("\ufeff"):
        raw = data[3:] if encoding == "utf-8-sig" else data
    else:
        raw = text.encode("utf-8")
    del text, data
    if not raw.strip(b"\n"):
        return None
    return _cut(raw)


def _cut(raw: bytes) -> Iterator[bytes]:
    """The bytes in slices of about SLICE_BYTES, each ending after a line feed (the last: at the end)."""
    start = 0
    while start < len(raw):
        if start + SLICE_BYTES >= len(raw):
            end = len(raw)
        else:  # after the window's last line feed; a line longer than the window: after its own
            end = raw.rfind(b"\n", start, start + SLICE_BYTES) + 1 or raw.find(b"\n", start + SLICE_BYTES) + 1
            end = end or len(raw)
        yield raw[start:end]
        start = end


def _parse(body: bytes, delimiter: str) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    """A slice's values (every field as text, the header's width) and per line its fields and, where it
    may have more fields than the header, its text; None when polars cannot vouch for the reading."""
    try:
        values = pl.read_csv(
            io.BytesIO(body),
            has_header=False,
            separator=delimiter,
            quote_char='"',
            infer_schema=False,
            truncate_ragged_lines=True,
        )
        lines = _lines(body, delimiter, values.width)
    except pl.exceptions.PolarsError:
        return None  # the row reader says what is wrong
    if lines is None or values.height != lines.height:
        return None
    values = values.with_columns(pl.all().fill_null(""))
    if b'"' not in body:  # nothing quoted: no value holds a delimiter, a line's fields are its delimiters plus one
        return values, lines.with_columns(fields=pl.col("delimiters") + 1)
    # A line's fields: its delimiters outside quotes, plus one. Only a quoted value holds a delimiter, and
    # polars gives the values of the first `width` fields: a line has more fields than the header exactly
    # when it has at least `width` delimiters besides those in these values.
    inner = values.select(pl.sum_horizontal(pl.all().str.count_matches(delimiter, literal=True))).to_series()
    return values, lines.with_columns(fields=pl.col("delimiters") - inner + 1)


def _lines(raw: bytes, delimiter: str, width: int) -> pl.DataFrame | None:
    """Per physical line: its delimiters, and its text where it may have more than `width` fields; None
    when a line is not one whole record with well-formed quotes."""
    lines = pl.read_csv(
        io.BytesIO(raw), has_header=False, separator="\x00", quote_char=None, new_columns=["text"], infer_schema=False
    )
    d = re.escape(delimiter)
    field = rf'(?:"(?:[^"]|"")*"|[^"{d}]*)'
    text = pl.col("text").fill_null("")
    delimiters = text.str.count_matches(delimiter, literal=True)
    if b'"' not in raw:  # no quotes: every line is well formed (the check below costs a regex over every line)
        return lines.select(delimiters=delimiters, text=pl.when(delimiters >= width).then(text))
    quoted = text.str.contains('"', literal=True)
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


def _table(path: Path, entity: str, tally: Tally, layouts: Layouts, chunks: Iterator[bytes]) -> FileFrame | None:
    """The rows of the file's slices (the first begins with the header line); the ragged rows' rejects
    and the refusals once every slice is read, as if the file had been read whole."""
    name = str(path)
    slices: list[pl.DataFrame | _Spilled] = []
    ragged: list[Reject] = []
    dates: dict[str, list[Any]] = {}  # column: [ISO dates, month-first texts, the first of those]
    header_line, delimiter, width = b"", ",", 0
    positions: dict[str, int] | None = None
    refusal: FileRefused | None = None
    base = 0  # the lines of the slices before this one
    for index, chunk in enumerate(chunks):
        if b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n"):
            return None
        feeds = chunk.count(b"\n")
        if index == 0:
            if chunk.startswith(b"\xef\xbb\xbf"):
                return None
            end = chunk.find(b"\n")
            header_line = chunk[: end + 1] if end >= 0 else chunk
            delimiter = detect_delimiter((chunk[:end] if end >= 0 else chunk).decode("utf-8").lstrip("\ufeff"))
        parsed = _parse(chunk if index == 0 else header_line + chunk, delimiter)
        if parsed is None:
            return None
        values, lines = parsed
        if values.height - (index > 0) != feeds + (not chunk.endswith(b"\n")):
            return None  # a line polars did not give as a row: the row reader numbers them
        if index == 0:
            header = list(values.row(0))
            width = len(header)
            if lines["fields"][0] != width or _blank(header):
                return None
            try:
                positions = header_positions(header, entity, layouts)
            except FileRefused as exc:
                refusal = exc  # once every slice is read: the row reader may have to say something else
            if positions is not None and "document_id" not in positions:
                return None  # keyed by number and date: the row reader makes the key
        elif values.width != width:
            return None
        if positions is not None:
            kept = _rows(name, entity, positions, width, values, lines, base + (index == 0), delimiter, ragged)
            _count_dates(kept, dates)
            if slices and isinstance(slices[-1], pl.DataFrame):  # a file of more than one slice: to disk
                slices[-1] = _Spilled(slices[-1])
            slices.append(kept)
        base += feeds
    if refusal is not None:
        raise refusal
    if positions is None:
        return None
    for reject in ragged:
        tally.reject_read(entity, reject)
    _refuse_swapped_dates(dates)
    return FileFrame(name, *slices)


def _rows(
    name: str,
    entity: str,
    positions: dict[str, int],
    width: int,
    values: pl.DataFrame,
    lines: pl.DataFrame,
    first_line: int,
    delimiter: str,
    ragged: list[Reject],
) -> pl.DataFrame:
    """A slice's kept rows (its first row, the header, aside): not blank, not longer than the header
    unless only with blank values; the longer ones' rejects go to `ragged`."""
    names = values.columns
    wanted = [(column, positions[column]) for column in ENTITIES[entity].columns if column in positions]
    # A blank row's first value is blank: where no row's is, the other columns are not stripped at all (a
    # 16 MB slice of shipments: 23.5 -> 2.5 ms).
    if values.select(stripped(pl.col(names[0])) == "").to_series().any():
        blank = pl.all_horizontal([stripped(pl.col(n)) == "" for n in names])
    else:
        blank = pl.lit(False)
    frame = values.select(
        pl.int_range(first_line, first_line + pl.len(), dtype=pl.Int64).alias(LINE),
        *[pl.col(names[i]).alias(column) for column, i in wanted],
        blank=blank,
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
                ragged.append(ragged_row(entity, name, line, len(parsed), width))
            else:
                keep_lines.append(line)
        if keep_lines:
            kept = pl.concat([kept, frame.filter(pl.col(LINE).is_in(keep_lines))]).sort(LINE)
    return kept.drop("blank", "fields", "text")


_SLASHED = rf"^{SPACE_CLASS}*(\d{{1,2}})/(\d{{1,2}})/(\d{{2,4}})(?:{SPACE_CLASS}.*)?$"
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _count_dates(frame: pl.DataFrame, dates: dict[str, list[Any]]) -> None:
    """Add a slice's ISO dates and month-first texts per date column to `dates` (the first text kept)."""
    for column in ("date", "due_date"):
        if column not in frame.columns:
            continue
        value = pl.col(column)
        iso = value.str.contains(_ISO_DATE)
        slashed = ~iso & value.str.contains(_SLASHED)
        counts = frame.select(dates=iso.sum(), slashed=slashed.sum(), example=value.filter(slashed).first())
        iso_count, slashes, example = counts.row(0)
        seen = dates.setdefault(column, [0, 0, None])
        seen[0] += iso_count
        seen[1] += slashes
        if seen[2] is None:
            seen[2] = example


def _refuse_swapped_dates(dates: dict[str, list[Any]]) -> None:
    """tables._refuse_swapped_dates, column-wise: dates mixed with month-first text refuse the file."""
    for column in ("date", "due_date"):
        if column not in dates:
            continue
        iso_count, slashes, example = dates[column]
        if iso_count and slashes:
            raise FileRefused(
                f"the {column} column mixes {iso_count} dates with {slashes} texts like {example.strip()} (month "
                "first): a US-format file opened in a day-first Excel, so its other dates may have day and "
                "month swapped. Open the original CSV with its dates as text, or export the file again from 1C"
            )
