"""How numbers and dates look on screen: Russian style in ru, plain English style in en.

Money arrives as integer kopecks and is formatted through Decimal (etl.parsing owns the exact text);
never a float.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from etl.parsing import money_en, money_ru, to_decimal

CURRENCY_SIGNS = {"RUB": "₽"}


def money(kopecks: int | None, language: str = "ru", currency: str = "RUB") -> str:
    """``1 234 567,89 ₽`` (ru) or ``1,234,567.89 RUB`` (en); an empty cell for None."""
    if kopecks is None:
        return ""
    if language == "ru":
        return money_ru(kopecks, currency).replace(" ", "\u00a0")
    return money_en(kopecks, currency)


def money_short(kopecks: int, language: str = "ru", currency: str = "RUB") -> str:
    """Abbreviated for KPI tiles: ``12,3 млн ₽`` / ``12.3M RUB``; small amounts in full rubles."""
    rubles = to_decimal(kopecks)
    units = (
        [(Decimal(10) ** 9, "млрд"), (Decimal(10) ** 6, "млн"), (Decimal(10) ** 3, "тыс.")]
        if language == "ru"
        else [(Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "K")]
    )
    sign = CURRENCY_SIGNS.get(currency, currency) if language == "ru" else currency
    for size, label in units:
        if abs(rubles) >= size:
            value = (rubles / size).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            text = f"{value}".replace(".", ",") if language == "ru" else f"{value}"
            separator = "\u00a0" if language == "ru" else ""
            return f"{text}{separator}{label}\u00a0{sign}"
    whole = rubles.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{whole:,}".replace(",", "\u00a0") + f"\u00a0{sign}" if language == "ru" else f"{whole:,} {sign}"


def count(value: int, language: str = "ru") -> str:
    """A whole number with grouped thousands: ``51 234`` (ru) or ``51,234`` (en)."""
    return f"{value:,}".replace(",", "\u00a0") if language == "ru" else f"{value:,}"


def day(value: date | None, language: str = "ru") -> str:
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y") if language == "ru" else value.isoformat()


def percent(value: Decimal | None, language: str = "ru") -> str:
    if value is None:
        return "—"
    text = f"{value}"
    return (text.replace(".", ",") + "\u00a0%") if language == "ru" else f"{text}%"
