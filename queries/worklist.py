"""The worklist: who to contact on a day, most urgent first (contract section 5, `export worklist`).

One row per counterparty and currency, built from the exceptions list as of D (queries.exceptions) and
ranked by docs/kpis.md, «The worklist»:

1. the counterparties with a promise broken as of D come first, the largest missing amount first;
2. the rest by the score of queries.priority (overdue amount weighted by its age, plus the excess over
   credit limits, plus a quarter of the shipments made while overdue), highest first; then the larger
   overdue amount, then the counterparty's code.

On the list: a broken promise, or a score above 0 (overdue debt, a limit exceeded, a recent shipment made
while overdue). Left out:
- a counterparty with a promise open as of D (whatever its currency): the controller waits for the day it
  promised;
- a counterparty and currency whose only debt left to collect is disputed: a document under a dispute open
  as of D (queries.collections), with no undisputed overdue debt and no broken promise. Disputed debts are
  never counted as overdue here (queries.exceptions leaves them out of ``overdue``).

Columns: rank; counterparty_id, counterparty_name, currency; overdue (the undisputed overdue debt, kopecks)
and max_days_overdue; reason: why it is there, codes of REASONS joined by "," in that order;
last_contact: the date of the counterparty's newest note of any kind dated on or before D (empty when
none); next_step, the first that applies: ``call`` for a broken promise (a promise broken is taken up in
person); ``stop_shipments`` when the counterparty and currency are on the stop-list as of D
(queries.stoplist under `stop_rules`) with no active release (queries.releases); ``call`` for debt more
than CALL_AFTER_DAYS days overdue; else ``email``. score: queries.priority's, kopecks; missing: what its
broken promises lack (0 when none).
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection

from queries.collections import disputes_open, notes_of, promise_status
from queries.exceptions import DEFAULT_STOP_RULES, ExceptionRules, exceptions
from queries.priority import priorities
from queries.scope import Scope
from queries.stoplist import StopRules, is_stopped, stoplist

KEYS = ["counterparty_id", "currency"]
REASONS = ("broken_promise", "overdue", "credit_limit_exceeded", "shipped_while_overdue", "no_payment_recently")
NEXT_STEPS = ("call", "stop_shipments", "email")
DEFAULT_RULES = ExceptionRules()
CALL_AFTER_DAYS = 30  # more than a month overdue: a call, not an e-mail
CONTRACT_COLUMNS = (
    "rank",
    "counterparty_id",
    "counterparty_name",
    "currency",
    "overdue",
    "max_days_overdue",
    "reason",
    "last_contact",
    "next_step",
)
WORKLIST_SCHEMA = pl.Schema(
    {
        "rank": pl.Int64,
        "counterparty_id": pl.String,
        "counterparty_name": pl.String,
        "currency": pl.String,
        "overdue": pl.Int64,
        "max_days_overdue": pl.Int64,
        "reason": pl.String,
        "last_contact": pl.Date,
        "next_step": pl.String,
        "score": pl.Int64,
        "missing": pl.Int64,
    }
)


def _last_contacts(conn: Connection, as_of: date, scope: Scope) -> pl.DataFrame:
    """counterparty_id -> the date of its newest note dated on or before D."""
    return (
        notes_of(conn, scope=scope)
        .filter(pl.col("note_date") <= as_of)
        .group_by("counterparty_id")
        .agg(pl.col("note_date").max().alias("last_contact"))
    )


def _only_disputed(conn: Connection, as_of: date, scope: Scope) -> pl.DataFrame:
    """(counterparty_id, currency) with debt open under a dispute as of D."""
    disputes = disputes_open(conn, as_of=as_of, scope=scope)
    return disputes.filter(pl.col("open_amount") > 0).select(KEYS).unique()


def worklist(
    conn: Connection,
    *,
    as_of: date,
    scope: Scope | None = None,
    rules: ExceptionRules = DEFAULT_RULES,
    stop_rules: StopRules = DEFAULT_STOP_RULES,
) -> pl.DataFrame:
    """Who to contact as of `as_of` inside `scope`, most urgent first (WORKLIST_SCHEMA; see the module)."""
    scope = scope or Scope.everything()
    found = exceptions(conn, as_of=as_of, scope=scope, rules=rules, stop_rules=stop_rules)
    scored = priorities(found).drop("rank", "priority")
    broken = (
        found.filter(pl.col("code") == "broken_promise")
        .group_by(KEYS)
        .agg(pl.col("counterparty_name").first().alias("broken_name"), pl.col("amount").sum().alias("missing"))
    )
    rows = (
        scored.join(broken, on=KEYS, how="full", coalesce=True)
        .with_columns(
            pl.coalesce("counterparty_name", "broken_name").alias("counterparty_name"),
            pl.col("missing", "score", "overdue", "max_days_overdue", *[f"n_{c}" for c in REASONS[1:]])
            .fill_null(0)
            .cast(pl.Int64),
        )
        .filter((pl.col("missing") > 0) | (pl.col("score") > 0))
    )
    waiting = promise_status(conn, as_of=as_of, scope=scope).filter(pl.col("status") == "open")
    rows = rows.filter(~pl.col("counterparty_id").is_in(waiting["counterparty_id"].unique().implode()))
    disputed = _only_disputed(conn, as_of, scope).with_columns(pl.lit(True).alias("disputed"))
    rows = rows.join(disputed, on=KEYS, how="left").filter(
        ~(pl.col("disputed").fill_null(False) & (pl.col("n_overdue") == 0) & (pl.col("missing") == 0))
    )
    listed = stoplist(conn, as_of=as_of, scope=scope, rules=stop_rules)
    stopped = listed.filter(is_stopped()).select(KEYS).with_columns(stopped=True)
    rows = rows.join(stopped, on=KEYS, how="left").join(
        _last_contacts(conn, as_of, scope), on="counterparty_id", how="left"
    )
    has = {"broken_promise": pl.col("missing") > 0, **{c: pl.col(f"n_{c}") > 0 for c in REASONS[1:]}}
    reason = pl.concat_str([pl.when(has[c]).then(pl.lit(c)) for c in REASONS], separator=",", ignore_nulls=True)
    next_step = (
        pl.when(pl.col("missing") > 0)
        .then(pl.lit("call"))
        .when(pl.col("stopped").fill_null(False))
        .then(pl.lit("stop_shipments"))
        .when(pl.col("max_days_overdue") > CALL_AFTER_DAYS)
        .then(pl.lit("call"))
        .otherwise(pl.lit("email"))
    )
    return (
        rows.with_columns(reason.alias("reason"), next_step.alias("next_step"))
        .sort(
            [pl.col("missing") > 0, "missing", "score", "overdue", "counterparty_id", "currency"],
            descending=[True, True, True, True, False, False],
        )
        .with_row_index("rank", offset=1)
        .select([pl.col(name).cast(dtype) for name, dtype in WORKLIST_SCHEMA.items()])
    )
