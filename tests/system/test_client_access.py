"""Access control for a client of ours (`role = "client"`, contract section 5): the client K1 «Ромашка» of
the small ledger (tests/helpers/ledgers.py) signs in and sees only its own account, on every page it can
reach, in every download, through crafted links and in every CLI export, on SQLite and PostgreSQL.

The other client is K2 «ИП Петров Пётр Петрович» (its contract П-7, its shipment УПД-4, its manager Сидоров
С.С., its group Розница); a page or file that names any of them fails. Our internal words about K1 itself
(its manager Иванов И.И., its group Сети, its credit limit 100 000,00 on Д-1/25, its e-mail) must not show
either. Each check also asks for something of K1's own (its name, УПД-2, Д-1/25), so a page that shows
nothing cannot pass.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cli import main
from dashboard.services.access import User, auth_settings
from dashboard.services.settings import Config, ConfigError
from etl.load import load_paths
from queries.audit import audit_log
from tests.helpers.app_text import downloaded, file_text, page_text
from tests.helpers.ledgers import source
from tests.helpers.paths import ROOT
from tests.helpers.templates import Templates
from warehouse.engine import ensure_schema, make_engine

AS_OF = date(2025, 12, 31)
CLIENT = "buh@romashka.ru"
CLIENT_PAGES = ("client_account.py", "payment_calendar.py", "act.py", "client_payments.py")
INTERNAL_PAGES = (
    "overview.py",
    "trend.py",
    "contracts.py",
    "aging.py",
    "exceptions.py",
    "worklist.py",
    "stoplist.py",
    "reminders.py",
    "counterparty.py",
    "data.py",
    "audit.py",
)
OTHER = ("Петров", "K2", "П-7", "УПД-4", "Сидоров", "Розница", "petrov@mail.ru")
INTERNAL = ("Иванов", "Сети", "100000", "100 000", "100\u00a0000", "buh@romashka.ru")
ON_SCREEN = ("Кредитный лимит", "Менеджер", "Группа")  # our sidebar's and tables' words: never on a client's page
CONFIG = """
[auth]
mode = "oidc"
[auth.users]
"cfo@firm.ru" = { role = "cfo", name = "Петрова А. В." }
"ivanov@firm.ru" = { role = "manager", manager = "Иванов И.И." }
"buh@romashka.ru" = { role = "client", counterparty = "K1", name = "Бухгалтерия Ромашки" }
"new@client.ru" = { role = "client", counterparty = "K9" }
"""


# The calendar as of 31.12.2025 (November to January): K1's S5 100,00 due 12.01.2026, and S2's 200,50 unpaid
# since 19.02.2025 before the months shown; K2's S4 200,00 due 02.12.2025 makes the CFO's December, not K1's.
CALENDAR_TILES = {
    "Ноябрь 2025: к оплате": "0\u00a0₽",
    "Декабрь 2025: к оплате": "0\u00a0₽",
    "Январь 2026: к оплате": "100\u00a0₽",
    "Просрочено до 01.11.2025": "201\u00a0₽",
}


def leaks(text: str, words: tuple[str, ...] = ()) -> list[str]:
    """What of another client, or of our internal notes and rules, the text names."""
    return [word for word in (*OTHER, *INTERNAL, *words) if word in text]


def shows_own(text: str) -> bool:
    return "Ромашка" in text and bool(re.search(r"УПД-[1235]|Д-1/25|Д-2/25", text))


@pytest.fixture
def app_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, templates: Templates) -> Iterator[str]:
    """The small ledger in a fresh warehouse (SQLite or PostgreSQL), a copy of one load_paths of it per session
    (tests/conftest.py Templates), and a receivables.toml with [auth]."""

    def build(url: str) -> None:
        engine = make_engine(url, pooled=False)
        ensure_schema(engine)
        load_paths(engine, [source(templates.folder / "small_ledger_paths")])
        engine.dispose()

    templates.copy("small_ledger_paths", db_url, build)
    monkeypatch.setenv("RECEIVABLES_DB_URL", db_url)
    monkeypatch.delenv("RECEIVABLES_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "receivables.toml").write_text(CONFIG, encoding="utf-8")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield db_url
    st.cache_resource.clear()
    st.cache_data.clear()


def signed_in(email: str, params: dict[str, str] | None = None) -> AppTest:
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    test.user = {"is_logged_in": True, "email": email}
    test.query_params["as_of"] = AS_OF.isoformat()
    for name, value in (params or {}).items():
        test.query_params[name] = value
    return test


def visit(email: str, page: str | None, params: dict[str, str] | None = None) -> AppTest:
    test = signed_in(email, params).run()
    assert not test.exception, test.exception
    if page is not None:
        test.switch_page(f"pages/{page}").run()
        assert not test.exception, (page, test.exception)
    return test


# ------------------------------------------------------------------------------------ the pages


@pytest.mark.parametrize("page", CLIENT_PAGES)
def test_a_client_sees_only_its_own_account_on_every_page_and_download(
    app_env: str, downloads: dict[str, Callable[[], object]], page: str
) -> None:
    test = visit(CLIENT, page)
    text = page_text(test)
    assert leaks(text, ON_SCREEN) == []
    if page == "payment_calendar.py":
        assert {m.label: m.value for m in test.metric} == CALENDAR_TILES
        cfo = {m.label: m.value for m in visit("cfo@firm.ru", page).metric}
        assert cfo["Декабрь 2025: к оплате"] == "200\u00a0₽"  # the check can fail
    else:
        assert shows_own(text), page
    files = downloaded(test, downloads)
    assert files, page  # every client page offers its data as a file
    for label, contents in files.items():
        assert leaks(contents) == [], (page, label)
    if page == "act.py":
        assert shows_own(files["Скачать Excel"])
        assert set(files) == {"Скачать PDF", "Скачать Excel", "Скачать CSV"}  # no batch of acts
    if page == "client_account.py":
        assert "УПД-2" in files["Скачать Excel+"]  # the unpaid documents' workbook


@pytest.mark.parametrize("page", [None, *CLIENT_PAGES])
def test_a_crafted_link_shows_a_client_nothing_of_another_client(
    app_env: str, downloads: dict[str, Callable[[], object]], page: str | None
) -> None:
    crafted = {"counterparty": "K2", "manager": "Сидоров С.С.", "group": "Розница", "contract": "C3"}
    test = visit(CLIENT, page, crafted)
    text = page_text(test)
    assert leaks(text, ON_SCREEN) == []
    if page == "payment_calendar.py":
        assert {m.label: m.value for m in test.metric} == CALENDAR_TILES
    else:
        assert shows_own(text), page
    for label, contents in downloaded(test, downloads).items():
        assert leaks(contents) == [], (page, label)
    # The link's filters are dropped, not kept for the next page.
    assert not {"counterparty", "manager", "group", "contract"} & set(test.query_params)


def test_a_clients_navigation_is_its_own_account_and_nothing_internal(app_env: str) -> None:
    test = visit(CLIENT, None)
    assert test.title[0].value == "ООО «Ромашка»: задолженность на 31.12.2025"  # the debts page opens first
    assert next(c.value for c in test.sidebar.caption) == "Вы вошли как **Бухгалтерия Ромашки** (клиент)"
    # The sidebar: the language, who signed in, the as-of date; no manager, group, counterparty or contract.
    assert [w.label for w in test.sidebar.selectbox] == []
    assert [w.label for w in test.sidebar.date_input] == ["На дату"]
    for page in INTERNAL_PAGES:
        with pytest.raises(Exception):  # noqa: B017, PT011 - st.navigation lists no such page for a client
            visit(CLIENT, None).switch_page(f"pages/{page}").run()
    # The CFO's navigation has no client pages in turn, and a direct run shows no account.
    with pytest.raises(Exception):  # noqa: B017, PT011
        visit("cfo@firm.ru", None).switch_page("pages/client_account.py").run()


def test_the_leak_check_can_fail_the_cfo_sees_both_clients(app_env: str) -> None:
    text = page_text(visit("cfo@firm.ru", "aging.py"))
    assert "Петров" in leaks(text)
    assert "Иванов" in leaks(text)


def test_a_client_unknown_to_the_warehouse_gets_an_empty_account(app_env: str) -> None:
    for page in (None, *CLIENT_PAGES):
        test = visit("new@client.ru", page)
        text = page_text(test)
        assert leaks(text, ON_SCREEN) == [], page
        assert "Ромашка" not in text, page
        assert not test.dataframe, page
        assert not test.get("download_button"), page
        assert any("контрагент «K9»" in info.value for info in test.info), page


def test_a_client_without_a_counterparty_is_a_config_error_naming_it(app_env: str, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"'x@client\.ru' has role client but no counterparty"):
        auth_settings(Config(raw={"auth": {"mode": "header", "users": {"x@client.ru": {"role": "client"}}}}))
    (tmp_path / "receivables.toml").write_text(CONFIG + '"x@client.ru" = { role = "client" }\n', encoding="utf-8")
    st.cache_resource.clear()
    test = signed_in(CLIENT).run()
    assert "x@client.ru" in test.error[0].value
    assert not test.dataframe


def test_a_clients_download_is_in_the_audit_log_as_the_client(
    app_env: str, downloads: dict[str, Callable[[], object]]
) -> None:
    files = downloaded(visit(CLIENT, "client_payments.py"), downloads)
    assert set(files) == {"Скачать Excel", "Скачать CSV"}
    engine = make_engine(app_env, pooled=False)
    with engine.connect() as conn:
        log = audit_log(conn, date_from=date.today(), date_to=date.today())
        own = audit_log(
            conn, date_from=date.today(), date_to=date.today(), scope=User(CLIENT, "client", counterparty="K1").scope
        )
    engine.dispose()
    exports = log.filter(pl.col("action") == "export")
    assert sorted(exports["subject"].to_list()) == ["payments_20241231_20251231.csv", "payments_20241231_20251231.xlsx"]
    assert set(exports["user"].to_list()) == {CLIENT}
    assert set(exports["role"].to_list()) == {"client"}
    assert own.height == 0  # the client reads nothing of the log


# ------------------------------------------------------------------------------------ the CLI

ALLOWED = {
    "aging": ["--as-of", AS_OF.isoformat()],
    "calendar": ["--as-of", AS_OF.isoformat(), "--from", "2025-01-01", "--to", "2026-03-31"],
    "trend": ["--from", "2025-01-01", "--to", AS_OF.isoformat(), "--freq", "month"],
}


@pytest.mark.parametrize("report", list(ALLOWED))
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_cli_export_as_a_client_holds_only_its_own(
    app_env: str, tmp_path: Path, report: str, suffix: str
) -> None:
    mine, everyone = tmp_path / f"mine{suffix}", tmp_path / f"all{suffix}"
    assert main(["export", report, *ALLOWED[report], "--as-user", CLIENT, "-o", str(mine)]) == 0
    assert main(["export", report, *ALLOWED[report], "-o", str(everyone)]) == 0
    contents, all_contents = file_text(mine.read_bytes()), file_text(everyone.read_bytes())
    assert leaks(contents) == []
    assert contents != all_contents  # the company's figures are not the client's
    if report == "aging":
        assert "Ромашка" in contents
        assert "Д-1/25" in contents
        assert "Петров" in all_contents
        assert "100000" in all_contents
    if report == "calendar" and suffix == ".csv":
        # K1's days: S2 200,50 (19.02.2025) and S5 100,00 (12.01.2026); K2's 02.12.2025 is not there.
        assert "2025-02-19,200.50,1" in contents
        assert "2026-01-12,100.00,1" in contents
        assert "2025-12-02" not in contents
        assert "2025-12-02" in all_contents


def test_cli_aging_for_a_client_leaves_the_credit_limit_empty(app_env: str, tmp_path: Path) -> None:
    """C1's limit 100 000,00 is our rule: the column stays (the contract's columns), its value is empty."""
    output = tmp_path / "aging.csv"
    assert main(["export", "aging", "--as-of", AS_OF.isoformat(), "--as-user", CLIENT, "-o", str(output)]) == 0
    rows = pl.read_csv(output, infer_schema=False)
    assert rows["counterparty_id"].to_list() == ["K1"]
    assert rows["contract_number"].to_list() == ["Д-1/25"]
    assert rows["balance"].to_list() == ["300.50"]  # S2 200,50 + S5 100,00
    assert rows["credit_limit"].to_list() == [None]


@pytest.mark.parametrize("report", ["exceptions", "worklist", "stoplist", "rejects"])
def test_cli_refuses_a_client_our_internal_lists(
    app_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], report: str
) -> None:
    as_of = [] if report == "rejects" else ["--as-of", AS_OF.isoformat()]
    output = tmp_path / f"{report}.csv"
    assert main(["export", report, *as_of, "--as-user", CLIENT, "-o", str(output)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        f"receivables: {CLIENT} is a client: export {report} is not available to a client "
        "(a client exports only its own aging, act, calendar, trend and reconciles its own act)"
    )
    assert not output.exists()


def test_cli_refuses_a_client_reminders_and_notes(app_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["remind", "--as-of", AS_OF.isoformat(), "--as-user", CLIENT]) == 1
    assert "remind is not available to a client" in capsys.readouterr().err
    note = ["note", "--counterparty", "K1", "--kind", "call", "--text", "x", "--as-user", CLIENT]
    assert main(note) == 1
    assert "note is not available to a client" in capsys.readouterr().err


def test_cli_acts_as_a_client(app_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    period = ["--from", "2025-01-01", "--to", AS_OF.isoformat(), "--as-user", CLIENT]
    own = tmp_path / "own.xlsx"
    assert main(["export", "act", "--counterparty", "K1", *period, "-o", str(own)]) == 0
    contents = file_text(own.read_bytes())
    assert shows_own(contents)
    assert leaks(contents) == []
    # Another client's act is unknown to this client: refused, no file, nothing of it said.
    for name in ("other.xlsx", "other.csv", "other.pdf"):
        assert main(["export", "act", "--counterparty", "K2", *period, "-o", str(tmp_path / name)]) == 1
        assert not (tmp_path / name).exists()
    err = capsys.readouterr().err
    assert "K2" in err
    assert "Петров" not in err
    batch = tmp_path / "acts.zip"
    assert main(["export", "act", "--all", "--format", "xlsx", *period, "-o", str(batch)]) == 0
    everything = file_text(batch.read_bytes())
    assert shows_own(everything)
    assert leaks(everything) == []


def test_cli_reconciles_a_clients_own_act_and_no_other(
    app_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A client reconciles its own act against its copy, as its act page lets it; another client's is unknown."""
    period = ["--from", "2025-01-01", "--to", AS_OF.isoformat(), "--as-user", CLIENT]
    act_csv = tmp_path / "act.csv"
    assert main(["export", "act", "--counterparty", "K1", *period, "-o", str(act_csv)]) == 0
    # The client's copy agreeing with ours to the kopeck: our CSV act with debit and credit swapped (their
    # debit is our credit), laid out with 1C's headings.
    titles = {"opening": "Сальдо начальное", "turnover": "Обороты за период", "closing": "Сальдо конечное"}
    with act_csv.open(encoding="utf-8", newline="") as source_file:
        ours = list(csv.DictReader(source_file))
    theirs = ["Дата;Документ;Дебет;Кредит"] + [
        ";".join((row["date"], titles.get(row["kind"], row["document"]).replace(";", ","), row["credit"], row["debit"]))
        for row in ours
    ]
    copy = tmp_path / "their_act.csv"
    copy.write_text("\n".join(theirs), encoding="utf-8")
    report = tmp_path / "reconciliation.csv"
    assert main(["reconcile", "--counterparty", "K1", *period, str(copy), "-o", str(report)]) == 0
    rows = report.read_text(encoding="utf-8").splitlines()
    assert rows[-1].startswith("balance,")
    assert rows[-1].endswith(",0.00")
    assert {row.split(",")[0] for row in rows[1:-1]} == {"matched"}
    assert "УПД-1" in report.read_text(encoding="utf-8")  # K1's own documents (its name is not in the table)
    assert leaks(report.read_text(encoding="utf-8")) == []
    refused = tmp_path / "other.csv"
    assert main(["reconcile", "--counterparty", "K2", *period, str(copy), "-o", str(refused)]) == 1
    assert not refused.exists()
    assert "Петров" not in capsys.readouterr().err
