"""A document's row hash column-wise: the same hash upsert._row_hash gives its values, for a frame of records.

The stored hash is blake2b of `repr(tuple(values))` (strings, ints, dates and None). The repr text is built
in polars, one concat_str over the columns: an int's digits; a date's repr made by Python once per
distinct day (a few thousand among millions of rows) and looked up; a string in single quotes where its repr
is just that (printable ASCII without a quote or backslash, Russian letters and a few signs of documents);
None for a null. A row with any other string has its repr made by Python instead. A column the frame holds
no null of, or only nulls, or (an integer) one value, is put in the concat as it is or as a literal: a
string's quotes around it by the concat itself, not by one of its own per column (1.8M rows: the text
1.2 -> 0.85 s of CPU). Only the digest is taken per row in Python, from a copy of one blake2b object made
beforehand: hashlib's constructor parsing digest_size every row cost a third more (0.48 -> 0.35 us a row).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import polars as pl

# Characters whose repr in a str is themselves, and that leave a str's repr in single quotes; a string
# with any character outside them is odd (its row's repr is Python's).
_PLAIN = r" !#-&(-\[\]-~\x{0401}\x{0410}-\x{044F}\x{0451}\x{2116}\x{00AB}\x{00BB}\x{2013}\x{2014}\x{0022}"
_ODD = f"[^{_PLAIN}]"
_STRINGS = frozenset(
    {
        "counterparty_id",
        "contract_id",
        "currency",
        "number",
        "shipment_id",
        "purpose",
        "warehouse",
        "payer_inn",
        "payer_name",
    }
)
_DATES = frozenset({"doc_date", "own_due_date"})


def _piece(frame: pl.DataFrame, column: str, separator: str) -> list[pl.Expr | str]:
    """The repr of each value of the column after `separator`, as text (a string's when it is plain); a
    str is a literal piece, the same on every row."""
    value = pl.col(column)
    series = frame[column]
    nulls = series.null_count()
    if nulls == series.len():
        return [separator + "None"]
    if column in _STRINGS:
        if not nulls:  # the quotes as literals of the one concat
            return [separator + "'", value, "'"]
        # One concat for the separator and both quotes; a null value makes it null.
        return [pl.concat_str(pl.lit(separator + "'"), value, pl.lit("'")).fill_null(separator + "None")]
    if column in _DATES:  # Python's repr, once per distinct day (a day's digits built in polars cost 3x more)
        days = series.drop_nulls().unique().to_list()
        if not nulls and len(days) == 1:
            return [separator + repr(days[0])]
        shown = value.replace_strict(days, [repr(day) for day in days], default="None", return_dtype=pl.String)
    elif not nulls:
        low, high = series.min(), series.max()
        if low == high:  # one value (a side): its digits once
            return [separator + str(low)]
        shown = value.cast(pl.String)
    else:
        shown = value.cast(pl.String).fill_null("None")
    return [separator, shown]


def row_texts(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """repr(tuple(record[c] for c in columns)) for every row of the frame."""
    pieces: list[pl.Expr | str] = ["("]
    for place, column in enumerate(columns):
        pieces.extend(_piece(frame, column, ", " if place else ""))
    pieces.append(")")
    merged: list[pl.Expr | str] = []  # neighbouring literals as one
    for piece in pieces:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    if all(isinstance(piece, str) for piece in merged):  # every row the same text (a literal is one row)
        return pl.repeat("".join(str(piece) for piece in merged), frame.height, dtype=pl.String, eager=True)
    strings = [
        pl.col(c).str.contains(_ODD).fill_null(False)
        for c in columns
        if c in _STRINGS and frame[c].null_count() < frame.height
    ]
    odd = pl.any_horizontal(strings) if strings else pl.lit(False)
    text = pl.concat_str([pl.lit(piece) if isinstance(piece, str) else piece for piece in merged])
    made = frame.select(text.alias("text"), odd.alias("odd"))
    texts, odd_rows = made["text"], made["odd"]
    if odd_rows.any():  # a row with a string whose repr escapes something: the row's repr made by Python
        reprs = [repr(values) for values in frame.filter(odd_rows).select(columns).iter_rows()]
        texts = texts.scatter(odd_rows.arg_true(), reprs)
    return texts


def row_hashes(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """upsert._row_hash([record[c] for c in columns]) for every row of the frame."""
    texts = row_texts(frame, columns).cast(pl.Binary).to_list()
    # A copy of a made object: blake2b(text, digest_size=8) parses its keywords and sets up every row.
    copy = hashlib.blake2b(digest_size=8).copy
    hashes: list[str] = []
    append = hashes.append
    for text in texts:
        digest = copy()
        digest.update(text)
        append(digest.hexdigest())
    return pl.Series("row_hash", hashes, dtype=pl.String)
