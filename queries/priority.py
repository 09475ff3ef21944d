"""Who to call first: the counterparties of an exceptions list (queries.exceptions) ranked by one score.

The list has a row per document (5 380 rows on the demo, 4 857 of them "high"): nothing ranks. Grouped per
counterparty and currency, each gets a score, in kopecks of its currency:

    score = Σ overdue open amount × (1 + min(days overdue, 180) / 30)      money late, weighted by age:
                                                                          a month late counts twice
          + Σ credit-limit excess (credit_limit_exceeded)                 money past the agreed limit
          + ¼ × Σ shipments made while overdue (shipped_while_overdue)    policy broken, money at risk

and its priority from its place in the ranking: the top tenth (at least one) `high`, the next three
tenths `medium`, the rest `low`. Counterparties with no overdue debt, excess or such shipment (an advance,
a near limit, a due date today) score 0 and come last. Scores are never compared across currencies, but
the ranking is one list: a controller calls people, not currencies.
"""

from __future__ import annotations

import math

import polars as pl

AGE_CAP_DAYS = 180
SHIPPED_WEIGHT = 0.25
HIGH_SHARE, MEDIUM_SHARE = 0.1, 0.4  # the top tenth, then down to four tenths
COUNTED = ("overdue", "shipped_while_overdue", "credit_limit_exceeded", "no_payment_recently", "due_before_date")

PRIORITY_SCHEMA = pl.Schema(
    {
        "rank": pl.Int64,
        "priority": pl.String,
        "counterparty_id": pl.String,
        "counterparty_name": pl.String,
        "currency": pl.String,
        "score": pl.Int64,
        "overdue": pl.Int64,
        "max_days_overdue": pl.Int64,
        **{f"n_{code}": pl.Int64 for code in COUNTED},
    }
)


def priorities(found: pl.DataFrame) -> pl.DataFrame:
    """One row per counterparty and currency of the exceptions frame, by score (highest first)."""
    rows = found.filter(pl.col("counterparty_id").is_not_null())
    if rows.height == 0:
        return pl.DataFrame(schema=PRIORITY_SCHEMA)
    code, amount, days = pl.col("code"), pl.col("amount").fill_null(0), pl.col("days").fill_null(0)
    overdue = code == "overdue"
    weight = 1 + days.clip(upper_bound=AGE_CAP_DAYS) / 30
    score = (
        pl.when(overdue).then(amount * weight).otherwise(0)
        + pl.when(code == "credit_limit_exceeded").then(amount).otherwise(0)
        + pl.when(code == "shipped_while_overdue").then(amount * SHIPPED_WEIGHT).otherwise(0)
    )
    grouped = (
        rows.group_by("counterparty_id", "currency")
        .agg(
            pl.col("counterparty_name").first(),
            score.sum().round(0).cast(pl.Int64).alias("score"),
            pl.when(overdue).then(amount).otherwise(0).sum().cast(pl.Int64).alias("overdue"),
            pl.when(overdue).then(days).otherwise(0).max().cast(pl.Int64).alias("max_days_overdue"),
            *[(code == c).sum().cast(pl.Int64).alias(f"n_{c}") for c in COUNTED],
        )
        .sort(["score", "overdue", "counterparty_id"], descending=[True, True, False])
        .with_row_index("rank", offset=1)
    )
    n = grouped.height
    high, medium = max(1, math.ceil(n * HIGH_SHARE)), math.ceil(n * MEDIUM_SHARE)
    rank = pl.col("rank").cast(pl.Int64)
    return grouped.with_columns(
        rank.alias("rank"),
        pl.when(pl.col("score") == 0)
        .then(pl.lit("low"))
        .when(rank <= high)
        .then(pl.lit("high"))
        .when(rank <= medium)
        .then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
        .alias("priority"),
    ).select(list(PRIORITY_SCHEMA))
