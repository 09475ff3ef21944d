"""warehouse.rollups.sweep's sweep over days as a compiled kernel over arrays (numba), for the
shipment_checks rollup built in full: the same events in the same order (on a day: matches, debits
becoming late, debits becoming overdue, then shipments), the same sums per counterparty and currency,
the same heap of the oldest due date. `overdue_on_shipment_days` in sweep.py stays the reference;
tests/warehouse/test_sweep_kernel.py holds the two equal on random ledgers.

Why compiled: the sweep is sequential (a shipment reads what is overdue after everything before it), so
it is a loop over millions of events; in Python it was most of the rollup's time at 1M.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl
from numba import njit

from warehouse.arrays import read_only

_MATCH, _BECOMES_LATE, _BECOMES_OVERDUE, _SHIPMENT = 0, 1, 2, 3
NOT_FOUND = -(2**62)  # a shipment whose counterparty had nothing overdue that day
FOUND = pl.Schema({"doc_pk": pl.Int64, "days": pl.Int64})
AMOUNTS = pl.Schema({"doc_pk": pl.Int64, "currency": pl.String, "amount": pl.Int64, "late": pl.Boolean})


@njit(cache=True)
def _first(a: int, b: int, due: np.ndarray, pk: np.ndarray) -> bool:
    return due[a] < due[b] or (due[a] == due[b] and pk[a] < pk[b])


@njit(cache=True)
def _push(heap, base, size, c, item, due, pk):  # type: ignore[no-untyped-def]
    b = base[c]
    i = size[c]
    size[c] += 1
    while i > 0:
        parent = (i - 1) >> 1
        if not _first(item, heap[b + parent], due, pk):
            break
        heap[b + i] = heap[b + parent]
        i = parent
    heap[b + i] = item


@njit(cache=True)
def _pop(heap, base, size, c, due, pk):  # type: ignore[no-untyped-def]
    b = base[c]
    n = size[c] - 1
    size[c] = n
    if n == 0:
        return
    last = heap[b + n]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        if child + 1 < n and _first(heap[b + child + 1], heap[b + child], due, pk):
            child += 1
        if not _first(heap[b + child], last, due, pk):
            break
        heap[b + i] = heap[b + child]
        i = child
    heap[b + i] = last


@njit(cache=True)
def _drop_closed(heap, base, size, c, open_amount, due, pk):  # type: ignore[no-untyped-def]
    while size[c] > 0 and open_amount[heap[base[c]]] <= 0:
        _pop(heap, base, size, c, due, pk)


@njit(cache=True)
def _less_own(  # type: ignore[no-untyped-def]
    sums, cp, among, own, open_amount, debit_currency, ship, late, out_ship, out_cur, out_amount, out_late, n
):
    """The shipment's counterparty's sums per currency, less the shipment's own open amount when it is
    among them; the positive ones, in currency order, appended to the outputs from `n`."""
    own_currency = debit_currency[own] if own >= 0 and among[own] else -1
    own_open = max(open_amount[own], 0) if own_currency >= 0 else 0
    for cur in range(sums.shape[1]):
        amount = sums[cp, cur] - (own_open if cur == own_currency else 0)
        if amount > 0:
            out_ship[n] = ship
            out_cur[n] = cur
            out_amount[n] = amount
            out_late[n] = late
            n += 1
    return n


@njit(cache=True)
def _sweep(  # type: ignore[no-untyped-def]
    event_day, event_kind, event_row, debit_cp, debit_currency, debit_due, debit_pk, debit_open, match_debit,
    match_amount, ship_cp, ship_day, ship_debit, counterparties, currencies, late_too,
):  # fmt: skip
    debits = debit_cp.shape[0]
    shipments = ship_cp.shape[0]
    open_amount = debit_open.copy()
    overdue = np.zeros(debits, np.bool_)
    late = np.zeros(debits, np.bool_)
    overdue_sum = np.zeros((counterparties, currencies), np.int64)
    late_sum = np.zeros((counterparties, currencies), np.int64)
    base = np.zeros(counterparties + 1, np.int64)
    for i in range(debits):
        base[debit_cp[i] + 1] += 1
    for c in range(counterparties):
        base[c + 1] += base[c]
    size = np.zeros(counterparties, np.int64)
    heap = np.empty(debits, np.int64)
    found_days = np.full(shipments, NOT_FOUND, np.int64)
    capacity = shipments * currencies * (2 if late_too else 1)
    out_ship = np.empty(capacity, np.int64)
    out_cur = np.empty(capacity, np.int64)
    out_amount = np.empty(capacity, np.int64)
    out_late = np.empty(capacity, np.bool_)
    n = 0
    for e in range(event_day.shape[0]):
        kind = event_kind[e]
        i = event_row[e]
        if kind == _MATCH:
            d = match_debit[i]
            amount = match_amount[i]
            open_amount[d] -= amount
            if overdue[d]:
                overdue_sum[debit_cp[d], debit_currency[d]] -= amount
            if late[d]:
                late_sum[debit_cp[d], debit_currency[d]] -= amount
        elif kind == _BECOMES_OVERDUE:
            overdue[i] = True
            overdue_sum[debit_cp[i], debit_currency[i]] += open_amount[i]
            _push(heap, base, size, debit_cp[i], i, debit_due, debit_pk)
        elif kind == _BECOMES_LATE:
            late[i] = True
            late_sum[debit_cp[i], debit_currency[i]] += open_amount[i]
        else:
            c = ship_cp[i]
            own_row = ship_debit[i]
            _drop_closed(heap, base, size, c, open_amount, debit_due, debit_pk)
            own = -1
            if size[c] > 0 and own_row >= 0 and heap[base[c]] == own_row:
                own = own_row  # only when its own due date is before its date: it does not count
                _pop(heap, base, size, c, debit_due, debit_pk)
                _drop_closed(heap, base, size, c, open_amount, debit_due, debit_pk)
            if size[c] > 0:
                found_days[i] = event_day[e] - debit_due[heap[base[c]]]
                n = _less_own(overdue_sum, c, overdue, own_row, open_amount, debit_currency, i, False,
                              out_ship, out_cur, out_amount, out_late, n)  # fmt: skip
                if late_too:
                    n = _less_own(late_sum, c, late, own_row, open_amount, debit_currency, i, True,
                                  out_ship, out_cur, out_amount, out_late, n)  # fmt: skip
            if own >= 0:
                _push(heap, base, size, c, own, debit_due, debit_pk)
    return found_days, out_ship[:n], out_cur[:n], out_amount[:n], out_late[:n]


def _days(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.Int64)


def _event(day: str | pl.Expr, kind: int) -> pl.Expr:
    return (pl.col(day) if isinstance(day, str) else day) * 4 + kind


def _place(column: str, values: pl.Series) -> pl.Expr:
    """Each value's place among `values` (sorted, distinct): a counterparty's or currency's code."""
    return pl.col(column).replace_strict(values, pl.int_range(values.len(), dtype=pl.Int64, eager=True))


