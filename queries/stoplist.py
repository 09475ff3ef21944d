"""The stop-list as of a date: the counterparties to stop shipping to today, and what lifts the stop.

One row per counterparty and currency that breaks at least one rule (D = as_of; "open", "overdue"
and "balance" as in contract section 2 and queries.aging):

- ``overdue_days``: a debit open as of D is more than ``rules.overdue_days`` days overdue.
- ``overdue_amount`` (when ``rules.overdue_amount`` > 0): the counterparty's overdue debt in the
  currency is above ``rules.overdue_amount`` kopecks.
- ``credit_limit`` (when ``rules.credit_limit``): one of its contracts has a balance above its credit
  limit (the contract rows of queries.aging, as ``credit_limit_exceeded`` of queries.exceptions).

to_release is the smallest payment that lifts every broken rule when it closes the oldest debts
first (FIFO by due date, contract section 2): the largest of the open amount of the debits overdue
more than ``overdue_days`` days, overdue - ``overdue_amount`` (when that rule is broken) and
over_limit (the sum over the contracts above their limit of balance - limit). Largest first.

late is the open amount of the debits overdue more than ``overdue_days`` days: with the rules, the facts
dashboard.services.wording words the row's sentence from.

A document under a dispute open as of D (queries.holds) counts in no overdue rule: overdue,
max_days_overdue and late leave it out. The debt is there all the same, so it stays in the balance and
the credit-limit rule. A promise changes nothing here.

A release active as of D (queries.releases: the CFO or a controller let the client be shipped to until a
day, with a reason) keeps the row on the list, so everyone sees why it is not stopped, with released_until,
release_reason and released_by filled; shipments to it are allowed (`is_stopped` is false). Without one the
three are null.

Scope as every query: only the scope's counterparties, contracts and currencies; unidentified
payments (no counterparty) never appear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection

from domain.limits import over_limit_expr
from queries.aging import aging, with_days
from queries.holds import holds, without_held
from queries.ledger import open_debits
from queries.releases import active_releases
from queries.scope import Scope

REASONS = ("overdue_days", "overdue_amount", "credit_limit")

STOPLIST_SCHEMA = pl.Schema(
    {
        "counterparty_id": pl.String,
        "counterparty_name": pl.String,
        "manager": pl.String,
        "currency": pl.String,
        "reasons": pl.String,
        "overdue": pl.Int64,
        "max_days_overdue": pl.Int64,
        "balance": pl.Int64,
        "over_limit": pl.Int64,
        "to_release": pl.Int64,
        "late": pl.Int64,
        "released_until": pl.Date,  # null unless a release is active as of D (queries.releases)
        "release_reason": pl.String,
        "released_by": pl.String,
    }
)

KEYS = ["counterparty_id", "currency"]


@dataclass(frozen=True)
class StopRules:
    """When shipments stop; money in kopecks of the currency."""

    overdue_days: int = 30  # any debit more than this many days overdue
    overdue_amount: int = 0  # total overdue above this; 0: the rule is off
    credit_limit: bool = True  # any contract's balance above its credit limit

    def __post_init__(self) -> None:
        for name in ("overdue_days", "overdue_amount"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number >= 0, got {value!r}")
        if not isinstance(self.credit_limit, bool):
            raise ValueError(f"credit_limit must be true or false, got {self.credit_limit!r}")


def is_stopped() -> pl.Expr:
    """On a stoplist() frame: the rows whose shipments stop (no active release)."""
    return pl.col("released_until").is_null()


def stoplist(
    conn: Connection, *, as_of: date, scope: Scope | None = None, rules: StopRules = StopRules()
) -> pl.DataFrame:
    """Who to stop shipping to as of `as_of` inside `scope`, the largest amount to release first."""
    scope = scope or Scope.everything()
    rows = aging(conn, as_of=as_of, scope=scope, by="contract").filter(pl.col("counterparty_id").is_not_null())
    exceeded = over_limit_expr(pl.col("balance"), pl.col("credit_limit"))
    totals = rows.group_by(KEYS).agg(
        pl.col("counterparty_name").first(),
        pl.col("manager").first(),
        pl.col("balance").sum(),
        pl.when(exceeded).then(pl.col("balance") - pl.col("credit_limit")).otherwise(0).sum().alias("over_limit"),
    )
    debits = with_days(open_debits(conn, as_of=as_of, scope=scope).filter(pl.col("due_date").is_not_null()), as_of)
    # The overdue rules count the undisputed debits only (as aging counts overdue: days_overdue > 0).
    debits = without_held(debits, holds(conn, as_of=as_of, scope=scope), reasons=("dispute",))
    overdue = pl.col("days_overdue") > 0
    late = debits.group_by(KEYS).agg(
        pl.col("open_amount").filter(overdue).sum().alias("overdue"),
        pl.col("days_overdue").filter(overdue).max().alias("max_days_overdue"),
        pl.col("open_amount").filter(pl.col("days_overdue") > rules.overdue_days).sum().alias("late"),
    )
    frame = (
        totals.join(late, on=KEYS, how="left")
        .with_columns(
            pl.col("overdue", "max_days_overdue", "late").fill_null(0).cast(pl.Int64),
            pl.col("over_limit").cast(pl.Int64),
        )
        .with_columns(
            (pl.col("late") > 0).alias("broken_days"),
            ((rules.overdue_amount > 0) & (pl.col("overdue") > rules.overdue_amount)).alias("broken_amount"),
            (pl.lit(rules.credit_limit) & (pl.col("over_limit") > 0)).alias("broken_limit"),
        )
        .filter(pl.col("broken_days") | pl.col("broken_amount") | pl.col("broken_limit"))
        .with_columns(
            pl.max_horizontal(
                pl.col("late"),
                pl.when(pl.col("broken_amount")).then(pl.col("overdue") - rules.overdue_amount).otherwise(0),
                pl.when(pl.col("broken_limit")).then(pl.col("over_limit")).otherwise(0),
            )
            .cast(pl.Int64)
            .alias("to_release"),
            pl.concat_str(
                [
                    pl.when(pl.col(f"broken_{flag}")).then(pl.lit(reason))
                    for flag, reason in zip(("days", "amount", "limit"), REASONS, strict=True)
                ],
                separator=",",
                ignore_nulls=True,
            ).alias("reasons"),
        )
    )
    released = active_releases(conn, as_of=as_of, scope=scope).select(
        "counterparty_id", "released_until", "release_reason", "released_by"
    )
    frame = frame.join(released, on="counterparty_id", how="left")
    return frame.select([pl.col(name).cast(dtype) for name, dtype in STOPLIST_SCHEMA.items()]).sort(
        ["to_release", "counterparty_id", "currency"], descending=[True, False, False]
    )
