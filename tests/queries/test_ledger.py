"""The open documents of a day, read three ways (the shared query, the same with named columns, and
open_by_class's union of one range per class of open period), against a count by hand over documents
of every length of open period; and PostgreSQL's COPY fetch against the plain one, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from sqlalchemy import Engine, select

import warehouse
from queries.aging import KEYS
from queries.fetch import fetch
from queries.ledger import OPEN_DOCUMENT_SCHEMA, open_by_class, open_credits, open_debits
from queries.scope import Scope
from warehouse.frames import frame
from warehouse.open_span import OPEN_SPAN_EDGES

START = date(2021, 1, 1)
# Open periods in days: none (settled the day it was dated), each class's edges and the days beside them,
# longer than the last edge, and never settled (None).
SPANS = [0, 1, 2, 3, 4, 5, 15, 16, 17, 63, 64, 65, 255, 256, 257, 1023, 1024, 1025, 1500, None]


def _documents() -> list[dict[str, object]]:
    """Debits and credits with every span, dated every 37 days from START, three of them on the same
    contract; a few without a contract (a counterparty's payment)."""
    rows: list[dict[str, object]] = []
    pk = 0
    for i, span in enumerate(SPANS):
        for j, side in enumerate((1, 1, 1, -1)):
            pk += 1
            dated = START + timedelta(days=37 * i + 11 * j)
            rows.append(
                {
                    "doc_pk": pk,
                    "kind": "shipment" if side > 0 else "payment",
                    "document_id": f"D{pk}",
                    "counterparty_id": f"K{pk % 3}",
                    "contract_id": None if side < 0 and pk % 2 else f"C{pk % 5}",
                    "currency": "RUB",
                    "doc_date": dated,
                    "side": side,
                    "amount": 1_000_00 * pk,
                    "due_date": dated + timedelta(days=30) if side > 0 else None,
                    "settled_date": None if span is None else dated + timedelta(days=span),
                    "first_match_date": None,  # set by _matches
                    "row_hash": "h",
                    "load_id": 1,
                }
            )
    return rows


def _matches(documents: list[dict[str, object]]) -> list[dict[str, object]]:
    """A part of each long-open document matched on the 2nd day after its date (when it is still open) and
    the rest on its settled day, so the open amount changes while it is open; every other document never
    settled has such a part matched too. Each document's first_match_date is set from them, as matching
    keeps it: as of a day before it the document is open in full, from it on its matches are read."""
    rows = []
    for doc in documents:
        settled = doc["settled_date"]
        key = "debit_pk" if doc["side"] == 1 else "credit_pk"
        other = "credit_pk" if key == "debit_pk" else "debit_pk"
        early = doc["doc_date"] + timedelta(days=2)  # type: ignore[operator]
        if settled is None:
            if doc["doc_pk"] % 2:  # type: ignore[operator]
                rows.append({key: doc["doc_pk"], other: 0, "amount": 1_00, "match_date": early})
                doc["first_match_date"] = early
            continue
        if settled == doc["doc_date"]:
            continue
        assert isinstance(settled, date)
        part = 1_00 if settled > early else 0
        amount = doc["amount"]
        assert isinstance(amount, int)
        if part:
            rows.append({key: doc["doc_pk"], other: 0, "amount": part, "match_date": early})
        rows.append({key: doc["doc_pk"], other: 0, "amount": amount - part, "match_date": settled})
        doc["first_match_date"] = early if part else settled
    return [{"counterparty_id": "K0", **row} for row in rows]


def _by_hand(documents: list[dict[str, object]], matches: list[dict[str, object]], side: int, day: date) -> set[tuple]:
    """(document_id, open_amount) of the documents of a side open on `day`: dated by it, not settled by it."""
    key = "debit_pk" if side > 0 else "credit_pk"
    found = set()
    for doc in documents:
        settled = doc["settled_date"]
        if doc["side"] != side or doc["doc_date"] > day or (settled is not None and settled <= day):  # type: ignore[operator]
            continue
        paid = sum(m["amount"] for m in matches if m[key] == doc["doc_pk"] and m["match_date"] <= day)  # type: ignore[misc,operator]
        found.add((doc["document_id"], doc["amount"] - paid))  # type: ignore[operator]
    return found


@pytest.fixture
def spans(engine: Engine) -> tuple[Engine, list[dict[str, object]], list[dict[str, object]]]:
    documents = _documents()
    matches = _matches(documents)
    with engine.begin() as conn:
        conn.execute(warehouse.documents.insert(), documents)
        conn.execute(warehouse.matches.insert(), matches)
    return engine, documents, matches


def _ids(frame: pl.DataFrame, documents: list[dict[str, object]]) -> set[tuple]:
    """(document_id, open_amount) of a frame of open documents with their doc_pk."""
    by_pk = {doc["doc_pk"]: doc["document_id"] for doc in documents}
    return {(by_pk[pk], amount) for pk, amount in frame.select("doc_pk", "open_amount").iter_rows()}


def test_every_way_of_reading_the_open_documents_finds_those_open_that_day(spans: tuple) -> None:
    engine, documents, matches = spans
    # The answer changes only on a document's date, a match's date or a settled day: each of those days and
    # the days either side of it show every answer there is (a day between two of them reads as its
    # neighbours do); before the first document and after the last change too.
    changes = [doc["doc_date"] for doc in documents] + [match["match_date"] for match in matches]
    changes += [doc["settled_date"] for doc in documents if doc["settled_date"]]
    last = max(changes) + timedelta(days=3)
    days = [START - timedelta(days=2), last, *(day + timedelta(days=k) for day in changes for k in (-1, 0, 1))]
    # Latest first: a statement compiled for one day and reused for an earlier one with the later day's
    # values left in it would find too few documents (the statements are compiled once, queries.ledger).
    with engine.connect() as conn:
        for day in sorted(set(days), reverse=True):
            for side, read in ((1, open_debits), (-1, open_credits)):
                expected = _by_hand(documents, matches, side, day)
                assert _ids(read(conn, as_of=day), documents) == expected, (side, day)
                narrow = read(conn, as_of=day, columns=["doc_pk", "due_date"])
                assert narrow.columns == ["doc_pk", "due_date", "open_amount"]
                assert _ids(narrow, documents) == expected, (side, day)
                by_class = open_by_class(conn, as_of=day, side=side, columns=["doc_pk", *KEYS, "due_date"])
                assert _ids(by_class, documents) == expected, (side, day)
                assert by_class.columns == ["doc_pk", *KEYS, "due_date", "open_amount"]


def test_open_by_class_gives_the_shared_querys_rows_within_a_scope(spans: tuple) -> None:
    engine, _, _ = spans
    scope = Scope(contract_ids=("C1", "C2"), currencies=("RUB",))
    columns = [*KEYS, "due_date"]
    with engine.connect() as conn:
        for day in (START + timedelta(days=n) for n in range(0, 900, 29)):
            for side, read in ((1, open_debits), (-1, open_credits)):
                shared = read(conn, as_of=day, scope=scope, columns=columns).sort(columns)
                assert (
                    open_by_class(conn, as_of=day, side=side, columns=columns, scope=scope).sort(columns).equals(shared)
                )
                assert set(shared["contract_id"].to_list()) <= {"C1", "C2"}


def test_the_class_edges_are_those_the_test_straddles() -> None:
    assert OPEN_SPAN_EDGES == (1, 4, 16, 64, 256, 1024)  # SPANS above sit on and beside each of them


TEXTS = ["", "plain", "a,b", 'say "hi"', "two\nlines", "Ромашка «№ 5»; ок", "\\N", " spaced "]


def _odd_rows() -> list[dict[str, object]]:
    rows = []
    for i, text in enumerate(TEXTS * 2):
        rows.append(
            {
                "doc_pk": i + 1,
                "kind": "shipment",
                "document_id": f"X{i}",
                "number": text,
                "counterparty_id": "K1",
                "contract_id": None if i % 3 == 0 else text,
                "currency": "RUB",
                "doc_date": [date(1, 1, 1), date(1970, 1, 1), date(1969, 12, 31), date(9999, 12, 31)][i % 4],
                "due_date": None if i % 2 else date(2026, 2, 28),
                "side": 1,
                "amount": [1, 9_223_372_036_854_775_807, 123_456_789_012_34, 10][i % 4],
                "row_hash": "h",
                "load_id": 1,
            }
        )
    return rows


def _odd_query() -> object:
    d = warehouse.documents
    return select(d.c.doc_pk, d.c.number, d.c.contract_id, d.c.doc_date, d.c.due_date, d.c.amount).order_by(d.c.doc_pk)


ODD_SCHEMA = pl.Schema(
    {
        "doc_pk": pl.Int64,
        "number": pl.String,
        "contract_id": pl.String,
        "doc_date": pl.Date,
        "due_date": pl.Date,
        "amount": pl.Int64,
    }
)


def test_the_copy_fetch_gives_the_plain_fetchs_frame(engine: Engine) -> None:
    """NULLs apart from empty texts, texts with commas, quotes, line breaks and the COPY null marker,
    dates from the first to the last day of the calendar, the biggest kopeck amount: the same frame."""
    with engine.begin() as conn:
        conn.execute(warehouse.documents.insert(), _odd_rows())
    with engine.connect() as conn:
        copied = fetch(conn, _odd_query(), ODD_SCHEMA)  # type: ignore[arg-type]
        assert copied.equals(frame(conn, _odd_query(), ODD_SCHEMA))  # type: ignore[arg-type]
    assert copied["number"].to_list() == TEXTS * 2
    assert copied["contract_id"].null_count() == 6
    assert copied.filter(pl.col("contract_id") == "")["doc_pk"].to_list() == [9]
    assert copied["amount"].max() == 9_223_372_036_854_775_807
    assert copied["doc_date"].to_list()[:4] == [date(1, 1, 1), date(1970, 1, 1), date(1969, 12, 31), date(9999, 12, 31)]


def test_the_copy_fetch_of_nothing_is_an_empty_typed_frame(engine: Engine) -> None:
    with engine.connect() as conn:
        empty = fetch(conn, _odd_query(), ODD_SCHEMA)  # type: ignore[arg-type]
    assert empty.is_empty()
    assert empty.schema == ODD_SCHEMA


def test_the_open_document_schema_is_what_the_shared_query_returns(spans: tuple) -> None:
    engine, _, _ = spans
    with engine.connect() as conn:
        assert open_debits(conn, as_of=START + timedelta(days=40)).schema == OPEN_DOCUMENT_SCHEMA
