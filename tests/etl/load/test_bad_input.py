"""Bad input, nothing lost: every case of tests/data/bad/ loads as tests/data/bad/expectations.csv says.

Each case is loaded through `etl.load.load_paths` (and a few through the CLI) into a warehouse that
already holds the good fixture `_base/`, and must:

- end as the table says: its files refused or skipped with the message shown to the user, or so many
  rows loaded and so many rejected, each reject with its line, column, reason and kind;
- account for every row: read = loaded + rejected per entity, and the rejects list holds exactly the
  rejected rows (plus one `file` reject per refused file);
- show no traceback or exception name in any message a person reads;
- leave the warehouse consistent: the good rows still there, no match larger than its documents, and
  when nothing of the case loaded, every table but the rejects list exactly as before.

The expectations come from the data contract (/work/shared/contract.md); make_corpus.py writes the
files, and a test here checks the committed corpus is what it writes.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from etl.load import LoadResult, load_paths
from tests.helpers.databases import reset_pg
from tests.helpers.ledgers import write_files
from tests.helpers.paths import DATA, ROOT
from tests.helpers.tables import table_checksums
from warehouse.engine import ensure_schema, make_engine

CORPUS = DATA / "bad"
BASE = CORPUS / "_base"
NOT_CASES = {"_base", "make_corpus.py", "expectations.csv", "__pycache__"}
# What a person must never see: a traceback, an exception class, Python's own wording.
TRACEBACK = re.compile(r"Traceback|File \"|line \d+, in |\b\w*(Error|Exception)\b|<\w+ object at")
_REJECT = re.compile(r"L(?P<line>\d+) (?P<column>[^:]*): (?P<reason>.+?)(?P<reference> \[reference\])?")
_CHECK = re.compile(r"(?P<absent>!?)(?P<table>\w+)/(?P<key>[^=]+?)(?: = (?P<amount>-?\d+))?")
# Cases run on PostgreSQL too: every reader, every kind of reject, and the ones where PostgreSQL is
# stricter than SQLite (a NUL character, a 1 MB value, 17-digit kopecks).
POSTGRES_CASES = (
    "allocations_bad.csv",
    "bank_bad_values.txt",
    "bank_no_end.txt",
    "deleted_counterparty",
    "dup_across_files",
    "mixed_good_and_refused",
    "payments_references.csv",
    "shipments_bad_amounts.csv",
    "shipments_bad_dates.csv",
    "shipments_bad_values.xlsx",
    "shipments_huge_cell.csv",
    "shipments_mixed_encodings.csv",
    "shipments_nul_in_value.csv",
    "shipments_truncated.xlsx",
)


@dataclass(frozen=True)
class Reject:
    line: int
    column: str
    reason: str
    reference: bool


@dataclass(frozen=True)
class Case:
    name: str
    files: tuple[tuple[str, str], ...]  # (refused | skipped, message fragment)
    loaded: int
    rejected: int
    rejects: tuple[Reject, ...]
    warnings: tuple[Reject, ...]  # values left out of rows that loaded
    checks: tuple[str, ...]
    note: str

    @property
    def path(self) -> Path:
        return CORPUS / self.name


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(" | ") if part.strip()]


def _rejects(row: dict[str, str], column: str) -> tuple[Reject, ...]:
    rejects = []
    for entry in _split(row[column]):
        m = _REJECT.fullmatch(entry)
        assert m, f"{row['case']}: cannot read the expected reject {entry!r}"
        rejects.append(Reject(int(m["line"]), m["column"], m["reason"], bool(m["reference"])))
    return tuple(rejects)


def _case(row: dict[str, str]) -> Case:
    files = []
    for entry in _split(row["files"]):
        outcome, _, fragment = entry.partition(": ")
        assert outcome in ("refused", "skipped"), f"{row['case']}: {entry!r}"
        files.append((outcome, fragment))
    return Case(
        row["case"],
        tuple(files),
        int(row["loaded"]),
        int(row["rejected"]),
        _rejects(row, "rejects"),
        _rejects(row, "warnings"),
        tuple(_split(row["check"])),
        row["note"],
    )


def _cases() -> list[Case]:
    with (CORPUS / "expectations.csv").open(encoding="utf-8", newline="") as handle:
        return [_case(row) for row in csv.DictReader(handle)]


CASES = _cases()
BY_NAME = {case.name: case for case in CASES}


# ------------------------------------------------------------------------------------ the corpus


def test_every_case_has_an_expectation_and_the_corpus_is_big_enough() -> None:
    on_disk = {p.name for p in CORPUS.iterdir()} - NOT_CASES
    assert on_disk == set(BY_NAME), "cases without expectations, or expectations without a case"
    assert len(CASES) >= 45
    assert len(BY_NAME) == len(CASES), "a case listed twice"


def test_committed_corpus_is_what_the_generator_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.corpus()
    committed = {
        p.relative_to(CORPUS).as_posix(): p.read_bytes()
        for p in CORPUS.rglob("*")
        if p.is_file() and p.relative_to(CORPUS).parts[0] not in NOT_CASES - {"_base"}
    }
    assert sorted(committed) == sorted(expected)
    changed = [name for name, data in expected.items() if committed[name] != data]
    assert not changed, f"run tests/data/bad/make_corpus.py: these differ from what it writes: {changed}"


# -------------------------------------------------------------------------------- the warehouse


@pytest.fixture(scope="session")
def sqlite_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite warehouse holding `_base/`, copied for each case (a load per case saved)."""
    path = tmp_path_factory.mktemp("bad_input") / "base.db"
    engine = make_engine(f"sqlite:///{path}", pooled=False)
    ensure_schema(engine)
    load_paths(engine, [BASE])
    engine.dispose()
    return path


