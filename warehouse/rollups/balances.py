"""Each shipment's contract balance on its date: the shipment_checks rollup's `contract_balance`.

A contract's balance as of S (as on its aging row: open debits - the contract's advance) is the sum
of its documents' signed amounts dated by S, less the matches dated by S that closed one of its
debits with a credit from elsewhere (another contract, or the counterparty's own advance), plus
those that used one of its credits for a debit elsewhere; a match inside one contract changes
nothing. Every change is a (contract, day, amount): the balance on S is their running sum.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Connection, func, or_, select

import warehouse
from warehouse.frames import frame


def contract_changes(documents: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    """(contract_id, day, change) from documents (doc_pk, contract_id, doc_date, signed) and matches
    (debit_pk, credit_pk, match_date, amount); documents must hold both sides of every match."""
    contract_of = documents.select("doc_pk", "contract_id")
    cross = (
        matches.join(contract_of.rename({"doc_pk": "debit_pk", "contract_id": "debit_contract"}), on="debit_pk")
        .join(contract_of.rename({"doc_pk": "credit_pk", "contract_id": "credit_contract"}), on="credit_pk")
        .filter(pl.col("debit_contract").ne_missing(pl.col("credit_contract")))
    )
    return _as_changes(documents, cross).filter(pl.col("contract_id").is_not_null())


def _as_changes(documents: pl.DataFrame, cross: pl.DataFrame) -> pl.DataFrame:
    """Each document's signed amount on its date; each cross-contract match lowers its debit's contract
    and raises its credit's on the match's date."""
    return pl.concat(
        [
            documents.select(contract_id="contract_id", day="doc_date", change="signed"),
            cross.select(contract_id="debit_contract", day="match_date", change=-pl.col("amount")),
            cross.select(contract_id="credit_contract", day="match_date", change="amount"),
        ]
    )


def balances_on(shipments: pl.DataFrame, changes: pl.DataFrame, base: pl.DataFrame | None = None) -> pl.DataFrame:
    """(doc_pk, contract_balance): each shipment's contract balance on its date, everything dated that
    day included; `base` (contract_id, base) is the balance before the first change."""
    running = (
        changes.group_by("contract_id", "day")
        .agg(pl.col("change").sum())
        .sort("contract_id", "day")
        .with_columns(balance=pl.col("change").cum_sum().over("contract_id"))
    )
    if base is not None:
        running = running.join(base, on="contract_id", how="left").with_columns(
            pl.col("balance") + pl.col("base").fill_null(0)
        )
    return (
        shipments.filter(pl.col("contract_id").is_not_null())
        .sort("doc_date")
        .join_asof(
            running.select("contract_id", "day", "balance").sort("day"),
            left_on="doc_date",
            right_on="day",
            by="contract_id",
            strategy="backward",
            check_sortedness=False,  # both sorted by date, so within each contract too
        )
        .select("doc_pk", contract_balance="balance")
    )


def _open_before(conn: Connection, day: date, contract_ids: list[str]) -> pl.DataFrame:
    """(contract_id, base): each contract's balance as of the day before `day`, from what was open then
    (the documents not settled before `day`, through the (side, settled_date) index)."""
    d, m = warehouse.documents, warehouse.matches
    frames = []
    for side, key in ((1, m.c.debit_pk), (-1, m.c.credit_pk)):
        matched = (
            select(func.coalesce(func.sum(m.c.amount), 0)).where(key == d.c.doc_pk, m.c.match_date < day)
        ).scalar_subquery()
        frames.append(
            frame(
                conn,
                select(d.c.contract_id, (d.c.side * (d.c.amount - matched)).label("open")).where(
                    d.c.side == side,
                    d.c.doc_date < day,
                    or_(d.c.settled_date.is_(None), d.c.settled_date >= day),
                    d.c.contract_id.is_not(None),
                ),
                pl.Schema({"contract_id": pl.String, "open": pl.Int64}),
            )
        )
    return (
        pl.concat(frames)
        .filter(pl.col("contract_id").is_in(contract_ids))
        .group_by("contract_id")
        .agg(base=pl.col("open").sum())
    )


def balances_since(conn: Connection, day: date, shipments: pl.DataFrame) -> pl.DataFrame:
    """(doc_pk, contract_balance) of shipments dated from `day` on: the balance before `day` plus the
    changes from it (the documents dated from `day` and the matches dated from it, both read by date)."""
    contract_ids = shipments["contract_id"].drop_nulls().unique().to_list()
    if not contract_ids:
        return pl.DataFrame(schema={"doc_pk": pl.Int64, "contract_balance": pl.Int64})
    d, m = warehouse.documents, warehouse.matches
    debit, credit = d.alias("debit"), d.alias("credit")
    documents = frame(
        conn,
        select(d.c.doc_pk, d.c.contract_id, d.c.doc_date, (d.c.side * d.c.amount).label("signed")).where(
            d.c.doc_date >= day, d.c.counterparty_id.is_not(None)
        ),
        pl.Schema({"doc_pk": pl.Int64, "contract_id": pl.String, "doc_date": pl.Date, "signed": pl.Int64}),
    )
    cross = frame(
        conn,
        select(m.c.match_date, m.c.amount, debit.c.contract_id, credit.c.contract_id)
        .select_from(m.join(debit, debit.c.doc_pk == m.c.debit_pk).join(credit, credit.c.doc_pk == m.c.credit_pk))
        .where(m.c.match_date >= day, debit.c.contract_id.is_distinct_from(credit.c.contract_id)),
        pl.Schema(
            {"match_date": pl.Date, "amount": pl.Int64, "debit_contract": pl.String, "credit_contract": pl.String}
        ),
    )
    changes = _as_changes(documents, cross).filter(pl.col("contract_id").is_in(contract_ids))
    return balances_on(shipments, changes, _open_before(conn, day, contract_ids))
