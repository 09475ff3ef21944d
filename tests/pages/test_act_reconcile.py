"""«Сверка с актом клиента» on the act page (dashboard/ui/reconcile.py) through AppTest, on the small ledger
(tests/helpers/ledgers.py), numbers worked out by hand.

Our act of K1 «Ромашка» over 01.01-28.02.2025 (tests/pages/test_act.py): opening 0; S1 1 000,00 (10.01),
S3 300,50 (15.01), S2 500,00 (20.01), P1 1 200,00 (01.02), P2 400,00 (05.02); closing debit 200,50.

The client's act (its 1C's layout, tests/helpers/their_acts.py), from its side, with four planted differences:
- S3 left out:                       only_ours,       difference +300,50
- S2 typed as 550,00 (УПД-2 both):   amount_differs,  500,00 - 550,00 = -50,00
- P1 booked on 03.02, two days late: date_differs,    0,00
- a payment of 100,00 on 10.02 we never got (№ 99): only_theirs, 0 - (-100,00) = +100,00
S1 and P2 match. Their closing, their side: paid 1 200 + 400 + 100 = 1 700,00, received 1 000 + 550 = 1 550,00:
a debit of 150,00, i.e. -150,00 from our side. Balance difference 200,50 - (-150,00) = 350,50
= -50,00 + 300,50 + 100,00 (the parts in the table's order: amount, only ours, only theirs).
"""

from __future__ import annotations

from csv import reader
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO
from pathlib import Path

import polars as pl
from openpyxl import load_workbook
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import warehouse
from dashboard.services.access import User
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from queries.act import act
from tests.helpers import their_acts
from tests.helpers.ledgers import write_files
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

NB = "\u00a0"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FROM, TO = date(2025, 1, 1), date(2025, 2, 28)
CLIENT = User(login="buh@romashka.ru", role="client", counterparty="K1")
SUMMARY = (
    f"Строк сверки: 6; совпадают: 2; расхождений: 4. Сальдо на 28.02.2025: у нас 200,50{NB}₽, у клиента -150,00{NB}₽."
)
EXPLAINED = f"Разница сальдо 350,50{NB}₽ = разница сумм −50,00{NB}₽ + нет у клиента 300,50{NB}₽ + нет у нас 100,00{NB}₽"


def their_act(db_url: str, folder: Path) -> bytes:
    """The client's act with the four differences above, as an XLSX its 1C saved."""
    engine = make_engine(db_url, pooled=False)
    with engine.connect() as conn:
        ours = act(conn, counterparty_id="K1", date_from=FROM, date_to=TO)
    engine.dispose()
    opening, lines = their_acts.from_our_act(ours)  # S1, S3, S2, P1, P2 in date order
    lines = their_acts.drop(lines, 1)  # S3
    lines = their_acts.retype(lines, 1, 55_000)  # S2: 550,00
    lines = their_acts.delay(lines, 2, 2)  # P1: 03.02
    lines = their_acts.add(
        lines, their_acts.TheirLine(date(2025, 2, 10), "Платежное поручение № 99 от 10.02.2025", 10_000, 0)
    )
    sheet = their_acts.act_sheet(
        date_from=FROM,
        date_to=TO,
        first_name="ООО «Ромашка»",
        second_name="Наша организация",
        first=(opening, lines),
        layout=their_acts.Layout(row=3, column=2),
    )
    return their_acts.write_xlsx(sheet, folder / "Акт сверки Ромашка.xlsx").read_bytes()


def act_page(*, user: User | None = None, language: str = "ru") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "act.py"), default_timeout=60)
    test.session_state["page_context"] = PageContext(
        language, Filters(TO, "RUB", manager="", group="", counterparty_id="K1", contract_id="")
    )
    if user is not None:
        test.session_state["auth_user"] = user
    test.session_state["reconcile_open"] = True  # our staff's section is an expander run only when open
    return test.run()


def upload(test: AppTest, name: str, data: bytes, mime: str = XLSX) -> AppTest:
    return test.file_uploader(key="reconcile_upload").set_value((name, data, mime)).run()


def table(test: AppTest) -> pl.DataFrame:
    """The status table as shown: status, dates and the three amounts (exact Decimal rubles as text)."""
    shown = pl.from_pandas(test.dataframe[-1].value)  # the status table: the page's only one
    return shown.select(
        "status",
        pl.col("our_date").cast(pl.Date),
        pl.col("their_date").cast(pl.Date),
        *(pl.col(c).cast(pl.String) for c in ("our_amount", "their_amount", "difference")),
    )


