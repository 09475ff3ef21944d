"""How counts, dates and percentages look on screen: Russian style in ru, plain English style in en.

Money has its own home, domain.money (the exact text, through Decimal, never a float).
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import polars as pl


def count(value: int, language: str = "ru") -> str:
    """A whole number with grouped thousands: ``51 234`` (ru) or ``51,234`` (en)."""
    return f"{value:,}".replace(",", "\u00a0") if language == "ru" else f"{value:,}"


def day(value: date | None, language: str = "ru") -> str:
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y") if language == "ru" else value.isoformat()


def date_pattern(language: str = "ru") -> str:
    """`day`'s form as Streamlit's date pickers and date columns spell it: ``DD.MM.YYYY`` (ru) or
    ``YYYY-MM-DD`` (en)."""
    return "DD.MM.YYYY" if language == "ru" else "YYYY-MM-DD"


def day_expr(value: pl.Expr, language: str = "ru") -> pl.Expr:
    """`day` over a column of dates."""
    return value.dt.strftime("%d.%m.%Y" if language == "ru" else "%Y-%m-%d")


def percent(value: Decimal | None, language: str = "ru") -> str:
    if value is None:
        return "—"
    text = f"{value}"
    return (text.replace(".", ",") + "\u00a0%") if language == "ru" else f"{text}%"


def fraction(value: float | None, language: str = "ru", places: int = 1) -> str:
    """A measured quantity (seconds, kilobytes, percent, days) with `places` decimals: ``13 626,1`` (ru),
    ``13,626.1`` (en); empty for none. Money is not this: it is exact, in domain.money."""
    if value is None or math.isnan(value):
        return ""
    text = f"{value:,.{places}f}"
    return text.replace(",", "\u00a0").replace(".", ",") if language == "ru" else text
