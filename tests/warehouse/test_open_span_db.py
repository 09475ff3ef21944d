"""PostgreSQL's ix_documents_open_span leaves out class 0, the documents settled the day they were dated (revision
0011): they are open on no day. Aging reads the open documents by one SELECT per class of open period
(queries.ledger.open_by_class), each asking for a class from 1 up, which implies the index's condition; so
every branch may still read the index, and what aging finds is what the documents say."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, insert, text

import warehouse
from queries import ledger
from queries.scope import Scope
from warehouse.open_span import OPEN_SPAN_EDGES

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
]

BRANCHES = len(OPEN_SPAN_EDGES) + 1  # classes 1 .. len(EDGES) and the still-open class: one SELECT each


def test_the_index_leaves_out_the_documents_settled_the_day_they_were_dated(postgresql: Engine) -> None:
    with postgresql.connect() as conn:
        definition = conn.execute(text("SELECT pg_get_indexdef('ix_documents_open_span'::regclass)")).scalar_one()
    assert " INCLUDE (doc_pk, settled_date, counterparty_id, contract_id, currency, due_date, amount, " in definition
    assert definition.endswith("ELSE 6\nEND <> 0)"), definition
    assert "WHEN ((settled_date - doc_date) < 1) THEN 0" in definition.split(" WHERE ")[1]


@pytest.mark.parametrize("side", [1, -1])
def test_every_branch_of_agings_statement_may_read_the_index(postgresql: Engine, side: int) -> None:
    """With the documents' other indexes dropped and plain scans off, each of the union's SELECTs reads
    ix_documents_open_span: its class implies the index's condition (a branch that did not would be left with
    the scan it is told not to use)."""
    as_of = date(2025, 11, 20)
    with postgresql.connect() as conn:
        ledger.open_by_class(conn, as_of=as_of, side=side, columns=["counterparty_id", "contract_id"])
        query = ledger._UNIONS[("open_by_class", side, ("counterparty_id", "contract_id"), Scope.everything())]
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            conn.exec_driver_sql(f"SET LOCAL {setting} = off")
        for name in ("ix_documents_side_settled_date", "ix_documents_open_range", "ix_documents_date"):
            conn.exec_driver_sql(f"DROP INDEX {name}")  # rolled back with the connection's transaction
        values = ledger.open_by_class_values(as_of)
        compiled = query.compile(conn)
        explained = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.construct_params(values))
        plan = "\n".join(row[0] for row in explained)
        conn.rollback()
    assert plan.count("using ix_documents_open_span") == BRANCHES, plan


# (document_id, side, doc_date, settled_date): S0 and P0 settled the day they were dated (class 0, not in the
# index), S1 open for 3 days, S2 for 20, S3 still open; P1 open for 100 days.
DOCUMENTS = [
    ("S0", 1, date(2025, 3, 10), date(2025, 3, 10)),
    ("S1", 1, date(2025, 3, 10), date(2025, 3, 13)),
    ("S2", 1, date(2025, 3, 1), date(2025, 3, 21)),
    ("S3", 1, date(2025, 3, 11), None),
    ("P0", -1, date(2025, 3, 12), date(2025, 3, 12)),
    ("P1", -1, date(2025, 1, 1), date(2025, 4, 11)),
]
OPEN = {  # day -> (the debits aging finds open that day, the credits)
    date(2025, 3, 9): (["S2"], ["P1"]),
    date(2025, 3, 10): (["S1", "S2"], ["P1"]),
    date(2025, 3, 12): (["S1", "S2", "S3"], ["P1"]),
    date(2025, 3, 13): (["S2", "S3"], ["P1"]),
    date(2025, 4, 11): (["S3"], []),
}


@pytest.mark.parametrize("day", list(OPEN))
def test_aging_finds_the_documents_open_that_day_and_none_settled_the_day_they_were_dated(
    postgresql: Engine, day: date
) -> None:
    d = warehouse.documents
    rows: list[dict[str, object]] = [
        {"kind": "shipment" if side > 0 else "payment", "document_id": name, "currency": "RUB", "doc_date": dated}
        | {"side": side, "amount": 100, "settled_date": settled, "row_hash": "", "load_id": 1}
        | {"counterparty_id": "K1", "contract_id": "C1", "number": name}
        for name, side, dated, settled in DOCUMENTS
    ]
    with postgresql.begin() as conn:
        conn.execute(insert(d), rows)
        found = tuple(
            sorted(
                conn.execute(text("SELECT document_id FROM documents WHERE doc_pk = ANY(:pks)"), {"pks": pks})
                .scalars()
                .all()
            )
            for side in (1, -1)
            for pks in [ledger.open_by_class(conn, as_of=day, side=side, columns=["doc_pk"])["doc_pk"].to_list()]
        )
    assert found == OPEN[day]
