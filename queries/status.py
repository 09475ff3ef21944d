"""How full the warehouse is and how the last load went (the first thing a user wants to know)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Connection, FromClause, func, select

import warehouse
from warehouse.state import bank_statement_through, read_meta


@dataclass(frozen=True)
class WarehouseStatus:
    counterparties: int
    contracts: int
    documents: int
    rejects: int
    unidentified_payments: int
    last_load_id: int | None
    last_load_at: datetime | None
    last_load_seconds: float | None
    last_load_files: int


def warehouse_status(conn: Connection) -> WarehouseStatus:
    def count(table: FromClause, *where: ColumnElement[bool]) -> int:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar() or 0)

    d = warehouse.documents
    runs = warehouse.load_runs
    last = conn.execute(
        select(runs.c.load_id, runs.c.finished_at, runs.c.duration_ms)
        .where(runs.c.status == "done")
        .order_by(runs.c.load_id.desc())
        .limit(1)
    ).first()
    return WarehouseStatus(
        counterparties=count(warehouse.counterparties),
        contracts=count(warehouse.contracts),
        documents=count(d),
        rejects=count(warehouse.rejects),
        unidentified_payments=count(d, d.c.kind == "payment", d.c.counterparty_id.is_(None)),
        last_load_id=None if last is None else int(last.load_id),
        last_load_at=None if last is None else last.finished_at,
        last_load_seconds=None if last is None or last.duration_ms is None else last.duration_ms / 1000,
        last_load_files=0
        if last is None
        else count(warehouse.load_files, warehouse.load_files.c.load_id == last.load_id),
    )


def company_name(conn: Connection) -> str:
    """The company's name as the warehouse knows it (the demo stores it); '' when unknown."""
    return read_meta(conn, "company_name") or ""


def bank_data_through(conn: Connection) -> date | None:
    """The last day the company's bank data covers: the latest end (ДатаКонца) of the bank statements loaded,
    or the latest payment received (from a statement or a list of payments), whichever is later; None
    when neither was ever loaded."""
    d = warehouse.documents
    latest_payment = conn.execute(select(func.max(d.c.doc_date)).where(d.c.kind == "payment")).scalar()
    days = [day for day in (bank_statement_through(conn), latest_payment) if day is not None]
    return max(days, default=None)
