"""Reconciliation acts clients sent back: the file as uploaded, for the period and contract it reconciles, who
uploaded it and what the reconciliation found. Copies are never deleted or rewritten, but for the result
(`set_result`), which is computed once the file has been read against our books.

(Named their_act_store rather than their_acts: `warehouse.their_acts` is the table, as every table is
re-exported by name.)

The caller checks who may upload for which counterparty (the role, the scope) and writes the audit row in
the same transaction (dashboard.services.their_acts). Reads here are by counterparty or by id; the caller
checks the scope before it shows what it read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Connection, Row, insert, select, update

import warehouse

MAX_BYTES = 10 * 1024 * 1024  # an act of a few thousand lines is well under a megabyte
MAX_NAME = 255  # characters of a file name kept


@dataclass(frozen=True)
class StoredAct:
    """A stored copy without its content (which content() reads): what the lists show."""

    their_act_id: int
    counterparty_id: str
    contract_id: str | None
    date_from: date
    date_to: date
    file_name: str
    uploaded_by: str
    uploaded_role: str
    uploaded_at: datetime
    differences: int | None  # None until computed
    balance_difference: int | None  # kopecks, ours less theirs


def _columns() -> tuple[Column[Any], ...]:
    a = warehouse.their_acts
    return (
        a.c.their_act_id,
        a.c.counterparty_id,
        a.c.contract_id,
        a.c.date_from,
        a.c.date_to,
        a.c.file_name,
        a.c.uploaded_by,
        a.c.uploaded_role,
        a.c.uploaded_at,
        a.c.differences,
        a.c.balance_difference,
    )


def _stored(row: Row[Any]) -> StoredAct:
    return StoredAct(**row._mapping)


def save(
    conn: Connection,
    *,
    counterparty_id: str,
    contract_id: str | None,
    date_from: date,
    date_to: date,
    file_name: str,
    content: bytes,
    uploaded_by: str,
    uploaded_role: str,
    uploaded_at: datetime | None = None,
    differences: int | None = None,
    balance_difference: int | None = None,
) -> int:
    """Store one copy and return its id. ValueError for an empty or too large file, a period that ends
    before it starts, or a counterparty the warehouse does not know."""
    if not content:
        raise ValueError("the file is empty")
    if len(content) > MAX_BYTES:
        raise ValueError(f"the file is {len(content)} bytes, more than {MAX_BYTES}")
    if date_to < date_from:
        raise ValueError(f"the period ends {date_to.isoformat()} before it starts {date_from.isoformat()}")
    c = warehouse.counterparties
    if conn.execute(select(c.c.counterparty_id).where(c.c.counterparty_id == counterparty_id)).first() is None:
        raise ValueError(f"unknown counterparty {counterparty_id!r}")
    result = conn.execute(
        insert(warehouse.their_acts).values(
            counterparty_id=counterparty_id,
            contract_id=contract_id or None,
            date_from=date_from,
            date_to=date_to,
            file_name=(file_name.strip() or "act")[-MAX_NAME:],
            content=content,
            uploaded_by=uploaded_by,
            uploaded_role=uploaded_role,
            uploaded_at=uploaded_at or datetime.now().replace(microsecond=0),
            differences=differences,
            balance_difference=balance_difference,
        )
    )
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - both dialects give the new id
        raise RuntimeError("the database gave no id for the new copy")
    return int(key[0])


def set_result(conn: Connection, their_act_id: int, *, differences: int, balance_difference: int) -> None:
    """What the reconciliation of the copy found: its differing lines and the closing balances' difference."""
    a = warehouse.their_acts
    conn.execute(
        update(a)
        .where(a.c.their_act_id == their_act_id)
        .values(differences=differences, balance_difference=balance_difference)
    )


def list_for(conn: Connection, counterparty_id: str) -> list[StoredAct]:
    """The counterparty's copies, newest upload first."""
    a = warehouse.their_acts
    query = (
        select(*_columns())
        .where(a.c.counterparty_id == counterparty_id)
        .order_by(a.c.uploaded_at.desc(), a.c.their_act_id.desc())
    )
    return [_stored(row) for row in conn.execute(query)]


_ANY = object()  # latest_for's "whatever the contract"


def latest_for(
    conn: Connection,
    counterparty_id: str,
    *,
    contract_id: str | object | None = _ANY,
    date_from: date | None = None,
    date_to: date | None = None,
) -> StoredAct | None:
    """The counterparty's newest copy, or None: of any contract and period unless they are given
    (contract_id None: the act of the whole counterparty; a period: exactly that one)."""
    a = warehouse.their_acts
    query = select(*_columns()).where(a.c.counterparty_id == counterparty_id)
    if contract_id is None:
        query = query.where(a.c.contract_id.is_(None))
    elif contract_id is not _ANY:
        query = query.where(a.c.contract_id == contract_id)
    if date_from is not None:
        query = query.where(a.c.date_from == date_from)
    if date_to is not None:
        query = query.where(a.c.date_to == date_to)
    row = conn.execute(query.order_by(a.c.uploaded_at.desc(), a.c.their_act_id.desc()).limit(1)).first()
    return None if row is None else _stored(row)


def get(conn: Connection, their_act_id: int) -> StoredAct | None:
    """One copy's description by its id, or None."""
    a = warehouse.their_acts
    row = conn.execute(select(*_columns()).where(a.c.their_act_id == their_act_id)).first()
    return None if row is None else _stored(row)


def content(conn: Connection, their_act_id: int) -> bytes | None:
    """The file of a copy as it was uploaded, or None for an unknown id."""
    a = warehouse.their_acts
    found = conn.execute(select(a.c.content).where(a.c.their_act_id == their_act_id)).scalar()
    return None if found is None else bytes(found)
