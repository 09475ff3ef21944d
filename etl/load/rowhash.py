"""A document's row hash column-wise: the same hash upsert._row_hash gives its values, for a frame of records.

The stored hash is blake2b of `repr(tuple(values))` (strings, ints, dates and None). The repr text is built
in polars: an int's digits, `datetime.date(Y, M, D)`, `None`, and a string in single quotes where its repr
is just that (printable ASCII without a quote or backslash, Russian letters and a few signs of documents);
any other string's repr comes from Python, once per distinct value. Only the digest is taken in Python.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import polars as pl

# Characters whose repr in a str is themselves, and that leave a str's repr in single quotes.
_PLAIN = r"^[ !#-&(-\[\]-~\x{0401}\x{0410}-\x{044F}\x{0451}\x{2116}\x{00AB}\x{00BB}\x{2013}\x{2014}\x{0022}]*$"
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


def _piece(column: str) -> pl.Expr:
    """The repr of each value of the column, as text (a string's when it is plain)."""
    value = pl.col(column)
    if column in _DATES:
        shown = pl.concat_str(
            pl.lit("datetime.date("),
            value.dt.year().cast(pl.String),
            pl.lit(", "),
            value.dt.month().cast(pl.String),
            pl.lit(", "),
            value.dt.day().cast(pl.String),
            pl.lit(")"),
        )
    elif column in _STRINGS:
        shown = pl.concat_str(pl.lit("'"), value, pl.lit("'"))
    else:
        shown = value.cast(pl.String)
    return pl.when(value.is_null()).then(pl.lit("None")).otherwise(shown)


def row_hashes(frame: pl.DataFrame, columns: Sequence[str]) -> pl.Series:
    """upsert._row_hash([record[c] for c in columns]) for every row of the frame."""
    strings = [c for c in columns if c in _STRINGS]
    plain = pl.concat_str([pl.col(c).fill_null("") for c in strings]).str.contains(_PLAIN) if strings else pl.lit(True)
    texts = frame.select(
        pl.when(plain).then(
            pl.concat_str([pl.lit("("), pl.concat_str([_piece(c) for c in columns], separator=", "), pl.lit(")")])
        )
    ).to_series()
    odd = texts.is_null()
    if odd.any():  # a row with a string whose repr escapes something: the row's repr made by Python
        reprs = [repr(values) for values in frame.filter(odd).select(columns).iter_rows()]
        texts = texts.scatter(odd.arg_true(), reprs)
    blake2b = hashlib.blake2b
    digests = [blake2b(text, digest_size=8).digest() for text in texts.cast(pl.Binary).to_list()]
    return pl.Series("row_hash", digests, dtype=pl.Binary).bin.encode("hex")
