"""CSV reading with the encoding and delimiter detection of contract section 1.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1251. Delimiter: the one of
`,` `;` TAB that splits the header line into the most columns (outside quotes).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from etl.errors import FileRefused

DELIMITERS = (",", ";", "\t")
MAX_FIELD = 1_000_000


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise FileRefused(
                f"the file starts with a UTF-8 mark but is not UTF-8 (bad byte at position {exc.start})"
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise FileRefused("the file claims UTF-16 but cannot be decoded") from None
    if b"\x00" in data[:4096]:
        raise FileRefused("this is a binary file, not CSV text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError as exc:
        raise FileRefused(
            f"the text encoding is neither UTF-8 nor Windows-1251 (bad byte at position {exc.start})"
        ) from None


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def detect_delimiter(header_line: str) -> str:
    counts = {d: _count_outside_quotes(header_line, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def read_csv_rows(path: Path) -> tuple[str, str, Iterator[tuple[int, list[str]]]]:
    """Return (encoding, delimiter, iterator of (line number, values)); the first row is the header.

    Line numbers are physical lines where a record starts, as a person sees them in an editor.
    Blank lines are skipped.
    """
    data = path.read_bytes()
    if not data.strip():
        raise FileRefused("the file is empty")
    text, encoding = decode(data)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    return encoding, delimiter, _rows(text, delimiter)


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous_end = 0
    try:
        for values in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue
            yield start, values
    except csv.Error as exc:
        raise FileRefused(f"the CSV structure is broken near line {previous_end + 1}: {exc}") from None
