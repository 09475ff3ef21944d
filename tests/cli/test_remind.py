"""`receivables remind -o FILE.csv` (the day's reminders as a table) and `--send` holding while the bank data
is stale (contract section 5, dashboard.services.bank_hold).

The small ledger (tests/helpers/ledgers.py) on Monday 12.01.2026 (see tests/queries/test_reminders.py): K1 gets
one letter for S2 (200,50, weekly repeat, its Thursday 08.01 a holiday) and S5 (100,00 due 12.01, its
«before» day 09.01 a holiday); K2 one for S4 (200,00, weekly repeat, Wednesday 07.01 a holiday). Its last
payment is P2 of 05.02.2025. The working day before 12.01.2026 is 30.12.2025 (31.12 and 01-11.01 are off).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from dashboard.services.bank_hold import bank_check
from dashboard.services.reminders import settings_from
from tests.helpers.cli import invoke
from tests.helpers.ledgers import source, write_files
from tests.helpers.smtp import Inbox
from warehouse.engine import make_engine

MONDAY = "2026-01-12"


def statement(through: str) -> str:
    """A 1C bank statement of the company's account for one day, with no incoming payment."""
    return (
        "1CClientBankExchange\nВерсияФормата=1.03\nКодировка=Windows\n"
        f"ДатаНачала={through}\nДатаКонца={through}\nРасчСчет=40702810900000000001\n"
        "СекцияРасчСчет\nРасчСчет=40702810900000000001\nКонецРасчСчет\nКонецФайла\n"
    )


def config(path: Path, port: int, reminders: str = "") -> str:
    path.write_text(
        '[company]\nname = "ООО «Поставщик»"\ninn = "7728168971"\n\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nfrom = "ar@supplier.ru"\n\n'
        f"[reminders]\n{reminders}\n",
        encoding="utf-8",
    )
    return str(path)


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert invoke("load", str(source(tmp_path)), "--db", url).returncode == 0
    return url


def test_the_days_reminders_as_a_table(db: str, tmp_path: Path) -> None:
    out = tmp_path / "out" / "reminders.csv"
    done = invoke("remind", "--as-of", MONDAY, "-o", str(out), "--db", db)
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["counterparty_id", "to", "document_id", "rule"],
        ["K1", "buh@romashka.ru", "S2", "repeat"],
        ["K1", "buh@romashka.ru", "S5", "before"],
        ["K2", "petrov@mail.ru, p2@mail.ru", "S4", "repeat"],
    ]
    # The dry run printed as before, and wrote to nobody's log.
    assert done.stdout.splitlines()[0] == f"{MONDAY}: 2 messages, 3 documents (dry run)"


