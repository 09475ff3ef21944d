"""What a counterparty owed overdue on each shipment's date: the sweep and its `shipment_checks` rollup.

A shipment dated S is "shipped while overdue" when its counterparty had, on S, a debit open and due
before S (the shipment itself aside): contract section 4's ``shipped_while_overdue``. What was open on S
depends only on the documents dated on or before S and their matches dated on or before S (matching is
online), so the answer for a shipment never changes with the as-of date of a report: the load works it
out once per shipment and stores it, and queries.exceptions reads the window's rows.

The table holds the default rule (a day overdue is enough). A report with a longer threshold sweeps its
window at query time with the same function (`overdue_on_shipment_days`).

Built in full by a load that matches everything, per counterparty by one that matches some again, and
from the first new day by one that only goes on matching, like warehouse.rollups.flows. `meta.shipment_checks` = "1"
says the table is complete; until then queries.exceptions sweeps at query time.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import NamedTuple

import polars as pl
from sqlalchemy import ColumnElement, Connection, and_, delete, func, or_, select, true

import warehouse
from warehouse.bulk import bulk_insert
from warehouse.frames import frame
from warehouse.rollups import flows
from warehouse.state import read_meta, write_meta

READY = "shipment_checks"
COLUMNS = ("doc_pk", "counterparty_id", "doc_date", "oldest_due", "currency", "overdue", "contract_balance")
CHUNK = 25  # counterparties per sweep: at 1M shipments, 200 counterparties, about 125,000 shipments each


# On one day, in this order: the day's matches, the debits that become overdue, then the shipments,
# which read what is overdue after all of that.
_MATCH, _BECOMES_LATE, _BECOMES_OVERDUE, _SHIPMENT = 0, 1, 2, 3


class OnShipmentDay(NamedTuple):
    days: int  # the largest days overdue of the debits more than the threshold overdue
    overdue: list[tuple[str, int]]  # (currency, open amount) of those debits: the detail's figure
    late: list[tuple[str, int]]  # (currency, open amount) of every debit overdue that day: overdue_amount


SHIPMENT_SCHEMA = {
    "doc_pk": pl.Int64,
    "document_id": pl.String,
    "number": pl.String,
    "counterparty_id": pl.String,
    "contract_id": pl.String,
    "currency": pl.String,
    "doc_date": pl.Date,
    "amount": pl.Int64,
}
DEBIT_SCHEMA = {
    "debit_pk": pl.Int64,
    "counterparty_id": pl.String,
    "debit_currency": pl.String,
    "debit_date": pl.Date,
    "due_date": pl.Date,
    "open_at_start": pl.Int64,
}
MATCH_SCHEMA = {"debit_pk": pl.Int64, "match_date": pl.Date, "matched": pl.Int64}


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


# -- the rollup ------------------------------------------------------------------------------------

# -- contract balances on the shipments' dates -------------------------------------------------------
#
# A contract's balance as of S (as on its aging row: open debits - the contract's advance) is the sum
# of its documents' signed amounts dated by S, less the matches dated by S that closed one of its
# debits with a credit from elsewhere (another contract, or the counterparty's own advance), plus
# those that used one of its credits for a debit elsewhere; a match inside one contract changes
# nothing. Every change is a (contract, day, amount): the balance on S is their running sum.

_CHANGE_SCHEMA = {"contract_id": pl.String, "day": pl.Date, "change": pl.Int64}


def _changes(documents: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    """(contract_id, day, change) from documents (doc_pk, contract_id, doc_date, signed) and matches
    (debit_pk, credit_pk, match_date, amount); documents must hold both sides of every match."""
    contract_of = documents.select("doc_pk", "contract_id")
    cross = (
        matches.join(contract_of.rename({"doc_pk": "debit_pk", "contract_id": "debit_contract"}), on="debit_pk")
        .join(contract_of.rename({"doc_pk": "credit_pk", "contract_id": "credit_contract"}), on="credit_pk")
        .filter(pl.col("debit_contract").ne_missing(pl.col("credit_contract")))
    )
    return pl.concat(
        [
            documents.select(contract_id="contract_id", day="doc_date", change="signed"),
            cross.select(contract_id="debit_contract", day="match_date", change=-pl.col("amount")),
            cross.select(contract_id="credit_contract", day="match_date", change="amount"),
        ]
    ).filter(pl.col("contract_id").is_not_null())


def _balances_on(shipments: pl.DataFrame, changes: pl.DataFrame, base: pl.DataFrame | None = None) -> pl.DataFrame:
    """(doc_pk, contract_balance): each shipment's contract balance on its date, everything dated that
    day included; `base` (contract_id, base) is the balance before the first change."""
    running = (
        changes.group_by("contract_id", "day")
        .agg(pl.col("change").sum())
        .sort("contract_id", "day")
        .with_columns(balance=pl.col("change").cum_sum().over("contract_id"))
    )
    if base is not None:
        running = running.join(base, on="contract_id", how="left").with_columns(
            pl.col("balance") + pl.col("base").fill_null(0)
        )
    return (
        shipments.filter(pl.col("contract_id").is_not_null())
        .sort("doc_date")
        .join_asof(
            running.select("contract_id", "day", "balance").sort("day"),
            left_on="doc_date",
            right_on="day",
            by="contract_id",
            strategy="backward",
            check_sortedness=False,  # both sorted by date, so within each contract too
        )
        .select("doc_pk", contract_balance="balance")
    )


def _open_before(conn: Connection, day: date, contract_ids: list[str]) -> pl.DataFrame:
    """(contract_id, base): each contract's balance as of the day before `day`, from what was open then
    (the documents not settled before `day`, through the (side, settled_date) index)."""
    d, m = warehouse.documents, warehouse.matches
    frames = []
    for side, key in ((1, m.c.debit_pk), (-1, m.c.credit_pk)):
        matched = (
            select(func.coalesce(func.sum(m.c.amount), 0)).where(key == d.c.doc_pk, m.c.match_date < day)
        ).scalar_subquery()
        frames.append(
            frame(
                conn,
                select(d.c.contract_id, (d.c.side * (d.c.amount - matched)).label("open")).where(
                    d.c.side == side,
                    d.c.doc_date < day,
                    or_(d.c.settled_date.is_(None), d.c.settled_date >= day),
                    d.c.contract_id.is_not(None),
                ),
                {"contract_id": pl.String, "open": pl.Int64},
            )
        )
    return (
        pl.concat(frames)
        .filter(pl.col("contract_id").is_in(contract_ids))
        .group_by("contract_id")
        .agg(base=pl.col("open").sum())
    )


def balances_since(conn: Connection, day: date, shipments: pl.DataFrame) -> pl.DataFrame:
    """(doc_pk, contract_balance) of shipments dated from `day` on: the balance before `day` plus the
    changes from it (the documents dated from `day` and the matches dated from it, both read by date)."""
    contract_ids = shipments["contract_id"].drop_nulls().unique().to_list()
    if not contract_ids:
        return pl.DataFrame(schema={"doc_pk": pl.Int64, "contract_balance": pl.Int64})
    d, m = warehouse.documents, warehouse.matches
    debit, credit = d.alias("debit"), d.alias("credit")
    documents = frame(
        conn,
        select(d.c.doc_pk, d.c.contract_id, d.c.doc_date, (d.c.side * d.c.amount).label("signed")).where(
            d.c.doc_date >= day, d.c.counterparty_id.is_not(None)
        ),
        {"doc_pk": pl.Int64, "contract_id": pl.String, "doc_date": pl.Date, "signed": pl.Int64},
    )
    cross = frame(
        conn,
        select(m.c.match_date, m.c.amount, debit.c.contract_id, credit.c.contract_id)
        .select_from(m.join(debit, debit.c.doc_pk == m.c.debit_pk).join(credit, credit.c.doc_pk == m.c.credit_pk))
        .where(m.c.match_date >= day, debit.c.contract_id.is_distinct_from(credit.c.contract_id)),
        {"match_date": pl.Date, "amount": pl.Int64, "debit_contract": pl.String, "credit_contract": pl.String},
    )
    changes = pl.concat(
        [
            documents.select(contract_id="contract_id", day="doc_date", change="signed"),
            cross.select(contract_id="debit_contract", day="match_date", change=-pl.col("amount")),
            cross.select(contract_id="credit_contract", day="match_date", change="amount"),
        ]
    ).filter(pl.col("contract_id").is_in(contract_ids))
    return _balances_on(shipments, changes, _open_before(conn, day, contract_ids))


# -- the rollup ------------------------------------------------------------------------------------


def _all_of(
    conn: Connection, counterparty_ids: list[str] | None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The sweep's inputs over the whole history of these counterparties (None: all), and their
    shipments' contract balances: every document in one read, every match in another. Matches are
    read as they are and summed here: a GROUP BY made SQLite walk the whole (debit_pk, match_date)
    index per chunk."""
    d, m = warehouse.documents, warehouse.matches
    some = counterparty_ids is not None
    documents = frame(
        conn,
        select(
            d.c.doc_pk,
            d.c.kind,
            d.c.counterparty_id,
            d.c.contract_id,
            d.c.currency,
            d.c.doc_date,
            d.c.due_date,
            d.c.side,
            d.c.amount,
        ).where(d.c.counterparty_id.in_(counterparty_ids) if some else d.c.counterparty_id.is_not(None)),
        {
            "doc_pk": pl.Int64,
            "kind": pl.String,
            "counterparty_id": pl.String,
            "contract_id": pl.String,
            "currency": pl.String,
            "doc_date": pl.Date,
            "due_date": pl.Date,
            "side": pl.Int64,
            "amount": pl.Int64,
        },
    )
    matches = frame(
        conn,
        select(m.c.debit_pk, m.c.credit_pk, m.c.match_date, m.c.amount).where(
            m.c.counterparty_id.in_(counterparty_ids) if some else true()
        ),
        {"debit_pk": pl.Int64, "credit_pk": pl.Int64, "match_date": pl.Date, "amount": pl.Int64},
    )
    shipments = documents.filter(pl.col("kind") == "shipment").select(
        "doc_pk", "counterparty_id", "contract_id", "doc_date"
    )
    debits = documents.filter(pl.col("side") == 1, pl.col("due_date").is_not_null()).select(
        debit_pk="doc_pk",
        counterparty_id="counterparty_id",
        debit_currency="currency",
        debit_date="doc_date",
        due_date="due_date",
        open_at_start="amount",
    )
    on_debits = (
        matches.filter(pl.col("debit_pk").is_in(debits["debit_pk"].implode()))
        .group_by("debit_pk", "match_date")
        .agg(matched=pl.col("amount").sum())
    )
    changes = _changes(documents.with_columns(signed=pl.col("side") * pl.col("amount")), matches)
    return shipments, debits, on_debits, _balances_on(shipments, changes)


