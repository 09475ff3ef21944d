"""Row hashes column-wise (etl.load.rowhash) against upsert._row_hash, the reference, on hand-made rows:
the text each row's hash digests is repr(tuple(values)) exactly, odd strings, dates and nulls included
(tests/etl/load/test_columnar.py holds the two equal on random rows too)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from etl.load.rowhash import row_hashes, row_texts
from etl.load.upsert import DOCUMENT_VALUES, _row_hash
from etl.load.vouch import RECORD_SCHEMA

SCHEMA = {c: RECORD_SCHEMA[c] for c in DOCUMENT_VALUES}
ODD_TEXTS = [
    "",
    "plain",
    "Оплата по договору № Д-0083/25 от 14.01.2025, в т.ч. НДС 20% - 1329316.67",
    "ООО «Орион» — склад – 2 Ёё",
    "O'Brien",
    'say "hi"',
    "both ' and \"",
    "back\\slash",
    "line\nbreak",
    "carriage\rreturn",
    "tab\there",
    "\x7f\x00\xa0",
    "emoji \U0001f600",
    "Greek αβγ",
    "zero-width\u200b",
    "x" * 300,
]


def _record(place: int, text: str | None) -> dict[str, Any]:
    """A record whose every string column takes `text` in turn with others plain."""
    days = [date(2025, 1, 2), date(1, 1, 1), date(999, 12, 31), date(9999, 12, 31), None]
    values: dict[str, Any] = {
        "counterparty_id": "K1",
        "contract_id": None,
        "currency": "RUB",
        "doc_date": days[place % 4],
        "side": (-1) ** place,
        "amount": -(10**15) + place,
        "own_due_date": days[place % 5],
        "number": "",
        "shipment_id": None,
        "purpose": "",
        "vat": None if place % 2 else 0,
        "warehouse": "Склад",
        "payer_inn": "",
        "payer_name": "",
    }
    strings = [c for c in DOCUMENT_VALUES if SCHEMA[c] == pl.String]
    values[strings[place % len(strings)]] = text
    return values


def test_hashes_and_texts_are_the_reference_ones_on_odd_rows() -> None:
    records = [_record(place, text) for place, text in enumerate([*ODD_TEXTS, None, *ODD_TEXTS, None, *ODD_TEXTS])]
    frame = pl.DataFrame(records, schema=SCHEMA)
    values = [[r[c] for c in DOCUMENT_VALUES] for r in records]
    assert row_texts(frame, DOCUMENT_VALUES).to_list() == [repr(tuple(v)) for v in values]
    assert row_hashes(frame, DOCUMENT_VALUES).to_list() == [_row_hash(v) for v in values]


def test_a_known_row_keeps_its_stored_hash() -> None:
    """A hash computed by hand from the repr text, as the warehouse stores it since the first load."""
    record = _record(0, "plain")
    frame = pl.DataFrame([record], schema=SCHEMA)
    assert row_texts(frame, DOCUMENT_VALUES).item() == (
        "('plain', None, 'RUB', datetime.date(2025, 1, 2), 1, -1000000000000000, datetime.date(2025, 1, 2), '', "
        "None, '', 0, 'Склад', '', '')"
    )
    assert row_hashes(frame, DOCUMENT_VALUES).item() == _row_hash([record[c] for c in DOCUMENT_VALUES])


def test_no_rows_and_no_dates() -> None:
    empty = pl.DataFrame([], schema=SCHEMA)
    assert row_hashes(empty, DOCUMENT_VALUES).to_list() == []
    records = [_record(4, "a"), _record(4, None)]
    records[0]["doc_date"] = records[1]["doc_date"] = None
    frame = pl.DataFrame(records, schema=SCHEMA)
    assert row_hashes(frame, DOCUMENT_VALUES).to_list() == [_row_hash([r[c] for c in DOCUMENT_VALUES]) for r in records]


def _plain(place: int) -> dict[str, Any]:
    """A record with no odd string: every column's value set, the side and the warehouse the same on every
    row, the shipment none."""
    return {
        "counterparty_id": f"K{place % 3}",
        "contract_id": f"C{place}",
        "currency": "RUB",
        "doc_date": date(2025, 1, 1 + place),
        "side": 1,
        "amount": 100 * place - 50,
        "own_due_date": date(2025, 2, 1),
        "number": f"№ {place}",
        "shipment_id": None,
        "purpose": "Оплата",
        "vat": place,
        "warehouse": "Склад",
        "payer_inn": "",
        "payer_name": "",
    }


def test_columns_without_nulls_only_nulls_or_one_value_are_the_reference_ones() -> None:
    """A column the frame holds no null of, only nulls of, or one value of goes into the text as a literal or
    as it is (rowhash._piece): each way, and the frames mixing them, give the reference's texts and hashes."""
    records = [_plain(place) for place in range(6)]
    frames = [records, records[:1], [records[0]] * 3]
    mixed = [dict(r) for r in records]
    mixed[2]["contract_id"], mixed[3]["own_due_date"], mixed[4]["side"], mixed[5]["shipment_id"] = None, None, -1, "S1"
    frames.append(mixed)
    nothing = dict.fromkeys(DOCUMENT_VALUES)
    frames += [[nothing, nothing], [dict(nothing, side=1, doc_date=date(2025, 1, 2))] * 2]
    odd = [dict(r) for r in records]
    odd[1]["number"] = "O'Brien"
    frames.append(odd)
    for rows in frames:
        frame = pl.DataFrame(rows, schema=SCHEMA)
        values = [[r[c] for c in DOCUMENT_VALUES] for r in rows]
        assert row_texts(frame, DOCUMENT_VALUES).to_list() == [repr(tuple(v)) for v in values]
        assert row_hashes(frame, DOCUMENT_VALUES).to_list() == [_row_hash(v) for v in values]
