"""Read XLSX workbooks as rows of cell texts, without ever turning a number into a binary float.

openpyxl hands numeric cells back as Python floats, which would break the "money is exact" rule of the
contract, so this module reads the OOXML parts itself: zipfile for the package, ElementTree for the
small parts (workbook, relationships, styles), expat callbacks to stream the shared strings and the
sheet (a 100 MB sheet never becomes a DOM), and decimal.Decimal for every number.

Every cell comes back as a string, exactly as a person would read it in Excel:
numbers as plain decimal text rounded to Excel's 15 significant digits, date-formatted numbers as
YYYY-MM-DD, booleans as "1"/"0", errors as their text (#N/A), empty cells as "".
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET
from xml.parsers import expat

from etl.errors import FileRefused

__all__ = ["read_xlsx_rows", "sheet_names"]

# Transitional OOXML (what Excel, LibreOffice, xlsxwriter and openpyxl write) and Strict OOXML
# (Excel's "Strict Open XML Spreadsheet" save option) differ only in namespace URIs.
_MAIN_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_REL_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

_NOT_READABLE = "not a readable XLSX workbook (the file is damaged or truncated)"
# Errors that zipfile / zlib / expat raise on a damaged package; all mean "refuse the file". zipfile
# reads its headers with struct and trusts their fields, so a flipped byte can surface as almost any of
# these (a "version 6.4" NotImplementedError, a negative seek's ValueError, a struct.error ...).
_DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    ET.ParseError,
    expat.ExpatError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OverflowError,
    struct.error,
)


def _tags(local: str) -> frozenset[str]:
    """All spellings of a SpreadsheetML element name: both namespaces, and bare for sloppy writers."""
    return frozenset({*(f"{{{ns}}}{local}" for ns in _MAIN_NS), local})


_SHEET, _WORKBOOK_PR, _NUM_FMT, _CELL_XFS, _XF = (_tags(x) for x in ("sheet", "workbookPr", "numFmt", "cellXfs", "xf"))
_REL_ID_ATTRS = tuple(f"{{{ns}}}id" for ns in _REL_NS)

# Built-in number formats that Excel renders as a date or time (ECMA-376 part 1, 18.8.30).
_BUILTIN_DATE_FMTS = frozenset({*range(14, 23), 45, 46, 47})

# Excel keeps 15 significant digits; anything past that in <v> is binary-float noise.
_EXCEL_DIGITS = 15
_MAX_COLUMNS = 16_384
# Doubles end near 1E+308 and 1E-324; a larger exponent in <v> is no number Excel could have written.
_EXCEL_MAX_EXP = 330
_MS_PER_DAY = 86_400_000
# Serial 1 is 1900-01-01 and Excel pretends 1900 was a leap year (serial 60 = 1900-02-29), so serials
# from 61 on count from 1899-12-30 and the ones below from 1899-12-31.
_ORD_1900_LOW = date(1899, 12, 31).toordinal()
_ORD_1900 = date(1899, 12, 30).toordinal()
_ORD_1904 = date(1904, 1, 1).toordinal()

_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Decompressed bytes handed to expat at a time: big enough to amortise the calls, small enough to
# keep memory flat on a 100 MB sheet.
_CHUNK = 1 << 20
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLAIN_NUMBER_RE = re.compile(r"-?[0-9]+(?:\.[0-9]*)?")


# --------------------------------------------------------------------------------------------------
# Public API


def sheet_names(path: Path) -> list[str]:
    """Names of the workbook's worksheets in tab order (hidden ones included, chartsheets not)."""
    with _open_zip(path) as zf:
        try:
            return [name for name, _member in _Workbook(zf).sheets]
        except (*_DAMAGED, OSError) as exc:  # OSError: a header's offset sends a seek out of the file
            raise FileRefused(_NOT_READABLE) from exc


