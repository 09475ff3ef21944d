"""A document's row hash column-wise: the same hash upsert._row_hash gives its values, for a frame of records.

The stored hash is blake2b of `repr(tuple(values))` (strings, ints, dates and None). The repr text is built
in polars, one concat_str over the columns: an int's digits; a date's repr made by Python once per
distinct day (a few thousand among millions of rows) and looked up; a string in single quotes where its repr
is just that (printable ASCII without a quote or backslash, Russian letters and a few signs of documents);
None for a null. A row with any other string has its repr made by Python instead. Only the digest is taken
per row in Python: hashlib's blake2b is most of the time left (about 0.85 us a row, its object's making).
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


def _piece(frame: pl.DataFrame, column: str, separator: str) -> list[pl.Expr]:
    """The repr of each value of the column after `separator`, as text (a string's when it is plain)."""
    value = pl.col(column)
    if column in _STRINGS:  # one concat for the separator and both quotes; a null value makes it null
        return [pl.concat_str(pl.lit(separator + "'"), value, pl.lit("'")).fill_null(separator + "None")]
    if column in _DATES:  # Python's repr, once per distinct day (a day's digits built in polars cost 3x more)
        days = frame[column].drop_nulls().unique().to_list()
        shown = value.replace_strict(days, [repr(day) for day in days], default="None", return_dtype=pl.String)
    else:
        shown = value.cast(pl.String).fill_null("None")
    return [pl.lit(separator), shown] if separator else [shown]


def row_texts(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """repr(tuple(record[c] for c in columns)) for every row of the frame."""
    pieces = [pl.lit("(")]
    for place, column in enumerate(columns):
        pieces.extend(_piece(frame, column, ", " if place else ""))
    pieces.append(pl.lit(")"))
    strings = [pl.col(c).str.contains(_ODD).fill_null(False) for c in columns if c in _STRINGS]
    odd = pl.any_horizontal(strings) if strings else pl.lit(False)
    made = frame.select(pl.concat_str(pieces).alias("text"), odd.alias("odd"))
    texts, odd_rows = made["text"], made["odd"]
    if odd_rows.any():  # a row with a string whose repr escapes something: the row's repr made by Python
        reprs = [repr(values) for values in frame.filter(odd_rows).select(columns).iter_rows()]
        texts = texts.scatter(odd_rows.arg_true(), reprs)
    return texts


def row_hashes(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """upsert._row_hash([record[c] for c in columns]) for every row of the frame."""
    blake2b = hashlib.blake2b
    texts = row_texts(frame, columns).cast(pl.Binary).to_list()
    return pl.Series("row_hash", [blake2b(text, digest_size=8).hexdigest() for text in texts], dtype=pl.String)