def stored(db_url: str) -> list[dict[str, object]]:
    a = warehouse.their_acts
    engine = make_engine(db_url, pooled=False)
    with engine.connect() as conn:
        rows = conn.execute(
            select(a.c.counterparty_id, a.c.uploaded_role, a.c.uploaded_by, a.c.differences, a.c.balance_difference)
        )
        found = [dict(r._mapping) for r in rows]
    engine.dispose()
    return found


def periods(db_url: str) -> list[tuple[date, date]]:
    a = warehouse.their_acts
    engine = make_engine(db_url, pooled=False)
    with engine.connect() as conn:
        found = [(f, t) for f, t in conn.execute(select(a.c.date_from, a.c.date_to).order_by(a.c.their_act_id))]
    engine.dispose()
    return found


def test_the_client_act_with_planted_differences_is_taken_apart_to_the_kopeck(
    loaded_db: str, tmp_path: Path, downloads: dict[str, object]
) -> None:
    test = upload(act_page(), "Акт сверки Ромашка.xlsx", their_act(loaded_db, tmp_path))
    assert not test.exception
    assert [e.label for e in test.expander][-1] == "Сверка с актом клиента"
    assert any(m.value == SUMMARY for m in test.markdown)
    assert [w.value for w in test.warning] == [EXPLAINED]
    assert table(test).rows() == [
        ("✓ Совпадает", date(2025, 1, 10), date(2025, 1, 10), "1000.00", "1000.00", "0.00"),
        ("✗ Только у нас", date(2025, 1, 15), None, "300.50", None, "300.50"),
        ("≠ Другая сумма", date(2025, 1, 20), date(2025, 1, 20), "500.00", "550.00", "-50.00"),
        ("≠ Другая дата", date(2025, 2, 1), date(2025, 2, 3), "-1200.00", "-1200.00", "0.00"),
        ("✓ Совпадает", date(2025, 2, 5), date(2025, 2, 5), "-400.00", "-400.00", "0.00"),
        ("✗ Только у контрагента", None, date(2025, 2, 10), None, "-100.00", "100.00"),
        ("Σ Конечное сальдо", TO, TO, "200.50", "-150.00", "350.50"),
    ]
    # The differences of the rows add up to the balance's (the invariant the explanation rests on).
    assert sum(Decimal(v) for v in table(test)["difference"].to_list()[:-1]) == Decimal("350.50")
    # A staff upload is not kept by itself: the button keeps it.
    assert stored(loaded_db) == []
    labels = [b.proto.label for b in test.get("download_button")]
    assert "Акт с расхождениями (Excel)" in labels
    assert "Сверка (CSV)" in labels

    # Only the differences: the two matched rows go, the balance stays.
    test.toggle(key="reconcile_only_differences").set_value(True).run()
    assert list(table(test)["status"].to_list()) == [
        "✗ Только у нас",
        "≠ Другая сумма",
        "≠ Другая дата",
        "✗ Только у контрагента",
        "Σ Конечное сальдо",
    ]


