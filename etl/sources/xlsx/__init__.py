"""Read XLSX workbooks as rows of cell texts, without ever turning a number into a binary float.

openpyxl hands numeric cells back as Python floats, which would break the "money is exact" rule of the
contract, so this package reads the OOXML parts itself: zipfile for the package, ElementTree for the
small parts (workbook, relationships, styles), expat callbacks to stream the shared strings and the
sheet (a 100 MB sheet never becomes a DOM), and decimal.Decimal for every number.

Every cell comes back as a string, exactly as a person would read it in Excel:
numbers as plain decimal text rounded to Excel's 15 significant digits, date-formatted numbers as
YYYY-MM-DD, booleans as "1"/"0", errors as their text (#N/A), empty cells as "".

Here the sheet is chosen; ``workbook`` finds the parts of the package, ``sheet`` streams them and
``cells`` turns values into the texts above.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from etl.errors import FileRefused
from etl.sources.xlsx.sheet import iter_rows, read_shared_strings
from etl.sources.xlsx.workbook import DAMAGED, NOT_READABLE, Workbook, open_zip, read_date_styles

__all__ = ["read_xlsx_rows", "sheet_names"]


def sheet_names(path: Path) -> list[str]:
    """Names of the workbook's worksheets in tab order (hidden ones included, chartsheets not)."""
    with open_zip(path) as zf:
        try:
            return [name for name, _member in Workbook(zf).sheets]
        except (*DAMAGED, OSError) as exc:  # OSError: a header's offset sends a seek out of the file
            raise FileRefused(NOT_READABLE) from exc


def read_xlsx_rows(path: Path, entity: str) -> tuple[str, Iterator[tuple[int, list[str]]]]:
    """Pick the sheet named `entity` (case-insensitive), else the first one, and stream its rows.

    Returns (sheet name, iterator of (Excel row number, cell texts)). The first row yielded is the
    header; rows with nothing in them are skipped. The package is checked here, so a file that is
    not an XLSX is refused before the caller starts reading; damage found later in the sheet stream
    (a broken deflate block, a bad CRC) raises FileRefused from the iterator.
    """
    with open_zip(path) as zf:
        try:
            book = Workbook(zf)
            if not book.sheets:
                raise FileRefused("the XLSX workbook has no worksheet")
            wanted = entity.strip().casefold()
            name, member = next(((n, m) for n, m in book.sheets if n.strip().casefold() == wanted), book.sheets[0])
            shared = read_shared_strings(zf, book.shared_strings_member)
            date_styles = read_date_styles(zf, book.styles_member)
        except (*DAMAGED, OSError) as exc:  # OSError: a header's offset sends a seek out of the file
            raise FileRefused(NOT_READABLE) from exc
    # The zip is reopened by the generator itself: a caller that never iterates leaks no file handle.
    return name, iter_rows(path, member, shared, date_styles, book.date1904)
