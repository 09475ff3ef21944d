"""Exceptions as of a date: the credit controller's morning list (contract section 4, `export exceptions`).

One row per thing to act on, most urgent first (severity high, medium, low; then amount, largest first).
Amounts are kopecks in the document's or contract's currency (never summed across currencies); `days`
depends on the code; `detail` is a Russian sentence, `detail_en` the same in English.

Codes and their rules (D = as_of; "open" and "overdue" as in contract section 2):

- ``overdue`` (high when more than ``rules.high_overdue_days`` days overdue or at least
  ``rules.large_overdue_amount``, else medium): one row per debit open as of D whose due date is
  before D. amount = open amount; days = D - due date.
- ``due_today`` (low): one row per debit open as of D that falls due on D. amount = open amount; days = 0.
- ``credit_limit_exceeded`` (high): a contract with a credit limit whose balance as of D (its open
  debits - its contract-level advance, as on the contract's row of queries.aging) is above the limit.
  amount = balance - limit; days empty. A counterparty-level advance stands on its own aging row and
  does not lower a contract's balance.
- ``credit_limit_near`` (medium): a contract with a limit above zero, not exceeded, whose balance is at
  least ``rules.credit_limit_near_percent`` % of the limit. amount = balance; days empty.
- ``shipped_while_overdue`` (high): a shipment dated in [D - ``rules.lookback_days``, D] on whose date S
  the counterparty (any of its contracts and currencies) had a debit open as of S and more than
  ``rules.shipped_while_overdue_days`` days overdue on S (the shipment itself aside). A debit paid in
  full on S is not open on S; a debit due on S - 1 is one day overdue on S. amount = the shipment's
  amount; days = the largest days overdue of such debits on S; detail: the overdue amount that day
  (per currency). stop_rules: the stop-list rules (queries.stoplist, ``stop_rules``) the shipment
  broke on S, comma-separated in the order of queries.stoplist.REASONS, empty when none:
  ``overdue_days`` when days > ``stop_rules.overdue_days``; ``overdue_amount`` (when that rule is on)
  when the counterparty's overdue debt on S (every debit open on S and due before S, the shipment
  aside, whatever the threshold above) is above ``stop_rules.overdue_amount`` in some currency;
  ``credit_limit`` (when that rule is on) when the balance as of S of the shipment's contract (as on
  its aging row: open debits - the contract's advance; the shipment and everything else dated S
  included) is above the contract's credit limit.
- ``no_payment_recently`` (high): a counterparty with overdue debt as of D (one row per currency) and no
  payment dated in the last ``rules.no_payment_days`` days (D - N < date <= D). amount = its overdue
  debt in that currency; days = D - date of its last payment, empty when it never paid.
- ``unidentified_payment`` (medium): a bank payment dated on or before D whose payer INN is no
  counterparty's. amount = the payment; days = D - date received; detail: payer, INN and purpose.
- ``advance`` (low): one row per credit (payment, return, negative adjustment or opening balance)
  with money unused as of D: on its contract, or the counterparty's (contract_id empty). amount = the
  unused amount; days = D - the credit's date.
- ``rejected_row`` (medium): one row per entry of the rejects list (a row or a whole file that did not
  load). amount and days empty; document_id = the rejected row's key; detail: ``file:line column
  «value» — reason``.

stop_rules is empty for every code but ``shipped_while_overdue``.

Scope: every code keeps to the scope's counterparties, contracts and currencies. Unidentified payments
and rejects belong to no counterparty, so they are shown only to a scope that restricts neither
counterparties nor contracts (a manager never sees them); unidentified payments follow the currency
filter. ``shipped_while_overdue`` looks at all the debts of a counterparty in scope, whatever the
contract or currency filter, since the policy is about the customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePath

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from domain.money import money_en, money_en_expr, money_ru, money_ru_expr
from queries.ledger import contract_details, counterparty_names, frame, open_credits, open_debits
from queries.scope import Scope
from queries.stoplist import REASONS, StopRules
from warehouse.rollups import checks
from warehouse.rollups.balances import balances_since
from warehouse.rollups.sweep import SHIPMENT_SCHEMA, overdue_on_shipment_days, sweep_inputs

SEVERITIES = ("high", "medium", "low")
DEFAULT_STOP_RULES = StopRules()  # the stop-list's defaults: more than 30 days overdue, credit limits on

EXCEPTION_SCHEMA = {
    "code": pl.String,
    "severity": pl.String,
    "counterparty_id": pl.String,
    "counterparty_name": pl.String,
    "contract_id": pl.String,
    "document_id": pl.String,
    "currency": pl.String,
    "amount": pl.Int64,
    "days": pl.Int64,
    "detail": pl.String,
    "detail_en": pl.String,
    "stop_rules": pl.String,  # shipped_while_overdue: the stop-list rules broken on the shipment's date
}

# Rows as the builders produce them: everything but the counterparty's name, plus their own order.
_ROW_COLUMNS = [c for c in EXCEPTION_SCHEMA if c != "counterparty_name"]


@dataclass(frozen=True)
class ExceptionRules:
    """Thresholds of the exception codes; money in kopecks of the document's currency."""

    shipped_while_overdue_days: int = 0  # 0: any overdue debt on the shipment's day counts
    lookback_days: int = 90  # shipped_while_overdue looks at shipments dated in [D - lookback, D]
    high_overdue_days: int = 30  # an overdue debit is high severity past this many days...
    large_overdue_amount: int = 100_000_000  # ...or from this open amount on (1 000 000,00)
    no_payment_days: int = 30
    credit_limit_near_percent: int = 90

    def __post_init__(self) -> None:
        for name in (
            "shipped_while_overdue_days",
            "lookback_days",
            "high_overdue_days",
            "large_overdue_amount",
            "no_payment_days",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)}")
        if not 0 < self.credit_limit_near_percent <= 100:
            raise ValueError(f"credit_limit_near_percent must be in 1..100, got {self.credit_limit_near_percent}")


