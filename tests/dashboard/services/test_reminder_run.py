"""Sending reminders through a real SMTP server on localhost (the smtp fixture, tests/helpers/smtp.py),
exactly once.

The small ledger of tests/helpers/ledgers.py (see tests/queries/test_reminders.py for its reminder days): on
Monday 12.01.2026 K1 (buh@romashka.ru, manager Иванов И.И.) gets S2 (repeat no. 47, 200,50 ₽, 327 days overdue) and
S5 («before», 100,00 ₽, due that day); K2 (petrov@mail.ru; p2@mail.ru) gets S4 (repeat no. 6, 200,00 ₽).
On Wednesday 03.12.2025 only K2's S4 is due a reminder (its first overdue day); on Thursday 04.12.2025
only K1's S2 (weekly repeat no. 42), S4 being 2 days overdue then.
"""

from __future__ import annotations

import io
import json
import os
import signal
import ssl
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import Engine, select, text

import warehouse
from dashboard.services import reminder_run
from dashboard.services.mailer import SmtpNotConfigured, SmtpSettings, SmtpTransport, smtp_settings
from dashboard.services.reminders import effective_settings, save_overrides, settings_from
from dashboard.services.settings import Config
from etl.load import load_paths
from tests.helpers.ledgers import source
from tests.helpers.paths import ROOT
from tests.helpers.smtp import PASSWORD, Inbox, content, free_port
from warehouse.engine import make_engine

MONDAY = date(2026, 1, 12)


def config(port: int, **reminders: object) -> Config:
    return Config(
        company_name="ООО «Поставщик»",
        raw={
            "company": {"name": "ООО «Поставщик»", "inn": "7707083893", "phone": "+7 495 000-00-00"},
            "smtp": {"host": "127.0.0.1", "port": port, "security": "none", "from": "ar@supplier.ru"},
            "managers": {"Иванов И.И.": "ivanov@supplier.ru"},
            "reminders": dict(reminders),
        },
    )


@pytest.fixture
def small(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def run(engine: Engine, cfg: Config, day: date, **kwargs: object) -> reminder_run.RunReport:
    planned = reminder_run.plan(engine, cfg, as_of=day, retry_unconfirmed=bool(kwargs.get("retry_unconfirmed")))
    settings = smtp_settings(cfg, planned.company)
    with SmtpTransport(settings) as transport:
        return reminder_run.send(engine, cfg, planned, transport=transport, smtp=settings, **kwargs)  # type: ignore[arg-type]


def log(engine: Engine) -> list[tuple[object, ...]]:
    t = warehouse.reminder_log
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.c.day, t.c.counterparty_id, t.c.rule, t.c.status, t.c.attempts).order_by(
                t.c.day, t.c.counterparty_id, t.c.rule
            )
        ).all()
    return [tuple(r) for r in rows]


def statuses(report: reminder_run.RunReport) -> list[tuple[str, str]]:
    return [(o.message.counterparty_id, o.status) for o in report.outcomes]


# ------------------------------------------------------------------------------------------ delivery


