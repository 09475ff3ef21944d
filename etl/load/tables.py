"""The read stage's tables: a CSV or XLSX file of one entity into rows by canonical column.

Headings become columns through the mappings in force (Layouts: a layout remembered from the upload box,
the config's [columns.<entity>], then the built-in and 1C aliases); a document list without an id column is
keyed by number and date; a date column that Excel garbled (dates mixed with month-first text) refuses the
file.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

import warehouse
from domain.entities import DOCUMENT_KIND
from domain.errors import InvalidValue
from etl.columns import ENTITIES, ColumnMaps, folded_heading, normalize_column
from etl.errors import FileRefused
from etl.load.types import Reject, Row, Tally
from etl.parsing import parse_date
from etl.sources.csv_reader import read_csv_rows
from etl.sources.xlsx import read_xlsx_rows
from warehouse.mappings import remembered_mapping

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


@dataclass
class Layouts:
    """How a file's own headings map to columns: as remembered for its layout in the warehouse (the upload
    box's form), over the config's [columns.<entity>]; the built-in aliases come after both."""

    conn: Connection
    maps: ColumnMaps

    def mapping(self, entity: str, folded: list[str]) -> dict[str, str]:
        return {**self.maps.get(entity, {}), **(remembered_mapping(self.conn, entity, folded) or {})}


def layouts_fingerprint(conn: Connection, maps: ColumnMaps | None) -> str:
    """What the column mappings in force are, as a digest ("" when there are none): a load of unchanged
    files is skipped only when this is as it was."""
    t = warehouse.column_mappings
    remembered = conn.execute(select(t.c.headings_key, t.c.mapping).order_by(t.c.headings_key)).all()
    if not maps and not remembered:
        return ""
    content = json.dumps([maps or {}, [tuple(r) for r in remembered]], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()


def ragged_row(entity: str, file: str, line: int, values: int, width: int) -> Reject:
    """The reject of a row with more values than its header has columns (not retried: the file has to be
    fixed). The row reader and polars' reader (etl.load.columnar) both reject by this."""
    return Reject("row", entity, file, line, "", "", f"the row has {values} values, the header {width} columns")


def table_rows(path: Path, entity: str, tally: Tally, layouts: Layouts) -> list[Row]:
    """An entity file's rows by canonical column; a row with more values than the header is rejected."""
    name = str(path)
    positions, width, table = _read_table(path, entity, layouts)
    wanted = [(column, positions[column]) for column in ENTITIES[entity].columns if column in positions]
    rows = []
    for line, values in table:
        if len(values) > width and any(v.strip() for v in values[width:]):
            tally.reject_read(entity, ragged_row(entity, name, line, len(values), width))
            continue
        row_values = {column: (values[i] if i < len(values) else "") for column, i in wanted}
        if "document_id" not in positions and _keyed_by_number(positions, entity):
            row_values["document_id"] = number_date_key(row_values["number"], row_values["date"])
        rows.append(Row(name, line, row_values))
    _refuse_swapped_dates(rows)
    return rows


_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2,4})(?:\s.*)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _refuse_swapped_dates(rows: list[Row]) -> None:
    """A date column holding both dates and text like `1/13/2013` is a US-format CSV opened in a day-first
    Excel: the cells Excel could read as day-first became dates with day and month swapped (2013-01-02 read
    as 1 February), the rest stayed text. Half the file would load with wrong dates: refused as a whole."""
    for column in ("date", "due_date"):
        dates = slashed = 0
        example = ""
        for row in rows:
            value = row.values.get(column, "")
            if _ISO_DATE.match(value):
                dates += 1
            elif _SLASHED.match(value):
                slashed += 1
                example = example or value.strip()
        if dates and slashed:
            raise FileRefused(
                f"the {column} column mixes {dates} dates with {slashed} texts like {example} (month first): "
                "a US-format file opened in a day-first Excel, so its other dates may have day and month "
                "swapped. Open the original CSV with its dates as text, or export the file again from 1C"
            )


