"""shipped_while_overdue leaves out the debts under a dispute open on the shipment's date (contract section 5:
a disputed document is out of the stop-list's overdue rules), through the shipment_checks rollup and through
the sweep at query time; driven as a script drives it (`receivables note`, `receivables export exceptions`),
hand-computed on a ledger of its own, on SQLite and PostgreSQL.

K1's contract C1 has a credit limit of 150,00; every due date is given. Shipments (amount, due):
- A1 10.01.2025 100,00, due 10.02.2025, never paid: disputed from 25.02.2025, resolved on 25.03.2025;
- A2 01.02.2025 40,00, due 01.03.2025, never paid;
- X1 24.02 10,00, X2 25.02 20,00, X3 20.03 30,00, X4 25.03 5,00, all due 30.04.2025.
On each X's date (the default rule: a day overdue is enough; stop-list defaults: more than 30 days, limits on):
- X1 24.02, the day before the dispute: A1 14 days overdue, 100,00. C1 100 + 40 + 10 = 150,00, not above
  150,00: no stop rule, medium. The dispute dated after the shipment leaves it as it was.
- X2 25.02, the dispute's own date (a note counts from its date on): A1 is held; A2 is not due: no
  exception (it would be 15 days, 100,00), although C1 held 170,00 that day: over the limit without being
  overdue is no shipped_while_overdue (credit_limit_exceeded says it as of D).
- X3 20.03: A1 held (38 days), A2 19 days, 40,00: days 19, not the 38 that broke overdue_days. C1 100 + 40 +
  10 + 20 + 30 = 200,00 > 150,00: credit_limit all the same (a disputed debt stays in the balance), high.
- X4 25.03, the day the dispute was resolved (over from that day): A1 43 days, A2 24: 140,00,
  overdue_days,credit_limit (205,00), high.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from etl.load import load_paths
from queries.exceptions import ExceptionRules, exceptions
from queries.stoplist import StopRules
from tests.helpers.cli import invoke
from tests.helpers.ledgers import write_files
from tests.helpers.notes import note as write_note
from tests.helpers.notes import resolve
from tests.helpers.shipped_recount import documents, random_ledger, recount
from tests.helpers.tables import due_dates
from warehouse.engine import make_engine
from warehouse.rollups import checks

LEDGER = {
    "counterparties.csv": "counterparty_id,name,manager\nK1,ООО «Альфа»,Анна\nK2,ООО «Бета»,Борис\n",
    "contracts.csv": "contract_id,counterparty_id,number,terms_days,credit_limit\nC1,K1,Д-1,0,150\nC2,K2,Д-2,0,\n",
    "shipments.csv": (
        "document_id,contract_id,date,amount,number,due_date\n"
        "A1,C1,2025-01-10,100,УПД-1,2025-02-10\n"
        "A2,C1,2025-02-01,40,УПД-2,2025-03-01\n"
        "X1,C1,2025-02-24,10,УПД-3,2025-04-30\n"
        "X2,C1,2025-02-25,20,УПД-4,2025-04-30\n"
        "X3,C1,2025-03-20,30,УПД-5,2025-04-30\n"
        "X4,C1,2025-03-25,5,УПД-6,2025-04-30\n"
        # K2: overdue B1 disputed (never resolved) while B2 is shipped; another client's dispute of A-nothing.
        "B1,C2,2025-01-15,70,УПД-7,2025-02-15\n"
        "B2,C2,2025-03-03,7,УПД-8,2025-04-30\n"
    ),
    "payments.csv": "document_id,date,amount,contract_id,counterparty_id\nP1,2025-01-20,1,C2,\n",
}
AS_OF = "2025-03-31"


@pytest.fixture
def loaded(db_url: str, tmp_path: Path) -> str:
    done = invoke("load", str(write_files(tmp_path / "src", LEDGER)), "--db", db_url)
    assert done.returncode == 0, done.stderr
    engine: Engine = make_engine(db_url, pooled=False)
    try:
        with engine.connect() as conn:
            assert checks.ready(conn)  # the default rule reads the rollup
    finally:
        engine.dispose()
    return db_url


def cli(db_url: str, cwd: Path, *args: str) -> str:
    done = invoke(*args, "--db", db_url, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def dispute(db_url: str, cwd: Path, document_id: str, counterparty_id: str, on: str) -> str:
    """The dispute's note id (the last line of `receivables note`)."""
    out = cli(
        db_url,
        cwd,
        "note",
        "--counterparty",
        counterparty_id,
        "--kind",
        "dispute",
        "--document",
        document_id,
        "--date",
        on,
        "--text",
        "Недовоз",
    )
    return out.splitlines()[-1]