def read_xlsx_rows(path: Path, entity: str) -> tuple[str, Iterator[tuple[int, list[str]]]]:
    """Pick the sheet named `entity` (case-insensitive), else the first one, and stream its rows.

    Returns (sheet name, iterator of (Excel row number, cell texts)). The first row yielded is the
    header; rows with nothing in them are skipped. The package is checked here, so a file that is
    not an XLSX is refused before the caller starts reading; damage found later in the sheet stream
    (a broken deflate block, a bad CRC) raises FileRefused from the iterator.
    """
    with _open_zip(path) as zf:
        try:
            book = _Workbook(zf)
            if not book.sheets:
                raise FileRefused("the XLSX workbook has no worksheet")
            wanted = entity.strip().casefold()
            name, member = next(((n, m) for n, m in book.sheets if n.strip().casefold() == wanted), book.sheets[0])
            shared = _read_shared_strings(zf, book.shared_strings_member)
            date_styles = _read_date_styles(zf, book.styles_member)
        except (*_DAMAGED, OSError) as exc:  # OSError: a header's offset sends a seek out of the file
            raise FileRefused(_NOT_READABLE) from exc
    # The zip is reopened by the generator itself: a caller that never iterates leaks no file handle.
    return name, _iter_rows(path, member, shared, date_styles, book.date1904)


# --------------------------------------------------------------------------------------------------
# Package structure


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except OSError as exc:
        raise FileRefused(f"the file cannot be opened: {exc.strerror or exc}") from exc
    except _DAMAGED as exc:
        raise FileRefused(_refusal_reason(path)) from exc


def _refusal_reason(path: Path) -> str:
    """A reason a person can act on: an old .xls or a password-protected workbook is not 'damaged'."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return _NOT_READABLE
    if not head:
        return "the file is empty, not an XLSX workbook"
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # OLE compound file: either an Excel 97-2003 .xls or an encrypted (password-protected) .xlsx.
        return (
            "not an XLSX workbook: it is an old .xls file or a password-protected workbook; "
            "save it in Excel as an unprotected .xlsx"
        )
    return _NOT_READABLE


class _Workbook:
    """What xl/workbook.xml and its relationships say: sheets, shared strings, styles, date system."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        # Part names are case-insensitive in OPC; some writers differ from Excel's casing.
        self._names = {n.lower(): n for n in zf.namelist()}
        self._zf = zf
        wb_part = self._main_part()
        wb_xml = self._read(wb_part)
        if wb_xml is None:
            raise FileRefused(f"{_NOT_READABLE}: the workbook part is missing")
        wb_root = ET.fromstring(wb_xml)
        rels = self._relationships(wb_part)

        self.date1904 = False
        for el in wb_root.iter():
            if el.tag in _WORKBOOK_PR:
                self.date1904 = el.get("date1904", "").lower() in ("1", "true")

        self.sheets: list[tuple[str, str]] = []
        for el in wb_root.iter():
            if el.tag not in _SHEET:
                continue
            rid = next((el.get(a) for a in _REL_ID_ATTRS if el.get(a)), None)
            rel = rels.get(rid or "")
            # Chartsheets and dialog sheets have no cells; only worksheets are candidates.
            if rel is None or not rel[0].endswith("/worksheet"):
                continue
            member = self._names.get(rel[1].lower())
            if member is None:
                raise FileRefused(f"{_NOT_READABLE}: sheet {el.get('name', '')!r} is missing")
            self.sheets.append((el.get("name", ""), member))

        by_type = {rtype.rsplit("/", 1)[-1]: target for rtype, target in rels.values()}
        base = posixpath.dirname(wb_part)
        self.shared_strings_member = self._member(by_type.get("sharedStrings"), base, "sharedStrings.xml")
        self.styles_member = self._member(by_type.get("styles"), base, "styles.xml")

    def _read(self, part: str) -> bytes | None:
        member = self._names.get(part.lower())
        return None if member is None else self._zf.read(member)

    def _member(self, target: str | None, base: str, default: str) -> str | None:
        return self._names.get((target or posixpath.join(base, default)).lower())

    def _main_part(self) -> str:
        """The workbook part named by _rels/.rels; xl/workbook.xml when the package omits it."""
        data = self._read("_rels/.rels")
        if data is not None:
            for rtype, target in _parse_rels(data, "").values():
                if rtype.endswith("/officeDocument"):
                    return target
        return "xl/workbook.xml"

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        folder, file = posixpath.split(part)
        data = self._read(posixpath.join(folder, "_rels", f"{file}.rels"))
        return {} if data is None else _parse_rels(data, folder)


