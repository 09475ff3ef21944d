"""The rollups built in full a piece of whole counterparties at a time (warehouse.rollups.pieces) give the
rows they give built over everyone at once, wherever the pieces' edges fall."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import Connection, Engine, text

from etl.load import load_paths
from tests.helpers.ledgers import source_folders, write_files
from warehouse.engine import ensure_schema, make_engine
from warehouse.rollups import checks, flows
from warehouse.rollups.pieces import in_pieces

WHOLE = 10**9  # rows a piece: every counterparty in one

# K1: a payment of its own (no contract) closes S2 on C2 and most of S1 on C1 (earliest due first), so
# both contracts' balances move on a match across contracts; S3 comes while S1's rest is overdue.
# K2: in dollars, a payment on its contract, a return. K3: one shipment and nothing else.
LEDGER = {
    "counterparties.csv": "counterparty_id,name\nK1,Альфа\nK2,Бета\nK3,Гамма\n",
    "contracts.csv": (
        "contract_id,counterparty_id,number,currency,terms_days,terms_basis\n"
        "C1,K1,Д-1,RUB,10,calendar\n"
        "C2,K1,Д-2,RUB,0,calendar\n"
        "C3,K2,Д-3,USD,0,calendar\n"
        "C4,K3,Д-4,RUB,5,calendar\n"
    ),
    "shipments.csv": (
        "document_id,contract_id,date,amount,number\n"
        "S1,C1,2025-01-10,100,1\n"
        "S2,C2,2025-01-12,50,2\n"
        "S3,C1,2025-02-20,70,3\n"
        "S4,C3,2025-01-05,200,4\n"
        "S5,C3,2025-01-25,30,5\n"
        "S6,C4,2025-03-01,10,6\n"
    ),
    "payments.csv": (
        "document_id,date,amount,contract_id,counterparty_id,number\n"
        "P1,2025-02-01,120,,K1,11\n"
        "P2,2025-01-20,150,C3,,12\n"
    ),
    "returns.csv": "document_id,contract_id,date,amount,shipment_id\nR1,C3,2025-01-26,20,S5\n",
}


def _snapshot(conn: Connection) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    found = conn.execute(text("SELECT counterparty_id, currency, kind, day, due_date, amount FROM flows")).all()
    swept = conn.execute(
        text(
            "SELECT d.document_id, k.counterparty_id, k.doc_date, k.oldest_due, k.currency, k.overdue, "
            "k.contract_balance FROM shipment_checks k JOIN documents d ON d.doc_pk = k.doc_pk"
        )
    ).all()
    as_text = [tuple(map(str, row)) for row in found], [tuple(map(str, row)) for row in swept]
    return sorted(as_text[0]), sorted(as_text[1])


def _build(conn: Connection, frames: checks.Frames, rows: int) -> None:
    flows.write_all(conn, flows.grouped_all(*frames, rows=rows))
    checks.rebuild_all(conn, frames, rows=rows)


def test_the_pieces_hold_whole_counterparties_about_so_many_documents_each(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [write_files(tmp_path / "src", LEDGER)])
    with engine.connect() as conn:
        documents, matches = checks.read_all(conn)
    # Documents by counterparty: K1 S1 S2 S3 P1 (4), K2 S4 S5 P2 R1 (4), K3 S6 (1). Two a piece: K1 starts
    # at 0 (piece 0), K2 at 4 (piece 2, renumbered 1), K3 at 8 (piece 4, renumbered 2): no piece cuts
    # through a counterparty, and none is empty.
    pieces = list(in_pieces(documents, matches, rows=2))
    assert [sorted(set(d["counterparty_id"])) for d, _m in pieces] == [["K1"], ["K2"], ["K3"]]
    assert [d.height for d, _m in pieces] == [4, 4, 1]
    assert [sorted(set(m["counterparty_id"])) for _d, m in pieces] == [["K1"], ["K2"], []]
    assert sum(m.height for _d, m in pieces) == matches.height
    # Five a piece: K1 at 0 and K2 at 4 fall in piece 0, K3 at 8 in piece 1.
    assert [d.height for d, _m in in_pieces(documents, matches, rows=5)] == [8, 1]
    (only,) = in_pieces(documents, matches, rows=WHOLE)
    assert only[0].height == documents.height
    assert only[1].height == matches.height


def test_rollups_in_pieces_equal_the_rollups_over_everyone(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [write_files(tmp_path / "src", LEDGER)])
    with engine.begin() as conn:
        frames = checks.read_all(conn)
        _build(conn, frames, WHOLE)
        whole = _snapshot(conn)
        for rows in (1, 2, 3, 4, 5, 8):
            _build(conn, frames, rows)
            assert _snapshot(conn) == whole, rows
        flows.rebuild_all(conn)  # the reference: three GROUP BYs in SQL
        assert _snapshot(conn)[0] == whole[0]
    swept = {row[0]: row[1:] for row in whole[1]}
    # A row for each shipment whose counterparty had something overdue on its date.
    # S3, K1's on 20.02.2025: of S1 (100,00 due 20.01) P1 left 30,00 open, overdue since 20.01 (S2 was
    # closed first, due 12.01). C1's balance that day: S1 100,00 - 70,00 closed by P1 + S3 70,00 = 100,00.
    assert swept["S3"] == ("K1", "2025-02-20", "2025-01-20", "RUB", "3000", "10000")
    # S5, K2's on 25.01.2025: S4 200,00 due 05.01 less P2's 150,00 is 50,00 overdue; C3's balance that day
    # 200,00 - 150,00 + 30,00 = 80,00 (R1 names S5 the day after).
    assert swept["S5"] == ("K2", "2025-01-25", "2025-01-05", "USD", "5000", "8000")
    assert set(swept) == {"S3", "S5"}
    # K1's flows on 01.02.2025: P1 and its two matches, each debit's at its own due date.
    assert [row for row in whole[0] if row[0] == "K1" and row[3] == "2025-02-01"] == [
        ("K1", "RUB", "c", "2025-02-01", "None", "12000"),
        ("K1", "RUB", "cm", "2025-02-01", "None", "12000"),
        ("K1", "RUB", "dm", "2025-02-01", "2025-01-12", "5000"),
        ("K1", "RUB", "dm", "2025-02-01", "2025-01-20", "7000"),
    ]


@pytest.mark.parametrize("rows", [1, 3])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=source_folders())
def test_random_ledgers_in_pieces_equal_everyone_at_once(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, str], rows: int
) -> None:
    folder = write_files(tmp_path_factory.mktemp("src"), files)
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'w.db'}", pooled=False)
    try:
        ensure_schema(engine)
        load_paths(engine, [folder])
        with engine.begin() as conn:
            frames = checks.read_all(conn)
            _build(conn, frames, WHOLE)
            whole = _snapshot(conn)
            _build(conn, frames, rows)
            assert _snapshot(conn) == whole
    finally:
        engine.dispose()


def test_no_documents_no_pieces() -> None:
    documents = pl.DataFrame(schema=checks.ROLLUP_DOCUMENTS)
    matches = pl.DataFrame(schema=checks.ROLLUP_MATCHES)
    assert list(in_pieces(documents, matches, rows=1)) == []
