"""Entities of the source folder (contract section 1) and the validation of one row of each.

A row becomes a normalized record or a RowError naming the column, the value and a reason a person
understands. A bad *descriptive* value (an INN, a KPP, an e-mail, a VAT amount, a number, a manager, a
group, a warehouse, a purpose) does not cost the row (contract section 1, "Bad descriptive values lose
nothing"): the row loads without it and the value comes back as a warning. Values that decide amounts,
dates or limits are never guessed: a bad one rejects the row. References between rows (a shipment's
contract) are checked by the loader, which knows the warehouse and the rest of the load.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.currencies import currency_code
from domain.entities import DOCUMENT_KIND
from domain.errors import InvalidValue
from domain.money import parse_money
from etl.parsing import parse_bool, parse_date, parse_inn, parse_int, split_emails

_KPP = re.compile(r"^\d{4}[\dA-Z]{2}\d{3}$")
_ID_MAX = 128
# Longer than any name, purpose or address an accounting system holds; a longer cell is damage (or a
# whole file pasted into one cell) and would only bloat the warehouse.
MAX_TEXT = 2000
MAX_TERMS_DAYS = 3650  # ten years; beyond it the date arithmetic overflows sooner or later


@dataclass(frozen=True)
class RowError(Exception):
    column: str
    value: str
    reason: str
    is_reference: bool = False

    def __str__(self) -> str:
        return f"{self.column}={self.value!r}: {self.reason}"


# Columns that describe a row rather than decide its amounts, dates or limits: a bad value is dropped with
# a warning and the row loads.
DESCRIPTIVE = frozenset({"inn", "kpp", "email", "vat", "number", "manager", "group", "warehouse", "purpose"})

Warnings = list[RowError]


def _descriptive(row: dict[str, str], column: str, warnings: Warnings, check: Callable[[str], Any]) -> Any:
    """The column's value as `check` makes it, or, when `check` refuses it, the empty value with a warning."""
    value = row.get(column, "")
    try:
        return check(value)
    except InvalidValue as exc:
        warnings.append(RowError(column, value, f"{exc}; the row loads without it"))
        return check("")


def _field(row: dict[str, str], column: str, parse: Callable[[str], Any]) -> Any:
    value = row.get(column, "")
    try:
        return parse(value)
    except InvalidValue as exc:
        raise RowError(column, value, str(exc)) from None


def _required_text(row: dict[str, str], column: str) -> str:
    value = row.get(column, "").strip()
    if not value:
        raise RowError(column, "", "required value is empty")
    if len(value) > _ID_MAX and column.endswith("_id"):
        raise RowError(column, value[:40] + "...", f"identifier is longer than {_ID_MAX} characters")
    return value


def _optional_id(row: dict[str, str], column: str) -> str | None:
    value = row.get(column, "").strip()
    if len(value) > _ID_MAX:
        raise RowError(column, value[:40] + "...", f"identifier is longer than {_ID_MAX} characters")
    return value or None


def _date(row: dict[str, str], column: str, *, required: bool = True) -> Any:
    value = row.get(column, "").strip()
    if not value:
        if required:
            raise RowError(column, "", "required date is empty")
        return None
    return _field(row, column, parse_date)


def _money(row: dict[str, str], column: str) -> int:
    value = row.get(column, "").strip()
    if not value:
        raise RowError(column, "", "required amount is empty")
    return _field(row, column, parse_money)


def _positive(row: dict[str, str], column: str) -> int:
    amount = _money(row, column)
    if amount <= 0:
        raise RowError(column, row.get(column, ""), "amount must be greater than zero")
    return amount


def _currency(row: dict[str, str]) -> str | None:
    return _field(row, "currency", currency_code)


def _deleted(row: dict[str, str]) -> bool:
    return bool(_field(row, "deleted", parse_bool))


def validate_calendar(row: dict[str, str]) -> dict[str, Any]:
    day = _date(row, "date")
    kind = row.get("kind", "").strip().lower()
    kinds = {"holiday": "holiday", "workday": "workday", "выходной": "holiday", "рабочий": "workday"}
    if kind not in kinds:
        raise RowError("kind", row.get("kind", ""), "kind must be holiday or workday")
    return {"day": day, "kind": kinds[kind]}


