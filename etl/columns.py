"""The source entities' columns: which each entity has and requires, its key, and the headings a file
may give them (contract section 1: canonical names, Russian aliases as 1C users write them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntitySpec:
    name: str
    key: tuple[str, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


ENTITIES: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        EntitySpec("calendar", ("date",), ("date", "kind"), ()),
        EntitySpec(
            "counterparties",
            ("counterparty_id",),
            ("counterparty_id", "name"),
            # `deleted` is read only to refuse the row: see validate_counterparty.
            ("inn", "kpp", "manager", "email", "group", "deleted"),
        ),
        EntitySpec(
            "contracts",
            ("contract_id",),
            ("contract_id", "counterparty_id"),
            ("number", "date", "currency", "terms_days", "terms_basis", "credit_limit", "deleted"),
        ),
        EntitySpec(
            "opening_balances",
            ("document_id",),
            ("document_id", "contract_id", "date", "amount"),
            ("due_date", "number"),
        ),
        EntitySpec(
            "shipments",
            ("document_id",),
            ("document_id", "contract_id", "date", "amount"),
            ("number", "due_date", "vat", "warehouse", "deleted"),
        ),
        EntitySpec(
            "returns",
            ("document_id",),
            ("document_id", "contract_id", "date", "amount"),
            ("shipment_id", "number", "deleted"),
        ),
        EntitySpec(
            "adjustments",
            ("document_id",),
            ("document_id", "contract_id", "date", "amount"),
            ("shipment_id", "number", "deleted"),
        ),
        EntitySpec(
            "payments",
            ("document_id",),
            ("document_id", "date", "amount"),
            ("contract_id", "counterparty_id", "number", "purpose", "currency", "deleted"),
        ),
        EntitySpec("allocations", ("payment_id", "shipment_id"), ("payment_id", "shipment_id", "amount"), ()),
    )
}

# Russian column names as 1C users write them in their own exports.
ALIASES: dict[str, str] = {
    "ид": "document_id",
    "номер": "number",
    "дата": "date",
    "сумма": "amount",
    "договор": "contract_id",
    "ид договора": "contract_id",
    "контрагент": "counterparty_id",
    "ид контрагента": "counterparty_id",
    "наименование": "name",
    "инн": "inn",
    "кпп": "kpp",
    "менеджер": "manager",
    "ответственный": "manager",
    "группа": "group",
    "срок оплаты": "due_date",
    "дата оплаты": "due_date",
    "ндс": "vat",
    "склад": "warehouse",
    "пометка удаления": "deleted",
    "удален": "deleted",
    "назначение платежа": "purpose",
    "валюта": "currency",
    "отсрочка": "terms_days",
    "отсрочка дней": "terms_days",
    "кредитный лимит": "credit_limit",
    "лимит": "credit_limit",
    "реализация": "shipment_id",
    "оплата": "payment_id",
    "вид": "kind",
}


def normalize_column(name: str) -> str:
    cleaned = " ".join(name.replace("\ufeff", "").strip().strip('"').lower().replace("_", " ").split())
    if cleaned in ALIASES:
        return ALIASES[cleaned]
    return cleaned.replace(" ", "_")


def record_key(entity: str, row: dict[str, str]) -> str:
    """The key as written in the file, for reject bookkeeping (even when the row is invalid)."""
    return "|".join(row.get(column, "").strip() for column in ENTITIES[entity].key)
