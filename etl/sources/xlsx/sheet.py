"""Streaming a worksheet (and the shared strings) through expat, row by row, in flat memory.

A 100 MB sheet never becomes a DOM: expat callbacks keep nothing but the current row's cell texts,
which are handed out after each chunk of decompressed bytes.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO
from xml.parsers import expat

from etl.errors import FileRefused
from etl.sources.xlsx.cells import number_text, serial_to_date_text, unescape
from etl.sources.xlsx.workbook import DAMAGED, NOT_READABLE

_MAX_COLUMNS = 16_384  # up to XFD
# Decompressed bytes handed to expat at a time: big enough to amortise the calls, small enough to
# keep memory flat on a 100 MB sheet.
_CHUNK = 1 << 20
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_shared_strings(zf: zipfile.ZipFile, member: str | None) -> list[str]:
    """The shared string table; rich-text runs concatenated, phonetic runs (<rPh>) left out."""
    if member is None:
        return []
    strings: list[str] = []
    parts: list[str] = []
    capture = False
    in_rph = False
    si = t = rph = ""

    def start(name: str, _attrs: dict[str, str]) -> None:
        nonlocal capture, in_rph
        if name == t:
            capture = not in_rph
        elif name == si:
            parts.clear()
        elif name == rph:
            in_rph = True

    def text(data: str) -> None:
        if capture:
            parts.append(data)

    def end(name: str) -> None:
        nonlocal capture, in_rph
        if name == t:
            capture = False
        elif name == si:
            value = "".join(parts)
            strings.append(unescape(value) if "_x" in value else value)
        elif name == rph:
            in_rph = False

    with zf.open(member) as f:
        head = f.read(_CHUNK)
        prefix = _root_prefix(head, b"sst")
        si, t, rph = prefix + "si", prefix + "t", prefix + "rPh"
        for _ in _feed(f, head, start, text, end):
            pass
    return strings


def _column_index(letters: str, cache: dict[str, int]) -> int:
    """0-based column of "A", "AB", ... (cached: a sheet uses the same few letters on every row).

    -1 when the reference has no valid column letters; the caller then puts the cell next in line.
    """
    idx = -1
    if letters.isascii() and letters.isalpha():
        idx = 0
        for ch in letters.upper():
            idx = idx * 26 + (ord(ch) - 64)
        idx -= 1
        if idx >= _MAX_COLUMNS:
            # Past Excel's last column (XFD): a damaged reference, and filling the gap could eat memory.
            raise FileRefused(f"{NOT_READABLE}: a cell reference {letters!r} is beyond column XFD")
    cache[letters] = idx
    return idx


def iter_rows(
    path: Path, member: str, shared: list[str], date_styles: frozenset[str], date1904: bool
) -> Iterator[tuple[int, list[str]]]:
    """(Excel row number, cell texts) of every row with something in it; damage raises FileRefused."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open(member) as f:
            yield from _parse_sheet(f, shared, date_styles, date1904)
    except FileRefused:
        raise
    except (*DAMAGED, OSError) as exc:
        raise FileRefused(NOT_READABLE) from exc


def _root_prefix(head: bytes, root: bytes) -> str:
    """The namespace prefix ("" or "x:") the part uses for SpreadsheetML elements.

    Expat's own namespace processing would cost a third of the parse time on a big sheet, so
    elements are matched by their qualified name, and the prefix is taken from the root element.
    Excel, LibreOffice, xlsxwriter and openpyxl use the default namespace; some generators use "x:".
    """
    m = re.search(rb"<(?:([A-Za-z_][\w.\-]*):)?" + root + rb"[\s/>]", head)
    return m.group(1).decode("ascii") + ":" if m and m.group(1) else ""


def _feed(
    f: IO[bytes],
    head: bytes,
    start: Callable[[str, dict[str, str]], None],
    text: Callable[[str], None],
    end: Callable[[str], None],
) -> Iterator[None]:
    """Run expat over a stream in chunks, yielding after each chunk so callers can hand out results.

    Expat (the parser under ElementTree) is driven directly: iterparse would build an Element per
    XML node, which doubles the time on a 200k-row sheet; here nothing but the cell texts is kept.
    """
    parser = expat.ParserCreate()
    # One callback per text node instead of one per buffer boundary or entity.
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    parser.EndElementHandler = end
    chunk = head
    while chunk:
        parser.Parse(chunk, False)
        yield
        chunk = f.read(_CHUNK)
    parser.Parse(b"", True)
    yield


