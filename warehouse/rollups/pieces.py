"""The rollups built in full, a piece of whole counterparties at a time.

Every row of `flows` and `shipment_checks` is one counterparty's: FIFO never crosses counterparties (a
match's debit and credit are its counterparty's documents) and a contract's documents are its
counterparty's (etl.load.upsert moves them with the contract). So a rollup worked out over a piece of
whole counterparties gives that piece's rows exactly as over everyone, while its working frames (joins,
groups, the sweep's inputs) hold a piece's rows rather than every document's: at 1M documents (1.8M, and
1.7M matches) the rollups took 450 MB above the frames themselves at once, 180 MB in pieces of 100,000.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

ROWS = 100_000  # documents per piece, about: whole counterparties, so a big one makes its piece bigger


def in_pieces(
    documents: pl.DataFrame, matches: pl.DataFrame, rows: int = ROWS
) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """(documents, matches) of whole counterparties, about `rows` documents a piece, in counterparty order.

    Documents without a counterparty are in no piece (no rollup row is theirs), nor are matches of a
    counterparty without documents (no rollup row joins them to anything)."""
    # Counted by the streaming engine: the in-memory group_by of 1.8M documents took 220 MB to count 200
    # counterparties (polars 2.1), and a filter first would copy every document.
    counts = (
        documents.lazy()
        .group_by("counterparty_id")
        .len()
        .drop_nulls("counterparty_id")
        .sort("counterparty_id")
        .collect(engine="streaming")
    )
    if counts.is_empty():
        return
    # A counterparty's piece: where its first document falls in the running count, `rows` a piece.
    starts = counts["len"].cum_sum() - counts["len"]
    numbers = (starts // max(rows, 1)).rle_id()  # 0, 1, 2...: a big counterparty leaves no piece empty
    ids = counts["counterparty_id"]
    pieces = numbers[-1] + 1
    if pieces == 1:
        identified = documents["counterparty_id"].null_count() == 0
        yield documents if identified else documents.filter(pl.col("counterparty_id").is_not_null()), matches
        return

    def piece_of(frame: pl.DataFrame) -> pl.Series:
        return frame["counterparty_id"].replace_strict(ids, numbers, default=None, return_dtype=pl.UInt32)

    of_documents, of_matches = piece_of(documents), piece_of(matches)
    for number in range(pieces):
        yield documents.filter(of_documents == number), matches.filter(of_matches == number)
