"""Incremental matching: a load that only adds documents after everything matched before goes on from
the open documents instead of matching the counterparty again. The result must be the same, to the
kopeck and the day, as loading everything at once: on demo data split at a date, SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, text

from etl.demo import COMPANY_INN, write_demo_source
from etl.load import known, load_paths
from etl.parsing import parse_date
from queries.exceptions import DEFAULT_STOP_RULES, exceptions
from queries.stoplist import StopRules
from queries.trend import overdue_trend
from tests.helpers.demo_split import CUT, END, split_at
from tests.helpers.ledgers import CONTRACTS, COUNTERPARTIES, SHIPMENTS, write_files
from tests.helpers.matched import Rows, iso, matched_state
from warehouse.engine import ensure_schema, make_engine
from warehouse.rollups import checks, flows


@pytest.fixture(scope="module")
def demo_parts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The demo's files, and the same split at CUT (31.03.2026): rows dated up to it, then the rest (with the
    bank statement of the last month)."""
    whole = tmp_path_factory.mktemp("whole")
    write_demo_source(whole, scale=2000, seed=5, end=END)
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    split_at(whole, first, second)
    return whole, first, second


def test_the_split_splits_the_semicolon_files_too(demo_parts: tuple[Path, Path, Path]) -> None:
    # Returns and adjustments come `;`-separated with dates as DD.MM.YYYY, as 1C writes them. The demo
    # (scale 2000, seed 5, to 30.06.2026) dates 12 of its 45 returns (08.04-30.06.2026) and 9 of its 56
    # adjustments (06.04-30.06.2026) after CUT, 31.03.2026: those, and only those, come with the second load.
    whole, first, second = demo_parts

    def rows(folder: Path, name: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8-sig")), delimiter=";"))

    for name, total, later in (("returns.csv", 45, 12), ("adjustments.csv", 56, 9)):
        everything, before, after = rows(whole, name), rows(first, name), rows(second, name)
        assert before[0] == after[0] == everything[0]
        assert (len(everything) - 1, len(after) - 1) == (total, later)
        assert sorted(before[1:] + after[1:]) == sorted(everything[1:])
        at = everything[0].index("date")
        assert all(parse_date(row[at]) <= CUT for row in before[1:])
        assert all(parse_date(row[at]) > CUT for row in after[1:])


def state(engine: Engine) -> tuple[Rows, Rows]:
    """Matches (both documents' kinds and ids, amount, date) and the documents' dates by keys."""
    return matched_state(engine, "a.kind, a.document_id, b.kind, b.document_id, m.amount, m.match_date")


@pytest.mark.parametrize("lookups", ["by key", "read all"])
def test_two_loads_equal_one(
    db_url: str, tmp_path: Path, demo_parts: tuple[Path, Path, Path], lookups: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small load looks its documents up by key, a big one reads every key: both must give the same.
    monkeypatch.setattr(known, "SMALL_LOAD", 50_000 if lookups == "by key" else 0)
    whole, first, second = demo_parts
    at_once = make_engine(f"sqlite:///{tmp_path / 'once.db'}", pooled=False)
    ensure_schema(at_once)
    load_paths(at_once, [whole], company_inn=COMPANY_INN)
    in_two = make_engine(db_url, pooled=False)
    ensure_schema(in_two)
    load_paths(in_two, [first], company_inn=COMPANY_INN)
    later = load_paths(in_two, [second], company_inn=COMPANY_INN)
    assert later.continued_counterparties == later.rematched_counterparties == 46
    once_matches, once_documents = state(at_once)
    two_matches, two_documents = state(in_two)
    assert len(two_matches) > 1000
    assert two_documents == once_documents
    assert two_matches == once_matches
    at_once.dispose()
    in_two.dispose()


PAYMENT = "document_id,date,amount,contract_id,counterparty_id,number,purpose\n"


def matches_of(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.document_id, b.document_id, m.amount, m.match_date FROM matches m "
                "JOIN documents a ON a.doc_pk = m.debit_pk JOIN documents b ON b.doc_pk = m.credit_pk "
                "ORDER BY 1, 2"
            )
        ).all()
    return [iso(r) for r in rows]


def test_a_later_payment_goes_on_and_an_earlier_one_matches_again(engine: Engine, tmp_path: Path) -> None:
    # C1: S1 1000,00 (due 10.02.2025), S2 500,00 (due 19.02), S5 100,00 (due 12.01.2026); C2: S3 300,50.
    base = write_files(
        tmp_path / "base",
        {"counterparties.csv": COUNTERPARTIES, "contracts.csv": CONTRACTS, "shipments.csv": SHIPMENTS},
    )
    load_paths(engine, [base])
    # A payment after every document: FIFO goes on, closing S1 and 200,00 of S2.
    later = write_files(tmp_path / "p1", {"payments.csv": PAYMENT + "P1,2025-12-10,1200,C1,,11,\n"})
    result = load_paths(engine, [later])
    assert (result.continued_counterparties, result.rematched_counterparties) == (1, 1)
    assert matches_of(engine) == [("S1", "P1", 100_000, "2025-12-10"), ("S2", "P1", 20_000, "2025-12-10")]
    # A payment dated before S5: K1 is matched again from scratch, with the same answer for P1 and S5 open.
    earlier = write_files(tmp_path / "p2", {"payments.csv": PAYMENT + "P0,2025-03-01,300,C1,,10,\n"})
    result = load_paths(engine, [earlier])
    assert (result.continued_counterparties, result.rematched_counterparties) == (0, 1)
    assert matches_of(engine) == [
        ("S1", "P0", 30_000, "2025-03-01"),
        ("S1", "P1", 70_000, "2025-12-10"),
        ("S2", "P1", 50_000, "2025-12-10"),
    ]
    with engine.connect() as conn:
        settled = dict(iso(r) for r in conn.execute(text("SELECT document_id, settled_date FROM documents")))
    assert settled["S1"] == "2025-12-10"
    assert settled["S2"] == "2025-12-10"
    assert settled["S5"] is None


def flow_sums(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT counterparty_id, currency, kind, day, due_date, SUM(amount) FROM flows "
                "GROUP BY counterparty_id, currency, kind, day, due_date HAVING SUM(amount) <> 0"
            )
        ).all()
    return sorted((iso(r) for r in rows), key=repr)