def _marked_deleted(row: dict[str, str], what: str) -> None:
    """A counterparty or contract marked deleted (1C's «Пометка удаления») is refused, not loaded.

    Deleting one would orphan its documents and drop the debt they carry, so a load never deletes a
    counterparty or a contract: a new one is not created, one already in the warehouse stays as it is,
    and rows that refer to it are rejected (or load) as the warehouse stands.
    """
    if _deleted(row):
        raise RowError(
            "deleted",
            row.get("deleted", ""),
            f"the {what} is marked deleted: it is not loaded, and a load never deletes a {what} "
            "already in the warehouse",
        )


def _kpp(text: str) -> str:
    kpp = text.strip().upper()
    if kpp and not _KPP.match(kpp):
        raise InvalidValue("KPP must have 9 characters (4 digits, 2 digits or letters, 3 digits)")
    return kpp


def _emails(row: dict[str, str], warnings: Warnings) -> str:
    """Every good address of the cell; the bad ones are a warning (one typo does not cost the others)."""
    good, bad = split_emails(row.get("email", ""))
    if bad:
        warnings.append(
            RowError("email", "; ".join(bad), "not an e-mail address; the row loads with the other addresses")
            if good
            else RowError("email", row.get("email", ""), "not an e-mail address; the row loads without it")
        )
    return good


def validate_counterparty(row: dict[str, str], warnings: Warnings) -> dict[str, Any]:
    _marked_deleted(row, "counterparty")
    return {
        "counterparty_id": _required_text(row, "counterparty_id"),
        "name": _required_text(row, "name"),
        "inn": _descriptive(row, "inn", warnings, parse_inn),
        "kpp": _descriptive(row, "kpp", warnings, _kpp),
        "manager": row.get("manager", "").strip(),
        "email": _emails(row, warnings),
        "group_name": row.get("group", "").strip(),
    }


def _terms_basis(text: str) -> str | None:
    """`calendar`/`working`, or as 1C's «Вид срока» says it: a value starting `календ` or `рабоч`."""
    value = " ".join(text.split()).lower()
    if value in ("", "calendar") or value.startswith("календ"):
        return "calendar"
    if value == "working" or value.startswith("рабоч"):
        return "working"
    return None


def validate_contract(row: dict[str, str]) -> dict[str, Any]:
    _marked_deleted(row, "contract")
    terms_raw = row.get("terms_days", "").strip()
    terms = _field(row, "terms_days", lambda v: parse_int(v, minimum=0)) if terms_raw else 0
    if terms > MAX_TERMS_DAYS:
        raise RowError("terms_days", terms_raw, f"payment terms over {MAX_TERMS_DAYS} days look like a mistake")
    basis = _terms_basis(row.get("terms_basis", ""))
    if basis is None:
        raise RowError("terms_basis", row.get("terms_basis", ""), "terms_basis must be calendar or working")
    limit_raw = row.get("credit_limit", "").strip()
    limit = None
    if limit_raw:
        limit = _money(row, "credit_limit")
        if limit < 0:
            raise RowError("credit_limit", limit_raw, "credit limit cannot be negative (leave it empty for no limit)")
    return {
        "contract_id": _required_text(row, "contract_id"),
        "counterparty_id": _required_text(row, "counterparty_id"),
        "number": row.get("number", "").strip(),
        "contract_date": _date(row, "date", required=False),
        "currency": _currency(row) or "RUB",
        "terms_days": terms,
        "terms_basis": basis,
        "credit_limit": limit,
        "name": row.get("name", "").strip(),
    }


def _document_base(row: dict[str, str], entity: str) -> dict[str, Any]:
    return {
        "kind": DOCUMENT_KIND[entity],
        "document_id": _required_text(row, "document_id"),
        "number": row.get("number", "").strip(),
        "own_due_date": None,
        "shipment_id": None,
        "purpose": "",
        "vat": None,
        "warehouse": "",
        "payer_inn": "",
        "payer_name": "",
        "counterparty_id": None,
        "currency": None,
    }


def _vat(text: str, amount: int) -> int | None:
    if not text.strip():
        return None
    vat = parse_money(text)
    if vat < 0 or vat > amount:
        raise InvalidValue("VAT must be between 0 and the amount")
    return vat


