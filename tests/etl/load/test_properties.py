"""Properties of the loader over generated source folders (hypothesis; the matcher's own are in
tests/etl/test_matching.py).

- every row read is loaded or rejected;
- per counterparty and as-of date: debits - credits = open debits - advances, nothing negative;
- loading twice changes nothing; the order of the paths on the command line changes nothing.
"""

from __future__ import annotations

import random
import shutil
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from etl.load import load_paths
from tests.helpers.databases import reset_pg
from tests.helpers.ledgers import GENERATED_START as START
from tests.helpers.ledgers import source_folders, write_files
from warehouse.engine import ensure_schema, make_engine

PROFILE = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _fresh(db_url: str, tmp_path: Path) -> Engine:
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        reset_pg(db_url)
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    return engine


def semantic_snapshot(engine: Engine) -> tuple:
    """The warehouse by natural keys (surrogate keys and load ids differ between equal loads)."""
    with engine.connect() as conn:
        docs = sorted(
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT kind, document_id, counterparty_id, contract_id, currency, doc_date, side, amount, "
                    "due_date FROM documents"
                )
            )
        )
        matches = sorted(
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT d.kind, d.document_id, c.kind, c.document_id, m.amount, m.match_date FROM matches m "
                    "JOIN documents d ON d.doc_pk = m.debit_pk JOIN documents c ON c.doc_pk = m.credit_pk"
                )
            )
        )
        rejects = sorted(tuple(r) for r in conn.execute(text("SELECT entity, line, column_name, reason FROM rejects")))
    return docs, matches, rejects


@given(files=source_folders())
@PROFILE
def test_rows_in_equal_loaded_plus_rejected_and_balances_hold(
    db_url: str, tmp_path: Path, files: dict[str, str]
) -> None:
    engine = _fresh(db_url, tmp_path)
    folder = tmp_path / "src"
    shutil.rmtree(folder, ignore_errors=True)
    write_files(folder, files)
    try:
        result = load_paths(engine, [folder])
        for entity, counts in result.counts.items():
            assert counts.read == counts.new + counts.updated + counts.unchanged + counts.deleted + counts.rejected, (
                entity
            )
            data_lines = len(files[f"{entity}.csv"].splitlines()) - 1
            assert counts.read == data_lines, entity

        with engine.connect() as conn:
            docs = [
                (r[0], r[1], as_date(r[2]), r[3], r[4])
                for r in conn.execute(text("SELECT doc_pk, counterparty_id, doc_date, side, amount FROM documents"))
            ]
            settled = {
                r[0]: None if r[1] is None else as_date(r[1])
                for r in conn.execute(text("SELECT doc_pk, settled_date FROM documents"))
            }
            matches = [
                (r[0], r[1], r[2], as_date(r[3]))
                for r in conn.execute(text("SELECT debit_pk, credit_pk, amount, match_date FROM matches"))
            ]
        by_pk = {r[0]: r for r in docs}
        dates = sorted({r[2] for r in docs} | {START - timedelta(days=1), START + timedelta(days=200)})
        for as_of in dates:
            totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # counterparty -> [debits - credits, open - adv]
            matched_debit: dict[int, int] = defaultdict(int)
            matched_credit: dict[int, int] = defaultdict(int)
            for debit_pk, credit_pk, amount, match_date in matches:
                assert amount > 0
                assert match_date >= max(by_pk[debit_pk][2], by_pk[credit_pk][2])
                if match_date <= as_of:
                    matched_debit[debit_pk] += amount
                    matched_credit[credit_pk] += amount
            for pk, counterparty_id, doc_date, side, amount in docs:
                if doc_date > as_of:
                    continue
                matched = matched_debit[pk] if side > 0 else matched_credit[pk]
                remaining = amount - matched
                assert 0 <= remaining <= amount
                # settled_date is exactly the first date on which nothing is left open
                is_settled = settled[pk] is not None and settled[pk] <= as_of  # type: ignore[operator]
                assert (remaining == 0) == is_settled, (pk, as_of)
                totals[counterparty_id][0] += side * amount
                totals[counterparty_id][1] += side * remaining
            for counterparty_id, (net, open_less_advance) in totals.items():
                assert net == open_less_advance, (counterparty_id, as_of)

        before = semantic_snapshot(engine)
        again = load_paths(engine, [folder])
        assert all(c.new == c.updated == c.deleted == 0 for c in again.counts.values())
        assert semantic_snapshot(engine) == before
    finally:
        engine.dispose()


@given(files=source_folders(), order=st.randoms(use_true_random=False))
@PROFILE
def test_path_order_changes_nothing(db_url: str, tmp_path: Path, files: dict[str, str], order: random.Random) -> None:
    folder = tmp_path / "src"
    shutil.rmtree(folder, ignore_errors=True)
    write_files(folder, files)
    paths = sorted(folder.iterdir())
    snapshots = []
    for permutation in (paths, order.sample(paths, len(paths))):
        engine = _fresh(db_url, tmp_path)
        try:
            load_paths(engine, permutation)
            snapshots.append(semantic_snapshot(engine))
        finally:
            engine.dispose()
    assert snapshots[0] == snapshots[1]