def test_the_downloads_are_the_contracts_csv_and_both_halves_in_excel(
    loaded_db: str, tmp_path: Path, downloads: dict[str, object]
) -> None:
    before = set(downloads)
    test = upload(act_page(), "akt.xlsx", their_act(loaded_db, tmp_path))
    assert not test.exception
    files = [downloads[k]() for k in downloads if k not in before]  # type: ignore[operator]
    csv = next(f for f in files if isinstance(f, bytes) and f.startswith(b"status,"))
    assert list(reader(StringIO(csv.decode("utf-8")))) == [
        [
            "status",
            "our_date",
            "our_document",
            "our_amount",
            "their_date",
            "their_document",
            "their_amount",
            "difference",
        ],
        [
            "matched",
            "2025-01-10",
            "Реализация (№ УПД-1 от 10.01.2025)",
            "1000.00",
            "2025-01-10",
            "Поступление (акт, накл.) УПД-1 от 10.01.2025",
            "1000.00",
            "0.00",
        ],
        ["only_ours", "2025-01-15", "Реализация (№ УПД-3 от 15.01.2025)", "300.50", "", "", "", "300.50"],
        [
            "amount_differs",
            "2025-01-20",
            "Реализация (№ УПД-2 от 20.01.2025)",
            "500.00",
            "2025-01-20",
            "Поступление (акт, накл.) УПД-2 от 20.01.2025",
            "550.00",
            "-50.00",
        ],
        [
            "date_differs",
            "2025-02-01",
            "Оплата (п/п № 11 от 01.02.2025)",
            "-1200.00",
            "2025-02-03",
            "Платежное поручение № 11 от 01.02.2025",
            "-1200.00",
            "0.00",
        ],
        [
            "matched",
            "2025-02-05",
            "Оплата (п/п № 12 от 05.02.2025)",
            "-400.00",
            "2025-02-05",
            "Платежное поручение № 12 от 05.02.2025",
            "-400.00",
            "0.00",
        ],
        ["only_theirs", "", "", "", "2025-02-10", "Платежное поручение № 99 от 10.02.2025", "-100.00", "100.00"],
        ["balance", "2025-02-28", "", "200.50", "2025-02-28", "", "-150.00", "350.50"],
    ]
    workbooks = [f for f in files if isinstance(f, bytes) and b"[Content_Types].xml" in f]  # not the acts' ZIP
    [book] = [b for b in (load_workbook(BytesIO(f)) for f in workbooks) if "Расхождения" in b.sheetnames]
    sheet = book["Акт сверки"]
    halves = [c.value for row in sheet.iter_rows() for c in row if str(c.value).startswith("По данным")]
    assert halves == ["По данным Наша организация, руб.", "По данным ООО «Ромашка», руб."]
    # Each line that differs is filled; the two that match are not.
    filled = {
        str(row[1].value): bool(row[1].fill.fill_type)
        for row in sheet.iter_rows()
        if str(row[1].value).startswith(("Реализация", "Оплата"))
    }
    assert filled == {
        "Реализация (№ УПД-1 от 10.01.2025)": False,
        "Реализация (№ УПД-3 от 15.01.2025)": True,
        "Реализация (№ УПД-2 от 20.01.2025)": True,
        "Оплата (п/п № 11 от 01.02.2025)": True,
        "Оплата (п/п № 12 от 05.02.2025)": False,
    }


def test_a_file_that_is_no_act_gets_a_message_and_the_act_stays(loaded_db: str) -> None:
    test = upload(act_page(user=CLIENT), "notes.csv", "Дата;Сумма\n01.02.2025;100\n".encode(), "text/csv")
    assert not test.exception
    assert [e.value for e in test.error] == [
        "В файле notes.csv нет таблицы акта сверки: не найдена строка с колонками "
        "«Дата», «Документ», «Дебет», «Кредит»."
    ]
    assert any("Сохраните акт сверки из 1С в XLSX" in c.value for c in test.caption)
    assert any("<table class=act>" in e.proto.body for e in test.get("html"))  # our act above, as it was
    assert not any(m.value.startswith("Строк сверки") for m in test.markdown)
    assert stored(loaded_db) == []  # nothing kept, even from a client


def test_a_client_upload_is_kept_and_staff_then_see_it_listed_with_its_result(loaded_db: str, tmp_path: Path) -> None:
    client = upload(act_page(user=CLIENT), "Акт сверки Ромашка.xlsx", their_act(loaded_db, tmp_path))
    assert not client.exception
    assert [s.value for s in client.success] == ["Ваш акт получен и сохранён: наш бухгалтер увидит результат сверки."]
    # The client sees the same result, addressed to it.
    assert any(
        m.value == "Строк сверки: 6; совпадают: 2; расхождений: 4. "
        f"Сальдо на 28.02.2025: по нашим данным 200,50{NB}₽, по вашим -150,00{NB}₽."
        for m in client.markdown
    )
    assert [w.value for w in client.warning] == [
        f"Разница сальдо 350,50{NB}₽ = разница сумм −50,00{NB}₽ + нет у вас 300,50{NB}₽ + нет у нас 100,00{NB}₽"
    ]
    assert table(client)["status"].to_list()[5] == "✗ Только у вас"
    assert table(client)["difference"].to_list() == ["0.00", "300.50", "-50.00", "0.00", "0.00", "100.00", "350.50"]
    assert any(c.value == "Ваш акт: файл «Акт сверки Ромашка.xlsx»." for c in client.caption)
    assert not [s for s in client.selectbox if s.key == "reconcile_copy"]  # no list of copies for a client
    client.run()  # a rerun with the file still in the box keeps no second copy
    assert stored(loaded_db) == [
        {
            "counterparty_id": "K1",
            "uploaded_role": "client",
            "uploaded_by": "buh@romashka.ru",
            "differences": 4,
            "balance_difference": 35_050,
        }
    ]

    # The same file over another period is another copy (what the client saw then), kept once as well.
    client.date_input(key="act_from").set_value(date(2025, 2, 1)).run()
    client.run()
    assert not client.exception
    # Its lines of 10.01 (S1) and 20.01 (S2; S3 of 15.01 it left out) fall before the period: said so.
    assert (
        "Строк вашего акта вне периода 01.02–28.02.2025: 2 (с 10.01.2025 по 20.01.2025). Проверьте период: акт "
        "сверяется за выбранный выше." in [w.value for w in client.warning]
    )
    assert periods(loaded_db) == [(FROM, TO), (date(2025, 2, 1), TO)]

    staff = act_page()  # no [auth]: the local CFO
    picker = staff.selectbox(key="reconcile_copy")
    assert picker.value is None  # nothing reconciled until a copy is picked
    assert not any(m.value == SUMMARY for m in staff.markdown)
    today = date.today().strftime("%d.%m.%Y")
    # Newest first. Over 01.02-28.02 (hand-computed like the whole period): our opening 1 800,50 against their
    # 0, their S1 and S2 only theirs (-1 000,00, -550,00), P1 a date later, № 99 only theirs (+100,00): still
    # four differences, and 1 800,50 - 1 000,00 - 550,00 + 100,00 = 350,50.
    assert picker.options == [
        f"{today}: за 01.02–28.02.2025, клиент (buh@romashka.ru) — 4 расхождения",
        f"{today}: за 01.01–28.02.2025, клиент (buh@romashka.ru) — 4 расхождения",
    ]
    staff.selectbox(key="reconcile_copy").select_index(1).run()
    assert not staff.exception
    assert any(c.value.startswith("Акт клиента: «Акт сверки Ромашка.xlsx», загружен") for c in staff.caption)
    assert any(m.value == SUMMARY for m in staff.markdown)
    assert [w.value for w in staff.warning] == [EXPLAINED]
    assert table(staff)["difference"].to_list()[-1] == "350.50"


