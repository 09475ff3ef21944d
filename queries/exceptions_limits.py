"""The credit limit exceptions (queries.exceptions): credit_limit_exceeded and credit_limit_near, by the
rules of domain.limits on each contract's balance (queries.ledger.balances, as on the contract rows of
queries.aging: open debits less the contract's advance).
"""

from __future__ import annotations

import polars as pl

from domain.limits import near_limit_expr, over_limit_expr
from queries.ledger import balances


def limited_balances(debits: pl.DataFrame, credits: pl.DataFrame, contracts: pl.DataFrame) -> pl.DataFrame:
    """The contracts with a credit limit (contract_details' columns) and their balance as of D (0 when
    nothing is open on them), by counterparty and contract."""
    by_contract = (
        balances(debits, credits)
        .filter(pl.col("contract_id").is_not_null())
        .group_by("contract_id")
        .agg(pl.col("balance").sum())
    )
    return (
        contracts.filter(pl.col("credit_limit").is_not_null())
        .join(by_contract, on="contract_id", how="left")
        .with_columns(pl.col("balance").fill_null(0).cast(pl.Int64))
        .sort(["counterparty_id", "contract_id"])
    )


def limit_rows(limited: pl.DataFrame, *, near_percent: int) -> pl.DataFrame:
    """credit_limit_exceeded (amount: the excess) and credit_limit_near at `near_percent` (amount: the
    balance), from limited_balances."""
    exceeded = over_limit_expr(pl.col("balance"), pl.col("credit_limit"))
    near = near_limit_expr(pl.col("balance"), pl.col("credit_limit"), near_percent)
    return limited.filter(exceeded | near).select(
        code=pl.when(exceeded).then(pl.lit("credit_limit_exceeded")).otherwise(pl.lit("credit_limit_near")),
        severity=pl.when(exceeded).then(pl.lit("high")).otherwise(pl.lit("medium")),
        counterparty_id="counterparty_id",
        contract_id="contract_id",
        contract_number="contract_number",
        currency="currency",
        amount=pl.when(exceeded).then(pl.col("balance") - pl.col("credit_limit")).otherwise(pl.col("balance")),
        balance="balance",
        credit_limit="credit_limit",
    )
