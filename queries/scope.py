"""Which counterparties a caller may see, applied in SQL by every query.

`Scope.everything()` for the CFO and credit controllers; `Scope.for_manager(name)` for a manager, who
sees only the counterparties whose `manager` is theirs. Filters the user picks (group, counterparty,
contract, currency) narrow a scope further; they never widen it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, FromClause, Select, and_, select, true

import warehouse


@dataclass(frozen=True)
class Scope:
    managers: tuple[str, ...] | None = None  # None: every manager's counterparties
    groups: tuple[str, ...] | None = None
    counterparty_ids: tuple[str, ...] | None = None
    contract_ids: tuple[str, ...] | None = None
    currencies: tuple[str, ...] | None = None

    @classmethod
    def everything(cls) -> Scope:
        return cls()

    @classmethod
    def for_manager(cls, manager: str) -> Scope:
        return cls(managers=(manager,))

    def narrowed(self, **filters: tuple[str, ...] | None) -> Scope:
        """The scope with more filters: each is intersected with what the scope allows, never widening it."""
        changes: dict[str, tuple[str, ...]] = {}
        for name, wanted in filters.items():
            if not wanted:
                continue
            allowed: tuple[str, ...] | None = getattr(self, name)
            changes[name] = tuple(wanted) if allowed is None else tuple(v for v in wanted if v in allowed)
        return replace(self, **changes)

    @property
    def restricts_counterparties(self) -> bool:
        return self.managers is not None or self.groups is not None or self.counterparty_ids is not None

    def counterparty_filter(self, counterparty_column: ColumnElement) -> ColumnElement[bool]:
        """A condition on a counterparty_id column: inside the scope's counterparties."""
        if not self.restricts_counterparties:
            return true()
        c = warehouse.counterparties
        conditions = []
        if self.managers is not None:
            conditions.append(c.c.manager.in_(self.managers))
        if self.groups is not None:
            conditions.append(c.c.group_name.in_(self.groups))
        if self.counterparty_ids is not None:
            conditions.append(c.c.counterparty_id.in_(self.counterparty_ids))
        return counterparty_column.in_(select(c.c.counterparty_id).where(and_(*conditions)))

    def document_filter(self, documents: FromClause = warehouse.documents) -> ColumnElement[bool]:
        """The scope as a condition on a documents-like table (counterparty, contract, currency)."""
        conditions = [self.counterparty_filter(documents.c.counterparty_id)]
        if self.contract_ids is not None:
            conditions.append(documents.c.contract_id.in_(self.contract_ids))
        if self.currencies is not None:
            conditions.append(documents.c.currency.in_(self.currencies))
        return and_(*conditions)

    def apply(self, query: Select, documents: FromClause = warehouse.documents) -> Select:
        return query.where(self.document_filter(documents))
