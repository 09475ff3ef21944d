"""Exceptions as of a date: the credit controller's morning list (contract section 4, `export exceptions`).

One row per thing to act on, most urgent first (severity high, medium, low; then amount, largest first).
Amounts are kopecks in the document's or contract's currency (never summed across currencies); `days`
depends on the code. The frame holds codes, numbers and the facts a sentence about the row needs;
dashboard.services.wording words it in Russian or English (the `detail` of the pages and exports).

Codes and their rules (D = as_of; "open" and "overdue" as in contract section 2), each answered by a
module of its own:

queries.exceptions_debts:
- ``overdue`` (high when more than ``rules.high_overdue_days`` days overdue or at least
  ``rules.large_overdue_amount``, else medium): one row per debit open as of D whose due date is
  before D. amount = open amount; days = D - due date.
- ``due_today`` (low): one row per debit open as of D that falls due on D. amount = open amount; days = 0.
- ``due_before_date`` (medium): one row per shipment open as of D whose due date is before its own date
  (a due date typed wrong, or day and month swapped in Excel). amount = open amount; days = its date - its
  due date.
- ``no_payment_recently`` (high): a counterparty with overdue debt as of D (one row per currency) and no
  payment dated in the last ``rules.no_payment_days`` days (D - N < date <= D). amount = its overdue
  debt in that currency; days = D - date of its last payment (last_payment), empty when it never paid.
- ``advance`` (low): one row per credit (payment, return, negative adjustment or opening balance)
  with money unused as of D: on its contract, or the counterparty's (contract_id empty). amount = the
  unused amount; days = D - the credit's date.

queries.exceptions_limits (the rules of domain.limits):
- ``credit_limit_exceeded`` (high): a contract with a credit limit whose balance as of D (its open
  debits - its contract-level advance, queries.ledger.balances, as on the contract's row of
  queries.aging) is above the limit. amount = balance - limit; days empty. A counterparty-level advance
  stands on its own aging row and does not lower a contract's balance.
- ``credit_limit_near`` (medium): a contract with a limit above zero, not exceeded, whose balance is at
  least ``rules.credit_limit_near_percent`` % of the limit. amount = balance; days empty.

queries.exceptions_shipped:
- ``shipped_while_overdue`` (high): a shipment dated in [D - ``rules.lookback_days``, D] on whose date S
  the counterparty (any of its contracts and currencies) had a debit open as of S and more than
  ``rules.shipped_while_overdue_days`` days overdue on S (the shipment itself aside). A debit paid in
  full on S is not open on S; a debit due on S - 1 is one day overdue on S. amount = the shipment's
  amount; days = the largest days overdue of such debits on S; overdue: their open amount that day, per
  currency. stop_rules: the stop-list rules (queries.stoplist, ``stop_rules``) the shipment
  broke on S, comma-separated in the order of queries.stoplist.REASONS, empty when none:
  ``overdue_days`` when days > ``stop_rules.overdue_days``; ``overdue_amount`` (when that rule is on)
  when the counterparty's overdue debt on S (every debit open on S and due before S, the shipment
  aside, whatever the threshold above) is above ``stop_rules.overdue_amount`` in some currency;
  ``credit_limit`` (when that rule is on) when the balance as of S of the shipment's contract (as on
  its aging row: open debits - the contract's advance; the shipment and everything else dated S
  included) is above the contract's credit limit; empty too when a release (queries.releases) let the
  counterparty be shipped to on S. A debit under a dispute open on S (dated on or before S, not resolved
  by S) counts in neither the overdue amounts nor the days, as on the stop-list of S; a shipment whose
  only overdue debt that day was disputed is no exception. It stays in the contract's balance.

queries.exceptions_notes (the promises and disputes of queries.collections):
- ``broken_promise`` (high): one row per promise broken as of D. amount = what is missing (promised -
  paid); days = D - its last day; promised, until and note_id name the promise.
- ``disputed`` (medium): one row per document under a dispute open as of D. amount = its open amount
  (0 once paid); days = D - the dispute's date. While its dispute is open a debit is left out of
  ``overdue``, ``due_today`` and ``no_payment_recently`` (it shows once, as ``disputed``); it still counts
  in balances (the limits). ``shipped_while_overdue`` leaves it out on the days its dispute was open.

queries.exceptions_unowned:
- ``unidentified_payment`` (medium): a bank payment dated on or before D whose payer INN is no
  counterparty's. amount = the payment; days = D - date received; payer_name, payer_inn, purpose.
- ``rejected_row`` (medium): one row per entry of the rejects list (a row or a whole file that did not
  load). amount and days empty; document_id = the rejected row's key; source_file (the file's name),
  source_line, source_column, source_value and reason.

stop_rules is empty for every code but ``shipped_while_overdue``. The other facts (EXCEPTION_SCHEMA) are
empty where a code has none: contract_number (the limits and the advances), doc_kind, doc_number and
doc_date (the rows of one document), balance and credit_limit (the limits), promised, until and note_id
(broken_promise; note_id also disputed).

Scope: every code keeps to the scope's counterparties, contracts and currencies. Unidentified payments
and rejects belong to no counterparty, so they are shown only to a scope that restricts neither
counterparties nor contracts (a manager never sees them); unidentified payments follow the currency
filter. ``shipped_while_overdue`` looks at all the debts of a counterparty in scope, whatever the
contract or currency filter, since the policy is about the customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection

from queries.exceptions_debts import advance_rows, debit_rows, due_before_date_rows, no_payment_rows
from queries.exceptions_limits import limit_rows, limited_balances
from queries.exceptions_notes import broken_promise_rows, disputed_rows, notes_as_of, undisputed
from queries.exceptions_shipped import OVERDUE_DTYPE, shipped_while_overdue_rows
from queries.exceptions_unowned import reject_rows, shows_unowned, unidentified_rows
from queries.ledger import contract_details, counterparty_names, open_credits, open_debits
from queries.scope import Scope
from queries.stoplist import StopRules

SEVERITIES = ("high", "medium", "low")
DEFAULT_STOP_RULES = StopRules()  # the stop-list's defaults: more than 30 days overdue, credit limits on

EXCEPTION_SCHEMA = pl.Schema(
    {
        "code": pl.String(),
        "severity": pl.String(),
        "counterparty_id": pl.String(),
        "counterparty_name": pl.String(),
        "contract_id": pl.String(),
        "document_id": pl.String(),
        "currency": pl.String(),
        "amount": pl.Int64(),
        "days": pl.Int64(),
        "stop_rules": pl.String(),  # shipped_while_overdue: the stop-list rules broken on the shipment's date
        # The facts of the row's sentence (dashboard.services.wording), empty where a code has none.
        "contract_number": pl.String(),
        "doc_kind": pl.String(),
        "doc_number": pl.String(),
        "doc_date": pl.Date(),
        "balance": pl.Int64(),
        "credit_limit": pl.Int64(),
        "last_payment": pl.Date(),
        "overdue": OVERDUE_DTYPE,
        "payer_name": pl.String(),
        "payer_inn": pl.String(),
        "purpose": pl.String(),
        "source_file": pl.String(),
        "source_line": pl.Int64(),
        "source_column": pl.String(),
        "source_value": pl.String(),
        "reason": pl.String(),
        "promised": pl.Int64(),
        "until": pl.Date(),
        "note_id": pl.Int64(),
    }
)

# Rows as the builders produce them: everything but the counterparty's name, numbered in their order.
_PART_SCHEMA = pl.Schema(
    {**{c: t for c, t in EXCEPTION_SCHEMA.items() if c != "counterparty_name"}, "order_in_code": pl.Int64()}
)


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


def _part_frame(part: pl.DataFrame) -> pl.DataFrame:
    """One builder's rows in the list's columns (the facts it has not, empty), numbered in their order."""
    part = part.with_row_index("order_in_code")
    missing = {"stop_rules": pl.lit("")}
    return part.select(
        [
            (pl.col(name) if name in part.columns else missing.get(name, pl.lit(None))).cast(dtype).alias(name)
            for name, dtype in _PART_SCHEMA.items()
        ]
    )


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
    balances = limited_balances(debits, credits, contracts)
    promises, disputes = notes_as_of(conn, as_of, scope)
    collectable = undisputed(debits, disputes)  # a disputed debit shows as disputed, not as overdue
    parts = [
        debit_rows(
            collectable,
            as_of,
            high_overdue_days=rules.high_overdue_days,
            large_overdue_amount=rules.large_overdue_amount,
        ),
        due_before_date_rows(debits),
        limit_rows(balances, near_percent=rules.credit_limit_near_percent),
        shipped_while_overdue_rows(
            conn,
            as_of,
            scope,
            threshold=rules.shipped_while_overdue_days,
            lookback_days=rules.lookback_days,
            stop_rules=stop_rules,
            balances=balances,
        ),
        no_payment_rows(conn, collectable, as_of, no_payment_days=rules.no_payment_days),
        broken_promise_rows(conn, promises, as_of, scope),
        disputed_rows(conn, disputes, scope),
        advance_rows(credits, as_of, contracts),
    ]
    if shows_unowned(scope):
        parts += [unidentified_rows(conn, as_of, scope), reject_rows(conn)]
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
