"""Column-wise validation of a document file's rows: the records of the rows it can vouch for.

etl.validation (row by row, through etl.load.resolve and validate._check_references) stays the reference:
a row is vouched for only where every value is one the row-wise validator would take without a warning,
and its record is the one that validator would make. Every value that is not text alone goes through the
reference's own parser once per distinct value (dates, currencies, `deleted`), or, for amounts, through
parse_money's fast shape in polars (the same regex), the others once per distinct value. Any other row
(a reject, a warning, a name to resolve, a deleted document) is handed back to be validated row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from domain.currencies import currency_code
from domain.entities import DOCUMENT_KIND
from domain.errors import InvalidValue
from domain.money import parse_money
from etl.load.columnar import LINE, stripped
from etl.load.known import Known
from etl.parsing import parse_bool, parse_date
from etl.validation import _ID_MAX, MAX_TEXT

# A document record as a frame (etl.validation.validate_document's keys, with where it came from).
RECORD_SCHEMA: dict[str, Any] = {
    "kind": pl.String,
    "document_id": pl.String,
    "counterparty_id": pl.String,
    "contract_id": pl.String,
    "currency": pl.String,
    "doc_date": pl.Date,
    "side": pl.Int64,
    "amount": pl.Int64,
    "own_due_date": pl.Date,
    "number": pl.String,
    "shipment_id": pl.String,
    "purpose": pl.String,
    "vat": pl.Int64,
    "warehouse": pl.String,
    "payer_inn": pl.String,
    "payer_name": pl.String,
    "deleted": pl.Boolean,
    "bank": pl.Boolean,  # a bank statement's payment: counted as bank_payments
    "source_file": pl.String,
    "source_line": pl.Int64,
}
_MONEY_FAST = r"^([+-]?)([0-9]{1,15})(?:[.,]([0-9]{1,2}))?$"


def vouch(entity: str, file: str, frame: pl.DataFrame, known: Known) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(records of the rows vouched for, in line order; the other rows as read, to validate row by row)."""
    present = set(frame.columns) - {LINE}

    def raw(column: str) -> pl.Expr:
        return pl.col(column) if column in present else pl.lit("", dtype=pl.String)

    def text(column: str) -> pl.Expr:
        return stripped(raw(column))

    ok = pl.all_horizontal([pl.col(c).str.len_chars() <= MAX_TEXT for c in present] or [pl.lit(True)])
    columns: dict[str, pl.Expr] = {}
    if entity != "opening_balances" and "deleted" in present:
        ok &= _parsed(frame, "deleted", parse_bool).is_not_null() & ~_parsed(frame, "deleted", parse_bool)
    document_id = text("document_id")
    ok &= document_id.str.len_chars().is_between(1, _ID_MAX)
    counterparty, contract = text("counterparty_id"), text("contract_id")
    ok &= (counterparty == "") | counterparty.is_in(list(known.counterparties))
    ok &= counterparty.str.len_chars() <= _ID_MAX
    contract_known = contract.is_in(list(known.contracts))
    if entity == "payments":
        ok &= contract_known | ((contract == "") & (counterparty != ""))
    else:
        ok &= contract_known
    doc_date = _parsed(frame, "date", parse_date, pl.Date)
    currency = _parsed(frame, "currency", currency_code, pl.String) if "currency" in present else None
    ok &= doc_date.is_not_null()
    if currency is not None:
        ok &= _parsed_ok(frame, "currency", currency_code)
    amount = _money(frame, "amount")
    ok &= amount.is_not_null()
    if entity in ("shipments", "returns", "payments"):
        ok &= amount > 0
        columns["amount"], columns["side"] = amount, pl.lit(1 if entity == "shipments" else -1, dtype=pl.Int64)
    else:
        ok &= amount != 0
        columns["amount"], columns["side"] = amount.abs(), pl.when(amount > 0).then(1).otherwise(-1).cast(pl.Int64)
    if entity in ("shipments", "opening_balances") and "due_date" in present:
        due = _parsed(frame, "due_date", parse_date, pl.Date)
        ok &= (text("due_date") == "") | due.is_not_null()
        columns["own_due_date"] = pl.when(text("due_date") == "").then(None).otherwise(due)
    if entity == "shipments":
        if "vat" in present:
            vat = _money(frame, "vat")
            ok &= (text("vat") == "") | vat.is_between(0, amount)
            columns["vat"] = pl.when(text("vat") == "").then(None).otherwise(vat)
        columns["warehouse"] = text("warehouse")
    if entity == "payments":
        columns["purpose"] = text("purpose")
    if entity in ("returns", "adjustments"):
        shipment = text("shipment_id")
        ok &= shipment.str.len_chars() <= _ID_MAX
        columns["shipment_id"] = pl.when(shipment == "").then(None).otherwise(shipment)
    contracts = _contracts(known)
    given_currency = currency if currency is not None else pl.lit(None, dtype=pl.String)
    checked = frame.with_columns(
        _ok=ok,
        _document_id=document_id,
        _counterparty=counterparty,
        _contract=contract,
        _currency=given_currency,
        doc_date=doc_date,
        number=text("number"),
        **columns,
    ).join(contracts, left_on="_contract", right_on="contract_id", how="left", maintain_order="left")
    # References (validate._check_references): the contract's counterparty and currency, else the payer's.
    by_contract = pl.col("_contract") != ""
    checked = checked.with_columns(
        _ok=pl.col("_ok")
        & (~by_contract | (pl.col("_counterparty") == "") | (pl.col("_counterparty") == pl.col("c_counterparty")))
        & (~by_contract | pl.col("_currency").is_null() | (pl.col("_currency") == pl.col("c_currency"))),
        counterparty_id=pl.when(by_contract).then(pl.col("c_counterparty")).otherwise(pl.col("_counterparty")),
    )
    checked = checked.with_columns(
        currency=pl.when(by_contract)
        .then(pl.col("c_currency"))
        .otherwise(pl.coalesce("_currency", _payment_currency(checked, known)))
    )
    if entity in ("returns", "adjustments"):
        owner = _shipment_owner(checked, known)
        checked = checked.with_columns(
            _ok=pl.col("_ok")
            & (pl.col("shipment_id").is_null() | (owner == pl.col("counterparty_id")).fill_null(False))
        )
    mask = checked["_ok"].fill_null(False)
    good = checked.filter(mask)
    records = good.select(
        [
            (
                pl.col(name)
                if name in good.columns and name not in ("kind", "document_id", "contract_id", "deleted", "bank")
                else _constant(entity, file, name)
            )
            .cast(dtype)
            .alias(name)
            for name, dtype in RECORD_SCHEMA.items()
        ]
    )
    return records, frame.filter(~mask)


