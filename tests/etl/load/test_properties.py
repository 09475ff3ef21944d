"""Properties of the loader and the matcher over generated source folders (hypothesis).

- every row read is loaded or rejected;
- per counterparty and as-of date: debits - credits = open debits - advances, nothing negative;
- matching is online: what is open as of D does not depend on documents dated after D;
- loading twice changes nothing; the order of the paths on the command line changes nothing.
"""

from __future__ import annotations

import random
import shutil
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from domain.money import money_en, money_en_expr, money_ru, money_ru_expr
from etl.load import load_paths
from etl.matching import Doc, continue_counterparty, event_order, match_counterparty
from tests.conftest import _reset_pg
from tests.helpers import write_files
from warehouse.engine import ensure_schema, make_engine

START = date(2025, 1, 1)
INNS = ["7707083893", "500100732259", "7728168971"]

PROFILE = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def source_folders(draw: st.DrawFn) -> dict[str, str]:
    """A small but tangled source folder: several contracts, all document kinds, some bad rows."""
    seed = draw(st.integers(0, 2**32 - 1))
    rnd = random.Random(seed)
    n_cp = rnd.randint(1, 3)
    counterparties = ["counterparty_id;name;inn"] + [f"K{i};Контрагент {i};{INNS[i]}" for i in range(n_cp)]
    contracts = ["contract_id,counterparty_id,number,terms_days,terms_basis,currency"]
    contract_ids = []
    for i in range(rnd.randint(1, 4)):
        contract_ids.append(f"C{i}")
        contracts.append(
            f"C{i},K{rnd.randrange(n_cp)},Д-{i},{rnd.choice([0, 5, 14, 30])},{rnd.choice(['calendar', 'working'])},"
            f"{rnd.choice(['RUB', 'RUB', 'RUB', 'USD'])}"
        )

    def day() -> str:
        return (START + timedelta(days=rnd.randint(0, 90))).isoformat()

    def money() -> str:
        return f"{rnd.randint(1, 200_000) / 100:.2f}" if rnd.random() > 0.05 else rnd.choice(["12.345", "abc", "-1"])

    shipments = ["document_id,contract_id,date,amount,due_date"]
    shipment_ids = []
    for i in range(rnd.randint(0, 12)):
        shipment_ids.append(f"S{i}")
        due = (START + timedelta(days=rnd.randint(91, 120))).isoformat() if rnd.random() < 0.2 else ""
        shipments.append(f"S{i},{rnd.choice([*contract_ids, 'C404'])},{day()},{money()},{due}")
    returns = ["document_id,contract_id,date,amount,shipment_id"]
    for i in range(rnd.randint(0, 3)):
        link = rnd.choice(["", *shipment_ids]) if shipment_ids else ""
        returns.append(f"R{i},{rnd.choice(contract_ids)},{day()},{money()},{link}")
    adjustments = ["document_id,contract_id,date,amount"]
    for i in range(rnd.randint(0, 3)):
        sign = rnd.choice(["", "-"])
        adjustments.append(f"A{i},{rnd.choice(contract_ids)},{day()},{sign}{rnd.randint(1, 5000) / 100:.2f}")
    openings = ["document_id,contract_id,date,amount"]
    for i in range(rnd.randint(0, 2)):
        openings.append(f"OB{i},{rnd.choice(contract_ids)},2024-12-31,{rnd.choice(['', '-'])}{money()}")
    payments = ["document_id,date,amount,contract_id,counterparty_id"]
    payment_ids = []
    for i in range(rnd.randint(0, 10)):
        payment_ids.append(f"P{i}")
        if rnd.random() < 0.6:
            payments.append(f"P{i},{day()},{money()},{rnd.choice(contract_ids)},")
        else:
            payments.append(f"P{i},{day()},{money()},,K{rnd.randrange(n_cp)}")
    allocations = ["payment_id,shipment_id,amount"]
    if payment_ids and shipment_ids:
        for _ in range(rnd.randint(0, 3)):
            allocations.append(
                f"{rnd.choice(payment_ids)},{rnd.choice(shipment_ids)},{rnd.randint(1, 50_000) / 100:.2f}"
            )
    return {
        "counterparties.csv": "\n".join(counterparties),
        "contracts.csv": "\n".join(contracts),
        "shipments.csv": "\n".join(shipments),
        "returns.csv": "\n".join(returns),
        "adjustments.csv": "\n".join(adjustments),
        "opening_balances.csv": "\n".join(openings),
        "payments.csv": "\n".join(payments),
        "allocations.csv": "\n".join(dict.fromkeys(allocations)),
    }


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _fresh(db_url: str, tmp_path: Path) -> Engine:
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        _reset_pg(db_url)
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


