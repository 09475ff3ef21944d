"""Real reasons of the load, made by running it on bad input, for tests/dashboard/services/test_reasons.py: each
is the text the load stores (or the reader refuses a file with), keyed by the catalog entry it shows
(dashboard/strings/reasons.py; "a+b" for a reason of two parts). A reason reworded in the load no longer
matches its entry, and the test says which.

The row's values go through etl.validation and its parsers (etl/parsing.py, domain/money.py); references and
files through etl.load.load_paths on a warehouse of the small ledger; the readers' refusals through
tests/helpers/reason_files.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import xlsxwriter
from sqlalchemy import Engine
from stdnum.ru import inn

from domain.errors import InvalidValue
from domain.money import parse_money
from etl.load import load_paths
from etl.load.known import read_known
from etl.load.resolve import resolved
from etl.load.validate import _check_references
from etl.parsing import parse_date, parse_emails, parse_int
from etl.validation import RowError, validate
from queries.rejects import rejects_list
from tests.helpers.edo import EDO
from tests.helpers.ledgers import source, write_files

SHIPMENT = {"document_id": "S9", "contract_id": "C1", "date": "2025-03-01", "amount": "100"}
COUNTERPARTY = {"counterparty_id": "K9", "name": "ООО «Альфа»"}
CONTRACT = {"contract_id": "C9", "counterparty_id": "K1"}


def rejected(entity: str, row: dict[str, str]) -> str:
    """The reason etl.validation rejects the row with."""
    try:
        validate(entity, row)
    except RowError as error:
        return error.reason
    raise AssertionError(f"{entity} row {row} was not rejected")


def warned(entity: str, row: dict[str, str]) -> str:
    """The reason of the one warning etl.validation gives the row (it loads)."""
    warnings: list[RowError] = []
    validate(entity, row, warnings)
    assert len(warnings) == 1, warnings
    return warnings[0].reason


def refused(parse: Callable[[str], Any], text: str) -> str:
    try:
        parse(text)
    except InvalidValue as error:
        return str(error)
    raise AssertionError(f"{text!r} was accepted")


def _inn_without_its_zero() -> str:
    """Nine digits that make a valid INN with a zero in front (a region 01-09 INN Excel made a number)."""
    return next(digits for n in range(10**8, 10**9) if inn.is_valid("0" + (digits := str(n))))


def value_reasons() -> dict[str, str]:
    """The reasons of a row's values: etl.validation and the parsers it calls."""
    return {
        "required_value": rejected("counterparties", {**COUNTERPARTY, "counterparty_id": ""}),
        "id_too_long": rejected("counterparties", {**COUNTERPARTY, "counterparty_id": "K" * 200}),
        "required_date": rejected("shipments", {**SHIPMENT, "date": ""}),
        "required_amount": rejected("shipments", {**SHIPMENT, "amount": ""}),
        "amount_positive": rejected("shipments", {**SHIPMENT, "amount": "-5"}),
        "amount_not_zero": rejected("adjustments", {**SHIPMENT, "amount": "0,00"}),
        "calendar_kind": rejected("calendar", {"date": "2025-01-01", "kind": "праздник"}),
        "counterparty_deleted": rejected("counterparties", {**COUNTERPARTY, "deleted": "да"}),
        "contract_deleted": rejected("contracts", {**CONTRACT, "deleted": "1"}),
        "kpp+loads_without": warned("counterparties", {**COUNTERPARTY, "kpp": "12"}),
        "email+loads_without": warned("counterparties", {**COUNTERPARTY, "email": "бухгалтерия"}),
        "email+loads_with_others": warned("counterparties", {**COUNTERPARTY, "email": "a@b.ru; бухгалтерия"}),
        "terms_too_long": rejected("contracts", {**CONTRACT, "terms_days": "4000"}),
        "terms_basis": rejected("contracts", {**CONTRACT, "terms_basis": "банковские"}),
        "negative_limit": rejected("contracts", {**CONTRACT, "credit_limit": "-1"}),
        "vat_range+loads_without": warned("shipments", {**SHIPMENT, "vat": "500"}),
        "payment_reference": rejected("payments", {**SHIPMENT, "contract_id": ""}),
        "value_too_long": rejected("counterparties", {**COUNTERPARTY, "name": "Я" * 2500}),
        "value_too_long+loads_without": warned("counterparties", {**COUNTERPARTY, "manager": "Я" * 12345}),
        "one_column": rejected("shipments", {"document_id": "S9;C1;2025-03-01;100", "contract_id": "", "date": ""}),
        "date_range": rejected("shipments", {**SHIPMENT, "date": "1900-01-01"}),
        "no_such_month": rejected("shipments", {**SHIPMENT, "date": "2025-13-01"}),
        "no_such_day": rejected("shipments", {**SHIPMENT, "date": "31.02.2025"}),
        "no_such_day#31": rejected("shipments", {**SHIPMENT, "due_date": "2025-01-32"}),
        "date_empty": refused(parse_date, " "),
        "date_format": rejected("shipments", {**SHIPMENT, "date": "вчера"}),
        "date_time": rejected("shipments", {**SHIPMENT, "date": "2025-03-01 25:00"}),
        "not_yes_no": rejected("shipments", {**SHIPMENT, "deleted": "может быть"}),
        "number_empty": refused(parse_int, ""),
        "not_whole": rejected("contracts", {**CONTRACT, "terms_days": "10,5"}),
        "number_too_large": rejected("contracts", {**CONTRACT, "terms_days": "1" * 25}),
        "at_least": rejected("contracts", {**CONTRACT, "terms_days": "-5"}),
        "inn_digits+loads_without": warned("counterparties", {**COUNTERPARTY, "inn": "77О7083893"}),
        "inn_length_zero+loads_without": warned("counterparties", {**COUNTERPARTY, "inn": _inn_without_its_zero()}),
        "inn_length+loads_without": warned("counterparties", {**COUNTERPARTY, "inn": "12345"}),
        "inn_check+loads_without": warned("counterparties", {**COUNTERPARTY, "inn": "7707083894"}),
        "not_email": refused(parse_emails, "a@b.ru, бухгалтерия"),
        "amount_empty": refused(parse_money, " "),
        "decimal_twice": rejected("shipments", {**SHIPMENT, "amount": "1,234.5.6"}),
        "mixed_groups": rejected("shipments", {**SHIPMENT, "amount": "1 234,567.00"}),
        "space_after_mark": rejected("shipments", {**SHIPMENT, "amount": "1 234,5 6"}),
        "groups_of_three": rejected("shipments", {**SHIPMENT, "amount": "12 34,00"}),
        "not_amount": rejected("shipments", {**SHIPMENT, "amount": "много"}),
        "decimals_comma": rejected("shipments", {**SHIPMENT, "amount": "1,234"}),
        "decimals": rejected("shipments", {**SHIPMENT, "amount": "1.234"}),
        "amount_too_large": rejected("shipments", {**SHIPMENT, "amount": "1" * 16}),
        "currency": rejected("contracts", {**CONTRACT, "currency": "тугрики"}),
    }


