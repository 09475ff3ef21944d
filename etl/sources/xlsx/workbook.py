"""The XLSX package: the zip, the workbook part and its relationships, and which styles show dates.

A workbook is a zip of XML parts (OOXML, ECMA-376). This module finds the parts a reader needs:
the worksheets in tab order, the shared strings, the styles and the date system, following the
relationships the way Excel does. Everything it refuses, it refuses with a reason a person can act on.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.parsers import expat

from etl.errors import FileRefused
from etl.sources.xlsx.cells import is_date_format

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

NOT_READABLE = "not a readable XLSX workbook (the file is damaged or truncated)"
# Errors that zipfile / zlib / expat raise on a damaged package; all mean "refuse the file". zipfile
# reads its headers with struct and trusts their fields, so a flipped byte can surface as almost any of
# these (a "version 6.4" NotImplementedError, a negative seek's ValueError, a struct.error ...).
DAMAGED = (
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


def open_zip(path: Path) -> zipfile.ZipFile:
    """The package, or FileRefused saying why it is no readable XLSX."""
    try:
        return zipfile.ZipFile(path)
    except OSError as exc:
        raise FileRefused(f"the file cannot be opened: {exc.strerror or exc}") from exc
    except DAMAGED as exc:
        raise FileRefused(_refusal_reason(path)) from exc


def _refusal_reason(path: Path) -> str:
    """A reason a person can act on: an old .xls or a password-protected workbook is not 'damaged'."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError:
        return NOT_READABLE
    if not head:
        return "the file is empty, not an XLSX workbook"
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        # OLE compound file: either an Excel 97-2003 .xls or an encrypted (password-protected) .xlsx.
        return (
            "not an XLSX workbook: it is an old .xls file or a password-protected workbook; "
            "save it in Excel as an unprotected .xlsx"
        )
    return NOT_READABLE


class Workbook:
    """What xl/workbook.xml and its relationships say: sheets, shared strings, styles, date system."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        # Part names are case-insensitive in OPC; some writers differ from Excel's casing.
        self._names = {n.lower(): n for n in zf.namelist()}
        self._zf = zf
        wb_part = self._main_part()
        wb_xml = self._read(wb_part)
        if wb_xml is None:
            raise FileRefused(f"{NOT_READABLE}: the workbook part is missing")
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
                raise FileRefused(f"{NOT_READABLE}: sheet {el.get('name', '')!r} is missing")
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


def read_date_styles(zf: zipfile.ZipFile, member: str | None) -> frozenset[str]:
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
        is_date = is_date_format(custom[fmt_id]) if fmt_id in custom else fmt_id in _BUILTIN_DATE_FMTS
        if is_date:
            dates.add(str(index))
    return frozenset(dates)
