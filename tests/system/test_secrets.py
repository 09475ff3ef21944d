"""Secrets are never shown: the database password (in the warehouse URL) and the SMTP password stay out of
the CLI's output and errors, the pages, the send log and the errors the app shows."""

from __future__ import annotations

import smtplib
import socket
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine, text
from streamlit.testing.v1 import AppTest

import cli
from dashboard.services import reminder_run
from dashboard.services.mailer import smtp_settings
from dashboard.services.settings import Config
from etl.load import load_paths
from tests.helpers.cli import run
from tests.helpers.ledgers import source
from tests.helpers.paths import ROOT
from warehouse.connect import WarehouseUnavailable, masked_url, open_warehouse, redact, url_secrets

PASSWORD = "S3cr3t-Pa55@word"  # "@" makes it percent-encoded in a URL: %40
ENCODED = PASSWORD.replace("@", "%40")
SMTP_PASSWORD = "smtp-Pa55word-9"


def refused_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_with_password(port: int, database: str = "receivables") -> str:
    return f"postgresql+psycopg2://postgres:{ENCODED}@127.0.0.1:{port}/{database}"


def assert_no_secret(*texts: str) -> None:
    for shown in texts:
        for secret in (PASSWORD, ENCODED, SMTP_PASSWORD):
            assert secret not in shown


def test_the_url_is_shown_with_its_password_masked() -> None:
    assert masked_url(url_with_password(5432)) == "postgresql+psycopg2://postgres:***@127.0.0.1:5432/receivables"
    assert (
        masked_url("postgresql+psycopg2://u@h/db?password=Other-1&sslmode=require")
        == "postgresql+psycopg2://u@h/db?password=***&sslmode=require"
    )
    assert masked_url("sqlite:///data/warehouse.db") == "sqlite:///data/warehouse.db"
    assert masked_url("postgresql+psycopg2://postgres@127.0.0.1/db") == "postgresql+psycopg2://postgres@127.0.0.1/db"
    # Not a URL SQLAlchemy can read: still no password.
    assert (
        masked_url(f"postgresql+psycopg2://u:{PASSWORD}@h:not-a-port/db")
        == "postgresql+psycopg2://u:***@h:not-a-port/db"
    )
    assert set(url_secrets(url_with_password(1))) == {PASSWORD, ENCODED}
    assert url_secrets("sqlite:///w.db") == []
    assert redact(f"failed for {ENCODED} and {PASSWORD}", [PASSWORD, ENCODED]) == "failed for *** and ***"


def test_an_unreachable_warehouse_is_a_clear_error_without_the_password() -> None:
    port = refused_port()
    with pytest.raises(WarehouseUnavailable) as raised:
        open_warehouse(url_with_password(port), pooled=False)
    message = str(raised.value)
    assert message.startswith(
        f"cannot open the warehouse postgresql+psycopg2://postgres:***@127.0.0.1:{port}/receivables: "
        f'connection to server at "127.0.0.1", port {port} failed: Connection refused'
    )
    assert raised.value.__cause__ is None  # the driver's own exception stays out of any traceback shown
    assert raised.value.__suppress_context__
    assert_no_secret(message)


@pytest.mark.parametrize("where", ["--db", "RECEIVABLES_DB_URL", "config"])
def test_cli_with_a_wrong_database_url_prints_a_clear_error_without_the_password(where: str, tmp_path: Path) -> None:
    port = refused_port()
    url = url_with_password(port)
    args: list[str] = []
    env: dict[str, str] = {}
    if where == "--db":
        args = ["--db", url]
    elif where == "RECEIVABLES_DB_URL":
        env = {"RECEIVABLES_DB_URL": url}
    else:
        config = tmp_path / "receivables.toml"
        config.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
        args = ["--config", str(config)]
    env.setdefault("RECEIVABLES_DB_URL", "")
    for command in (["export", "aging", "-o", str(tmp_path / "aging.csv")], ["load", str(source(tmp_path))]):
        done = run(*command, *args, env=env)
        assert done.returncode == 1
        assert done.stdout == ""
        [line] = done.stderr.splitlines()
        assert line.startswith(
            f"receivables: cannot open the warehouse postgresql+psycopg2://postgres:***@127.0.0.1:{port}/receivables: "
            f'connection to server at "127.0.0.1", port {port} failed: Connection refused'
        )
        assert_no_secret(done.stdout, done.stderr)
        debug = run(*command, *args, "--debug", env=env)
        assert debug.returncode == 1
        assert "Traceback" in debug.stderr
        assert_no_secret(debug.stdout, debug.stderr)


@pytest.mark.postgres
def test_cli_with_a_missing_database_names_it_without_the_password(pg_server: str, tmp_path: Path) -> None:
    url = url_with_password(5432, "receivables_no_such_database")  # trust auth: the password is ignored
    done = run("export", "aging", "-o", str(tmp_path / "aging.csv"), "--db", url)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "receivables: cannot open the warehouse "
        "postgresql+psycopg2://postgres:***@127.0.0.1:5432/receivables_no_such_database: "
        'connection to server at "127.0.0.1", port 5432 failed: '
        'FATAL: database "receivables_no_such_database" does not exist'
    )