@st.composite
def document_sets(draw: st.DrawFn) -> tuple[list[Doc], dict[str, list[tuple[str, int]]]]:
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    docs = []
    contracts = ["C1", "C2", "C3"]
    for i in range(rnd.randint(1, 25)):
        day = START + timedelta(days=rnd.randint(0, 40))
        if rnd.random() < 0.5:
            docs.append(
                Doc(
                    i,
                    "shipment",
                    f"S{i:02}",
                    rnd.choice(contracts),
                    "RUB",
                    day,
                    1,
                    rnd.randint(1, 10_000),
                    day + timedelta(days=rnd.choice([0, 3, 10, 30])),
                )
            )
        else:
            kind = rnd.choice(["payment", "payment", "return"])
            contract = rnd.choice([*contracts, None]) if kind == "payment" else rnd.choice(contracts)
            link = f"S{rnd.randrange(25):02}" if kind == "return" and rnd.random() < 0.5 else None
            docs.append(Doc(i, kind, f"P{i:02}", contract, "RUB", day, -1, rnd.randint(1, 10_000), None, link))
    payments = [d.document_id for d in docs if d.kind == "payment"]
    shipments = [d.document_id for d in docs if d.kind == "shipment"]
    allocations: dict[str, list[tuple[str, int]]] = defaultdict(list)
    if payments and shipments:
        for _ in range(rnd.randint(0, 3)):
            allocations[rnd.choice(payments)].append((rnd.choice(shipments), rnd.randint(1, 5_000)))
    return docs, dict(allocations)


def _fresh_docs(docs: list[Doc]) -> list[Doc]:
    return [
        Doc(
            d.pk,
            d.kind,
            d.document_id,
            d.contract_id,
            d.currency,
            d.doc_date,
            d.side,
            d.amount,
            d.due_date,
            d.shipment_id,
        )
        for d in docs
    ]


@given(case=document_sets(), cut=st.integers(0, 41))
@settings(max_examples=300, deadline=None)
def test_matching_as_of_a_date_ignores_later_documents(case: tuple[list[Doc], dict], cut: int) -> None:
    docs, allocations = case
    as_of = START + timedelta(days=cut)
    full = [m for m in match_counterparty(_fresh_docs(docs), allocations) if m.match_date <= as_of]
    prefix = match_counterparty(_fresh_docs([d for d in docs if d.doc_date <= as_of]), allocations)
    assert sorted(full, key=repr) == sorted(prefix, key=repr)


@given(case=document_sets(), cut=st.integers(0, 25))
@settings(max_examples=400, deadline=None)
def test_continuing_from_the_open_state_equals_matching_everything(case: tuple[list[Doc], dict], cut: int) -> None:
    # An incremental load: the first `cut` events were matched before; the rest come now. Continuing from
    # the open debits and advances alone must give the same matches and settled dates as matching all.
    docs, allocations = case
    everything = _fresh_docs(docs)
    full = match_counterparty(everything, allocations)
    ordered = sorted(_fresh_docs(docs), key=event_order)
    before, after = ordered[:cut], ordered[cut:]
    first = match_counterparty(before, allocations)
    assume(all(d.reserved == 0 for d in before if d.side < 0))  # the loader matches those in full
    more = continue_counterparty(before, after, allocations)
    assert sorted(first + more, key=repr) == sorted(full, key=repr)
    settled = {d.pk: d.settled_date for d in everything}
    assert {d.pk: d.settled_date for d in before + after} == settled


@pytest.mark.parametrize("amounts", [[100, 250, 75]])
def test_matching_never_overspends(amounts: list[int]) -> None:
    # A payment larger than everything open: all debits close, the rest stays with the credit.
    docs = [Doc(i, "shipment", f"S{i}", "C1", "RUB", START, 1, a, START) for i, a in enumerate(amounts)]
    pay = Doc(99, "payment", "P", "C1", "RUB", START + timedelta(days=1), -1, 1_000)
    matches = match_counterparty([*docs, pay])
    assert sum(m.amount for m in matches) == 425
    assert pay.remaining == 575


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1), min_size=1, max_size=50),
    st.sampled_from(["RUB", "USD", "EUR"]),
)
def test_money_formatted_column_wise_reads_as_money_ru_and_money_en(amounts: list[int], currency: str) -> None:
    """Exceptions and other long lists word money with polars expressions: the same text as one call per row."""
    frame = pl.DataFrame(
        {"amount": amounts, "currency": [currency] * len(amounts)}, schema_overrides={"amount": pl.Int64}
    )
    words = frame.select(
        ru=money_ru_expr(pl.col("amount"), pl.col("currency")), en=money_en_expr(pl.col("amount"), pl.col("currency"))
    )
    assert words["ru"].to_list() == [money_ru(a, currency) for a in amounts]
    assert words["en"].to_list() == [money_en(a, currency) for a in amounts]
