"""Matching that goes on when an earlier load's open payment is allocated to a shipment this load brings.

Matched from scratch, such an allocation would have reserved part of the payment when the payment was
booked (the shipment was not booked yet), and the shipment takes the reservation first when it is
booked (etl.matching). The payment is still open, so nothing matched before changes as long as the
reservations fit in what is left of it: every debit that took from the payment's advance took less than
what is left now (else the payment would be spent), so it takes the same with the reservation held back,
and FIFO at the payment's own booking closed every debit it could without spending it either.

FIFO's compiled kernel takes the open state (`pre`) without reservations, so the open credits of such a
counterparty are booked again instead, each for what is left of it and in event order, ahead of the new
documents: a credit books its new allocations (reserving for shipments still to come), closes nothing
(the conditions below leave it no open debit to close) and joins its advance queue in the order the open
state would have put it in. Its old allocations and shipment link acted long ago and are left out.

The counterparty is matched from scratch instead when any of these fails:
- every allocation of the payment was written by this load and names a shipment this load brings (a
  payment that had allocations before may have reserved then, which the open state does not show);
- their amounts add up to no more than what is left of the payment;
- no open credit of the counterparty could close one of its open debits (one under the credit's
  contract, or for a credit without a contract one under a contract in its currency): an open credit
  left beside such a debit by a reservation long since released would close it when booked again.
"""

from __future__ import annotations

import polars as pl

CREDIT = pl.col("side") < 0


def go_on(
    booked: pl.DataFrame, new: pl.DataFrame, allocations: pl.DataFrame, allocated: dict[str, str], load_id: int
) -> tuple[pl.DataFrame, pl.DataFrame, set[str]]:
    """The open documents `booked` (with `remaining`) marked `pre` (False: booked again for what is left,
    without a shipment link), the allocations the kernel is to apply (`allocations` with `load_id`; of
    the credits booked again only this load's), and the counterparties to match from scratch instead.

    `allocated`: payment id -> counterparty, the earlier loads' open payments this load allocates
    (etl.load.upsert) among the counterparties going on; `new`: the documents this load brings."""
    booked = booked.with_columns(pre=pl.lit(True))
    if not allocated:
        return booked, allocations, set()
    wanted = pl.DataFrame(
        {"document_id": list(allocated), "counterparty_id": list(allocated.values())},
        schema={"document_id": pl.String, "counterparty_id": pl.String},
    )
    keys = ["counterparty_id", "document_id"]
    payments = booked.filter(CREDIT, pl.col("kind") == "payment").join(wanted, on=keys, how="semi")
    failed = set(wanted.join(payments, on=keys, how="anti")["counterparty_id"].to_list())  # settled after all
    theirs = allocations.join(wanted.rename({"document_id": "payment_id"}), on="payment_id")
    shipments = new.filter(pl.col("kind") == "shipment").select("counterparty_id", shipment_id="document_id")
    failed.update(theirs.filter(pl.col("load_id") != load_id)["counterparty_id"].to_list())
    failed.update(
        theirs.join(shipments, on=["counterparty_id", "shipment_id"], how="anti")["counterparty_id"].to_list()
    )
    spent = (
        theirs.group_by("payment_id", "counterparty_id")
        .agg(pl.col("amount").sum())
        .join(payments.select(payment_id="document_id", left="remaining"), on="payment_id")
        .filter(pl.col("amount") > pl.col("left"))
    )
    failed.update(spent["counterparty_id"].to_list())
    again = set(wanted["counterparty_id"].to_list()) - failed
    mine = pl.col("counterparty_id").is_in(list(again))
    credits = booked.filter(mine, CREDIT)
    debits = booked.filter(mine, ~CREDIT, pl.col("contract_id").is_not_null(), pl.col("remaining") > 0)
    closable = pl.concat(
        [
            credits.filter(pl.col("contract_id").is_not_null()).join(
                debits, on=["counterparty_id", "contract_id"], how="semi"
            ),
            credits.filter(pl.col("contract_id").is_null()).join(
                debits, on=["counterparty_id", "currency"], how="semi"
            ),
        ]
    )
    failed.update(closable["counterparty_id"].to_list())
    again -= failed
    rebook = pl.col("counterparty_id").is_in(list(again)) & CREDIT
    booked = booked.with_columns(
        pre=~rebook,
        amount=pl.when(rebook).then("remaining").otherwise("amount"),
        shipment_id=pl.when(rebook).then(None).otherwise("shipment_id"),
    )
    rebooked = booked.filter(~pl.col("pre"), pl.col("kind") == "payment")["document_id"]
    allocations = allocations.filter(~pl.col("payment_id").is_in(rebooked.implode()) | (pl.col("load_id") == load_id))
    return booked, allocations, failed
