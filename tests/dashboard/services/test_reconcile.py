"""The two-sided reconciliation over a warehouse (dashboard/services/reconcile.py, reconcile_xlsx.py) on the
small ledger of tests/helpers/ledgers.py, on SQLite and PostgreSQL: the whole table hand-computed.

K1's act for 01.01.2025-31.03.2025 (as tests/dashboard/services/test_acts.py works it out): opening 0,00;
10.01 УПД-1 +1 000,00; 15.01 УПД-3 +300,50; 20.01 УПД-2 +500,00; 01.02 п/п 11 -1 200,00; 05.02 п/п 12
-400,00; closing 200,50. The client's act (their side) plants: an opening of 50,00 in their credit (they owed
us 50,00 by their books), УПД-1 booked on 13.01, УПД-3 missing, УПД-2 typed 490,00, п/п 11 in two parts
(700,00 + 500,00) on 01.02, п/п 12 as ours, and a «Корректировка 5» of 10,00 on 03.03 we never booked.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from dashboard.i18n import translate
from dashboard.services.act_document import ActHeader
from dashboard.services.acts import NoAct
from dashboard.services.reconcile import (
    Reconciliation,
    our_lines,
    reconcile,
    reconciliation_csv,
    reconciliation_header,
    rows_frame,
    rows_in,
    their_closing,
    their_lines,
)
from dashboard.services.reconcile_xlsx import reconciliation_xlsx
from dashboard.services.settings import Config
from dashboard.services.their_act import TheirAct, read_their_act
from dashboard.services.their_act import TheirLine as TheirActLine
from domain.reconcile import reconcile_rows
from etl.demo import COMPANY_INN, COMPANY_NAME, write_demo_source
from etl.load import load_paths
from queries.act import ACT_SCHEMA, act
from queries.aging import aging
from queries.scope import Scope
from tests.helpers.ledgers import source
from tests.helpers.their_acts import (
    CLIENT,
    COMPANY,
    TheirLine,
    act_sheet,
    add,
    delay,
    drop,
    from_our_act,
    retype,
    split,
    write_xlsx,
)
from warehouse.engine import ensure_schema, make_engine

D1, D2 = date(2025, 1, 1), date(2025, 3, 31)
DEMO_END = date(2026, 11, 20)

EXPECTED_CSV = [
    "status,our_date,our_document,our_amount,their_date,their_document,their_amount,difference",
    "opening,2025-01-01,,0.00,2025-01-01,,50.00,-50.00",
    "date_differs,2025-01-10,Реализация (№ УПД-1 от 10.01.2025),1000.00,"
    '2025-01-13,"Поступление (акт, накл.) УПД-1 от 10.01.2025",1000.00,0.00',
    "only_ours,2025-01-15,Реализация (№ УПД-3 от 15.01.2025),300.50,,,,300.50",
    "amount_differs,2025-01-20,Реализация (№ УПД-2 от 20.01.2025),500.00,"
    '2025-01-20,"Поступление (акт, накл.) УПД-2 от 20.01.2025",490.00,10.00',
    "matched,2025-02-01,Оплата (п/п № 11 от 01.02.2025),-1200.00,"
    "2025-02-01,Платежное поручение № 11 от 01.02.2025; Платежное поручение № 11 от 01.02.2025 (2),-1200.00,0.00",
    "matched,2025-02-05,Оплата (п/п № 12 от 05.02.2025),-400.00,"
    "2025-02-05,Платежное поручение № 12 от 05.02.2025,-400.00,0.00",
    "only_theirs,,,,2025-03-03,Корректировка 5 от 03.03.2025,10.00,-10.00",
    "balance,2025-03-31,,200.50,2025-03-31,,-50.00,250.50",
]


def planted(engine: Engine) -> tuple[int, list[TheirLine]]:
    with engine.connect() as conn:
        ours = act(conn, counterparty_id="K1", date_from=D1, date_to=D2)
    opening, lines = from_our_act(ours)  # 0, and our 5 documents from their side
    lines = retype(drop(delay(lines, 0, 3), 1), 1, 490_00)  # УПД-1 on 13.01, УПД-3 gone, УПД-2 490,00
    lines = split(lines, 2, 700_00)  # п/п 11: 700,00 + 500,00
    lines = add(lines, TheirLine(date(2025, 3, 3), "Корректировка 5 от 03.03.2025", 0, 10_00))
    return opening - 50_00, lines  # their opening: 50,00 in their credit


@pytest.fixture
def ledger(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def their_file(engine: Engine, tmp_path: Path) -> bytes:
    opening, lines = planted(engine)
    sheet = act_sheet(date_from=D1, date_to=D2, first_name=CLIENT, second_name=COMPANY, first=(opening, lines))
    return write_xlsx(sheet, tmp_path / "their.xlsx").read_bytes()


def test_the_whole_table(ledger: Engine, tmp_path: Path) -> None:
    their = read_their_act(their_file(ledger, tmp_path), "their.xlsx", our_names=[COMPANY])
    # Their side: opening -50,00 (a credit), closing -50 - 1 000 - 490 + 1 200 + 400 - 10 = 50,00 in their
    # debit; mirrored to ours: opening +50,00, closing -50,00.
    assert (their.opening, their.closing) == (-50_00, 50_00)
    with ledger.connect() as conn:
        rec = reconcile(conn, counterparty_id="K1", date_from=D1, date_to=D2, scope=Scope.everything(), their=their)
    assert reconciliation_csv(rec).decode().splitlines() == EXPECTED_CSV
    # 250,50 = opening -50,00 + 0,00 (date) + 300,50 (only ours) + 10,00 (amount) - 10,00 (only theirs)
    assert rec.balance_difference == 250_50
    assert rec.differences == 4
    assert rec.explanation.parts == [
        ("opening", -50_00),
        ("amount_differs", 10_00),
        ("only_ours", 300_50),
        ("only_theirs", -10_00),
    ]
    assert rec.rows.schema["our_amount"] == pl.Int64
    assert rec.rows.schema["our_date"] == pl.Date
    assert (rec.currency, rec.contract_id) == ("RUB", None)


def test_the_english_page_names_our_documents_in_english(ledger: Engine, tmp_path: Path) -> None:
    """The screen's table (rows_in) names our documents in the page's language from our act's columns; the
    contract's CSV above and the Russian page keep 1C's words; their half is their own text."""
    their = read_their_act(their_file(ledger, tmp_path), "their.xlsx", our_names=[COMPANY])
    with ledger.connect() as conn:
        rec = reconcile(conn, counterparty_id="K1", date_from=D1, date_to=D2, scope=Scope.everything(), their=their)
    assert rows_in(rec, "ru").equals(rec.rows)
    english = rows_in(rec, "en")
    assert english["our_document"].to_list() == [
        None,  # opening
        "Shipment (No. УПД-1 of 2025-01-10)",
        "Shipment (No. УПД-3 of 2025-01-15)",
        "Shipment (No. УПД-2 of 2025-01-20)",
        "Payment (payment order No. 11 of 2025-02-01)",
        "Payment (payment order No. 12 of 2025-02-05)",
        None,  # only theirs
        None,  # balance
    ]
    assert english.drop("our_document").equals(rec.rows.drop("our_document"))
    assert reconciliation_csv(rec).decode().splitlines() == EXPECTED_CSV


def test_a_split_of_our_lines_is_named_line_by_line() -> None:
    """Two of our payments on 15.01 (300,00 + 200,00) against one line of theirs of 500,00: one row naming both
    of ours, each by its own columns."""
    day = date(2025, 1, 15)
    frame = pl.DataFrame(
        [
            ("opening", D1, "Сальдо начальное", 0, None, *[None] * 8),
            (
                "document",
                day,
                "Оплата (п/п № 2 от 15.01.2025)",
                None,
                300_00,
                "P2",
                "payment",
                2,
                None,
                "2",
                day,
                None,
                None,
            ),
            (
                "document",
                day,
                "Оплата (п/п № 3 от 15.01.2025)",
                None,
                200_00,
                "P3",
                "payment",
                3,
                None,
                "3",
                day,
                None,
                None,
            ),
            ("turnover", None, "Обороты за период", 0, 500_00, *[None] * 8),
            ("closing", D2, "Сальдо конечное", None, 500_00, *[None] * 8),
        ],
        schema=ACT_SCHEMA,
        orient="row",
    )
    theirs = TheirAct("ООО «Клиент»", 0, (TheirActLine(day, "Платежное поручение № 2 от 15.01.2025", 500_00, 0),))
    rows = reconcile_rows(
        our_lines(frame), their_lines(theirs), our_opening=0, their_opening=0, our_closing=-500_00,
        their_closing=their_closing(theirs), date_from=D1, date_to=D2,
    )  # fmt: skip
    rec = Reconciliation("K1", None, "RUB", D1, D2, frame, theirs, rows_frame(rows))
    assert rec.rows["status"].to_list() == ["matched", "balance"]
    assert rec.rows["our_document"][0] == "Оплата (п/п № 2 от 15.01.2025); Оплата (п/п № 3 от 15.01.2025)"
    assert rows_in(rec, "en")["our_document"].to_list() == [
        "Payment (payment order No. 2 of 2025-01-15); Payment (payment order No. 3 of 2025-01-15)",
        None,
    ]


def test_the_act_of_one_contract(ledger: Engine, tmp_path: Path) -> None:
    """C2's act: УПД-3 +300,50 on 15.01 and the part of п/п 12 (K1's payment without a contract) that closed
    it, -300,50 on 05.02; closing 0,00. Against the client's whole act: УПД-3 is only ours, their п/п 12 of
    400,00 has the same number with another amount (a difference of -300,50 + 400,00 = 99,50), the rest of
    theirs is only theirs. Balance: ours 0,00, theirs -50,00: 50,00 = opening -50,00 - 1 000,00 (УПД-1)
    + 300,50 - 490,00 (УПД-2) + 700,00 + 500,00 (п/п 11) + 99,50 - 10,00."""
    their = read_their_act(their_file(ledger, tmp_path), "their.xlsx", our_names=[COMPANY])
    with ledger.connect() as conn:
        rec = reconcile(
            conn,
            counterparty_id="K1",
            contract_id="C2",
            date_from=D1,
            date_to=D2,
            scope=Scope.everything(),
            their=their,
        )
    assert rec.rows.select("status", "difference").rows() == [
        ("opening", -50_00),
        ("only_theirs", -1_000_00),
        ("only_ours", 300_50),
        ("only_theirs", -490_00),
        ("only_theirs", 700_00),
        ("only_theirs", 500_00),
        ("amount_differs", 99_50),
        ("only_theirs", -10_00),
        ("balance", 50_00),
    ]
    assert rec.differences == 7


def test_outside_the_scope_refused_as_the_act(ledger: Engine, tmp_path: Path) -> None:
    their = read_their_act(their_file(ledger, tmp_path), "their.xlsx", our_names=[COMPANY])
    with ledger.connect() as conn, pytest.raises(NoAct, match="no act for counterparty K1") as refused:
        reconcile(
            conn, counterparty_id="K1", date_from=D1, date_to=D2, scope=Scope(counterparty_ids=("K2",)), their=their
        )
    # The app words it in the reader's language, not the CLI's English inside a Russian sentence.
    reason = translate(f"reconcile_ui.no_act.{refused.value.code}", "ru", **refused.value.values)
    assert translate("reconcile_ui.not_our_counterparty", "ru", reason=reason) == (
        "Сверка недоступна: акта по контрагенту K1 нет: он неизвестен или не виден вам"
    )
    assert translate(f"reconcile_ui.no_act.{refused.value.code}", "en", **refused.value.values) == str(refused.value)


def test_a_currency_the_counterparty_lacks_is_worded_in_russian(ledger: Engine, tmp_path: Path) -> None:
    their = read_their_act(their_file(ledger, tmp_path), "their.xlsx", our_names=[COMPANY])
    with ledger.connect() as conn, pytest.raises(NoAct) as refused:
        reconcile(
            conn, counterparty_id="K1", date_from=D1, date_to=D2, currency="USD", scope=Scope.everything(), their=their
        )
    assert refused.value.code == "no_currency"
    assert translate("reconcile_ui.no_act.no_currency", "ru", **refused.value.values) == (
        "у контрагента K1 нет документов в валюте USD; его валюты: RUB"
    )
    assert translate("reconcile_ui.no_act.no_currency", "en", **refused.value.values) == str(refused.value)


def test_the_workbook_has_both_halves_and_the_table(ledger: Engine, tmp_path: Path) -> None:
    their = read_their_act(their_file(ledger, tmp_path), "their.xlsx", our_names=[COMPANY])
    with ledger.connect() as conn:
        rec = reconcile(conn, counterparty_id="K1", date_from=D1, date_to=D2, scope=Scope.everything(), their=their)
        header = reconciliation_header(conn, Config(company_name=COMPANY), rec)
    path = tmp_path / "r.xlsx"
    path.write_bytes(reconciliation_xlsx(rec, header, "en"))
    book = load_workbook(path)
    assert book.sheetnames == ["Reconciliation act", "Differences"]
    act_sheet_ = book["Reconciliation act"]
    cells = [[c.value for c in row] for row in act_sheet_.iter_rows()]
    texts = [" ".join(str(v) for v in row if v is not None) for row in cells]
    assert any(f"По данным {COMPANY}, руб." in t and f"По данным {CLIENT}, руб." in t for t in texts)
    only_ours = next(row for row in cells if row[1] == "Реализация (№ УПД-3 от 15.01.2025)")
    assert only_ours[2] == pytest.approx(300.5)  # our debit
    assert only_ours[4:8] == [None, None, None, None]  # their half empty
    assert only_ours[8] == "Only in our books"
    assert only_ours[9] == pytest.approx(300.5)
    typo = next(row for row in cells if row[1] == "Реализация (№ УПД-2 от 20.01.2025)")
    assert typo[7] == pytest.approx(490)  # their credit, as they print it
    closing = next(row for row in cells if row[1] == "Сальдо конечное")
    assert (closing[2], closing[6], closing[9]) == (pytest.approx(200.5), pytest.approx(50), pytest.approx(250.5))
    assert any("The closing balances differ by 250.50" in t for t in texts)
    table = [[c.value for c in row] for row in book["Differences"].iter_rows()]
    assert table[0][0] == "Status"
    assert [r[0] for r in table[1:]][:3] == ["Opening balance", "Date differs", "Only in our books"]
    assert len(table) == 1 + 8


# ------------------------------------------------------------- the demo: planted differences found, and only them


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    folder = tmp_path_factory.mktemp("demo")
    write_demo_source(folder, scale=1500, seed=5, end=DEMO_END)
    engine = make_engine(f"sqlite:///{folder / 'warehouse.db'}", pooled=False)
    ensure_schema(engine)
    load_paths(engine, [folder], company_inn=COMPANY_INN, company_name=COMPANY_NAME)
    yield engine
    engine.dispose()


def test_planted_differences_in_a_demo_clients_act(demo: Engine, tmp_path: Path) -> None:
    """The busiest RUB client's act for a quarter, printed by «their 1C» with five differences planted on
    documents whose amounts are unique in the act (so nothing else can take their place): a shipment
    missing, a payment typed 1,00 more, a document booked 3 days later, a payment split in two (same day:
    still matched), a line of theirs we never booked, and their opening 100,00 higher. The table finds
    exactly these; every other line is matched; the differences add up to the balances'."""
    date_from, date_to = date(2026, 7, 1), date(2026, 9, 30)
    with demo.connect() as conn:
        frame = aging(conn, as_of=date_to, by="counterparty").filter(pl.col("currency") == "RUB")
        candidates = frame["counterparty_id"].to_list()
        acts = {k: act(conn, counterparty_id=k, date_from=date_from, date_to=date_to) for k in candidates[:40]}
    counterparty_id, ours = max(acts.items(), key=lambda item: item[1].height)
    opening, lines = from_our_act(ours)
    amounts = [x.credit - x.debit for x in lines]  # from our side: their credit is our debit
    unique = [i for i, a in enumerate(amounts) if amounts.count(a) == 1 and abs(a) > 100_00]
    shipments = [i for i in unique if amounts[i] > 0]
    payments = [i for i in unique if amounts[i] < 0]
    assert len(shipments) >= 2, counterparty_id
    assert len(payments) >= 2, counterparty_id
    missing, late = shipments[0], shipments[1]
    typo, split_at = payments[0], payments[1]
    planted = list(lines)
    planted[typo] = TheirLine(lines[typo].day, lines[typo].document, lines[typo].debit + 1_00, 0)
    planted[late] = TheirLine(lines[late].day + timedelta(days=3), lines[late].document, 0, lines[late].credit)
    planted = split(planted, split_at, lines[split_at].debit // 3)
    del planted[missing]
    extra = TheirLine(date(2026, 8, 14), "Корректировка долга 777 от 14.08.2026", 0, 12_345_67)
    planted = add(planted, extra)
    sheet = act_sheet(
        date_from=date_from,
        date_to=date_to,
        first_name="ООО «Клиент»",
        second_name=COMPANY_NAME,
        first=(opening - 100_00, planted),  # 100,00 more in their credit: they owed us 100,00 more
    )
    their = read_their_act(write_xlsx(sheet, tmp_path / "their.xlsx").read_bytes(), "their.xlsx")
    with demo.connect() as conn:
        rec = reconcile(
            conn,
            counterparty_id=counterparty_id,
            date_from=date_from,
            date_to=date_to,
            scope=Scope.everything(),
            their=their,
        )
    ours_documents = ours.filter(pl.col("kind") == "document")["document"].to_list()
    differing = rec.rows.filter(pl.col("status") != "matched")
    assert sorted(differing.select("status", "our_document", "difference").rows()) == sorted(
        [
            ("opening", None, -100_00),
            ("only_ours", ours_documents[missing], amounts[missing]),
            ("date_differs", ours_documents[late], 0),
            ("amount_differs", ours_documents[typo], 1_00),  # ours -X, theirs -(X + 1,00)
            ("only_theirs", None, -12_345_67),
            ("balance", None, rec.balance_difference),
        ]
    )
    # -100,00 + the missing shipment - 12 345,67 + 1,00
    assert rec.balance_difference == -100_00 + amounts[missing] - 12_345_67 + 1_00
    joined = rec.rows.filter(pl.col("our_document") == ours_documents[split_at])
    assert joined["status"].to_list() == ["matched"]
    assert joined["their_document"][0].count(";") == 1  # the two parts on one row
    assert rec.rows.filter(pl.col("status") == "matched").height == len(lines) - 3


def test_their_act_of_another_period_is_noted(ledger: Engine, tmp_path: Path) -> None:
    opening, lines = planted(ledger)
    sheet = act_sheet(
        date_from=date(2025, 1, 1),
        date_to=date(2025, 6, 30),
        first_name=CLIENT,
        second_name=COMPANY,
        first=(opening, lines),
    )
    their = read_their_act(write_xlsx(sheet, tmp_path / "h1.xlsx").read_bytes(), "h1.xlsx", our_names=[COMPANY])
    assert their.period == (date(2025, 1, 1), date(2025, 6, 30))
    with ledger.connect() as conn:
        rec = reconcile(conn, counterparty_id="K1", date_from=D1, date_to=D2, scope=Scope.everything(), their=their)
    assert [w.key for w in rec.warnings] == ["reconcile.warning.period"]
    assert "01.01.2025 – 30.06.2025" in rec.warnings[0].text("ru")
    assert "01.01.2025 – 31.03.2025" in rec.warnings[0].text("ru")


def test_the_largest_amounts_fit_their_columns() -> None:
    """One shipment of 999 999 999 999,99 on our side, two in theirs: their turnover is 1 999 999 999 999,98
    (19 characters), more than any amount of ours, and every amount column of the act sheet is wider than
    that (else Excel shows ####)."""
    big = 99_999_999_999_999
    d = [date(2025, 1, 10), date(2025, 1, 11)]
    frame = pl.DataFrame(
        [
            ("opening", D1, "Сальдо начальное", 0, None, *[None] * 8),
            (
                "document",
                d[0],
                "Реализация (№ 1 от 10.01.2025)",
                big,
                None,
                "S1",
                "shipment",
                1,
                None,
                "1",
                d[0],
                None,
                None,
            ),
            ("turnover", None, "Обороты за период", big, 0, *[None] * 8),
            ("closing", D2, "Сальдо конечное", big, None, *[None] * 8),
        ],
        schema=ACT_SCHEMA,
        orient="row",
    )
    # their opening: 999 999 999 999,99 in their debit (they paid us in advance), so their closing is as
    # small as ours and only their turnover reaches 19 characters
    theirs = TheirAct("ООО «Клиент»", big, (TheirActLine(d[0], "1", 0, big), TheirActLine(d[1], "2", 0, big)))
    rows = reconcile_rows(
        our_lines(frame), their_lines(theirs), our_opening=0, their_opening=-big, our_closing=big,
        their_closing=their_closing(theirs), date_from=D1, date_to=D2,
    )  # fmt: skip
    rec = Reconciliation("K1", None, "RUB", D1, D2, frame, theirs, rows_frame(rows))
    assert rec.rows["status"].to_list() == ["opening", "matched", "only_theirs", "balance"]
    header = ActHeader(company=COMPANY, counterparty=CLIENT, date_from=D1, date_to=D2)
    book = load_workbook(io.BytesIO(reconciliation_xlsx(rec, header, "ru")))
    sheet = book["Акт сверки"]
    widths = {}  # openpyxl keeps a run of equal columns under its first one (min..max)
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            widths[index] = dimension.width
    for column in (3, 4, 7, 8, 10):  # C, D (ours), G, H (theirs), J (the difference)
        assert widths[column] >= len("1 999 999 999 999,98") + 2, (
            f"column {column} is {widths[column]} wide"
        )  # a margin