def _keyed_by_number(columns: Collection[str], entity: str) -> bool:
    """A document list from 1C without an id column is keyed by number and date (contract section 1)."""
    return entity in DOCUMENT_KIND and "number" in columns and "date" in columns


def number_date_key(number: str, day: str) -> str:
    """«ВО-101 от 03.02.2025»: 1C numbers documents anew each year, so the number alone is no key. The date
    as the file wrote it when it is no date (the row is then rejected for its date, under this key)."""
    try:
        shown = f"{parse_date(day):%d.%m.%Y}"
    except InvalidValue:
        shown = day.strip()
    return f"{number.strip()} от {shown}"


def _open(path: Path, entity: str) -> Iterator[tuple[int, list[str]]]:
    """The file's (line, values) rows, header first; FileRefused when it is no CSV or XLSX."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _sheet, iterator = read_xlsx_rows(path, entity)
    elif suffix in CSV_SUFFIXES:
        _encoding, _delimiter, iterator = read_csv_rows(path)
    elif suffix == ".xls":
        raise FileRefused("the old Excel .xls format is not supported: save the file as .xlsx or CSV")
    else:
        raise FileRefused(f"unsupported file type {path.suffix or '(no extension)'}: expected CSV or XLSX")
    return iter(iterator)


def _columns(headings: list[str], entity: str, layouts: Layouts) -> list[str]:
    """The column each heading is read as (IGNORE: none), the mappings in force applied."""
    mapping = layouts.mapping(entity, [folded_heading(name) for name in headings])
    return [normalize_column(name, entity, mapping) for name in headings]


def _missing(columns: list[str], entity: str) -> list[str]:
    present = set(columns)
    return [
        c
        for c in ENTITIES[entity].required
        if c not in present and not (c == "document_id" and _keyed_by_number(present, entity))
    ]


@dataclass(frozen=True)
class Peek:
    """A table file's headings as the load would read them, for the upload box's mapping form."""

    headings: list[str]
    columns: list[str]  # per heading: the column it is read as, IGNORE when none
    missing: list[str]  # required columns no heading gives
    preview: list[list[str]]  # the first rows


def peek_table(path: Path, entity: str, layouts: Layouts, rows: int = 5) -> Peek:
    """The header and first rows of a CSV or XLSX file; FileRefused when it cannot be read at all."""
    iterator = _open(path, entity)
    header = next(iterator, None)
    if header is None:
        raise FileRefused("the file has no header row")
    headings = list(header[1])
    columns = _columns(headings, entity, layouts)
    preview = [values for _line, values in itertools.islice(iterator, rows)]
    return Peek(headings, columns, _missing(columns, entity), preview)


def _read_table(path: Path, entity: str, layouts: Layouts) -> tuple[dict[str, int], int, list[tuple[int, list[str]]]]:
    """Header positions by canonical column, the header's width (ignored columns too) and the data rows;
    FileRefused when unreadable."""
    rows = _open(path, entity)
    header = next(rows, None)
    if header is None:
        raise FileRefused("the file has no header row")
    return header_positions(list(header[1]), entity, layouts), len(header[1]), list(rows)


def header_positions(headings: list[str], entity: str, layouts: Layouts) -> dict[str, int]:
    """Each canonical column's position in the header, the mappings in force applied; FileRefused when a
    column appears twice or a required one is missing. The row reader and polars' (etl.load.columnar)
    both read headers by this."""
    positions: dict[str, int] = {}
    for index, (name, column) in enumerate(zip(headings, _columns(headings, entity, layouts), strict=True)):
        if not column:
            continue
        if column in positions:
            raise FileRefused(f"column {name!r} appears twice in the header")
        positions[column] = index
    missing = _missing(list(positions), entity)
    if missing:
        spec = ENTITIES[entity]
        raise FileRefused(
            f"required column{'s' if len(missing) > 1 else ''} missing: {', '.join(missing)} "
            f"(a {entity} file needs {', '.join(spec.required)})"
        )
    return positions
