"""What a counterparty had overdue on each shipment's date: the sweep over days.

A shipment dated S is "shipped while overdue" when its counterparty had, on S, a debit open and due
before S (the shipment itself aside): contract section 4's ``shipped_while_overdue``. What was open on S
depends only on the documents dated on or before S and their matches dated on or before S (matching is
online), so the answer for a shipment never changes with the as-of date of a report.

The shipment_checks rollup (warehouse.rollups.checks) stores the sweep's answer for the default rule (a
day overdue is enough); queries.exceptions sweeps a window at query time with a longer threshold, or
while the rollup is not built yet. Both read the inputs with `sweep_inputs` and sweep with
`overdue_on_shipment_days`.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from typing import NamedTuple

import polars as pl
from sqlalchemy import ColumnElement, Connection, and_, func, or_, select, true

import warehouse
from warehouse.frames import frame

# On one day, in this order: the day's matches, the debits that become overdue, then the shipments,
# which read what is overdue after all of that.
_MATCH, _BECOMES_LATE, _BECOMES_OVERDUE, _SHIPMENT = 0, 1, 2, 3


class OnShipmentDay(NamedTuple):
    days: int  # the largest days overdue of the debits more than the threshold overdue
    overdue: list[tuple[str, int]]  # (currency, open amount) of those debits: the detail's figure
    late: list[tuple[str, int]]  # (currency, open amount) of every debit overdue that day: overdue_amount


SHIPMENT_SCHEMA = pl.Schema(
    {
        "doc_pk": pl.Int64,
        "document_id": pl.String,
        "number": pl.String,
        "counterparty_id": pl.String,
        "contract_id": pl.String,
        "currency": pl.String,
        "doc_date": pl.Date,
        "amount": pl.Int64,
    }
)
DEBIT_SCHEMA = pl.Schema(
    {
        "debit_pk": pl.Int64,
        "counterparty_id": pl.String,
        "debit_currency": pl.String,
        "debit_date": pl.Date,
        "due_date": pl.Date,
        "open_at_start": pl.Int64,
    }
)
MATCH_SCHEMA = pl.Schema({"debit_pk": pl.Int64, "match_date": pl.Date, "matched": pl.Int64})


def sweep_inputs(
    conn: Connection,
    *,
    start: date | None,
    end: date | None,
    due_before: date | None,
    shipments_where: ColumnElement[bool],
    counterparty_filter: Callable[[ColumnElement], ColumnElement[bool]],
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The sweep's three inputs for the shipments dated in [start, end] (None: unbounded): three set
    queries, none per shipment.

    The shipments (`shipments_where` narrows them); the debits of the counterparties that pass
    `counterparty_filter`, dated by `end` and due before `due_before`, still open at some point from
    `start` on, each with its amount less what was matched before `start`; and the matches of those
    debits dated in [start, end], summed per debit and day.
    """
    d, m = warehouse.documents, warehouse.matches
    shipments = frame(
        conn,
        select(
            d.c.doc_pk,
            d.c.document_id,
            d.c.number,
            d.c.counterparty_id,
            d.c.contract_id,
            d.c.currency,
            d.c.doc_date,
            d.c.amount,
        ).where(
            # `kind || ''`: no index on kind. SQLite would otherwise walk every shipment through the unique
            # (kind, document_id) index instead of reading the window's days by date.
            d.c.kind.concat("") == "shipment",
            d.c.doc_date >= start if start is not None else true(),
            d.c.doc_date <= end if end is not None else true(),
            d.c.counterparty_id.is_not(None),
            shipments_where,
        ),
        SHIPMENT_SCHEMA,
    )
    if shipments.is_empty():
        return shipments, pl.DataFrame(schema=DEBIT_SCHEMA), pl.DataFrame(schema=MATCH_SCHEMA)
    debit = d.alias("debit")
    candidates_where = and_(
        debit.c.side == 1,
        # A plain filter on the counterparties, not a join with the shipments: it plans well.
        counterparty_filter(debit.c.counterparty_id),
        debit.c.doc_date <= end if end is not None else true(),
        debit.c.due_date < due_before if due_before is not None else debit.c.due_date.is_not(None),
        or_(debit.c.settled_date.is_(None), debit.c.settled_date > start) if start is not None else true(),
    )
    open_at_start: ColumnElement[int]
    if start is None:
        open_at_start = debit.c.amount
    else:
        matched_before = (
            select(func.coalesce(func.sum(m.c.amount), 0))
            .where(m.c.debit_pk == debit.c.doc_pk, m.c.match_date < start)
            .scalar_subquery()
        )
        open_at_start = debit.c.amount - matched_before
    debits = frame(
        conn,
        select(
            debit.c.doc_pk,
            debit.c.counterparty_id,
            debit.c.currency,
            debit.c.doc_date,
            debit.c.due_date,
            open_at_start.label("open_at_start"),
        ).where(candidates_where),
        DEBIT_SCHEMA,
    )
    if debits.is_empty():
        return shipments, debits, pl.DataFrame(schema=MATCH_SCHEMA)
    matches = frame(
        conn,
        select(m.c.debit_pk, m.c.match_date, func.sum(m.c.amount))
        .where(
            m.c.match_date >= start if start is not None else true(),
            m.c.match_date <= end if end is not None else true(),
            m.c.debit_pk.in_(select(debit.c.doc_pk).where(candidates_where)),
        )
        .group_by(m.c.debit_pk, m.c.match_date),
        MATCH_SCHEMA,
    )
    return shipments, debits, matches


