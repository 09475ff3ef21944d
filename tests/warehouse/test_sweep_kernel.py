"""The compiled sweep (warehouse.rollups.sweep_kernel) against the reference, sweep.overdue_on_shipment_days,
on random ledgers: the same shipments found, the same days overdue and the same amounts per currency, for
several counterparties and currencies, thresholds and as-of dates, with and without the late amounts."""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from warehouse.rollups.sweep import DEBIT_SCHEMA, MATCH_SCHEMA, SHIPMENT_SCHEMA, OnShipmentDay, overdue_on_shipment_days
from warehouse.rollups.sweep_kernel import sweep_frames

START = date(2025, 1, 1)


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Shipments (most of them debits too, some due before their own date), other debits, and matches of
    the debits on few days, so that events tie on a day."""
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    shipments, debits, matches = [], [], []
    for pk in range(1, rnd.randint(1, 40)):
        counterparty = rnd.choice(["K1", "K2", "K3"])
        day = START + timedelta(days=rnd.randint(0, 20))
        amount = rnd.randint(1, 10_000)
        is_shipment = rnd.random() < 0.6
        if is_shipment:
            shipments.append((pk, f"S{pk}", str(pk), counterparty, "C1", "RUB", day, amount))
        if not is_shipment or rnd.random() < 0.9:
            due = day + timedelta(days=rnd.choice([-3, 0, 0, 2, 5, 10]))
            currency = rnd.choice(["RUB", "RUB", "USD", "EUR"])
            open_at_start = amount - rnd.choice([0, 0, rnd.randint(0, amount)])
            debits.append((pk, counterparty, currency, day, due, open_at_start))
            left = open_at_start
            for _ in range(rnd.randint(0, 3)):
                part = rnd.randint(1, max(left, 1))
                matches.append((pk, day + timedelta(days=rnd.randint(0, 25)), part))
                left -= part
    shipments_frame = pl.DataFrame(shipments, schema=SHIPMENT_SCHEMA, orient="row")
    debits_frame = pl.DataFrame(debits, schema=DEBIT_SCHEMA, orient="row")
    matches_frame = (
        pl.DataFrame(matches, schema=MATCH_SCHEMA, orient="row")
        .group_by("debit_pk", "match_date")
        .agg(pl.col("matched").sum())
    )
    return shipments_frame, debits_frame, matches_frame


def _as_reference(found: pl.DataFrame, amounts: pl.DataFrame, late_too: bool) -> dict[int, OnShipmentDay]:
    result = {}
    for pk, days in found.rows():
        mine = amounts.filter(pl.col("doc_pk") == pk).sort("currency")
        overdue = [(c, a) for _, c, a, late in mine.rows() if not late]
        late = [(c, a) for _, c, a, is_late in mine.rows() if is_late] if late_too else overdue
        result[pk] = OnShipmentDay(days, overdue, late)
    return result


@given(
    ledger=ledgers(),
    threshold=st.sampled_from([0, 0, 1, 5]),
    as_of=st.integers(0, 30),
    late_too=st.booleans(),
)
@settings(max_examples=400, deadline=None)
def test_the_kernel_sweeps_as_the_reference(
    ledger: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame], threshold: int, as_of: int, late_too: bool
) -> None:
    shipments, debits, matches = ledger
    day = START + timedelta(days=as_of)
    expected = overdue_on_shipment_days(shipments, debits, matches, threshold, day, late_too=late_too)
    found, amounts = sweep_frames(shipments, debits, matches, threshold, day, late_too=late_too)
    assert _as_reference(found, amounts, late_too) == expected


def test_a_shipment_reads_what_its_counterparty_owed_that_day() -> None:
    # K1's S1 (100.00, due 05.01) is overdue from 06.01; 30.00 of it is paid on 08.01. S2 on 07.01 sees
    # 100.00 overdue for 2 days, S3 on 08.01 the 70.00 left for 3 days; K2's S4 sees nothing.
    day = START
    shipments = pl.DataFrame(
        [
            (1, "S1", "1", "K1", "C1", "RUB", day, 10_000),
            (2, "S2", "2", "K1", "C1", "RUB", day + timedelta(days=6), 5_000),
            (3, "S3", "3", "K1", "C1", "RUB", day + timedelta(days=7), 5_000),
            (4, "S4", "4", "K2", "C2", "RUB", day + timedelta(days=7), 5_000),
        ],
        schema=SHIPMENT_SCHEMA,
        orient="row",
    )
    debits = pl.DataFrame([(1, "K1", "RUB", day, day + timedelta(days=4), 10_000)], schema=DEBIT_SCHEMA, orient="row")
    matches = pl.DataFrame([(1, day + timedelta(days=7), 3_000)], schema=MATCH_SCHEMA, orient="row")
    found, amounts = sweep_frames(shipments, debits, matches, 0, date.max, late_too=False)
    assert sorted(found.rows()) == [(2, 2), (3, 3)]
    assert sorted(amounts.rows()) == [(2, "RUB", 10_000, False), (3, "RUB", 7_000, False)]