@pytest.fixture
def sqlite_engine(sqlite_base: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "warehouse.db"
    shutil.copyfile(sqlite_base, path)
    engine = make_engine(f"sqlite:///{path}", pooled=False)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine(pg_database: str) -> Iterator[Engine]:
    reset_pg(pg_database)
    engine = make_engine(pg_database, pooled=False)
    ensure_schema(engine)
    load_paths(engine, [BASE])
    yield engine
    engine.dispose()


def _scalar_rows(engine: Engine, sql: str, **params: object) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def _base_state(engine: Engine) -> dict[str, object]:
    return {
        "documents": _scalar_rows(engine, "SELECT document_id, amount FROM documents ORDER BY document_id"),
        "counterparties": _scalar_rows(engine, "SELECT counterparty_id FROM counterparties ORDER BY 1"),
        "contracts": _scalar_rows(engine, "SELECT contract_id FROM contracts ORDER BY 1"),
    }


def _data_checksums(engine: Engine) -> dict[str, str]:
    """Every table but the rejects list (a refused file adds its `file` reject there)."""
    checksums = table_checksums(engine, ignore_load_ids=True)
    checksums.pop("rejects")
    return checksums


# ------------------------------------------------------------------------------------- the checks


def _messages(result: LoadResult, rejects: list[tuple]) -> list[str]:
    """What the user reads: why a file was refused or skipped, and every reject's reason."""
    return [f.message for f in result.files if f.entity in ("refused", "skipped")] + [r[3] for r in rejects]


def _check_case(case: Case, engine: Engine) -> None:
    before_base = _base_state(engine)
    before = _data_checksums(engine)
    result = load_paths(engine, [case.path])
    rejects = _scalar_rows(
        engine,
        "SELECT kind, line, column_name, reason, file FROM rejects WHERE load_id = :load_id ORDER BY reject_id",
        load_id=result.load_id,
    )
    row_rejects = [r for r in rejects if r[0] not in ("file", "warning")]
    file_rejects = [r for r in rejects if r[0] == "file"]
    warnings = [r for r in rejects if r[0] == "warning"]
    context = f"{case.name}: files {[(f.entity, f.message) for f in result.files]}, rejects {row_rejects}"

    # Every row read is loaded or rejected, per entity and in the rejects list.
    for entity, counts in result.counts.items():
        assert counts.read == counts.new + counts.updated + counts.unchanged + counts.deleted + counts.rejected, entity
    loaded = sum(c.new + c.updated + c.unchanged + c.deleted for c in result.counts.values())
    assert (loaded, result.rejected_rows) == (case.loaded, case.rejected), context
    assert len(row_rejects) == result.rejected_rows, context

    # The files refused or skipped, with the message the user reads.
    outcomes = sorted((f.entity, f.message) for f in result.files if f.entity in ("refused", "skipped"))
    assert len(outcomes) == len(case.files), context
    for (outcome, message), (expected_outcome, fragment) in zip(outcomes, sorted(case.files), strict=True):
        assert outcome == expected_outcome, context
        assert fragment in message, context
    assert len(file_rejects) == len(result.refused), context
    assert sorted(r[3] for r in file_rejects) == sorted(f.message for f in result.refused)

    # Each reject as expected: line, column, reason, and whether it is retried later.
    unmatched = list(row_rejects)
    for expected in case.rejects:
        found = next(
            (
                r
                for r in unmatched
                if r[1] == expected.line
                and r[2] == expected.column
                and expected.reason in r[3]
                and (r[0] == "reference") == expected.reference
            ),
            None,
        )
        assert found is not None, f"{case.name}: no reject like {expected}; got {unmatched}"
        unmatched.remove(found)
    assert not unmatched, f"{case.name}: rejects not in the table: {unmatched}"

    # Each bad descriptive value left out of a row that loaded, as expected; counted as warnings.
    assert len(warnings) == result.warnings, context
    unmatched = list(warnings)
    for expected in case.warnings:
        found = next(
            (r for r in unmatched if r[1] == expected.line and r[2] == expected.column and expected.reason in r[3]),
            None,
        )
        assert found is not None, f"{case.name}: no warning like {expected}; got {unmatched}"
        unmatched.remove(found)
    assert not unmatched, f"{case.name}: warnings not in the table: {unmatched}"

    # A reject keeps its raw values only when it will be retried (a reference), and files under the
    # entity whose counts it is in (a bank statement's rows are bank_payments).
    kept = _scalar_rows(
        engine, "SELECT kind, entity, LENGTH(raw) FROM rejects WHERE load_id = :load_id", load_id=result.load_id
    )
    assert all(length == 0 for kind, _, length in kept if kind != "reference"), f"{case.name}: {kept}"
    assert {entity for kind, entity, _ in kept if kind not in ("file", "warning")} <= {
        e for e, c in result.counts.items() if c.rejected
    }

    # Words for people, not for programmers.
    for message in _messages(result, rejects):
        assert not TRACEBACK.search(message), f"{case.name}: {message!r}"
        assert message.strip(), case.name

    # The warehouse stays consistent.
    after_base = _base_state(engine)
    for table, rows in before_base.items():
        assert set(rows) <= set(after_base[table]), f"{case.name}: a good {table} row was lost or changed"
    if loaded == 0:
        assert _data_checksums(engine) == before, f"{case.name}: nothing loaded, yet the warehouse changed"
    overmatched = _scalar_rows(
        engine,
        """
        SELECT d.document_id FROM documents d JOIN matches m ON m.debit_pk = d.doc_pk OR m.credit_pk = d.doc_pk
        GROUP BY d.doc_pk, d.document_id, d.amount, d.side
        HAVING SUM(CASE WHEN (d.side = 1 AND m.debit_pk = d.doc_pk) OR (d.side = -1 AND m.credit_pk = d.doc_pk)
                        THEN m.amount ELSE 0 END) > d.amount
        """,
    )
    assert overmatched == [], case.name
    for check in case.checks:
        _check_warehouse(engine, case.name, check)


def _check_warehouse(engine: Engine, name: str, check: str) -> None:
    m = _CHECK.fullmatch(check)
    assert m, f"{name}: cannot read the check {check!r}"
    table, key = m["table"], m["key"].strip()
    if table == "documents":
        found = _scalar_rows(engine, "SELECT amount FROM documents WHERE document_id = :key", key=key)
    elif table == "allocations":
        payment_id, shipment_id = key.split(",")
        found = _scalar_rows(
            engine,
            "SELECT amount FROM allocations WHERE payment_id = :p AND shipment_id = :s",
            p=payment_id,
            s=shipment_id,
        )
    elif table in ("counterparties", "contracts"):
        column = "counterparty_id" if table == "counterparties" else "contract_id"
        found = _scalar_rows(engine, f"SELECT {column} FROM {table} WHERE {column} = :key", key=key)
    else:
        raise AssertionError(f"{name}: unknown table in check {check!r}")
    if m["absent"]:
        assert found == [], f"{name}: {table}/{key} should not be in the warehouse"
        return
    assert len(found) == 1, f"{name}: {table}/{key} should be in the warehouse once, found {found}"
    if m["amount"] is not None:
        assert found[0][0] == int(m["amount"]), f"{name}: {table}/{key} amount {found[0][0]}, expected {m['amount']}"


# -------------------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_sqlite(case: Case, sqlite_engine: Engine) -> None:
    _check_case(case, sqlite_engine)


@pytest.mark.postgres
@pytest.mark.parametrize("name", POSTGRES_CASES)
def test_bad_input_postgres(name: str, postgres_engine: Engine) -> None:
    _check_case(BY_NAME[name], postgres_engine)


def test_reference_rejects_load_once_the_reference_arrives(sqlite_engine: Engine, tmp_path: Path) -> None:
    """Nothing lost: a contract whose counterparty was missing, and the shipment on that contract,
    load at the next load that brings the counterparty, and leave the rejects list."""
    load_paths(sqlite_engine, [CORPUS / "reference_chain"])
    later = write_files(tmp_path / "later", {"counterparties.csv": "counterparty_id,name\nK99,ООО Пришёл позже\n"})
    result = load_paths(sqlite_engine, [later])
    assert result.retried == 2
    assert result.retried_loaded == 2
    assert _scalar_rows(sqlite_engine, "SELECT amount FROM documents WHERE document_id = 'S70'") == [(10000,)]
    assert _scalar_rows(sqlite_engine, "SELECT COUNT(*) FROM rejects") == [(0,)]


# ---------------------------------------------------------------------------------------- the CLI

CLI_CASES = ("shipments_truncated.xlsx", "bank_no_end.txt", "shipments_bad_amounts.csv", "unknown_files")


@pytest.fixture
def cli_db(sqlite_base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    shutil.copyfile(sqlite_base, tmp_path / "warehouse.db")
    monkeypatch.chdir(tmp_path)  # no ./receivables.toml from wherever pytest was started
    for variable in ("RECEIVABLES_CONFIG", "RECEIVABLES_DB_URL"):
        monkeypatch.delenv(variable, raising=False)
    return f"sqlite:///{tmp_path / 'warehouse.db'}"


@pytest.mark.parametrize("name", CLI_CASES)
def test_cli_load_reports_bad_input_without_a_traceback(
    name: str, cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import cli

    case = BY_NAME[name]
    assert cli.main(["load", str(case.path), "--db", cli_db]) == 0
    out, err = capsys.readouterr()
    for outcome, fragment in case.files:
        assert re.search(rf"^{outcome}: .*{re.escape(fragment)}", out, re.MULTILINE), out
    if case.rejected:
        assert re.search(rf"^shipments\s+{case.loaded + case.rejected}\s.*\s{case.rejected}$", out, re.MULTILINE), out
    assert not TRACEBACK.search(out + err), out + err
    # --strict: the same load, reported the same way, exits 3 when anything was refused or rejected.
    strict = cli.main(["load", str(case.path), "--db", cli_db, "--strict"])
    assert strict == (3 if case.rejected or any(o == "refused" for o, _ in case.files) else 0)


def test_cli_subprocess_refused_file(cli_db: str, tmp_path: Path) -> None:
    """The installed command, as a user runs it: the refusal on stdout, exit 0, no traceback."""
    case = BY_NAME["shipments_cp1251_utf8_bom.csv"]
    done = subprocess.run(
        [sys.executable, "-m", "cli", "load", str(case.path), "--db", cli_db],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"refused: {case.path}: the file starts with a UTF-8 byte order mark" in done.stdout
    assert not TRACEBACK.search(done.stdout + done.stderr)
