"""No leak from the future, as a property (queries/forecast.py): for random ledgers of shipments and payments
(some with contracts, some with the counterparty only, some early, some late, partial and advances) and a
random day D, the forecast as of D from the whole ledger equals the forecast from the ledger cut at D (every
document dated after D left out of the files). SQLite; the hand-made case runs on PostgreSQL too
(tests/queries/test_forecast.py)."""

from __future__ import annotations

import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.load import load_paths
from queries.forecast import cash_in, document_forecast, fit
from tests.helpers.ledgers import write_files
from warehouse.engine import ensure_schema, make_engine

START = date(2025, 1, 1)


def _ledger(seed: int) -> tuple[list[tuple[date, str]], list[tuple[date, str]]]:
    """Shipments and payments as (date, CSV row)."""
    rnd = random.Random(seed)
    shipments, payments = [], []
    for i in range(rnd.randint(5, 40)):
        day = START + timedelta(days=rnd.randint(0, 300))
        due = day + timedelta(days=rnd.choice([0, 7, 14, 30]))
        amount = rnd.randint(100, 50_000)
        shipments.append((day, f"S{i},C{rnd.randint(0, 3)},{day},{amount / 100:.2f},{due}"))
    for i in range(rnd.randint(3, 25)):
        day = START + timedelta(days=rnd.randint(0, 330))
        amount = rnd.randint(100, 30_000)
        contract, counterparty = (f"C{rnd.randint(0, 3)}", "") if rnd.random() < 0.8 else ("", f"K{rnd.randint(0, 1)}")
        payments.append((day, f"P{i},{day},{amount / 100:.2f},{contract},{counterparty}"))
    return shipments, payments


def _forecast(folder: Path, files: dict[str, str], as_of: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    engine = make_engine(f"sqlite:///{folder / 'w.db'}", pooled=False)
    ensure_schema(engine)
    load_paths(engine, [write_files(folder / "src", files)])
    with engine.connect() as conn:
        fitted = fit(conn, as_of=as_of)
        result = (document_forecast(fitted), cash_in(fitted, date_to=as_of + timedelta(days=60), freq="week"))
    engine.dispose()
    return result


@given(seed=st.integers(0, 2**32 - 1), cut=st.integers(20, 320))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_documents_after_d_change_nothing_as_of_d(seed: int, cut: int) -> None:
    as_of = START + timedelta(days=cut)
    shipments, payments = _ledger(seed)
    reference = {
        "counterparties.csv": "counterparty_id,name,group\nK0,Альфа,Сети\nK1,Бета,Сети\n",
        "contracts.csv": "contract_id,counterparty_id,number\nC0,K0,Д-0\nC1,K0,Д-1\nC2,K1,Д-2\nC3,K1,Д-3\n",
    }

    def files(until: date | None) -> dict[str, str]:
        kept = [(rows, header) for rows, header in ((shipments, "document_id,contract_id,date,amount,due_date"),
                (payments, "document_id,date,amount,contract_id,counterparty_id"))]  # fmt: skip
        chosen = [[row for day, row in rows if until is None or day <= until] for rows, _ in kept]
        return reference | {
            "shipments.csv": "\n".join([kept[0][1], *chosen[0]]),
            "payments.csv": "\n".join([kept[1][1], *chosen[1]]),
        }

    with tempfile.TemporaryDirectory() as whole, tempfile.TemporaryDirectory() as cut_at_d:
        everything = _forecast(Path(whole), files(None), as_of)
        known = _forecast(Path(cut_at_d), files(as_of), as_of)
    documents, weeks = everything
    assert documents.equals(known[0])
    assert weeks.equals(known[1])
    assert (documents["expected_date"] > as_of).all()
    assert (weeks["low"] <= weeks["expected"]).all()
    assert (weeks["expected"] <= weeks["high"]).all()
    assert weeks["expected"].sum() <= documents["open"].sum()
