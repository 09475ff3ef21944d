"""A contract's credit limit against its balance: the one home of "over the limit", "near the limit" and
the usage percent that the pages, the exceptions and the stop-list show.

The balance is the contract's row of queries.aging: its open debits less its own advance (contract
section 2); money in kopecks.

- over the limit: a limit is set and the balance is above it (a balance equal to the limit is within it);
- near the limit at N %: a limit above zero, not over it, and a balance of at least N % of it, compared
  exactly in integers (balance x 100 >= limit x N). A contract at 89.95 % is not near at 90 %, although its
  usage shows as 90.0 %: a rounded figure never decides a flag;
- usage percent: balance / limit x 100, rounded half up to 0.1, for display; none without a limit, or with
  a zero one (a share of nothing means nothing: the headroom says how far over it the contract is).

Each rule has a scalar form (a row, a what-if) and a polars form (a frame of contracts) that agree.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl


def limit_usage_pct(balance: int, credit_limit: int | None) -> Decimal | None:
    """balance / limit x 100, rounded half up to 0.1; None without a limit or with a zero one."""
    if credit_limit is None or credit_limit == 0:
        return None
    return (Decimal(balance) * 100 / Decimal(credit_limit)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def over_limit(balance: int, credit_limit: int | None) -> bool:
    """A limit is set and the balance is above it."""
    return credit_limit is not None and balance > credit_limit


def near_limit(balance: int, credit_limit: int | None, percent: int) -> bool:
    """Not over a limit above zero, and at least `percent` % of it used, exactly."""
    if credit_limit is None or credit_limit <= 0 or over_limit(balance, credit_limit):
        return False
    return balance * 100 >= credit_limit * percent


def over_limit_expr(balance: pl.Expr, credit_limit: pl.Expr) -> pl.Expr:
    """over_limit over columns (False where the limit is null)."""
    return (credit_limit.is_not_null() & (balance > credit_limit)).fill_null(False)


def near_limit_expr(balance: pl.Expr, credit_limit: pl.Expr, percent: int) -> pl.Expr:
    """near_limit over columns (False where the limit is null)."""
    return (
        (credit_limit > 0) & ~over_limit_expr(balance, credit_limit) & (balance * 100 >= credit_limit * percent)
    ).fill_null(False)


def whole_percent_used_expr(balance: pl.Expr, credit_limit: pl.Expr) -> pl.Expr:
    """balance / limit x 100 floored to a whole percent, for a limit above zero: the figure of the "near the
    limit" sentence, so a contract flagged at N % never reads as less than N % used, nor 89.9 % as 90 %."""
    return (balance * 100) // credit_limit