def sweep_frames(
    shipments: pl.DataFrame,
    debits: pl.DataFrame,
    window_matches: pl.DataFrame,
    threshold: int,
    as_of: date,
    *,
    late_too: bool,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """sweep.overdue_on_shipment_days over frames: (FOUND: each shipment with something more than
    `threshold` days overdue on its date, and the largest days overdue; AMOUNTS: the open amounts per
    currency of those debits, and with `late_too` (late = true) of every debit overdue that day)."""
    if shipments.is_empty() or debits.is_empty():
        return pl.DataFrame(schema=FOUND), pl.DataFrame(schema=AMOUNTS)
    names = pl.concat([shipments["counterparty_id"], debits["counterparty_id"]]).unique().sort()
    currency_names = debits["debit_currency"].unique().sort()
    debit_rows = debits.select(
        "debit_pk",
        row=pl.int_range(pl.len(), dtype=pl.Int64),
        cp=_place("counterparty_id", names),
        cur=_place("debit_currency", currency_names),
        due=_days("due_date"),
        open=pl.col("open_at_start").cast(pl.Int64),
        overdue_from=pl.max_horizontal("debit_date", pl.col("due_date") + timedelta(days=threshold + 1)),
        late_from=pl.max_horizontal("debit_date", pl.col("due_date") + timedelta(days=1)),
    )
    row_of = debit_rows.select("debit_pk", "row")
    match_rows = window_matches.join(row_of, on="debit_pk", maintain_order="left").select(
        "row", day=_days("match_date"), amount=pl.col("matched").cast(pl.Int64)
    )
    ship_rows = (
        shipments.select("doc_pk", "doc_date", cp=_place("counterparty_id", names))
        .join(row_of.rename({"debit_pk": "doc_pk", "row": "debit_row"}), on="doc_pk", how="left", maintain_order="left")
        .with_columns(pl.col("debit_row").fill_null(-1))
    )
    # The timeline: (day, kind) as one key. Within a day and kind the order does not matter: matches and
    # debits only add to sums and the heap (whose order is its keys'), shipments only read.
    parts = [
        match_rows.select(key=_event("day", _MATCH), row=pl.int_range(pl.len(), dtype=pl.Int64)),
        debit_rows.filter(pl.col("overdue_from") <= as_of).select(
            key=_event(_days("overdue_from"), _BECOMES_OVERDUE), row="row"
        ),
        ship_rows.select(key=_event(_days("doc_date"), _SHIPMENT), row=pl.int_range(pl.len(), dtype=pl.Int64)),
    ]
    if late_too:
        parts.append(debit_rows.select(key=_event(_days("late_from"), _BECOMES_LATE), row="row"))
    events = pl.concat(parts).sort("key")
    event_key = events["key"].to_numpy()
    found_days, out_ship, out_cur, out_amount, out_late = _sweep(
        read_only(event_key >> 2), read_only(event_key & 3), read_only(events["row"]),
        read_only(debit_rows["cp"]), read_only(debit_rows["cur"]), read_only(debit_rows["due"]),
        read_only(debit_rows["debit_pk"]), read_only(debit_rows["open"]), read_only(match_rows["row"]),
        read_only(match_rows["amount"]), read_only(ship_rows["cp"]), read_only(ship_rows["doc_date"].cast(pl.Int64)),
        read_only(ship_rows["debit_row"]), names.len(),
        max(currency_names.len(), 1), late_too,
    )  # fmt: skip
    ship_pk = ship_rows["doc_pk"].to_numpy()
    found = pl.DataFrame({"doc_pk": ship_pk, "days": found_days}, schema=FOUND).filter(pl.col("days") != NOT_FOUND)
    amounts = pl.DataFrame(
        {
            "doc_pk": ship_pk[out_ship],
            "currency": currency_names.gather(out_cur),
            "amount": out_amount,
            "late": out_late,
        },
        schema=AMOUNTS,
    )
    return found, amounts
