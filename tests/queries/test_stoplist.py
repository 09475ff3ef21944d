"""The stop-list: query, config, CLI and page, hand-computed on the small ledger of tests/helpers/ledgers.py.

The ledger (tests/helpers/ledgers.py): K1 «Ромашка» (manager Иванов И.И.): C1 (limit 100 000,00, 30 calendar
days) S1 1000.00 due 10.02.2025, S2 500.00 due 19.02.2025, S5 100.00 of 02.12.2025 due 12.01.2026; C2 (no
limit) S3 300.50 due 29.01.2025; P1 1200.00 on C1 (01.02.2025) closes S1 and 200.00 of S2; P2 400.00 without
contract (05.02.2025) closes S3 and 99.50 of S2: S2 keeps 200.50 open. K2 «Петров» (manager Сидоров С.С.):
C3 (limit 5 000,50, terms 0) S4 200.00 of 02.12.2025, due that day.

Default rules (more than 30 days overdue stops; no amount threshold; credit limits on):
  31.12.2025: K1 only: S2 is 315 days overdue -> to_release 200.50 (= S2); overdue 200.50, balance 300.50
      (S2 + S5). K2's S4 is 29 days overdue: not yet.
  01.01.2026: S4 is 30 days overdue, not more than 30: K2 still not stopped.
  02.01.2026: S4 31 days -> K2 stopped, to_release 200.00; K1 first (200.50 > 200.00), max days 317.
Amount rule (overdue_days 60, overdue_amount 100.00) on 31.03.2025: K1 owes S2 200.50 (40 days overdue, under
  60): overdue 200.50 > 100.00 -> to_release 200.50 - 100.00 = 100.50.
Credit limit with C1's limit lowered to 1 000,00 on 31.01.2025: C1 balance S1 + S2 = 1500.00, over by 500.00;
  C2 300.50 (S3, 2 days overdue): balance 1800.50, overdue 300.50, to_release = over_limit = 500.00.
All three with C1's limit at 150,00 on 31.03.2025 (overdue_days 30, overdue_amount 100.00): S2 200.50 is 40 days
  overdue (200.50), overdue above 100.00 by 100.50, C1 balance 200.50 over 150.00 by 50.50:
  to_release = max(200.50, 100.50, 50.50) = 200.50.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboard.services import settings
from dashboard.services.reports import build_report
from dashboard.services.settings import Config
from dashboard.services.wording import stoplist_worded
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from queries.scope import Scope
from queries.stoplist import STOPLIST_SCHEMA, StopRules, stoplist
from tests.helpers.cli import invoke
from tests.helpers.ledgers import CONTRACTS, source, write_files
from tests.helpers.paths import ROOT

NB = "\u00a0"

COLUMNS = ["counterparty_id", "reasons", "overdue", "max_days_overdue", "balance", "over_limit", "to_release"]


def rows(engine: Engine, as_of: date, **kwargs: object) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        found = stoplist(conn, as_of=as_of, **kwargs)  # type: ignore[arg-type]
    assert found.schema == STOPLIST_SCHEMA
    return list(found.select(COLUMNS).iter_rows())


def with_c1_limit(tmp_path: Path, limit: str) -> Path:
    """The small ledger with C1's credit limit (in rubles) replaced."""
    folder = source(tmp_path)
    contracts = CONTRACTS.replace(
        "C1,K1,Д-1/25,2025-01-01,RUB,30,calendar,100000", f"C1,K1,Д-1/25,2025-01-01,RUB,30,calendar,{limit}"
    )
    assert contracts != CONTRACTS
    write_files(folder, {"contracts.csv": contracts})
    return folder


