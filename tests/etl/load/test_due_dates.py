"""The documents stage's due dates column-wise (etl.load.documents._due_dates) against Known.due_date, the
reference, row by row: contracts of different terms and bases, terms shared by several contracts, rows
without a contract or with one the load does not know, a debit's own due date, credits, days around
holidays and weekends, rows left out by the caller's filter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl

from domain.calendar import CALENDAR, WORKING, WorkCalendar
from etl.load.documents import _due_dates
from etl.load.known import ContractRef, Known

TERMS = {
    "C1": (10, CALENDAR),
    "C2": (5, WORKING),
    "C3": (10, CALENDAR),  # the same terms as C1
    "C4": (0, CALENDAR),
    "C5": (0, WORKING),
    "C6": (45, WORKING),
}
SCHEMA = {
    "contract_id": pl.String,
    "doc_date": pl.Date,
    "side": pl.Int64,
    "own_due_date": pl.Date,
    "deleted": pl.Boolean,
}


def _known() -> Known:
    contracts = {cid: ContractRef("K1", "RUB", cid, days, basis, None, cid) for cid, (days, basis) in TERMS.items()}
    return Known(None, contracts=contracts, calendar=WorkCalendar.default())  # type: ignore[arg-type]


def _rows() -> list[dict[str, Any]]:
    rows = []
    days = [date(2024, 12, 27) + timedelta(days=n) for n in range(20)] + [date(2025, 5, 1), date(2025, 6, 11)]
    contracts = [*TERMS, None, "C9"]  # C9: a contract the load does not know
    for place, day in enumerate(days):
        for turn, contract in enumerate(contracts):
            n = place * len(contracts) + turn
            rows.append(
                {
                    "contract_id": contract,
                    "doc_date": day,
                    "side": -1 if n % 7 == 3 else 1,
                    "own_due_date": day + timedelta(days=3) if n % 5 == 1 else None,
                    "deleted": n % 11 == 4,
                }
            )
    return rows


def _reference(known: Known, rows: list[dict[str, Any]]) -> list[date | None]:
    return [known.due_date(row) for row in rows]


def test_due_dates_are_the_reference_ones_row_by_row() -> None:
    known, rows = _known(), _rows()
    frame = pl.DataFrame(rows, schema=SCHEMA)
    assert frame.select(_due_dates(frame, known)).to_series().to_list() == _reference(known, rows)


def test_rows_left_out_by_the_filter_do_not_change_the_others() -> None:
    known, rows = _known(), _rows()
    frame = pl.DataFrame(rows, schema=SCHEMA)
    keep = ~pl.col("deleted")
    kept = [row for row in rows if not row["deleted"]]
    assert frame.filter(keep).select(_due_dates(frame, known, keep)).to_series().to_list() == _reference(known, kept)


def test_no_rows_and_no_contracts() -> None:
    empty = pl.DataFrame([], schema=SCHEMA)
    assert empty.select(_due_dates(empty, _known())).to_series().to_list() == []
    rows = _rows()
    bare = Known(None, calendar=WorkCalendar.default())  # type: ignore[arg-type]
    frame = pl.DataFrame(rows, schema=SCHEMA)
    assert frame.select(_due_dates(frame, bare)).to_series().to_list() == _reference(bare, rows)
