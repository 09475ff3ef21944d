"""Returns and weight adjustments: returns.csv and adjustments.csv, in the Russian style.

Both files use ``;``, ``1 234,56`` and DD.MM.YYYY; adjustments write the thousands separator as a
no-break space, as 1C does. A correction is decided when its shipment is made but dated days later,
so it waits in a heap until the day loop passes its date and then gets its id in date order.
"""

from __future__ import annotations

import heapq
from datetime import date

from domain.money import amount_ru
from etl.demo.formats import HEADERS
from etl.demo.state import Run

RETURN = "R"
ADJUSTMENT = "A"


class Corrections:
    """The returns and adjustments decided but not yet written, and their two files."""

    def __init__(self, run: Run) -> None:
        self.run = run
        # Heap keys are date << 40 | seq, as in payments.
        self.heap: list[tuple[int, tuple[int, str, str, str, int]]] = []
        self.numbers: dict[tuple[str, int], int] = {}
        self._returns_handle, self._returns = run.open_csv("returns.csv", "utf-8", ";")
        self._adj_handle, self._adjustments = run.open_csv("adjustments.csv", "utf-8", ";")
        self._returns.writerow(HEADERS["returns"])
        self._adjustments.writerow(HEADERS["adjustments"])

    def add(self, kind: str, day: int, contract_id: str, shipment_id: str, amount: int) -> None:
        """Queue a return (amount > 0 is what comes back) or an adjustment (signed) of a shipment."""
        run = self.run
        run.seq += 1
        heapq.heappush(self.heap, (day << 40 | run.seq, (day, kind, contract_id, shipment_id, amount)))

    def flush(self, before: int) -> None:
        """Write every queued correction dated before `before`."""
        heap = self.heap
        counts = self.run.counts
        ru = self.run.dates.ru
        limit = before << 40
        while heap and heap[0][0] < limit:
            d, kind, ctr_id, ship_id, amount = heapq.heappop(heap)[1]
            if kind == RETURN:
                counts["returns"] += 1
                self._returns.writerow(
                    (
                        f"R{counts['returns']:07d}",
                        ctr_id,
                        ru(d),
                        amount_ru(amount),
                        ship_id,
                        self._number("ВТ", d),
                        "нет",
                    )
                )
            else:
                counts["adjustments"] += 1
                self._adjustments.writerow(
                    (
                        f"A{counts['adjustments']:07d}",
                        ctr_id,
                        ru(d),
                        amount_ru(amount, "\u00a0"),
                        ship_id,
                        self._number("КР", d),
                        "0",
                    )
                )

    def close(self, first_ship: tuple[str, str]) -> None:
        """Write the rest of the queue and the two bad rows, and close the files.

        `first_ship` is (shipment id, contract id) of the first shipment, which the bad rows name.
        """
        run = self.run
        self.flush(run.end + 1)
        ship_id, contract_id = first_ship
        ru_end = run.dates.ru(run.end)
        # Bad rows at the end of their files (ids stay sorted): a negative return, a zero adjustment.
        self._returns.writerow(
            (f"R{run.counts['returns'] + 1:07d}", contract_id, ru_end, amount_ru(-123_456), ship_id, "ВТ-999999", "нет")
        )
        self._adjustments.writerow(
            (f"A{run.counts['adjustments'] + 1:07d}", contract_id, ru_end, amount_ru(0), ship_id, "КР-999999", "0")
        )
        run.counts["bad_rows"] += 2
        self._returns_handle.close()
        self._adj_handle.close()

    def _number(self, prefix: str, ordinal: int) -> str:
        """Per-year numbering, as 1C restarts document numbers every January."""
        key = (prefix, date.fromordinal(ordinal).year)
        n = self.numbers.get(key, 0) + 1
        self.numbers[key] = n
        return f"{prefix}-{n:06d}"