def _parse_sheet(
    f: IO[bytes], shared: list[str], date_styles: frozenset[str], date1904: bool
) -> Iterator[tuple[int, list[str]]]:
    head = f.read(_CHUNK)
    prefix = _root_prefix(head, b"worksheet")
    # Qualified names of the elements that matter, compared by == in callbacks run millions of times.
    c_tag, v_tag, is_tag, t_tag, row_tag, rph_tag = (prefix + x for x in ("c", "v", "is", "t", "row", "rPh"))
    digits = "0123456789"
    col_cache: dict[str, int] = {}
    date_cache: dict[str, str] = {}
    ready: list[tuple[int, list[str]]] = []

    cells: list[str] = []
    row_number = 0
    cell_attrs: dict[str, str] = {}
    value: str | None = None
    inline: str | None = None
    capture = 0  # 1: inside <v>, 2: inside an inline string's <t>
    in_rph = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal cell_attrs, value, inline, capture, row_number, in_rph
        if name == c_tag:
            cell_attrs = attrs
            value = inline = None
        elif name == v_tag:
            value = ""
            capture = 1
        elif name == t_tag:
            if inline is not None and not in_rph:
                capture = 2
        elif name == is_tag:
            inline = ""
        elif name == row_tag:
            r = attrs.get("r")
            row_number = int(r) if r else row_number + 1
        elif name == rph_tag:
            in_rph = True

    def text(data: str) -> None:
        nonlocal value, inline
        if capture == 1 and value is not None:  # <v> set it to ""
            value += data
        elif capture == 2 and inline is not None:  # <is> set it to ""
            inline += data

    def end(name: str) -> None:
        nonlocal cells, capture, in_rph
        if name == v_tag:
            capture = 0
        elif name == c_tag:
            t = cell_attrs.get("t")
            if inline is not None:
                cell = unescape(inline) if "_x" in inline else inline
            elif not value:
                cell = ""
            elif t is None or t == "n":
                if cell_attrs.get("s") in date_styles:
                    # A sheet has few distinct dates and many rows: convert each serial once.
                    cached = date_cache.get(value)
                    if cached is None:
                        if len(date_cache) > 10_000:  # datetimes with times are all distinct
                            date_cache.clear()
                        cached = date_cache[value] = serial_to_date_text(value, date1904)
                    cell = cached
                else:
                    cell = number_text(value)
            elif t == "s":
                try:
                    cell = shared[int(value)]
                except (ValueError, IndexError) as exc:
                    raise FileRefused(f"{NOT_READABLE}: a cell refers to a missing shared string") from exc
            elif t == "b":
                cell = "1" if value in ("1", "true", "TRUE") else "0"
            elif t == "d":
                # ISO 8601 date cell (Strict files, some writers): keep the date, drop the time.
                cell = value[:10] if _ISO_DATE_RE.match(value) else value
            else:
                # "str" (a formula's text result), "e" (#N/A, #DIV/0!), "inlineStr" carried in a <v>.
                cell = unescape(value) if "_x" in value else value

            ref = cell_attrs.get("r")
            if ref:
                letters = ref.rstrip(digits)
                idx = col_cache.get(letters)
                if idx is None:
                    idx = _column_index(letters, col_cache)
            else:
                idx = -1
            n = len(cells)
            if idx == n or idx < 0:
                cells.append(cell)
            elif idx > n:
                # Cells Excel did not write are empty; fill the gap so columns stay aligned.
                cells.extend([""] * (idx - n))
                cells.append(cell)
            else:
                cells[idx] = cell
        elif name == t_tag:
            capture = 0
        elif name == row_tag:
            # Styled but empty cells at the end of a row are noise (sometimes up to column XFD).
            while cells and cells[-1] == "":
                cells.pop()
            if cells and any(x.strip() for x in cells):
                ready.append((row_number, cells))
            cells = []
        elif name == rph_tag:
            in_rph = False

    for _ in _feed(f, head, start, text, end):
        yield from ready
        ready.clear()
