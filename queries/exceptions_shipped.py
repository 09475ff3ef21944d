"""shipped_while_overdue (queries.exceptions): the window's shipments made while their counterparty had
overdue debt, and the stop-list rules (queries.stoplist) each one broke on its date (none on a day a
release let its counterparty be shipped to: queries.releases).

What was overdue on a shipment's date comes from the warehouse.rollups.checks rollup when it is complete
and the threshold is the default, else from a sweep of the window at query time (warehouse.rollups.sweep).

A debit under a dispute open on the shipment's date (queries.holds: dated on or before it, not resolved by
it) was not overdue debt that day, as the stop-list's overdue rules leave it out as of its own date
(contract section 5): it counts in neither the overdue amounts nor the days, so in neither overdue rule,
and a shipment whose only overdue debt that day was disputed is no exception. The rollup is built by the
load, which knows no notes, so the shipments whose counterparty had a dispute open on their date are swept
again here without the disputed debits (`_without_disputed`): subtracting their amounts would leave the
days of an oldest debit that was disputed, and with them the overdue_days rule. The balance (the
credit_limit rule) still counts a disputed debit, as on the stop-list.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from domain.buckets import days_overdue
from domain.limits import over_limit_expr
from queries.holds import dispute_open_on, disputed_debits
from queries.releases import released_on_their_days
from queries.scope import Scope
from queries.stoplist import REASONS, StopRules
from warehouse.frames import frame
from warehouse.rollups import checks
from warehouse.rollups.balances import balances_since
from warehouse.rollups.sweep import SHIPMENT_SCHEMA, OnShipmentDay, overdue_on_shipment_days, sweep_inputs

# What the counterparty owed overdue on the shipment's date, one amount per currency (by currency).
OVERDUE_DTYPE = pl.List(pl.Struct({"currency": pl.String, "amount": pl.Int64}))
_AMOUNTS = {"doc_pk": pl.Int64, "currency": pl.String, "amount": pl.Int64}


def _on_shipment_days(
    conn: Connection, as_of: date, scope: Scope, threshold: int, lookback_days: int, stop_rules: StopRules
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The window's shipments made while overdue: (shipments, overdue, late).

    shipments: the shipments' own columns, `days` (the largest days overdue that day) and, from the
    rollup, `contract_balance` (their contract's balance that day; swept here, it is left to
    warehouse.rollups.balances_since); overdue and
    late: (doc_pk, currency, amount) of the debt that day more than the threshold overdue, and of all
    the overdue debt (the stop-list's overdue_amount rule). With the default threshold and a complete
    warehouse.rollups.checks rollup, one read of the rollup; otherwise the window is swept here.
    """
    start = as_of - timedelta(days=lookback_days)
    d, k = warehouse.documents, warehouse.shipment_checks
    if threshold == 0 and checks.ready(conn):
        rows = frame(
            conn,
            select(
                *(d.c[name] for name in SHIPMENT_SCHEMA),
                k.c.oldest_due,
                k.c.currency,
                k.c.overdue,
                k.c.contract_balance,
            )
            .select_from(k.join(d, d.c.doc_pk == k.c.doc_pk))
            .where(k.c.doc_date >= start, k.c.doc_date <= as_of, scope.document_filter(d)),
            pl.Schema(
                {
                    **SHIPMENT_SCHEMA,
                    "oldest_due": pl.Date(),
                    "overdue_currency": pl.String(),
                    "overdue_amount": pl.Int64(),
                    "contract_balance": pl.Int64(),
                }
            ),
        )
        shipments = (
            rows.unique("doc_pk")
            .with_columns(days=days_overdue(pl.col("doc_date"), pl.col("oldest_due")))
            .drop("oldest_due", "overdue_currency", "overdue_amount")
        )
        overdue = rows.filter(pl.col("overdue_currency").is_not_null()).select(
            "doc_pk", currency="overdue_currency", amount="overdue_amount"
        )
        return shipments, overdue, overdue
    # Overdue by more than the threshold on S <= D means due_date < S - threshold <= D - threshold; the
    # overdue_amount stop rule counts every overdue debit on S, due before S <= D.
    due_before = as_of - timedelta(days=0 if stop_rules.overdue_amount > 0 else threshold)
    shipments, debits, window_matches = sweep_inputs(
        conn,
        start=start,
        end=as_of,
        due_before=due_before,
        shipments_where=scope.document_filter(d),
        counterparty_filter=scope.counterparty_filter,
    )
    late_too = stop_rules.overdue_amount > 0 and threshold > 0
    found = overdue_on_shipment_days(shipments, debits, window_matches, threshold, as_of, late_too=late_too)
    overdue = _amounts(found, late=False)
    late = _amounts(found, late=True) if late_too else overdue
    return shipments.join(_days(found), on="doc_pk", how="inner"), overdue, late


