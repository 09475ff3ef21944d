"""The Reminders page under AppTest on the small ledger (see tests/dashboard/services/test_reminder_run.py
for the day's reminders): the queue with its preview, sending through a real SMTP server, the log, failures,
the rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.services.reminders import group_values
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from tests.helpers.paths import ROOT
from tests.helpers.smtp import Inbox, content
from warehouse.engine import make_engine
from warehouse.note_store import add_note

MONDAY = date(2026, 1, 12)


def page(as_of: date = MONDAY, language: str = "ru", manager: str = "") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "reminders.py"), default_timeout=60)
    filters = Filters(as_of=as_of, currency="RUB", manager=manager, group="", counterparty_id="", contract_id="")
    test.session_state["page_context"] = PageContext(language, filters)
    return test


def smtp_config(folder: Path, port: int, bank_fresh_days: int = 0) -> None:
    """SMTP on the test server; the bank hold off unless asked for (the ledger has no recent statement)."""
    (folder / "receivables.toml").write_text(
        '[company]\nname = "ООО «Поставщик»"\n\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nfrom = "ar@supplier.ru"\n\n'
        '[managers]\n"Иванов И.И." = "ivanov@supplier.ru"\n\n'
        f"[reminders]\nbank_fresh_days = {bank_fresh_days}\n",
        encoding="utf-8",
    )


def test_no_send_button_while_the_bank_data_is_stale(loaded_db: str, tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    """The ledger's last payment is of 05.02.2025; on Monday 12.01.2026 the bank data must reach 30.12.2025."""
    _, port = smtp
    smtp_config(tmp_path, port, bank_fresh_days=1)
    test = page().run()
    assert not test.exception
    assert not [b for b in test.button if b.key == "reminders_send"]
    assert test.warning[0].value == (
        "Напоминания не отправлены: банковские данные загружены только по 05.02.2025, а нужны хотя бы по "
        "30.12.2025 — клиент мог заплатить вчера. Загрузите свежую выписку (или измените [reminders] "
        "bank_fresh_days)."
    )
    english = page(language="en").run()
    assert english.warning[0].value.startswith("Reminders held: the bank data reaches 2025-02-05 only")


def test_promises_and_disputes_put_counterparties_on_hold(loaded_db: str) -> None:
    """Notes change the queue at once (no load needed): K1's promise of 300,50 until 12.01 and K2's dispute of
    S4 leave nobody to remind on 12.01, and «На паузе» says why."""
    assert page().run().metric[0].value == "2"
    engine = make_engine(loaded_db, pooled=False)
    with engine.begin() as conn:
        on, who = date(2026, 1, 5), "control@firm.ru"
        add_note(conn, counterparty_id="K1", kind="promise", note_date=on, author=who, amount=30_050, until=MONDAY)
        add_note(conn, counterparty_id="K2", kind="dispute", note_date=on, author=who, document_id="S4")
    engine.dispose()
    test = page().run()
    assert not test.exception
    assert test.success[0].value == "На 12.01.2026 напоминать некому."
    assert "На паузе" in [h.value for h in test.subheader]
    paused = test.dataframe[0].value
    assert list(paused["counterparty_name"]) == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert list(paused["document"]) == ["все документы (2)", "УПД-4"]
    assert list(paused["reason"]) == ["обещание оплатить 300,50\u00a0₽ до 12.01.2026", "спор с 05.01.2026"]
    assert list(paused["held"]) == ["300,50\u00a0₽", "200,00\u00a0₽"]
    english = page(language="en").run()
    assert "On hold" in [h.value for h in english.subheader]