def _check(entity: str, record: dict[str, Any], **known: Any) -> str:
    """The reason the load's reference check rejects a record with, against what `known` holds: for the
    references the load's own name resolution leaves no way to reach from a file."""
    try:
        _check_references(entity, record, SimpleNamespace(**known))  # type: ignore[arg-type]
    except RowError as error:
        return error.reason
    raise AssertionError(f"{record} passed")


# The small ledger (tests/helpers/ledgers.py: K1 with C1 and C2, K2 with C3, shipments S1-S5, payments P1-P2),
# with K3, named as K1 is, and five more contracts of K1 numbered as C1 is.
MORE = {
    "counterparties_more.csv": "counterparty_id,name\nK3,ООО «Ромашка»\n",
    "contracts_more.csv": "contract_id,counterparty_id,number,date\n"
    + "".join(f"C{n},K1,Д-1/25,2025-02-0{n}\n" for n in range(4, 9)),
}
REFERENCES = {
    "shipments_refs.csv": """
document_id,counterparty_id,contract_id,date,amount
X1,,C404,2025-03-01,1
X2,K2,C1,2025-03-01,1
X3,ООО Ромашка,,2025-03-01,1
X4,Неизвестный,,2025-03-01,1
X5,ООО «Ромашка-2»,,2025-03-01,1
X6,K1,Д-1/25,2025-03-01,1
X7,,Д-1/25,2025-03-01,1
X8,K2,Z-9,2025-03-01,1
X9,K1,,2025-03-01,1
X10,K3,,2025-03-01,1
X1,,C1,2025-03-02,1
""",
    "payments_refs.csv": "document_id,date,amount,contract_id,currency\nY1,2025-03-01,1,C1,USD\n",
    "returns_refs.csv": "document_id,contract_id,date,amount,shipment_id\n"
    "R1,C1,2025-03-01,1,S404\nR2,C3,2025-03-01,1,S1\n",
    "allocations_refs.csv": "payment_id,shipment_id,amount\nP404,S1,1\nP1,S4,1\n",
    "shipments_wide.csv": "document_id,contract_id,date,amount\nX20,C1,2025-03-01,1,extra,more\n",
    "shipments_swapped.csv": "document_id,contract_id,date,amount\nX21,C1,2025-01-02,1\nX22,C1,1/13/2025,1\n",
    "shipments_missing.csv": "document_id,contract_id\nX23,C1\n",
    "shipments_missing_one.csv": "document_id,contract_id,date\nX24,C1,2025-03-01\n",
    "shipments_twice.csv": "document_id,contract_id,date,amount,amount\nX25,C1,2025-03-01,1,1\n",
    "shipments_old.xls": "not really a workbook",
    "shipments_scan.pdf": "%PDF-1.4",
    "shipments": "document_id,contract_id,date,amount",
    "notes.txt": "a note among the files",
}
# A reference reject's row: (file, line) in REFERENCES; a refused file: (file, None).
ROWS = {
    "unknown_contract": ("shipments_refs.csv", 2),
    "contract_of_other": ("shipments_refs.csv", 3),
    "same_name": ("shipments_refs.csv", 4),
    "no_such_counterparty": ("shipments_refs.csv", 5),
    "no_such_counterparty+similar": ("shipments_refs.csv", 6),
    "contracts_of_match": ("shipments_refs.csv", 7),
    "contracts_match": ("shipments_refs.csv", 8),
    "unknown_contract_of+its_contracts": ("shipments_refs.csv", 9),
    "several": ("shipments_refs.csv", 10),
    "none": ("shipments_refs.csv", 11),
    "duplicate_key": ("shipments_refs.csv", 12),
    "contract_currency": ("payments_refs.csv", 2),
    "unknown_shipment": ("returns_refs.csv", 2),
    "shipment_of_other": ("returns_refs.csv", 3),
    "unknown_payment": ("allocations_refs.csv", 2),
    "shipment_and_payment": ("allocations_refs.csv", 3),
    "row_too_wide": ("shipments_wide.csv", 2),
    "swapped_dates": ("shipments_swapped.csv", None),
    "columns_missing": ("shipments_missing.csv", None),
    "column_missing": ("shipments_missing_one.csv", None),
    "column_twice": ("shipments_twice.csv", None),
    "xls": ("shipments_old.xls", None),
    "file_type": ("shipments_scan.pdf", None),
    "no_extension": ("shipments", None),
    "no_header": ("shipments_empty.xlsx", None),
    "not_source": ("notes.csv", None),
    "no_company_inn": ("upd.xml", None),
}


