"""Access control: a manager sees only the counterparties whose manager is theirs, on every page, in
every download and in every CLI export, whatever the link asks for; who did what lands in the audit log.

The warehouse is a demo (three managers and more); the manager under test is the one with the most
counterparties. "Another manager's counterparty" is its id (K0123) or its name, and another manager's
name; a page or file that shows any of them fails the test. Each check also asks for something of the
manager's own, so a page that shows nothing cannot pass by accident.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

import warehouse
from cli import main
from dashboard.services.access import User, auth_settings
from etl.demo import COMPANY_INN, write_demo_source
from etl.load import load_paths
from queries.aging import aging
from queries.audit import audit_log
from queries.scope import Scope
from tests.helpers.app_text import downloaded, file_text, page_text
from tests.helpers.paths import ROOT
from warehouse.engine import ensure_schema, make_engine

END = date(2026, 6, 30)
AS_OF = END
PAGES = (
    "overview.py",
    "trend.py",
    "payment_calendar.py",
    "contracts.py",
    "aging.py",
    "exceptions.py",
    "worklist.py",
    "stoplist.py",
    "reminders.py",
    "counterparty.py",
    "act.py",
)


@pytest.fixture(scope="module")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[tuple[str, str]]]]:
    """A demo warehouse file, and manager -> [(counterparty id, name)]."""
    folder = tmp_path_factory.mktemp("access")
    write_demo_source(folder / "src", scale=1500, seed=3, end=END)
    path = folder / "warehouse.db"
    engine = make_engine(f"sqlite:///{path}", pooled=False)
    ensure_schema(engine)
    load_paths(engine, [folder / "src"], company_inn=COMPANY_INN)
    c = warehouse.counterparties
    with engine.connect() as conn:
        rows = conn.execute(select(c.c.manager, c.c.counterparty_id, c.c.name)).all()
    engine.dispose()
    by_manager: dict[str, list[tuple[str, str]]] = {}
    for manager, counterparty_id, name in rows:
        by_manager.setdefault(manager, []).append((counterparty_id, name))
    return path, by_manager


class Visibility:
    """The manager under test: their counterparties, and everything another manager owns."""

    def __init__(self, by_manager: dict[str, list[tuple[str, str]]]) -> None:
        self.manager = max(by_manager, key=lambda m: (len(by_manager[m]), m))
        self.own = by_manager[self.manager]
        own_names = [name for _, name in self.own]
        self.others = [(i, n) for m, pairs in by_manager.items() if m != self.manager for i, n in pairs]
        self.other_ids = {i for i, _ in self.others}
        # A name that is part of one of ours (ИП Орлова inside ИП Орлова-Петрова) may appear legitimately.
        self.other_names = {n for _, n in self.others if not any(n in own for own in own_names)}
        self.other_managers = {m for m in by_manager if m != self.manager and m}

    def leaks(self, text: str) -> list[str]:
        found = sorted(set(re.findall(r"\bK\d{4}\b", text)) & self.other_ids)
        found += sorted(n for n in self.other_names if n in text)
        found += sorted(m for m in self.other_managers if m in text)
        return found

    def shows_own(self, text: str) -> bool:
        return any(i in text or n in text for i, n in self.own)


@pytest.fixture
def seen(demo_warehouse: tuple[Path, dict[str, list[tuple[str, str]]]]) -> Visibility:
    return Visibility(demo_warehouse[1])


def config_text(manager: str) -> str:
    return f"""
