"""Customer payments from plan to file: payments.csv, allocations.csv, or the bank statement.

Payments are planned when their shipment is made (see habits.py) and wait in a heap keyed by date
until the day loop passes that date; then they get their ids, in date order, and go to
payments.csv, except ruble payments of the statement's last 30 days, which only the bank statement
carries. Customers that pay by weekly registry, or in batches at a month's or a quarter's end, have
one payment per such day and contract.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from domain.money import format_money
from etl.demo.formats import HEADERS, vat, weekday
from etl.demo.state import Contract, Counterparty, Run

# What a payment pays for: (shipment id or None for an opening balance, document number,
# document date, amount paid, document amount).
Ref = tuple[str | None, str, int, int, int]
# An incoming payment of the statement: (date, seq, payer, amount, order number, purpose).
StatementDoc = tuple[int, int, Counterparty, int, str, str]


@dataclass(slots=True)
class Planned:
    """A payment waiting for its date; a registry payment grows while it waits (amount, refs)."""

    day: int
    seq: int
    ctr: Contract
    cp: Counterparty
    amount: int
    kind: str
    refs: list[Ref]
    nocontract: bool


class Payments:
    """The payments planned but not yet written, and the two files they are written to."""

    def __init__(self, run: Run) -> None:
        self.run = run
        # Heap keys are date << 40 | seq: one int compares much faster than a list.
        self.heap: list[tuple[int, Planned]] = []
        # A registry payment still open to more shipments, by (date, contract, without contract).
        self.batches: dict[tuple[int, int, bool], Planned] = {}
        self.statement_docs: list[StatementDoc] = []
        self._pay_handle, self._pay_writer = run.open_csv("payments.csv", "utf-8", ",")
        self._alloc_handle, self._alloc_writer = run.open_csv("allocations.csv", "utf-8", ",")
        self._pay_writer.writerow(HEADERS["payments"])
        self._alloc_writer.writerow(HEADERS["allocations"])

    def schedule(
        self, cp: Counterparty, ctr: Contract, parts: list[tuple[int, int]], kind: str, refs: list[Ref]
    ) -> None:
        """Queue payments [(date, amount)], dropping what falls after `end` or after the customer stopped.

        `kind`: "pay" (after the shipment), "part" (one of several parts), "pre" (an advance), "ob"
        (an opening balance).
        """
        run = self.run
        cal = run.cal
        nocontract = ctr.currency == "RUB" and cp.no_contract_share > 0 and run.rng.random() < cp.no_contract_share
        for planned, amount in parts:
            if planned > run.end or amount <= 0:
                continue
            pay = cal.next_working(planned)
            if kind == "pay" and cp.batch_day >= 0:
                # Registry day: the next working day on the customer's payment weekday. Three weeks
                # span any holiday break (New Year's has none of a weekday for up to two).
                for _ in range(21):
                    if weekday(pay) == cp.batch_day and cal.is_working(pay):
                        break
                    pay += 1
                else:
                    pay = cal.next_working(pay)
            if pay > run.end or pay >= cp.stop_pay:
                continue
            if kind == "pay" and cp.pooled:
                # A registry's or a batch's date: one payment per contract takes all it pays for.
                key = (pay, ctr.idx, nocontract)
                batch = self.batches.get(key)
                if batch is not None:
                    batch.amount += amount
                    batch.refs.append((*refs[0][:3], amount, refs[0][4]))
                    continue
                entry = Planned(pay, run.seq, ctr, cp, amount, kind, [(*refs[0][:3], amount, refs[0][4])], nocontract)
                self.batches[key] = entry
            else:
                entry = Planned(pay, run.seq, ctr, cp, amount, kind, refs, nocontract)
            run.seq += 1
            heapq.heappush(self.heap, (pay << 40 | entry.seq, entry))

    def flush(self, before: int) -> None:
        """Write every queued payment dated before `before`."""
        run = self.run
        heap = self.heap
        counts = run.counts
        limit = before << 40
        while heap and heap[0][0] < limit:
            entry = heapq.heappop(heap)[1]
            pay, ctr, cp, amount, kind, refs, nocontract = (
                entry.day,
                entry.ctr,
                entry.cp,
                entry.amount,
                entry.kind,
                entry.refs,
                entry.nocontract,
            )
            if kind == "pay" and cp.pooled:
                del self.batches[(pay, ctr.idx, nocontract)]
            cp.pp_no += run.randint(1, 12)  # the customer pays other suppliers in between
            number = str(cp.pp_no)
            purpose = self._purpose(entry)
            if ctr.currency != "RUB" or pay < run.stmt_start:
                counts["payments"] += 1
                pid = f"P{counts['payments']:07d}"
                self._pay_writer.writerow(
                    (
                        pid,
                        run.dates.iso(pay),
                        format_money(amount),
                        "" if nocontract else ctr.contract_id,
                        cp.counterparty_id,
                        number,
                        purpose,
                    )
                )
                # Explicit allocations, as some customers send with a registry: a few payments only.
                if kind == "pay" and (counts["allocations"] < 3 or run.rng.random() < 0.001):
                    for ship_id, _num, _d, part, ship_amount in refs:
                        counts["allocations"] += 1
                        self._alloc_writer.writerow((pid, ship_id, format_money(min(part, ship_amount))))
            else:
                self.statement_docs.append((pay, entry.seq, cp, amount, number, purpose))

    def close(self, first_ship_id: str) -> None:
        """Write the rest of the queue and the two bad rows, and close the files."""
        run = self.run
        self.flush(run.end + 1)
        last_csv_day = run.stmt_start - 1
        while not run.cal.is_working(last_csv_day):
            last_csv_day -= 1
        # Bad rows at the end of their files (ids stay sorted): a payment naming neither a contract
        # nor a counterparty, and an allocation of a payment that does not exist.
        self._pay_writer.writerow(
            (
                f"P{run.counts['payments'] + 1:07d}",
                run.dates.iso(last_csv_day),
                "1500.00",
                "",
                "",
                "1",
                "Оплата по счету № 77 без указания плательщика",
            )
        )
        self._alloc_writer.writerow(("P9999999", first_ship_id, "100.00"))
        run.counts["bad_rows"] += 2
        self._pay_handle.close()
        self._alloc_handle.close()

    def _purpose(self, entry: Planned) -> str:
        """НазначениеПлатежа as customers write it: the contract (unless omitted) and the documents."""
        seq, ctr, amount, kind, refs = entry.seq, entry.ctr, entry.amount, entry.kind, entry.refs
        nocontract = entry.nocontract
        contract = "" if nocontract else f" по договору № {ctr.number} от {ctr.date_ru}"
        ru = self.run.dates.ru
        tax = f", в т.ч. НДС 20% - {format_money(vat(amount))}"
        if kind == "pre":
            number = refs[0][1].split("-")[-1].lstrip("0")
            return f"Предоплата по счету № {number} от {ru(max(refs[0][2] - 3, ctr.date_ord))}{contract}{tax}"
        if kind == "ob":
            return f"Оплата задолженности{contract} за товар по {refs[0][1]}{tax}"
        if len(refs) > 4:
            return f"Оплата{contract} по реестру № {seq % 9000 + 1000} за товар ({len(refs)} УПД){tax}"
        docs = ", ".join(f"{ref[1]} от {ru(ref[2])}" for ref in refs)
        lead = "Частичная оплата" if kind == "part" else "Оплата"
        return f"{lead}{contract} за товар по {docs}{tax}"
