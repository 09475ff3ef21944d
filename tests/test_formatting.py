"""Screen formats, checked digit by digit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dashboard.formatting import day, percent
from domain.money import money, money_short

NB = "\u00a0"


def test_money_in_russian_and_english() -> None:
    assert money(123_456_789, "ru") == f"1{NB}234{NB}567,89{NB}₽"
    assert money(-5, "ru", "USD") == f"-0,05{NB}USD"
    assert money(123_456_789, "en") == "1,234,567.89 RUB"
    assert money(None) == ""


def test_short_money_for_tiles() -> None:
    assert money_short(1_234_567_890, "ru") == f"12,3{NB}млн{NB}₽"  # 12 345 678,90 rubles
    assert money_short(1_234_567_890, "en") == f"12.3M{NB}RUB"
    assert money_short(99_950, "ru") == f"1{NB}000{NB}₽"  # 999,50 rubles: under a thousand, whole rubles
    assert money_short(250_000_000_000, "ru") == f"2,5{NB}млрд{NB}₽"
    assert money_short(-4_560_000, "ru") == f"-45,6{NB}тыс.{NB}₽"


def test_dates_and_percents() -> None:
    assert day(date(2025, 3, 1), "ru") == "01.03.2025"
    assert day(date(2025, 3, 1), "en") == "2025-03-01"
    assert percent(Decimal("12.5"), "ru") == f"12,5{NB}%"
    assert percent(None) == "—"
