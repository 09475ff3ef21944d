"""Reminders wait for the bank: a run that sends holds while the bank data stops short of the previous
working day, since a client may have paid yesterday and a reminder for a paid invoice costs goodwill.

The bank data reaches the later of the last day a loaded statement covers (its ДатаКонца) and the latest
payment received (queries.status.bank_data_through). `[reminders] bank_fresh_days` (default 1) is how
many working days back it must reach, on the official calendar with the warehouse's overrides; 0 turns the
check off. A dry run never holds: it shows what would go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from dashboard.formatting import day
from dashboard.i18n import translate
from queries.status import bank_data_through
from warehouse.calendar import work_calendar


@dataclass(frozen=True)
class BankCheck:
    as_of: date
    through: date | None  # the last day the bank data covers; None: no statement or payment ever loaded
    needed: date | None  # the day it must reach; None: the check is off

    @property
    def holds(self) -> bool:
        return self.needed is not None and (self.through is None or self.through < self.needed)

    def describe(self, language: str = "en") -> str:
        """Why the reminders wait, in the reader's language (the CLI prints English)."""
        if self.through is None:
            return translate("reminders.bank_hold.none", language, needed=day(self.needed, language))
        return translate(
            "reminders.bank_hold.stale",
            language,
            through=day(self.through, language),
            needed=day(self.needed, language),
        )


def bank_check(conn: Connection, *, as_of: date, fresh_days: int) -> BankCheck:
    """Whether the bank data is fresh enough to send reminders on `as_of`."""
    through = bank_data_through(conn)
    if fresh_days <= 0:
        return BankCheck(as_of, through, None)
    return BankCheck(as_of, through, work_calendar(conn).add_working_days(as_of, -fresh_days))
