"""FIFO over frames: documents and allocations in, matches and each document's settled state out.

The arrays etl.kernels.fifo takes are made column-wise in polars (sorting, ranks, joins); the kernel runs
a batch of whole counterparties at a time, so its working arrays stay bounded whatever the size of the
load. No per-row Python on the way in or out.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import polars as pl

from warehouse.arrays import read_only

BATCH = 100_000  # rows per kernel call, whole counterparties

DOCUMENTS = pl.Schema(
    {
        "doc_pk": pl.Int64,
        "kind": pl.String,
        "document_id": pl.String,
        "contract_id": pl.String,
        "currency": pl.String,
        "doc_date": pl.Date,
        "side": pl.Int64,
        "amount": pl.Int64,
        "due_date": pl.Date,  # debits: the due date worked out for matching (None: the document's date)
        "shipment_id": pl.String,
        "counterparty_id": pl.String,
    }
)
ALLOCATIONS = pl.Schema({"payment_id": pl.String, "shipment_id": pl.String, "amount": pl.Int64})
MATCHES = pl.Schema(
    {
        "counterparty_id": pl.String,
        "debit_pk": pl.Int64,
        "credit_pk": pl.Int64,
        "amount": pl.Int64,
        "match_date": pl.Date,
    }
)
# Each document's state after matching: what is left of it, the day it was settled (None: still open) and
# the day of its first match (None: never matched). A document booked before (`pre`) that had matches then
# (its `remaining` below its amount) has None here: the first match date stored with it stands.
SETTLED = pl.Schema({"doc_pk": pl.Int64, "remaining": pl.Int64, "settled_date": pl.Date, "first_match_date": pl.Date})


def match_frames(
    documents: pl.DataFrame, allocations: pl.DataFrame, batch: int = BATCH
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """etl.matching.match_counterparty for every counterparty in `documents` (DOCUMENTS' columns).

    With a boolean column `pre` and an Int64 `remaining`, the rows marked `pre` are the open state of
    etl.matching.continue_counterparty (`booked`, with what is left of each) and the rest are `new`.
    `allocations`: payment document_id -> shipment_id, amount (ALLOCATIONS), for payments among the
    documents. Documents without a counterparty are not matched (nor in the state): the caller need not
    copy the others out. Returns (matches as MATCHES, each document's doc_pk, remaining amount, settled
    date and first match date as SETTLED), in no particular order. `batch`: rows per kernel call (whole
    counterparties)."""
    ids = documents["counterparty_id"].drop_nulls().unique().sort()
    if ids.is_empty():
        return pl.DataFrame(schema=MATCHES), pl.DataFrame(schema=SETTLED)
    # Whole counterparties a batch at a time, each batch sorted and made arrays on its own: the working
    # copies stay the size of a batch, not of the load.
    codes = documents["counterparty_id"].replace_strict(ids, pl.int_range(ids.len(), eager=True), default=None)
    sizes = codes.drop_nulls().value_counts().sort(codes.name)
    starts = np.zeros(sizes.height + 1, np.int64)
    np.cumsum(sizes["count"].to_numpy(), out=starts[1:])
    matches: list[pl.DataFrame] = []
    settled: list[pl.DataFrame] = []
    for first, end in _batches(starts, batch):
        whole = first == 0 and end == sizes.height and codes.null_count() == 0
        part = documents if whole else documents.filter(codes.is_between(first, end - 1))
        rows, targets, names = _arrays(part, allocations)
        found, state = _run(rows, targets, names, 0, len(rows["starts"]) - 1)
        matches.append(found)
        settled.append(state)
    return pl.concat(matches), pl.concat(settled)


def _arrays(
    documents: pl.DataFrame, allocations: pl.DataFrame
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], pl.Series]:
    """The kernel's row and target arrays (etl.kernels.fifo's docstring), rows in the kernel's order, and
    the counterparties' ids in their order."""
    if "pre" not in documents.columns:
        documents = documents.with_columns(pre=pl.lit(False), remaining=pl.lit(0, dtype=pl.Int64))
    debit = pl.col("side") > 0
    day = pl.col("doc_date").cast(pl.Int64)
    # Event order (etl.matching.event_order) within each counterparty, the documents booked before first,
    # as two integer keys: a sort on the strings themselves costs twice as much.
    first_key = (_code("counterparty_id") * 2 + (~pl.col("pre")).cast(pl.Int64)) * 2**20 + day - day.min()
    second_key = (pl.when(debit).then(0).otherwise(1) * 2**32 + pl.col("rank")) * 2**8 + _code("kind")
    docs = (
        documents.select(*DOCUMENTS.names(), "pre", "remaining")
        .with_columns(rank=pl.col("document_id").rank("dense").cast(pl.Int64))
        .sort(first_key, second_key, "doc_pk")
        .with_row_index("row", 0)
        .with_columns(
            pl.col("row").cast(pl.Int64),
            contract=(pl.col("contract_id").rank("dense").over("counterparty_id").cast(pl.Int64) - 1).fill_null(-1),
            currency_code=pl.col("currency").rank("dense").cast(pl.Int64) - 1,
            day=day,
            due=pl.when(debit).then(pl.coalesce("due_date", "doc_date").cast(pl.Int64)).otherwise(0),
        )
    )
    linked = docs.filter(
        ~debit, pl.col("kind") != "payment", pl.col("shipment_id").is_not_null(), pl.col("shipment_id") != ""
    ).select("row", "counterparty_id", "shipment_id", "amount")
    allocated = (
        docs.filter(~debit, pl.col("kind") == "payment")
        .select("row", "counterparty_id", "document_id")
        .join(allocations.select("payment_id", "shipment_id", "amount"), left_on="document_id", right_on="payment_id")
    )
    wanted = pl.concat([linked, allocated.drop("document_id")]).sort("row", "shipment_id", "amount")
    keys = (
        wanted.select("counterparty_id", "shipment_id")
        .unique()
        .with_columns(key=pl.col("shipment_id").rank("dense").over("counterparty_id").cast(pl.Int64) - 1)
    )
    shipments = docs.filter(pl.col("kind") == "shipment").select(
        "counterparty_id", pl.col("document_id").alias("shipment_id"), pl.col("row").alias("target")
    )
    wanted = (
        wanted.join(keys, on=["counterparty_id", "shipment_id"], how="left", maintain_order="left")
        .join(shipments, on=["counterparty_id", "shipment_id"], how="left", maintain_order="left")
        .with_columns(pl.col("target").fill_null(-1))
    )
    debit_keys = (
        docs.filter(debit)
        .select("row", "counterparty_id", pl.col("document_id").alias("shipment_id"))
        .join(keys, on=["counterparty_id", "shipment_id"])
    )
    n = docs.height
    key = np.full(n, -1, np.int64)
    key[debit_keys["row"].to_numpy()] = debit_keys["key"].to_numpy()
    per_row = np.bincount(wanted["row"].to_numpy(), minlength=n) if wanted.height else np.zeros(n, np.int64)
    t_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(per_row, out=t_ptr[1:])
    counterparty = docs["counterparty_id"]
    changes = np.flatnonzero((counterparty != counterparty.shift(1)).fill_null(True).to_numpy())
    rows = {
        "starts": np.append(changes, n).astype(np.int64),
        "side": docs["side"].to_numpy(),
        "amount": docs["amount"].to_numpy(),
        "day": docs["day"].to_numpy(),
        "due": docs["due"].to_numpy(),
        "contract": docs["contract"].to_numpy(),
        "currency": docs["currency_code"].to_numpy(),
        "rank": docs["rank"].to_numpy(),
        "pk": docs["doc_pk"].to_numpy(),
        "key": key,
        "pre": docs["pre"].cast(pl.Boolean).to_numpy().astype(np.bool_, copy=False),
        "remaining": docs["remaining"].fill_null(0).to_numpy(),
        "t_ptr": t_ptr,
    }
    targets = {
        "row": wanted["target"].cast(pl.Int64).to_numpy(),
        "key": wanted["key"].cast(pl.Int64).to_numpy(),
        "amount": wanted["amount"].cast(pl.Int64).to_numpy(),
    }
    rows = {name: values if name == "pre" else values.astype(np.int64, copy=False) for name, values in rows.items()}
    return rows, targets, counterparty.gather(changes)


