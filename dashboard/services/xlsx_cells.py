"""A faster writer for the plain cells of a constant_memory worksheet (the act of the largest client: 45k
rows, 135k cells, about 0.3 s of xlsxwriter's 1 s).

xlsxwriter writes each cell's XML through a general routine: the attributes escaped one by one, the
format looked up through row and column formats, a string's control characters and whitespace checked by
three regular expressions. A formatted number, and a formatted string with nothing to escape or preserve,
come out the same from one f-string; every other cell (no format, a formula, a rich string, a string
with &, <, >, a control character, an `_xHHHH_` literal or whitespace at an end) goes the general way.
The XML is byte for byte xlsxwriter's (tests/dashboard/services/test_xlsx_cells.py compares the sheets);
`_write_cell` is xlsxwriter's private method, so the comparison is what tells if a new version changes it.
"""

from __future__ import annotations

import re
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell_fast

# What makes a string's XML differ from its text: XML's specials, control characters (written _xHHHH_),
# a literal _xHHHH_ (escaped again), whitespace at either end (xml:space="preserve").
_NOT_PLAIN = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_|^\s|\s$")


def fast_cells(worksheet: Any) -> None:
    """Write `worksheet`'s plain formatted cells from one f-string each (constant_memory worksheets only:
    elsewhere strings are shared and go xlsxwriter's way)."""
    if not worksheet.constant_memory or not hasattr(worksheet, "_write_cell"):
        return
    general = worksheet._write_cell

    def write_cell(row: int, col: int, cell: Any) -> None:
        cell_format = cell.format
        kind = cell.__class__.__name__
        if cell_format is None:
            general(row, col, cell)
        elif kind == "Number":
            reference = xl_rowcol_to_cell_fast(row, col)
            xf = cell_format._get_xf_index()
            worksheet.fh.write(f'<c r="{reference}" s="{xf}"><v>{cell.number:.16G}</v></c>')
        elif kind == "String" and not _NOT_PLAIN.search(cell.string) and not cell.string.startswith("<r>"):
            reference = xl_rowcol_to_cell_fast(row, col)
            xf = cell_format._get_xf_index()
            worksheet.fh.write(f'<c r="{reference}" s="{xf}" t="inlineStr"><is><t>{cell.string}</t></is></c>')
        else:
            general(row, col, cell)

    worksheet._write_cell = write_cell
