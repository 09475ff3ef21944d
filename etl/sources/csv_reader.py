"""CSV reading with the encoding and delimiter detection of contract section 1.

Encodings: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1251. Delimiter: the one of
`,` `;` TAB that splits the header line into the most columns (outside quotes).

A file is refused as a whole (FileRefused) when its text cannot be trusted: binary data, a NUL
character, a byte order mark that lies, UTF-8 and Windows-1251 lines mixed, DOS text, quotes that do
not pair up. A wrong guess would not fail later: it would load mojibake or shifted columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from etl.errors import FileRefused
from etl.sources.text import line_of, looks_like_windows_1251, utf8_or_none

DELIMITERS = (",", ";", "\t")
# No limit worth the name: a value cannot be longer than the text it is in, which is already in
# memory. A huge cell is a reason to reject its row (validation), not to refuse the whole file. The
# limit is process-wide state, so it is one constant rather than a per-file value another thread
# could lower under a reader.
MAX_FIELD = 1 << 30
_HEAD = 4096
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _binary_refusal(head: bytes) -> FileRefused:
    if head.startswith(_ZIP_MAGIC):
        return FileRefused("this is an XLSX workbook (or another ZIP archive), not CSV text: name it .xlsx")
    if head.startswith(_OLE_MAGIC):
        return FileRefused("this is an old Excel .xls workbook, not CSV text: save it as .xlsx or CSV")
    # UTF-16 without a byte order mark: every other byte of the Latin header is zero.
    even, odd = head[0::2], head[1::2]
    if odd and (odd.count(0) > len(odd) // 2 or even.count(0) > len(even) // 2):
        return FileRefused(
            "the file looks like UTF-16 text without a byte order mark: save it as UTF-8 or Windows-1251"
        )
    return FileRefused("this is a binary file, not CSV text")


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise FileRefused(
                f"the file starts with a UTF-8 byte order mark, but line {line_of(data, exc.start + 3)} is not UTF-8 "
                "(Windows-1251 text saved with a UTF-8 mark?): save it again as UTF-8 or Windows-1251"
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise FileRefused("the file claims UTF-16 but cannot be decoded") from None
    head = data[:_HEAD]
    if b"\x00" in head or head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise _binary_refusal(head)
    utf8 = utf8_or_none(
        data,
        lambda utf8_line, bad_line: (
            f"the file mixes text encodings: line {utf8_line} is UTF-8, line {bad_line} is "
            "not (Windows-1251?): save the whole file in one encoding"
        ),
    )
    if utf8 is not None:
        return utf8, "utf-8"
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            f"the text encoding is neither UTF-8 nor Windows-1251 (bad byte at line {line_of(data, exc.start)})"
        ) from None
    if not looks_like_windows_1251(text):
        raise FileRefused(
            "the text encoding is neither UTF-8 nor Windows-1251 (DOS/CP866?): save it as UTF-8 or Windows-1251"
        )
    return text, "cp1251"


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
    Blank lines are skipped. FileRefused, from here or from the iterator, when the file cannot be read.
    """
    data = path.read_bytes()
    if not data.strip():
        raise FileRefused("the file is empty")
    text, encoding = decode(data)
    nul = text.find("\x00")
    if nul >= 0:
        # The database cannot store it, and no export writes it: the file is damaged or binary.
        raise FileRefused(f"line {line_of(text, nul)} holds a NUL character: binary data, not CSV text")
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    return encoding, delimiter, _rows(text, delimiter)


def _structure_error(message: str, line: int) -> FileRefused:
    """csv's own wording is for programmers; say what is wrong in the file and where."""
    if message == "unexpected end of data":
        return FileRefused(f'a quoted value that starts on line {line} is never closed (a missing ")')
    if message.endswith("expected after '\"'"):
        return FileRefused(f'line {line}: text follows a closing quote; a quote inside a value must be doubled ("")')
    return FileRefused(f"the CSV structure is broken near line {line} ({message})")


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
        raise _structure_error(str(exc), previous_end + 1) from None
