"""The act's rows worded in the page's language (dashboard.services.acts.act_rows_in) where our staff read
them: the counterparty card's statement in Excel. The act's own files stay 1C's Russian
(tests/dashboard/services/test_act_render.py)."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
from openpyxl import load_workbook

from dashboard.services.acts import statement_xlsx
from queries.act import ACT_SCHEMA, CLOSING_TITLE, OPENING_TITLE, TURNOVER_TITLE

D1, D2 = date(2025, 2, 1), date(2025, 2, 28)
SHIPPED, PAID, TAKEN = date(2025, 2, 3), date(2025, 2, 15), date(2025, 2, 20)
NONE = [None] * 8

# A contract's act: a shipment of 200,00, a payment of 60,00, and on 20.02 that payment set off against
# another contract's shipment (a debit row dated the day of the match, named with the payment's own date).


def document(day: date, text: str, debit: int | None, credit: int | None, number: str, *crossed: object) -> tuple:  # type: ignore[type-arg]
    """A document row of C2's act; `crossed`: its own date, the other contract, "out" or "in" (else its own)."""
    kind, own = ("shipment", day) if number == "9" else ("payment", PAID)
    return (
        "document",
        day,
        text,
        debit,
        credit,
        f"D{number}",
        kind,
        int(number),
        "C2",
        number,
        *(crossed or (own, None, None)),
    )


ACT = pl.DataFrame(
    [
        ("opening", D1, OPENING_TITLE, 0, None, *NONE),
        document(SHIPPED, "Реализация (№ 9 от 03.02.2025)", 200_00, None, "9"),
        document(PAID, "Оплата (п/п № 13 от 15.02.2025)", None, 60_00, "13"),
        document(
            TAKEN, "Оплата (п/п № 13 от 15.02.2025), зачтено по договору Д-3", 60_00, None, "13", PAID, "Д-3", "out"
        ),
        ("turnover", None, TURNOVER_TITLE, 260_00, 60_00, *NONE),
        ("closing", D2, CLOSING_TITLE, 200_00, None, *NONE),
    ],
    schema=ACT_SCHEMA,
    orient="row",
)


def sheet_rows(data: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_the_cards_statement_in_english() -> None:
    rows = sheet_rows(statement_xlsx(ACT, "en", "ООО «Лютик» (K2): 2025-02-01 – 2025-02-28, RUB"))
    assert rows[0][0] == "ООО «Лютик» (K2): 2025-02-01 – 2025-02-28, RUB"
    assert rows[2] == ("Date", "Document", "Debit", "Credit", "Document id", "Contract ID")
    assert [row[1] for row in rows[3:]] == [
        "Opening balance",
        "Shipment (No. 9 of 2025-02-03)",
        "Payment (payment order No. 13 of 2025-02-15)",
        "Payment (payment order No. 13 of 2025-02-15), set off under contract Д-3",
        "Turnover for the period",
        "Closing balance",
    ]
    assert [row[2:4] for row in rows[3:]] == [(0, None), (200, None), (None, 60), (60, None), (260, 60), (200, None)]


def test_the_cards_statement_in_russian_keeps_1cs_words() -> None:
    rows = sheet_rows(statement_xlsx(ACT, "ru", "ООО «Лютик» (K2): 01.02.2025 – 28.02.2025, RUB"))
    assert rows[2] == ("Дата", "Документ", "Дебет", "Кредит", "Код документа", "Код договора")
    assert [row[1] for row in rows[3:]] == ACT["document"].to_list()
