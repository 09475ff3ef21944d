"""etl.matching's FIFO as a compiled state machine over arrays (numba), for many counterparties at once.

Why compiled: FIFO is sequential per counterparty (a counterparty-level payment takes the earliest-due
debit across contracts, allocations reserve amounts for shipments not booked yet, advances are spent
oldest first), so it cannot be vectorised by contract. The same steps as etl.matching, in the same order,
on arrays: a binary heap of open debits per contract, linked lists for the advances and for the
reservations waiting on a document id. etl.matching stays the reference; tests/etl/test_fifo_kernel.py
holds the two equal on random ledgers.

One function: a document's booking (etl.matching's book_debit and book_credit) is written out in the loop's
body, and the small steps are inlined by numba (inline="always"). Each call passed 25-30 arrays, and numba
counts a reference to every array a call takes: NRT_incref was most of the kernel's time (at 1M, the 1.8M
documents' kernel 1.15-1.2 -> 0.33-0.35 s of CPU, the same matches and states).

Rows are one batch's documents, sorted by counterparty (`starts` gives each one's rows), then documents
booked before (`pre`: continue_counterparty's open state, with `remaining`), then event order. Values
are int64: days as day numbers, money in kopecks, `contract` a counterparty-local index in contract_id
order (-1: none), `currency` a code, `rank` the document_id's place in string order, `key` a debit's
counterparty-local reservation key (-1: no credit names it). A credit's targets are rows t_ptr[i] to
t_ptr[i + 1] of the target arrays: the shipment's row (-1: not this counterparty's shipment), its key,
the amount wanted.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# The state's arrays, by row: remaining, reserved, last match day (-1: none), booked, next in a list.
# Outputs: matches as (debit row, credit row, amount, day), `count[0]` of them; each row's first match day.


@njit(cache=True, inline="always")
def _before(a: int, b: int, due: np.ndarray, day: np.ndarray, rank: np.ndarray, pk: np.ndarray) -> bool:
    """Heap order of open debits: (due date, date, document_id, pk)."""
    if due[a] != due[b]:
        return due[a] < due[b]
    if day[a] != day[b]:
        return day[a] < day[b]
    if rank[a] != rank[b]:
        return rank[a] < rank[b]
    return pk[a] < pk[b]


@njit(cache=True, inline="always")
def _push(heap, base, size, c, item, due, day, rank, pk):  # type: ignore[no-untyped-def]
    b = base[c]
    i = size[c]
    size[c] += 1
    while i > 0:
        parent = (i - 1) >> 1
        above = heap[b + parent]
        if not _before(item, above, due, day, rank, pk):
            break
        heap[b + i] = above
        i = parent
    heap[b + i] = item


@njit(cache=True, inline="always")
def _pop(heap, base, size, c, due, day, rank, pk):  # type: ignore[no-untyped-def]
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
        if child + 1 < n and _before(heap[b + child + 1], heap[b + child], due, day, rank, pk):
            child += 1
        if not _before(heap[b + child], last, due, day, rank, pk):
            break
        heap[b + i] = heap[b + child]
        i = child
    heap[b + i] = last


@njit(cache=True, inline="always")
def _head(heap, base, size, c, remaining, due, day, rank, pk):  # type: ignore[no-untyped-def]
    """The contract's open debit first in heap order (-1: none); debits closed out of order are dropped."""
    while size[c] > 0:
        debit = heap[base[c]]
        if remaining[debit] > 0:
            return debit
        _pop(heap, base, size, c, due, day, rank, pk)
    return -1


@njit(cache=True, inline="always")
def _close(debit, credit, amount, on, remaining, last, out_debit, out_credit, out_amount, out_day, count):  # type: ignore[no-untyped-def]
    remaining[debit] -= amount
    remaining[credit] -= amount
    last[debit] = on
    last[credit] = on
    n = count[0]
    out_debit[n] = debit
    out_credit[n] = credit
    out_amount[n] = amount
    out_day[n] = on
    count[0] = n + 1


@njit(cache=True, inline="always")
def _append(heads, tails, q, item, nxt):  # type: ignore[no-untyped-def]
    nxt[item] = -1
    if heads[q] == -1:
        heads[q] = item
    else:
        nxt[tails[q]] = item
    tails[q] = item


