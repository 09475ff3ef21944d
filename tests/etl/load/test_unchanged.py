"""An unchanged reload: the same files, byte for byte, as the last load are not read again; the run is
recorded with every row unchanged, and the warehouse is exactly as a full reload would leave it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select, text

import warehouse
from etl.load import load_paths
from tests.helpers.cli import invoke
from tests.helpers.ledgers import CONTRACTS, COUNTERPARTIES, PAYMENTS, SHIPMENTS, source, write_files
from tests.helpers.tables import table_checksums

BAD_SHIPMENTS = SHIPMENTS + "S6,C1,31.02.2025,100,УПД-6,,,\nS7,C9,2025-03-01,50,УПД-7,,,\n"


def counts(result) -> dict[str, tuple[int, ...]]:  # type: ignore[no-untyped-def]
    return {
        entity: (c.read, c.new, c.updated, c.unchanged, c.deleted, c.rejected)
        for entity, c in sorted(result.counts.items())
    }


def test_unchanged_folder_is_not_read_again(engine: Engine, tmp_path: Path) -> None:
    folder = source(tmp_path)
    first = load_paths(engine, [folder])
    before = table_checksums(engine, ignore_load_ids=True)
    again = load_paths(engine, [folder])
    assert again.unchanged_since == first.load_id
    assert counts(again) == {
        "contracts": (3, 0, 0, 3, 0, 0),
        "counterparties": (2, 0, 0, 2, 0, 0),
        "payments": (2, 0, 0, 2, 0, 0),
        "shipments": (5, 0, 0, 5, 0, 0),
    }
    assert table_checksums(engine, ignore_load_ids=True) == before
    with engine.connect() as conn:
        runs = conn.execute(select(warehouse.load_runs.c.status, warehouse.load_runs.c.message)).all()
        files = conn.execute(text("SELECT load_id, COUNT(*) FROM load_files GROUP BY load_id ORDER BY load_id")).all()
    assert [tuple(r) for r in runs] == [("done", "4 files"), ("done", "4 files, none changed since load 1")]
    assert [tuple(r) for r in files] == [(1, 4), (2, 4)]
    # A third time compares with the second, which recorded the same files.
    assert load_paths(engine, [folder]).unchanged_since == again.load_id


def test_a_changed_byte_reads_everything(engine: Engine, tmp_path: Path) -> None:
    folder = source(tmp_path)
    load_paths(engine, [folder])
    write_files(folder, {"payments.csv": PAYMENTS.replace("P2,2025-02-05,400", "P2,2025-02-05,401")})
    changed = load_paths(engine, [folder])
    assert changed.unchanged_since is None
    assert counts(changed)["payments"] == (2, 0, 1, 1, 0, 0)


def test_a_key_another_file_changed_since_is_set_back(engine: Engine, tmp_path: Path) -> None:
    # Load A (K1 named «Ромашка»), then B renames K1, then A again: K1 is «Ромашка» again, as the contract's
    # «loading a key replaces the row» says. A is not the last load's file set, so it is read in full.
    a = write_files(tmp_path / "a", {"counterparties.csv": COUNTERPARTIES})
    b = write_files(tmp_path / "b", {"counterparties.csv": COUNTERPARTIES.replace("ООО «Ромашка»", "ООО «Лютик»")})
    load_paths(engine, [a])
    load_paths(engine, [b])
    reloaded = load_paths(engine, [a])
    assert reloaded.unchanged_since is None
    with engine.connect() as conn:
        name = conn.execute(text("SELECT name FROM counterparties WHERE counterparty_id = 'K1'")).scalar()
    assert name == "ООО «Ромашка»"


def test_rejects_stay_as_they_were(engine: Engine, tmp_path: Path) -> None:
    # S6 has no such date, S7 names a contract that does not exist: 2 rejects, kept by the unchanged reload.
    folder = write_files(
        tmp_path / "src",
        {"counterparties.csv": COUNTERPARTIES, "contracts.csv": CONTRACTS, "shipments.csv": BAD_SHIPMENTS},
    )
    first = load_paths(engine, [folder])
    assert counts(first)["shipments"] == (7, 5, 0, 0, 0, 2)
    before = table_checksums(engine, ignore_load_ids=True)
    again = load_paths(engine, [folder])
    assert again.unchanged_since == first.load_id
    assert counts(again)["shipments"] == (7, 0, 0, 5, 0, 2)
    assert table_checksums(engine, ignore_load_ids=True) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM rejects")).scalar() == 2
    # The missing contract arrives: a changed folder, read in full, and S7 leaves the rejects list.
    write_files(folder, {"contracts.csv": CONTRACTS + "C9,K2,П-9,2025-01-01,RUB,0,calendar,\n"})
    fixed = load_paths(engine, [folder])
    assert fixed.unchanged_since is None
    with engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM rejects")).scalars().all() == ["31.02.2025"]


def test_another_company_inn_reads_everything(engine: Engine, tmp_path: Path) -> None:
    folder = source(tmp_path)
    load_paths(engine, [folder])
    assert load_paths(engine, [folder], company_inn="7707083893").unchanged_since is None


def test_cli_says_nothing_changed(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    folder = source(tmp_path)
    assert invoke("load", str(folder), "--db", db).returncode == 0
    again = invoke("load", str(folder), "--db", db)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert lines[-1].startswith("load 2: 4 files in ")
    assert lines[-1].endswith("s; none changed since load 1, nothing to do")
    assert any(line.split() == ["shipments", "5", "0", "0", "5", "0", "0"] for line in lines)
