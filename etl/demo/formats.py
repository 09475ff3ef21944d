"""How the demo spells things in its files: column headers, amounts, VAT and dates.

Amounts are integer kopecks all the way and become text here without a float on the way.
"""

from __future__ import annotations

from datetime import date

HEADERS: dict[str, tuple[str, ...]] = {
    "counterparties": ("counterparty_id", "name", "inn", "kpp", "manager", "email", "group"),
    "contracts": (
        "contract_id",
        "counterparty_id",
        "number",
        "date",
        "currency",
        "terms_days",
        "terms_basis",
        "credit_limit",
    ),
    "shipments": ("document_id", "contract_id", "date", "amount", "number", "due_date", "vat", "warehouse", "deleted"),
    "returns": ("document_id", "contract_id", "date", "amount", "shipment_id", "number", "deleted"),
    "adjustments": ("document_id", "contract_id", "date", "amount", "shipment_id", "number", "deleted"),
    "payments": ("document_id", "date", "amount", "contract_id", "counterparty_id", "number", "purpose"),
    "allocations": ("payment_id", "shipment_id", "amount"),
    "opening_balances": ("document_id", "contract_id", "date", "amount", "due_date", "number"),
    "calendar": ("date", "kind"),
}


def vat(kop: int) -> int:
    """VAT included at 20%: amount * 20 / 120, rounded half up, in integer kopecks."""
    return (kop + 3) // 6


def weekday(ordinal: int) -> int:
    """date.weekday() without building a date: date.fromordinal(1) is a Monday."""
    return (ordinal - 1) % 7


class Dates:
    """Cached date texts: the same few hundred days are formatted millions of times."""

    def __init__(self) -> None:
        self._iso: dict[int, str] = {}
        self._ru: dict[int, str] = {}

    def iso(self, ordinal: int) -> str:
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def ru(self, ordinal: int) -> str:
        text = self._ru.get(ordinal)
        if text is None:
            text = self._ru[ordinal] = date.fromordinal(ordinal).strftime("%d.%m.%Y")
        return text
