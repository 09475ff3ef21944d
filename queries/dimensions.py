"""The values a user can filter by: managers, groups, counterparties, contracts, currencies (within a scope)."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from queries.scope import Scope


def filter_options(conn: Connection, *, scope: Scope | None = None) -> dict[str, pl.DataFrame]:
    """Frames of the choices: counterparties (id, name, manager, group), contracts (id, counterparty, number,
    currency, date), each limited to what the scope may see."""
    scope = scope or Scope.everything()
    c, k = warehouse.counterparties, warehouse.contracts
    counterparties = conn.execute(
        select(c.c.counterparty_id, c.c.name, c.c.manager, c.c.group_name)
        .where(scope.counterparty_filter(c.c.counterparty_id))
        .order_by(c.c.name, c.c.counterparty_id)
    ).all()
    contracts = conn.execute(
        select(k.c.contract_id, k.c.counterparty_id, k.c.number, k.c.currency, k.c.contract_date)
        .where(scope.counterparty_filter(k.c.counterparty_id))
        .order_by(k.c.counterparty_id, k.c.contract_id)
    ).all()
    return {
        "counterparties": pl.DataFrame(
            [tuple(r) for r in counterparties],
            schema={"counterparty_id": pl.String, "name": pl.String, "manager": pl.String, "group": pl.String},
            orient="row",
        ),
        "contracts": pl.DataFrame(
            [tuple(r) for r in contracts],
            schema={
                "contract_id": pl.String,
                "counterparty_id": pl.String,
                "number": pl.String,
                "currency": pl.String,
                "contract_date": pl.Date,
            },
            orient="row",
        ),
    }