def test_send_holds_while_the_bank_data_is_older_than_the_previous_working_day(
    db: str, tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    cfg = config(tmp_path / "r.toml", port)
    held = invoke("remind", "--as-of", MONDAY, "--send", "--config", cfg, "--db", db)
    assert held.returncode == 1
    assert "Reminders held: the bank data reaches 2025-02-05 only, and must reach 2025-12-30 at least" in held.stderr
    assert inbox.messages == []

    # A statement up to 29.12.2025 is still a working day short.
    write_files(tmp_path / "bank1", {"kl_to_1c_29.txt": statement("29.12.2025")}, encoding="cp1251")
    assert invoke("load", str(tmp_path / "bank1"), "--db", db).returncode == 0
    held = invoke("remind", "--as-of", MONDAY, "--send", "--config", cfg, "--db", db)
    assert held.returncode == 1
    assert "reaches 2025-12-29 only" in held.stderr
    assert inbox.messages == []
    # Two working days back (29.12.2025) are enough for a company that says so; one is not.
    engine = make_engine(db, pooled=False)
    with engine.connect() as conn:
        assert not bank_check(conn, as_of=date(2026, 1, 12), fresh_days=2).holds
        assert bank_check(conn, as_of=date(2026, 1, 12), fresh_days=1).holds
    engine.dispose()

    # The statement of 30.12.2025: fresh enough, both letters go.
    write_files(tmp_path / "bank2", {"kl_to_1c_30.txt": statement("30.12.2025")}, encoding="cp1251")
    assert invoke("load", str(tmp_path / "bank2"), "--db", db).returncode == 0
    sent = invoke("remind", "--as-of", MONDAY, "--send", "--config", cfg, "--db", db)
    assert sent.returncode == 0, sent.stderr
    assert "held" not in sent.stderr
    assert inbox.by_counterparty() == {"K1": 1, "K2": 1}


def test_a_dry_run_never_holds_and_zero_turns_the_check_off(db: str, tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    dry = invoke("remind", "--as-of", MONDAY, "--config", config(tmp_path / "r.toml", port), "--db", db)
    assert dry.returncode == 0
    assert "held" not in dry.stderr
    off = config(tmp_path / "off.toml", port, "bank_fresh_days = 0")
    sent = invoke("remind", "--as-of", MONDAY, "--send", "--config", off, "--db", db)
    assert sent.returncode == 0, sent.stderr
    assert inbox.by_counterparty() == {"K1": 1, "K2": 1}


def test_an_empty_bank_history_holds_and_says_so(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    _, port = smtp
    db = f"sqlite:///{tmp_path / 'w.db'}"
    folder = source(tmp_path)
    (folder / "payments.csv").unlink()  # nothing ever paid, no statement
    assert invoke("load", str(folder), "--db", db).returncode == 0
    held = invoke("remind", "--as-of", MONDAY, "--send", "--config", config(tmp_path / "r.toml", port), "--db", db)
    assert held.returncode == 1
    assert "no bank statement or payment has been loaded" in held.stderr


def test_bank_fresh_days_must_be_a_whole_number_of_days() -> None:
    assert settings_from({"bank_fresh_days": 3}).bank_fresh_days == 3
    assert settings_from({}).bank_fresh_days == 1
    with pytest.raises(ValueError, match="bank_fresh_days: 0 \\(no check\\) or more working days, not -1"):
        settings_from({"bank_fresh_days": -1})
    with pytest.raises(ValueError, match="bank_fresh_days: a whole number"):
        settings_from({"bank_fresh_days": "soon"})


@pytest.fixture
def on_both(small_ledger: str) -> str:
    return small_ledger


def test_promises_and_disputes_hold_the_days_reminders(on_both: str, tmp_path: Path) -> None:
    """K1 promises 100,00 for S5 until 16.01 and K2 disputes S4, both noted on 05.01.2026: on Monday 12.01 only
    S2 goes. Resolved on 12.01, the dispute lets S4 go again that day."""
    db = on_both

    def note(*args: str) -> str:
        done = invoke("note", *args, "--date", "2026-01-05", "--db", db)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()[-1]

    printed: dict[str, str] = {}

    def reminders(name: str) -> list[list[str]]:
        out = tmp_path / name
        done = invoke("remind", "--as-of", MONDAY, "-o", str(out), "--db", db)
        assert done.returncode == 0, done.stderr
        printed[name] = done.stdout
        with out.open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))[1:]

    note("--counterparty", "K1", "--kind", "promise", "--document", "S5", "--amount", "100", "--until", "2026-01-16")
    dispute = note("--counterparty", "K2", "--kind", "dispute", "--document", "S4")
    assert reminders("held.csv") == [["K1", "buh@romashka.ru", "S2", "repeat"]]
    # The dry run also says what is held back and why (the page's «На паузе»): K1's S5 by its promise of
    # 100,00 until 16.01.2026, K2's S4 by the dispute noted on 05.01.2026.
    held = [line.split("\t") for line in printed["held.csv"].splitlines() if "\ton hold\t" in line]
    assert sorted((row[0], row[2]) for row in held) == [("K1", "УПД-5"), ("K2", "УПД-4")]
    assert "on hold: 2" in printed["held.csv"]
    assert any("16.01.2026" in row[3] and "100,00" in row[3] for row in held)
    done = invoke("note", "resolve", dispute, "--date", MONDAY, "--db", db)
    assert done.returncode == 0, done.stderr
    assert reminders("resolved.csv") == [
        ["K1", "buh@romashka.ru", "S2", "repeat"],
        ["K2", "petrov@mail.ru, p2@mail.ru", "S4", "repeat"],
    ]
    assert "on hold: 1" in printed["resolved.csv"]  # the promise still holds S5