@pytest.fixture
def small(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


# ------------------------------------------------------------------------------------------ the query


def test_overdue_days_rule_stops_k1_at_year_end(small: Engine) -> None:
    assert rows(small, date(2025, 12, 31)) == [("K1", "overdue_days", 20_050, 315, 30_050, 0, 20_050)]
    with small.connect() as conn:
        found = stoplist_worded(stoplist(conn, as_of=date(2025, 12, 31)), StopRules())
    one = found.row(0, named=True)
    assert (one["counterparty_name"], one["manager"], one["currency"]) == ("ООО «Ромашка»", "Иванов И.И.", "RUB")
    assert one["detail"] == (
        f"Просрочено более 30 дн.: 200,50{NB}₽ (макс. 315 дн.). Для снятия стопа оплатить 200,50{NB}₽.".replace(NB, " ")
    )
    assert one["detail_en"] == "Overdue more than 30 d: 200.50 RUB (max 315 d). Pay 200.50 RUB to release."


def test_more_than_n_days_and_order_by_to_release(small: Engine) -> None:
    # S4 (due 02.12.2025) is exactly 30 days overdue on 01.01.2026: not more than 30.
    assert [r[0] for r in rows(small, date(2026, 1, 1))] == ["K1"]
    assert rows(small, date(2026, 1, 2)) == [
        ("K1", "overdue_days", 20_050, 317, 30_050, 0, 20_050),
        ("K2", "overdue_days", 20_000, 31, 20_000, 0, 20_000),
    ]
    # Nothing is more than 400 days overdue.
    assert rows(small, date(2026, 1, 2), rules=StopRules(overdue_days=400)) == []


def test_nothing_overdue_nothing_stopped(small: Engine) -> None:
    assert rows(small, date(2025, 1, 20)) == []
    assert rows(small, date(2024, 12, 31)) == []


def test_overdue_amount_rule(small: Engine) -> None:
    rules = StopRules(overdue_days=60, overdue_amount=10_000)
    assert rows(small, date(2025, 3, 31), rules=rules) == [("K1", "overdue_amount", 20_050, 40, 20_050, 0, 10_050)]
    with small.connect() as conn:
        detail = stoplist_worded(stoplist(conn, as_of=date(2025, 3, 31), rules=rules), rules)["detail"][0]
    assert detail == "Просрочка 200,50 ₽ выше порога 100,00 ₽. Для снятия стопа оплатить 100,50 ₽."
    # Not above the threshold (equal to it), and the days rule not broken either: nobody.
    assert rows(small, date(2025, 3, 31), rules=StopRules(overdue_days=60, overdue_amount=20_050)) == []
    # overdue_amount 0 turns the rule off.
    assert rows(small, date(2025, 3, 31), rules=StopRules(overdue_days=60)) == []


def test_credit_limit_rule(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [with_c1_limit(tmp_path, "1000")])
    assert rows(engine, date(2025, 1, 31)) == [("K1", "credit_limit", 30_050, 2, 180_050, 50_000, 50_000)]
    with engine.connect() as conn:
        detail = stoplist_worded(stoplist(conn, as_of=date(2025, 1, 31)), StopRules())["detail_en"][0]
    assert detail == "Credit limit exceeded by 500.00 RUB. Pay 500.00 RUB to release."
    assert rows(engine, date(2025, 1, 31), rules=StopRules(credit_limit=False)) == []


def test_all_three_rules_take_the_largest(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [with_c1_limit(tmp_path, "150")])
    rules = StopRules(overdue_days=30, overdue_amount=10_000)
    assert rows(engine, date(2025, 3, 31), rules=rules) == [
        ("K1", "overdue_days,overdue_amount,credit_limit", 20_050, 40, 20_050, 5_050, 20_050)
    ]


def test_scope_a_manager_sees_only_theirs(small: Engine) -> None:
    assert [r[0] for r in rows(small, date(2026, 1, 2), scope=Scope.for_manager("Сидоров С.С."))] == ["K2"]
    assert [r[0] for r in rows(small, date(2026, 1, 2), scope=Scope.for_manager("Иванов И.И."))] == ["K1"]
    assert rows(small, date(2026, 1, 2), scope=Scope.for_manager("Никто")) == []
    assert rows(small, date(2026, 1, 2), scope=Scope(currencies=("USD",))) == []


def test_rules_are_checked() -> None:
    with pytest.raises(ValueError, match="overdue_days"):
        StopRules(overdue_days=-1)
    with pytest.raises(ValueError, match="overdue_amount"):
        StopRules(overdue_amount=-5)
    assert hash(StopRules()) == hash(StopRules())  # the loaders cache on it


def test_report_names_money_columns_and_title(small: Engine) -> None:
    with small.connect() as conn:
        report = build_report(conn, "stoplist", {"as_of": date(2026, 1, 2)}, stop_rules=StopRules())
    assert report.money == ("overdue", "balance", "over_limit", "to_release")
    assert report.title == "Стоп-лист на 02.01.2026"
    assert report.frame["to_release"].to_list() == [20_050, 20_000]


# ------------------------------------------------------------------------------------------ the config


def test_rules_from_config() -> None:
    assert settings.stop_rules(Config()) == StopRules()
    config = Config(raw={"stoplist": {"overdue_days": 45, "overdue_amount": "1 000,50", "credit_limit": False}})
    assert settings.stop_rules(config) == StopRules(overdue_days=45, overdue_amount=100_050, credit_limit=False)
    assert settings.stop_rules(Config(raw={"stoplist": {"overdue_amount": 1000.5}})).overdue_amount == 100_050
    assert settings.stop_rules(Config(raw={"stoplist": {"overdue_amount": 250}})).overdue_amount == 25_000


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"overdue_dayz": 10}, r"unknown setting in \[stoplist\]: overdue_dayz"),
        ({"overdue_amount": "много"}, r"\[stoplist\] overdue_amount"),
        ({"overdue_amount": -100}, r"\[stoplist\] overdue_amount"),
        ({"overdue_days": "ten"}, r"\[stoplist\] overdue_days"),
        ({"overdue_days": -3}, r"\[stoplist\] overdue_days"),
        ({"credit_limit": "yes"}, r"\[stoplist\] credit_limit"),
    ],
)
def test_bad_config_is_a_clear_error(section: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        settings.stop_rules(Config(raw={"stoplist": section}))


# ------------------------------------------------------------------------------------------ the CLI


def test_cli_export_stoplist(small_ledger: str, tmp_path: Path) -> None:
    db_url = small_ledger
    out = tmp_path / "stoplist.csv"
    done = invoke("export", "stoplist", "--as-of", "2026-01-02", "--db", db_url, "-o", str(out))
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [
            "counterparty_id",
            "counterparty_name",
            "manager",
            "currency",
            "reasons",
            "overdue",
            "max_days_overdue",
            "balance",
            "over_limit",
            "to_release",
            "detail",
            "detail_en",
            "released_until",
            "release_reason",
            "released_by",
        ]
        found = list(reader)
    assert [(r["counterparty_id"], r["reasons"], r["overdue"], r["balance"], r["to_release"]) for r in found] == [
        ("K1", "overdue_days", "200.50", "300.50", "200.50"),
        ("K2", "overdue_days", "200.00", "200.00", "200.00"),
    ]
    assert [r["max_days_overdue"] for r in found] == ["317", "31"]
    assert [r["over_limit"] for r in found] == ["0.00", "0.00"]

    # The config's [stoplist] rules apply: a 200.00 threshold instead of days; only K1 (200.50) is above it.
    config = tmp_path / "receivables.toml"
    config.write_text('[stoplist]\noverdue_days = 400\noverdue_amount = "200"\n', encoding="utf-8")
    done = invoke(
        "export", "stoplist", "--as-of", "2026-01-02", "--db", db_url, "--config", str(config), "-o", str(out)
    )
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8") as handle:
        found = list(csv.DictReader(handle))
    assert [(r["counterparty_id"], r["reasons"], r["to_release"]) for r in found] == [("K1", "overdue_amount", "0.50")]

    xlsx = tmp_path / "stoplist.xlsx"
    assert invoke("export", "stoplist", "--as-of", "2026-01-02", "--db", db_url, "-o", str(xlsx)).returncode == 0
    assert xlsx.read_bytes()[:2] == b"PK"


def test_cli_bad_stoplist_config_fails_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "receivables.toml"
    config.write_text("[stoplist]\nstop_days = 10\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'w.db'}"
    done = invoke("export", "stoplist", "--db", db, "--config", str(config), "-o", str(tmp_path / "s.csv"))
    assert done.returncode == 1
    assert "unknown setting in [stoplist]: stop_days" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------------------------------ the page


def page(language: str = "ru", as_of: date = date(2026, 1, 2), manager: str = "") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "stoplist.py"), default_timeout=60)
    filters = Filters(as_of=as_of, currency="RUB", manager=manager, group="", counterparty_id="", contract_id="")
    test.session_state["page_context"] = PageContext(language, filters)
    return test


