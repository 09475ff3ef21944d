"""A client's own account, as the client sees it: its debts by contract, the totals with the next payment
due, and its payments with the documents each closed (the `client` role, contract section 5).

Every question takes the caller's scope (a client's is its own counterparty) and answers inside it, as
every query does; a counterparty that does not exist gives empty frames. Money is integer kopecks, never
summed across currencies; no credit limit, manager or group is returned (those are our internal rules).
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import ColumnElement, Connection, and_, func, select

import warehouse
from queries.aging import aging
from queries.ledger import contract_details
from queries.scope import Scope

ACCOUNT_SCHEMA = pl.Schema(
    {
        "contract_id": pl.String,
        "contract_number": pl.String,
        "contract_date": pl.Date,
        "currency": pl.String,
        "balance": pl.Int64,
        "open_debits": pl.Int64,
        "overdue": pl.Int64,
        "not_due": pl.Int64,
        "advance": pl.Int64,
    }
)


def account_by_contract(conn: Connection, *, as_of: date, scope: Scope) -> pl.DataFrame:
    """One row per contract with open debits or an advance as of `as_of` (a payment to the client as a
    whole, not yet used, on a row with an empty contract_id): balance = open debits - advance, and
    overdue + not_due = open debits, as aging counts them. Sorted by currency, then contract number."""
    rows = aging(conn, as_of=as_of, scope=scope, by="contract")
    dates = contract_details(conn, scope).select("contract_id", "contract_date")
    rows = rows.join(dates, on="contract_id", how="left", nulls_equal=True)
    rows = rows.with_columns((pl.col("not_due") + pl.col("overdue")).alias("open_debits"))
    result = rows.select(list(ACCOUNT_SCHEMA)).cast(ACCOUNT_SCHEMA)
    return result.sort(["currency", "contract_number", "contract_id"], nulls_last=True)


TOTALS_SCHEMA = pl.Schema(
    {
        "currency": pl.String,
        "balance": pl.Int64,
        "open_debits": pl.Int64,
        "overdue": pl.Int64,
        "not_due": pl.Int64,
        "advance": pl.Int64,
        "next_due_date": pl.Date,
        "next_due_amount": pl.Int64,
    }
)


def account_totals(conn: Connection, *, as_of: date, scope: Scope) -> pl.DataFrame:
    """Per currency: the account_by_contract sums, and the next payment due (the nearest due date on or
    after `as_of` among the open debits, and what is open on that day), or none."""
    by_contract = account_by_contract(conn, as_of=as_of, scope=scope)
    sums = by_contract.group_by("currency").agg(pl.col("balance", "open_debits", "overdue", "not_due", "advance").sum())
    d, m = warehouse.documents, warehouse.matches
    matched = (
        select(func.coalesce(func.sum(m.c.amount), 0))
        .where(m.c.debit_pk == d.c.doc_pk, m.c.match_date <= as_of)
        .scalar_subquery()
    )
    open_amount = (d.c.amount - matched).label("open_amount")
    upcoming = (
        select(d.c.currency, d.c.due_date, open_amount)
        .where(
            d.c.side == 1,
            d.c.doc_date <= as_of,
            d.c.due_date >= as_of,
            d.c.counterparty_id.is_not(None),
            scope.document_filter(d),
        )
        .subquery()
    )
    rows = conn.execute(
        select(upcoming.c.currency, upcoming.c.due_date, func.sum(upcoming.c.open_amount))
        .where(upcoming.c.open_amount > 0)
        .group_by(upcoming.c.currency, upcoming.c.due_date)
    ).all()
    due = pl.DataFrame(
        [(r[0], r[1], int(r[2])) for r in rows],
        schema={"currency": pl.String, "next_due_date": pl.Date, "next_due_amount": pl.Int64},
        orient="row",
    )
    nearest = due.sort("next_due_date").group_by("currency", maintain_order=True).first()
    result = sums.join(nearest, on="currency", how="left").select(list(TOTALS_SCHEMA)).cast(TOTALS_SCHEMA)
    return result.sort("currency")


PAYMENTS_SCHEMA = pl.Schema(
    {
        "doc_pk": pl.Int64,
        "document_id": pl.String,
        "number": pl.String,
        "doc_date": pl.Date,
        "currency": pl.String,
        "contract_id": pl.String,
        "contract_number": pl.String,
        "amount": pl.Int64,
        "closed": pl.Int64,
        "advance": pl.Int64,
    }
)


def _payments_in(date_from: date, date_to: date, scope: Scope) -> ColumnElement[bool]:
    """The scope's payments dated in [date_from, date_to]."""
    d = warehouse.documents
    return and_(
        d.c.kind == "payment",
        d.c.side == -1,
        d.c.doc_date >= date_from,
        d.c.doc_date <= date_to,
        d.c.counterparty_id.is_not(None),
        scope.document_filter(d),
    )


def payment_history(conn: Connection, *, date_from: date, date_to: date, as_of: date, scope: Scope) -> pl.DataFrame:
    """The payments dated in [date_from, date_to] and by `as_of` (a later one was not made yet), newest first:
    amount, what of it closed debits by `as_of` (closed) and what remains an advance then (amount - closed)."""
    d, m, c = warehouse.documents, warehouse.matches, warehouse.contracts
    closed = (
        select(func.coalesce(func.sum(m.c.amount), 0))
        .where(m.c.credit_pk == d.c.doc_pk, m.c.match_date <= as_of)
        .scalar_subquery()
    )
    query = (
        select(
            d.c.doc_pk,
            d.c.document_id,
            d.c.number,
            d.c.doc_date,
            d.c.currency,
            d.c.contract_id,
            c.c.number.label("contract_number"),
            d.c.amount,
            closed.label("closed"),
        )
        .select_from(d.outerjoin(c, c.c.contract_id == d.c.contract_id))
        .where(_payments_in(date_from, min(date_to, as_of), scope))
    )
    rows = [(*r[:7], int(r[7]), int(r[8]), int(r[7]) - int(r[8])) for r in conn.execute(query)]
    result = pl.DataFrame(rows, schema=PAYMENTS_SCHEMA, orient="row")
    return result.sort(["doc_date", "document_id"], descending=True)


CLOSURES_SCHEMA = pl.Schema(
    {
        "payment_pk": pl.Int64,
        "kind": pl.String,
        "document_id": pl.String,
        "number": pl.String,
        "doc_date": pl.Date,
        "amount": pl.Int64,
    }
)


def payment_closures(conn: Connection, *, date_from: date, date_to: date, as_of: date, scope: Scope) -> pl.DataFrame:
    """The debits each payment of payment_history closed by `as_of`: one row per payment and debit, the
    amount summed over match dates; ordered by payment, then the debit's date and id."""
    d, m = warehouse.documents, warehouse.matches
    debit = d.alias("debit")
    query = (
        select(
            m.c.credit_pk,
            debit.c.kind,
            debit.c.document_id,
            debit.c.number,
            debit.c.doc_date,
            func.sum(m.c.amount),
        )
        .select_from(m.join(d, d.c.doc_pk == m.c.credit_pk).join(debit, debit.c.doc_pk == m.c.debit_pk))
        .where(_payments_in(date_from, min(date_to, as_of), scope), m.c.match_date <= as_of)
        .group_by(m.c.credit_pk, debit.c.kind, debit.c.document_id, debit.c.number, debit.c.doc_date)
    )
    rows = [(*r[:5], int(r[5])) for r in conn.execute(query)]
    result = pl.DataFrame(rows, schema=CLOSURES_SCHEMA, orient="row")
    return result.sort(["payment_pk", "doc_date", "document_id"])
