"""Acts built by hand in the shape queries.act.act returns, for the act's documents (XLSX, PDF) without a
warehouse: a header between a company and a client over the first quarter of 2025, and a published example."""

from __future__ import annotations

from datetime import date

import polars as pl

from dashboard.services.act_document import ActHeader
from queries.act import ACT_SCHEMA, CLOSING_TITLE, OPENING_TITLE, TURNOVER_TITLE

COMPANY = 'ООО "Торговый дом"'
CLIENT = 'ООО "Ромашка"'
D_FROM, D_TO = date(2025, 1, 1), date(2025, 3, 31)


def _balance(kind: str, day: date, title: str, balance: int) -> tuple:  # type: ignore[type-arg]
    # as queries.act._balance_row: a zero balance stands in debit
    debit, credit = (balance, None) if balance >= 0 else (None, -balance)
    return (kind, day, title, debit, credit, *[None] * 8)


def make_act(opening: int, documents: list[tuple[date, str, int]]) -> pl.DataFrame:
    """An act frame in the shape queries.act.act returns; documents: (date, text, +debit / -credit) rubles."""
    rows = [_balance("opening", D_FROM, OPENING_TITLE, opening * 100)]
    for i, (day, text, rubles) in enumerate(documents):
        debit, credit = (rubles * 100, None) if rubles > 0 else (None, -rubles * 100)
        kind = "sale" if rubles > 0 else "payment"
        rows.append(("document", day, text, debit, credit, f"D{i}", kind, i, None, "", day, None, None))
    debit_turnover = sum(r * 100 for _, _, r in documents if r > 0)
    credit_turnover = sum(-r * 100 for _, _, r in documents if r < 0)
    rows.append(("turnover", None, TURNOVER_TITLE, debit_turnover, credit_turnover, *[None] * 8))
    rows.append(_balance("closing", D_TO, CLOSING_TITLE, opening * 100 + debit_turnover - credit_turnover))
    return pl.DataFrame(rows, schema=ACT_SCHEMA, orient="row")


HEADER = ActHeader(company=COMPANY, counterparty=CLIENT, date_from=D_FROM, date_to=D_TO)


# Three shipments (49 000 + 25 000 + 45 000 = 119 000 debit) and three payments (50 000 + 24 000 + 50 000 =
# 124 000 credit) from a zero opening: the client has overpaid 5 000, a credit balance in the client's favour.
THREE_AND_THREE = [
    (date(2025, 1, 10), "Реализация 1 от 10.01.2025", 49_000),
    (date(2025, 1, 15), "Оплата 11 от 15.01.2025", -50_000),
    (date(2025, 2, 3), "Реализация 2 от 03.02.2025", 25_000),
    (date(2025, 2, 10), "Оплата 12 от 10.02.2025", -24_000),
    (date(2025, 3, 5), "Реализация 3 от 05.03.2025", 45_000),
    (date(2025, 3, 20), "Оплата 13 от 20.03.2025", -50_000),
]
