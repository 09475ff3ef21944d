"""Drill-down to documents and to the matches behind them, on SQLite and PostgreSQL.

The ledger is tests/helpers/ledgers.py's BY_CONTRACT (worked out in test_contracts.py), as of Monday
31.03.2025.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from etl.load import load_paths
from queries.aging import aging
from queries.documents import OPEN_DOCUMENTS_SCHEMA, document_matches, open_documents
from queries.scope import Scope
from tests.helpers.ledgers import BY_CONTRACT as LEDGER
from tests.helpers.ledgers import BY_CONTRACT_AS_OF as AS_OF
from tests.helpers.ledgers import write_files


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    result = load_paths(engine, [write_files(tmp_path / "src", LEDGER)])
    assert result.rejected_rows == 0
    return engine


def test_open_documents(loaded: Engine) -> None:
    with loaded.connect() as conn:
        frame = open_documents(conn, as_of=AS_OF)
    assert frame.schema == pl.Schema(OPEN_DOCUMENTS_SCHEMA)
    assert frame.select(
        "document_id",
        "contract_number",
        "counterparty_name",
        "due_date",
        "amount",
        "open_amount",
        "days_overdue",
        "bucket",
    ).rows() == [
        ("S4", "Д-1", "Альфа", date(2025, 1, 20), 40_000, 5_000, 70, "overdue_61_90"),
        ("S1", "Д-1", "Альфа", date(2025, 3, 13), 30_000, 30_000, 18, "overdue_1_30"),
        ("S2", "Д-1", "Альфа", date(2025, 3, 31), 20_000, 20_000, 0, "due_0_7"),
        ("S3", "Д-1", "Альфа", date(2025, 3, 31), 10_000, 10_000, 0, "due_0_7"),
        ("S5", "Д-2", "Альфа", date(2025, 4, 1), 12_345, 12_345, -1, "due_0_7"),
        ("S6", "Д-3", "Бета", date(2025, 3, 10), 3_000, 2_000, 21, "overdue_1_30"),
    ]
    assert frame.select("kind", "number", "doc_date", "currency", "side").row(0) == (
        "shipment",
        "100",
        date(2025, 1, 10),
        "RUB",
        1,
    )


def test_open_documents_sum_to_aging(loaded: Engine) -> None:
    with loaded.connect() as conn:
        for as_of in (date(2025, 1, 31), date(2025, 3, 6), AS_OF):
            documents = open_documents(conn, as_of=as_of, include_advances=True)
            rows = aging(conn, as_of=as_of)
            debits = documents.filter(pl.col("side") == 1)
            credits = documents.filter(pl.col("side") == -1)
            assert debits["open_amount"].sum() == (rows["not_due"] + rows["overdue"]).sum()
            assert credits["open_amount"].sum() == rows["advance"].sum()
            overdue = open_documents(conn, as_of=as_of, overdue_only=True)
            assert overdue["open_amount"].sum() == rows["overdue"].sum()


def test_open_documents_filters(loaded: Engine) -> None:
    with loaded.connect() as conn:
        overdue = open_documents(conn, as_of=AS_OF, overdue_only=True)
        c1 = open_documents(conn, as_of=AS_OF, contract_id="C1")
        k2 = open_documents(conn, as_of=AS_OF, counterparty_id="K2")
        with_advances = open_documents(conn, as_of=AS_OF, counterparty_id="K3", include_advances=True)
        # Narrowing never widens: Борис does not see K1 by naming it.
        hidden = open_documents(conn, as_of=AS_OF, counterparty_id="K1", scope=Scope.for_manager("Борис"))
        boris = open_documents(conn, as_of=AS_OF, scope=Scope.for_manager("Борис"))
    assert overdue["document_id"].to_list() == ["S4", "S1", "S6"]
    assert c1["document_id"].to_list() == ["S4", "S1", "S2", "S3"]
    assert k2["document_id"].to_list() == ["S6"]
    assert with_advances.select("document_id", "kind", "side", "contract_id", "open_amount", "bucket").rows() == [
        ("P3", "payment", -1, None, 50_000, None)
    ]
    assert hidden.height == 0
    assert boris["document_id"].to_list() == ["S6"]


def test_document_matches(loaded: Engine) -> None:
    with loaded.connect() as conn:
        s4 = document_matches(conn, kind="shipment", document_id="S4", as_of=AS_OF)
        s4_before = document_matches(conn, kind="shipment", document_id="S4", as_of=date(2025, 1, 31))
        p2 = document_matches(conn, kind="payment", document_id="P2", as_of=AS_OF)
        by_pk = document_matches(conn, doc_pk=int(p2["doc_pk"][0]), as_of=AS_OF)
        hidden = document_matches(
            conn, kind="shipment", document_id="S4", as_of=AS_OF, scope=Scope.for_manager("Борис")
        )
        missing = document_matches(conn, kind="shipment", document_id="S404", as_of=AS_OF)
        with pytest.raises(ValueError, match="doc_pk, or kind and document_id"):
            document_matches(conn, kind="shipment", as_of=AS_OF)
    # The payment behind S4's closed 350,00.
    assert s4.select(
        "match_date", "amount", "kind", "document_id", "number", "doc_date", "contract_id", "document"
    ).rows() == [
        (date(2025, 2, 1), 35_000, "payment", "P1", "77", date(2025, 2, 1), "C1", "Оплата (п/п № 77 от 01.02.2025)")
    ]
    assert s4_before.height == 0
    # From the credit's side: the counterparty-level P2 closed 10,00 of S6 when S6 was booked.
    assert p2.select("match_date", "amount", "document_id", "contract_number", "document").rows() == [
        (date(2025, 3, 10), 1_000, "S6", "Д-3", "Реализация (№ 301 от 10.03.2025)")
    ]
    assert by_pk.select("document_id", "amount").rows() == [("P2", 1_000)]
    assert hidden.height == 0
    assert missing.height == 0
