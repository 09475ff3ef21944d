"""The screen's reconciliation names our side from the lines each row holds (domain.reconcile.Row.our_lines,
dashboard.services.reconcile.rows_in), not from their Russian text: a hand-made act whose Russian texts would
mislead a mapping by text, the English names worked out by hand, the Russian and every file unchanged."""

from __future__ import annotations

from datetime import date

import polars as pl

from dashboard.services.reconcile import (
    ROWS_SCHEMA,
    Reconciliation,
    our_lines,
    reconciliation_csv,
    rows_frame,
    rows_in,
    rows_of,
    their_closing,
    their_lines,
)
from dashboard.services.their_act import TheirAct
from dashboard.services.their_act import TheirLine as TheirActLine
from domain.reconcile import reconcile_rows
from queries.act import ACT_SCHEMA

D1, D2 = date(2025, 1, 1), date(2025, 3, 31)
D15, D20 = date(2025, 1, 15), date(2025, 1, 20)
SEVEN = "Оплата (п/п № 7 от 15.01.2025)"
TWELVE = "Оплата (п/п № 12; 13 от 20.01.2025)"  # one payment order for two invoices: a «;» in its number
FOURTEEN = "Оплата (п/п № 14 от 20.01.2025)"


def document(day: date, text: str, credit: int, pk: int, kind: str, number: str) -> tuple[object, ...]:
    return ("document", day, text, None, credit, f"D{pk}", kind, pk, None, number, day, None, None)


def act_frame() -> pl.DataFrame:
    """Our act: on 15.01 payment № 7 (300,00) and return № 7 (100,00) under ONE Russian text (the act's query
    words a return «Возврат (№ 7 …)»; the text is typed so here that only the indexes tell the two apart);
    on 20.01 payments № «12; 13» (200,00) and № 14 (250,00). Opening 0, closing -850,00."""
    return pl.DataFrame(
        [
            ("opening", D1, "Сальдо начальное", 0, None, *[None] * 8),
            document(D15, SEVEN, 300_00, 1, "payment", "7"),
            document(D15, SEVEN, 100_00, 2, "return", "7"),
            document(D20, TWELVE, 200_00, 3, "payment", "12; 13"),
            document(D20, FOURTEEN, 250_00, 4, "payment", "14"),
            ("turnover", None, "Обороты за период", 0, 850_00, *[None] * 8),
            ("closing", D2, "Сальдо конечное", None, 850_00, *[None] * 8),
        ],
        schema=ACT_SCHEMA,
        orient="row",
    )


def reconciliation() -> Reconciliation:
    """Theirs (their debit is our credit): 100,00 and 300,00 on 15.01 (in that order, so the exact pass pairs
    their first line with our second), 450,00 on 20.01 (our two payments of that day, a split), and a
    «Корректировка 5» of 10,00 on 25.01 we never booked."""
    frame = act_frame()
    theirs = TheirAct(
        "ООО «Клиент»",
        0,
        (
            TheirActLine(D15, "Возврат 7", 100_00, 0),
            TheirActLine(D15, "ПП 7", 300_00, 0),
            TheirActLine(D20, "ПП 12, 13, 14", 450_00, 0),
            TheirActLine(date(2025, 1, 25), "Корректировка 5", 0, 10_00),
        ),
    )
    rows = reconcile_rows(
        our_lines(frame), their_lines(theirs), our_opening=0, their_opening=0, our_closing=-850_00,
        their_closing=their_closing(theirs), date_from=D1, date_to=D2,
    )  # fmt: skip
    return Reconciliation("K1", None, "RUB", D1, D2, frame, theirs, rows_frame(rows))


def test_each_row_holds_the_indexes_of_our_lines() -> None:
    rec = reconciliation()
    assert rec.table[["status", "our_lines"]].rows() == [
        ("matched", [0]),  # our payment № 7, 300,00
        ("matched", [1]),  # our return, 100,00
        ("matched", [2, 3]),  # № «12; 13» + № 14 = their 450,00
        ("only_theirs", []),
        ("balance", []),
    ]


def test_english_names_come_from_our_lines_not_from_their_text() -> None:
    rec = reconciliation()
    assert rows_in(rec, "en")["our_document"].to_list() == [
        "Payment (payment order No. 7 of 2025-01-15)",
        "Return (No. 7 of 2025-01-15)",  # the same Russian text as the row above
        "Payment (payment order No. 12; 13 of 2025-01-20); Payment (payment order No. 14 of 2025-01-20)",
        None,
        None,
    ]
    assert rows_in(rec, "en").drop("our_document").equals(rec.rows.drop("our_document"))


def test_the_russian_rows_and_the_csv_are_unchanged() -> None:
    rec = reconciliation()
    assert rows_in(rec, "ru").equals(rec.rows)
    assert rec.rows.schema == ROWS_SCHEMA  # what people see: no column of indexes
    assert rec.rows["our_document"].to_list() == [SEVEN, SEVEN, f"{TWELVE}; {FOURTEEN}", None, None]
    assert rows_in(rec, "en").columns == list(ROWS_SCHEMA)
    assert reconciliation_csv(rec).decode().splitlines() == [
        "status,our_date,our_document,our_amount,their_date,their_document,their_amount,difference",
        f"matched,2025-01-15,{SEVEN},-300.00,2025-01-15,ПП 7,-300.00,0.00",
        f"matched,2025-01-15,{SEVEN},-100.00,2025-01-15,Возврат 7,-100.00,0.00",
        f'matched,2025-01-20,{TWELVE}; {FOURTEEN},-450.00,2025-01-20,"ПП 12, 13, 14",-450.00,0.00',
        "only_theirs,,,,2025-01-25,Корректировка 5,10.00,-10.00",
        # theirs mirrored: -(850,00 debited - 10,00 credited) = -840,00; -850,00 - (-840,00) = the -10,00 above
        "balance,2025-03-31,,-850.00,2025-03-31,,-840.00,-10.00",
    ]


def test_the_table_reads_back_as_the_rows() -> None:
    rec = reconciliation()
    rows = rows_of(rec.table)
    assert [r.our_lines for r in rows] == [(0,), (1,), (2, 3), (), ()]
    assert rows_frame(rows).equals(rec.table)
    assert rec.explanation.parts == [("only_theirs", -10_00)]
