"""Stop-list releases as of a date (docs/semantics.md «Stop-list», issue 17): the one rule of when a release
counts. As of D a release is active when released_on <= D <= until and it was not ended on or before D
(ended_on is the first day it no longer counts). A counterparty has at most one active release
(warehouse.release_store ends the old one when a new one is given); should two overlap, the later written wins.

A release is the counterparty's, whatever the currency: the scope narrows only whose releases are read.
Releases are few: rows come through SQLAlchemy's types, as notes do.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Connection, Date, and_, bindparam, or_, select

import warehouse
from queries.scope import Scope

RELEASE_SCHEMA = pl.Schema(
    {
        "counterparty_id": pl.String,
        "release_id": pl.Int64,
        "released_on": pl.Date,
        "released_until": pl.Date,
        "release_reason": pl.String,
        "released_by": pl.String,
    }
)


def active_releases(conn: Connection, *, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    """One row per counterparty in the scope with a release active as of `as_of` (RELEASE_SCHEMA)."""
    scope = scope or Scope.everything()
    r = warehouse.stop_releases
    day = bindparam("as_of", as_of, type_=Date())
    query = (
        select(r.c.counterparty_id, r.c.release_id, r.c.released_on, r.c.until, r.c.reason, r.c.author)
        .where(
            and_(r.c.released_on <= day, r.c.until >= day),
            or_(r.c.ended_on.is_(None), r.c.ended_on > day),
            scope.counterparty_filter(r.c.counterparty_id),
        )
        .order_by(r.c.counterparty_id, r.c.release_id.desc())
    )
    rows: list[Any] = [tuple(row) for row in conn.execute(query)]
    frame = pl.DataFrame(rows, schema=RELEASE_SCHEMA, orient="row")
    return frame.unique("counterparty_id", keep="first", maintain_order=True)


def released_on_their_days(conn: Connection, rows: pl.DataFrame, *, day: str, key: str) -> pl.DataFrame:
    """The `key` values of `rows` (with counterparty_id and a date column `day`) whose counterparty had a
    release active on that day (the rule above, day by day): a shipment made then broke no stop."""
    r = warehouse.stop_releases
    wanted = rows["counterparty_id"].drop_nulls().unique().to_list()
    if not wanted:
        return pl.DataFrame(schema={key: rows.schema[key]})
    query = select(r.c.counterparty_id, r.c.released_on, r.c.until, r.c.ended_on).where(r.c.counterparty_id.in_(wanted))
    found: list[Any] = [tuple(row) for row in conn.execute(query)]
    schema = {"counterparty_id": pl.String, "released_on": pl.Date, "until": pl.Date, "ended_on": pl.Date}
    releases = pl.DataFrame(found, schema=schema, orient="row")
    on = pl.col(day)
    return (
        rows.select(key, "counterparty_id", day)
        .join(releases, on="counterparty_id", how="inner")
        .filter(
            (pl.col("released_on") <= on)
            & (on <= pl.col("until"))
            & (pl.col("ended_on").is_null() | (pl.col("ended_on") > on))
        )
        .select(key)
        .unique()
    )
