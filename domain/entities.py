"""The entities of the source contract (section 1): the order they load in and what each becomes."""

from __future__ import annotations

from datetime import date

# Load order: references point backwards in this list.
LOAD_ORDER = (
    "calendar",
    "counterparties",
    "contracts",
    "opening_balances",
    "shipments",
    "returns",
    "adjustments",
    "payments",
    "allocations",
)

# The document kind each document entity is stored as.
DOCUMENT_KIND = {
    "shipments": "shipment",
    "returns": "return",
    "adjustments": "adjustment",
    "payments": "payment",
    "opening_balances": "opening",
}

# Payments read from 1C bank statements: counted apart from the payments files they join.
BANK_PAYMENTS = "bank_payments"


def contract_title(number: str, signed: date | None) -> str:
    """A contract as 1C names it when it has no name of its own: «Договор № 15/2025 от 10.01.2025»."""
    return f"Договор № {number}" + (f" от {signed:%d.%m.%Y}" if signed else "")
