"""The exceptions that belong to no counterparty (queries.exceptions): unidentified_payment (a bank payment
whose payer INN is no counterparty's) and rejected_row (the rejects list), shown only to a scope that
narrows neither counterparties nor contracts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import PurePath

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from queries.scope import Scope
from warehouse.frames import frame


def shows_unowned(scope: Scope) -> bool:
    """Rows without a counterparty or contract: for a scope that is not narrowed to either."""
    return not scope.restricts_counterparties and scope.contract_ids is None


UNIDENTIFIED_SCHEMA = pl.Schema(
    {
        "document_id": pl.String,
        "doc_number": pl.String,
        "doc_date": pl.Date,
        "amount": pl.Int64,
        "currency": pl.String,
        "payer_inn": pl.String,
        "payer_name": pl.String,
        "purpose": pl.String,
    }
)


def unidentified_payments(
    conn: Connection, *, as_of: date | None = None, currencies: Sequence[str] | None = None, load_id: int | None = None
) -> pl.DataFrame:
    """Payments no counterparty's INN claims (from bank statements), by date: dated on or before `as_of`, in
    `currencies`, or written by the load `load_id` (what an upload brought, for its result)."""
    d = warehouse.documents
    query = select(
        d.c.document_id, d.c.number, d.c.doc_date, d.c.amount, d.c.currency, d.c.payer_inn, d.c.payer_name, d.c.purpose
    ).where(d.c.kind == "payment", d.c.counterparty_id.is_(None))
    if as_of is not None:
        query = query.where(d.c.doc_date <= as_of)
    if currencies is not None:
        query = query.where(d.c.currency.in_(currencies))
    if load_id is not None:
        query = query.where(d.c.load_id == load_id)
    return frame(conn, query.order_by(d.c.doc_date, d.c.document_id), UNIDENTIFIED_SCHEMA)


def unidentified_rows(conn: Connection, as_of: date, scope: Scope) -> pl.DataFrame:
    """unidentified_payment: the payments without a counterparty dated on or before D, in the scope's
    currencies, by date."""
    payments = unidentified_payments(conn, as_of=as_of, currencies=scope.currencies)
    return payments.select(
        code=pl.lit("unidentified_payment"),
        severity=pl.lit("medium"),
        document_id="document_id",
        currency="currency",
        amount="amount",
        days=(pl.lit(as_of) - pl.col("doc_date")).dt.total_days(),
        doc_kind=pl.lit("payment"),
        doc_number="doc_number",
        doc_date="doc_date",
        payer_name="payer_name",
        payer_inn="payer_inn",
        purpose="purpose",
    )


def reject_rows(conn: Connection) -> pl.DataFrame:
    """rejected_row: the rejects list by file and line; document_id is the rejected row's key, if any.
    Warnings (a value left out of a row that loaded) are not rejected rows: the data page lists them."""
    r = warehouse.rejects
    query = (
        select(r.c.file, r.c.line, r.c.column_name, r.c.value, r.c.reason, r.c.record_key)
        .where(r.c.kind != "warning")
        .order_by(r.c.file, r.c.line, r.c.reject_id)
    )
    schema = pl.Schema(
        {
            "file": pl.String,
            "line": pl.Int64,
            "column_name": pl.String,
            "value": pl.String,
            "reason": pl.String,
            "record_key": pl.String,
        }
    )
    rejects = frame(conn, query, schema)
    # The file's name, not the loader's full path: it is what the controller finds in the export folder.
    names = {path: PurePath(path).name or path for path in rejects["file"].unique().to_list()}
    return rejects.select(
        code=pl.lit("rejected_row"),
        severity=pl.lit("medium"),
        document_id=pl.when(pl.col("record_key") != "").then(pl.col("record_key")),
        source_file=pl.col("file").replace_strict(names, return_dtype=pl.String),
        source_line="line",
        source_column="column_name",
        source_value="value",
        reason="reason",
    )
