"""KPIs: the formulas on paper-sized ledgers, Oracle's countback example, edge cases, currencies and scope,
on SQLite and PostgreSQL. Amounts in the ledgers are rubles (or dollars); results are kopecks (cents)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Date, Engine, bindparam, text

from etl.load import load_paths
from queries.aging import aging
from queries.kpi import kpi_summary, monthly_kpis
from queries.kpi_formulas import (
    Countback,
    Period,
    best_possible_dso,
    cei_percent,
    countback_dso,
    dso_simple,
    percent_of,
    round_tenth,
)
from queries.kpi_periods import credit_sales, period_kpis
from queries.kpi_position import days_delinquent_by_counterparty, expected_inflow, receivables_position
from queries.scope import Scope
from tests.helpers.ledgers import write_files


def D(text: str) -> Decimal:
    return Decimal(text)


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    return [tuple(r) for r in frame.select(columns).iter_rows()]


# -- Oracle's countback example
#
# Oracle Hyperion Financial Management, "DSO - Days Sales Outstanding" (custom functions, table
# "Example of DSO Function"; docs.oracle.com/en/applications/enterprise-performance-management/11.2/hfmam/
# dso_-_days_sales_outstanding.html), the "exhaustion" method:
#
#   month  debtors  sales  days  DSO calc   total
#   Sep    12,000   2,500  30    100%       30
#   Aug             1,750  31    100%       31
#   Jul             2,250  31    100%       31
#   Jun             2,500  30    100%       30
#   May             2,000  31    100%       31
#   Apr             2,250  30    2000/2250  26.7
#   total                                   179.7
#
# The published table does not add up: Sep..May sales are 2,500 + 1,750 + 2,250 + 2,500 + 2,000 = 11,000, so
# 12,000 of debtors leave 1,000 (not 2,000) for April: 153 + 1000/2250 x 30 = 153 + 13.3 = 166.3 days. Its
# April line (2000/2250) and its total (179.7) are those of 13,000 of debtors. Both are checked: the
# method reproduces Oracle's line-by-line breakdown and total from 13,000, and gives 166.3 from 12,000.

ORACLE_MONTHS = [(30, 2_500), (31, 1_750), (31, 2_250), (30, 2_500), (31, 2_000), (30, 2_250)]  # Sep back to Apr


def test_oracle_countback_example() -> None:
    # 13,000: 30 + 31 + 31 + 30 + 31 = 153 full days eat 11,000; April: 2000/2250 x 30 = 26.67 -> 179.7.
    assert countback_dso(13_000, ORACLE_MONTHS) == Countback(D("179.7"))
    # Oracle's April line on its own: 2000/2250 x 30 = 26.666... -> 26.7.
    assert countback_dso(2_000, [(30, 2_250)]) == Countback(D("26.7"))
    # The published 12,000: April gets 1000/2250 x 30 = 13.33 -> 153 + 13.33 = 166.3.
    assert countback_dso(12_000, ORACLE_MONTHS) == Countback(D("166.3"))
    # In kopecks the same (scale does not matter).
    assert countback_dso(1_300_000, [(d, s * 100) for d, s in ORACLE_MONTHS]).days == D("179.7")


def oracle_ledger(payment_k1: str, payment_k2: str) -> dict[str, str]:
    """Two counterparties, each selling Oracle's monthly sales April..September 2025 (total 13,250)."""
    months = [("04", "2250"), ("05", "2000"), ("06", "2500"), ("07", "2250"), ("08", "1750"), ("09", "2500")]
    shipments = "document_id,contract_id,date,amount,due_date\n" + "".join(
        f"{k}-S{m},{k}-C,2025-{m}-15,{amount},2025-12-31\n" for k in ("K1", "K2") for m, amount in months
    )
    return {
        "counterparties.csv": "counterparty_id,name\nK1,Альфа\nK2,Бета\n",
        "contracts.csv": "contract_id,counterparty_id,currency\nK1-C,K1,RUB\nK2-C,K2,RUB\n",
        "shipments.csv": shipments,
        "payments.csv": (
            "document_id,date,amount,contract_id\n"
            f"K1-P,2025-09-30,{payment_k1},K1-C\n"
            f"K2-P,2025-09-30,{payment_k2},K2-C\n"
        ),
    }