def _parse_rels(data: bytes, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part path from the package root)."""
    out: dict[str, tuple[str, str]] = {}
    for el in ET.fromstring(data).iter(f"{{{_PKG_REL_NS}}}Relationship"):
        if el.get("TargetMode") == "External":
            continue
        target = el.get("Target", "")
        # Targets are relative to the source part's folder unless they start with "/".
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        out[el.get("Id", "")] = (el.get("Type", ""), posixpath.normpath(path))
    return out


# --------------------------------------------------------------------------------------------------
# Shared strings and styles


def _read_shared_strings(zf: zipfile.ZipFile, member: str | None) -> list[str]:
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
            strings.append(_unescape(value) if "_x" in value else value)
        elif name == rph:
            in_rph = False

    with zf.open(member) as f:
        head = f.read(_CHUNK)
        prefix = _root_prefix(head, b"sst")
        si, t, rph = prefix + "si", prefix + "t", prefix + "rPh"
        for _ in _feed(f, head, start, text, end):
            pass
    return strings


def _unescape(text: str) -> str:
    # OOXML writes characters XML cannot carry (CR, control characters) as _xHHHH_, and a literal
    # "_x" that could be mistaken for one as _x005F_x...; one left-to-right pass undoes both.
    # _x0000_ stays as written: no spreadsheet cell holds a NUL, and PostgreSQL text cannot store one.
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1).strip("0") else m.group(0), text)


def _read_date_styles(zf: zipfile.ZipFile, member: str | None) -> frozenset[str]:
    """The cell style indexes (the `s` attribute, as text) whose number format shows a date."""
    if member is None:
        return frozenset()
    root = ET.fromstring(zf.read(member))
    custom: dict[int, str] = {}
    for el in root.iter():
        if el.tag in _NUM_FMT:
            try:
                custom[int(el.get("numFmtId", ""))] = el.get("formatCode", "")
            except ValueError:
                continue
    xfs = next((el for el in root.iter() if el.tag in _CELL_XFS), None)
    if xfs is None:
        return frozenset()
    dates: set[str] = set()
    for index, xf in enumerate(x for x in xfs if x.tag in _XF):
        try:
            fmt_id = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        # A workbook may redefine a built-in id; its own format code wins then.
        is_date = _is_date_format(custom[fmt_id]) if fmt_id in custom else fmt_id in _BUILTIN_DATE_FMTS
        if is_date:
            dates.add(str(index))
    return frozenset(dates)


def _is_date_format(code: str) -> bool:
    """Whether a custom format code shows a date/time: a d, m, y or h token outside literals.

    Quoted text ("руб."), bracketed parts ([Red], [$-419]), escaped characters (\\d) and the
    character after _ (padding) or * (fill) are literals, not tokens.
    """
    i, n = 0, len(code)
    while i < n:
        ch = code[i]
        if ch == '"':
            end = code.find('"', i + 1)
            i = n if end < 0 else end + 1
        elif ch == "[":
            end = code.find("]", i + 1)
            i = n if end < 0 else end + 1
        elif ch in "\\_*":
            i += 2
        elif ch in "dDmMyYhH":
            return True
        else:
            i += 1
    return False


# --------------------------------------------------------------------------------------------------
# Cell values


def number_text(v: str) -> str:
    """The decimal text Excel shows for a <v> number: 15 significant digits, positional, no float.

    "1234.5599999999999" -> "1234.56", "1E-3" -> "0.001", "100" -> "100", "12.340" -> "12.34".
    """
    if len(v) <= _EXCEL_DIGITS and _PLAIN_NUMBER_RE.fullmatch(v):
        # The common case (money like 1234.56): at most 15 digits in plain notation is already what
        # Excel shows, so Decimal is skipped; this runs for every number of a big sheet.
        text = v.rstrip("0").rstrip(".") if "." in v else v
        return "0" if text == "-0" else text
    try:
        d = Decimal(v)
        if not d.is_finite() or not -_EXCEL_MAX_EXP <= d.adjusted() <= _EXCEL_MAX_EXP:
            # Not a number Excel can hold: leave the text for the validator to reject as it is.
            return v
        if d.is_zero():
            return "0"
        d = d.quantize(Decimal(1).scaleb(d.adjusted() - _EXCEL_DIGITS + 1), rounding=ROUND_HALF_UP)
    except ArithmeticError:  # InvalidOperation and friends: not a number at all
        return v
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def serial_to_date_text(v: str, date1904: bool) -> str:
    """An Excel date serial as YYYY-MM-DD, time of day dropped; integer arithmetic only.

    A value that is no valid date (negative, past year 9999) comes back as its number text, which
    the date validator then rejects with the value a person can see.
    """
    if v.isascii() and v.isdigit():
        days = int(v)
    else:
        try:
            # Excel resolves times to the millisecond, so 45678.99999999999 is midnight of the
            # next day on screen; round to ms before dropping the time.
            ms = int((Decimal(v) * _MS_PER_DAY).to_integral_value(rounding=ROUND_HALF_UP))
        except ArithmeticError:  # not a number, or one far beyond any date
            return v
        days = ms // _MS_PER_DAY
    if days < 0:
        return number_text(v)
    if date1904:
        ordinal = _ORD_1904 + days
    elif days >= 61:
        ordinal = _ORD_1900 + days
    elif days == 60:
        # Excel's phantom leap day: shown as 29.02.1900, which no real calendar has.
        return "1900-02-29"
    else:
        ordinal = _ORD_1900_LOW + days
    try:
        return date.fromordinal(ordinal).isoformat()
    except (ValueError, OverflowError):
        return number_text(v)


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
            raise FileRefused(f"{_NOT_READABLE}: a cell reference {letters!r} is beyond column XFD")
    cache[letters] = idx
    return idx


# --------------------------------------------------------------------------------------------------
# Sheet stream


def _iter_rows(
    path: Path, member: str, shared: list[str], date_styles: frozenset[str], date1904: bool
) -> Iterator[tuple[int, list[str]]]:
    try:
        with zipfile.ZipFile(path) as zf, zf.open(member) as f:
            yield from _parse_sheet(f, shared, date_styles, date1904)
    except FileRefused:
        raise
    except (*_DAMAGED, OSError) as exc:
        raise FileRefused(_NOT_READABLE) from exc


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
        if capture == 1:
            value += data  # type: ignore[operator]  # set to "" by <v>
        elif capture == 2:
            inline += data  # type: ignore[operator]  # set to "" by <is>

    def end(name: str) -> None:
        nonlocal cells, capture, in_rph
        if name == v_tag:
            capture = 0
        elif name == c_tag:
            t = cell_attrs.get("t")
            if inline is not None:
                cell = _unescape(inline) if "_x" in inline else inline
            elif not value:
                cell = ""
            elif t is None or t == "n":
                if cell_attrs.get("s") in date_styles:
                    # A sheet has few distinct dates and many rows: convert each serial once.
                    cell = date_cache.get(value)  # type: ignore[assignment]
                    if cell is None:
                        if len(date_cache) > 10_000:  # datetimes with times are all distinct
                            date_cache.clear()
                        cell = date_cache[value] = serial_to_date_text(value, date1904)
                else:
                    cell = number_text(value)
            elif t == "s":
                try:
                    cell = shared[int(value)]
                except (ValueError, IndexError) as exc:
                    raise FileRefused(f"{_NOT_READABLE}: a cell refers to a missing shared string") from exc
            elif t == "b":
                cell = "1" if value in ("1", "true", "TRUE") else "0"
            elif t == "d":
                # ISO 8601 date cell (Strict files, some writers): keep the date, drop the time.
                cell = value[:10] if _ISO_DATE_RE.match(value) else value
            else:
                # "str" (a formula's text result), "e" (#N/A, #DIV/0!), "inlineStr" carried in a <v>.
                cell = _unescape(value) if "_x" in value else value

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
