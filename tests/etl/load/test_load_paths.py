"""The loader end to end, on SQLite and PostgreSQL: counts, reloads, rejects, retries, deletes, due dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select, text

import warehouse
from etl.load import LoadError, load_paths
from etl.load.known import last_pk
from tests.helpers.ledgers import CONTRACTS, COUNTERPARTIES, SHIPMENTS, source, write_files
from tests.helpers.tables import advances, due_dates, open_amounts, table_checksums


def test_first_load_counts_and_values(engine: Engine, tmp_path: Path) -> None:
    result = load_paths(engine, [source(tmp_path)])
    counts = {entity: c.as_dict() for entity, c in result.counts.items()}
    assert counts["counterparties"] == {
        "read": 2,
        "new": 2,
        "updated": 0,
        "unchanged": 0,
        "deleted": 0,
        "rejected": 0,
        "warnings": 0,
    }
    assert counts["shipments"]["new"] == 5
    assert counts["payments"]["new"] == 2
    with engine.connect() as conn:
        amounts = dict(conn.execute(text("SELECT document_id, amount FROM documents")).all())
        limits = dict(conn.execute(text("SELECT contract_id, credit_limit FROM contracts")).all())
        emails = conn.execute(text("SELECT email FROM counterparties WHERE counterparty_id = 'K2'")).scalar()
    assert amounts == {
        "S1": 100_000,
        "S2": 50_000,
        "S3": 30_050,
        "S4": 20_000,
        "S5": 10_000,
        "P1": 120_000,
        "P2": 40_000,
    }
    assert limits == {"C1": 10_000_000, "C2": None, "C3": 500_050}
    assert emails == "petrov@mail.ru; p2@mail.ru"


def test_due_dates_from_contract_terms(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path)])
    assert due_dates(engine) == {
        # 10.01.2025 + 30 days = 09.02.2025, a Sunday: moved to Monday 10.02 (art. 193).
        "S1": date(2025, 2, 10),
        # 20.01.2025 + 30 = 19.02.2025, a Wednesday.
        "S2": date(2025, 2, 19),
        # 10 working days after Wed 15.01.2025: 16,17,20,21,22,23,24,27,28,29 -> 29.01.
        "S3": date(2025, 1, 29),
        # Terms 0: the document's own date.
        "S4": date(2025, 12, 2),
        # 02.12.2025 + 30 = 01.01.2026, a holiday; the first working day after the New Year break is 12.01.2026.
        "S5": date(2026, 1, 12),
    }


def test_fifo_result_as_of_dates(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path)])
    # P1 1200.00 (C1, 01.02) closes S1 1000.00 and 200.00 of S2.
    # P2 400.00 (no contract, 05.02) goes by due date across K1's contracts: S3 (due 29.01) 300.50 first,
    # then 99.50 of S2 (due 19.02). S2 keeps 500 - 200 - 99.50 = 200.50 open.
    assert open_amounts(engine, date(2025, 2, 10)) == {"S1": 0, "S2": 20_050, "S3": 0}
    assert open_amounts(engine, date(2025, 2, 3)) == {"S1": 0, "S2": 30_000, "S3": 30_050}
    assert open_amounts(engine, date(2025, 1, 31)) == {"S1": 100_000, "S2": 50_000, "S3": 30_050}
    assert advances(engine, date(2025, 2, 10)) == {"P1": 0, "P2": 0}


def test_second_load_changes_nothing(engine: Engine, tmp_path: Path) -> None:
    folder = source(tmp_path)
    load_paths(engine, [folder])
    before = table_checksums(engine, ignore_load_ids=True)
    result = load_paths(engine, [folder])
    assert all(c.new == c.updated == c.deleted == 0 for c in result.counts.values())
    assert result.counts["shipments"].unchanged == 5
    assert table_checksums(engine, ignore_load_ids=True) == before


def test_corrected_reexport_updates_and_rematches(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path)])
    fix = write_files(
        tmp_path / "fix",
        {"shipments_fix.csv": "document_id,contract_id,date,amount\nS2,C1,2025-01-20,450\n"},
    )
    result = load_paths(engine, [fix])
    assert result.counts["shipments"].updated == 1
    # S2 is now 450.00: P1 leaves 200 on it... 450 - 200 (P1) - 99.50 (P2) = 150.50.
    assert open_amounts(engine, date(2025, 2, 10))["S2"] == 15_050


def test_deleted_rows_are_removed(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path)])
    gone = write_files(
        tmp_path / "del",
        {
            "payments_del.csv": (
                "document_id,date,amount,contract_id,deleted\nP2,2025-02-05,400,,да\nP9,2025-02-05,1,C1,1\n"
            )
        },
    )
    result = load_paths(engine, [gone])
    assert result.counts["payments"].deleted == 1
    assert result.counts["payments"].unchanged == 1  # P9 never existed: nothing to remove
    assert open_amounts(engine, date(2025, 2, 10)) == {"S1": 0, "S2": 30_000, "S3": 30_050}


def test_rejects_name_file_line_column_and_reason(engine: Engine, tmp_path: Path) -> None:
    folder = source(tmp_path)
    write_files(
        folder,
        {
            "shipments_bad.csv": (
                "document_id,contract_id,date,amount\n"
                "B1,C1,31.02.2025,10\n"
                "B2,C1,2025-03-01,12.345\n"
                "B3,C1,2025-03-01,-5\n"
                "B4,C1,2025-03-01,5\n"
                "B4,C1,2025-03-01,6\n"
            )
        },
    )
    result = load_paths(engine, [folder])
    assert result.counts["shipments"].rejected == 4
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                warehouse.rejects.c.line,
                warehouse.rejects.c.column_name,
                warehouse.rejects.c.value,
                warehouse.rejects.c.reason,
            ).order_by(warehouse.rejects.c.line)
        ).all()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (2, "date", "31.02.2025"),
        (3, "amount", "12.345"),
        (4, "amount", "-5"),
        (6, "document_id", "B4"),
    ]
    assert "February" in rows[0][3]
    assert "2 decimals" in rows[1][3]
    assert "greater than zero" in rows[2][3]
    assert "line 5" in rows[3][3]


def test_reference_rejects_are_retried_at_later_loads(engine: Engine, tmp_path: Path) -> None:
    early = write_files(tmp_path / "early", {"shipments.csv": SHIPMENTS})
    first = load_paths(engine, [early])
    assert first.counts["shipments"].rejected == 5
    with engine.connect() as conn:
        kinds = conn.execute(text("SELECT DISTINCT kind, reason FROM rejects")).all()
    assert kinds == [("reference", "unknown contract")]
    later = write_files(tmp_path / "later", {"counterparties.csv": COUNTERPARTIES, "contracts.csv": CONTRACTS})
    second = load_paths(engine, [later])
    assert second.retried == 5
    assert second.retried_loaded == 5
    assert second.counts["shipments"].new == 5
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM rejects")).scalar() == 0
    assert len(due_dates(engine)) == 5


def test_refused_file_does_not_stop_the_others(engine: Engine, tmp_path: Path) -> None:
    folder = source(tmp_path)
    write_files(folder, {"returns.csv": "document_id,contract_id,date\nR1,C1,2025-02-01\n", "notes.csv": "a,b\n1,2\n"})
    result = load_paths(engine, [folder])
    assert [(Path(f.path).name, f.message) for f in result.refused] == [
        (
            "returns.csv",
            "required column missing: amount (a returns file needs document_id, contract_id, date, amount)",
        )
    ]
    assert [Path(f.path).name for f in result.skipped] == ["notes.csv"]
    assert result.counts["shipments"].new == 5
    with engine.connect() as conn:
        assert conn.execute(text("SELECT kind, file FROM rejects")).all() == [("file", str(folder / "returns.csv"))]


def test_a_fixed_file_clears_its_old_rejects(engine: Engine, tmp_path: Path) -> None:
    folder = source(tmp_path)
    write_files(folder, {"returns.csv": "document_id,contract_id,date\nR1,C1,2025-02-01\n"})
    load_paths(engine, [folder])
    write_files(folder, {"returns.csv": "document_id,contract_id,date,amount,shipment_id\nR1,C1,2025-02-01,100,S2\n"})
    result = load_paths(engine, [folder])
    assert result.counts["returns"].new == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM rejects")).scalar() == 0


def test_a_document_loaded_from_another_file_clears_its_old_reject(engine: Engine, tmp_path: Path) -> None:
    folder = source(tmp_path)
    write_files(folder, {"shipments_late.csv": "document_id,contract_id,date,amount\nS9,C1,2025-02-01,abc\n"})
    load_paths(engine, [folder])
    fixed = write_files(
        tmp_path / "fixed", {"shipments_fix.csv": "document_id,contract_id,date,amount\nS9,C1,2025-02-01,100\n"}
    )
    query = text("SELECT COUNT(*) FROM rejects WHERE record_key = 'S9'")
    with engine.connect() as conn:
        assert conn.execute(query).scalar() == 1
    result = load_paths(engine, [fixed])
    assert result.counts["shipments"].new == 1
    with engine.connect() as conn:
        assert conn.execute(query).scalar() == 0


def test_windows_1251_semicolon_russian_numbers(engine: Engine, tmp_path: Path) -> None:
    folder = source(tmp_path)
    write_files(
        folder,
        {
            "adjustments.csv": (
                "document_id;contract_id;date;amount;shipment_id\n"
                "A1;C1;15.01.2025;-1 234,56;S1\n"
                "A2;C1;16.01.2025;0,01;\n"
            )
        },
        encoding="cp1251",
    )
    result = load_paths(engine, [folder])
    assert result.counts["adjustments"].new == 2
    with engine.connect() as conn:
        rows = {
            r[0]: (r[1], r[2])
            for r in conn.execute(text("SELECT document_id, side, amount FROM documents WHERE kind = 'adjustment'"))
        }
    assert rows == {"A1": (-1, 123_456), "A2": (1, 1)}


def test_missing_path_is_a_clear_error(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="path not found"):
        load_paths(engine, [tmp_path / "nope"])


def test_calendar_override_moves_due_dates(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path)])
    # The company declares Wed 19.02.2025 a holiday: S2 (due 19.02) moves to Thu 20.02.
    result = load_paths(engine, [write_files(tmp_path / "cal", {"calendar.csv": "date,kind\n2025-02-19,holiday\n"})])
    assert result.counts["calendar"].new == 1
    assert due_dates(engine)["S2"] == date(2025, 2, 20)


def test_due_dates_around_holidays_and_the_working_saturday(engine: Engine, tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "cal",
        {
            "counterparties.csv": "counterparty_id,name\nK1,Альфа\n",
            "contracts.csv": (
                "contract_id,counterparty_id,terms_days,terms_basis\n"
                "W1,K1,1,working\nW3,K1,3,working\nD3,K1,3,calendar\nD4,K1,4,calendar\n"
            ),
            "shipments.csv": (
                "document_id,contract_id,date,amount,due_date\n"
                "A,W1,2025-10-31,1,\n"
                "B,W3,2025-10-31,1,\n"
                "C,D3,2025-10-29,1,\n"
                "D,D4,2024-12-28,1,\n"
                "E,D4,2024-12-28,1,2025-01-03\n"
            ),
        },
    )
    load_paths(engine, [folder])
    assert due_dates(engine) == {
        "A": date(2025, 11, 1),  # Sat 01.11.2025 is an official working day
        "B": date(2025, 11, 6),  # 01.11 (Sat, working), 03.11 and 04.11 off, then 05.11, 06.11
        "C": date(2025, 11, 1),  # 29.10 + 3 = the working Saturday itself: no shift
        "D": date(2025, 1, 9),  # 28.12.2024 + 4 = 01.01.2025; holidays through 08.01
        "E": date(2025, 1, 3),  # its own due date wins, even inside the holidays
    }


def test_fifo_cases_through_the_warehouse(engine: Engine, tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "fifo",
        {
            "counterparties.csv": "counterparty_id,name\nK1,Альфа\n",
            "contracts.csv": "contract_id,counterparty_id,terms_days\nC1,K1,0\nC2,K1,0\n",
            "payments.csv": (
                "document_id,date,amount,contract_id,counterparty_id\n"
                "PRE,2025-03-01,300,C1,\n"  # prepayment: closes S1 on its date, then 100 of S2
                "ALLOC,2025-03-10,150,C1,\n"  # allocated to S3 (not the oldest open debit)
                "OVER,2025-03-20,1000,C2,\n"  # pays T1 250 and leaves 750 as the contract's advance
            ),
            "shipments.csv": (
                "document_id,contract_id,date,amount\n"
                "S1,C1,2025-03-03,200\nS2,C1,2025-03-04,400\nS3,C1,2025-03-05,150\nT1,C2,2025-03-05,250\n"
            ),
            "returns.csv": "document_id,contract_id,date,amount,shipment_id\nRET,C1,2025-03-15,120,S2\n",
            "allocations.csv": "payment_id,shipment_id,amount\nALLOC,S3,150\n",
        },
    )
    load_paths(engine, [folder])
    assert open_amounts(engine, date(2025, 3, 2)) == {}
    assert open_amounts(engine, date(2025, 3, 4)) == {"S1": 0, "S2": 30_000}
    assert open_amounts(engine, date(2025, 3, 31)) == {"S1": 0, "S2": 18_000, "S3": 0, "T1": 0}
    assert advances(engine, date(2025, 3, 2)) == {"PRE": 30_000}
    assert advances(engine, date(2025, 3, 31)) == {"PRE": 0, "ALLOC": 0, "RET": 0, "OVER": 75_000}


def test_settled_dates_mark_when_documents_closed(engine: Engine, tmp_path: Path) -> None:
    test_fifo_cases_through_the_warehouse(engine, tmp_path)
    with engine.connect() as conn:
        settled = {r[0]: r[1] for r in conn.execute(text("SELECT document_id, settled_date FROM documents"))}
    assert {k: (None if v is None else str(v)) for k, v in settled.items()} == {
        "S1": "2025-03-03",  # taken whole from the prepayment on its own date
        "S2": None,  # 180.00 still open
        "S3": "2025-03-10",
        "T1": "2025-03-20",
        "PRE": "2025-03-04",  # its last 100.00 went to S2 on 04.03
        "ALLOC": "2025-03-10",
        "RET": "2025-03-15",
        "OVER": None,  # 750.00 advance left
    }


@pytest.mark.postgres
def test_postgres_queries_run_without_jit_and_a_big_load_vacuums(
    pg_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # JIT compiling cost a quarter of a second per query at 1M documents; a big load leaves a million dead
    # row versions in the (side, settled_date) index until VACUUM. Both are switched on purpose. A first
    # load's tables are written frozen, all-visible already: only a later one that updates has any to do.
    from etl.load import run
    from warehouse.engine import make_engine

    engine = make_engine(pg_database, pooled=False)
    with engine.connect() as conn:
        assert conn.execute(text("SHOW jit")).scalar() == "off"
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        conn.commit()
    monkeypatch.setattr(run, "VACUUM_AFTER", 10)  # the small ledger writes 12 rows and 4 matches
    vacuumed = text("SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL ORDER BY relname")
    load_paths(engine, [source(tmp_path / "first")])
    with engine.connect() as conn:
        assert list(conn.execute(vacuumed).scalars()) == []
    monkeypatch.setattr(run, "VACUUM_AFTER", 1)  # the second writes fewer rows
    load_paths(engine, [source(tmp_path / "second", advance=True)])  # matching goes on: documents updated
    with engine.connect() as conn:
        assert "documents" in list(conn.execute(vacuumed).scalars())
    engine.dispose()


def _statistics(engine: Engine) -> tuple[float, int]:
    """PostgreSQL's row estimate of documents (-1: never analyzed; an ANALYZE makes it the count of a small
    table) and the count itself."""
    with engine.connect() as conn:
        estimate = conn.execute(text("SELECT reltuples FROM pg_class WHERE oid = 'documents'::regclass")).scalar_one()
        return float(estimate), int(conn.execute(text("SELECT count(*) FROM documents")).scalar_one())


@pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_postgresql_analyzes_what_a_load_changed_much_and_leaves_a_few_rows_to_autovacuum(
    engine: Engine, tmp_path: Path
) -> None:
    """Autovacuum's default rule for an ANALYZE, over this load's own changes: more than 50 + 10% of the
    table's rows, or a table never analyzed (a first load's)."""
    assert _statistics(engine)[0] == -1
    load_paths(engine, [source(tmp_path)])
    estimate, first = _statistics(engine)
    assert estimate == first == 7  # 5 shipments and 2 payments: analyzed
    one = "document_id,contract_id,date,amount\nD1,C1,2025-03-01,100\n"
    load_paths(engine, [write_files(tmp_path / "day", {"shipments_day.csv": one})])
    assert _statistics(engine) == (7, 8)  # 1 row of 7 (and a few settled dates): under 50 + 0.7, not analyzed
    many = "document_id,contract_id,date,amount\n" + "".join(f"M{i},C1,2025-03-02,10\n" for i in range(51))
    load_paths(engine, [write_files(tmp_path / "many", {"shipments_many.csv": many})])
    assert _statistics(engine) == (59, 59)  # 51 new rows of 8: analyzed


def test_every_document_inserted_later_has_a_key_above_last_pk(engine: Engine, tmp_path: Path) -> None:
    """etl.load.known.last_pk, by which a day's load finds its new documents: above it, even after a key was
    written past PostgreSQL's sequence (a row put in by hand), which SQLite's rowid goes on from."""
    load_paths(engine, [source(tmp_path)])  # 7 documents, keys 1-7
    d = warehouse.documents
    row = {"kind": "shipment", "counterparty_id": "K1", "contract_id": "C1", "currency": "RUB", "side": 1}
    row |= {"doc_date": date(2025, 3, 1), "amount": 100, "row_hash": "0" * 16, "load_id": 1}
    with engine.begin() as conn:
        conn.execute(insert(d).values(doc_pk=1000, document_id="BY-HAND", **row))
        floor = last_pk(conn)
        assert floor == (7 if engine.dialect.name == "postgresql" else 1000)
        key = conn.execute(insert(d).values(document_id="NEXT", **row).returning(d.c.doc_pk)).scalar_one()
    assert key == floor + 1
