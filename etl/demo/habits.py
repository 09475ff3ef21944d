"""How each customer settles a shipment: when it pays, in how many parts, and what it nets off.

Decided when the shipment is made. A customer pays by its behaviour (on time, late, chronically
late, in parts, in advance); returns and weight adjustments made before it pays reduce what it
pays, later ones (and advances) are netted off its next payment on the same contract, as customers
do.
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
        """When this customer pays a debt due on `due`, by its habit (unadjusted for bank days)."""
        randint = self.randint
        rnd = self.rnd
        r = rnd()
        b = cp.behaviour
        if b == "late":
            pay = due + randint(1, 10) if r < 0.85 else due - randint(0, 3)
        elif b == "chronic":
            pay = due + randint(30, 90) if r < 0.85 else due + randint(5, 29)
        elif b == "partial":
            pay = due + randint(-2, 7)
        else:  # ontime, stopper (until it stops), prepay's rare post-payments
            pay = due - randint(0, 4) if r < 0.88 else due + randint(1, 6)
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