def _sweep(
    conn: Connection, shipments: pl.DataFrame, debits: pl.DataFrame, matches: pl.DataFrame, balances: pl.DataFrame
) -> None:
    """Sweep these shipments and store what their counterparties had overdue on their dates."""
    if debits.is_empty() or shipments.is_empty():
        return
    found = overdue_on_shipment_days(shipments, debits, matches, 0, date.max, late_too=False)
    known = shipments.select("doc_pk", "counterparty_id", "doc_date").join(balances, on="doc_pk", how="left")
    about = {pk: (counterparty_id, shipped, balance) for pk, counterparty_id, shipped, balance in known.rows()}
    rows: list[tuple[object, ...]] = []
    for pk, on_day in found.items():
        counterparty_id, shipped, balance = about[pk]
        oldest_due = shipped - timedelta(days=on_day.days)
        if not on_day.overdue:
            rows.append((pk, counterparty_id, shipped, oldest_due, None, 0, balance))
        rows += [(pk, counterparty_id, shipped, oldest_due, c, amount, balance) for c, amount in on_day.overdue]
    bulk_insert(conn, warehouse.shipment_checks, COLUMNS, rows)


def _in_chunks(
    conn: Connection, ids: list[str], inputs: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]
) -> None:
    """Sweep the inputs a chunk of counterparties at a time: the sweep's dictionaries stay small."""
    shipments, debits, matches, balances = inputs
    for start in range(0, len(ids), CHUNK):
        wanted = pl.col("counterparty_id").is_in(ids[start : start + CHUNK])
        chunk_debits = debits.filter(wanted)
        chunk_matches = matches.filter(pl.col("debit_pk").is_in(chunk_debits["debit_pk"].implode()))
        _sweep(conn, shipments.filter(wanted), chunk_debits, chunk_matches, balances)


