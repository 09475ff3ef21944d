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
            ("number", "date", "currency", "terms_days", "terms_basis", "credit_limit", "name", "deleted"),
        ),
        EntitySpec(
            "opening_balances",
            ("document_id",),
            ("document_id", "contract_id", "date", "amount"),
            ("due_date", "number", "counterparty_id"),
        ),
        EntitySpec(
            "shipments",
            ("document_id",),
            ("document_id", "contract_id", "date", "amount"),
            ("number", "due_date", "vat", "warehouse", "counterparty_id", "deleted"),
        ),
        EntitySpec(
            "returns",
            ("document_id",),
            ("document_id", "contract_id", "date", "amount"),
            ("shipment_id", "number", "counterparty_id", "deleted"),
        ),
        EntitySpec(
            "adjustments",
            ("document_id",),
            ("document_id", "contract_id", "date", "amount"),
            ("shipment_id", "number", "counterparty_id", "deleted"),
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


# Headings as 1C prints them in a list form («Вывести список…») or a report, where they differ by entity.
# `Код` is the entity's own id; `Контрагент`, `Владелец` and `Договор` may hold names (etl/load/resolve.py).
ENTITY_ALIASES: dict[str, dict[str, str]] = {
    "counterparties": {"код": "counterparty_id", "эл. почта": "email", "электронная почта": "email"},
    "contracts": {
        "код": "contract_id",
        "владелец": "counterparty_id",
        "контрагент": "counterparty_id",
        "валюта взаиморасчетов": "currency",
        "валюта взаиморасчётов": "currency",
        "срок оплаты (дней)": "terms_days",
        "срок оплаты, дней": "terms_days",
        "срок оплаты": "terms_days",
        "вид срока": "terms_basis",
        "допустимая сумма задолженности": "credit_limit",
    },
    **{
        entity: {"код": "document_id", "сумма документа": "amount", "сумма с ндс": "amount"}
        for entity in ("shipments", "returns", "adjustments", "payments", "opening_balances")
    },
}

# Files named as 1C users name them, by the start of the name (lower-cased), besides the entity names.
FILE_ALIASES: dict[str, str] = {
    "контрагенты": "counterparties",
    "договоры": "contracts",
    "реализация": "shipments",
    "отгрузки": "shipments",
    "поступлени": "payments",
    "оплаты": "payments",
    "возврат": "returns",
    "корректировк": "adjustments",
    "начальные остатки": "opening_balances",
}


def entity_of_name(file_name: str) -> str | None:
    """The entity a file holds, by the start of its name (case-insensitive), English or Russian."""
    name = file_name.lower()
    for prefix, entity in sorted(
        [*((e, e) for e in ENTITIES), *FILE_ALIASES.items()], key=lambda item: len(item[0]), reverse=True
    ):
        if name.startswith(prefix):
            return entity
    return None


# A file's own headings mapped to columns by a person: entity -> folded heading -> column, IGNORE to skip it.
# From the config's [columns.<entity>] and, per file layout, from the upload box (warehouse.mappings).
ColumnMaps = dict[str, dict[str, str]]
IGNORE = ""


def folded_heading(name: str) -> str:
    """A heading as headings are compared: BOM, quotes, case, underscores and runs of spaces aside."""
    return " ".join(name.replace("\ufeff", "").strip().strip('"').lower().replace("_", " ").split())


def column_maps(raw: dict[str, object]) -> ColumnMaps:
    """The config's [columns] section checked: `[columns.shipments]` `"Сумма с НДС" = "amount"`; a target is
    one of the entity's columns, or "ignore". ValueError naming what is wrong."""
    maps: ColumnMaps = {}
    for entity, section in raw.items():
        if entity not in ENTITIES:
            raise ValueError(f"[columns.{entity}]: no such entity (one of {', '.join(ENTITIES)})")
        if not isinstance(section, dict):
            raise ValueError(f'[columns.{entity}] must be a table of "heading" = "column"')
        for heading, column in section.items():
            target = str(column).strip()
            if target.lower() == "ignore":
                target = IGNORE
            elif target not in ENTITIES[entity].columns:
                raise ValueError(
                    f"[columns.{entity}] {heading!r} = {column!r}: not a column of {entity} "
                    f"({', '.join(ENTITIES[entity].columns)}, or ignore)"
                )
            maps.setdefault(entity, {})[folded_heading(str(heading))] = target
    return maps


def normalize_column(name: str, entity: str | None = None, mapping: dict[str, str] | None = None) -> str:
    """A heading as the canonical column it names (IGNORE: none): a person's mapping first, then the entity's
    1C headings, then the common aliases, else the heading itself in snake case."""
    cleaned = folded_heading(name)
    if mapping is not None and cleaned in mapping:
        return mapping[cleaned]
    if entity is not None and cleaned in ENTITY_ALIASES.get(entity, {}):
        return ENTITY_ALIASES[entity][cleaned]
    if cleaned in ALIASES:
        return ALIASES[cleaned]
    return cleaned.replace(" ", "_")


def record_key(entity: str, row: dict[str, str]) -> str:
    """The key as written in the file, for reject bookkeeping (even when the row is invalid)."""
    return "|".join(row.get(column, "").strip() for column in ENTITIES[entity].key)
