"""The counterparty card: its pure computations, its timeline, and the page through AppTest on the fixture
warehouse of tests/helpers/ledgers.py.

K1 «Ромашка» as of 31.12.2025 (hand-computed from tests/helpers/ledgers.py's `source`):
  C1 Д-1/25 (limit 100 000,00): S2 200,50 open, due 19.02.2025 (315 days overdue); S5 100,00 due 12.01.2026.
     Balance 300,50, usage 0,3 %, headroom 99 699,50.
  C2 Д-2/25 (no limit): S3 paid on 05.02.2025; nothing open.
  Settled in 01.01.2025-31.12.2025: S1 (due 10.02, paid in full by P1 on 01.02: on time, 0 days late) and
  S3 (due 29.01, closed by P2 on 05.02: 7 days late); and S2, still open, 315 days late so far. Average
  (0 + 7 + 315) / 3 = 107,3 days late, 1 of 3 on time: 33,3 %.
  The year's act: 10.01 +1 000,00; 15.01 +300,50; 20.01 +500,00; 01.02 -1 200,00; 05.02 -400,00;
  02.12 +100,00 -> 300,50.
K2 «Петров» as of 31.12.2025: C3 П-7 (limit 5 000,50): S4 200,00 due 02.12.2025, 29 days overdue; never paid.
Stop-list as of 31.12.2025 (default [stoplist]: more than 30 days overdue, credit limits on): K1 is on it (S2
315 days; to release 200,50 = S2), K2 is not (29 days). With overdue_amount 100,00 and overdue_days 400: K1
by the amount (200,50 > 100,00), to release 200,50 - 100,00 = 100,50.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboard.services.counterparty_behaviour import contracts_with_balances, payment_behaviour, shipment_check
from dashboard.ui.charts_counterparty import daily_balance, monthly_flows, timeline
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from queries.act import act
from queries.contracts import receivables_by_contract
from queries.counterparty import counterparty_profile, settled_shipments
from queries.ledger import contract_details
from queries.scope import Scope
from tests.helpers.ledgers import source
from tests.helpers.paths import ROOT
from warehouse.engine import ensure_schema, make_engine

AS_OF = date(2025, 12, 31)
NB = "\u00a0"
K1 = Scope(counterparty_ids=("K1",))
# What the card says of K1 and the stop-list as of AS_OF (the stop-list's own sentence after the first).
K1_STOPPED = (
    "На 31.12.2025 контрагент в стоп-листе (срок просрочки): отгрузки остановлены. "
    "Просрочено более 30 дн.: 200,50 ₽ (макс. 315 дн.). Для снятия стопа оплатить 200,50 ₽."
)


# -- payment behaviour and the limit check (pure) -------------------------------------------------


def settled_frame(rows: list[tuple[date | None, date]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"due_date": pl.Date, "settled_date": pl.Date}, orient="row")


def test_payment_behaviour_counts_early_as_zero_days_late() -> None:
    found = payment_behaviour(
        settled_frame([(date(2025, 2, 10), date(2025, 2, 1)), (date(2025, 1, 29), date(2025, 2, 5))])
    )
    assert found.settled == 2
    assert found.paid_on_time == 1
    assert found.average_days_late == Decimal("3.5")  # (0 + 7) / 2, not (-9 + 7) / 2
    assert found.on_time_pct == Decimal("50.0")
    assert found.max_days_late == 7


def test_payment_behaviour_counts_open_overdue_debits_as_late_so_far() -> None:
    """The two settled above, and one open since its due date 01.02.2025, as of 02.03.2025: 29 days late so far.
    (0 + 7 + 29) / 3 = 12,0 days; 1 of 3 on time."""
    overdue = pl.DataFrame({"due_date": [date(2025, 2, 1)]})
    found = payment_behaviour(
        settled_frame([(date(2025, 2, 10), date(2025, 2, 1)), (date(2025, 1, 29), date(2025, 2, 5))]),
        overdue,
        date(2025, 3, 2),
    )
    assert (found.settled, found.paid_on_time, found.unpaid_late) == (3, 1, 1)
    assert found.average_days_late == Decimal("12.0")
    assert found.on_time_pct == Decimal("33.3")
    assert found.max_days_late == 29


def test_payment_behaviour_rounds_half_up_to_a_tenth() -> None:
    due = date(2025, 3, 10)
    found = payment_behaviour(settled_frame([(due, date(2025, 3, 12)), (due, due), (due, date(2025, 3, 1))]))
    assert found.average_days_late == Decimal("0.7")  # 2 / 3 = 0.666...
    assert found.on_time_pct == Decimal("66.7")  # 2 of 3 paid on or before the due date


def test_payment_behaviour_without_settled_debits() -> None:
    found = payment_behaviour(settled_frame([(None, date(2025, 3, 1))]))  # no due date: nothing to be late against
    assert (found.settled, found.average_days_late, found.on_time_pct, found.max_days_late) == (0, None, None, None)


def test_shipment_check_at_and_over_the_limit() -> None:
    at_limit = shipment_check(30_050, 10_000_000, 9_969_950)
    assert (at_limit.new_balance, at_limit.headroom_after, at_limit.fits) == (10_000_000, 0, True)
    assert at_limit.usage_pct_after == Decimal("100.0")
    over = shipment_check(30_050, 10_000_000, 9_969_951)
    assert (over.headroom_after, over.fits) == (-1, False)
    no_limit = shipment_check(30_050, None, 100_000)
    assert (no_limit.new_balance, no_limit.fits, no_limit.headroom_after) == (130_050, None, None)
    zero_limit = shipment_check(0, 0, 1)
    assert (zero_limit.fits, zero_limit.usage_pct_after) == (False, None)
    with pytest.raises(ValueError, match="negative"):
        shipment_check(0, 100, -1)


# -- the readers, the contracts frame and the timeline on the fixture warehouse -------------------


@pytest.fixture
def fixture_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}", pooled=False)
    ensure_schema(engine)
    load_paths(engine, [source(tmp_path)])
    yield engine
    engine.dispose()


def test_settled_shipments_and_profile(fixture_engine: Engine) -> None:
    with fixture_engine.connect() as conn:
        settled = settled_shipments(conn, date_from=date(2025, 1, 1), as_of=AS_OF, scope=K1)
        early = settled_shipments(conn, date_from=date(2025, 1, 1), as_of=date(2025, 2, 3), scope=K1)
        profile = counterparty_profile(conn, counterparty_id="K2")
        hidden = counterparty_profile(conn, counterparty_id="K2", scope=K1)
    assert settled.select("document_id", "settled_date").rows() == [
        ("S1", date(2025, 2, 1)),
        ("S3", date(2025, 2, 5)),
    ]
    assert early["document_id"].to_list() == ["S1"]  # S3 was still open on 03.02.2025
    assert profile.row(0, named=True) == {
        "counterparty_id": "K2",
        "name": "ИП Петров Пётр Петрович",
        "inn": "500100732259",
        "kpp": "",
        "manager": "Сидоров С.С.",
        "group": "Розница",
        "email": "petrov@mail.ru; p2@mail.ru",
    }
    assert hidden.height == 0


def test_contracts_with_balances_keeps_contracts_with_nothing_open(fixture_engine: Engine) -> None:
    with fixture_engine.connect() as conn:
        k1 = contracts_with_balances(contract_details(conn, K1), receivables_by_contract(conn, as_of=AS_OF, scope=K1))
        k2_scope = Scope(counterparty_ids=("K2",))
        # 30.06.2025: S4 is not shipped yet, so C3 has its whole limit free.
        k2 = contracts_with_balances(
            contract_details(conn, k2_scope), receivables_by_contract(conn, as_of=date(2025, 6, 30), scope=k2_scope)
        )
    assert k1.select("contract_number", "balance", "credit_limit", "usage_pct", "headroom").rows() == [
        ("Д-1/25", 30_050, 10_000_000, Decimal("0.3"), 9_969_950),
        ("Д-2/25", 0, None, None, None),
    ]
    assert k2.select("contract_number", "balance", "usage_pct", "headroom", "max_days_overdue").rows() == [
        ("П-7", 0, Decimal("0.0"), 500_050, 0)
    ]


def test_timeline_follows_the_act(fixture_engine: Engine) -> None:
    with fixture_engine.connect() as conn:
        statement = act(conn, counterparty_id="K1", date_from=date(2025, 1, 1), date_to=AS_OF)
    assert daily_balance(statement).rows() == [
        (date(2025, 1, 1), 0),
        (date(2025, 1, 10), 100_000),
        (date(2025, 1, 15), 130_050),
        (date(2025, 1, 20), 180_050),
        (date(2025, 2, 1), 60_050),
        (date(2025, 2, 5), 20_050),
        (date(2025, 12, 2), 30_050),
        (AS_OF, 30_050),
    ]
    assert monthly_flows(statement).rows() == [
        (date(2025, 1, 1), 180_050, 0),
        (date(2025, 2, 1), 0, 160_000),
        (date(2025, 12, 1), 10_000, 0),
    ]
    figure = timeline(statement, {"shipments": "Отгрузки", "payments": "Оплаты", "balance": "Сальдо"})
    assert [trace.name for trace in figure.data] == ["Отгрузки", "Оплаты", "Сальдо"]
    assert list(figure.data[1].y) == [0.0, -1600.0, 0.0]


# -- the page ---------------------------------------------------------------------------------------


def page(counterparty_id: str = "K1", language: str = "ru", contract_id: str = "") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "counterparty.py"), default_timeout=60)
    filters = Filters(
        as_of=AS_OF, currency="RUB", manager="", group="", counterparty_id=counterparty_id, contract_id=contract_id
    )
    test.session_state["page_context"] = PageContext(language, filters)
    return test


def test_empty_warehouse_says_so(app_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert any("Хранилище пусто" in info.value for info in test.info)


def test_card_of_the_sidebar_counterparty(loaded_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert test.title[0].value == "ООО «Ромашка»"
    header = test.caption[0].value
    for fact in ("K1", "ИНН 7707083893", "Менеджер: Иванов И.И.", "Группа: Сети", "buh@romashka.ru"):
        assert fact in header
    tiles = {m.label: m.value for m in test.metric}
    assert tiles["Сальдо"] == f"301{NB}₽"  # 300,50 in whole rubles on a tile
    assert tiles["Просрочено"] == f"201{NB}₽"  # 200,50
    assert tiles["Не наступил срок"] == f"100{NB}₽"
    assert tiles["Аванс"] == f"0{NB}₽"
    assert tiles["Макс. дней просрочки"] == "315"
    # S2, 315 days overdue and still unpaid, counts as late so far: before, the card said 3,5 days late.
    assert tiles["Опоздание в среднем, дн."] == "107,3"
    assert tiles["Оплачено в срок"] == f"33,3{NB}%"
    assert tiles["Отгрузок учтено"] == "3"
    assert "ещё не оплаченные после срока (1)" in " ".join(c.value for c in test.caption)
    assert "Самое долгое опоздание: 315 дн." in " ".join(c.value for c in test.caption)

    contracts = test.dataframe[0].value
    assert list(contracts["contract_number"]) == ["Д-1/25", "Д-2/25"]
    assert [str(v) for v in contracts["balance"]] == ["300.50", "0.00"]
    assert [str(v) for v in contracts["headroom"]] == ["99699.50", "None"]
    assert contracts["usage_pct"][0] == f"0,3{NB}%"
    assert contracts["usage_pct"].isna()[1]  # no limit, no share
    documents = test.dataframe[1].value
    assert list(documents["document_id"]) == ["S2", "S5"]
    assert [str(v) for v in documents["open_amount"]] == ["200.50", "100.00"]
    assert len(test.get("plotly_chart")) == 1
    # The act page is not in this test's navigation: a caption instead of a broken link.
    assert any("акта сверки" in c.value for c in test.caption)
    labels = [b.proto.label for b in test.get("download_button")]
    assert labels == ["Скачать Excel", "Скачать Excel", "Выписка за 12 месяцев (Excel)"]


def test_what_if_a_shipment_today(loaded_db: str) -> None:
    test = page().run()
    assert not test.exception
    # Before any amount: K1 is on the stop-list as of the card's date, and the way to the list.
    assert [e.value for e in test.error] == [K1_STOPPED]
    assert "Весь стоп-лист — на странице «Стоп-лист» (раздел «Кредитный контроль»)." in [c.value for c in test.caption]
    amount = test.text_input(key="counterparty_what_if_amount")
    amount.input("99 699,50").run()  # C1 reaches its limit exactly: still within it
    assert not test.exception
    assert test.success[0].value == (
        f"Правило стоп-листа «кредитный лимит» соблюдено: сальдо станет 100{NB}000,00{NB}₽ из 100{NB}000,00{NB}₽ "
        f"(100,0{NB}%), останется 0,00{NB}₽."
    )
    # S2 is overdue: any shipment to K1 today lands among the exceptions.
    assert test.warning[0].value.startswith(f"У контрагента просрочка 200,50{NB}₽")

    test.text_input(key="counterparty_what_if_amount").input("99699.51").run()
    # 300,50 + 99 699,51 = 100 000,01: one kopeck over the limit breaks the stop-list's credit_limit rule.
    assert [e.value for e in test.error] == [
        K1_STOPPED,
        f"Отгрузка нарушит правило стоп-листа «кредитный лимит»: лимит будет превышен на 0,01{NB}₽, "
        f"сальдо станет 100{NB}000,01{NB}₽ при лимите 100{NB}000,00{NB}₽.",
    ]

    test.selectbox(key="counterparty_what_if_contract").select("C2").run()
    assert test.info[0].value == f"У договора нет кредитного лимита: сальдо станет 99{NB}699,51{NB}₽."

    test.text_input(key="counterparty_what_if_amount").input("сто тысяч").run()
    assert test.error[1].value.startswith("Не понял сумму «сто тысяч»")


def test_what_if_without_the_stoplist_limit_rule(loaded_db: str, tmp_path: Path) -> None:
    # overdue_days 400: S2's 315 days do not stop K1; the amount rule does (200,50 > 100,00). The limit rule off:
    # the limit check is the contract's, not the stop-list's.
    (tmp_path / "receivables.toml").write_text(
        '[stoplist]\noverdue_days = 400\noverdue_amount = "100"\ncredit_limit = false\n', encoding="utf-8"
    )
    test = page().run()
    assert not test.exception
    assert test.error[0].value == (
        "На 31.12.2025 контрагент в стоп-листе (сумма просрочки): отгрузки остановлены. "
        "Просрочка 200,50 ₽ выше порога 100,00 ₽. Для снятия стопа оплатить 100,50 ₽."
    )
    test.text_input(key="counterparty_what_if_amount").input("99 699,50").run()
    assert test.success[0].value == (
        f"В пределах лимита: сальдо станет 100{NB}000,00{NB}₽ из 100{NB}000,00{NB}₽ (100,0{NB}%), останется 0,00{NB}₽."
    )
    test.text_input(key="counterparty_what_if_amount").input("99699.51").run()
    assert test.error[1].value.startswith(f"Лимит будет превышен на 0,01{NB}₽")


def test_not_on_the_stoplist(loaded_db: str) -> None:
    test = page(counterparty_id="K2").run()
    assert not test.exception
    assert test.success[0].value == "На 31.12.2025 контрагента нет в стоп-листе."  # S4: 29 days, not more than 30
    assert not test.error


def test_the_stoplist_is_the_counterpartys_whatever_the_contract_filter(loaded_db: str) -> None:
    # The sidebar's contract C2 has nothing overdue; the stop comes from S2 on C1 and holds for K1 as a whole.
    test = page(contract_id="C2").run()
    assert not test.exception
    assert test.error[0].value == K1_STOPPED


def test_the_stoplist_page_is_a_link_away(loaded_db: str) -> None:
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    test.query_params["as_of"] = "2025-12-31"
    test.query_params["counterparty"] = "K1"
    test.run()
    test.switch_page("pages/counterparty.py").run()
    assert not test.exception
    assert test.title[0].value == "ООО «Ромашка»"
    assert [link.proto.label for link in test.get("page_link")] == ["Стоп-лист", "Акт сверки"]


def test_choosing_a_counterparty_on_the_card(loaded_db: str) -> None:
    test = page(counterparty_id="").run()
    assert not test.exception
    assert test.title[0].value == "Карточка контрагента"
    picker = test.selectbox(key="counterparty_pick")
    assert picker.options == ["ИП Петров Пётр Петрович (K2)", "ООО «Ромашка» (K1)"]
    picker.select("K2").run()
    assert not test.exception
    assert test.title[0].value == "ИП Петров Пётр Петрович"
    assert test.session_state["filter_counterparty"] == "K2"  # the sidebar follows the card's choice
    tiles = {m.label: m.value for m in test.metric}
    assert tiles["Просрочено"] == f"200{NB}₽"
    assert tiles["Макс. дней просрочки"] == "29"
    # K2 never paid: S4, 29 days overdue, is its whole payment record so far.
    assert tiles["Опоздание в среднем, дн."] == "29,0"
    assert tiles["Оплачено в срок"] == f"0,0{NB}%"


def test_unknown_counterparty(loaded_db: str) -> None:
    test = page(counterparty_id="K9").run()
    assert not test.exception
    assert test.warning[0].value.startswith("Контрагент не найден")


def test_in_english(loaded_db: str) -> None:
    test = page(language="en").run()
    assert not test.exception
    tiles = {m.label: m.value for m in test.metric}
    assert tiles["Balance"] == "301 RUB"
    assert tiles["Average days late"] == "107.3"
    assert tiles["Paid on time"] == "33.3%"
    assert test.subheader[0].value == "Payment behaviour"
    assert test.error[0].value == (
        "As of 2025-12-31 the counterparty is on the stop list (days overdue): shipments are stopped. "
        "Overdue more than 30 d: 200.50 RUB (max 315 d). Pay 200.50 RUB to release."
    )
    test.text_input(key="counterparty_what_if_amount").input("99699.51").run()
    assert test.error[1].value == (
        "The shipment would break the stop-list rule “credit limit”: the limit would be exceeded by 0.01 RUB, "
        "the balance becomes 100,000.01 RUB against a limit of 100,000.00 RUB."
    )
