"""shipments_<year>.csv, one file per calendar year (UTF-8 with BOM, ``,``, ``1234.56``), day by day.

The day loop drives the whole movement of goods and money: each day it writes that day's shipments,
has each one settled by its customer's habits (habits.py), and writes the payments and corrections
whose date it has passed. Memory stays flat at any scale: nothing but a few months of pending
documents is kept.
"""

from __future__ import annotations

import bisect
from datetime import date
from itertools import accumulate
from typing import Any

from domain.money import format_money
from etl.demo.corrections import Corrections
from etl.demo.customers import WAREHOUSES
from etl.demo.formats import HEADERS, vat
from etl.demo.habits import Habits
from etl.demo.opening import write_opening_balances
from etl.demo.payments import Payments, StatementDoc
from etl.demo.state import Counterparty, Run

_MONTH_FACTOR = (0.62, 0.85, 1.10, 1.15, 1.06, 0.95, 0.90, 0.92, 1.00, 1.05, 1.14, 1.30)
_WEEKDAY_FACTOR = (1.05, 1.0, 1.0, 1.0, 1.1, 0.22, 0.012)  # Mon..Sun: Sunday shipments are rare
_WORKING_WEEKEND_FACTOR = 1.0  # a Saturday made a working day by a transfer or the company
_HOLIDAY_FACTOR = 0.04  # a day off that falls on a weekday
_DELETED_EVERY = 20_000  # one cancelled document 1C still exports, marked deleted, per so many


def _day_counts(run: Run) -> list[int]:
    """Shipments per day: seasonality x weekday x growth, drawn as a multinomial of exactly `scale`.

    The calendar decides which days are days off: a holiday (or a bridge day) that falls on a
    weekday sells a few percent of a weekday, a working Saturday sells like a weekday.
    """
    weights = []
    span = run.end - run.start + 1
    for i in range(span):
        d = date.fromordinal(run.start + i)
        weekday = d.weekday()
        if run.cal.is_working(run.start + i):
            factor = _WEEKDAY_FACTOR[weekday] if weekday < 5 else _WORKING_WEEKEND_FACTOR
        else:
            factor = _WEEKDAY_FACTOR[weekday] * (_HOLIDAY_FACTOR if weekday < 5 else 1.0)
        w = _MONTH_FACTOR[d.month - 1] * factor * (1 + 0.12 * i / span)
        if d.month == 12 and d.day >= 15:
            w *= 1.3  # the pre-New Year rush
        weights.append(w)
    cum = list(accumulate(weights))
    total = cum[-1]
    counts = [0] * span
    rnd = run.rng.random
    for _ in range(run.scale):
        counts[min(bisect.bisect(cum, rnd() * total), span - 1)] += 1
    return counts


class _ShipmentFiles:
    """The open shipments file of the current year, its УПД numbering and the shipment ids."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.handle: Any = None
        self.writer: Any = None
        self.year = 0
        self.sid = 0  # shipment ids, valid or not
        self.upd = 0  # УПД numbers, which restart every year as in 1C

    def day(self, year: int) -> None:
        if year != self.year:
            if self.handle is not None:
                self.handle.close()
            self.year = year
            self.upd = 0
            self.handle, self.writer = self.run.open_csv(f"shipments_{year}.csv", "utf-8-sig", ",")
            self.writer.writerow(HEADERS["shipments"])

    def next_ids(self) -> tuple[str, str]:
        """(document id, УПД number) of the next row."""
        self.upd += 1
        self.sid += 1
        return f"S{self.sid:07d}", f"УПД-{self.upd:06d}"

    def bad_february(self, cp: Counterparty) -> None:
        """Bad row: 31 February, in that year's file, in the Russian date style."""
        ship_id, number = self.next_ids()
        ctr = cp.contracts[0]
        row = (ship_id, ctr.contract_id, f"31.02.{self.year}", "15600.00", number, "", "2600.00", cp.warehouse, "0")
        self.writer.writerow(row)
        self.run.counts["bad_rows"] += 1

    def bad_midway(self, cp: Counterparty, d: int) -> None:
        """Bad rows: an amount with a comma for thousands (12,345), and an unknown contract."""
        ctr = cp.contracts[0]
        iso = self.run.dates.iso(d)
        ship_id, number = self.next_ids()
        self.writer.writerow((ship_id, ctr.contract_id, iso, "12,345", number, "", "2,06", cp.warehouse, "0"))
        ship_id, number = self.next_ids()
        tax = format_money(vat(4_821_000))
        self.writer.writerow((ship_id, "C99999", iso, "48210.00", number, "", tax, cp.warehouse, "0"))
        self.run.counts["bad_rows"] += 2

    def close(self) -> None:
        self.handle.close()


