"""Who to call first, by the score of queries.priority, on hand-made exception rows (kopecks)."""

from __future__ import annotations

import polars as pl

from queries.priority import priorities


def rows(*items: tuple[str, str, int, int | None]) -> pl.DataFrame:
    return pl.DataFrame(
        [(code, cp, f"ООО {cp}", "RUB", amount, days) for code, cp, amount, days in items],
        schema={
            "code": pl.String,
            "counterparty_id": pl.String,
            "counterparty_name": pl.String,
            "currency": pl.String,
            "amount": pl.Int64,
            "days": pl.Int64,
        },
        orient="row",
    )


def test_the_score_weighs_money_by_age_limits_and_shipments() -> None:
    """A: 1 000,00 overdue 30 days -> 100 000 x (1 + 30/30) = 200 000; and 500,00 shipped while overdue ->
    + 50 000 x 1/4 = 12 500: 212 500.
    B: 3 000,00 overdue 3 days -> 300 000 x 1,1 = 330 000.
    C: 100,00 overdue 400 days (capped at 180) -> 10 000 x 7 = 70 000; 2 000,00 over its limit -> + 200 000:
    270 000.
    D: only an advance and a near limit: 0, last, low."""
    found = rows(
        ("overdue", "A", 100_000, 30),
        ("shipped_while_overdue", "A", 50_000, 30),
        ("overdue", "B", 300_000, 3),
        ("overdue", "C", 10_000, 400),
        ("credit_limit_exceeded", "C", 200_000, None),
        ("advance", "D", 5_000, 10),
        ("credit_limit_near", "D", 90_000, None),
        ("rejected_row", None, None, None),
    )
    ranked = priorities(found)
    assert ranked.select("rank", "counterparty_id", "score", "overdue", "max_days_overdue").rows() == [
        (1, "B", 330_000, 300_000, 3),
        (2, "C", 270_000, 10_000, 400),
        (3, "A", 212_500, 100_000, 30),
        (4, "D", 0, 0, 0),
    ]
    # Four counterparties: the top one high (a tenth, at least one), down to the second medium (four tenths).
    assert ranked["priority"].to_list() == ["high", "medium", "low", "low"]
    assert ranked.filter(pl.col("counterparty_id") == "A")["n_shipped_while_overdue"].to_list() == [1]


def test_nothing_to_rank() -> None:
    assert priorities(rows(("rejected_row", None, None, None))).height == 0
