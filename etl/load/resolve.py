"""References by name: a row's counterparty and contract as 1C lists and EDO documents give them.

A list saved from 1C names the counterparty (`ООО «Ромашка»`) and the contract (`Договор № 15/2025 от
10.01.2025`, `Основной договор`) rather than their codes; a УПД names its buyer by INN and its contract by the
basis of transfer. Before a row is validated, its counterparty_id and contract_id are made ids (contract
section 1, "Lists and reports saved from 1C"):

- a counterparty: the value as an id, else the counterparty with that INN, else with that name (case,
  quotes and spaces aside);
- a contract: the value as an id, else among the counterparty's contracts (all contracts when the row names
  no counterparty) the one with that name, or whose «Договор № N от D» it is, or with that number; with no
  value, the counterparty's only contract in the row's currency.

A value that matches nothing, or several, is a `reference` reject that lists the candidates: it is retried at
every later load, as any reference that does not exist yet. Rows with ids that exist cost one dict lookup.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from domain.currencies import currency_code
from domain.entities import DOCUMENT_KIND, contract_title
from domain.errors import InvalidValue
from etl.load.known import ContractRef, Known
from etl.parsing import parse_date
from etl.validation import RowError

_QUOTES = re.compile(r"[«»\"'“”„]")
_TITLE = re.compile(
    r"^(?:договор\w*)?\s*(?:№|n|no\.?)?\s*(?P<number>.+?)\s+от\s+(?P<date>\S+)(?:\s*г\.?)?$", re.IGNORECASE
)
_MAX_LISTED = 5  # candidates named in a reject
DOCUMENT_ENTITIES = frozenset(DOCUMENT_KIND)


def folded(text: str) -> str:
    """A name as compared: case, quotes and runs of spaces aside."""
    return " ".join(_QUOTES.sub(" ", text).casefold().split())


@dataclass
class _Indexes:
    by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_inn: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    contracts_of: dict[str, list[tuple[str, ContractRef]]] = field(default_factory=lambda: defaultdict(list))


class Resolver:
    """Names to ids against what the load knows; rebuilt when counterparties or contracts change."""

    def __init__(self, known: Known) -> None:
        self.known = known
        self._indexes: _Indexes | None = None
        self._version = -1

    def _index(self) -> _Indexes:
        if self._indexes is None or self._version != self.known.version:
            indexes = _Indexes()
            for counterparty_id, inn in self.known.counterparties.items():
                if inn:
                    indexes.by_inn[inn].append(counterparty_id)
                name = self.known.names.get(counterparty_id, "")
                if name:
                    indexes.by_name[folded(name)].append(counterparty_id)
            for contract_id, contract in sorted(self.known.contracts.items()):
                indexes.contracts_of[contract.counterparty_id].append((contract_id, contract))
            self._indexes, self._version = indexes, self.known.version
        return self._indexes

    # -- counterparties

    def counterparty(self, value: str, column: str = "counterparty_id") -> str:
        value = value.strip()
        if value in self.known.counterparties:
            return value
        index = self._index()
        found = index.by_inn.get(value) or index.by_name.get(folded(value)) or []
        if len(found) == 1:
            return found[0]
        if found:
            raise RowError(column, value, f"several counterparties are called so: {_listed(sorted(found))}", True)
        near = sorted(name for name in index.by_name if folded(value)[:6] and name.startswith(folded(value)[:6]))
        hint = f"; similar: {_listed(near)}" if near else ""
        raise RowError(column, value, f"unknown counterparty (no such code, INN or name){hint}", True)

    # -- contracts

    def contract(self, values: dict[str, str], counterparty_id: str | None) -> str:
        """The row's contract id; RowError (a reference) naming the candidates when it is not one."""
        value = values.get("contract_id", "").strip()
        if value and value in self.known.contracts:
            return value
        candidates = (
            self._index().contracts_of.get(counterparty_id, [])
            if counterparty_id is not None
            else [item for items in self._index().contracts_of.values() for item in items]
        )
        whose = f" of counterparty {counterparty_id}" if counterparty_id else ""
        if value:
            found = self._by_text(value, candidates)
            shown = value
        elif values.get("contract_number", "").strip():
            number, day = values["contract_number"].strip(), _date(values.get("contract_date", ""))
            found = _by_number(number, day, candidates)
            shown = contract_title(number, day)
        elif counterparty_id is not None:
            return _only_contract(candidates, counterparty_id, _currency(values.get("currency", "")))
        else:
            raise RowError("contract_id", "", "required value is empty")
        if len(found) == 1:
            return found[0][0]
        if found:
            raise RowError(
                "contract_id", shown, f"several contracts{whose} match: {_listed([_shown(c) for c in found])}", True
            )
        known = f"; its contracts: {_listed([_shown(c) for c in candidates])}" if candidates and counterparty_id else ""
        raise RowError("contract_id", shown, f"unknown contract{whose}{known}", True)

    def _by_text(self, text: str, candidates: list[tuple[str, ContractRef]]) -> list[tuple[str, ContractRef]]:
        """By name (as 1C shows it), else by «Договор № N от D», else by number."""
        key = folded(text)
        found = [
            c for c in candidates if key in (folded(c[1].name), folded(contract_title(c[1].number, c[1].contract_date)))
        ]
        if found:
            return found
        match = _TITLE.match(" ".join(text.split()))
        if match:
            return _by_number(match["number"], _date(match["date"]), candidates)
        return _by_number(text, None, candidates)