def shipped(db_url: str, cwd: Path, *config: str) -> dict[str, tuple[str, str, str, str, str]]:
    """shipment -> (amount, days, the English sentence's overdue part, stop_rules, severity) of its
    shipped_while_overdue row in `receivables export exceptions` as of 31.03.2025 (`config`: --config FILE)."""
    out = cwd / "exceptions.csv"
    cli(db_url, cwd, "export", "exceptions", "--as-of", AS_OF, *config, "-o", str(out))
    with out.open(encoding="utf-8") as handle:
        found = [r for r in csv.DictReader(handle) if r["code"] == "shipped_while_overdue"]
    return {
        r["document_id"]: (
            r["amount"],
            r["days"],
            r["detail_en"][r["detail_en"].index("while ") : r["detail_en"].index(" (up to")],
            r["stop_rules"],
            r["severity"],
        )
        for r in found
    }


BEFORE = {  # no dispute: what the rollup says
    "X1": ("10.00", "14", "while 100.00 RUB was overdue", "", "medium"),
    "X2": ("20.00", "15", "while 100.00 RUB was overdue", "credit_limit", "high"),
    "X3": ("30.00", "38", "while 140.00 RUB was overdue", "overdue_days,credit_limit", "high"),
    "X4": ("5.00", "43", "while 140.00 RUB was overdue", "overdue_days,credit_limit", "high"),
    "B2": ("7.00", "16", "while 69.00 RUB was overdue", "", "medium"),
}


def test_a_dispute_open_on_the_shipments_date_leaves_its_debt_out(loaded: str, tmp_path: Path) -> None:
    assert shipped(loaded, tmp_path) == BEFORE
    note = dispute(loaded, tmp_path, "A1", "K1", "2025-02-25")
    dispute(loaded, tmp_path, "B1", "K2", "2025-03-01")  # open ever since: B2's only overdue debt on 03.03
    cli(loaded, tmp_path, "note", "resolve", note, "--date", "2025-03-25")
    assert shipped(loaded, tmp_path) == {
        "X1": BEFORE["X1"],  # the dispute is dated after the shipment
        # X2: its only overdue debt was disputed that day: no exception; B2 (B1 69,00 16 days) likewise.
        "X3": ("30.00", "19", "while 40.00 RUB was overdue", "credit_limit", "high"),
        "X4": BEFORE["X4"],  # the dispute was resolved that day
    }


SWEPT = """
[exceptions]
shipped_while_overdue_days = 15
[stoplist]
overdue_days = 30
overdue_amount = "50"
credit_limit = false
"""


