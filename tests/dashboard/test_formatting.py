"""Screen formats of dashboard/formatting.py (dates, percents), checked digit by digit; money's are
tests/domain/test_money.py's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dashboard.formatting import day, percent

NB = "\u00a0"


def test_dates_and_percents() -> None:
    assert day(date(2025, 3, 1), "ru") == "01.03.2025"
    assert day(date(2025, 3, 1), "en") == "2025-03-01"
    assert percent(Decimal("12.5"), "ru") == f"12,5{NB}%"
    assert percent(None) == "—"