def _constant(entity: str, file: str, name: str) -> pl.Expr:
    values: dict[str, pl.Expr] = {
        "kind": pl.lit(DOCUMENT_KIND[entity]),
        "document_id": pl.col("_document_id"),
        "contract_id": pl.when(pl.col("_contract") == "").then(None).otherwise(pl.col("_contract")),
        "deleted": pl.lit(False),
        "bank": pl.lit(False),
        "source_file": pl.lit(file),
        "source_line": pl.col(LINE),
        "own_due_date": pl.lit(None, dtype=pl.Date),
        "shipment_id": pl.lit(None, dtype=pl.String),
        "vat": pl.lit(None, dtype=pl.Int64),
    }
    return values.get(name, pl.lit(""))


def _parsed(frame: pl.DataFrame, column: str, parse: Callable[[str], Any], dtype: Any = pl.Boolean) -> pl.Expr:
    """The column parsed by the row-wise parser, once per distinct value; null where it refuses the value."""
    if column not in frame.columns:
        return pl.lit(None, dtype=dtype)
    keys, values = _distinct(frame, column, parse)
    return pl.col(column).replace_strict(keys, values, default=None, return_dtype=dtype)


def _parsed_ok(frame: pl.DataFrame, column: str, parse: Callable[[str], Any]) -> pl.Expr:
    keys, _values = _distinct(frame, column, parse)
    return pl.col(column).is_in(keys)


def _distinct(frame: pl.DataFrame, column: str, parse: Callable[[str], Any]) -> tuple[list[str], list[Any]]:
    keys, values = [], []
    for value in frame[column].unique().to_list():
        try:
            parsed = parse(value)
        except InvalidValue:
            continue
        keys.append(value)
        values.append(parsed)
    return keys, values


def _money(frame: pl.DataFrame, column: str) -> pl.Expr:
    """parse_money column-wise: its fast shape in polars, any other value by parse_money itself (null where
    it refuses)."""
    if column not in frame.columns:
        return pl.lit(None, dtype=pl.Int64)
    value = pl.col(column)
    # The regex's groups once, as columns (an expression would match the regex once per use).
    parts = frame.select(value.str.extract_groups(_MONEY_FAST).alias("parts"), value).unnest("parts")
    whole, fraction = pl.col("2").cast(pl.Int64), pl.col("3")
    cents = (
        pl.when(fraction.is_null())
        .then(0)
        .when(fraction.str.len_chars() == 1)
        .then(fraction.cast(pl.Int64) * 10)
        .otherwise(fraction.cast(pl.Int64))
    )
    slow = parts.filter(pl.col("2").is_null()).select(column)
    keys, values = _distinct(slow, column, parse_money) if slow.height else ([], [])
    parsed = parts.select(
        pl.when(pl.col("2").is_not_null())
        .then((whole * 100 + cents) * pl.when(pl.col("1") == "-").then(-1).otherwise(1))
        .otherwise(value.replace_strict(keys, values, default=None, return_dtype=pl.Int64))
    )
    return pl.lit(parsed.to_series())


def _contracts(known: Known) -> pl.DataFrame:
    items = list(known.contracts.items())
    return pl.DataFrame(
        {
            "contract_id": [k for k, _c in items],
            "c_counterparty": [c.counterparty_id for _k, c in items],
            "c_currency": [c.currency for _k, c in items],
        },
        schema={"contract_id": pl.String, "c_counterparty": pl.String, "c_currency": pl.String},
    )


def _payment_currency(frame: pl.DataFrame, known: Known) -> pl.Expr:
    """known.payment_currency per distinct counterparty of the rows paid without a contract."""
    wanted = frame.filter(pl.col("_contract") == "")["_counterparty"].unique().to_list()
    keys = [c for c in wanted if c in known.counterparties]
    values = [known.payment_currency(c) for c in keys]
    return pl.col("_counterparty").replace_strict(keys, values, default=None, return_dtype=pl.String)


def _shipment_owner(frame: pl.DataFrame, known: Known) -> pl.Expr:
    """The counterparty of the shipment each row names (null: no such shipment)."""
    wanted = frame["shipment_id"].drop_nulls().unique().to_list()
    shipments = known.docs("shipment")
    shipments.fetch(wanted)
    keys, values = [], []
    for shipment_id in wanted:
        found = shipments.get(shipment_id)
        if found is not None and found[2] is not None:
            keys.append(shipment_id)
            values.append(found[2])
    return pl.col("shipment_id").replace_strict(keys, values, default=None, return_dtype=pl.String)
