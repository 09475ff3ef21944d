"""How each customer settles a shipment: when it pays, in how many parts, and what it nets off.

Decided when the shipment is made. A customer pays by its habit (customers.py draws the habit and its
own numbers once: how many days late, how early, when it starts slowing down); returns and weight
adjustments made before it pays reduce what it pays, later ones (and advances) are netted off its next
payment on the same contract, as customers do. payments.py then moves each payment to a bank day
(and a registry payer's to its registry weekday) and pools a batch payer's payments of one date.
"""

from __future__ import annotations

from etl.demo.corrections import ADJUSTMENT, RETURN, Corrections
from etl.demo.payments import Payments, Ref
from etl.demo.state import Contract, Counterparty, Run


class Habits:
    def __init__(self, run: Run, payments: Payments, corrections: Corrections) -> None:
        self.run = run
        self.payments = payments
        self.corrections = corrections
        # Bound once: settle runs for every shipment, up to a million times.
        self.rng = run.rng
        self.rnd = run.rng.random
        self.randint = run.randint

    def pay_date(self, cp: Counterparty, shipped: int, due: int) -> int:
        """When this customer pays a debt due on `due`, by its habit (before payments.py moves it to a
        bank day, and a registry payer's to its registry weekday).

        One branch per habit; every draw is cheap: this runs for every shipment, up to a million times.
        """
        randint = self.randint
        rnd = self.rnd
        r = rnd()
        b = cp.behaviour
        if b in {"ontime", "prepay"}:  # prepay: its rare payments after the shipment
            pay = due - randint(0, 4) if r < 0.88 else due + randint(1, 6)
        elif b == "late":
            pay = due + cp.delay + randint(-3, 3)
        elif b == "early":
            return max(due - cp.delay + randint(-3, 3), shipped)  # never a slip: it always pays early
        elif b == "erratic":
            # No pattern: a third early or on the day, the rest late by up to a month, or by up to two.
            if r < 0.3:
                pay = due - randint(0, 10)
            elif r < 0.75:
                pay = due + randint(1, 30)
            else:
                pay = due + randint(31, 60)
        elif b in {"month_end", "quarter_end"}:
            # What fell due in the period is paid on its last bank day. A tight period (one in twelve,
            # which ones set by the customer's own cp.delay) pushes the whole batch to the next period's.
            cal = self.run.cal
            pay = cal.period_end(due, cp.period)
            if (cal.month_index(pay) // cp.period + cp.delay) % 12 == 0:
                pay = cal.period_end(pay + 1, cp.period)
            return max(pay, shipped)
        elif b == "slowing":
            pay = due - randint(0, 4) if r < 0.88 else due + randint(1, 6)
            if due > cp.slow_from:
                # Later and later: nothing at slow_from, cp.delay days on the day it stops paying.
                pay += (due - cp.slow_from) * cp.delay // (cp.stop_pay - cp.slow_from) + randint(0, 5)
        elif b == "chronic":
            pay = due + randint(30, 90) if r < 0.85 else due + randint(5, 29)
        else:  # partial: each part of a large shipment is planned from here
            pay = due + randint(-2, 7)
        if rnd() < 0.03:
            pay += randint(5, 25)  # anyone slips now and then
        return max(pay, shipped)

    def settle(self, cp: Counterparty, ctr: Contract, d: int, amount: int, due: int, ship_id: str, number: str) -> None:
        """Plan the payment(s) of a shipment made on `d`, and any return or adjustment of it."""
        run = self.run
        rng = self.rng
        rnd = self.rnd
        randint = self.randint
        parts_dates: list[int]
        kind = "pay"
        if cp.behaviour == "prepay" and rnd() < 0.9:
            kind = "pre"
            parts_dates = [max(d - randint(1, 5), ctr.date_ord, run.start)]
        elif cp.behaviour == "partial" and amount >= 300_000 and rnd() < 0.6:
            kind = "part"
            first = self.pay_date(cp, d, due)
            parts_dates = [first]
            for _k in range(randint(1, 2)):
                parts_dates.append(parts_dates[-1] + randint(7, 20))
        else:
            parts_dates = [self.pay_date(cp, d, due)]
        first_pay = parts_dates[0]

        net = amount + ctr.offset
        ctr.offset = 0
        if rnd() < 0.02:  # a return of part of the goods
            ret_d = d + randint(1, 12)
            ret = max(1, int(amount * rng.uniform(0.03, 0.4)))
            if ret_d <= run.end:
                self.corrections.add(RETURN, ret_d, ctr.contract_id, ship_id, ret)
                if ret_d < first_pay:
                    net -= ret
                else:
                    ctr.offset -= ret  # already paid: netted off the next payment
        if rnd() < 0.03:  # the actual weight differs from the invoiced one
            adj_d = d + randint(0, 5)
            adj = max(1, int(amount * rng.uniform(0.001, 0.02))) * (1 if rnd() < 0.4 else -1)
            if adj_d <= run.end:
                self.corrections.add(ADJUSTMENT, adj_d, ctr.contract_id, ship_id, adj)
                if adj_d < first_pay and kind != "pre":
                    net += adj
                else:
                    ctr.offset += adj
        if net <= 0:
            ctr.offset += net  # fully covered by an advance: nothing to pay
            return
        if kind == "pre":
            # Prepaid as invoiced; anything the contract owed or was owed waits for later.
            ctr.offset += net - amount
            net = amount
        refs: list[Ref] = [(ship_id, number, d, net, amount)]
        if kind != "part":
            self.payments.schedule(cp, ctr, [(first_pay, net)], kind, refs)
            return
        parts: list[tuple[int, int]] = []
        left = net
        for k, pd in enumerate(parts_dates):
            if k == len(parts_dates) - 1:
                share = left
            else:
                # Partial payments come in round thousands of rubles.
                share = int(left * rng.uniform(0.3, 0.6)) // 100_000 * 100_000
                if share <= 0:
                    share = left
            parts.append((pd, share))
            left -= share
            if left <= 0:
                break
        self.payments.schedule(cp, ctr, parts, kind, refs)
