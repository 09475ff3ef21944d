"""The entities of the source contract (section 1): the order they load in and what each becomes."""

from __future__ import annotations

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