def _code(column: str) -> pl.Expr:
    """A text column as the place of each value among its distinct values in string order (few of them)."""
    values = pl.col(column).unique().sort()
    return pl.col(column).replace_strict(values, pl.int_range(values.len(), dtype=pl.Int64))


def _batches(starts: np.ndarray, size: int) -> Iterator[tuple[int, int]]:
    """(first, end) indexes into `starts`: runs of whole counterparties of about `size` rows."""
    first = 0
    last = len(starts) - 1
    while first < last:
        end = int(np.searchsorted(starts, starts[first] + size, side="right")) - 1
        end = min(max(end, first + 1), last)
        yield first, end
        first = end


def _run(
    rows: dict[str, np.ndarray], targets: dict[str, np.ndarray], names: pl.Series, first: int, end: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The kernel over the counterparties first..end-1: their matches and their documents' state."""
    from etl.kernels.fifo import fifo

    row0, row1 = int(rows["starts"][first]), int(rows["starts"][end])
    t0, t1 = int(rows["t_ptr"][row0]), int(rows["t_ptr"][row1])
    # Read-only, all of them: one compiled signature of the kernel whatever polars handed over (warehouse.arrays).
    part = {name: read_only(rows[name][row0:row1]) for name in rows if name not in ("starts", "t_ptr")}
    target_rows = targets["row"][t0:t1]
    currencies = int(rows["currency"].max()) + 1
    starts = read_only(rows["starts"][first : end + 1] - row0)
    debit_row, credit_row, amount, day, remaining, last, first_day = fifo(
        starts,
        part["side"],
        part["amount"],
        part["day"],
        part["due"],
        part["contract"],
        part["currency"],
        part["rank"],
        part["pk"],
        part["key"],
        part["pre"],
        part["remaining"],
        read_only(rows["t_ptr"][row0 : row1 + 1] - t0),
        read_only(np.where(target_rows >= 0, target_rows - row0, -1)),
        read_only(targets["key"][t0:t1]),
        read_only(targets["amount"][t0:t1]),
        currencies,
    )
    matches = pl.DataFrame(
        {
            "counterparty_id": names.gather(first + np.searchsorted(starts, debit_row, side="right") - 1),
            "debit_pk": part["pk"][debit_row],
            "credit_pk": part["pk"][credit_row],
            "amount": amount,
            "match_date": day.astype("datetime64[D]"),
        },
        schema=MATCHES,
    )
    settled_day = np.where((remaining == 0) & (last >= 0), last, -1)
    matched_before = part["pre"] & (part["remaining"] < part["amount"])
    first_day = np.where(matched_before, -1, first_day)
    state = pl.DataFrame({"doc_pk": part["pk"], "remaining": remaining, "day": settled_day, "first": first_day})
    return matches, state.select("doc_pk", "remaining", settled_date=_day("day"), first_match_date=_day("first"))


def _day(column: str) -> pl.Expr:
    """A kernel's day number as a date; -1 as None."""
    return pl.when(pl.col(column) >= 0).then(pl.col(column).cast(pl.Int32).cast(pl.Date))