def test_empty_warehouse(app_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert any("Хранилище пусто" in info.value for info in test.info)


def test_queue_and_preview_without_smtp(loaded_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert test.title[0].value == "Напоминания об оплате"
    metrics = {m.label: m.value for m in test.metric}
    assert metrics == {
        "Писем к отправке": "2",
        "Документов в них": "3",
        "Без e-mail": "0",
        "Уже отправлено сегодня": "0",
    }
    table = test.dataframe[0].value
    assert list(table["counterparty_name"]) == ["ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert list(table["to"]) == ["buh@romashka.ru", "petrov@mail.ru, p2@mail.ru"]
    assert list(table["rules"]) == ["до срока, повтор", "повтор"]
    assert list(table["status"]) == ["к отправке", "к отправке"]
    assert list(table["totals"]) == ["300,50\u00a0₽", "200,00\u00a0₽"]
    body = test.text[0].value
    assert "- № УПД-2 от 20.01.2025, срок оплаты 19.02.2025: 200,50 ₽ (просрочено 327 дн.)" in body
    assert "**Тема:** Напоминание об оплате: Наша организация" in test.markdown[0].value
    assert any("Отправка не настроена" in info.value for info in test.info)
    assert not [b for b in test.button if b.key == "reminders_send"]


def test_send_from_the_page_then_the_log(loaded_db: str, tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    smtp_config(tmp_path, port)
    test = page().run()
    assert not test.exception
    assert any("127.0.0.1" in c.value for c in test.caption)
    [button] = [b for b in test.button if b.key == "reminders_send"]
    assert button.label == "Отправить писем: 2"
    test = button.click().run()
    assert not test.exception
    assert test.success[0].value.startswith("Отправлено: 2, ошибок: 0, уже были отправлены: 0.")
    assert len(inbox.messages) == 2
    assert "Итого к оплате: 300,50 ₽ (из них просрочено 200,50 ₽)" in content(inbox.messages[0][2])
    # After sending: the queue says so, the log lists the three rows, nothing is sendable any more.
    metrics = {m.label: m.value for m in test.metric}
    assert metrics["Писем к отправке"] == "0"
    assert metrics["Уже отправлено сегодня"] == "2"
    assert not [b for b in test.button if b.key == "reminders_send"]
    sent = test.dataframe[1].value
    assert list(sent["counterparty_name"]) == ["ООО «Ромашка»", "ООО «Ромашка»", "ИП Петров Пётр Петрович"]
    assert list(sent["rule"]) == ["до срока", "повтор", "повтор"]
    assert list(sent["status"]) == ["отправлено"] * 3


def test_failures_are_listed(loaded_db: str, tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    inbox.refuse = "550 5.1.1 Mailbox unavailable"
    smtp_config(tmp_path, port)
    test = page().run()
    test = next(b for b in test.button if b.key == "reminders_send").click().run()
    assert not test.exception
    assert test.warning[0].value.startswith("Отправлено: 0, ошибок: 2")
    assert test.tabs[2].label == "Ошибки (3)"
    failures = next(df.value for df in test.dataframe if "error" in df.value.columns)
    assert list(failures["status"]) == ["ошибка"] * 3
    assert list(failures["error"]) == ["server said 550 5.1.1 Mailbox unavailable"] * 3
    assert list(test.dataframe[0].value["status"]) == ["повтор после ошибки"] * 2


def test_a_manager_sees_only_theirs_in_english(loaded_db: str) -> None:
    test = page(language="en", manager="Сидоров С.С.").run()
    assert not test.exception
    assert test.title[0].value == "Payment reminders"
    assert list(test.dataframe[0].value["counterparty_name"]) == ["ИП Петров Пётр Петрович"]
    assert "No. УПД-4 of 02.12.2025" not in test.text[0].value  # the settings' language is Russian
    assert "№ УПД-4 от 02.12.2025" in test.text[0].value


def test_a_day_off_previews_the_next_working_day(loaded_db: str) -> None:
    """Saturday 10.01.2026: nothing goes out; the queue shown is Monday 12.01.2026's (it said only «нерабочий
    день» before), and there is nothing to send today."""
    test = page(as_of=date(2026, 1, 10)).run()
    assert not test.exception
    assert test.info[0].value.startswith("10.01.2026 — нерабочий день")
    assert "очередь ближайшего рабочего дня, 12.01.2026" in test.info[0].value
    assert test.tabs[0].label == "Очередь на 12.01.2026"
    assert sorted(test.dataframe[0].value["counterparty_name"]) == ["ИП Петров Пётр Петрович", "ООО «Ромашка»"]
    assert not [b for b in test.button if b.key == "reminders_send"]


def test_rules_saved_on_the_page_apply(loaded_db: str) -> None:
    test = page().run()
    test.number_input[0].set_value(0)  # no «before» reminders
    test.text_input[0].set_value("Оплата по документам {company}")
    test = test.get("form_submit_button")[0].click().run()  # type: ignore[attr-defined]
    assert not test.exception
    assert test.success[-1].value == "Сохранено."
    assert "Действуют настройки, сохранённые на этой странице" in " ".join(c.value for c in test.caption)
    table = test.dataframe[0].value
    assert list(table["rules"]) == ["повтор", "повтор"]  # S5's «before» is gone
    assert "**Тема:** Оплата по документам Наша организация" in test.markdown[0].value


def test_a_bad_template_is_not_saved(loaded_db: str) -> None:
    test = page().run()
    test.text_input[0].set_value("Долг {debt}")
    test = test.get("form_submit_button")[0].click().run()  # type: ignore[attr-defined]
    assert not test.exception
    assert test.error[0].value.startswith("Не сохранено: the saved settings subject_ru: unknown field {debt}")
    assert "Действуют настройки из файла" in " ".join(c.value for c in test.caption)


@pytest.mark.parametrize("language", ["ru", "en"])
def test_page_is_in_the_router(loaded_db: str, language: str) -> None:
    test = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    test.query_params["as_of"] = "2026-01-12"
    if language == "en":
        test.query_params["lang"] = "en"
    test.run()
    test.switch_page("pages/reminders.py").run()
    assert not test.exception
    assert test.title[0].value == {"ru": "Напоминания об оплате", "en": "Payment reminders"}[language]


def test_a_groups_own_rules_from_the_settings(loaded_db: str, tmp_path: Path) -> None:
    # «Розница» (K2) at most 5 reminders: on 12.01.2026 S4's 6th is not due, so only K1 is in the queue.
    (tmp_path / "receivables.toml").write_text('[reminders.groups."Розница"]\nmax_reminders = 5\n', encoding="utf-8")
    test = page().run()
    assert not test.exception
    assert list(test.dataframe[0].value["counterparty_name"]) == ["ООО «Ромашка»"]
    editor = next(df.value for df in test.dataframe if "max_reminders" in df.value.columns)
    assert list(editor["group"]) == ["Розница"]
    assert list(editor["max_reminders"]) == [5]


def test_group_values_from_the_editor() -> None:
    rows = pl.DataFrame(
        {
            "group": ["Сети", None, "Розница"],
            "before_days": [None, 1, 2],
            "on_overdue": [None, None, False],
            "every_days": [1, None, None],
            "max_reminders": [None, None, None],
        }
    )
    assert group_values(rows) == {"Сети": {"every_days": 1}, "Розница": {"before_days": 2, "on_overdue": False}}
