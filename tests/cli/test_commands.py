"""The `receivables` command as scripts drive it: output, exit codes, exports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.helpers.cli import run
from tests.helpers.ledgers import source, write_files


def test_load_prints_counts_per_entity_and_exports_rejects(db_url: str, tmp_path: Path) -> None:
    folder = source(tmp_path)
    write_files(folder, {"shipments_bad.csv": "document_id,contract_id,date,amount\nB1,C1,2025-01-01,1.2.3\n"})
    done = run("load", str(folder), "--db", db_url)
    assert done.returncode == 0, done.stderr
    lines = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines() if line.strip()}
    # read, new, updated, unchanged, deleted, rejected
    assert lines["shipments"] == ["6", "5", "0", "0", "0", "1"]
    assert lines["counterparties"] == ["2", "2", "0", "0", "0", "0"]
    # A first load matches both counterparties from scratch; the line says which way each went.
    assert "; 2 counterparties matched (0 on from their open documents, 2 from scratch), " in done.stdout

    strict = run("load", str(folder), "--strict", "--db", db_url)
    assert strict.returncode == 3
    assert run("load", str(folder / "contracts.csv"), "--strict", "--db", db_url).returncode == 0

    out = tmp_path / "rejects.csv"
    exported = run("export", "rejects", "-o", str(out), "--db", db_url)
    assert exported.returncode == 0, exported.stderr
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["file"].rsplit("/", 1)[-1], r["line"], r["column"], r["value"]) for r in rows] == [
        ("shipments_bad.csv", "2", "amount", "1.2.3")
    ]
    xlsx = tmp_path / "rejects.xlsx"
    assert run("export", "rejects", "-o", str(xlsx), "--db", db_url).returncode == 0
    assert xlsx.read_bytes()[:2] == b"PK"


def test_failure_is_one_line_without_traceback(tmp_path: Path) -> None:
    done = run("load", str(tmp_path / "missing"), "--db", f"sqlite:///{tmp_path / 'w.db'}")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"receivables: path not found: {tmp_path / 'missing'}"]
    debug = run("load", str(tmp_path / "missing"), "--db", f"sqlite:///{tmp_path / 'w.db'}", "--debug")
    assert "Traceback" in debug.stderr


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    assert run("load").returncode == 2
    assert run("export", "nothing", "-o", "x.csv").returncode == 2
    assert run("demo", "--scale", "0", "--db", f"sqlite:///{tmp_path / 'w.db'}").returncode == 2
    unknown_suffix = run("export", "rejects", "-o", str(tmp_path / "x.pdf"), "--db", f"sqlite:///{tmp_path / 'w.db'}")
    assert unknown_suffix.returncode == 1
    assert ".csv or .xlsx" in unknown_suffix.stderr


def test_database_url_precedence(tmp_path: Path) -> None:
    folder = source(tmp_path)
    config = tmp_path / "receivables.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "from_file.db"}"\n', encoding="utf-8")
    # The file, found in the working directory.
    assert run("load", str(folder), cwd=tmp_path).returncode == 0
    assert (tmp_path / "from_file.db").exists()
    # The environment beats the file; --db beats both.
    assert (
        run(
            "load", str(folder), cwd=tmp_path, env={"RECEIVABLES_DB_URL": f"sqlite:///{tmp_path / 'env.db'}"}
        ).returncode
        == 0
    )
    assert (tmp_path / "env.db").exists()
    flag = run(
        "load",
        str(folder),
        "--db",
        f"sqlite:///{tmp_path / 'flag.db'}",
        cwd=tmp_path,
        env={"RECEIVABLES_DB_URL": f"sqlite:///{tmp_path / 'env2.db'}"},
    )
    assert flag.returncode == 0
    assert (tmp_path / "flag.db").exists()
    assert not (tmp_path / "env2.db").exists()


@pytest.mark.parametrize("content", ["[company\nname=1", "x = ["])
def test_broken_config_is_a_clear_failure(tmp_path: Path, content: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(content, encoding="utf-8")
    done = run("export", "rejects", "-o", str(tmp_path / "r.csv"), "--config", str(config))
    assert done.returncode == 1
    assert "cannot read configuration" in done.stderr


def test_load_prepares_the_first_pages_for_the_app(tmp_path: Path) -> None:
    """After `receivables load` the app's first pages read their answers (dashboard.services.first_pages),
    silently for a script (it is said on a terminal only); a reload of unchanged files leaves them alone."""
    from dashboard.services.first_pages import is_warm
    from domain.buckets import DEFAULT_BUCKETS
    from warehouse.engine import make_engine

    db = f"sqlite:///{tmp_path / 'w.db'}"
    done = run("load", str(source(tmp_path)), "--db", db)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # a script's stderr is for problems
    assert "first pages" not in done.stdout  # the counts scripts read stay as they were
    engine = make_engine(db, pooled=False)
    assert is_warm(engine, DEFAULT_BUCKETS)
    with engine.connect() as conn:
        computed = conn.execute(text("SELECT computed_at FROM answers")).scalars().all()
    assert len(computed) == 5
    again = run("load", str(source(tmp_path)), "--db", db)
    assert again.returncode == 0
    assert is_warm(engine, DEFAULT_BUCKETS)  # the no-op load has a version of its own; the answers carry over
    with engine.connect() as conn:  # nothing changed: the answers stay as computed
        assert conn.execute(text("SELECT computed_at FROM answers")).scalars().all() == computed
    engine.dispose()
