"""shipped_while_overdue recounted the plain way, for the exceptions' property tests: random ledgers
(`random_ledger`) and, for each shipment of the window, the overdue debt of its counterparty on its day
from one plain query per shipment (`recount`), leaving out the debits under a dispute open that day when
the caller says which (`disputed`). The queries under test share nothing with it but the warehouse."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Engine, text

from queries.stoplist import StopRules
from tests.helpers.tables import advances, due_dates, open_amounts

LIMITS = {"C1": "1500", "C2": "800", "C3": "1000", "C4": ""}  # rubles (C2: dollars); C4 has none


def random_ledger(seed: int) -> dict[str, str]:
    """Three counterparties, four contracts (one in dollars, three with a credit limit), shipments with and without
    their own due date,
    contract and counterparty payments, returns: the FIFO matching decides what is open on each day."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    contracts = [("C1", "K1", "RUB", 0), ("C2", "K1", "USD", 10), ("C3", "K2", "RUB", 5), ("C4", "K3", "RUB", 20)]
    shipments, payments, returns = [], [], []
    for i in range(90):
        contract_id, _, _, _ = rng.choice(contracts)
        day = start + timedelta(days=rng.randrange(120))
        due = "" if rng.random() < 0.5 else str(day + timedelta(days=rng.randrange(-2, 25)))
        shipments.append(f"S{i},{contract_id},{day},{rng.randrange(1, 500)}.{rng.randrange(100):02d},N{i},{due}")
        if rng.random() < 0.15:
            returns.append(
                f"R{i},{contract_id},{day + timedelta(days=rng.randrange(1, 10))},{rng.randrange(1, 50)},S{i}"
            )
    for i in range(45):
        contract_id, counterparty_id, _, _ = rng.choice(contracts)
        day = start + timedelta(days=rng.randrange(130))
        by_contract = rng.random() < 0.7 or contract_id == "C2"
        payments.append(
            f"P{i},{day},{rng.randrange(50, 900)},{contract_id if by_contract else ''},"
            f"{'' if by_contract else counterparty_id}"
        )
    return {
        "counterparties.csv": "counterparty_id,name\nK1,Один\nK2,Два\nK3,Три\n",
        "contracts.csv": "contract_id,counterparty_id,currency,terms_days,credit_limit\n"
        + "".join(f"{c},{k},{cur},{days},{LIMITS[c]}\n" for c, k, cur, days in contracts),
        "shipments.csv": "document_id,contract_id,date,amount,number,due_date\n" + "\n".join(shipments),
        "returns.csv": "document_id,contract_id,date,amount,shipment_id\n" + "\n".join(returns),
        "payments.csv": "document_id,date,amount,contract_id,counterparty_id\n" + "\n".join(payments),
    }


@dataclass(frozen=True)
class Shipped:
    """A shipment made while its counterparty had debt overdue beyond the threshold, as the recount finds it."""

    shipment_id: str
    amount: int  # the shipment's own, kopecks
    days: int  # the longest overdue debt's days that day
    overdue: dict[str, int]  # currency -> debt overdue beyond the threshold that day, kopecks
    stop_rules: str  # the stop rules broken that day, comma-separated, in the order the exceptions name them


@dataclass
class Recount:
    shipped: list[Shipped] = field(default_factory=list)
    held_out: int = 0  # overdue debits left out of some shipment's day because a dispute was open then


def documents(engine: Engine) -> list[tuple[str, str, str, str, date, int, str | None]]:
    """Every document: (document_id, kind, counterparty_id, currency, doc_date, amount, contract_id)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT document_id, kind, counterparty_id, currency, doc_date, amount, contract_id FROM documents")
        ).all()
    return [
        (r[0], r[1], r[2], r[3], r[4] if isinstance(r[4], date) else date.fromisoformat(r[4]), int(r[5]), r[6])
        for r in rows
    ]


def recount(
    engine: Engine,
    *,
    as_of: date,
    lookback_days: int,
    threshold: int,
    stop_rules: StopRules,
    disputed: Callable[[str, date], bool] = lambda _document_id, _day: False,
) -> Recount:
    """Each shipment dated in the look-back window up to `as_of`: the debits of its counterparty open and
    overdue beyond `threshold` days on its date (one plain query of open amounts per shipment), less those
    `disputed(document_id, day)` holds out; the stop rules broken that day (days, every overdue debt's amount
    per currency, the contract's balance against its limit)."""
    rows = documents(engine)
    due = due_dates(engine)
    contract_of = {r[0]: r[6] for r in rows}
    limits = {c: int(limit) * 100 for c, limit in LIMITS.items() if limit}
    debits = [r for r in rows if r[0] in due]
    result = Recount()
    for shipment_id, kind, counterparty_id, _, day, amount, contract_id in debits:
        if kind != "shipment" or not as_of - timedelta(days=lookback_days) <= day <= as_of:
            continue
        open_then = open_amounts(engine, day)
        overdue: dict[str, int] = defaultdict(int)
        late: dict[str, int] = defaultdict(int)  # every debt overdue that day, for the stop-list's amount rule
        days = []
        for other, _, other_counterparty, currency, _, _, _ in debits:
            if other == shipment_id or other_counterparty != counterparty_id or open_then.get(other, 0) <= 0:
                continue
            overdue_days = (day - due[other]).days
            if overdue_days > 0 and disputed(other, day):
                result.held_out += 1
                continue
            if overdue_days > 0:
                late[currency] += open_then[other]
            if overdue_days > threshold:
                overdue[currency] += open_then[other]
                days.append(overdue_days)
        if not days:
            continue
        # The contract's balance that day: its open debits less its credits' unused money (aging's row).
        unused = advances(engine, day)
        balance = sum(a for doc, a in open_then.items() if contract_of[doc] == contract_id) - sum(
            a for doc, a in unused.items() if contract_of[doc] == contract_id
        )
        broken = [
            "overdue_days" if max(days) > stop_rules.overdue_days else "",
            "overdue_amount"
            if stop_rules.overdue_amount and any(a > stop_rules.overdue_amount for a in late.values())
            else "",
            "credit_limit"
            if stop_rules.credit_limit and contract_id in limits and balance > limits[contract_id]
            else "",
        ]
        result.shipped.append(Shipped(shipment_id, amount, max(days), dict(overdue), ",".join(b for b in broken if b)))
    return result
