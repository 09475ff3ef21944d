"""The counterparty card's own figures: how a customer pays, and whether a new shipment fits its limit.

The two computations are pure (frames and integers in, exact Decimals out). The two small readers at the
bottom stand in for queries the queries/ package does not have yet (a counterparty's INN and email; the
debits settled in a period, with their settled and due dates); they follow its rules (an explicit as-of,
a Scope applied in SQL, typed polars frames) so they can move there unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import polars as pl

from domain.buckets import days_overdue
from domain.limits import limit_usage_pct, over_limit
from queries.kpi_formulas import percent_of, round_tenth

# -- payment behaviour ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentBehaviour:
    """How the debits of a period were paid, the ones still unpaid past their due date included.

    A settled debit is max(0, settled date - due date) days late, so one paid early counts as 0 days late,
    not as a credit against the late ones; an open one past its due date is late so far: as of - due date.
    average_days_late is the mean over both; None without any. on_time_pct: the share settled on or before
    their due date, in %, to 0.1; max_days_late the longest delay, open ones included.
    """

    settled: int
    paid_on_time: int
    average_days_late: Decimal | None
    on_time_pct: Decimal | None
    max_days_late: int | None
    unpaid_late: int = 0  # of the debits counted, the ones still open past their due date


def payment_behaviour(
    settled: pl.DataFrame, overdue: pl.DataFrame | None = None, as_of: date | None = None
) -> PaymentBehaviour:
    """From `settled` (one row per settled debit, with `due_date` and `settled_date`; rows without a due
    date are left out, there is nothing to be late against) and `overdue` (debits open as of `as_of` past
    their `due_date`: queries.counterparty.overdue_shipments)."""
    rows = settled.filter(pl.col("due_date").is_not_null() & pl.col("settled_date").is_not_null())
    late = rows.select(days_overdue(pl.col("settled_date"), pl.col("due_date")).clip(lower_bound=0).alias("late"))[
        "late"
    ]
    days = [int(v) for v in late.to_list()]
    open_days: list[int] = []
    if overdue is not None and as_of is not None:
        open_days = [int(v) for v in overdue.select(days_overdue(as_of, pl.col("due_date")).alias("late"))["late"]]
    every = days + open_days
    if not every:
        return PaymentBehaviour(0, 0, None, None, None)
    on_time = sum(1 for v in days if v == 0)
    return PaymentBehaviour(
        settled=len(every),
        paid_on_time=on_time,
        average_days_late=round_tenth(Fraction(sum(every), len(every))),
        on_time_pct=percent_of(on_time, len(every)),
        max_days_late=max(every),
        unpaid_late=len(open_days),
    )


# -- a new shipment against the credit limit -----------------------------------------------------


@dataclass(frozen=True)
class ShipmentCheck:
    """A contract's balance after a new shipment, against its limit (money in kopecks).

    fits: True within the limit, False over it, None when the contract has no limit. headroom_after is
    limit - new balance (negative: by how much the limit would be exceeded); usage_pct_after to 0.1.
    """

    balance: int
    shipment: int
    new_balance: int
    credit_limit: int | None
    headroom_after: int | None
    usage_pct_after: Decimal | None
    fits: bool | None


def shipment_check(balance: int, credit_limit: int | None, shipment: int) -> ShipmentCheck:
    """Would a shipment of `shipment` kopecks today keep the contract within `credit_limit`?

    The balance is the contract's as on its aging row (open debits less its advance); a balance exactly
    at the limit is within it (domain.limits.over_limit, as credit_limit_exceeded).
    """
    if shipment < 0:
        raise ValueError(f"a shipment cannot be negative: {shipment}")
    new_balance = balance + shipment
    if credit_limit is None:
        return ShipmentCheck(balance, shipment, new_balance, None, None, None, None)
    return ShipmentCheck(
        balance=balance,
        shipment=shipment,
        new_balance=new_balance,
        credit_limit=credit_limit,
        headroom_after=credit_limit - new_balance,
        usage_pct_after=limit_usage_pct(new_balance, credit_limit),
        fits=not over_limit(new_balance, credit_limit),
    )


# -- every contract, with or without money on it -------------------------------------------------

CONTRACT_MONEY = ("balance", "advance", "not_due", "overdue")


def contracts_with_balances(details: pl.DataFrame, receivables: pl.DataFrame) -> pl.DataFrame:
    """Each contract of `details` (queries.ledger.contract_details) with its row of
    queries.contracts.receivables_by_contract; a contract with nothing open shows zeros, its whole limit
    as headroom and 0.0 % usage. The counterparty's advance without a contract keeps its own row last.

    Columns: contract_id, contract_number, contract_date, currency, terms_days, terms_basis, credit_limit,
    usage_pct, headroom, balance, advance, not_due, overdue, max_days_overdue.
    """
    money = receivables.select("contract_id", "usage_pct", "headroom", *CONTRACT_MONEY, "max_days_overdue")
    usage_dtype = receivables.schema["usage_pct"]
    joined = (
        details.join(money, on="contract_id", how="left")
        .with_columns(
            pl.col(*CONTRACT_MONEY).fill_null(0),
            pl.col("max_days_overdue").fill_null(0),
            pl.coalesce("headroom", "credit_limit").alias("headroom"),
            pl.when(pl.col("usage_pct").is_null() & (pl.col("credit_limit") > 0))
            .then(pl.lit(Decimal("0.0"), dtype=usage_dtype))
            .otherwise(pl.col("usage_pct"))
            .alias("usage_pct"),
        )
        .sort(["balance", "contract_number", "contract_id"], descending=[True, False, False])
    )
    columns = [
        "contract_id",
        "contract_number",
        "contract_date",
        "currency",
        "terms_days",
        "terms_basis",
        "credit_limit",
        "usage_pct",
        "headroom",
        *CONTRACT_MONEY,
        "max_days_overdue",
    ]
    unplaced = receivables.filter(pl.col("contract_id").is_null()).select(
        pl.col("contract_id"),
        pl.col("contract_number"),
        pl.lit(None, dtype=pl.Date).alias("contract_date"),
        pl.col("currency"),
        pl.col("terms_days"),
        pl.col("terms_basis"),
        pl.col("credit_limit"),
        pl.col("usage_pct"),
        pl.col("headroom"),
        *[pl.col(c) for c in CONTRACT_MONEY],
        pl.col("max_days_overdue"),
    )
    return pl.concat([joined.select(columns), unplaced.cast(joined.select(columns).schema)])


# -- readers (stand-ins for queries) -------------------------------------------------------------