def test_messages_arrive_with_recipients_subject_and_body(small: Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    report = run(small, config(port), MONDAY)
    assert statuses(report) == [("K1", "sent"), ("K2", "sent")]
    assert len(inbox.messages) == 2
    sender, recipients, k1 = inbox.messages[0]
    assert sender == "ar@supplier.ru"
    assert recipients == ["buh@romashka.ru", "ivanov@supplier.ru"]  # the manager in copy
    assert k1["To"] == "buh@romashka.ru"
    assert k1["Cc"] == "ivanov@supplier.ru"
    assert k1["From"] == "ООО «Поставщик» <ar@supplier.ru>"
    assert k1["Subject"] == "Напоминание об оплате: ООО «Поставщик»"
    assert k1["Message-ID"].startswith("<reminder.20260112.")
    assert k1["Message-ID"].endswith("@supplier.ru>")
    body = content(k1)
    assert "- № УПД-2 от 20.01.2025, срок оплаты 19.02.2025: 200,50 ₽ (просрочено 327 дн.)" in body
    assert "- № УПД-5 от 02.12.2025, срок оплаты 12.01.2026: 100,00 ₽ (срок сегодня)" in body
    assert "Итого к оплате: 300,50 ₽ (из них просрочено 200,50 ₽)" in body
    assert body.rstrip().endswith("С уважением,\nООО «Поставщик»\nИНН 7707083893\nТел. +7 495 000-00-00")
    assert not k1.is_multipart()  # no act asked for
    _, recipients, k2 = inbox.messages[1]
    assert recipients == ["petrov@mail.ru", "p2@mail.ru"]
    assert k2["To"] == "petrov@mail.ru, p2@mail.ru"
    assert k2["Cc"] is None  # Сидоров has no address in [managers]
    assert "№ УПД-4 от 02.12.2025, срок оплаты 02.12.2025: 200,00 ₽ (просрочено 41 дн.)" in content(k2)
    # The log: one row per counterparty, rule and day, sent on the first attempt.
    assert log(small) == [
        (MONDAY, "K1", "before", "sent", 1),
        (MONDAY, "K1", "repeat", "sent", 1),
        (MONDAY, "K2", "repeat", "sent", 1),
    ]
    with small.connect() as conn:
        documents = conn.execute(
            text("SELECT documents FROM reminder_log WHERE rule = 'repeat' AND counterparty_id = 'K1'")
        )
        assert json.loads(documents.scalar()) == [["shipment", "S2", 47]]


def test_the_same_run_twice_sends_nothing_twice(small: Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    run(small, config(port), MONDAY)
    again = run(small, config(port), MONDAY)
    assert statuses(again) == [("K1", "already_sent"), ("K2", "already_sent")]
    assert len(inbox.messages) == 2
    assert [row[3:] for row in log(small)] == [("sent", 1)] * 3
    # The dry run after it says so too.
    dry = reminder_run.dry_run(reminder_run.plan(small, config(port), as_of=MONDAY))
    assert statuses(dry) == [("K1", "already_sent"), ("K2", "already_sent")]


def test_english_and_a_template_of_our_own(small: Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    cfg = config(
        port,
        language="en",
        subject_en="{company}: invoices due for {counterparty}",
        body_en="Dear {counterparty},\n\n{documents}\n\n{totals}\n\n"
        "As of {date}. Manager: {manager}.\n{company_details}",
    )
    run(small, cfg, date(2025, 12, 3))
    [(_, _, email)] = inbox.messages
    assert email["Subject"] == "ООО «Поставщик»: invoices due for ИП Петров Пётр Петрович"
    assert content(email) == (
        "Dear ИП Петров Пётр Петрович,\n\n"
        "- No. УПД-4 of 02.12.2025, due 02.12.2025: 200.00 RUB (1 day overdue)\n\n"
        "Total due: 200.00 RUB (of which overdue 200.00 RUB)\n\n"
        "As of 03.12.2025. Manager: Сидоров С.С..\n"
        "ООО «Поставщик»\nINN 7707083893\nPhone +7 495 000-00-00\n"
    )


def test_the_act_goes_attached(small: Engine, smtp: tuple[Inbox, int]) -> None:
    # K1's act for 01.01.2026-12.01.2026: no documents in the period, the opening and closing balance is
    # S2 200,50 + S5 100,00 = 300,50 owed to us.
    inbox, port = smtp
    report = run(small, config(port, attach_act=True), MONDAY)
    assert report.outcomes[0].attachments == ("Акт_сверки_K1_ООО_Ромашка_RUB_20260101-20260112.xlsx",)
    email = inbox.messages[0][2]
    [attachment] = list(email.iter_attachments())
    assert attachment.get_filename() == "Акт_сверки_K1_ООО_Ромашка_RUB_20260101-20260112.xlsx"
    assert attachment.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(attachment.get_content())).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("Акт сверки" in str(c) for c in cells)
    assert 300.5 in cells
    assert any("Триста рублей 50 копеек" in str(c) for c in cells)
    assert "Итого к оплате: 300,50 ₽" in content(email.get_body(preferencelist=("plain",)))


def test_the_act_as_pdf(small: Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    run(small, config(port, attach_act="pdf"), date(2025, 12, 3))
    [attachment] = list(inbox.messages[0][2].iter_attachments())
    assert attachment.get_filename().endswith(".pdf")
    text_of_pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(attachment.get_content())).pages)
    assert "Сальдо конечное" in text_of_pdf
    assert "200,00" in text_of_pdf


# ------------------------------------------------------------------------------------------ failures


def test_a_failure_is_logged_and_the_same_days_run_retries_it(small: Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    inbox.refuse = "451 4.3.0 Mailbox busy, try later"
    failed = run(small, config(port), MONDAY)
    assert statuses(failed) == [("K1", "failed"), ("K2", "failed")]
    assert failed.outcomes[0].error == "server said 451 4.3.0 Mailbox busy, try later"
    assert inbox.messages == []
    assert [row[3:] for row in log(small)] == [("failed", 1)] * 3
    inbox.refuse = None
    dry = reminder_run.dry_run(reminder_run.plan(small, config(port), as_of=MONDAY))
    assert statuses(dry) == [("K1", "retry"), ("K2", "retry")]
    retried = run(small, config(port), MONDAY)
    assert statuses(retried) == [("K1", "sent"), ("K2", "sent")]
    assert inbox.by_counterparty() == {"K1": 1, "K2": 1}
    assert [row[3:] for row in log(small)] == [("sent", 2)] * 3


def test_a_failed_day_is_carried_into_the_next_days_message(small: Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    inbox.refuse = "421 4.4.2 Connection timed out"
    run(small, config(port), date(2025, 12, 3))
    assert log(small) == [(date(2025, 12, 3), "K2", "overdue", "failed", 1)]
    inbox.refuse = None
    thursday = run(small, config(port), date(2025, 12, 4))
    assert statuses(thursday) == [("K1", "sent"), ("K2", "sent")]
    assert thursday.outcomes[1].carried == 1
    k2 = content(inbox.messages[1][2])
    assert "№ УПД-4 от 02.12.2025, срок оплаты 02.12.2025: 200,00 ₽ (просрочено 2 дн.)" in k2  # as of Thursday
    assert log(small) == [
        (date(2025, 12, 3), "K2", "overdue", "retried", 2),
        (date(2025, 12, 4), "K1", "repeat", "sent", 1),
    ]
    assert run(small, config(port), date(2025, 12, 5)).outcomes == []  # Friday: nothing more


def test_a_carried_reminder_with_nothing_left_to_remind_is_obsolete(small: Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    inbox.refuse = "451 4.3.0 try later"
    run(small, config(port), date(2025, 12, 3))
    inbox.refuse = None
    run(small, config(port, opt_out=["K2"]), date(2025, 12, 4))  # K2 asked not to be reminded
    assert log(small)[0] == (date(2025, 12, 3), "K2", "overdue", "obsolete", 1)
    assert inbox.by_counterparty() == {"K1": 1}


def test_no_address_is_a_failure_until_there_is_one(small: Engine, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    with small.begin() as conn:
        conn.execute(text("UPDATE counterparties SET email = '' WHERE counterparty_id = 'K2'"))
    report = run(small, config(port), date(2025, 12, 3))
    assert statuses(report) == [("K2", "no_address")]
    assert log(small) == [(date(2025, 12, 3), "K2", "overdue", "failed", 1)]
    with small.begin() as conn:
        conn.execute(text("UPDATE counterparties SET email = 'petrov@mail.ru' WHERE counterparty_id = 'K2'"))
    run(small, config(port), date(2025, 12, 3))
    assert inbox.messages[0][1] == ["petrov@mail.ru"]
    assert log(small) == [(date(2025, 12, 3), "K2", "overdue", "sent", 2)]


def test_a_manager_sends_only_their_clients(small: Engine, smtp: tuple[Inbox, int]) -> None:
    from queries.scope import Scope

    inbox, port = smtp
    cfg = config(port)
    scope = Scope.for_manager("Сидоров С.С.")
    planned = reminder_run.plan(small, cfg, as_of=MONDAY, scope=scope)
    settings = smtp_settings(cfg, planned.company)
    with SmtpTransport(settings) as transport:
        report = reminder_run.send(small, cfg, planned, transport=transport, smtp=settings, scope=scope)
    assert statuses(report) == [("K2", "sent")]
    assert inbox.by_counterparty() == {"K2": 1}


# ------------------------------------------------------------------------------------------ the CLI


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def write_config(path: Path, port: int, extra: str = "") -> Path:
    path.write_text(
        '[company]\nname = "ООО «Поставщик»"\n\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nfrom = "ar@supplier.ru"\n{extra}\n'
        '[managers]\n"Иванов И.И." = "ivanov@supplier.ru"\n'
        # These tests are about sending; the hold for stale bank data has its own (tests/cli/test_remind.py).
        "\n[reminders]\nbank_fresh_days = 0\n",
        encoding="utf-8",
    )
    return path


def test_cli_sends_and_a_second_run_sends_nothing(db_url: str, tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    engine = make_engine(db_url, pooled=False)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    cfg = str(write_config(tmp_path / "r.toml", port))
    done = cli("remind", "--as-of", "2026-01-12", "--send", "--config", cfg, "--db", db_url)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"2026-01-12: 2 messages, 3 documents (sent via 127.0.0.1:{port} (none), from ar@supplier.ru)"
    assert lines[1] == "K1\tbuh@romashka.ru cc ivanov@supplier.ru\t2 documents\t300.50 RUB\tbefore+repeat\tsent"
    assert lines[-1].startswith("sent 2, failed 0, already sent 0, unconfirmed 0 in ")
    again = cli("remind", "--as-of", "2026-01-12", "--send", "--config", cfg, "--db", db_url)
    assert again.returncode == 0
    assert again.stdout.splitlines()[-1].startswith("sent 0, failed 0, already sent 2, unconfirmed 0 in ")
    assert len(inbox.messages) == 2


def test_cli_killed_mid_run_resends_nothing(db_url: str, tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    # The server holds K1's message (received, not yet answered) while the run is killed: K1's rows stay
    # pending. The next run sends K2 and not K1 (at most once); --retry-unconfirmed then resends K1.
    inbox, port = smtp
    engine = make_engine(db_url, pooled=False)
    load_paths(engine, [source(tmp_path)])
    cfg = str(write_config(tmp_path / "r.toml", port))
    inbox.hold.clear()
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "remind", "--as-of", "2026-01-12", "--send", "--config", cfg],
        cwd=ROOT,
        env={**os.environ, "RECEIVABLES_DB_URL": db_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert inbox.messages, "the run never reached the server"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    inbox.hold.set()
    assert log(engine) == [(MONDAY, "K1", "before", "pending", 1), (MONDAY, "K1", "repeat", "pending", 1)]

    after = cli("remind", "--as-of", "2026-01-12", "--send", "--config", cfg, "--db", db_url)
    assert after.returncode == 0, after.stderr
    assert after.stdout.splitlines()[1].endswith("\tUNCONFIRMED")
    assert after.stdout.splitlines()[2].endswith("\tsent")
    assert inbox.by_counterparty() == {"K1": 1, "K2": 1}  # nothing twice
    next_day = cli("remind", "--as-of", "2026-01-13", "--config", cfg, "--db", db_url)
    assert "2 reminders of earlier days are unconfirmed" in next_day.stderr

    resent = cli("remind", "--as-of", "2026-01-12", "--send", "--retry-unconfirmed", "--config", cfg, "--db", db_url)
    assert resent.returncode == 0, resent.stderr
    assert inbox.by_counterparty() == {"K1": 2, "K2": 1}
    assert log(engine) == [
        (MONDAY, "K1", "before", "sent", 2),
        (MONDAY, "K1", "repeat", "sent", 2),
        (MONDAY, "K2", "repeat", "sent", 1),
    ]
    engine.dispose()


def test_cli_failure_exits_1_and_the_password_is_never_shown(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    db = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    cfg = str(write_config(tmp_path / "r.toml", port, 'user = "ar@supplier.ru"\n'))
    wrong = cli(
        "remind", "--as-of", "2026-01-12", "--send", "--config", cfg, "--db", db,
        env={"RECEIVABLES_SMTP_PASSWORD": "wrong-" + PASSWORD},
    )  # fmt: skip
    assert wrong.returncode == 1
    assert "login refused by the server (535)" in wrong.stdout
    assert "2 reminders failed; the next run retries them" in wrong.stderr
    with engine.connect() as conn:
        stored = " ".join(str(v) for row in conn.execute(text("SELECT * FROM reminder_log")) for v in row)
    for shown in (wrong.stdout, wrong.stderr, stored):
        assert PASSWORD not in shown
    right = cli(
        "remind", "--as-of", "2026-01-12", "--send", "--config", cfg, "--db", db,
        env={"RECEIVABLES_SMTP_PASSWORD": PASSWORD},
    )  # fmt: skip
    assert right.returncode == 0, right.stderr
    assert PASSWORD not in right.stdout + right.stderr
    assert inbox.logins[-1] == (b"ar@supplier.ru", PASSWORD.encode())
    assert len(inbox.messages) == 2
    engine.dispose()


def test_cli_send_without_smtp_is_a_clear_error(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    done = cli("remind", "--as-of", "2026-01-12", "--send", "--db", db)
    assert done.returncode == 1
    assert "SMTP is not configured: set host in the [smtp] section" in done.stderr
    usage = cli("remind", "--retry-unconfirmed", "--db", db)
    assert usage.returncode == 2
    assert "--retry-unconfirmed goes with --send" in usage.stderr


# ------------------------------------------------------------------------------------------ TLS


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_starttls_checks_the_certificate(small: Engine, tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True)
    controller.start()
    try:
        base = config(port).raw
        trusted = Config(
            company_name="ООО «Поставщик»",
            raw={**base, "smtp": {**base["smtp"], "security": "starttls", "ca_file": str(cert)}},
        )
        untrusted = Config(
            company_name="ООО «Поставщик»", raw={**base, "smtp": {**base["smtp"], "security": "starttls"}}
        )
        refused = run(small, untrusted, date(2025, 12, 3))
        assert refused.outcomes[0].status == "failed"
        assert "certificate verify failed" in refused.outcomes[0].error
        assert inbox.messages == []
        sent = run(small, trusted, date(2025, 12, 3))
        assert statuses(sent) == [("K2", "sent")]
        assert len(inbox.messages) == 1
    finally:
        controller.stop()


# ------------------------------------------------------------------------------------------ settings


def test_smtp_settings_from_config_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SmtpNotConfigured):
        smtp_settings(Config())
    cfg = Config(raw={"smtp": {"host": "mail.local", "security": "ssl", "user": "ar@x.ru", "password": "p"}})
    settings = smtp_settings(cfg, "ООО «Поставщик»")
    assert (settings.port, settings.sender, settings.sender_name) == (465, "ar@x.ru", "ООО «Поставщик»")
    assert "password" not in repr(settings)
    assert "'p'" not in repr(settings)
    monkeypatch.setenv("RECEIVABLES_SMTP_PORT", "2525")
    monkeypatch.setenv("RECEIVABLES_SMTP_PASSWORD", "from-env")
    settings = smtp_settings(cfg)
    assert (settings.port, settings.password) == (2525, "from-env")
    assert "from-env" not in settings.describe()
    with pytest.raises(ValueError, match="security: one of starttls, ssl, none"):
        smtp_settings(Config(raw={"smtp": {"host": "h", "security": "tls"}}))
    with pytest.raises(ValueError, match="the sender's e-mail address is not set"):
        smtp_settings(Config(raw={"smtp": {"host": "h"}}))
    assert SmtpSettings("h", 25, password="xyz").scrub("bad xyz here") == "bad *** here"


def test_templates_are_checked_and_the_page_settings_win(small: Engine) -> None:
    with pytest.raises(ValueError, match="body_ru: unknown field \\{debt\\}"):
        settings_from({"body_ru": "Ваш долг {debt}"})
    with pytest.raises(ValueError, match="write a literal brace twice"):
        settings_from({"subject_ru": "Долг {company"})
    with pytest.raises(ValueError, match="attach_act"):
        settings_from({"attach_act": "docx"})
    cfg = Config(raw={"reminders": {"before_days": 5, "subject_ru": "Из файла"}})
    with small.begin() as conn:
        assert effective_settings(conn, cfg).rules.before_days == 5
        save_overrides(conn, {"before_days": 2, "subject_ru": "Со страницы: {company}"})
        with pytest.raises(ValueError, match="unknown field"):
            save_overrides(conn, {"subject_ru": "{oops}"})  # refused, the earlier save stays
    with small.connect() as conn:
        settings = effective_settings(conn, cfg)
    assert settings.rules.before_days == 2
    assert settings.templates["ru"].subject == "Со страницы: {company}"