def write_movements(run: Run) -> list[StatementDoc]:
    """Write opening balances, shipments, returns, adjustments, payments and allocations.

    Returns the payments of the statement's days, which only the bank statement carries.
    """
    rng = run.rng
    rnd = rng.random
    randint = run.randint
    dates = run.dates
    cal = run.cal
    cps = run.cps
    cum = list(accumulate(cp.weight for cp in cps))
    total = cum[-1]

    corrections = Corrections(run)
    payments = Payments(run)
    habits = Habits(run, payments, corrections)
    write_opening_balances(run, habits)

    files = _ShipmentFiles(run)
    written = 0  # valid shipments
    first_ship: tuple[str, str] | None = None
    bad_feb_done = False
    bad_mid_done = False
    half = run.scale // 2

    for day_index, n_today in enumerate(_day_counts(run)):
        d = run.start + day_index
        corrections.flush(d)
        # Prepayments are dated up to 5 days before their shipment: keep a week open.
        payments.flush(d - 7)
        the_date = date.fromordinal(d)
        files.day(the_date.year)
        if not bad_feb_done and the_date.month == 3:
            files.bad_february(cps[-1])
            bad_feb_done = True
        if not bad_mid_done and written >= half:
            files.bad_midway(cps[0], d)
            bad_mid_done = True
        iso_d = dates.iso(d)
        for _ in range(n_today):
            # Customer: by size, among those buying on this day.
            for _try in range(30):
                cp = cps[bisect.bisect(cum, rnd() * total)]
                if cp.ship_from <= d <= cp.ship_to:
                    break
            else:
                cp = next((c for c in cps if c.ship_from <= d <= c.ship_to), cps[0])
            # Contract: among those signed by now; the renewed one takes most of the volume.
            active_w = 0.0
            for c in cp.contracts:
                if c.date_ord <= d:
                    active_w += c.weight
            r = rnd() * active_w
            ctr = cp.contracts[0]
            for c in cp.contracts:
                if c.date_ord <= d:
                    ctr = c
                    r -= c.weight
                    if r < 0:
                        break
            amount = int(cp.mean_kop * rng.lognormvariate(-0.18, 0.6) / ctr.divisor) + randint(0, 99)
            amount = max(amount, 50_000 // ctr.divisor)
            ship_id, number = files.next_ids()
            if first_ship is None:
                first_ship = (ship_id, ctr.contract_id)
            warehouse = cp.warehouse if rnd() < 0.85 else WAREHOUSES[randint(0, len(WAREHOUSES) - 1)]
            if rnd() < 0.02:
                # A one-off deferral agreed for this delivery: the document's own due date.
                due = d + (45, 60, 90)[randint(0, 2)]
                due_text = dates.iso(due)
            else:
                due = cal.due(d, ctr.terms, ctr.working)
                due_text = ""
            amount_text = format_money(amount)
            vat_text = format_money(vat(amount))
            row = (ship_id, ctr.contract_id, iso_d, amount_text, number, due_text, vat_text, warehouse, "0")
            files.writer.writerow(row)
            written += 1
            if written % _DELETED_EVERY == _DELETED_EVERY // 2 or written == half:
                # A cancelled document that 1C still exports, marked deleted: it must not load.
                deleted_id, deleted_number = files.next_ids()
                row = (deleted_id, ctr.contract_id, iso_d, amount_text, deleted_number, "", vat_text, warehouse, "1")
                files.writer.writerow(row)
                run.counts["shipments_deleted"] += 1
            habits.settle(cp, ctr, d, amount, due, ship_id, number)

    if not bad_mid_done:
        files.bad_midway(cps[0], run.end)
    assert first_ship is not None
    files.close()
    run.counts["shipments"] = written
    corrections.close(first_ship)
    payments.close(first_ship[0])
    return payments.statement_docs