def _counterparty_ids(conn: Connection) -> list[str]:
    c = warehouse.counterparties
    return list(conn.execute(select(c.c.counterparty_id).order_by(c.c.counterparty_id)).scalars())


def rebuild_all(conn: Connection) -> None:
    """Every shipment, from one read of the documents and one of the matches."""
    conn.execute(delete(warehouse.shipment_checks))
    _in_chunks(conn, _counterparty_ids(conn), _all_of(conn, None))
    write_meta(conn, READY, "1")


def rebuild(conn: Connection, counterparty_ids: Iterable[str]) -> None:
    """The rows of these counterparties, from scratch (after they were matched again)."""
    k = warehouse.shipment_checks
    ids = sorted(counterparty_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        conn.execute(delete(k).where(k.c.counterparty_id.in_(chunk)))
        _sweep(conn, *_all_of(conn, chunk))


def rebuild_since(conn: Connection, since: dict[str, date]) -> None:
    """The rows of each counterparty's shipments from its day on (after matching went on from that day).

    The inputs are read for every counterparty and narrowed here: what is open on a recent day is a
    small set the (side, settled_date) index finds, where a filter on a few hundred counterparties
    would make the database walk all their documents."""
    k = warehouse.shipment_checks
    for day, ids in flows.by_day(since):
        for start in range(0, len(ids), CHUNK):
            conn.execute(delete(k).where(k.c.counterparty_id.in_(ids[start : start + CHUNK]), k.c.doc_date >= day))
        shipments, debits, matches = sweep_inputs(
            conn, start=day, end=None, due_before=None, shipments_where=true(), counterparty_filter=lambda _: true()
        )
        shipments = shipments.filter(pl.col("counterparty_id").is_in(ids))
        balances = balances_since(conn, day, shipments)
        _in_chunks(conn, sorted(ids), (shipments, debits, matches, balances))


def ready(conn: Connection) -> bool:
    return read_meta(conn, READY) == "1"