def overdue_on_shipment_days(
    shipments: pl.DataFrame,
    debits: pl.DataFrame,
    window_matches: pl.DataFrame,
    threshold: int,
    as_of: date,
    *,
    late_too: bool,
) -> dict[int, OnShipmentDay]:
    """shipment pk -> what was overdue on its date, when some debit was more than `threshold` days overdue.

    One sweep over the window's days: a debit joins the counterparty's overdue debt on the day it is
    more than `threshold` days overdue (not before it is dated), each match lowers it on the match's
    date; a shipment reads the debt on its date after that day's events, less its own part. The oldest
    due date comes from a heap per counterparty whose settled debits are dropped when they surface.
    With `late_too` the sweep also keeps every overdue debt (a day overdue is enough) for the stop-list's
    overdue_amount rule; without it `late` repeats `overdue` (the same with threshold 0).
    """
    events: list[tuple[date, int, int]] = []  # (day, kind, row) sorted: the sweep's timeline
    debit_rows = debits.select(
        "debit_pk",
        "counterparty_id",
        "debit_currency",
        "due_date",
        "open_at_start",
        pl.max_horizontal("debit_date", pl.col("due_date") + timedelta(days=threshold + 1)).alias("overdue_from"),
        pl.max_horizontal("debit_date", pl.col("due_date") + timedelta(days=1)).alias("late_from"),
    ).rows()
    # A debit due too late to be more than the threshold overdue by D only counts as late (with late_too).
    events += [(r[5], _BECOMES_OVERDUE, i) for i, r in enumerate(debit_rows) if r[5] <= as_of]
    if late_too:
        events += [(r[6], _BECOMES_LATE, i) for i, r in enumerate(debit_rows)]
    match_rows = window_matches.rows()
    events += [(r[1], _MATCH, i) for i, r in enumerate(match_rows)]
    shipment_rows = shipments.select("doc_pk", "counterparty_id", "doc_date").rows()
    events += [(r[2], _SHIPMENT, i) for i, r in enumerate(shipment_rows)]
    events.sort()

    open_amount = {r[0]: r[4] for r in debit_rows}  # debit pk -> open amount so far
    debit_of = {r[0]: r for r in debit_rows}
    overdue_debits: set[int] = set()
    late_debits: set[int] = set()
    # counterparty -> currency -> sum
    overdue_sum: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    late_sum: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    oldest: dict[str, list[tuple[date, int]]] = defaultdict(list)  # counterparty -> heap of (due date, pk)
    result: dict[int, OnShipmentDay] = {}

    def less_own(sums: dict[str, int], among: set[int], shipment_pk: int) -> list[tuple[str, int]]:
        own_currency = debit_of[shipment_pk][2] if shipment_pk in among else None
        own_open = max(open_amount[shipment_pk], 0) if own_currency is not None else 0
        amounts = [(c, total - (own_open if c == own_currency else 0)) for c, total in sorted(sums.items())]
        return [(c, a) for c, a in amounts if a > 0]

    for day, kind, i in events:
        if kind == _MATCH:
            pk, amount = match_rows[i][0], match_rows[i][2]
            open_amount[pk] -= amount
            if pk in overdue_debits:
                debit = debit_of[pk]
                overdue_sum[debit[1]][debit[2]] -= amount
            if pk in late_debits:
                debit = debit_of[pk]
                late_sum[debit[1]][debit[2]] -= amount
        elif kind == _BECOMES_OVERDUE:
            pk, counterparty, currency, due = debit_rows[i][:4]
            overdue_debits.add(pk)
            overdue_sum[counterparty][currency] += open_amount[pk]
            heapq.heappush(oldest[counterparty], (due, pk))
        elif kind == _BECOMES_LATE:
            pk, counterparty, currency = debit_rows[i][:3]
            late_debits.add(pk)
            late_sum[counterparty][currency] += open_amount[pk]
        else:
            shipment_pk, counterparty = shipment_rows[i][:2]
            heap = oldest[counterparty]
            while heap and open_amount[heap[0][1]] <= 0:
                heapq.heappop(heap)
            own = heap[0] if heap and heap[0][1] == shipment_pk else None
            if own is not None:  # only when its own due date is before its date: it does not count
                heapq.heappop(heap)
                while heap and open_amount[heap[0][1]] <= 0:
                    heapq.heappop(heap)
            if heap:
                overdue = less_own(overdue_sum[counterparty], overdue_debits, shipment_pk)
                late = less_own(late_sum[counterparty], late_debits, shipment_pk) if late_too else overdue
                result[shipment_pk] = OnShipmentDay((day - heap[0][0]).days, overdue, late)
            if own is not None:
                heapq.heappush(heap, own)
    return result
