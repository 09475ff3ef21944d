"""Balance, not due and overdue over time: the state as of each period end, from events.

Aging as of one date reads every open document; a trend of a thousand days must not do that a thousand
times. Every figure of aging as of t is a sum over documents and matches dated on or before t of
amounts that switch on and off at known dates, so the trend is a running (cumulative) sum of dated
events:

    open debits(t)  = Σ debits dated <= t            − Σ matches on debits dated <= t
    advances(t)     = Σ credits dated <= t           − Σ matches on credits dated <= t
    balance(t)      = open debits(t) − advances(t)

A debit due on `due` counts in a window of days overdue [lo, hi] (overdue as a whole: [1, ∞); a bucket
such as overdue_31_60: [31, 60]) while due + lo <= t <= due + hi and it is booked (doc_date <= t), for
its amount less the matches dated <= t. As events, with end = due + hi + 1 (no end when hi = ∞):

    debit:              + amount at min(max(doc_date,   due + lo), end),   − amount at end
    match on the debit: − amount at min(max(match_date, due + lo), end),   + amount at end

(a pair that falls on the same day cancels: a debit booked or paid after the window never shows in it).

    overdue(t) = the window [1, ∞);  each overdue bucket = its window;  not_due(t) = open debits(t) − overdue(t)

This matches queries.aging exactly: days overdue = t − due, overdue when > 0; a debit that is not yet
booked at t has no matches by t (a match is dated on or after both of its documents).

Once a load has built it, the `flows` rollup (warehouse.rollups.flows) holds exactly these sums per counterparty and
day, and one GROUP BY over it replaces the queries below (not for a contract's scope: the rollup is per
counterparty). Otherwise SQL does the heavy part in three GROUP BY queries: documents (both sides, one
pass) by (side, currency, doc_date, due_date), matches on debits by (currency, match_date, the debit's
due_date), matches on credits by (currency, match_date). Their size is bounded by distinct dates and
date pairs, not by documents (about 8,000 + 21,000 + 700 rows for 350,000 documents over three years:
the spread of dates sets it, not the volume). Grouping by the raw date pairs rather than by the event
dates above keeps it to one scan and needs no dialect's date arithmetic: polars shifts and clips the
dates, sums the events by day, takes the cumulative sum per currency and samples it at the period ends
(an as-of join, so every event before date_from counts). Documents that can no longer move a figure are
skipped with their matches (see _contributes).

Period ends: day: every day of [date_from, date_to]; week: every Sunday in the range, and date_to if
it is not a Sunday; month: every month end in the range, and date_to if it is not one. So the last
row is always date_to, and a period cut by either end of the range is reported at its end inside it.

One row per (period end, currency) for every currency with a non-zero figure somewhere in the range.
Money is Int64 kopecks, never summed across currencies.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import polars as pl
from sqlalchemy import ColumnElement, Connection, Date, Executable, Table, and_, case, func, or_, select

import warehouse
from domain.buckets import DEFAULT_BUCKETS, Buckets
from queries.scope import Scope
from warehouse.rollups import flows

Freq = Literal["day", "week", "month"]
FREQS: tuple[Freq, ...] = ("day", "week", "month")

_OPEN_DEBITS = "open_debits"
_ADVANCES = "advances"
_OVERDUE = "overdue"


def overdue_windows(buckets: Buckets) -> list[tuple[str, int, int | None]]:
    """(column, lo, hi) windows of days overdue: overdue as a whole, then each overdue bucket."""
    windows: list[tuple[str, int, int | None]] = [(_OVERDUE, 1, None)]
    low = 1
    for edge, name in zip(buckets.overdue_edges, buckets.overdue_names, strict=False):
        windows.append((name, low, edge))
        low = edge + 1
    windows.append((buckets.overdue_names[-1], low, None))
    return windows


def period_ends(date_from: date, date_to: date, freq: Freq) -> list[date]:
    """The sample dates of a trend: see the module docstring."""
    if date_from > date_to:
        raise ValueError(f"date_from {date_from} is after date_to {date_to}")
    if freq not in FREQS:
        raise ValueError(f"freq must be day, week or month, not {freq!r}")
    days = [date_from + timedelta(days=i) for i in range((date_to - date_from).days + 1)]
    if freq == "day":
        return days
    if freq == "week":
        ends = [d for d in days if d.weekday() == 6]
    else:
        ends = [d for d in days if (d + timedelta(days=1)).day == 1]
    if not ends or ends[-1] != date_to:
        ends.append(date_to)
    return ends


def _contributes(documents: Table, date_from: date) -> ColumnElement[bool]:
    """Whether a document can move any figure on or after date_from.

    A document settled on or before date_from is zero in every figure from then on; one settled on its
    own date (a payment that closed debits at once, a shipment paid in advance) is booked and matched on
    the same day, so its events cancel. Most credits are of the second kind: their matches need no join.
    """
    settled = documents.c.settled_date
    return or_(settled.is_(None), and_(settled > date_from, settled > documents.c.doc_date))


def _rows(conn: Connection, query: Executable, schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame([tuple(r) for r in conn.execute(query).all()], schema=schema, orient="row")


def _flow_sources(
    conn: Connection, date_to: date, scope: Scope
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The same four frames from the `flows` rollup (warehouse.rollups.flows): a few hundred thousand rows at most."""
    f = warehouse.flows
    query = (
        select(f.c.kind, f.c.currency, f.c.day, f.c.due_date, func.sum(f.c.amount))
        .where(f.c.day <= date_to, scope.counterparty_filter(f.c.counterparty_id))
        .group_by(f.c.kind, f.c.currency, f.c.day, f.c.due_date)
    )
    if scope.currencies is not None:
        query = query.where(f.c.currency.in_(scope.currencies))
    rows = _rows(
        conn,
        query,
        pl.Schema({"kind": pl.String, "currency": pl.String, "date": pl.Date, "due_date": pl.Date, "amount": pl.Int64}),
    )

    def part(kind: str, with_due: bool) -> pl.DataFrame:
        frame = rows.filter(pl.col("kind") == kind).drop("kind")
        return frame if with_due else frame.drop("due_date")

    return part("d", True), part("dm", True), part("c", False), part("cm", False)


