"""The rejects list: rows and files that did not load, with a reason a person understands."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from queries.scope import Scope

REJECT_SCHEMA = pl.Schema(
    {
        "load_id": pl.Int64,
        "kind": pl.String,
        "entity": pl.String,
        "file": pl.String,
        "line": pl.Int64,
        "column": pl.String,
        "value": pl.String,
        "reason": pl.String,
        "key": pl.String,
    }
)


def rejects_list(conn: Connection, *, scope: Scope | None = None) -> pl.DataFrame:
    """Every open reject, by file and line. kind: row, reference (retried at each load), file, or warning
    (a bad descriptive value left out of a row that loaded).

    Rejects belong to no counterparty (a row that did not load names none for sure): like the
    exceptions' rejected_row, they are shown only to a scope that restricts neither counterparties nor
    contracts; a manager gets an empty list."""
    scope = scope or Scope.everything()
    if scope.restricts_counterparties or scope.contract_ids is not None:
        return pl.DataFrame(schema=REJECT_SCHEMA)
    r = warehouse.rejects
    rows = conn.execute(
        select(
            r.c.load_id,
            r.c.kind,
            r.c.entity,
            r.c.file,
            r.c.line,
            r.c.column_name,
            r.c.value,
            r.c.reason,
            r.c.record_key,
        ).order_by(r.c.file, r.c.line, r.c.reject_id)
    ).all()
    return pl.DataFrame([tuple(row) for row in rows], schema=REJECT_SCHEMA, orient="row")
