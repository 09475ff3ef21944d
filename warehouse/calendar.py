"""The working-day calendar a warehouse uses: the official one (domain.calendar) with the warehouse's own
overrides, the loaded `calendar` rows. Due dates, reminders and the load all take it from here."""

from __future__ import annotations

from sqlalchemy import Connection, select

from domain.calendar import WorkCalendar
from warehouse.schema import calendar_overrides


def work_calendar(conn: Connection) -> WorkCalendar:
    """The official calendar with the overrides loaded into this warehouse."""
    k = calendar_overrides
    return WorkCalendar.with_overrides(dict(conn.execute(select(k.c.day, k.c.kind)).all()))