def test_the_sweep_at_query_time_leaves_it_out_too(loaded: str, tmp_path: Path) -> None:
    # More than 15 days overdue (so the window is swept, not read from the rollup), the stop-list's overdue
    # amount above 50,00 (every overdue debt, whatever the threshold), no limits. Before any dispute:
    # - X1 24.02 (A1 14 days) and X2 25.02 (A1 15 days): not more than 15;
    # - X3 20.03: A1 38 days and A2 19: 140,00 > 50,00, 38 > 30; X4 25.03 likewise, 43 days;
    # - B2 03.03: B1 16 days, 69,00 > 50,00.
    config = tmp_path / "swept.toml"
    config.write_text(SWEPT, encoding="utf-8")
    before = {
        "X3": ("30.00", "38", "while 140.00 RUB was overdue", "overdue_days,overdue_amount", "high"),
        "X4": ("5.00", "43", "while 140.00 RUB was overdue", "overdue_days,overdue_amount", "high"),
        "B2": ("7.00", "16", "while 69.00 RUB was overdue", "overdue_amount", "high"),
    }
    assert shipped(loaded, tmp_path, "--config", str(config)) == before
    note = dispute(loaded, tmp_path, "A1", "K1", "2025-02-25")
    dispute(loaded, tmp_path, "B1", "K2", "2025-03-01")
    cli(loaded, tmp_path, "note", "resolve", note, "--date", "2025-03-25")
    # X3: A1 held; A2 19 days, 40,00, which is all its overdue debt that day: no stop rule. X4: resolved that
    # day. B2: nothing left.
    assert shipped(loaded, tmp_path, "--config", str(config)) == {
        "X3": ("30.00", "19", "while 40.00 RUB was overdue", "", "medium"),
        "X4": before["X4"],
    }


@pytest.mark.parametrize(
    ("seed", "threshold", "stop_rules"),
    [
        (7, 0, StopRules(overdue_days=10, overdue_amount=60_000)),  # the rollup
        (5, 7, StopRules(overdue_days=20, overdue_amount=120_000)),  # the sweep, with every overdue debt too
    ],
)
def test_with_random_disputes_it_agrees_with_a_day_by_day_recount(
    engine: Engine, tmp_path: Path, seed: int, threshold: int, stop_rules: StopRules
) -> None:
    """test_exceptions' random ledgers with disputes of random debits, some resolved later, against a plain
    recount of each shipment's day that skips the debits whose dispute was open that day."""
    load_paths(engine, [write_files(tmp_path / "src", random_ledger(seed))])
    due = due_dates(engine)
    debits = sorted((r for r in documents(engine) if r[0] in due), key=lambda r: r[0])
    rng = random.Random(seed)
    spans: dict[str, list[tuple[date, date | None]]] = defaultdict(list)  # document -> (dated, resolved on)
    for document_id, _, counterparty_id, *_ in rng.sample(debits, 30):
        dated = due[document_id] + timedelta(days=rng.randrange(-5, 20))  # mostly while it is overdue
        resolved = dated + timedelta(days=rng.randrange(0, 40)) if rng.random() < 0.5 else None
        note_id = write_note(engine, "dispute", counterparty_id, dated, document_id=document_id)
        if resolved is not None:
            resolve(engine, note_id, resolved)
        spans[document_id].append((dated, resolved))

    def disputed(document_id: str, day: date) -> bool:
        return any(n <= day and (r is None or r > day) for n, r in spans[document_id])

    as_of = date(2025, 4, 20)
    rules = ExceptionRules(shipped_while_overdue_days=threshold, lookback_days=60)
    with engine.connect() as conn:
        frame = exceptions(conn, as_of=as_of, rules=rules, stop_rules=stop_rules).filter(
            pl.col("code") == "shipped_while_overdue"
        )
    found = sorted(
        (doc, days, tuple((o["currency"], o["amount"]) for o in overdue), broken)
        for doc, days, overdue, broken in frame.select("document_id", "days", "overdue", "stop_rules").iter_rows()
    )
    oracle = recount(
        engine, as_of=as_of, lookback_days=60, threshold=threshold, stop_rules=stop_rules, disputed=disputed
    )
    expected = [(e.shipment_id, e.days, tuple(sorted(e.overdue.items())), e.stop_rules) for e in oracle.shipped]
    assert found == sorted(expected)
    assert expected
    assert oracle.held_out > 0  # the disputes do leave overdue debt out of some shipments' days