def _event_sources(
    conn: Connection, date_from: date, date_to: date, scope: Scope
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Debits, matches on debits, credits, matches on credits, each summed by currency and dates."""
    if scope.contract_ids is None and flows.ready(conn):
        return _flow_sources(conn, date_to, scope)
    d, m = warehouse.documents, warehouse.matches
    # Every debit gets a due date when it is matched; the document date stands in, as in the matcher.
    due = func.coalesce(d.c.due_date, d.c.doc_date, type_=Date).label("due_date")
    wanted = [_contributes(d, date_from), scope.document_filter(d)]
    # One pass over documents for both sides. The side and "identified" are grouping keys rather than
    # WHERE conditions, and there is no date filter: with those, SQLite walks an index and fetches rows
    # in random order, twice as slow as its plain scan. Events after date_to are never sampled anyway.
    # An unidentified payment (no counterparty) is nobody's advance, as in aging: key 0, dropped below.
    side = case((d.c.counterparty_id.is_(None), 0), else_=d.c.side).label("side")
    documents = select(side, d.c.currency, d.c.doc_date, due, func.sum(d.c.amount)).where(*wanted)
    documents = documents.group_by(side, d.c.currency, d.c.doc_date, due)
    # debit_pk is always a debit and credit_pk an identified credit: no side filter, so SQLite reads
    # matches in debit order and fetches each debit by its key.
    debit_matches = (
        select(d.c.currency, m.c.match_date, due, func.sum(m.c.amount))
        .select_from(m.join(d, d.c.doc_pk == m.c.debit_pk))
        .where(*wanted, m.c.match_date <= date_to)
        .group_by(d.c.currency, m.c.match_date, due)
    )
    # Few credits outlive their own date (see _contributes): here the side index finds them.
    credit_matches = (
        select(d.c.currency, m.c.match_date, func.sum(m.c.amount))
        .select_from(m.join(d, d.c.doc_pk == m.c.credit_pk))
        .where(*wanted, d.c.side == -1, m.c.match_date <= date_to)
        .group_by(d.c.currency, m.c.match_date)
    )
    dated = {"currency": pl.String, "date": pl.Date}
    with_due = {**dated, "due_date": pl.Date, "amount": pl.Int64}
    both = _rows(conn, documents, pl.Schema({"side": pl.Int64, **with_due}))
    return (
        both.filter(pl.col("side") > 0).drop("side"),
        _rows(conn, debit_matches, pl.Schema(with_due)),
        both.filter(pl.col("side") < 0).drop("side", "due_date"),
        _rows(conn, credit_matches, pl.Schema({**dated, "amount": pl.Int64})),
    )


def _window_events(frame: pl.DataFrame, column: str, lo: int, hi: int | None, sign: int) -> list[pl.DataFrame]:
    """The events of one window of days overdue for debits (sign +1) or matches on them (sign -1)."""
    start = pl.max_horizontal(pl.col("date"), pl.col("due_date") + timedelta(days=lo))
    if hi is None:
        return [frame.select("currency", start.alias("date"), (sign * pl.col("amount")).alias(column))]
    end = pl.col("due_date") + timedelta(days=hi + 1)
    return [
        frame.select("currency", pl.min_horizontal(start, end).alias("date"), (sign * pl.col("amount")).alias(column)),
        frame.select("currency", end.alias("date"), (-sign * pl.col("amount")).alias(column)),
    ]


def _daily_changes(sources: tuple[pl.DataFrame, ...], buckets: Buckets) -> pl.DataFrame:
    """Per (currency, date): the change of each figure on that day."""
    debits, debit_matches, credits, credit_matches = sources
    events = [
        debits.select("currency", "date", pl.col("amount").alias(_OPEN_DEBITS)),
        debit_matches.select("currency", "date", (-pl.col("amount")).alias(_OPEN_DEBITS)),
        credits.select("currency", "date", pl.col("amount").alias(_ADVANCES)),
        credit_matches.select("currency", "date", (-pl.col("amount")).alias(_ADVANCES)),
    ]
    for column, lo, hi in overdue_windows(buckets):
        events += _window_events(debits, column, lo, hi, +1)
        events += _window_events(debit_matches, column, lo, hi, -1)
    columns = [_OPEN_DEBITS, _ADVANCES, _OVERDUE, *buckets.overdue_names]
    return (
        pl.concat(events, how="diagonal")
        .group_by("currency", "date")
        .agg(pl.col(c).sum().cast(pl.Int64) for c in columns)
        .sort("currency", "date")
    )


def overdue_trend(
    conn: Connection,
    *,
    date_from: date,
    date_to: date,
    freq: Freq = "day",
    scope: Scope | None = None,
    buckets: Buckets = DEFAULT_BUCKETS,
) -> pl.DataFrame:
    """The figures of aging, summed per currency, as of each period end of [date_from, date_to].

    Columns: date, currency, balance, not_due, overdue, one per overdue bucket (buckets.overdue_names),
    all money Int64 kopecks. The advance is not_due + overdue - balance.
    """
    scope = scope or Scope.everything()
    ends = period_ends(date_from, date_to, freq)
    money = ["balance", "not_due", "overdue", *buckets.overdue_names]
    schema = pl.Schema({"date": pl.Date, "currency": pl.String, **dict.fromkeys(money, pl.Int64)})
    changes = _daily_changes(_event_sources(conn, date_from, date_to, scope), buckets)
    if changes.height == 0:
        return pl.DataFrame(schema=schema)
    running = changes.with_columns(
        pl.col(c).cum_sum().over("currency") for c in changes.columns if c not in ("currency", "date")
    )
    samples = (
        pl.DataFrame({"date": ends}, schema={"date": pl.Date})
        .join(running.select("currency").unique(), how="cross")
        .sort("currency", "date")
    )
    states = samples.join_asof(running, on="date", by="currency", strategy="backward", check_sortedness=False)
    figures = [c for c in running.columns if c not in ("currency", "date")]
    result = (
        states.with_columns(pl.col(c).fill_null(0) for c in figures)
        .with_columns(
            (pl.col(_OPEN_DEBITS) - pl.col(_ADVANCES)).alias("balance"),
            (pl.col(_OPEN_DEBITS) - pl.col(_OVERDUE)).alias("not_due"),
        )
        .select(schema.keys())
        .cast(schema)
    )
    nonzero = result.group_by("currency").agg(pl.any_horizontal(pl.col(money) != 0).any().alias("keep"))
    kept = nonzero.filter("keep")["currency"]
    return result.filter(pl.col("currency").is_in(kept.implode())).sort("date", "currency")