# -- wording -------------------------------------------------------------------------------------

_KIND_RU = {"payment": "платёж", "return": "возврат", "adjustment": "корректировка", "opening": "начальный остаток"}
_KIND_EN = {"payment": "payment", "return": "return", "adjustment": "adjustment", "opening": "opening balance"}


def _date_ru(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def _document_ru(kind: str, number: str, document_id: str) -> str:
    """A shipment goes by its number (``УПД-123``); other kinds say what they are (``платёж № 12``)."""
    if kind == "shipment":
        return number or document_id
    return f"{_KIND_RU.get(kind, kind)} № {number}" if number else f"{_KIND_RU.get(kind, kind)} {document_id}"


def _document_en(kind: str, number: str, document_id: str) -> str:
    if kind == "shipment":
        return number or document_id
    return f"{_KIND_EN.get(kind, kind)} No. {number}" if number else f"{_KIND_EN.get(kind, kind)} {document_id}"


# -- codes from open debits and credits as of D --------------------------------------------------


def _document_expr(kind: pl.Expr, number: pl.Expr, document_id: pl.Expr, *, english: bool) -> pl.Expr:
    """_document_ru / _document_en over columns."""
    names = _KIND_EN if english else _KIND_RU
    sign = " No. " if english else " № "
    what = kind.replace_strict(names, default=kind, return_dtype=pl.String)
    has_number = number.is_not_null() & (number != "")
    return (
        pl.when(kind == "shipment")
        .then(pl.when(has_number).then(number).otherwise(document_id))
        .when(has_number)
        .then(pl.concat_str([what, pl.lit(sign), number]))
        .otherwise(pl.concat_str([what, pl.lit(" "), document_id]))
    )


def _debit_rows(debits: pl.DataFrame, as_of: date, rules: ExceptionRules) -> pl.DataFrame:
    """overdue and due_today, worded column-wise (a list of 100,000 overdue debits takes no Python loop)."""
    days = (pl.lit(as_of) - pl.col("due_date")).dt.total_days()
    open_ru = money_ru_expr(pl.col("open_amount"), pl.col("currency"))
    open_en = money_en_expr(pl.col("open_amount"), pl.col("currency"))
    doc_ru = pl.concat_str(
        [
            _document_expr(pl.col("kind"), pl.col("number"), pl.col("document_id"), english=False),
            pl.lit(" от "),
            pl.col("doc_date").dt.strftime("%d.%m.%Y"),
        ]
    )
    doc_en = pl.concat_str(
        [
            _document_expr(pl.col("kind"), pl.col("number"), pl.col("document_id"), english=True),
            pl.lit(" of "),
            pl.col("doc_date").dt.strftime("%Y-%m-%d"),
        ]
    )
    overdue = pl.col("days") > 0
    high = (pl.col("days") > rules.high_overdue_days) | (pl.col("open_amount") >= rules.large_overdue_amount)
    return (
        debits.filter(pl.col("due_date") <= as_of)
        .sort(["due_date", "doc_date", "document_id"])
        .with_columns(days=days)
        .select(
            code=pl.when(overdue).then(pl.lit("overdue")).otherwise(pl.lit("due_today")),
            severity=pl.when(overdue)
            .then(pl.when(high).then(pl.lit("high")).otherwise(pl.lit("medium")))
            .otherwise(pl.lit("low")),
            counterparty_id="counterparty_id",
            contract_id="contract_id",
            document_id="document_id",
            currency="currency",
            amount="open_amount",
            days="days",
            detail=pl.when(overdue)
            .then(pl.concat_str([pl.lit("Просрочено "), pl.col("days").cast(pl.String), pl.lit(" дн.: "), doc_ru]))
            .otherwise(pl.concat_str([pl.lit("Срок оплаты сегодня: "), doc_ru]))
            + pl.lit(", остаток ")
            + open_ru,
            detail_en=pl.when(overdue)
            .then(pl.concat_str([pl.lit("Overdue "), pl.col("days").cast(pl.String), pl.lit(" d: "), doc_en]))
            .otherwise(pl.concat_str([pl.lit("Due today: "), doc_en]))
            + pl.lit(", open ")
            + open_en,
        )
    )


def _contract_label(contract_id: str | None, numbers: dict[str, str]) -> tuple[str, str]:
    if contract_id is None:
        return "без договора", "no contract"
    number = numbers.get(contract_id) or contract_id
    return f"по договору {number}", f"on contract {number}"


def _advance_rows(credits: pl.DataFrame, as_of: date, numbers: dict[str, str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for r in credits.sort(["counterparty_id", "doc_date", "document_id"]).iter_rows(named=True):
        unused, currency = r["open_amount"], r["currency"]
        where_ru, where_en = _contract_label(r["contract_id"], numbers)
        doc_ru = f"{_document_ru(r['kind'], r['number'], r['document_id'])} от {_date_ru(r['doc_date'])}"
        doc_en = f"{_document_en(r['kind'], r['number'], r['document_id'])} of {r['doc_date']:%Y-%m-%d}"
        rows.append(
            {
                "code": "advance",
                "severity": "low",
                "counterparty_id": r["counterparty_id"],
                "contract_id": r["contract_id"],
                "document_id": r["document_id"],
                "currency": currency,
                "amount": unused,
                "days": (as_of - r["doc_date"]).days,
                "detail": f"Не зачтено {money_ru(unused, currency)}: {doc_ru} ({where_ru})",
                "detail_en": f"Unused {money_en(unused, currency)}: {doc_en} ({where_en})",
            }
        )
    return rows


def _limited_balances(debits: pl.DataFrame, credits: pl.DataFrame, contracts: pl.DataFrame) -> pl.DataFrame:
    """The contracts with a credit limit and their balance as of D, as on the contract rows of aging
    (balance = open debits - the contract's advance)."""
    open_by_contract = debits.group_by("contract_id").agg(pl.col("open_amount").sum().alias("open_debits"))
    advance_by_contract = (
        credits.filter(pl.col("contract_id").is_not_null())
        .group_by("contract_id")
        .agg(pl.col("open_amount").sum().alias("advance"))
    )
    return (
        contracts.filter(pl.col("credit_limit").is_not_null())
        .join(open_by_contract, on="contract_id", how="left")
        .join(advance_by_contract, on="contract_id", how="left")
        .with_columns(
            (pl.col("open_debits").fill_null(0) - pl.col("advance").fill_null(0)).cast(pl.Int64).alias("balance")
        )
        .sort(["counterparty_id", "contract_id"])
    )


def _limit_rows(balances: pl.DataFrame, rules: ExceptionRules) -> list[dict[str, object]]:
    """credit_limit_exceeded and credit_limit_near, on the contract rows of aging (balance = debits - advance)."""
    rows: list[dict[str, object]] = []
    for r in balances.iter_rows(named=True):
        balance, limit, currency = r["balance"], r["credit_limit"], r["currency"]
        number = r["contract_number"] or r["contract_id"]
        row = {
            "counterparty_id": r["counterparty_id"],
            "contract_id": r["contract_id"],
            "document_id": None,
            "currency": currency,
            "days": None,
        }
        if balance > limit:
            excess = balance - limit
            rows.append(
                row
                | {
                    "code": "credit_limit_exceeded",
                    "severity": "high",
                    "amount": excess,
                    "detail": f"Превышен кредитный лимит по договору {number}: баланс {money_ru(balance, currency)}"
                    f" при лимите {money_ru(limit, currency)}, превышение {money_ru(excess, currency)}",
                    "detail_en": f"Credit limit exceeded on contract {number}: balance {money_en(balance, currency)},"
                    f" limit {money_en(limit, currency)}, excess {money_en(excess, currency)}",
                }
            )
        elif limit > 0 and balance * 100 >= limit * rules.credit_limit_near_percent:
            percent = balance * 100 // limit  # floored: 89.9 % never shows as 90 %
            rows.append(
                row
                | {
                    "code": "credit_limit_near",
                    "severity": "medium",
                    "amount": balance,
                    "detail": f"Кредитный лимит по договору {number} использован на {percent}%:"
                    f" баланс {money_ru(balance, currency)} при лимите {money_ru(limit, currency)}",
                    "detail_en": f"Credit limit on contract {number} {percent}% used:"
                    f" balance {money_en(balance, currency)}, limit {money_en(limit, currency)}",
                }
            )
    return rows


def _no_payment_rows(
    conn: Connection, debits: pl.DataFrame, as_of: date, scope: Scope, rules: ExceptionRules
) -> list[dict[str, object]]:
    overdue = (
        debits.filter(pl.col("due_date") < as_of)
        .group_by(["counterparty_id", "currency"])
        .agg(pl.col("open_amount").sum().alias("overdue"))
    )
    if overdue.is_empty():
        return []
    d, c = warehouse.documents, warehouse.counterparties
    # Any payment of the counterparty counts, whatever its contract: the question is whether they pay at
    # all. One backward walk of (counterparty_id, doc_date) per overdue counterparty, stopping at the
    # first payment: a GROUP BY over every payment read a million rows at 1M documents.
    last_payment = (
        select(d.c.doc_date)
        .where(d.c.counterparty_id == c.c.counterparty_id, d.c.kind == "payment", d.c.doc_date <= as_of)
        .order_by(d.c.doc_date.desc())
        .limit(1)
        .scalar_subquery()
    )
    overdue_ids = overdue["counterparty_id"].unique().sort().to_list()
    last_paid: dict[str, date] = {}
    for start in range(0, len(overdue_ids), 1000):
        chunk = overdue_ids[start : start + 1000]
        for counterparty_id, last in conn.execute(
            select(c.c.counterparty_id, last_payment).where(c.c.counterparty_id.in_(chunk))
        ):
            if last is not None:
                # SQLite hands a scalar subquery's date over as text: the column type does not reach it.
                last_paid[counterparty_id] = last if isinstance(last, date) else date.fromisoformat(last)
    rows: list[dict[str, object]] = []
    for r in overdue.sort(["counterparty_id", "currency"]).iter_rows(named=True):
        last = last_paid.get(r["counterparty_id"])
        days = None if last is None else (as_of - last).days
        if days is not None and days < rules.no_payment_days:
            continue
        amount, currency = r["overdue"], r["currency"]
        if last is None:
            ru = f"Оплат не было ни разу, просрочено {money_ru(amount, currency)}"
            en = f"Never paid, overdue {money_en(amount, currency)}"
        else:
            ru = f"Нет оплат {days} дн. (последняя {_date_ru(last)}), просрочено {money_ru(amount, currency)}"
            en = f"No payment for {days} d (last {last:%Y-%m-%d}), overdue {money_en(amount, currency)}"
        rows.append(
            {
                "code": "no_payment_recently",
                "severity": "high",
                "counterparty_id": r["counterparty_id"],
                "contract_id": None,
                "document_id": None,
                "currency": currency,
                "amount": amount,
                "days": days,
                "detail": ru,
                "detail_en": en,
            }
        )
    return rows


# -- shipped while overdue -----------------------------------------------------------------------


def _on_shipment_days(
    conn: Connection, as_of: date, scope: Scope, rules: ExceptionRules, stop_rules: StopRules
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The window's shipments made while overdue: (shipments, overdue, late).

    shipments: the shipments' own columns, `days` (the largest days overdue that day) and, from the
    rollup, `contract_balance` (their contract's balance that day; swept here, it is left to
    warehouse.rollups.checks.balances_since); overdue and
    late: (doc_pk, currency, amount) of the debt that day more than the threshold overdue, and of all
    the overdue debt (the stop-list's overdue_amount rule). With the default threshold and a complete
    warehouse.rollups.checks rollup, one read of the rollup; otherwise the window is swept here.
    """
    start = as_of - timedelta(days=rules.lookback_days)
    threshold = rules.shipped_while_overdue_days
    d, k = warehouse.documents, warehouse.shipment_checks
    if threshold == 0 and checks.ready(conn):
        rows = frame(
            conn,
            select(
                *(d.c[name] for name in SHIPMENT_SCHEMA),
                k.c.oldest_due,
                k.c.currency,
                k.c.overdue,
                k.c.contract_balance,
            )
            .select_from(k.join(d, d.c.doc_pk == k.c.doc_pk))
            .where(k.c.doc_date >= start, k.c.doc_date <= as_of, scope.document_filter(d)),
            SHIPMENT_SCHEMA
            | {
                "oldest_due": pl.Date,
                "overdue_currency": pl.String,
                "overdue_amount": pl.Int64,
                "contract_balance": pl.Int64,
            },
        )
        shipments = (
            rows.unique("doc_pk")
            .with_columns(days=(pl.col("doc_date") - pl.col("oldest_due")).dt.total_days())
            .drop("oldest_due", "overdue_currency", "overdue_amount")
        )
        overdue = rows.filter(pl.col("overdue_currency").is_not_null()).select(
            "doc_pk", currency="overdue_currency", amount="overdue_amount"
        )
        return shipments, overdue, overdue
    # Overdue by more than the threshold on S <= D means due_date < S - threshold <= D - threshold; the
    # overdue_amount stop rule counts every overdue debit on S, due before S <= D.
    due_before = as_of - timedelta(days=0 if stop_rules.overdue_amount > 0 else threshold)
    shipments, debits, window_matches = sweep_inputs(
        conn,
        start=start,
        end=as_of,
        due_before=due_before,
        shipments_where=scope.document_filter(d),
        counterparty_filter=scope.counterparty_filter,
    )
    late_too = stop_rules.overdue_amount > 0 and threshold > 0
    found = overdue_on_shipment_days(shipments, debits, window_matches, threshold, as_of, late_too=late_too)
    amounts = {"doc_pk": pl.Int64, "currency": pl.String, "amount": pl.Int64}
    overdue = pl.DataFrame([(pk, c, a) for pk, f in found.items() for c, a in f.overdue], schema=amounts, orient="row")
    late = (
        pl.DataFrame([(pk, c, a) for pk, f in found.items() for c, a in f.late], schema=amounts, orient="row")
        if late_too
        else overdue
    )
    days = pl.DataFrame(
        [(pk, f.days) for pk, f in found.items()], schema={"doc_pk": pl.Int64, "days": pl.Int64}, orient="row"
    )
    return shipments.join(days, on="doc_pk", how="inner"), overdue, late


def _shipped_while_overdue_rows(
    conn: Connection,
    as_of: date,
    scope: Scope,
    rules: ExceptionRules,
    stop_rules: StopRules,
    balances: pl.DataFrame,
) -> pl.DataFrame:
    """Shipments of the window made while the counterparty had overdue debt (_on_shipment_days), with
    the stop-list rules they broke, worded column-wise; two more set queries for the balances of their
    contracts when the credit_limit stop rule is on and the window was swept
    (warehouse.rollups.checks.balances_since)."""
    start = as_of - timedelta(days=rules.lookback_days)
    shipments, overdue, late = _on_shipment_days(conn, as_of, scope, rules, stop_rules)
    words = (
        overdue.sort("doc_pk", "currency")
        .with_columns(
            overdue_ru=money_ru_expr(pl.col("amount"), pl.col("currency")),
            overdue_en=money_en_expr(pl.col("amount"), pl.col("currency")),
        )
        .group_by("doc_pk", maintain_order=True)
        .agg(pl.col("overdue_ru").str.join(" и "), pl.col("overdue_en").str.join(" and "))
    )
    largest_late = late.group_by("doc_pk").agg(late_max=pl.col("amount").max())
    balances_then = pl.DataFrame(schema={"doc_pk": pl.Int64, "balance_then": pl.Int64, "credit_limit": pl.Int64})
    if stop_rules.credit_limit:
        limited = shipments.join(balances.select("contract_id", "credit_limit"), on="contract_id", how="inner")
        if "contract_balance" not in limited.columns:  # swept here: the balances of the window's days too
            limited = limited.join(balances_since(conn, start, limited), on="doc_pk", how="left")
        balances_then = limited.select("doc_pk", balance_then="contract_balance", credit_limit="credit_limit")
    broken = {
        "overdue_days": pl.col("days") > stop_rules.overdue_days,
        "overdue_amount": pl.lit(stop_rules.overdue_amount > 0)
        & (pl.col("late_max").fill_null(0) > stop_rules.overdue_amount),
        "credit_limit": pl.lit(stop_rules.credit_limit)
        & pl.col("balance_then").is_not_null()
        & (pl.col("balance_then") > pl.col("credit_limit")),
    }
    stop = pl.concat_str(
        [pl.when(broken[reason]).then(pl.lit(reason)) for reason in REASONS], separator=",", ignore_nulls=True
    )
    shipped_ru = money_ru_expr(pl.col("amount"), pl.col("currency"))
    shipped_en = money_en_expr(pl.col("amount"), pl.col("currency"))
    document = _document_expr(pl.lit("shipment"), pl.col("number"), pl.col("document_id"), english=False)
    days = pl.col("days").cast(pl.String)
    return (
        shipments.join(words, on="doc_pk", how="left")
        .join(largest_late, on="doc_pk", how="left")
        .join(balances_then, on="doc_pk", how="left")
        .sort(["doc_date", "counterparty_id", "document_id"])
        .select(
            code=pl.lit("shipped_while_overdue"),
            severity=pl.lit("high"),
            counterparty_id="counterparty_id",
            contract_id="contract_id",
            document_id="document_id",
            currency="currency",
            amount="amount",
            days="days",
            detail=pl.concat_str(
                [
                    pl.lit("Отгрузка "),
                    document,
                    pl.lit(" от "),
                    pl.col("doc_date").dt.strftime("%d.%m.%Y"),
                    pl.lit(" на "),
                    shipped_ru,
                    pl.lit(" при просроченном долге "),
                    pl.col("overdue_ru").fill_null(""),
                    pl.lit(" (до "),
                    days,
                    pl.lit(" дн.)"),
                ]
            ),
            detail_en=pl.concat_str(
                [
                    pl.lit("Shipment "),
                    document,
                    pl.lit(" of "),
                    pl.col("doc_date").dt.strftime("%Y-%m-%d"),
                    pl.lit(" for "),
                    shipped_en,
                    pl.lit(" while "),
                    pl.col("overdue_en").fill_null(""),
                    pl.lit(" was overdue (up to "),
                    days,
                    pl.lit(" d)"),
                ]
            ),
            stop_rules=stop,
        )
    )


# -- money and rows nobody owns ------------------------------------------------------------------


def _shows_unowned(scope: Scope) -> bool:
    """Rows without a counterparty or contract: for a scope that is not narrowed to either."""
    return not scope.restricts_counterparties and scope.contract_ids is None


def _unidentified_rows(conn: Connection, as_of: date, scope: Scope) -> list[dict[str, object]]:
    d = warehouse.documents
    query = select(
        d.c.document_id, d.c.number, d.c.doc_date, d.c.amount, d.c.currency, d.c.payer_inn, d.c.payer_name, d.c.purpose
    ).where(d.c.kind == "payment", d.c.counterparty_id.is_(None), d.c.doc_date <= as_of)
    if scope.currencies is not None:
        query = query.where(d.c.currency.in_(scope.currencies))
    rows: list[dict[str, object]] = []
    for r in conn.execute(query.order_by(d.c.doc_date, d.c.document_id)):
        payer_ru = r.payer_name or "плательщик не указан"
        payer_en = r.payer_name or "payer not given"
        inn_ru = f"ИНН {r.payer_inn}" if r.payer_inn else "ИНН не указан"
        inn_en = f"INN {r.payer_inn}" if r.payer_inn else "no INN"
        number_ru = f"№ {r.number}" if r.number else r.document_id
        number_en = f"No. {r.number}" if r.number else r.document_id
        rows.append(
            {
                "code": "unidentified_payment",
                "severity": "medium",
                "counterparty_id": None,
                "contract_id": None,
                "document_id": r.document_id,
                "currency": r.currency,
                "amount": r.amount,
                "days": (as_of - r.doc_date).days,
                "detail": f"Неопознанный платёж {number_ru} от {_date_ru(r.doc_date)} на"
                f" {money_ru(r.amount, r.currency)}: {payer_ru}, {inn_ru}; назначение: «{r.purpose}»",
                "detail_en": f"Unidentified payment {number_en} of {r.doc_date:%Y-%m-%d} for"
                f" {money_en(r.amount, r.currency)}: {payer_en}, {inn_en}; purpose: “{r.purpose}”",
            }
        )
    return rows


def _reject_rows(conn: Connection) -> list[dict[str, object]]:
    r = warehouse.rejects
    rows: list[dict[str, object]] = []
    query = select(r.c.file, r.c.line, r.c.column_name, r.c.value, r.c.reason, r.c.record_key).order_by(
        r.c.file, r.c.line, r.c.reject_id
    )
    for reject in conn.execute(query):
        # The file's name, not the loader's full path: it is what the controller finds in the export folder.
        where = PurePath(reject.file).name or reject.file
        if reject.line is not None:
            where += f":{reject.line}"
        ru = en = where
        if reject.column_name:
            ru += f" {reject.column_name} «{reject.value}»"
            en += f" {reject.column_name} “{reject.value}”"
        rows.append(
            {
                "code": "rejected_row",
                "severity": "medium",
                "counterparty_id": None,
                "contract_id": None,
                "document_id": reject.record_key or None,
                "currency": None,
                "amount": None,
                "days": None,
                "detail": f"{ru} — {reject.reason}",
                "detail_en": f"{en} — {reject.reason}",
            }
        )
    return rows


# -- the list ------------------------------------------------------------------------------------

_PART_SCHEMA = {**{c: EXCEPTION_SCHEMA[c] for c in _ROW_COLUMNS}, "order_in_code": pl.Int64}


def _part_frame(part: list[dict[str, object]] | pl.DataFrame) -> pl.DataFrame:
    """One builder's rows, as built (dicts, or a frame worded column-wise), numbered in their order."""
    if isinstance(part, pl.DataFrame):
        if "stop_rules" not in part.columns:
            part = part.with_columns(stop_rules=pl.lit(""))
        return part.with_row_index("order_in_code").select([pl.col(c).cast(dtype) for c, dtype in _PART_SCHEMA.items()])
    records = [{"stop_rules": ""} | row | {"order_in_code": i} for i, row in enumerate(part)]
    return pl.DataFrame(records, schema=_PART_SCHEMA, orient="row")


def exceptions(
    conn: Connection,
    *,
    as_of: date,
    scope: Scope | None = None,
    rules: ExceptionRules = ExceptionRules(),
    stop_rules: StopRules = DEFAULT_STOP_RULES,
) -> pl.DataFrame:
    """Every exception as of `as_of` inside `scope`, by severity (high first), then amount (largest first).

    `stop_rules` (the stop-list's, as configured in [stoplist]) only fill shipped_while_overdue's stop_rules.
    """
    scope = scope or Scope.everything()
    debits = open_debits(conn, as_of=as_of, scope=scope).filter(pl.col("due_date").is_not_null())
    credits = open_credits(conn, as_of=as_of, scope=scope)
    contracts = contract_details(conn, scope)
    numbers = dict(zip(contracts["contract_id"], contracts["contract_number"], strict=True))
    balances = _limited_balances(debits, credits, contracts)
    parts: list[list[dict[str, object]] | pl.DataFrame] = [
        _debit_rows(debits, as_of, rules),
        _limit_rows(balances, rules),
        _shipped_while_overdue_rows(conn, as_of, scope, rules, stop_rules, balances),
        _no_payment_rows(conn, debits, as_of, scope, rules),
        _advance_rows(credits, as_of, numbers),
    ]
    if _shows_unowned(scope):
        parts += [_unidentified_rows(conn, as_of, scope), _reject_rows(conn)]
    # Within a severity and amount, each code keeps its builder's order (dates, file lines).
    result = pl.concat([_part_frame(part) for part in parts], how="vertical")
    names = counterparty_names(conn, result["counterparty_id"].drop_nulls().unique().to_list())
    rank = pl.col("severity").replace_strict({s: i for i, s in enumerate(SEVERITIES)}, return_dtype=pl.Int64)
    return (
        result.join(names.select("counterparty_id", "counterparty_name"), on="counterparty_id", how="left")
        .sort(
            [rank, pl.col("amount"), pl.col("code"), pl.col("order_in_code")],
            descending=[False, True, False, False],
            nulls_last=True,
        )
        .select(list(EXCEPTION_SCHEMA))
    )
