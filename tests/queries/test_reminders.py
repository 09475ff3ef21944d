"""Which documents trigger a payment reminder on a day, and the messages they make; hand-computed on the
small ledger of tests/helpers/ledgers.py, on SQLite and PostgreSQL.

The ledger's open debits: K1 (group «Сети», buh@romashka.ru, manager Иванов И.И.): S2 on C1, 200.50 open
(500.00 less 200.00 of P1 and 99.50 of P2), due 19.02.2025; S5 on C1, 100.00, dated 02.12.2025, 30 calendar
days -> 01.01.2026, a holiday, so due 12.01.2026 (the first working day after the New Year holidays).
K2 (group «Розница», two addresses, manager Сидоров С.С.): S4 on C3, 200.00, dated and due 02.12.2025.
Weekly repeats of S2 fall on Thursdays: its first overdue day, 20.02.2025, was a Thursday.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

from dashboard.services.reminders import build_messages, overrides_of, rules_from_config, settings_from
from dashboard.services.settings import Config
from etl.load import load_paths
from queries.reminders import GroupRules, ReminderRules, reminder_queue, whole_debts
from queries.scope import Scope
from tests.helpers.cli import invoke
from tests.helpers.ledgers import source


@pytest.fixture
def small(engine: Engine, tmp_path: Path) -> Engine:
    load_paths(engine, [source(tmp_path)])
    return engine


def queue(engine: Engine, day: date, **rules: object) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        frame = reminder_queue(conn, as_of=day, rules=ReminderRules(**rules))  # type: ignore[arg-type]
    return [
        tuple(r)
        for r in frame.select(
            "counterparty_id", "document_id", "rule", "reminder_no", "open_amount", "days_overdue"
        ).iter_rows()
    ]


def test_first_overdue_day(small: Engine) -> None:
    # Wednesday 03.12.2025: S4 (due Tuesday) is overdue for the first time; S2's weekly day is Thursday.
    assert queue(small, date(2025, 12, 3)) == [("K2", "S4", "overdue", 1, 20_000, 1)]


def test_weekly_repeat(small: Engine) -> None:
    # Thursday 04.12.2025: S2 is 288 days overdue; 287 days after its first overdue day = 41 weeks: reminder 42.
    assert queue(small, date(2025, 12, 4)) == [("K1", "S2", "repeat", 42, 20_050, 288)]


def test_nothing_on_a_day_off(small: Engine) -> None:
    assert queue(small, date(2025, 12, 6)) == []  # Saturday
    assert queue(small, date(2026, 1, 5)) == []  # New Year holidays


def test_the_first_working_day_sends_what_fell_on_the_holidays(small: Engine) -> None:
    # Monday 12.01.2026 covers 31.12.2025 - 12.01.2026 (all days off before it). S5's «3 days before» fell on
    # 09.01 (a day off): sent now. S2: 326 days after its first overdue day, 46 weeks (the 44th week fell
    # before the window): reminder 47, once. S4: 40 days after 03.12, week 5: reminder 6, once.
    assert queue(small, date(2026, 1, 12)) == [
        ("K1", "S2", "repeat", 47, 20_050, 327),
        ("K1", "S5", "before", 1, 10_000, 0),
        ("K2", "S4", "repeat", 6, 20_000, 41),
    ]


def test_daily_groups_opt_out_and_the_limit(small: Engine) -> None:
    # «Сети» is reminded daily: on Wednesday 03.12 S2 is 286 days past its first overdue day: reminder 287.
    assert queue(small, date(2025, 12, 3), daily_groups=("Сети",)) == [
        ("K1", "S2", "repeat", 287, 20_050, 287),
        ("K2", "S4", "overdue", 1, 20_000, 1),
    ]
    assert queue(small, date(2025, 12, 3), daily_groups=("Сети",), opt_out=("K1",)) == [
        ("K2", "S4", "overdue", 1, 20_000, 1)
    ]
    # At most 5 reminders per document: S4's 6th and S2's 47th are not sent.
    assert queue(small, date(2026, 1, 12), max_reminders=5) == [("K1", "S5", "before", 1, 10_000, 0)]
    # No «before» reminders: nothing for S5.
    assert ("K1", "S5", "before", 1, 10_000, 0) not in queue(small, date(2026, 1, 12), before_days=0)


def test_scope(small: Engine) -> None:
    with small.connect() as conn:
        frame = reminder_queue(conn, as_of=date(2026, 1, 12), scope=Scope.for_manager("Сидоров С.С."))
    assert frame["counterparty_id"].to_list() == ["K2"]


def test_messages(small: Engine) -> None:
    with small.connect() as conn:
        frame = reminder_queue(conn, as_of=date(2026, 1, 12))
    messages = build_messages(frame, company="ООО «Поставщик»", manager_emails={"Иванов И.И.": "ivanov@supplier.ru"})
    assert [(m.counterparty_id, m.to, m.cc, m.documents, m.totals, m.rules) for m in messages] == [
        ("K1", ("buh@romashka.ru",), ("ivanov@supplier.ru",), 2, (("RUB", 30_050),), ("before", "repeat")),
        ("K2", ("petrov@mail.ru", "p2@mail.ru"), (), 1, (("RUB", 20_000),), ("repeat",)),
    ]
    k1 = messages[0]
    assert k1.subject == "Напоминание об оплате: ООО «Поставщик»"
    assert "- № УПД-2 от 20.01.2025, срок оплаты 19.02.2025: 200,50 ₽ (просрочено 327 дн.)" in k1.body
    assert "- № УПД-5 от 02.12.2025, срок оплаты 12.01.2026: 100,00 ₽ (срок сегодня)" in k1.body
    assert "Итого к оплате: 300,50 ₽ (из них просрочено 200,50 ₽)" in k1.body
    english = build_messages(frame, company="Supplier Ltd", language="en")[1]
    assert english.subject == "Payment reminder: Supplier Ltd"
    assert "No. УПД-4 of 02.12.2025, due 02.12.2025: " in english.body


def test_a_letter_about_some_documents_says_all_the_client_owes(small: Engine) -> None:
    """K1 owes 300,50 on 12.01.2026: УПД-2 200,50 (overdue) and УПД-5 100,00 (due today). A letter about
    УПД-5 alone says what it comes to and, apart, all K1 owes; a letter about both says one total."""
    day = date(2026, 1, 12)
    with small.connect() as conn:
        frame = reminder_queue(conn, as_of=day)
        debts = whole_debts(conn, as_of=day)
    assert debts.filter(pl.col("counterparty_id") == "K1").select("currency", "open_debits", "overdue").rows() == [
        ("RUB", 30_050, 20_050)
    ]
    only_s5 = frame.filter(pl.col("document_id") == "S5")
    [letter] = build_messages(only_s5, company="ООО «Поставщик»", as_of=day, debts=debts)
    assert "Итого по этим документам: 100,00 ₽\n" in letter.body
    assert "Вся задолженность на 12.01.2026: 300,50 ₽ (из них просрочено 200,50 ₽)" in letter.body
    assert letter.totals == (("RUB", 10_000),)
    [both, _k2] = build_messages(frame, company="ООО «Поставщик»", as_of=day, debts=debts)
    assert "Итого к оплате: 300,50 ₽ (из них просрочено 200,50 ₽)" in both.body
    assert "Вся задолженность" not in both.body


def test_rules_from_config() -> None:
    config = Config(raw={"reminders": {"before_days": 5, "daily_groups": ["Сети"], "max_reminders": 3}})
    assert rules_from_config(config) == ReminderRules(before_days=5, daily_groups=("Сети",), max_reminders=3)
    with pytest.raises(ValueError, match="unknown setting in \\[reminders\\]: every_day"):
        rules_from_config(Config(raw={"reminders": {"every_day": 1}}))
    with pytest.raises(ValueError, match="every_days >= 1"):
        rules_from_config(Config(raw={"reminders": {"every_days": 0}}))


def test_cli_dry_run(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    assert invoke("load", str(source(tmp_path)), "--db", db).returncode == 0
    done = invoke("remind", "--as-of", "2026-01-12", "--db", db, "--full")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "2026-01-12: 2 messages, 3 documents (dry run)"
    assert lines[1] == "K1\tbuh@romashka.ru\t2 documents\t300.50 RUB\tbefore+repeat\twould send"
    assert "Subject: Напоминание об оплате: Наша организация" in done.stdout


def test_a_group_of_its_own(small: Engine) -> None:
    # «Сети» (K1) every day, as daily_groups does: on 03.12.2025 S2's reminder 287.
    sety = GroupRules("Сети", every_days=1)
    assert queue(small, date(2025, 12, 3), groups=(sety,)) == queue(small, date(2025, 12, 3), daily_groups=("Сети",))
    # «Розница» (K2) without the first-overdue-day reminder: nothing on 03.12.2025.
    assert queue(small, date(2025, 12, 3), groups=(GroupRules("Розница", on_overdue=False),)) == []
    # At most 5 for «Розница» only: on 12.01.2026 S4's 6th goes out no more; K1's S2 (no. 47) and S5 still do.
    assert queue(small, date(2026, 1, 12), groups=(GroupRules("Розница", max_reminders=5),)) == [
        ("K1", "S2", "repeat", 47, 20_050, 327),
        ("K1", "S5", "before", 1, 10_000, 0),
    ]
    # No «before» for «Сети»: S5's is not sent; the group's value wins over the general 3 days.
    assert ("K1", "S5", "before", 1, 10_000, 0) not in queue(
        small, date(2026, 1, 12), groups=(GroupRules("Сети", before_days=0),)
    )


def test_group_settings_from_config() -> None:
    section = {"every_days": 14, "groups": {"Сети": {"every_days": 1, "max_reminders": 10}, "Розница": {}}}
    rules = settings_from(section).rules
    assert rules.every_days == 14
    assert rules.groups == (GroupRules("Розница"), GroupRules("Сети", every_days=1, max_reminders=10))
    assert overrides_of(settings_from(section))["groups"] == {
        "Розница": {},
        "Сети": {"every_days": 1, "max_reminders": 10},
    }
    with pytest.raises(ValueError, match=r"unknown setting in \[reminders\] groups\.Сети: every_day"):
        settings_from({"groups": {"Сети": {"every_day": 1}}})
    with pytest.raises(ValueError, match="every_days >= 1"):
        settings_from({"groups": {"Сети": {"every_days": 0}}})
    with pytest.raises(ValueError, match="a whole number"):
        settings_from({"groups": {"Сети": {"before_days": "три"}}})