@njit(cache=True, inline="always")
def _take_from_advances(heads, tails, q, debit, nxt, remaining, reserved, last, day, out, count):  # type: ignore[no-untyped-def]
    """The debit consumes free advance from queue q, oldest credit first; spent credits leave the queue."""
    previous = -1
    credit = heads[q]
    while credit != -1 and remaining[debit] > 0:
        following = nxt[credit]
        if remaining[credit] == 0:
            if previous == -1:
                heads[q] = following
            else:
                nxt[previous] = following
            if tails[q] == credit:
                tails[q] = previous
            credit = following
            continue
        free = remaining[credit] - reserved[credit]
        if free > 0:
            amount = min(free, remaining[debit])
            _close(debit, credit, amount, day[debit], remaining, last, out[0], out[1], out[2], out[3], count)
        previous = credit
        credit = following


@njit(cache=True)
def fifo(  # type: ignore[no-untyped-def]
    starts,
    side,
    amount,
    day,
    due,
    contract,
    currency,
    rank,
    pk,
    key,
    pre,
    remaining_before,
    t_ptr,
    t_row,
    t_key,
    t_amount,
    currencies,
):
    """Match every counterparty of the batch. Returns (debit rows, credit rows, amounts, days) of the
    matches, and each row's remaining amount, last match day and first match day (-1: none) among them."""
    n = side.shape[0]
    targets = t_row.shape[0]
    capacity = 2 * n + 3 * targets + 1  # every close ends a debit, a credit's free part, or a target's
    out = (
        np.empty(capacity, np.int64),
        np.empty(capacity, np.int64),
        np.empty(capacity, np.int64),
        np.empty(capacity, np.int64),
    )
    count = np.zeros(1, np.int64)
    remaining = np.zeros(n, np.int64)
    reserved = np.zeros(n, np.int64)
    last = np.full(n, -1, np.int64)
    booked = np.zeros(n, np.bool_)
    nxt = np.full(n, -1, np.int64)
    heap = np.empty(n, np.int64)
    res_credit = np.empty(targets, np.int64)
    res_amount = np.empty(targets, np.int64)
    res_next = np.full(targets, -1, np.int64)
    for cp in range(starts.shape[0] - 1):
        first, end = starts[cp], starts[cp + 1]
        contracts = 0
        keys = 0
        for i in range(first, end):
            contracts = max(contracts, contract[i] + 1)
            keys = max(keys, key[i] + 1)
            for t in range(t_ptr[i], t_ptr[i + 1]):
                keys = max(keys, t_key[t] + 1)
        # Heaps: one slice of `heap` per contract, as long as its debits.
        base = np.zeros(contracts + 1, np.int64)
        size = np.zeros(max(contracts, 1), np.int64)
        has = np.zeros((max(contracts, 1), currencies), np.bool_)
        for i in range(first, end):
            c = contract[i]
            if c >= 0:
                has[c, currency[i]] = True
                if side[i] > 0:
                    base[c + 1] += 1
        for c in range(contracts):
            base[c + 1] += base[c]
        for c in range(contracts):
            base[c] += first
        adv_head = np.full(max(contracts, 1), -1, np.int64)
        adv_tail = np.full(max(contracts, 1), -1, np.int64)
        cur_head = np.full(currencies, -1, np.int64)
        cur_tail = np.full(currencies, -1, np.int64)
        res_head = np.full(max(keys, 1), -1, np.int64)
        res_tail = np.full(max(keys, 1), -1, np.int64)
        reservations = t_ptr[first]  # the next free slot: a credit reserves at most once per target
        for i in range(first, end):
            if pre[i]:  # booked before: its open state
                booked[i] = True
                remaining[i] = remaining_before[i]
                if remaining[i] <= 0:
                    continue
                c = contract[i]
                if side[i] > 0:
                    if c >= 0:
                        _push(heap, base, size, c, i, due, day, rank, pk)
                elif c >= 0:
                    _append(adv_head, adv_tail, c, i, nxt)
                else:
                    _append(cur_head, cur_tail, currency[i], i, nxt)
                continue
            if side[i] > 0:  # a debit: the reservations waiting for it, then the free advances, else its heap
                booked[i] = True
                remaining[i] = amount[i]
                k = key[i]
                if k >= 0:  # the reservations waiting for this document id, in the order they were made
                    r = res_head[k]
                    res_head[k] = -1
                    while r != -1:
                        credit = res_credit[r]
                        reserved[credit] -= res_amount[r]
                        part = min(res_amount[r], remaining[i], remaining[credit])
                        if part > 0:
                            _close(i, credit, part, day[i], remaining, last, out[0], out[1], out[2], out[3], count)
                        r = res_next[r]
                c = contract[i]
                if c >= 0:
                    _take_from_advances(adv_head, adv_tail, c, i, nxt, remaining, reserved, last, day, out, count)
                _take_from_advances(cur_head, cur_tail, currency[i], i, nxt, remaining, reserved, last, day, out, count)
                if remaining[i] > 0 and c >= 0:
                    _push(heap, base, size, c, i, due, day, rank, pk)
                continue
            # A credit: its targets (reserved when not booked yet), then the open debits of its contract (of
            # the counterparty's, by due date, without one); what is left waits as an advance.
            remaining[i] = amount[i]
            on = day[i]
            for t in range(t_ptr[i], t_ptr[i + 1]):
                target = t_row[t]
                part = min(t_amount[t], remaining[i] - reserved[i])
                if part <= 0 or (target >= 0 and currency[target] != currency[i]):
                    continue  # money never closes a debit in another currency, whatever a link says
                if target >= 0 and booked[target]:
                    part = min(part, remaining[target])
                    if part > 0:
                        _close(target, i, part, on, remaining, last, out[0], out[1], out[2], out[3], count)
                else:
                    reserved[i] += part
                    r = reservations
                    reservations += 1
                    res_credit[r] = i
                    res_amount[r] = part
                    res_next[r] = -1
                    k = t_key[t]
                    if res_head[k] == -1:
                        res_head[k] = r
                    else:
                        res_next[res_tail[k]] = r
                    res_tail[k] = r
            c = contract[i]
            if c >= 0:
                while remaining[i] - reserved[i] > 0:
                    debit = _head(heap, base, size, c, remaining, due, day, rank, pk)
                    if debit == -1:
                        break
                    part = min(remaining[i] - reserved[i], remaining[debit])
                    _close(debit, i, part, on, remaining, last, out[0], out[1], out[2], out[3], count)
            else:
                cur = currency[i]
                while remaining[i] - reserved[i] > 0:
                    best = -1
                    best_contract = -1
                    for other in range(contracts):
                        if not has[other, cur]:
                            continue
                        debit = _head(heap, base, size, other, remaining, due, day, rank, pk)
                        if debit == -1:
                            continue
                        if best == -1 or _earlier(debit, other, best, best_contract, due, day, rank):
                            best = debit
                            best_contract = other
                    if best == -1:
                        break
                    part = min(remaining[i] - reserved[i], remaining[best])
                    _close(best, i, part, on, remaining, last, out[0], out[1], out[2], out[3], count)
            if remaining[i] > 0:  # queued even when all of it is reserved: a larger reservation frees the rest
                if c >= 0:
                    _append(adv_head, adv_tail, c, i, nxt)
                else:
                    _append(cur_head, cur_tail, currency[i], i, nxt)
    found = count[0]
    first = np.full(n, -1, np.int64)
    for j in range(found):
        on = out[3][j]
        for row in (out[0][j], out[1][j]):
            if first[row] == -1 or on < first[row]:
                first[row] = on
    return out[0][:found], out[1][:found], out[2][:found], out[3][:found], remaining, last, first


@njit(cache=True, inline="always")
def _earlier(a, a_contract, b, b_contract, due, day, rank):  # type: ignore[no-untyped-def]
    """A counterparty-level payment's order across contracts: (due date, date, contract_id, document_id)."""
    if due[a] != due[b]:
        return due[a] < due[b]
    if day[a] != day[b]:
        return day[a] < day[b]
    if a_contract != b_contract:
        return a_contract < b_contract
    return rank[a] < rank[b]
