"""What one demo run shares across its steps: the seeded random source, the window, the customers,
the counts and the files written so far.

Everything is driven by one ``random.Random(seed)`` consumed in a fixed order by the steps, in the
order :func:`etl.demo.generator.write_demo_source` runs them.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from etl.demo.company import Bank
from etl.demo.formats import Dates
from etl.demo.names import Names
from etl.demo.workdays import WorkDays, company_overrides

STATEMENT_DAYS = 30  # the bank statement covers the last 30 days
WINDOW_DAYS = 731  # two years of shipments up to and including `end`
NEVER = 10**9  # "never" as an ordinal

COUNTS = (
    "counterparties",
    "contracts",
    "opening_balances",
    "shipments",
    "shipments_deleted",
    "returns",
    "adjustments",
    "payments",
    "allocations",
    "calendar",
    "bank_payments",
    "bank_unidentified",
    "bank_outgoing",
    "bad_rows",
)


@dataclass(slots=True, eq=False)
class Contract:
    idx: int
    contract_id: str
    cp: Counterparty
    date_ord: int
    currency: str
    divisor: int  # rubles per unit of the contract currency, for amounts
    terms: int
    working: bool
    limit_kop: int | None
    weight: float
    number: str = ""
    date_ru: str = ""
    # Not yet settled by the customer: > 0 it still owes (a weight surcharge), < 0 a credit
    # (an advance, a return after payment) that it nets off its next payment, as customers do.
    offset: int = 0


@dataclass(slots=True, eq=False)
class Counterparty:
    idx: int
    counterparty_id: str
    name: str
    inn: str
    kpp: str
    manager: str
    email: str
    group: str
    region: str
    warehouse: str
    weight: float
    mean_kop: float
    behaviour: str
    ship_from: int
    ship_to: int
    stop_pay: int
    no_contract_share: float
    batch_day: int  # weekday of its payment registry runs, -1 = pays shipment by shipment
    account: str
    bank: Bank
    pp_no: int
    contracts: list[Contract] = field(default_factory=list)
    # The habit's own number of days, drawn once per customer (customers.py): how many days late a
    # "late" one pays, how many days before the due date an "early" one does, how many days late a
    # "slowing" one is by the day it stops paying.
    delay: int = 0
    slow_from: int = NEVER  # a "slowing" customer's payments get later from this day on
    period: int = 0  # months a batch payer's period spans: 1 (month end) or 3 (quarter end)
    pooled: bool = False  # pays all it owes on one date in one payment per contract (registry, batch)


class Run:
    """One demo run: `scale` shipments over the two years up to `end`, written into `folder`."""

    def __init__(self, folder: Path, scale: int, seed: int, end: date) -> None:
        self.folder = folder
        self.scale = scale
        self.rng = random.Random(seed)
        self.randint = _fast_randint(self.rng)
        self.end = end.toordinal()
        self.start = self.end - WINDOW_DAYS + 1
        # The cut-over: opening balances are the debt as at the close of the day before the window.
        self.ob_ord = self.start - 1
        self.stmt_start = self.end - STATEMENT_DAYS + 1
        self.dates = Dates()
        self.counts: dict[str, int] = dict.fromkeys(COUNTS, 0)
        self.files: list[Path] = []
        self.names = Names(self.rng)
        self.holidays, self.workdays = company_overrides(self.start, self.end)
        self.cal = WorkDays(self.start - 1500, self.end + 600, self.holidays, self.workdays)
        self.cps: list[Counterparty] = []
        self.contracts: list[Contract] = []
        # Orders pending documents of every kind: seq makes their order total and deterministic.
        self.seq = 0

    def open_csv(self, name: str, encoding: str, delimiter: str, crlf: bool = False) -> tuple[Any, Any]:
        """(handle, csv writer) of a new file in the folder; CRLF line ends the way Windows writes."""
        path = self.folder / name
        self.files.append(path)
        handle = path.open("w", encoding=encoding, newline="")
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
        return handle, writer


def _fast_randint(rng: random.Random) -> Callable[[int, int], int]:
    rnd = rng.random

    def randint(a: int, b: int) -> int:
        # random.randint costs ~1 us through randrange; millions of calls make that seconds.
        return a + int(rnd() * (b - a + 1))

    return randint