[auth]
mode = "oidc"
[auth.users]
"cfo@firm.ru" = {{ role = "cfo", name = "Петрова А. В." }}
"control@firm.ru" = {{ role = "controller" }}
"m1@firm.ru" = {{ role = "manager", manager = "{manager}", name = "Менеджер Один" }}
"""


@pytest.fixture
def app_env(
    demo_warehouse: tuple[Path, dict[str, list[tuple[str, str]]]],
    seen: Visibility,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    """A copy of the demo warehouse for the app, and a receivables.toml with [auth] in the working folder."""
    path = tmp_path / "warehouse.db"
    shutil.copy(demo_warehouse[0], path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("RECEIVABLES_DB_URL", url)
    monkeypatch.delenv("RECEIVABLES_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "receivables.toml").write_text(config_text(seen.manager), encoding="utf-8")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
    st.cache_data.clear()


def signed_in(email: str | None, params: dict[str, str] | None = None) -> AppTest:
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    test.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    test.query_params["as_of"] = AS_OF.isoformat()
    for name, value in (params or {}).items():
        test.query_params[name] = value
    return test


def visit(email: str, page: str, params: dict[str, str] | None = None) -> AppTest:
    test = signed_in(email, params).run()
    assert not test.exception, test.exception
    test.switch_page(f"pages/{page}").run()
    assert not test.exception, (page, test.exception)
    return test


# ------------------------------------------------------------------------------------ the pages


@pytest.mark.parametrize("page", PAGES)
def test_a_manager_sees_only_their_counterparties_on_every_page_and_download(
    app_env: str, seen: Visibility, downloads: dict[str, Callable[[], object]], page: str
) -> None:
    own_id = seen.own[0][0]
    params = {"counterparty": own_id} if page in ("counterparty.py", "act.py") else {}
    test = visit("m1@firm.ru", page, params)
    text = page_text(test)
    assert seen.leaks(text) == []
    if page in ("trend.py", "payment_calendar.py"):  # company-wide sums: the manager's are their own, smaller
        assert text != page_text(visit("cfo@firm.ru", page, params)).replace("Петрова А. В.", "Менеджер Один")
    else:
        assert seen.shows_own(text), page
    for label, contents in downloaded(test, downloads).items():
        assert seen.leaks(contents) == [], (page, label)


@pytest.mark.parametrize("page", PAGES)
def test_a_crafted_link_shows_a_manager_nothing_of_another_manager(
    app_env: str, seen: Visibility, downloads: dict[str, Callable[[], object]], page: str
) -> None:
    other_id, _ = seen.others[0]
    other_manager = sorted(seen.other_managers)[0]
    test = visit("m1@firm.ru", page, {"counterparty": other_id, "manager": other_manager, "contract": "C0001"})
    text = page_text(test)
    assert seen.leaks(text) == []
    for label, contents in downloaded(test, downloads).items():
        assert seen.leaks(contents) == [], (page, label)


def test_the_cfo_sees_everyone_so_the_leak_check_can_fail(app_env: str, seen: Visibility) -> None:
    text = page_text(visit("cfo@firm.ru", "aging.py"))
    assert seen.leaks(text)  # other managers' clients are there for the CFO
    first = signed_in("cfo@firm.ru").run()
    assert first.sidebar.caption[0].value == "Вы вошли как **Петрова А. В.** (финансовый директор)"
    assert not first.sidebar.warning  # no "sign-in not configured" warning


def test_a_manager_has_no_data_or_audit_page_and_a_direct_run_is_refused(app_env: str) -> None:
    test = signed_in("m1@firm.ru").run()
    assert not test.exception
    with pytest.raises(Exception):  # noqa: B017, PT011 - st.navigation lists no such page for a manager
        test.switch_page("pages/data.py").run()
    cfo = signed_in("cfo@firm.ru").run()
    cfo.switch_page("pages/audit.py").run()
    assert not cfo.exception
    assert cfo.title[0].value == "Журнал действий"
    controller = signed_in("control@firm.ru").run()
    assert controller.title[0].value == "Кому звонить"  # a controller's start page: the worklist
    assert test.title[0].value != "Кому звонить"  # everyone else's: the overview
    with pytest.raises(Exception):  # noqa: B017, PT011 - the audit log is the CFO's
        controller.switch_page("pages/audit.py").run()


def test_nobody_signed_in_sees_a_login_and_no_data(app_env: str, seen: Visibility) -> None:
    test = signed_in(None).run()
    assert not test.exception
    assert [b.label for b in test.button] == ["Войти"]
    text = page_text(test)
    assert seen.leaks(text) == []
    assert not seen.shows_own(text)
    assert not test.get("plotly_chart")
    assert "data-chart" not in text  # nor the overview's SVG charts
    assert not test.dataframe


def test_an_unlisted_account_is_refused_by_name(app_env: str, seen: Visibility) -> None:
    test = signed_in("stranger@else.ru").run()
    assert not test.exception
    assert "У учётной записи «stranger@else.ru» нет доступа" in test.error[0].value
    text = page_text(test)
    assert seen.leaks(text) == []
    assert not seen.shows_own(text)


def test_a_trusted_proxy_header_names_the_user(
    app_env: str, seen: Visibility, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "receivables.toml").write_text(
        config_text(seen.manager).replace('mode = "oidc"', 'mode = "header"\nheader = "X-Forwarded-Email"'),
        encoding="utf-8",
    )
    st.cache_resource.clear()
    import dashboard.ui.auth

    monkeypatch.setattr(
        dashboard.ui.auth, "_header", lambda name: "M1@Firm.ru" if name == "X-Forwarded-Email" else None
    )
    test = signed_in(None).run()
    test.switch_page("pages/aging.py").run()
    assert not test.exception
    text = page_text(test)
    assert seen.leaks(text) == []
    assert seen.shows_own(text)
    monkeypatch.setattr(dashboard.ui.auth, "_header", lambda name: None)
    refused = signed_in(None).run()
    assert "заголовке X-Forwarded-Email" in refused.error[0].value
    assert not refused.dataframe


def test_without_auth_one_local_user_sees_everything_with_a_warning(app_env: str, tmp_path: Path) -> None:
    (tmp_path / "receivables.toml").write_text("", encoding="utf-8")
    st.cache_resource.clear()
    test = signed_in(None).run()
    assert not test.exception
    assert any("Вход не настроен" in w.value for w in test.sidebar.warning)


def test_a_bad_auth_section_is_refused_with_its_reason(app_env: str, tmp_path: Path) -> None:
    (tmp_path / "receivables.toml").write_text(
        '[auth]\nmode = "oidc"\n[auth.users]\n"x@firm.ru" = { role = "boss" }\n', encoding="utf-8"
    )
    st.cache_resource.clear()
    test = signed_in("x@firm.ru").run()
    assert "unknown role 'boss'" in test.error[0].value
    assert not test.dataframe


# ------------------------------------------------------------------------------------ queries and CLI


def test_the_scope_holds_in_the_queries_whatever_the_filters_ask(
    demo_warehouse: tuple[Path, dict[str, list[tuple[str, str]]]], seen: Visibility
) -> None:
    user = User(login="m1@firm.ru", role="manager", manager=seen.manager)
    engine = make_engine(f"sqlite:///{demo_warehouse[0]}", pooled=False)
    other_id, _ = seen.others[0]
    with engine.connect() as conn:
        mine = aging(conn, as_of=AS_OF, scope=user.scope)
        everyone = aging(conn, as_of=AS_OF, scope=Scope.everything())
        asked_for_other = aging(conn, as_of=AS_OF, scope=user.scope.narrowed(counterparty_ids=(other_id,)))
    engine.dispose()
    own_ids = {i for i, _ in seen.own}
    assert set(mine["counterparty_id"].to_list()) <= own_ids
    expected = everyone.filter(pl.col("counterparty_id").is_in(list(own_ids)))
    assert mine["balance"].sum() == expected["balance"].sum() > 0
    # Narrowing to someone else's counterparty leaves nothing, it never widens the scope.
    assert asked_for_other.height == 0


REPORTS = {
    "aging": ["--as-of", AS_OF.isoformat()],
    "exceptions": ["--as-of", AS_OF.isoformat()],
    "stoplist": ["--as-of", AS_OF.isoformat()],
    "calendar": ["--as-of", AS_OF.isoformat(), "--from", "2026-06-01", "--to", "2026-09-30"],
    "trend": ["--from", "2026-01-01", "--to", AS_OF.isoformat(), "--freq", "month"],
    "rejects": [],
}


@pytest.mark.parametrize("report", list(REPORTS))
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_every_cli_export_as_a_manager_holds_only_their_counterparties(
    app_env: str, seen: Visibility, tmp_path: Path, report: str, suffix: str
) -> None:
    output = tmp_path / f"{report}{suffix}"
    assert main(["export", report, *REPORTS[report], "--as-user", "m1@firm.ru", "-o", str(output)]) == 0
    contents = file_text(output.read_bytes())
    assert seen.leaks(contents) == []
    if report in ("aging", "exceptions"):
        assert seen.shows_own(contents)
    if report == "rejects" and suffix == ".csv":  # rejects name no counterparty for sure: none for a manager
        everyone = tmp_path / "all_rejects.csv"
        assert main(["export", "rejects", "-o", str(everyone)]) == 0
        assert len(everyone.read_text(encoding="utf-8-sig").splitlines()) > 1  # the demo has rejects
        assert len(contents.splitlines()) == 1  # the header only


def test_cli_acts_as_a_manager(app_env: str, seen: Visibility, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    own_id, other_id = seen.own[0][0], seen.others[0][0]
    period = ["--from", "2026-01-01", "--to", AS_OF.isoformat(), "--as-user", "m1@firm.ru"]
    batch = tmp_path / "acts.zip"
    assert main(["export", "act", "--all", "--format", "xlsx", *period, "-o", str(batch)]) == 0
    contents = file_text(batch.read_bytes())
    assert seen.leaks(contents) == []
    assert seen.shows_own(contents)
    assert main(["export", "act", "--counterparty", own_id, *period, "-o", str(tmp_path / "own.xlsx")]) == 0
    # Another manager's counterparty is unknown to this manager: refused, no file.
    assert main(["export", "act", "--counterparty", other_id, *period, "-o", str(tmp_path / "other.xlsx")]) == 1
    assert not (tmp_path / "other.xlsx").exists()
    assert main(["export", "act", "--counterparty", other_id, *period, "-o", str(tmp_path / "other.csv")]) == 1
    err = capsys.readouterr().err
    assert other_id in err
    assert seen.others[0][1] not in err


def test_cli_reminders_as_a_manager(app_env: str, seen: Visibility, capsys: pytest.CaptureFixture) -> None:
    assert main(["remind", "--as-of", AS_OF.isoformat(), "--as-user", "m1@firm.ru", "--full"]) == 0
    out = capsys.readouterr().out
    assert seen.leaks(out) == []
    assert main(["remind", "--as-of", AS_OF.isoformat(), "--as-user", "m1@firm.ru", "--send"]) == 2
    assert "a manager cannot send reminders" in capsys.readouterr().err
    assert main(["export", "aging", "--as-user", "nobody@firm.ru", "-o", "x.csv"]) == 2
    assert "no such user in [auth.users]" in capsys.readouterr().err


# ------------------------------------------------------------------------------------ the audit log


def test_exports_from_the_cli_and_the_app_are_in_the_audit_log(
    app_env: str, seen: Visibility, tmp_path: Path, downloads: dict[str, Callable[[], object]]
) -> None:
    assert main(["export", "aging", "--as-of", AS_OF.isoformat(), "--as-user", "m1@firm.ru", "-o", "a.csv"]) == 0
    test = visit("control@firm.ru", "exceptions.py")
    files = downloaded(test, downloads)
    assert files
    engine = make_engine(app_env, pooled=False)
    with engine.connect() as conn:
        log = audit_log(conn, date_from=date.today(), date_to=date.today())
        loads = conn.execute(select(func.count()).select_from(warehouse.load_runs)).scalar()
    engine.dispose()
    exports = log.filter(pl.col("action") == "export")
    cli_row = exports.filter(pl.col("source") == "cli").row(0, named=True)
    assert (cli_row["user"], cli_row["role"]) == ("m1@firm.ru", "manager")
    assert cli_row["subject"] == f"aging as_of={AS_OF.isoformat()} by=contract"
    assert cli_row["detail"] == "a.csv"
    assert cli_row["rows"] > 0
    app_rows = exports.filter(pl.col("source") == "app")
    assert app_rows.height == len(files)
    assert set(app_rows["user"].to_list()) == {"control@firm.ru"}
    assert f"exceptions_{AS_OF.isoformat()}.xlsx" in app_rows["subject"].to_list()
    # The demo's load is in the same log (load_runs), dated when the fixture ran: today.
    assert log.filter(pl.col("action") == "load").height == loads == 1
    # The CFO's page lists them; a manager's scope reads nothing of the log.
    cfo = signed_in("cfo@firm.ru").run()
    cfo.switch_page("pages/audit.py").run()
    assert not cfo.exception
    table = cfo.dataframe[0].value
    assert "m1@firm.ru" in set(table.iloc[:, 1])
    with make_engine(app_env, pooled=False).connect() as conn:
        assert audit_log(conn, date_from=date.today(), date_to=date.today(), scope=Scope.for_manager("X")).height == 0


def test_auth_settings_read_logins_case_insensitively() -> None:
    from dashboard.services.settings import Config

    settings = auth_settings(
        Config(raw={"auth": {"mode": "header", "users": {"Ivanov@Firm.ru": {"role": "manager", "manager": "Иванов"}}}})
    )
    assert settings.header == "X-Forwarded-Email"
    user = settings.user("ivanov@firm.ru")
    assert user is not None
    assert user.scope == Scope.for_manager("Иванов")
    assert settings.user("petrov@firm.ru") is None
    assert settings.user("") is None


def test_a_manager_sees_their_reminder_queue_but_neither_sends_nor_edits_rules(
    app_env: str, seen: Visibility, tmp_path: Path
) -> None:
    config = tmp_path / "receivables.toml"
    config.write_text(
        config_text(seen.manager)
        + '\n[smtp]\nhost = "127.0.0.1"\nport = 2525\nsecurity = "none"\nfrom = "ar@firm.ru"\n',
        encoding="utf-8",
    )
    st.cache_resource.clear()
    test = visit("m1@firm.ru", "reminders.py")
    assert any(c.value == "Напоминания отправляют финансовый директор и кредитные контролёры." for c in test.caption)
    assert not [b for b in test.button if b.label.startswith("Отправить")]
    assert any(w.value == "Эта страница доступна финансовому директору и кредитным контролёрам." for w in test.warning)
    assert not test.get("form")  # the rules form is not drawn
    controller = visit("control@firm.ru", "reminders.py")
    assert [b for b in controller.button if b.label.startswith("Отправить")]
    assert controller.get("form")
