"""PostgreSQL's GiST index of open periods: each document's period as a point, of the documents ever open only
(revisions 0009, 0010). The open-documents queries of queries.ledger ask for the side's box of a day and state
the index's condition, so the planner may use it (a partial index serves only a query whose conditions imply
the index's); the box holds exactly the documents of the side open that day."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, insert, select, text

import warehouse
from queries.ledger import open_credits_query, open_debits_query
from queries.scope import Scope
from warehouse.open_span import open_on

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
]


def test_the_index_holds_only_the_documents_ever_open(postgresql: Engine) -> None:
    with postgresql.connect() as conn:
        definition = conn.execute(text("SELECT pg_get_indexdef('ix_documents_open_range'::regclass)")).scalar_one()
    assert definition.endswith(
        "USING gist (point((((doc_date - '2000-01-01'::date) - (side * 10000000)))::double precision, "
        "(COALESCE((settled_date - '2000-01-01'::date), 100000000))::double precision)) "
        "WHERE ((settled_date IS NULL) OR (settled_date > doc_date))"
    )


@pytest.mark.parametrize("query", [open_debits_query, open_credits_query])
def test_the_open_documents_of_a_day_may_read_the_index(postgresql: Engine, query: object) -> None:
    """With every other way closed, the plan reads ix_documents_open_range by the box: the query implies the
    index's condition (without it, a seq scan would be the only plan left) and has the index's expression."""
    d = warehouse.documents
    statement = query(date(2025, 11, 20), Scope.everything())  # type: ignore[operator]
    only_documents = select(d.c.doc_pk).where(*statement.whereclause.clauses)  # type: ignore[union-attr]
    with postgresql.connect() as conn:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            conn.exec_driver_sql(f"SET LOCAL {setting} = off")
        for name in ("ix_documents_side_settled_date", "ix_documents_open_span", "ix_documents_date"):
            conn.exec_driver_sql(f"DROP INDEX {name}")  # rolled back with the connection's transaction
        compiled = only_documents.compile(conn)
        plan = "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))
        conn.rollback()
    assert "ix_documents_open_range" in plan, plan
    assert any("Index Cond: (point(" in line and "<@" in line for line in plan.splitlines()), plan


# (document_id, side, doc_date, settled_date): S1 settled the day it was dated (open on no day), S2 open on
# the 10th and 11th, S3 from the 11th on; P1, a credit, open on the 9th and 10th, P2 from the 12th on.
DOCUMENTS = [
    ("S1", 1, date(2025, 3, 10), date(2025, 3, 10)),
    ("S2", 1, date(2025, 3, 10), date(2025, 3, 12)),
    ("S3", 1, date(2025, 3, 11), None),
    ("P1", -1, date(2025, 3, 9), date(2025, 3, 11)),
    ("P2", -1, date(2025, 3, 12), None),
]
OPEN = {  # day -> (the debits open that day, the credits)
    date(1, 1, 1): ([], []),
    date(2025, 3, 8): ([], []),
    date(2025, 3, 9): ([], ["P1"]),
    date(2025, 3, 10): (["S2"], ["P1"]),
    date(2025, 3, 11): (["S2", "S3"], []),
    date(2025, 3, 12): (["S3"], ["P2"]),
    date(9999, 12, 31): (["S3"], ["P2"]),
}


@pytest.mark.parametrize("day", list(OPEN))
def test_the_box_of_a_day_holds_the_documents_of_the_side_open_that_day(postgresql: Engine, day: date) -> None:
    d = warehouse.documents
    rows: list[dict[str, object]] = [
        {"kind": "shipment" if side > 0 else "payment", "document_id": name, "currency": "RUB", "doc_date": dated}
        | {"side": side, "amount": 100, "settled_date": settled, "row_hash": "", "load_id": 1}
        for name, side, dated, settled in DOCUMENTS
    ]
    with postgresql.begin() as conn:
        conn.execute(insert(d), rows)
        found = tuple(
            conn.execute(select(d.c.document_id).where(open_on(d, side, day)).order_by(d.c.document_id)).scalars().all()
            for side in (1, -1)
        )
    assert found == OPEN[day]
