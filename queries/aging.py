"""Aging as of a date: per contract (or per counterparty and currency) what is owed, what is due when,
what is overdue and for how long (contract sections 2 and 4).

balance = open debits - advance (queries.ledger.balances); not_due + overdue = open debits; the buckets
(edges a parameter) sum to them; days overdue as domain.buckets.days_overdue. A counterparty-level
advance (a payment without a contract, not yet used) stands on a row with an empty contract_id. Amounts
are kopecks, never summed across currencies.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import polars as pl
from sqlalchemy import Connection

from domain.buckets import DEFAULT_BUCKETS, Buckets, days_overdue
from queries.ledger import BALANCE_KEYS, balances, contract_details, counterparty_names, open_by_class
from queries.scope import Scope

KEYS = BALANCE_KEYS
Grouping = Literal["contract", "counterparty"]  # one row per contract, or per counterparty and currency


def with_days(debits: pl.DataFrame, as_of: date, buckets: Buckets = DEFAULT_BUCKETS) -> pl.DataFrame:
    """Open debits with days_overdue (negative: days to due) and their bucket."""
    return debits.with_columns(days_overdue(as_of, pl.col("due_date")).alias("days_overdue")).with_columns(
        buckets.bucket_expression(pl.col("days_overdue")).alias("bucket")
    )


def _debit_totals(debits: pl.DataFrame, buckets: Buckets) -> pl.DataFrame:
    overdue = pl.col("days_overdue") > 0
    money = pl.col("open_amount")
    return debits.group_by(KEYS).agg(
        money.filter(~overdue).sum().alias("not_due"),
        money.filter(overdue).sum().alias("overdue"),
        *[money.filter(pl.col("bucket") == name).sum().alias(name) for name in buckets.names],
        pl.col("days_overdue").filter(overdue).max().fill_null(0).alias("max_days_overdue"),
    )


def aging(
    conn: Connection,
    *,
    as_of: date,
    scope: Scope | None = None,
    by: Grouping = "contract",
    buckets: Buckets = DEFAULT_BUCKETS,
) -> pl.DataFrame:
    scope = scope or Scope.everything()
    # Only the columns aging reads (at 1M the other six cost as much to fetch as the rest of it), from the
    # index of open periods alone (queries.ledger.open_by_class).
    debits = with_days(
        open_by_class(conn, as_of=as_of, side=1, columns=[*KEYS, "due_date"], scope=scope), as_of, buckets
    )
    credits = open_by_class(conn, as_of=as_of, side=-1, columns=KEYS, scope=scope)
    money_columns = ["open_debits", "not_due", "overdue", *buckets.names]
    rows = (
        balances(debits, credits)
        .join(_debit_totals(debits, buckets), on=KEYS, how="left", nulls_equal=True)
        .with_columns(*[pl.col(c).fill_null(0).cast(pl.Int64) for c in [*money_columns, "advance", "max_days_overdue"]])
    )
    contracts = contract_details(conn, scope)
    if by == "counterparty":
        limits = contracts.group_by(["counterparty_id", "currency"]).agg(
            pl.when(pl.col("credit_limit").is_null().any())
            .then(None)
            .otherwise(pl.col("credit_limit").sum())
            .alias("credit_limit")
        )
        rows = (
            rows.group_by(["counterparty_id", "currency"])
            .agg(
                *[pl.col(c).sum() for c in [*money_columns, "advance", "balance"]],
                pl.col("max_days_overdue").max(),
            )
            .join(limits, on=["counterparty_id", "currency"], how="left")
        )
    else:
        rows = rows.join(
            contracts.select("contract_id", "contract_number", "credit_limit"), on="contract_id", how="left"
        )
    rows = rows.filter((pl.col("balance") != 0) | (pl.col("advance") != 0))
    names = counterparty_names(conn, rows["counterparty_id"].unique().to_list())
    rows = rows.join(names, on="counterparty_id", how="left")
    contract_columns = ["contract_id", "contract_number"] if by == "contract" else []
    columns = [
        "counterparty_id",
        "counterparty_name",
        *contract_columns,
        "currency",
        "credit_limit",
        "balance",
        "advance",
        "not_due",
        "overdue",
        *buckets.names,
        "max_days_overdue",
        "manager",
        "group",
    ]
    order = ["counterparty_id", "contract_id", "currency"] if by == "contract" else ["counterparty_id", "currency"]
    return rows.select(columns).with_columns(pl.col("credit_limit").cast(pl.Int64)).sort(order, nulls_last=True)