def test_staff_keep_an_act_the_client_e_mailed_and_the_card_says_so(loaded_db: str, tmp_path: Path) -> None:
    test = upload(act_page(), "akt.xlsx", their_act(loaded_db, tmp_path))
    test.button(key="reconcile_save").click().run()
    assert not test.exception
    assert [r["uploaded_role"] for r in stored(loaded_db)] == ["cfo"]
    assert any(s.value.startswith("Акт клиента сохранён") for s in test.success)

    card = AppTest.from_file(str(ROOT / "pages" / "counterparty.py"), default_timeout=60)
    card.session_state["page_context"] = PageContext(
        "ru", Filters(TO, "RUB", manager="", group="", counterparty_id="K1", contract_id="")
    )
    card.run()
    assert not card.exception
    today = date.today().strftime("%d.%m.%Y")
    line = f":material/fact_check: Клиент прислал акт сверки {today} за 01.01–28.02.2025: 4 расхождения"
    assert any(m.value == line for m in card.markdown)


def test_english(loaded_db: str, tmp_path: Path) -> None:
    test = upload(act_page(language="en"), "akt.xlsx", their_act(loaded_db, tmp_path))
    assert not test.exception
    assert [e.label for e in test.expander][-1] == "Reconcile with the client's act"
    assert any(
        m.value == "Reconciled lines: 6; matched: 2; differences: 4. "
        "Balance as of 2025-02-28: ours 200.50 RUB, the client's -150.00 RUB."
        for m in test.markdown
    )
    assert [w.value for w in test.warning] == [
        "Balance difference 350.50 RUB = amount differences −50.00 RUB + missing in theirs 300.50 RUB "
        "+ missing in ours 100.00 RUB"
    ]
    assert table(test)["status"].to_list()[1] == "✗ Only in our books"


def test_a_kept_copy_follows_our_books_when_staff_open_it(loaded_db: str, tmp_path: Path) -> None:
    """The client's № 99 of 100,00 on 10.02 reaches our bank statement after the upload: reconciled again it
    matches (same date and amount), so three differences are left and the balances differ by
    (200,50 - 100,00) - (-150,00) = 250,50; the copy keeps what was found last, which the card shows."""
    upload(act_page(user=CLIENT), "akt.xlsx", their_act(loaded_db, tmp_path))
    engine = make_engine(loaded_db, pooled=False)
    paid = "document_id,date,amount,counterparty_id,number\nP99,2025-02-10,100,K1,99\n"
    load_paths(engine, [write_files(tmp_path / "later", {"payments.csv": paid})])
    engine.dispose()

    staff = act_page()
    staff.selectbox(key="reconcile_copy").select_index(0).run()
    assert not staff.exception
    assert [w.value for w in staff.warning] == [
        f"Разница сальдо 250,50{NB}₽ = разница сумм −50,00{NB}₽ + нет у клиента 300,50{NB}₽"
    ]
    assert [(r["differences"], r["balance_difference"]) for r in stored(loaded_db)] == [(3, 25_050)]