def test_page_empty_warehouse(app_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert any("Хранилище пусто" in info.value for info in test.info)


def test_page_lists_who_to_stop(loaded_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert test.title[0].value == "Стоп-лист"
    assert test.caption[0].value.startswith(
        "Отгрузки останавливаются, если у контрагента долг, просроченный более чем на 30 дн. или договор с сальдо"
    )
    metrics = {m.label: m.value for m in test.metric}
    assert metrics["Контрагентов в стоп-листе"] == "2"
    assert metrics["К оплате для снятия, всего"] == f"400,50{NB}₽"
    table = test.dataframe[0].value
    assert list(table["counterparty_name"]) == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert [str(v) for v in table["to_release"]] == ["200.50", "200.00"]
    assert list(table["reasons"]) == ["срок просрочки", "срок просрочки"]
    assert list(table["max_days_overdue"]) == [317, 31]
    # The amount that lifts the stop comes right after the name, the long explanation last.
    assert list(table.columns)[:4] == ["card", "counterparty_name", "to_release", "overdue"]
    assert list(table.columns)[-1] == "detail"


def test_page_in_english_and_for_a_manager(loaded_db: str) -> None:
    test = page("en", manager="Сидоров С.С.").run()
    assert not test.exception
    assert test.title[0].value == "Stop list"
    metrics = {m.label: m.value for m in test.metric}
    assert metrics["Counterparties stopped"] == "1"
    assert metrics["To release, total"] == "200.00 RUB"
    table = test.dataframe[0].value
    assert list(table["counterparty_name"]) == ["ИП Петров Пётр Петрович"]
    assert list(table["reasons"]) == ["days overdue"]
    assert table["detail_en"][0] == "Overdue more than 30 d: 200.00 RUB (max 31 d). Pay 200.00 RUB to release."


def test_page_follows_config_rules(loaded_db: str, tmp_path: Path) -> None:
    (tmp_path / "receivables.toml").write_text(
        "[stoplist]\noverdue_days = 400\noverdue_amount = 1000\ncredit_limit = false\n", encoding="utf-8"
    )
    test = page().run()
    assert not test.exception
    assert "просрочка больше 1" in test.caption[0].value
    assert "кредитного лимита" not in test.caption[0].value
    assert test.success[0].value == "На 02.01.2026 останавливать отгрузки некому."


def test_page_is_in_the_router(loaded_db: str) -> None:
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    test.query_params["as_of"] = "2026-01-02"
    test.run()
    test.switch_page("pages/stoplist.py").run()
    assert not test.exception
    assert test.title[0].value == "Стоп-лист"
