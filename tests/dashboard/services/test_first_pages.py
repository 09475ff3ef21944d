"""The first pages' default answers computed after a load (dashboard.services.first_pages): stored exactly as
the queries answer, read by the overview and the trend page instead of computing, stale after the next load.

The small ledger (tests/helpers/ledgers.py) as of 31.12.2025 in roubles: 500,50 owed, 400,50 of it overdue."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, func, select
from streamlit.testing.v1 import AppTest

import warehouse
from dashboard.services import first_pages
from dashboard.ui import loaders
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from domain.buckets import DEFAULT_BUCKETS
from etl.load import load_paths
from tests.helpers.ledgers import source
from tests.helpers.paths import ROOT
from warehouse import answer_store
from warehouse.engine import make_engine
from warehouse.state import warehouse_version

AS_OF = date(2025, 12, 31)
NB = "\u00a0"


def stored_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(warehouse.answers)).scalar() or 0)


def test_stored_answers_are_the_queries_answers_on_both_backends(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path)])
    warmed = first_pages.warm(engine, DEFAULT_BUCKETS, AS_OF)
    assert warmed.answers == 5 == stored_count(engine)
    assert first_pages.is_warm(engine, DEFAULT_BUCKETS, AS_OF)
    assert not first_pages.is_warm(engine, DEFAULT_BUCKETS, date(2026, 1, 1))  # another day: not computed
    with engine.connect() as conn:
        version = warehouse_version(conn)
        for question in first_pages.first_questions(AS_OF, DEFAULT_BUCKETS):
            stored = answer_store.fetch(conn, question.name, question.params, version)
            assert stored is not None
            live = question.query(conn, **question.params)
            assert stored.schema == live.schema, question.name
            assert stored.equals(live), question.name
        summary = first_pages.first_questions(AS_OF, DEFAULT_BUCKETS)[0]
        assert summary.name == "queries.kpi.kpi_summary"
        kpis = answer_store.fetch(conn, summary.name, summary.params, version)
        assert kpis is not None
        assert kpis.select("receivables", "overdue").row(0) == (50050, 40050)  # kopecks, exact


def test_a_new_load_makes_them_stale_and_the_next_warm_replaces_them(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path)])
    first_pages.warm(engine, DEFAULT_BUCKETS, AS_OF)
    question = first_pages.first_questions(AS_OF, DEFAULT_BUCKETS)[0]
    with engine.connect() as conn:
        before = warehouse_version(conn)
    more = tmp_path / "more"
    more.mkdir()
    (more / "payments_late.csv").write_text(
        "document_id,date,amount,contract_id,counterparty_id,number\nP9,2025-12-30,100,C1,,13\n", encoding="utf-8"
    )
    load_paths(engine, [more])
    with engine.connect() as conn:
        after = warehouse_version(conn)
        assert after > before
        assert answer_store.fetch(conn, question.name, question.params, after) is None  # stale: not read
    assert not first_pages.is_warm(engine, DEFAULT_BUCKETS, AS_OF)
    first_pages.warm(engine, DEFAULT_BUCKETS, AS_OF)
    assert stored_count(engine) == 5  # the older version's answers are gone
    with engine.connect() as conn:
        kpis = answer_store.fetch(conn, question.name, question.params, after)
    assert kpis is not None
    assert kpis.select("receivables").item() == 50050 - 10000  # the payment closed 100,00 more


def test_an_empty_warehouse_stores_nothing(engine: Engine) -> None:
    assert first_pages.warm(engine, DEFAULT_BUCKETS, AS_OF).answers == 0
    assert stored_count(engine) == 0
    assert first_pages.is_warm(engine, DEFAULT_BUCKETS, AS_OF)  # nothing to prepare


def page(name: str) -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)
    test.session_state["page_context"] = PageContext("ru", Filters(AS_OF, "RUB", "", "", "", ""))
    return test


def test_the_overview_and_the_trend_read_the_stored_answers_and_compute_none(loaded_db: str) -> None:
    engine = make_engine(loaded_db, pooled=False)
    first_pages.warm(engine, DEFAULT_BUCKETS, AS_OF)
    engine.dispose()
    loaders.COMPUTED.clear()
    loaders.STORED_READ.clear()
    overview = page("overview").run()
    trend = page("trend").run()
    assert not overview.exception
    assert not trend.exception
    # The pages ask exactly the questions first_questions lists (a changed default period or parameter
    # would compute live here): all five came from the warehouse.
    assert {name: loaders.COMPUTED[name] for name in first_pages.STORED} == dict.fromkeys(first_pages.STORED, 0)
    assert sum(loaders.STORED_READ.values()) == 5
    assert overview.metric[0].value == f"501{NB}₽"  # the stored figures, as the page shows them
    assert {m.label: m.value for m in trend.metric}["Просрочено на 31.12.2025"] == f"401{NB}₽"


def test_another_view_is_computed_live(loaded_db: str) -> None:
    engine = make_engine(loaded_db, pooled=False)
    first_pages.warm(engine, DEFAULT_BUCKETS, AS_OF)
    engine.dispose()
    loaders.COMPUTED.clear()
    test = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    test.session_state["page_context"] = PageContext("ru", Filters(date(2025, 11, 30), "RUB", "", "", "", ""))
    test.run()
    assert not test.exception
    assert loaders.COMPUTED[first_pages.query_name(first_pages.kpi_summary)] == 1


def test_frames_round_trip_with_their_types(engine: Engine) -> None:
    frame = pl.DataFrame(
        {"day": [date(2025, 1, 1), None], "amount": [12345678901234, -1], "name": ["ООО «Ромашка»", ""]},
        schema={"day": pl.Date, "amount": pl.Int64, "name": pl.String},
    )
    with engine.begin() as conn:
        answer_store.store(conn, "q", {"as_of": AS_OF}, 7, frame)
        assert answer_store.fetch(conn, "q", {"as_of": AS_OF}, 7).equals(frame)  # type: ignore[union-attr]
        assert answer_store.fetch(conn, "q", {"as_of": AS_OF}, 8) is None
        assert answer_store.fetch(conn, "q", {"as_of": date(2025, 1, 2)}, 7) is None
