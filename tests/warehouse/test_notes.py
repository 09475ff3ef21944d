"""Notes' writes (warehouse.note_store) on the small ledger of tests/helpers/ledgers.py, on SQLite and
PostgreSQL: what a note records, what it refuses and why, resolving a promise or a dispute, and notes
surviving reloads of the files (no load touches them).

The ledger: K1 «Ромашка» (C1, C2, both in roubles: C2 gives no currency) with shipments S1, S2, S3, S5 and
payments P1, P2; K2 «Петров» (C3) with S4.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

import warehouse
from etl.load import load_paths
from tests.helpers.ledgers import source, write_files
from warehouse.note_store import NoteRefused, add_note, resolve_note


@pytest.fixture
def small(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def note(engine: Engine, **given: object) -> int:
    values: dict[str, object] = {"counterparty_id": "K1", "kind": "call", "note_date": date(2025, 3, 3)}
    values["author"] = "control@firm.ru"
    values.update(given)
    with engine.begin() as conn:
        return add_note(conn, **values)  # type: ignore[arg-type]


def stored(engine: Engine, note_id: int) -> dict[str, object]:
    n = warehouse.notes
    with engine.connect() as conn:
        return dict(conn.execute(select(n).where(n.c.note_id == note_id)).mappings().one())


def test_a_note_records_who_when_and_the_currency(small: Engine) -> None:
    written = datetime(2025, 3, 3, 10, 15)
    call = note(small, text="Бухгалтер обещала перезвонить", created_at=written)
    promise = note(small, kind="promise", amount=123_456, until=date(2025, 3, 10), document_id="S2")
    assert promise > call
    assert stored(small, call) == {
        "note_id": call,
        "counterparty_id": "K1",
        "document_id": None,
        "kind": "call",
        "note_date": date(2025, 3, 3),
        "amount": None,
        "until": None,
        "currency": "RUB",  # K1's contracts share roubles
        "text": "Бухгалтер обещала перезвонить",
        "author": "control@firm.ru",
        "created_at": written,
        "resolved_on": None,
        "resolved_by": "",
    }
    kept = stored(small, promise)
    assert (kept["amount"], kept["until"], kept["document_id"], kept["currency"]) == (
        123_456,
        date(2025, 3, 10),
        "S2",
        "RUB",
    )


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ({"counterparty_id": "K9"}, "unknown counterparty 'K9'"),
        ({"kind": "visit"}, "unknown kind of note 'visit'"),
        ({"document_id": "S4"}, "document 'S4' does not belong to counterparty 'K1'"),  # K2's
        ({"document_id": "S404"}, "document 'S404' does not belong to counterparty 'K1'"),
        ({"kind": "promise", "until": date(2025, 3, 10)}, "a promise needs an amount above zero"),
        ({"kind": "promise", "amount": 0, "until": date(2025, 3, 10)}, "a promise needs an amount above zero"),
        ({"kind": "promise", "amount": 100}, "a promise needs the last day to pay by"),
        (
            {"kind": "promise", "amount": 100, "until": date(2025, 3, 2)},
            "a promise's last day 2025-03-02 is before its date 2025-03-03",
        ),
        ({"kind": "dispute"}, "a dispute needs the document it disputes"),
        ({"amount": 100}, "an amount and a last day go with a promise, not with a call"),
    ],
)
def test_a_note_is_refused_with_a_reason(small: Engine, given: dict[str, object], said: str) -> None:
    with pytest.raises(NoteRefused, match="^" + said.replace("(", r"\(")) as refused:
        note(small, **given)
    assert "\n" not in str(refused.value)
    with small.connect() as conn:
        assert conn.execute(select(func.count()).select_from(warehouse.notes)).scalar() == 0


def test_resolving_a_promise_or_a_dispute_and_what_it_refuses(small: Engine) -> None:
    dispute = note(small, kind="dispute", document_id="S2")
    call = note(small)
    with small.begin() as conn:
        assert resolve_note(conn, dispute, date(2025, 3, 20), "cfo@firm.ru") == "dispute"
    resolved = stored(small, dispute)
    assert (resolved["resolved_on"], resolved["resolved_by"]) == (date(2025, 3, 20), "cfo@firm.ru")

    promise = note(small, kind="promise", amount=100, until=date(2025, 3, 10))
    refusals = [
        (404, date(2025, 3, 20), "no note 404"),
        (dispute, date(2025, 3, 21), "note 1 was already resolved on 2025-03-20"),
        (call, date(2025, 3, 20), "note 2 is a call: only a promise or a dispute is resolved"),
        (promise, date(2025, 3, 2), "note 3 is dated 2025-03-03: it cannot be resolved on 2025-03-02"),
    ]
    for note_id, on, said in refusals:
        with small.begin() as conn, pytest.raises(NoteRefused) as refused:
            resolve_note(conn, note_id, on, "x")
        assert str(refused.value) == said
    with small.begin() as conn:  # on the note's own day is allowed
        assert resolve_note(conn, promise, date(2025, 3, 3), "x") == "promise"


def test_notes_survive_reloads_of_the_files(small: Engine, tmp_path: Path) -> None:
    first = note(small, kind="dispute", document_id="S2")
    note(small, kind="promise", amount=50_000, until=date(2025, 3, 10))
    folder = source(tmp_path)
    load_paths(small, [folder])  # the same files: nothing to do
    write_files(
        folder, {"payments.csv": "document_id,date,amount,contract_id,counterparty_id\nP1,2025-02-01,1200,C1,\n"}
    )
    load_paths(small, [folder])  # P2 gone, S2 rematched: a real load
    with small.connect() as conn:
        rows = conn.execute(select(warehouse.notes.c.note_id, warehouse.notes.c.kind)).all()
    assert sorted(rows) == [(first, "dispute"), (first + 1, "promise")]
