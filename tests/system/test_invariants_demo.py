"""The design's invariants over realistic demo data, on SQLite and PostgreSQL.

- aging: buckets sum to open debits; not_due + overdue = open debits; balance = open debits - advance;
- act: closing = opening + debit - credit, and equals the aging balance of the counterparty that day;
- trend at a date = aging summed per currency at that date;
- every input row is loaded or rejected; loading the same folder twice changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from domain.buckets import DEFAULT_BUCKETS
from etl.demo import write_demo_source
from etl.load import load_paths
from queries.act import act, act_balance
from queries.aging import aging
from queries.trend import overdue_trend

END = date(2026, 11, 20)
DATES = [END, END - timedelta(days=45), END - timedelta(days=200), END - timedelta(days=500)]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    write_demo_source(folder, scale=1500, seed=7, end=END)
    return folder


def test_demo_invariants(engine: Engine, demo_folder: Path) -> None:
    first = load_paths(engine, [demo_folder])
    for entity, c in first.counts.items():
        assert c.read == c.new + c.updated + c.unchanged + c.deleted + c.rejected, entity
    assert first.rejected_rows >= 5  # the demo's deliberate bad rows
    again = load_paths(engine, [demo_folder])
    assert all(c.new == c.updated == c.deleted == 0 for c in again.counts.values())

    with engine.connect() as conn:
        for as_of in DATES:
            frame = aging(conn, as_of=as_of)
            assert frame.height > 0
            buckets = frame.select(pl.sum_horizontal(DEFAULT_BUCKETS.names)).to_series()
            assert (buckets == frame["not_due"] + frame["overdue"]).all()
            assert (frame["balance"] == frame["not_due"] + frame["overdue"] - frame["advance"]).all()

            by_currency = frame.group_by("currency").agg(pl.col("balance", "not_due", "overdue").sum()).sort("currency")
            trend = (
                overdue_trend(conn, date_from=as_of, date_to=as_of)
                .filter(pl.col("date") == as_of)
                .select("currency", "balance", "not_due", "overdue")
                .sort("currency")
            )
            assert trend.filter(pl.any_horizontal(pl.col("balance", "not_due", "overdue") != 0)).equals(
                by_currency.filter(pl.any_horizontal(pl.col("balance", "not_due", "overdue") != 0))
            )

        as_of = END
        by_counterparty = aging(conn, as_of=as_of, by="counterparty").filter(pl.col("currency") == "RUB")
        for counterparty_id, balance in by_counterparty.select("counterparty_id", "balance").head(15).iter_rows():
            rows = act(conn, counterparty_id=counterparty_id, date_from=date(2026, 1, 1), date_to=as_of)
            opening, closing = act_balance(rows, "opening"), act_balance(rows, "closing")
            turnover = rows.filter(pl.col("kind") == "turnover")
            assert closing == opening + turnover["debit"][0] - turnover["credit"][0]
            assert closing == balance, counterparty_id