def _unresolved(engine: Engine, values: dict[str, str]) -> str:
    """The reason a shipment's counterparty or contract is not found among what the warehouse holds, as a
    УПД's row (which gives its currency) is resolved."""
    with engine.connect() as conn:
        try:
            resolved("shipments", values, read_known(conn, 1).resolver())
        except RowError as error:
            return error.reason
    raise AssertionError(f"{values} resolved")


def load_reasons(engine: Engine, tmp_path: Path) -> dict[str, str]:
    """The reasons of references and files: the small ledger loaded, then REFERENCES and a few files named
    one by one, as the upload box names them."""
    load_paths(engine, [source(tmp_path), write_files(tmp_path / "more", MORE)])
    upd = {**SHIPMENT, "counterparty_id": "7707083893", "contract_id": ""}  # K1 by its INN
    in_currency = {
        "several_in": _unresolved(engine, {**upd, "currency": "RUB"}),
        "none_in": _unresolved(engine, {**upd, "currency": "USD"}),
    }
    folder = write_files(tmp_path / "bad", REFERENCES)
    xlsxwriter.Workbook(str(folder / "shipments_empty.xlsx")).close()
    named = tmp_path / "named"
    named.mkdir()
    (named / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (named / "upd.xml").write_bytes((EDO / "hand_upd_501_original.xml").read_bytes())
    result = load_paths(engine, [folder, named / "notes.csv", named / "upd.xml"])  # no company INN
    with engine.connect() as conn:
        listed = rejects_list(conn)
    found = {(Path(file).name, line): reason for file, line, reason in listed.select("file", "line", "reason").rows()}
    reasons = {name: found[where] for name, where in ROWS.items()}
    (skipped,) = [f.message for f in result.files if f.entity == "skipped"]
    return {
        **reasons,
        **in_currency,
        "skipped": skipped,
        "unknown_counterparty": _check("contracts", {"counterparty_id": "K9"}, counterparties={}),
        "payer_unknown": _check(
            "allocations",
            {"payment_id": "BANK-1", "shipment_id": "S1"},
            docs=lambda kind: {"BANK-1": (0, 0, None)} if kind == "payment" else {"S1": (0, 0, "K1")},
        ),
    }
