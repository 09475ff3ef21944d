"""The demo's notes (etl.demo.notes): collections at work as of the demo's last day, on both backends."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from etl.demo import DemoSummary, write_demo_source
from etl.demo.notes import add_demo_notes, describe_notes
from etl.load import load_paths
from queries.collections import disputes_open, notes_of, promise_status
from queries.scope import Scope
from queries.worklist import worklist
from tests.helpers.cli import invoke
from warehouse.engine import ensure_schema, make_engine

END = date(2026, 11, 22)
SEED = 1
CYRILLIC = re.compile("[А-Яа-яЁё]")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    return write_demo_source(tmp_path_factory.mktemp("demo") / "source", scale=2000, seed=SEED, end=END)


def _load(engine: Engine, demo: DemoSummary) -> None:
    load_paths(engine, [demo.folder], company_inn=demo.company_inn, company_name=demo.company_name)


def _notes(engine: Engine) -> pl.DataFrame:
    with engine.connect() as conn:
        return notes_of(conn, scope=Scope.everything()).sort("note_id")


def test_the_demo_shows_a_broken_a_kept_and_an_open_promise_and_a_dispute(engine: Engine, demo: DemoSummary) -> None:
    _load(engine, demo)
    added = add_demo_notes(engine, END, SEED)
    everything = Scope.everything()
    with engine.connect() as conn:
        promises = promise_status(conn, as_of=END, scope=everything)
        disputes = disputes_open(conn, as_of=END, scope=everything)
        ranked = worklist(conn, as_of=END, scope=everything)
    notes = _notes(engine)
    assert added == notes.height >= 8
    assert sorted(promises["status"]) == ["broken", "kept", "open"]
    broken = promises.row(by_predicate=pl.col("status") == "broken", named=True)
    assert broken["until"] < END
    assert broken["paid"] < broken["amount"]
    opened = promises.row(by_predicate=pl.col("status") == "open", named=True)
    assert opened["until"] > END
    assert disputes.height == 1
    assert disputes["open_amount"][0] > 0
    assert ranked["rank"][0] == 1
    assert ranked["counterparty_id"][0] == broken["counterparty_id"]
    assert "broken_promise" in ranked["reason"][0]
    # One dispute resolved before the end; calls and e-mails besides; every note in the weeks before the end.
    resolved = notes.filter(pl.col("kind") == "dispute", pl.col("resolved_on").is_not_null())
    assert resolved.height == 1
    assert resolved["resolved_on"][0] < END
    assert {"call", "email"} <= set(notes["kind"])
    assert notes["note_date"].min() >= END - timedelta(days=40)  # type: ignore[operator]
    assert notes["note_date"].max() <= END  # type: ignore[operator]
    assert all(CYRILLIC.search(text) for text in notes["text"])
    assert set(notes["author"]) <= {"kontrol@volzhsky-opt.ru", "smirnova@volzhsky-opt.ru"}
    # A second call writes nothing: no duplicate promises.
    assert add_demo_notes(engine, END, SEED) == 0
    assert _notes(engine).height == notes.height
    assert describe_notes(engine).startswith(f"{notes.height} (")


def test_same_warehouse_and_seed_give_the_same_notes(demo: DemoSummary, tmp_path: Path) -> None:
    frames = []
    for name in ("a", "b"):
        engine = make_engine(f"sqlite:///{tmp_path / name}.db", pooled=False)
        ensure_schema(engine)
        _load(engine, demo)
        add_demo_notes(engine, END, SEED)
        frames.append(_notes(engine))
        engine.dispose()
    assert frames[0].height > 0
    assert frames[0].equals(frames[1])


def test_receivables_demo_says_its_notes(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    args = ("demo", "--scale", "2000", "--seed", "1", "--end", END.isoformat(), "--out", str(tmp_path / "src"))
    done = invoke(*args, "--db", db)
    assert done.returncode == 0, done.stderr
    line = done.stdout.splitlines()[-1]
    assert re.fullmatch(r"demo notes: \d+ \(\d+ calls?, .*\d+ promises, \d+ disputes.*\)", line), line
    again = invoke(*args, "--db", db)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1].startswith("demo notes: 0 ")