def test_any_failure_the_cli_reports_has_the_passwords_taken_out(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "r.toml"
    config.write_text(f'[smtp]\nhost = "mail.local"\npassword = "{SMTP_PASSWORD}"\n', encoding="utf-8")

    def failing(_args: Any) -> int:
        raise RuntimeError(f"the driver said: login {ENCODED} / {PASSWORD} refused; smtp {SMTP_PASSWORD}")

    monkeypatch.setitem(cli.COMMANDS, "export", failing)
    monkeypatch.delenv("RECEIVABLES_DB_URL", raising=False)
    argv = ["export", "rejects", "-o", "x.csv", "--db", url_with_password(1), "--config", str(config)]
    assert cli.main(argv) == 1
    shown = capsys.readouterr()
    assert shown.err == "receivables: the driver said: login *** / *** refused; smtp ***\n"
    assert cli.main([*argv, "--debug"]) == 1
    shown = capsys.readouterr()
    assert "Traceback" in shown.err
    assert "the driver said: login *** / *** refused; smtp ***" in shown.err
    assert_no_secret(shown.out, shown.err)


# ------------------------------------------------------------------------------------------ the app


def page_text(test: AppTest) -> str:
    """Everything the app sent to the browser, as text."""
    shown = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            shown.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    for root in test._tree.children.values():
        walk(root)
    return "\n".join(shown)


@pytest.fixture
def app_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """Point the app at a warehouse URL, with cold caches."""

    def point(url: str) -> None:
        monkeypatch.setenv("RECEIVABLES_DB_URL", url)
        monkeypatch.delenv("RECEIVABLES_CONFIG", raising=False)
        monkeypatch.chdir(tmp_path)
        st.cache_resource.clear()
        st.cache_data.clear()

    yield point
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.mark.parametrize("page", ["overview", "data"])
def test_the_app_says_the_warehouse_is_down_without_the_password(app_url: Any, page: str) -> None:
    port = refused_port()
    app_url(url_with_password(port))
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    test.switch_page(f"pages/{page}.py").run()
    assert not test.exception
    [error] = test.error
    assert error.value.startswith("Хранилище недоступно, страницы не могут быть показаны.")
    assert (
        f"cannot open the warehouse postgresql+psycopg2://postgres:***@127.0.0.1:{port}/receivables: "
        f'connection to server at "127.0.0.1", port {port} failed: Connection refused'
    ) in error.value
    assert_no_secret(page_text(test))


@pytest.mark.postgres
def test_the_data_page_names_the_warehouse_with_its_password_masked(app_url: Any, pg_database: str) -> None:
    # Trust authentication ignores the password, so the URL with one opens the test database.
    database = pg_database.rsplit("/", 1)[1]
    app_url(url_with_password(5432, database))
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    test.switch_page("pages/data.py").run()
    assert not test.exception
    assert f"Хранилище: `postgresql+psycopg2://postgres:***@127.0.0.1:5432/{database}`" in [
        c.value for c in test.caption
    ]
    assert_no_secret(page_text(test))


def test_the_data_page_names_a_sqlite_warehouse(app_db: str) -> None:
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    test.switch_page("pages/data.py").run()
    assert not test.exception
    assert f"Хранилище: `{app_db}`" in [c.value for c in test.caption]


# ------------------------------------------------------------------------------------------ SMTP


class Refusing:
    """An SMTP server whose refusal quotes the password back (some do, with the AUTH line)."""

    def send(self, email: Any) -> dict[str, Any]:
        raise smtplib.SMTPResponseException(535, f"5.7.8 AUTH PLAIN ar@supplier.ru {SMTP_PASSWORD} rejected")


def test_an_smtp_reply_quoting_the_password_is_logged_and_shown_without_it(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [source(tmp_path)])
    cfg = Config(
        raw={
            "smtp": {
                "host": "127.0.0.1",
                "port": refused_port(),
                "security": "none",
                "from": "ar@supplier.ru",
                "user": "ar@supplier.ru",
                "password": SMTP_PASSWORD,
            }
        }
    )
    smtp = smtp_settings(cfg)
    assert_no_secret(smtp.describe(), repr(smtp))
    planned = reminder_run.plan(engine, cfg, as_of=date(2025, 12, 3))
    report = reminder_run.send(engine, cfg, planned, transport=Refusing(), smtp=smtp)  # type: ignore[arg-type]
    assert [(o.message.counterparty_id, o.status, o.error) for o in report.outcomes] == [
        ("K2", "failed", "server said 535 5.7.8 AUTH PLAIN ar@supplier.ru *** rejected")
    ]
    with engine.connect() as conn:
        logged = " ".join(str(v) for row in conn.execute(text("SELECT * FROM reminder_log")) for v in row)
    assert "server said 535" in logged
    assert_no_secret(logged)


def test_remind_send_to_a_server_that_is_down_prints_no_password(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    assert run("load", str(source(tmp_path)), "--db", db).returncode == 0
    config = tmp_path / "r.toml"
    config.write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {refused_port()}\nsecurity = "none"\nuser = "ar@supplier.ru"\n'
        f'password = "{SMTP_PASSWORD}"\nfrom = "ar@supplier.ru"\n'
        "[reminders]\nbank_fresh_days = 0\n",  # no bank statement in the ledger: sending is what is tested
        encoding="utf-8",
    )
    done = run("remind", "--as-of", "2025-12-03", "--send", "--config", str(config), "--db", db)
    assert done.returncode == 1
    assert "ConnectionRefusedError" in done.stdout
    assert "1 reminders failed; the next run retries them" in done.stderr
    assert_no_secret(done.stdout, done.stderr)