def test_oracle_example_on_a_ledger(engine: Engine, tmp_path: Path) -> None:
    # K1: 13,250 sold - 250 paid = 13,000 open on 30.09.2025; K2: 13,250 - 1,250 = 12,000.
    load_paths(engine, [write_files(tmp_path / "o", oracle_ledger("250", "1250"))])
    quarter = Period(date(2025, 7, 1), date(2025, 9, 30))
    with engine.connect() as conn:
        k1 = period_kpis(conn, period=quarter, scope=Scope(counterparty_ids=("K1",)))
        k2 = period_kpis(conn, period=quarter, scope=Scope(counterparty_ids=("K2",)))
    assert rows(k1, "currency", "receivables", "credit_sales", "dso_countback", "dso_countback_is_lower_bound") == [
        ("RUB", 1_300_000, 650_000, D("179.7"), False)  # Q3 sales: 2,250 + 1,750 + 2,500 = 6,500
    ]
    assert k2["dso_countback"].to_list() == [D("166.3")]
    # Simple DSO over the quarter (92 days): 13,000 / 6,500 x 92 = 184.0; 12,000 / 6,500 x 92 = 169.846 -> 169.8.
    assert k1["dso_simple"].to_list() == [D("184.0")]
    assert k2["dso_simple"].to_list() == [D("169.8")]


# -- a ledger for every KPI, computed by hand
#
# K1 (manager Анна), contract C1, RUB, terms 0 (debits without a due date are due on their date):
#   O1  opening   31.01  300.00  due 31.01
#   S1  shipment  10.02 1000.00  due 12.03
#   S6  shipment  01.03  600.00  due 25.03
#   S2  shipment  05.03 2000.00  due 04.04
#   P1  payment   15.03 1300.00  -> O1 300 (due 31.01), S1 1000 (due 12.03), by due date
#   S3  shipment  20.03  500.00  due 27.03
#   A1  adjustm.  21.03 +100.00  due 21.03 (terms 0)
#   R1  return    22.03  200.00  shipment S2 -> S2 200
#   P2  payment   28.03  150.00  -> A1 100 (due 21.03), S6 50 (due 25.03)
#   S4  shipment  02.04  700.00  due 02.05 (after every as-of date below)
# K2 (manager Борис): contract C2, RUB: P4 payment 10.03 80.00, nothing to close: an advance.
#                     contract C3, USD: U1 shipment 01.02 1000.00 due 01.03; U2 shipment 03.03 500.00 due 21.03;
#                                       UP payment 25.03 400.00 -> U1 400.
#                     contract C4, EUR: E1 shipment 01.11.2024 50.00, paid in full by EP on 20.11.2024: history only,
#                                       so no EUR row in 2025.

LEDGER = {
    "counterparties.csv": "counterparty_id,name,manager\nK1,Альфа,Анна\nK2,Бета,Борис\n",
    "contracts.csv": (
        "contract_id,counterparty_id,number,currency,terms_days\n"
        "C1,K1,Д-1,RUB,0\nC2,K2,Д-2,RUB,0\nC3,K2,Д-3,USD,0\nC4,K2,Д-4,EUR,0\n"
    ),
    "opening_balances.csv": "document_id,contract_id,date,amount,due_date\nO1,C1,2025-01-31,300,2025-01-31\n",
    "shipments.csv": (
        "document_id,contract_id,date,amount,due_date\n"
        "S1,C1,2025-02-10,1000,2025-03-12\n"
        "S6,C1,2025-03-01,600,2025-03-25\n"
        "S2,C1,2025-03-05,2000,2025-04-04\n"
        "S3,C1,2025-03-20,500,2025-03-27\n"
        "S4,C1,2025-04-02,700,2025-05-02\n"
        "U1,C3,2025-02-01,1000,2025-03-01\n"
        "U2,C3,2025-03-03,500,2025-03-21\n"
        "E1,C4,2024-11-01,50,2024-11-01\n"
    ),
    "adjustments.csv": "document_id,contract_id,date,amount\nA1,C1,2025-03-21,100\n",
    "returns.csv": "document_id,contract_id,date,amount,shipment_id\nR1,C1,2025-03-22,200,S2\n",
    "payments.csv": (
        "document_id,date,amount,contract_id\n"
        "P1,2025-03-15,1300,C1\n"
        "P2,2025-03-28,150,C1\n"
        "P4,2025-03-10,80,C2\n"
        "UP,2025-03-25,400,C3\n"
        "EP,2024-11-20,50,C4\n"
    ),
}

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
END = date(2025, 3, 31)


@pytest.fixture
def ledger(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [write_files(tmp_path / "l", LEDGER)])
    return engine


