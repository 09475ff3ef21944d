"""`receivables note` and `receivables note resolve` as scripts drive them (contract section 5): the note's
id alone on the last line, one-line refusals with exit 2, the author and the audit row, a manager's scope;
on the small ledger of tests/helpers/ledgers.py (K1: Иванов И.И., K2: Сидоров С.С.), on both backends."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

import warehouse
from tests.helpers.cli import invoke

CONFIG = """
[auth]
mode = "oidc"
[auth.users]
"control@firm.ru" = { role = "controller" }
"m2@firm.ru" = { role = "manager", manager = "Сидоров С.С." }
"""


@pytest.fixture
def loaded(small_ledger: str, tmp_path: Path) -> str:
    (tmp_path / "receivables.toml").write_text(CONFIG, encoding="utf-8")
    return small_ledger


def note(db_url: str, cwd: Path, *args: str) -> tuple[int, str, str]:
    done = invoke("note", *args, "--db", db_url, cwd=cwd)
    return done.returncode, done.stdout, done.stderr


def rows(db_url: str, table: str) -> list[dict[str, object]]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(warehouse.metadata.tables[table])).mappings()]
    finally:
        engine.dispose()


def test_a_promise_is_recorded_and_its_id_printed_on_the_last_line(loaded: str, tmp_path: Path) -> None:
    code, out, err = note(
        loaded,
        tmp_path,
        *("--counterparty", "K1", "--kind", "promise", "--amount", "1 234,56", "--until", "2025-03-10"),
        *("--date", "2025-03-03", "--text", "Оплатят до пятницы", "--as-user", "control@firm.ru"),
    )
    assert code == 0, err
    assert out.splitlines()[-1] == "1"
    code, out, err = note(loaded, tmp_path, "--counterparty", "K1", "--kind", "dispute", "--document", "S2")
    assert code == 0, err
    assert out.splitlines()[-1] == "2"
    [promise, dispute] = sorted(rows(loaded, "notes"), key=lambda r: int(str(r["note_id"])))
    assert (promise["amount"], promise["until"], promise["note_date"], promise["currency"]) == (
        123_456,
        date(2025, 3, 10),
        date(2025, 3, 3),
        "RUB",
    )
    assert (promise["author"], promise["text"]) == ("control@firm.ru", "Оплатят до пятницы")
    assert dispute["note_date"] == date.today()  # --date's default
    assert dispute["document_id"] == "S2"

    code, out, err = note(loaded, tmp_path, "resolve", "1", "--date", "2025-03-05", "--as-user", "control@firm.ru")
    assert code == 0, err
    assert out.splitlines()[-1] == "1"
    assert "withdrawn" in out
    resolved = next(r for r in rows(loaded, "notes") if r["note_id"] == 1)
    assert (resolved["resolved_on"], resolved["resolved_by"]) == (date(2025, 3, 5), "control@firm.ru")

    audit = [(r["action"], r["user_name"], r["source"], r["subject"]) for r in rows(loaded, "audit_log")]
    assert ("note", "control@firm.ru", "cli", "note 1: promise K1") in audit
    assert ("note_resolved", "control@firm.ru", "cli", "note 1: promise K1") in audit
    assert [a[3] for a in audit if a[0] == "note"] == ["note 1: promise K1", "note 2: dispute K1 on S2"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--counterparty", "K9", "--kind", "call"], "unknown counterparty 'K9'"),
        (["--counterparty", "K1", "--kind", "dispute", "--document", "S4"], "does not belong to counterparty 'K1'"),
        (["--counterparty", "K1", "--kind", "dispute"], "a dispute needs the document"),
        (["--counterparty", "K1", "--kind", "promise", "--until", "2025-03-10"], "needs an amount above zero"),
        (
            ["--counterparty", "K1", "--kind", "promise", "--amount", "0", "--until", "2025-03-10"],
            "needs an amount above zero",
        ),
        (
            ["--counterparty", "K1", "--kind", "promise", "--amount", "1,234.5.6", "--until", "2025-03-10"],
            "--amount: not an amount",
        ),
        (
            [
                "--counterparty",
                "K1",
                "--kind",
                "promise",
                "--amount",
                "10",
                "--until",
                "2025-03-01",
                "--date",
                "2025-03-03",
            ],
            "last day 2025-03-01 is before its date 2025-03-03",
        ),
        (["--kind", "call"], "a note needs --counterparty ID and --kind"),
        (["resolve"], "usage: receivables note resolve NOTE_ID"),
        (["resolve", "77"], "no note 77"),
        (["resolve", "1", "--kind", "call"], "note resolve takes a NOTE_ID and --date only"),
        (["--counterparty", "K1", "--kind", "call", "--as-user", "nobody@firm.ru"], "no such user"),
        # a manager writes only on their own counterparties: another's is as good as unknown
        (["--counterparty", "K1", "--kind", "call", "--as-user", "m2@firm.ru"], "unknown counterparty 'K1'"),
    ],
)
def test_bad_input_exits_2_with_one_line(loaded: str, tmp_path: Path, args: list[str], said: str) -> None:
    code, out, err = note(loaded, tmp_path, *args)
    assert code == 2
    assert out == ""
    [message] = [line for line in err.splitlines() if line.startswith("receivables: error:")]
    assert said in message
    assert rows(loaded, "notes") == []


def test_resolving_twice_or_a_call_is_refused_and_a_manager_resolves_only_their_own(
    loaded: str, tmp_path: Path
) -> None:
    assert note(loaded, tmp_path, "--counterparty", "K1", "--kind", "call")[0] == 0
    assert note(loaded, tmp_path, "--counterparty", "K2", "--kind", "dispute", "--document", "S4")[0] == 0
    code, _, err = note(loaded, tmp_path, "resolve", "1")
    assert (code, "note 1 is a call" in err) == (2, True)
    code, _, err = note(loaded, tmp_path, "resolve", "2", "--date", "2020-01-01")
    assert (code, "cannot be resolved on 2020-01-01" in err) == (2, True)
    assert note(loaded, tmp_path, "resolve", "1", "--as-user", "m2@firm.ru")[0] == 2  # K1's: not theirs
    code, out, err = note(loaded, tmp_path, "resolve", "2", "--as-user", "m2@firm.ru")
    assert code == 0, err
    assert out.splitlines()[-1] == "2"
    code, _, err = note(loaded, tmp_path, "resolve", "2")
    assert (code, "already resolved" in err) == (2, True)
