"""The exports of contract sections 4 and 5: which query, which columns first, which columns are money.

The CLI and the pages' download buttons build the same frames here. Column order: the contract's
columns first, in the contract's order; additions after them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl
from sqlalchemy import Connection

from domain.buckets import DEFAULT_BUCKETS, Buckets
from queries.scope import Scope

if TYPE_CHECKING:  # the queries themselves are imported by the report that runs them
    from queries.aging import Grouping
    from queries.trend import Freq


@dataclass(frozen=True)
class Report:
    frame: pl.DataFrame
    money: tuple[str, ...]
    title: str | None = None
    # A totals row per currency in the XLSX only where the amounts add up: not month-end balances (trend),
    # not the amounts of different exceptions (an overdue debt beside the shipment it was shipped against).
    totals: bool = True


def _ordered(frame: pl.DataFrame, first: list[str]) -> pl.DataFrame:
    present = [c for c in first if c in frame.columns]
    return frame.select(present + [c for c in frame.columns if c not in present])


def aging_report(conn: Connection, *, as_of: date, by: Grouping, scope: Scope, buckets: Buckets) -> Report:
    from queries.aging import aging

    frame = aging(conn, as_of=as_of, scope=scope, by=by, buckets=buckets)
    money = ("credit_limit", "balance", "advance", "not_due", "overdue", *buckets.names)
    return Report(frame, money, f"Дебиторская задолженность на {as_of:%d.%m.%Y}")


def act_report(
    conn: Connection,
    *,
    counterparty_id: str,
    date_from: date,
    date_to: date,
    contract_id: str | None,
    currency: str | None,
    scope: Scope,
) -> Report:
    from dashboard.services.acts import existing_act

    frame, _currency = existing_act(
        conn,
        counterparty_id=counterparty_id,
        date_from=date_from,
        date_to=date_to,
        contract_id=contract_id,
        currency=currency,
        scope=scope,
    )
    frame = _ordered(frame, ["kind", "date", "document", "debit", "credit"])
    # The act's own rows carry its turnovers and balances: a sum of them would count them twice.
    return Report(
        frame,
        ("debit", "credit"),
        f"Акт сверки {counterparty_id} {date_from:%d.%m.%Y}-{date_to:%d.%m.%Y}",
        totals=False,
    )


def exceptions_report(
    conn: Connection, *, as_of: date, scope: Scope, rules: Any = None, stop_rules: Any = None
) -> Report:
    """`stop_rules` (the [stoplist] rules) fill the stop_rules column of shipped_while_overdue; `detail` is
    the row's sentence in Russian, `detail_en` in English (dashboard.services.wording)."""
    from dashboard.services.wording import exceptions_worded
    from queries.exceptions import ExceptionRules, exceptions
    from queries.stoplist import StopRules

    found = exceptions(
        conn, as_of=as_of, scope=scope, rules=rules or ExceptionRules(), stop_rules=stop_rules or StopRules()
    )
    frame = _ordered(
        exceptions_worded(found), ["code", "counterparty_id", "contract_id", "document_id", "amount", "days", "detail"]
    )
    return Report(frame, ("amount",), f"Исключения на {as_of:%d.%m.%Y}", totals=False)


def worklist_report(
    conn: Connection, *, as_of: date, scope: Scope, rules: Any = None, stop_rules: Any = None
) -> Report:
    """Contract section 5: exactly the contract's columns, in its order; reason and next_step as codes."""
    from queries.exceptions import ExceptionRules
    from queries.stoplist import StopRules
    from queries.worklist import CONTRACT_COLUMNS, worklist

    found = worklist(
        conn, as_of=as_of, scope=scope, rules=rules or ExceptionRules(), stop_rules=stop_rules or StopRules()
    )
    return Report(found.select(CONTRACT_COLUMNS), ("overdue",), f"Кому звонить на {as_of:%d.%m.%Y}")


def stoplist_report(conn: Connection, *, as_of: date, scope: Scope, rules: Any = None) -> Report:
    from dashboard.services.wording import stoplist_worded
    from queries.stoplist import StopRules, stoplist

    rules = rules or StopRules()
    frame = stoplist_worded(stoplist(conn, as_of=as_of, scope=scope, rules=rules), rules)
    return Report(frame, ("overdue", "balance", "over_limit", "to_release"), f"Стоп-лист на {as_of:%d.%m.%Y}")


def calendar_report(conn: Connection, *, as_of: date, date_from: date, date_to: date, scope: Scope) -> Report:
    from queries.calendar import payment_calendar

    frame = _ordered(
        payment_calendar(conn, as_of=as_of, date_from=date_from, date_to=date_to, scope=scope),
        ["date", "due", "documents"],
    )
    return Report(frame, ("due",), f"Календарь платежей на {as_of:%d.%m.%Y}")


def trend_report(
    conn: Connection, *, date_from: date, date_to: date, freq: Freq, scope: Scope, buckets: Buckets
) -> Report:
    from queries.trend import overdue_trend

    frame = _ordered(
        overdue_trend(conn, date_from=date_from, date_to=date_to, freq=freq, scope=scope, buckets=buckets),
        ["date", "balance", "not_due", "overdue"],
    )
    money = ("balance", "not_due", "overdue", *buckets.overdue_names)
    return Report(frame, money, f"Динамика задолженности {date_from:%d.%m.%Y}-{date_to:%d.%m.%Y}", totals=False)


def rejects_report(conn: Connection, scope: Scope) -> Report:
    from queries.rejects import rejects_list

    return Report(rejects_list(conn, scope=scope), (), "Отклонённые строки")


def build_report(
    conn: Connection,
    name: str,
    params: dict[str, Any],
    *,
    scope: Scope | None = None,
    buckets: Buckets = DEFAULT_BUCKETS,
    rules: Any = None,
    stop_rules: Any = None,
) -> Report:
    scope = scope or Scope.everything()
    if name == "aging":
        return aging_report(conn, as_of=params["as_of"], by=params.get("by", "contract"), scope=scope, buckets=buckets)
    if name == "act":
        return act_report(
            conn,
            counterparty_id=params["counterparty"],
            date_from=params["date_from"],
            date_to=params["date_to"],
            contract_id=params.get("contract"),
            currency=params.get("currency"),
            scope=scope,
        )
    if name == "exceptions":
        return exceptions_report(conn, as_of=params["as_of"], scope=scope, rules=rules, stop_rules=stop_rules)
    if name == "worklist":
        return worklist_report(conn, as_of=params["as_of"], scope=scope, rules=rules, stop_rules=stop_rules)
    if name == "stoplist":
        return stoplist_report(conn, as_of=params["as_of"], scope=scope, rules=stop_rules)
    if name == "calendar":
        return calendar_report(
            conn, as_of=params["as_of"], date_from=params["date_from"], date_to=params["date_to"], scope=scope
        )
    if name == "trend":
        return trend_report(
            conn,
            date_from=params["date_from"],
            date_to=params["date_to"],
            freq=params.get("freq", "day"),
            scope=scope,
            buckets=buckets,
        )
    if name == "rejects":
        return rejects_report(conn, scope)
    if name == "forecast":
        from dashboard.services.forecast_export import forecast_report

        return forecast_report(
            conn,
            as_of=params["as_of"],
            date_to=params["date_to"],
            freq=params.get("freq") or "day",
            by=params.get("by"),
            scope=scope,
        )
    raise ValueError(f"unknown report: {name}")
