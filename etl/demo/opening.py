"""opening_balances.csv: the debt at the cut-over (the close of the day before the first shipment).

Written document by document, so the aging of old debt is right from day one: each row is an unpaid
document from before the cut-over with its own date and due date. A few customers start with an
advance instead, which they net off their next payments.
"""

from __future__ import annotations

from domain.money import format_money
from etl.demo.formats import HEADERS
from etl.demo.habits import Habits
from etl.demo.state import Run


def write_opening_balances(run: Run, habits: Habits) -> None:
    rng = run.rng
    iso = run.dates.iso
    handle, writer = run.open_csv("opening_balances.csv", "utf-8", ",")
    rows = 0
    with handle:
        writer.writerow(HEADERS["opening_balances"])
        old = [cp for cp in run.cps if cp.ship_from == run.start]
        advance_given = False
        for k, cp in enumerate(old):
            ctr = cp.contracts[0]  # the only contract signed before the cut-over
            wants_advance = (cp.behaviour == "prepay" and rng.random() < 0.7) or rng.random() < 0.03
            if not advance_given and k == len(old) - 1:
                wants_advance = True  # every demo shows at least one advance
            if wants_advance:
                advance_given = True
                amount = -int(cp.mean_kop * rng.uniform(0.3, 1.5) / ctr.divisor)
                rows += 1
                writer.writerow(
                    (
                        f"OB{rows:05d}",
                        ctr.contract_id,
                        iso(run.ob_ord),
                        format_money(amount),
                        "",
                        f"Аванс-{rng.randint(100, 9999):05d}",
                    )
                )
                ctr.offset += amount  # the customer nets it off its next payments
                continue
            if cp.behaviour == "prepay" or (rng.random() > 0.75 and cp.behaviour not in ("chronic", "slowing")):
                continue
            spread = 150 if cp.behaviour == "chronic" else 60
            # Each row is an unpaid document from before the cut-over, with its own date: overdue
            # old debt then ages correctly, and its due date never precedes its document date.
            docs = []
            for _ in range(rng.randint(1, 3)):
                shipped = max(run.ob_ord - rng.randint(0, spread), ctr.date_ord)
                amount = max(100, int(cp.mean_kop * rng.lognormvariate(-0.18, 0.6) / ctr.divisor))
                docs.append((shipped, amount, f"УПД-{rng.randint(1, 60000):06d}"))
            for shipped, amount, number in sorted(docs):
                due = run.cal.due(shipped, ctr.terms, ctr.working)
                rows += 1
                row = (f"OB{rows:05d}", ctr.contract_id, iso(shipped), format_money(amount), iso(due), number)
                writer.writerow(row)
                if rng.random() < 0.04:
                    continue  # a disputed old debt nobody pays: stays deep in overdue
                pay = max(habits.pay_date(cp, shipped, due), run.start + rng.randint(0, 5))
                ref = (None, number, shipped, amount, amount)
                habits.payments.schedule(cp, ctr, [(pay, amount)], "ob", [ref])
    run.counts["opening_balances"] = rows