def validate_document(row: dict[str, str], entity: str, warnings: Warnings) -> dict[str, Any]:
    """A document row; `deleted` rows need only their key."""
    record = _document_base(row, entity)
    record["deleted"] = entity != "opening_balances" and _deleted(row)
    if record["deleted"]:
        return record
    record["doc_date"] = _date(row, "date")
    if entity == "payments":
        record["contract_id"] = _optional_id(row, "contract_id")
        record["counterparty_id"] = _optional_id(row, "counterparty_id")
        if record["contract_id"] is None and record["counterparty_id"] is None:
            raise RowError("contract_id", "", "a payment needs a contract_id or a counterparty_id")
        record["purpose"] = row.get("purpose", "").strip()
    else:
        record["contract_id"] = _required_text(row, "contract_id")
        record["counterparty_id"] = _optional_id(row, "counterparty_id")  # a 1C list names both
    # A document's own currency, where its source gives one (a payment's column, a УПД's КодОКВ): the load
    # holds it against its contract's, so a USD УПД is never booked on a RUB contract as roubles.
    record["currency"] = _currency(row)
    if entity in ("shipments", "returns", "payments"):
        record["amount"], record["side"] = _positive(row, "amount"), (1 if entity == "shipments" else -1)
    else:
        signed = _money(row, "amount")
        if signed == 0:
            raise RowError("amount", row.get("amount", ""), "amount must not be zero")
        record["amount"], record["side"] = abs(signed), (1 if signed > 0 else -1)
    if entity in ("shipments", "opening_balances"):
        # A due date before the document date is legitimate: prepayment terms, or debt already overdue
        # at the cut-over carried as an opening balance dated on the cut-over day.
        record["own_due_date"] = _date(row, "due_date", required=False)
    if entity == "shipments":
        record["vat"] = _descriptive(row, "vat", warnings, lambda text: _vat(text, record["amount"]))
        record["warehouse"] = row.get("warehouse", "").strip()
    if entity in ("returns", "adjustments"):
        record["shipment_id"] = _optional_id(row, "shipment_id")
    return record


def validate_allocation(row: dict[str, str]) -> dict[str, Any]:
    return {
        "payment_id": _required_text(row, "payment_id"),
        "shipment_id": _required_text(row, "shipment_id"),
        "amount": _positive(row, "amount"),
    }


def validate(entity: str, row: dict[str, str], warnings: Warnings | None = None) -> dict[str, Any]:
    """The row's record, or RowError. Bad descriptive values are left out of the record and added to
    `warnings` (a list the caller passes to hear about them)."""
    warnings = [] if warnings is None else warnings
    if row and max(map(len, row.values())) > MAX_TEXT:
        row = _without_long_descriptions(row, warnings)
    try:
        if entity == "calendar":
            return validate_calendar(row)
        if entity == "counterparties":
            return validate_counterparty(row, warnings)
        if entity == "contracts":
            return validate_contract(row)
        if entity == "allocations":
            return validate_allocation(row)
        return validate_document(row, entity, warnings)
    except RowError:
        _one_joined_value(row)
        raise


def _without_long_descriptions(row: dict[str, str], warnings: Warnings) -> dict[str, str]:
    """A descriptive value over MAX_TEXT is dropped with a warning; any other rejects the row."""
    kept = dict(row)
    for column, value in row.items():
        if len(value) <= MAX_TEXT:
            continue
        reason = f"the value is {len(value):,} characters long; at most {MAX_TEXT:,}"
        error = RowError(column, value[:40] + "...", reason)
        if column not in DESCRIPTIVE:
            raise error
        warnings.append(RowError(column, error.value, error.reason + "; the row loads without it"))
        kept[column] = ""
    return kept


_OTHER_DELIMITERS = (",", ";", "\t")


def _one_joined_value(row: dict[str, str]) -> None:
    """A row that failed because all of it sits in one column was split by another delimiter than the
    header (`;` header, `,` row): say so instead of "required value is empty" for the next column."""
    filled = [(column, value) for column, value in row.items() if value.strip()]
    if len(row) > 1 and len(filled) == 1 and any(filled[0][1].count(d) >= 2 for d in _OTHER_DELIMITERS):
        column, value = filled[0]
        raise RowError(
            column,
            value,
            "the whole row is in one column: it seems separated by another delimiter than the header",
        )