def _amounts(found: dict[int, OnShipmentDay], late: bool) -> pl.DataFrame:
    """(doc_pk, currency, amount) of the sweep's overdue (or late) amounts per shipment."""
    rows = [(pk, c, a) for pk, f in found.items() for c, a in (f.late if late else f.overdue)]
    return pl.DataFrame(rows, schema=_AMOUNTS, orient="row")


def _days(found: dict[int, OnShipmentDay]) -> pl.DataFrame:
    """(doc_pk, days) of the sweep: the largest days overdue on each shipment's date."""
    return pl.DataFrame(
        [(pk, f.days) for pk, f in found.items()], schema={"doc_pk": pl.Int64, "days": pl.Int64}, orient="row"
    )


def _span(days: pl.DataFrame) -> tuple[date, date]:
    """The first and last doc_date of a frame that has rows."""
    return cast(date, days["doc_date"].min()), cast(date, days["doc_date"].max())


def _without_disputed(
    conn: Connection,
    shipments: pl.DataFrame,
    overdue: pl.DataFrame,
    late: pl.DataFrame,
    *,
    scope: Scope,
    threshold: int,
    late_too: bool,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """_on_shipment_days' answer with the debits under a dispute open on each shipment's date left out.

    One query for the disputes (two when there are some); when one was open on a listed shipment's date, the
    shipments of those counterparties dated from the first such date to the last are swept again (three more
    set queries), a counterparty and set of debits disputed on their dates at a time, without those debits.
    A shipment left with nothing overdue drops out; the others take the new days and amounts."""
    if shipments.is_empty():
        return shipments, overdue, late
    first, last = _span(shipments)
    disputed = disputed_debits(conn, start=first, end=last, scope=scope)
    held = (
        shipments.select("doc_pk", "counterparty_id", "doc_date")
        .join(disputed, on="counterparty_id", how="inner")
        .filter(dispute_open_on(pl.col("doc_date")))
        .group_by("doc_pk")
        .agg(pl.col("debit_pk").unique().sort().alias("held"), pl.col("doc_date", "counterparty_id").first())
    )
    if held.is_empty():
        return shipments, overdue, late
    start, end = _span(held)
    counterparties = held["counterparty_id"].unique().sort().to_list()
    d = warehouse.documents
    window, debits, window_matches = sweep_inputs(
        conn,
        start=start,
        end=end,
        due_before=end - timedelta(days=0 if late_too else threshold),
        shipments_where=d.c.counterparty_id.in_(counterparties),
        counterparty_filter=lambda column: column.in_(counterparties),
    )
    # Swept a counterparty at a time: each set of held debits sweeps its own counterparty's debits only.
    debits_of = debits.partition_by("counterparty_id", as_dict=True)
    owner = debits.select("debit_pk", "counterparty_id")
    owned_matches = window_matches.join(owner, on="debit_pk")
    matches_of = owned_matches.partition_by("counterparty_id", as_dict=True)
    shipments_of = window.partition_by("counterparty_id", as_dict=True)
    no_debits, no_matches = debits.clear(), owned_matches.clear()  # for a counterparty with none in the window
    found: dict[int, OnShipmentDay] = {}
    for (counterparty_id, held_pks), group in held.group_by("counterparty_id", "held"):
        key = (counterparty_id,)
        kept = debits_of.get(key, no_debits).filter(~pl.col("debit_pk").is_in(list(held_pks)))
        its_matches = matches_of.get(key, no_matches)
        found |= overdue_on_shipment_days(
            shipments_of[key].join(group, on="doc_pk", how="semi"),
            kept,
            its_matches.join(kept, on="debit_pk", how="semi").select(window_matches.columns),
            threshold,
            end,
            late_too=late_too,
        )
    days = _days(found)
    again = held.select("doc_pk")
    shipments = pl.concat(
        [
            shipments.join(again, on="doc_pk", how="anti"),
            shipments.drop("days").join(days, on="doc_pk", how="inner").select(shipments.columns),
        ]
    )
    new_overdue = _amounts(found, late=False)
    new_late = _amounts(found, late=True) if late_too else new_overdue
    return (
        shipments,
        pl.concat([overdue.join(again, on="doc_pk", how="anti"), new_overdue]),
        pl.concat([late.join(again, on="doc_pk", how="anti"), new_late]),
    )


def shipped_while_overdue_rows(
    conn: Connection,
    as_of: date,
    scope: Scope,
    *,
    threshold: int,
    lookback_days: int,
    stop_rules: StopRules,
    balances: pl.DataFrame,
) -> pl.DataFrame:
    """Shipments dated in [D - lookback_days, D] made while the counterparty had debt more than `threshold`
    days overdue, by date, with what was overdue (per currency) and the stop-list rules they broke.

    `balances`: the contracts with a limit (queries.exceptions_limits.limited_balances), for the
    credit_limit stop rule; two more set queries for the balances of their contracts on the shipments'
    dates when that rule is on and the window was swept (warehouse.rollups.balances_since)."""
    start = as_of - timedelta(days=lookback_days)
    found = _on_shipment_days(conn, as_of, scope, threshold, lookback_days, stop_rules)
    late_too = stop_rules.overdue_amount > 0 and threshold > 0
    shipments, overdue, late = _without_disputed(conn, *found, scope=scope, threshold=threshold, late_too=late_too)
    overdue_then = (
        overdue.sort("doc_pk", "currency")
        .group_by("doc_pk", maintain_order=True)
        .agg(pl.struct("currency", "amount").alias("overdue"))
    )
    largest_late = late.group_by("doc_pk").agg(late_max=pl.col("amount").max())
    balances_then = pl.DataFrame(schema={"doc_pk": pl.Int64, "balance_then": pl.Int64, "credit_limit": pl.Int64})
    if stop_rules.credit_limit:
        limited = shipments.join(balances.select("contract_id", "credit_limit"), on="contract_id", how="inner")
        if "contract_balance" not in limited.columns:  # swept here: the balances of the window's days too
            limited = limited.join(balances_since(conn, start, limited), on="doc_pk", how="left")
        balances_then = limited.select("doc_pk", balance_then="contract_balance", credit_limit="credit_limit")
    broken = {
        "overdue_days": pl.col("days") > stop_rules.overdue_days,
        "overdue_amount": pl.lit(stop_rules.overdue_amount > 0)
        & (pl.col("late_max").fill_null(0) > stop_rules.overdue_amount),
        "credit_limit": pl.lit(stop_rules.credit_limit)
        & pl.col("balance_then").is_not_null()
        & over_limit_expr(pl.col("balance_then"), pl.col("credit_limit")),
    }
    # A shipment made on a day its counterparty was released (queries.releases) broke no stop rule.
    released = released_on_their_days(conn, shipments, day="doc_date", key="doc_pk").with_columns(released=True)
    stop = (
        pl.when(pl.col("released").fill_null(False))
        .then(pl.lit(""))
        .otherwise(
            pl.concat_str(
                [pl.when(broken[reason]).then(pl.lit(reason)) for reason in REASONS], separator=",", ignore_nulls=True
            )
        )
    )
    return (
        shipments.join(overdue_then, on="doc_pk", how="left")
        .join(released, on="doc_pk", how="left")
        .join(largest_late, on="doc_pk", how="left")
        .join(balances_then, on="doc_pk", how="left")
        .sort(["doc_date", "counterparty_id", "document_id"])
        .select(
            code=pl.lit("shipped_while_overdue"),
            # High when the shipment broke the credit policy (a stop rule); shipping while a few days late
            # on one invoice, inside the policy, is worth a look, not an alarm.
            severity=pl.when(stop.fill_null("") != "").then(pl.lit("high")).otherwise(pl.lit("medium")),
            counterparty_id="counterparty_id",
            contract_id="contract_id",
            document_id="document_id",
            currency="currency",
            amount="amount",
            days="days",
            doc_kind=pl.lit("shipment"),
            doc_number="number",
            doc_date="doc_date",
            overdue="overdue",
            stop_rules=stop,
        )
    )