def _only_contract(candidates: list[tuple[str, ContractRef]], counterparty_id: str, currency: str | None) -> str:
    """No contract named: the counterparty's only contract in the row's currency (any, when it gives none)."""
    found = [c for c in candidates if currency is None or c[1].currency == currency]
    if len(found) == 1:
        return found[0][0]
    within = f" in {currency}" if currency else ""
    if found:
        listed = _listed([_shown(c) for c in found])
        raise RowError(
            "contract_id",
            "",
            f"no contract named, and counterparty {counterparty_id} has several{within}: {listed}",
            True,
        )
    raise RowError("contract_id", "", f"no contract named, and counterparty {counterparty_id} has none{within}", True)


def _currency(text: str) -> str | None:
    """The row's currency as an ISO code (`руб.`, `643` and the like read as the validation reads them)."""
    try:
        return currency_code(text)
    except InvalidValue:
        return text.strip().upper()  # a code of no currency we know: no contract is in it


def _by_number(
    number: str, day: date | None, candidates: list[tuple[str, ContractRef]]
) -> list[tuple[str, ContractRef]]:
    key = folded(number).lstrip("№ ").strip()
    found = [c for c in candidates if c[1].number and folded(c[1].number) == key]
    if len(found) > 1 and day is not None:
        found = [c for c in found if c[1].contract_date == day] or found
    return found


def _date(text: str) -> date | None:
    try:
        return parse_date(text) if text.strip() else None
    except InvalidValue:
        return None


def _shown(item: tuple[str, ContractRef]) -> str:
    contract_id, contract = item
    return f"{contract.name or contract_title(contract.number, contract.contract_date)} ({contract_id})"


def _listed(items: list[str]) -> str:
    more = len(items) - _MAX_LISTED
    return ", ".join(items[:_MAX_LISTED]) + (f" and {more} more" if more > 0 else "")


def resolved(entity: str, values: dict[str, str], resolver: Resolver) -> dict[str, str]:
    """The row's values with its counterparty and contract as ids (a copy when anything changed; the row's
    own values stay as the file wrote them, to be retried as they were)."""
    known = resolver.known
    counterparty = values.get("counterparty_id", "").strip()
    if entity == "contracts":
        if not counterparty or counterparty in known.counterparties:
            return values
        return {**values, "counterparty_id": resolver.counterparty(counterparty)}
    if entity not in DOCUMENT_ENTITIES:
        return values
    contract = values.get("contract_id", "").strip()
    if not counterparty and (contract in known.contracts or (entity == "payments" and not contract)):
        return values  # ids, as canonical files give them
    out = dict(values)
    counterparty_id = resolver.counterparty(counterparty) if counterparty else None
    if counterparty_id is not None:
        out["counterparty_id"] = counterparty_id
    shipment_id = values.get("shipment_id", "").strip()
    if not contract and shipment_id and entity in ("returns", "adjustments"):
        # A correction (УКД) names the shipment it changes, not a contract: the shipment's contract.
        found = known.shipment_contract(shipment_id)
        if found is None:
            raise RowError("shipment_id", shipment_id, "unknown shipment", True)
        out["contract_id"] = found
        return out
    named = bool(contract or values.get("contract_number", "").strip())
    if named or (counterparty_id is not None and entity != "payments"):
        # Without either, a payment is the counterparty's as a whole, and any other document is left to
        # validation to say what is missing.
        out["contract_id"] = resolver.contract(values, counterparty_id)
    return out
