"""Receivables by contract as of a date: aging's money per contract beside the contract's terms, its
credit limit usage (domain.limits), and what needs attention first (the nearest payment due, the oldest overdue debit).

The money (balance, advance, not_due, overdue, buckets, max_days_overdue) is aging(by="contract")'s, so
the two never disagree. A counterparty's advance that no contract holds yet (a payment without a
contract, not used up) keeps its own row with an empty contract_id, as in aging, so the rows still sum
to the counterparty's balance.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection

from domain.buckets import DEFAULT_BUCKETS, Buckets
from domain.limits import limit_usage_pct
from queries.aging import KEYS, aging, with_days
from queries.ledger import contract_details, open_debits
from queries.scope import Scope

USAGE_DTYPE = pl.Decimal(precision=12, scale=1)


def _attention(debits: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Per contract: open documents, the nearest due date (>= as_of) and its amount, the most overdue debit."""
    overdue = pl.col("days_overdue") > 0
    nearest = (
        debits.filter(pl.col("due_date") >= as_of)
        .group_by(KEYS)
        .agg(pl.col("due_date").min().alias("nearest_due_date"))
    )
    nearest_amount = (
        debits.join(nearest, on=KEYS, nulls_equal=True)
        .filter(pl.col("due_date") == pl.col("nearest_due_date"))
        .group_by(KEYS)
        .agg(pl.col("nearest_due_date").first(), pl.col("open_amount").sum().alias("nearest_due_amount"))
    )
    # The most overdue: the earliest due date; on a tie, the older document, then document_id.
    oldest = (
        debits.filter(overdue)
        .sort(["due_date", "doc_date", "document_id", "kind"])
        .group_by(KEYS, maintain_order=True)
        .agg(
            pl.col("document_id").first().alias("oldest_overdue_document"),
            pl.col("days_overdue").first().alias("oldest_overdue_days"),
        )
    )
    counts = debits.group_by(KEYS).agg(pl.len().cast(pl.Int64).alias("open_documents"))
    return (
        counts.join(nearest_amount, on=KEYS, how="left", nulls_equal=True)
        .join(oldest, on=KEYS, how="left", nulls_equal=True)
        .drop("counterparty_id", "currency")
    )


def receivables_by_contract(
    conn: Connection,
    *,
    as_of: date,
    scope: Scope | None = None,
    buckets: Buckets = DEFAULT_BUCKETS,
) -> pl.DataFrame:
    """One row per contract with open debits or an advance as of `as_of` (plus a counterparty's unplaced
    advance on a row without a contract). Money Int64 kopecks; usage_pct Decimal(1) or null without a limit;
    headroom = limit - balance (negative: over the limit), null without a limit."""
    scope = scope or Scope.everything()
    rows = aging(conn, as_of=as_of, scope=scope, by="contract", buckets=buckets)
    terms = contract_details(conn, scope).select("contract_id", "terms_days", "terms_basis")
    debits = with_days(open_debits(conn, as_of=as_of, scope=scope), as_of, buckets)
    attention = _attention(debits, as_of)
    usage = pl.Series(
        "usage_pct",
        [limit_usage_pct(b, lim) for b, lim in zip(rows["balance"], rows["credit_limit"], strict=True)],
        dtype=USAGE_DTYPE,
    )
    result = (
        rows.with_columns(usage, (pl.col("credit_limit") - pl.col("balance")).alias("headroom"))
        .join(terms, on="contract_id", how="left")
        .join(attention, on="contract_id", how="left")
        .with_columns(pl.col("open_documents").fill_null(0))
    )
    columns = [
        "counterparty_id",
        "counterparty_name",
        "manager",
        "group",
        "contract_id",
        "contract_number",
        "currency",
        "terms_days",
        "terms_basis",
        "credit_limit",
        "usage_pct",
        "headroom",
        "balance",
        "advance",
        "not_due",
        "overdue",
        *buckets.names,
        "max_days_overdue",
        "open_documents",
        "nearest_due_date",
        "nearest_due_amount",
        "oldest_overdue_document",
        "oldest_overdue_days",
    ]
    return result.select(columns).sort(["counterparty_id", "contract_id", "currency"], nulls_last=True)
