"""How counts, dates and percentages look on screen: Russian style in ru, plain English style in en.

Money has its own home, domain.money (the exact text, through Decimal, never a float).
"""

from __future__ import annotations

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


def day_expr(value: pl.Expr, language: str = "ru") -> pl.Expr:
    """`day` over a column of dates."""
    return value.dt.strftime("%d.%m.%Y" if language == "ru" else "%Y-%m-%d")


def percent(value: Decimal | None, language: str = "ru") -> str:
    if value is None:
        return "—"
    text = f"{value}"
    return (text.replace(".", ",") + "\u00a0%") if language == "ru" else f"{text}%"
