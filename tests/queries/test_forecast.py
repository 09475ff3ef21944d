"""The cash-in forecast (queries/forecast.py) on a hand-made ledger, on SQLite and PostgreSQL.

K1 «Альфа» (group Сети) has paid each of twelve monthly shipments exactly 10 days after its due date
(shipped on the 1st, due on the 1st of the next month, paid on the 11th). On D = 30.06.2025 it owes:
- S20 100,00 due 05.07.2025 (not yet due): expected 15.07.2025, due + 10;
- S21 40,00 due 25.06.2025 (5 days overdue, less than its habit): due + 10 is Saturday 05.07.2025, and money
  moves on bank days: expected Monday 07.07.2025;
- S22 30,00 due 15.06.2025 (15 days overdue, later than it has ever been): judged by the delays beyond 15,
  where nobody has been at risk: the contract's forecast (paid at once), expected 01.07.2025.
K2 «Бета» (group Сети) has no history: S30 50,00 due 10.07.2025 leans on its group's (K1's) habit:
due + 10 is Sunday 20.07.2025, expected Monday 21.07.2025.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from domain.calendar import WorkCalendar
from domain.forecast import last_working_day
from etl.load import load_paths
from queries.forecast import cash_in, document_forecast, fit
from queries.scope import Scope
from tests.helpers.forecast_ledger import FORECAST_AS_OF, forecast_source
from tests.helpers.ledgers import write_files

AS_OF = FORECAST_AS_OF


def _load(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [forecast_source(tmp_path)])


def test_expected_dates_by_hand(engine: Engine, tmp_path: Path) -> None:
    _load(engine, tmp_path)
    with engine.connect() as conn:
        documents = document_forecast(fit(conn, as_of=AS_OF))
    expected = dict(zip(documents["document_id"], documents["expected_date"], strict=True))
    assert expected == {
        "S20": date(2025, 7, 15),
        "S21": date(2025, 7, 7),
        "S22": date(2025, 7, 1),
        "S30": date(2025, 7, 21),
    }
    assert documents["document_id"].to_list() == ["S22", "S21", "S20", "S30"]  # K1 by due date, then K2
    assert documents["open"].to_list() == [3_000, 4_000, 10_000, 5_000]  # kopecks
    assert (documents["expected_date"] > AS_OF).all()


def test_cash_in_periods_by_hand(engine: Engine, tmp_path: Path) -> None:
    _load(engine, tmp_path)
    with engine.connect() as conn:
        fitted = fit(conn, as_of=AS_OF)
    weeks = cash_in(fitted, date_to=date(2025, 7, 31), freq="week")
    # Weeks from 01.07: ..07.07, ..14.07, ..21.07, ..28.07, ..31.07. Contractual: S21 and S22 overdue on D
    # fall in the first week (40 + 30) with S20 due 05.07 (100): 170,00; S30 due 10.07: 50,00 in the second.
    assert weeks["date"].to_list() == [date(2025, 7, d) for d in (7, 14, 21, 28, 31)]
    assert weeks["contractual"].to_list() == [17_000, 5_000, 0, 0, 0]
    assert (weeks["currency"] == "RUB").all()
    assert (weeks["low"] <= weeks["expected"]).all()
    assert (weeks["expected"] <= weeks["high"]).all()
    # Everything is expected within the month (the latest, S30, on 21.07), never more than is open.
    assert weeks["expected"].sum() <= weeks["contractual"].sum() == 22_000
    assert weeks["expected"].sum() > 0.9 * 22_000
    # The most likely dates: S22 on 01.07 and S21 on 07.07 in the first week, S20 on 15.07 and S30 on 21.07 in
    # the third (08.07-14.07 is the second): most of 70,00 in the first, most of 150,00 in the third.
    assert weeks["expected"][0] > 0.8 * 7_000
    assert weeks["expected"][2] > 0.8 * 15_000
    days = cash_in(fitted, date_to=date(2025, 7, 31), freq="day")
    # Money moves on bank days: nothing is expected on a Saturday or a Sunday.
    weekend = days.filter(pl.col("date").dt.weekday() >= 6)
    assert weekend.height == 8
    assert weekend["expected"].to_list() == [0] * 8
    months = cash_in(fitted, date_to=date(2025, 7, 31), freq="month")
    assert days.height == 31
    assert months["date"].to_list() == [date(2025, 7, 31)]
    assert months["expected"].to_list() == [days["expected"].sum()] == [weeks["expected"].sum()]
    assert months["contractual"].to_list() == [days["contractual"].sum()]


def test_scope_chooses_the_documents_not_what_is_learnt(engine: Engine, tmp_path: Path) -> None:
    # K2 alone still leans on K1's habit (its group's): S30 expected on 21.07 as above.
    _load(engine, tmp_path)
    with engine.connect() as conn:
        documents = document_forecast(fit(conn, as_of=AS_OF, scope=Scope(counterparty_ids=("K2",))))
    assert documents.select("document_id", "expected_date").rows() == [("S30", date(2025, 7, 21))]


def test_no_leak_from_the_future(engine: Engine, tmp_path: Path) -> None:
    # Documents dated after D (a shipment, payments that close S20 and S30, another K2 shipment paid at once)
    # change nothing of the forecast as of D.
    _load(engine, tmp_path)
    with engine.connect() as conn:
        fitted = fit(conn, as_of=AS_OF)
        before = (document_forecast(fitted), cash_in(fitted, date_to=date(2025, 9, 30), freq="week"))
    later = {
        "shipments_later.csv": (
            "document_id,contract_id,date,amount,due_date,number\n"
            "S40,C1,2025-07-01,500,2025-07-02,УПД-40\nS41,C2,2025-07-02,20,2025-07-02,УПД-41\n"
        ),
        "payments_later.csv": (
            "document_id,date,amount,contract_id\n"
            "P40,2025-07-01,300,C1\nP41,2025-07-02,70,C2\n"  # P40: S22, S21, S20 and part of S40; P41: S30, S41
        ),
    }
    load_paths(engine, [write_files(tmp_path / "later", later)])
    with engine.connect() as conn:
        fitted = fit(conn, as_of=AS_OF)
        after = (document_forecast(fitted), cash_in(fitted, date_to=date(2025, 9, 30), freq="week"))
        # They did load: on 02.07 S40 (due 02.07, before S20 in FIFO) is partly open, S20 still is.
        assert document_forecast(fit(conn, as_of=date(2025, 7, 2)))["document_id"].to_list() == ["S40", "S20"]
    assert before[0].equals(after[0])
    assert before[1].equals(after[1])


def test_nothing_open_before_the_first_document(engine: Engine, tmp_path: Path) -> None:
    _load(engine, tmp_path)
    with engine.connect() as conn:
        fitted = fit(conn, as_of=date(2024, 1, 1))
    assert document_forecast(fitted).height == 0
    assert cash_in(fitted, date_to=date(2024, 1, 31)).height == 0


def test_a_client_paying_in_month_end_batches(engine: Engine, tmp_path: Path) -> None:
    # K9 pays whatever fell due in a month on its last working day, in one payment; K8 pays each debit on its
    # due date. K9's debits fall due on days spread over the month, so its delays spread from 5 to 28 days and
    # by them alone its debit due 10.06.2025 would be expected on 23.06; its closings all on month ends
    # (K8's never) move a share of every day's chance to the month's last working day: expected on Monday
    # 30.06.2025. K8's debit due 10.06: on 10.06.
    calendar = WorkCalendar.default()
    shipments = ["document_id,contract_id,date,amount,due_date,number"]
    payments = ["document_id,date,amount,contract_id"]
    for k in range(12):  # July 2024 .. June 2025
        year, month = 2024 + (6 + k) // 12, (6 + k) % 12 + 1
        due = date(year, month, 2 + 7 * k % 23)  # the 2nd, 9th, 16th, 23rd, 7th, 14th, 21st, 5th, ...
        shipments += [f"B{k},C9,{due - timedelta(days=10)},10,{due},Б-{k}", f"A{k},C8,{due},10,{due},А-{k}"]
        payments += [f"PB{k},{last_working_day(year, month, calendar)},10,C9", f"PA{k},{due},10,C8"]
    shipments = [s for s in shipments if not s.startswith(("B11,", "A11,"))]  # June's are open on D
    payments = [p for p in payments if not p.startswith(("PB11,", "PA11,"))]
    shipments += ["B99,C9,2025-06-01,10,2025-06-10,Б-99", "A99,C8,2025-06-01,10,2025-06-10,А-99"]
    files = {
        "counterparties.csv": "counterparty_id,name\nK8,Восемь\nK9,Девять\n",
        "contracts.csv": "contract_id,counterparty_id,number,currency\nC8,K8,Д-8,RUB\nC9,K9,Д-9,RUB\n",
        "shipments.csv": "\n".join(shipments),
        "payments.csv": "\n".join(payments),
    }
    load_paths(engine, [write_files(tmp_path / "batches", files)])
    with engine.connect() as conn:
        documents = document_forecast(fit(conn, as_of=date(2025, 6, 5)))
    assert documents.select("document_id", "expected_date").rows() == [
        ("A99", date(2025, 6, 10)),
        ("B99", date(2025, 6, 30)),
    ]