def test_position_as_of_month_end(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = receivables_position(conn, as_of=END)
    # RUB open on 31.03: S6 600 - 50 = 550 (6 days overdue), S3 500 (4 days overdue), S2 2000 - 200 = 1800
    # (due 04.04): receivables 2850, overdue 1050, not due 1800; K2's advance 80; balance 2850 - 80 = 2770.
    # overdue % = 1050 / 2850 = 36.84 -> 36.8; weighted days = (550 x 6 + 500 x 4) / 1050 = 5300 / 1050 = 5.05 -> 5.0.
    # USD: U1 1000 - 400 = 600 (30 days overdue), U2 500 (10 days): (600 x 30 + 500 x 10) / 1100 = 20.91 -> 20.9.
    assert rows(frame, *frame.columns) == [
        ("RUB", 285_000, 8_000, 277_000, 180_000, 105_000, D("36.8"), D("5.0")),
        ("USD", 110_000, 0, 110_000, 0, 110_000, D("100.0"), D("20.9")),
    ]


def test_position_agrees_with_aging(ledger: Engine) -> None:
    with ledger.connect() as conn:
        for as_of in (date(2025, 1, 31), date(2025, 3, 10), END, date(2025, 4, 30)):
            position = receivables_position(conn, as_of=as_of)
            by_currency = (
                aging(conn, as_of=as_of)
                .group_by("currency")
                .agg(pl.col("balance", "advance", "not_due", "overdue").sum())
                .sort("currency")
            )
            assert rows(position, "currency", "balance", "advances", "not_due", "overdue") == rows(
                by_currency, "currency", "balance", "advance", "not_due", "overdue"
            )


def test_credit_sales_are_shipments_and_positive_adjustments(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = credit_sales(conn, period=MARCH)
        february = credit_sales(conn, period=Period(date(2025, 1, 1), date(2025, 2, 28)))
    # March RUB: S6 600 + S2 2000 + S3 500 + A1 100 = 3200 (the return R1 is not netted); USD: U2 500.
    assert rows(frame, "currency", "credit_sales") == [("RUB", 320_000), ("USD", 50_000)]
    # January-February: S1 1000 and U1 1000; the opening balance O1 is not a sale.
    assert rows(february, "currency", "credit_sales") == [("RUB", 100_000), ("USD", 100_000)]


def test_period_kpis_for_march(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = period_kpis(conn, period=MARCH)
    # RUB: start = open on 28.02 = O1 300 + S1 1000 = 1300; sales 3200; end 2850, current (not due) 1800.
    #   DSO = 2850 / 3200 x 31 = 27.61 -> 27.6; best = 1800 / 3200 x 31 = 17.44 -> 17.4; ADD = 27.6 - 17.4 = 10.2.
    #   Countback: March's 3200 of sales cover the 2850: 2850 / 3200 x 31 = 27.6.
    #   CEI = (1300 + 3200 - 2850) / (1300 + 3200 - 1800) = 1650 / 2700 = 61.11% -> 61.1
    #   (1650 = P1 1300 + R1 200 + P2 150, all the credits that closed debits in March).
    # USD: start U1 1000; sales U2 500; end 1100, none current.
    #   DSO = 1100 / 500 x 31 = 68.2; best 0.0; ADD 68.2.
    #   Countback: March 31 days eat 500, leaving 600 of February's 1000 sales: 600 / 1000 x 28 = 16.8 -> 47.8.
    #   CEI = (1000 + 500 - 1100) / (1000 + 500 - 0) = 400 / 1500 = 26.67% -> 26.7.
    assert rows(frame, *frame.columns) == [
        (
            *(MARCH.date_from, MARCH.date_to, 31),
            *("RUB", 130_000, 320_000, 285_000, 180_000),
            *(D("27.6"), D("27.6"), False, D("17.4"), D("10.2"), D("61.1")),
        ),
        (
            *(MARCH.date_from, MARCH.date_to, 31),
            *("USD", 100_000, 50_000, 110_000, 0),
            *(D("68.2"), D("47.8"), False, D("0.0"), D("68.2"), D("26.7")),
        ),
    ]


def test_collections_identity(ledger: Engine) -> None:
    # start + sales - end is exactly what credits closed in the period (the matches dated in it), month by month.
    matched = text(
        "SELECT d.currency, SUM(m.amount) FROM matches m JOIN documents d ON d.doc_pk = m.debit_pk"
        " WHERE m.match_date BETWEEN :a AND :b GROUP BY d.currency"
    ).bindparams(bindparam("a", type_=Date), bindparam("b", type_=Date))
    with ledger.connect() as conn:
        frame = monthly_kpis(conn, date_from=date(2024, 10, 1), date_to=date(2025, 4, 30))
        for period_from, period_to in frame.select("period_from", "period_to").unique().iter_rows():
            closed = dict(conn.execute(matched, {"a": period_from, "b": period_to}).all())
            month = frame.filter(pl.col("period_from") == period_from)
            for currency, start, sold, end in month.select(
                "currency", "receivables_start", "credit_sales", "receivables"
            ).iter_rows():
                assert start + sold - end == int(closed.get(currency, 0)), (period_from, currency)


def test_a_month_collected_in_full(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = period_kpis(conn, period=Period(date(2024, 11, 1), date(2024, 11, 30)))
    # November 2024: only EUR. E1 50.00 sold and paid: DSO 0 / 50 x 30 = 0.0; CEI = (0 + 50 - 0) / (0 + 50 - 0) = 100.0.
    assert rows(frame, "currency", "credit_sales", "receivables", "dso_simple", "dso_countback", "cei") == [
        ("EUR", 5_000, 0, D("0.0"), D("0.0"), D("100.0"))
    ]


def test_countback_when_receivables_outlast_every_sale(ledger: Engine) -> None:
    # On 10.03 nothing is paid yet: RUB receivables = O1 300 + S1 1000 + S6 600 + S2 2000 = 3900.
    # March 1-10 (10 days) sold 2600 -> 1300 left; February (28 days) sold 1000 -> 300 left; before February
    # there are no sales at all (O1 is debt carried in, not a sale): at least 10 + 28 = 38.0 days.
    # Simple DSO over the 28 days 11.02-10.03 (sales S6 + S2 = 2600): 3900 / 2600 x 28 = 42.0.
    with ledger.connect() as conn:
        frame = period_kpis(conn, period=Period.trailing(date(2025, 3, 10), 28), scope=Scope(currencies=("RUB",)))
    assert rows(frame, "period_from", "credit_sales", "receivables", "dso_simple", "dso_countback") == [
        (date(2025, 2, 11), 260_000, 390_000, D("42.0"), D("38.0"))
    ]
    assert frame["dso_countback_is_lower_bound"].to_list() == [True]


def test_no_sales_gives_no_dso_rather_than_a_crash(ledger: Engine) -> None:
    with ledger.connect() as conn:
        january = period_kpis(conn, period=Period(date(2025, 1, 1), date(2025, 1, 31)))
    # Only O1 exists by 31.01: no sales, so every DSO is undefined. start = 0 open on 31.12 + O1 300 booked in the
    # period; it is due on 31.01 itself, so current: CEI's denominator 300 + 0 - 300 = 0: undefined too.
    assert rows(january, "currency", "receivables_start", "credit_sales", "receivables", "current_receivables") == [
        ("RUB", 30_000, 0, 30_000, 30_000)
    ]
    assert rows(january, "dso_simple", "dso_countback", "best_possible_dso", "average_days_delinquent", "cei") == [
        (None, None, None, None, None)
    ]


def test_empty_warehouse(engine: Engine) -> None:
    with engine.connect() as conn:
        summary = kpi_summary(conn, as_of=END)
        monthly = monthly_kpis(conn, date_from=date(2025, 1, 1), date_to=END)
        inflow = expected_inflow(conn, as_of=END)
        delinquent = days_delinquent_by_counterparty(conn, as_of=END)
    assert summary.height == monthly.height == inflow.height == delinquent.height == 0
    assert summary.schema["dso_countback"] == pl.Decimal(18, 1)
    assert monthly.columns[0] == "month"


def test_expected_inflow(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = expected_inflow(conn, as_of=date(2025, 3, 10))
    # Open on 10.03: O1 300 (overdue since 31.01: not expected), S1 1000 due 12.03, S6 600 due 25.03,
    # S2 2000 due 04.04; U1 1000 (overdue), U2 500 due 21.03.
    # This week 10.03-16.03: S1 1000. This month 10.03-31.03: S1 + S6 = 1600; USD: U2 500.
    assert rows(frame, *frame.columns) == [
        ("RUB", date(2025, 3, 16), 100_000, date(2025, 3, 31), 160_000),
        ("USD", date(2025, 3, 16), 0, date(2025, 3, 31), 50_000),
    ]
    with ledger.connect() as conn:
        due_today = expected_inflow(conn, as_of=date(2025, 3, 12), scope=Scope(currencies=("RUB",)))
    # Due on the day itself is not overdue yet: S1 (due 12.03) is this week's.
    assert due_today["inflow_week"].to_list() == [100_000]


def test_days_delinquent_by_counterparty(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = days_delinquent_by_counterparty(conn, as_of=END)
    # K1 RUB: S6 550 x 6 days + S3 500 x 4 days = 5300 / 1050 = 5.05 -> 5.0.
    # K2 USD: U1 600 x 30 + U2 500 x 10 = 23000 / 1100 = 20.91 -> 20.9.
    assert rows(frame, *frame.columns) == [
        ("K1", "Альфа", "RUB", 105_000, 2, D("5.0"), 6),
        ("K2", "Бета", "USD", 110_000, 2, D("20.9"), 30),
    ]


def test_kpi_summary(ledger: Engine) -> None:
    with ledger.connect() as conn:
        summary = kpi_summary(conn, as_of=END, date_from=MARCH.date_from)
        trailing = kpi_summary(conn, as_of=END, period_days=31)
    assert summary.equals(trailing)
    # The figures of test_position_as_of_month_end and test_period_kpis_for_march side by side; on 31.03 nothing
    # falls due this week (S2 is due 04.04, inside 31.03-06.04: RUB 1800) and the month has only the day itself.
    assert rows(summary, *summary.columns) == [
        (
            *("RUB", 285_000, 8_000, 277_000, 180_000, 105_000, D("36.8"), D("5.0"), 180_000, 0),
            *(MARCH.date_from, END, 31, 320_000, 130_000),
            *(D("27.6"), D("27.6"), False, D("17.4"), D("10.2"), D("61.1")),
        ),
        (
            *("USD", 110_000, 0, 110_000, 0, 110_000, D("100.0"), D("20.9"), 0, 0),
            *(MARCH.date_from, END, 31, 50_000, 100_000),
            *(D("68.2"), D("47.8"), False, D("0.0"), D("68.2"), D("26.7")),
        ),
    ]


def test_monthly_kpis(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = monthly_kpis(conn, date_from=date(2025, 2, 1), date_to=END)
    # February RUB: start = O1 300 (open on 31.01); sales S1 1000; end O1 300 + S1 1000 = 1300, current S1 1000.
    #   DSO = 1300 / 1000 x 28 = 36.4; best = 1000 / 1000 x 28 = 28.0; ADD 8.4.
    #   CEI = (300 + 1000 - 1300) / (300 + 1000 - 1000) = 0 / 300 = 0.0 (nothing collected).
    #   Countback: February's 1000 leave 300 and there is no earlier sale: at least 28.0 days.
    # February USD: sales U1 1000, all open and current (due 01.03): DSO = best = 28.0, ADD 0.0;
    #   CEI: 0 + 1000 - 1000 = 0 collectible: undefined. Countback 1000 / 1000 x 28 = 28.0.
    # March: as in test_period_kpis_for_march.
    money = ("month", "currency", "receivables_start", "credit_sales", "receivables", "current_receivables")
    assert rows(frame, *money) == [
        (date(2025, 2, 1), "RUB", 30_000, 100_000, 130_000, 100_000),
        (date(2025, 2, 1), "USD", 0, 100_000, 100_000, 100_000),
        (date(2025, 3, 1), "RUB", 130_000, 320_000, 285_000, 180_000),
        (date(2025, 3, 1), "USD", 100_000, 50_000, 110_000, 0),
    ]
    ratios = ("dso_simple", "dso_countback", "dso_countback_is_lower_bound", "best_possible_dso")
    assert rows(frame, *ratios, "average_days_delinquent", "cei") == [
        (D("36.4"), D("28.0"), True, D("28.0"), D("8.4"), D("0.0")),
        (D("28.0"), D("28.0"), False, D("28.0"), D("0.0"), None),
        (D("27.6"), D("27.6"), False, D("17.4"), D("10.2"), D("61.1")),
        (D("68.2"), D("47.8"), False, D("0.0"), D("68.2"), D("26.7")),
    ]


def test_monthly_kpis_clip_the_first_and_last_month(ledger: Engine) -> None:
    with ledger.connect() as conn:
        frame = monthly_kpis(
            conn, date_from=date(2025, 2, 15), date_to=date(2025, 3, 10), scope=Scope(currencies=("RUB",))
        )
    # 15.02-28.02 (14 days, no sales: S1 was 10.02) and 01.03-10.03 (10 days: S6 600 + S2 2000).
    assert rows(frame, "month", "period_from", "period_to", "period_days", "credit_sales", "dso_simple") == [
        (date(2025, 2, 1), date(2025, 2, 15), date(2025, 2, 28), 14, 0, None),
        (date(2025, 3, 1), date(2025, 3, 1), date(2025, 3, 10), 10, 260_000, D("15.0")),  # 3900 / 2600 x 10
    ]


def test_currencies_are_never_added(ledger: Engine) -> None:
    with ledger.connect() as conn:
        usd = kpi_summary(conn, as_of=END, period_days=31, scope=Scope(currencies=("USD",)))
        everything = kpi_summary(conn, as_of=END, period_days=31)
    # The USD row is the same whether or not rubles are in sight.
    assert usd.equals(everything.filter(pl.col("currency") == "USD"))


def test_scope_of_a_manager(ledger: Engine) -> None:
    with ledger.connect() as conn:
        boris = kpi_summary(conn, as_of=END, period_days=31, scope=Scope.for_manager("Борис"))
        nobody = kpi_summary(conn, as_of=END, scope=Scope.for_manager("никто"))
    # Борис sees K2 only: in rubles just the 80.00 advance (no receivables, no sales: every ratio undefined),
    # and the whole USD contract.
    columns = ("currency", "receivables", "advances", "balance", "credit_sales", "overdue_pct", "dso_simple", "cei")
    assert rows(boris, *columns) == [
        ("RUB", 0, 8_000, -8_000, 0, None, None, None),
        ("USD", 110_000, 0, 110_000, 50_000, D("100.0"), D("68.2"), D("26.7")),
    ]
    assert nobody.height == 0


# -- the pure formulas


def test_rounding_is_exact_and_half_away_from_zero() -> None:
    assert round_tenth(Fraction(1, 4)) == D("0.3")
    assert round_tenth(Fraction(-1, 4)) == D("-0.3")
    assert round_tenth(Fraction(80, 3)) == D("26.7")
    assert round_tenth(Fraction(0)) == D("0.0")
    # A float would land 0.15 below the half (0.1499999...); the fraction does not.
    assert round_tenth(Fraction(15, 100)) == D("0.2")


def test_ratios_without_a_base_are_undefined() -> None:
    assert dso_simple(100, 0, 30) is None
    assert best_possible_dso(0, 0, 30) is None
    assert percent_of(0, 0) is None
    assert cei_percent(0, 0, 0, 0) is None
    assert dso_simple(0, 100, 30) == D("0.0")


def test_countback_edges() -> None:
    # No sales at all: undefined, whatever is owed.
    assert countback_dso(500, []) == Countback(None)
    assert countback_dso(500, [(31, 0), (30, 0)]) == Countback(None)
    # Nothing owed: zero days.
    assert countback_dso(0, [(31, 100)]) == Countback(D("0.0"))
    # A month without sales counts in full (the debt is older): 30 + 31 + (300 - 100) / 400 x 30 = 76.0.
    assert countback_dso(300, [(30, 100), (31, 0), (30, 400)]) == Countback(D("76.0"))
    # Exactly one month of sales: that month's days, not the next one's.
    assert countback_dso(100, [(30, 100), (31, 100)]) == Countback(D("30.0"))
    # Receivables beyond all history: the days counted are a lower bound.
    assert countback_dso(1_000, [(30, 100), (31, 100)]) == Countback(D("61.0"), is_lower_bound=True)
    assert countback_dso(1_000, [(30, 100)]).as_frame().row(0) == (D("30.0"), True)


def test_periods() -> None:
    assert Period.trailing(date(2025, 3, 31), 90) == Period(date(2025, 1, 1), date(2025, 3, 31))
    assert Period.trailing(date(2025, 3, 31), 90).days == 90
    assert Period.months(date(2024, 1, 15), date(2024, 3, 10)) == [
        Period(date(2024, 1, 15), date(2024, 1, 31)),
        Period(date(2024, 2, 1), date(2024, 2, 29)),
        Period(date(2024, 3, 1), date(2024, 3, 10)),
    ]
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2025, 2, 1), date(2025, 1, 31))
    with pytest.raises(ValueError, match="at least one day"):
        Period.trailing(date(2025, 1, 31), 0)