def rebuilt(engine: Engine) -> list[tuple[object, ...]]:
    """The flows a full rebuild gives, the warehouse left as it was."""
    with engine.connect() as conn:
        flows.rebuild_all(conn)
        rows = conn.execute(
            text("SELECT counterparty_id, currency, kind, day, due_date, amount FROM flows WHERE amount <> 0")
        ).all()
        conn.rollback()
    return sorted((iso(r) for r in rows), key=repr)


def test_the_trend_rollup_follows_every_kind_of_load(
    db_url: str, tmp_path: Path, demo_parts: tuple[Path, Path, Path]
) -> None:
    _whole, first, second = demo_parts
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    load_paths(engine, [first], company_inn=COMPANY_INN)
    later = load_paths(engine, [second], company_inn=COMPANY_INN)
    assert later.continued_counterparties > 0  # the rollup was carried on from each one's first new day
    assert flow_sums(engine) == rebuilt(engine)
    # A corrected old shipment: its counterparty is matched again and its flows rebuilt.
    shipments = (first / "shipments_2025.csv").read_text(encoding="utf-8").splitlines()
    header, row = shipments[0], shipments[1].split(",")
    row[3] = str(float(row[3]) + 1000)
    write_files(tmp_path / "fix", {"shipments_fix.csv": header + "\n" + ",".join(row)})
    fixed = load_paths(engine, [tmp_path / "fix"], company_inn=COMPANY_INN)
    assert (fixed.continued_counterparties, fixed.rematched_counterparties) == (0, 1)
    assert flow_sums(engine) == rebuilt(engine)
    # The trend from the rollup equals the trend from documents and matches.
    with engine.connect() as conn:
        from_flows = overdue_trend(conn, date_from=date(2024, 12, 1), date_to=END, freq="week")
        conn.rollback()
        conn.execute(text("UPDATE meta SET value = '0' WHERE key = 'flows'"))
        from_documents = overdue_trend(conn, date_from=date(2024, 12, 1), date_to=END, freq="week")
        conn.rollback()
    assert from_flows.height > 50
    assert from_flows.equals(from_documents)
    engine.dispose()


def check_rows(engine: Engine, *, rebuild: bool = False) -> list[tuple[object, ...]]:
    """shipment_checks by shipment key; with `rebuild`, as a full rebuild gives it (the warehouse left as it was)."""
    with engine.connect() as conn:
        if rebuild:
            checks.rebuild_all(conn)
        rows = conn.execute(
            text(
                "SELECT d.document_id, k.counterparty_id, k.doc_date, k.oldest_due, k.currency, k.overdue, "
                "k.contract_balance "
                "FROM shipment_checks k JOIN documents d ON d.doc_pk = k.doc_pk"
            )
        ).all()
        conn.rollback()
    return sorted((iso(r) for r in rows), key=repr)


def test_the_shipment_checks_follow_every_kind_of_load_and_read_as_the_sweep(
    db_url: str, tmp_path: Path, demo_parts: tuple[Path, Path, Path]
) -> None:
    _whole, first, second = demo_parts
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    load_paths(engine, [first], company_inn=COMPANY_INN)
    assert check_rows(engine) == check_rows(engine, rebuild=True)
    later = load_paths(engine, [second], company_inn=COMPANY_INN)
    assert later.continued_counterparties > 0  # carried on from each one's first new day
    assert len(check_rows(engine)) > 300
    assert check_rows(engine) == check_rows(engine, rebuild=True)
    # A corrected old shipment: its counterparty is matched again and its rows rebuilt.
    shipments = (first / "shipments_2025.csv").read_text(encoding="utf-8").splitlines()
    header, row = shipments[0], shipments[1].split(",")
    row[3] = str(float(row[3]) + 1000)
    write_files(tmp_path / "fix", {"shipments_fix.csv": header + "\n" + ",".join(row)})
    fixed = load_paths(engine, [tmp_path / "fix"], company_inn=COMPANY_INN)
    assert (fixed.continued_counterparties, fixed.rematched_counterparties) == (0, 1)
    assert check_rows(engine) == check_rows(engine, rebuild=True)
    # The exceptions read from the rollup equal the window swept at query time, rules and stop rules on.
    strict = StopRules(overdue_days=10, overdue_amount=5_000_000)
    with engine.connect() as conn:
        for as_of in (date(2025, 6, 30), date(2026, 3, 31), date(2026, 4, 15), END):
            for stop_rules in (DEFAULT_STOP_RULES, strict):
                from_rollup = exceptions(conn, as_of=as_of, stop_rules=stop_rules)
                conn.execute(text("UPDATE meta SET value = '0' WHERE key = 'shipment_checks'"))
                swept = exceptions(conn, as_of=as_of, stop_rules=stop_rules)
                conn.rollback()
                shipped = from_rollup.filter(pl.col("code") == "shipped_while_overdue")
                assert shipped.height > 20
                assert shipped["stop_rules"].str.contains("overdue_days").any()
                assert shipped["stop_rules"].str.contains("credit_limit").any()
                assert from_rollup.equals(swept), as_of
    engine.dispose()
