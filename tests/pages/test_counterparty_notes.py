"""The card's «Контакты и договорённости» (dashboard/ui/timeline.py) through AppTest on the small ledger of
tests/helpers/ledgers.py: K1 «Ромашка» (manager Иванов И.И.) owes S2 200,50 and S5 100,00 as of 31.12.2025
and paid nothing on that day, so a promise dated 31.12.2025 is open; K2 (Сидоров С.С.) owes S4 200,00.

A note is written through the form in the signed-in user's name with its audit row, shows at once, keeps
what was typed when refused, and is resolved by its button; a manager writes only on their own clients.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import warehouse
from dashboard.services.access import User
from dashboard.services.notes import NoteRefused
from dashboard.ui import actions
from dashboard.ui.auth import USER_KEY
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

AS_OF = date(2025, 12, 31)
UNTIL = date(2026, 1, 15)
NB = "\u00a0"
AUTH = """
[auth]
mode = "oidc"
[auth.users]
"m1@firm.ru" = { role = "manager", manager = "Иванов И.И.", name = "Иванов И.И." }
"m2@firm.ru" = { role = "manager", manager = "Сидоров С.С." }
"""


def page(counterparty_id: str = "K1", language: str = "ru", user: User | None = None) -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "counterparty.py"), default_timeout=60)
    filters = Filters(
        as_of=AS_OF, currency="RUB", manager="", group="", counterparty_id=counterparty_id, contract_id=""
    )
    test.session_state["page_context"] = PageContext(language, filters)
    if user is not None:
        test.session_state[USER_KEY] = user
    return test


def rows(url: str, table: str) -> list[dict[str, object]]:
    engine = make_engine(url, pooled=False)
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(warehouse.metadata.tables[table])).mappings()]
    finally:
        engine.dispose()


def section(test: AppTest) -> list[str]:
    """The timeline's lines as drawn (Markdown), from the section's heading on."""
    return [m.value for m in test.markdown]


def fill_promise(test: AppTest, amount: str, until: date | None = UNTIL, text: str = "") -> AppTest:
    test.segmented_control(key="notes_form_kind").set_value("promise").run()
    assert not test.exception, test.exception
    test.text_input(key="notes_form_amount").input(amount)
    if until is not None:
        test.date_input(key="notes_form_until").set_value(until)
    test.text_area(key="notes_form_text").input(text)
    return test


def submit(test: AppTest) -> AppTest:
    test.get("form_submit_button")[0].click().run()  # type: ignore[attr-defined]
    assert not test.exception, test.exception
    return test


def test_no_notes_yet_and_the_form(loaded_db: str) -> None:
    test = page().run()
    assert not test.exception
    assert "Контакты и договорённости" in [s.value for s in test.subheader]
    assert "Записей о контактах пока нет." in [c.value for c in test.caption]
    kind = test.segmented_control(key="notes_form_kind")
    assert kind.value == "call"
    assert kind.options == ["Звонок", "Письмо", "Заметка", "Обещание", "Спор"]
    assert test.date_input(key="notes_form_date").value == AS_OF  # the card's date
    # Before anything is typed the card draws no error, warning or success of its own.
    assert not [s.value for s in test.success if "Запись" in s.value]


def test_a_promise_added_through_the_form_shows_at_once(loaded_db: str) -> None:
    test = submit(fill_promise(page().run(), "300,50", text="Обещали оплатить S2 и S5"))
    [note] = rows(loaded_db, "notes")
    assert (note["kind"], note["amount"], note["until"], note["note_date"]) == ("promise", 30_050, UNTIL, AS_OF)
    assert (note["author"], note["currency"], note["text"]) == ("local", "RUB", "Обещали оплатить S2 и S5")
    [audit] = [r for r in rows(loaded_db, "audit_log") if r["action"] == "note"]
    assert (audit["source"], audit["subject"], audit["detail"]) == ("app", "note 1: promise K1", note["text"])

    lines = section(test)
    assert "**31.12.2025 · обещание оплаты** · local" in lines
    assert f"300,50{NB}₽ до 15.01.2026 — :orange[открыто]" in lines
    assert "Обещали оплатить S2 и S5" in lines
    assert "Запись добавлена." in [s.value for s in test.success]
    # The form starts afresh for the next note.
    assert test.text_area(key="notes_form_text").value == ""
    assert [b.label for b in test.button if b.key == "notes_resolve_1"] == ["Закрыть"]


def test_a_bad_amount_is_said_and_nothing_is_written(loaded_db: str) -> None:
    test = submit(fill_promise(page().run(), "сто рублей", text="Позвонили"))
    assert [e.value for e in test.error if "сумму" in e.value] == [
        "Не понял сумму «сто рублей»: введите, например, 1 234,56 или 1234.56."
    ]
    assert rows(loaded_db, "notes") == []
    # What was typed stays in the form.
    assert test.text_input(key="notes_form_amount").value == "сто рублей"
    assert test.text_area(key="notes_form_text").value == "Позвонили"
    assert test.date_input(key="notes_form_until").value == UNTIL

    test = submit(fill_promise(test, "0"))
    assert "Укажите сумму обещания больше нуля." in [e.value for e in test.error]
    test.text_input(key="notes_form_amount").input("300.50")
    test.date_input(key="notes_form_until").set_value(None)
    test = submit(test)
    assert "Укажите дату, до которой обещали оплатить." in [e.value for e in test.error]
    test.date_input(key="notes_form_until").set_value(date(2025, 12, 1))
    test = submit(test)
    assert "Срок обещания 01.12.2025 раньше даты записи 31.12.2025." in [e.value for e in test.error]
    assert rows(loaded_db, "notes") == []


def test_resolving_a_promise_withdraws_it(loaded_db: str) -> None:
    test = submit(fill_promise(page().run(), "300,50"))
    test.button(key="notes_resolve_1").click().run()
    assert not test.exception
    [note] = rows(loaded_db, "notes")
    assert (note["resolved_on"], note["resolved_by"]) == (AS_OF, "local")
    assert f"300,50{NB}₽ до 15.01.2026 — :gray[отозвано 31.12.2025]" in section(test)
    assert not [b for b in test.button if b.key == "notes_resolve_1"]  # nothing left to resolve
    assert "Запись закрыта на 31.12.2025." in [s.value for s in test.success]
    resolved = [r for r in rows(loaded_db, "audit_log") if r["action"] == "note_resolved"]
    assert [(r["subject"], r["detail"]) for r in resolved] == [("note 1: promise K1", "2025-12-31")]


def test_a_dispute_names_one_of_the_open_documents(loaded_db: str) -> None:
    test = page().run()
    test.segmented_control(key="notes_form_kind").set_value("dispute").run()
    document = test.selectbox(key="notes_form_document_dispute")
    assert document.options[1:] == [
        f"Реализация № УПД-2 от 20.01.2025: открыто 200,50{NB}₽",
        f"Реализация № УПД-5 от 02.12.2025: открыто 100,00{NB}₽",
    ]
    test = submit(test)  # no document chosen
    assert "Для спора выберите оспариваемый документ." in [e.value for e in test.error]
    test.selectbox(key="notes_form_document_dispute").set_value("S2")
    test.text_area(key="notes_form_text").input("Недовоз 2 коробок")
    test = submit(test)
    [note] = rows(loaded_db, "notes")
    assert (note["kind"], note["document_id"]) == ("dispute", "S2")
    # The document as people know it, not its id S2 (markdown escaped: «УПД-2 от 20.01.2025» on screen).
    assert f"документ УПД\\-2 от 20\\.01\\.2025 — :orange[спор открыт, не оплачено 200,50{NB}₽]" in section(test)


def test_a_call_and_newest_first(loaded_db: str) -> None:
    test = page().run()
    test.text_area(key="notes_form_text").input("Первый звонок")
    test = submit(test)
    test.segmented_control(key="notes_form_kind").set_value("email").run()
    test.date_input(key="notes_form_date").set_value(date(2025, 12, 30))
    test.text_area(key="notes_form_text").input("Письмо *с акцентом* [ссылка](http://x)")
    test = submit(test)
    lines = section(test)
    first, second = lines.index("Первый звонок"), lines.index(r"Письмо \*с акцентом\* \[ссылка\]\(http\://x\)")
    assert first < second  # 31.12 before 30.12, the Markdown of the text shown as typed
    assert "**30.12.2025 · письмо** · local" in lines


def test_a_manager_writes_on_their_own_clients_only(loaded_db: str, tmp_path: Path) -> None:
    (tmp_path / "receivables.toml").write_text(AUTH, encoding="utf-8")
    ivanov = User(login="m1@firm.ru", role="manager", manager="Иванов И.И.", name="Иванов И.И.")
    sidorov = User(login="m2@firm.ru", role="manager", manager="Сидоров С.С.")
    # Another manager's card is not theirs to see, the form included.
    other = page(counterparty_id="K1", user=sidorov).run()
    assert other.warning[0].value.startswith("Контрагент не найден")
    assert not other.get("form_submit_button")
    # And the action refuses another's counterparty whatever the page asks.
    with pytest.raises(NoteRefused) as refused:
        actions.add_note(sidorov, counterparty_id="K1", kind="call", note_date=AS_OF, text="чужой")
    assert refused.value.code == "counterparty"
    assert rows(loaded_db, "notes") == []
    # Their own client: the form writes in their name, shown by the name [auth.users] gives.
    test = submit(fill_promise(page(user=ivanov).run(), "300,50"))
    [note] = rows(loaded_db, "notes")
    assert note["author"] == "m1@firm.ru"
    assert "**31.12.2025 · обещание оплаты** · Иванов И\\.И\\." in section(test)
    with pytest.raises(NoteRefused) as refused:  # nor resolve another's note
        actions.resolve_note(sidorov, 1, on=AS_OF)
    assert refused.value.code == "no_note"
    [audit] = [r for r in rows(loaded_db, "audit_log") if r["action"] == "note"]
    assert (audit["user_name"], audit["role"]) == ("m1@firm.ru", "manager")


def test_a_role_that_may_not_write_sees_the_timeline_without_the_form(
    loaded_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(fill_promise(page().run(), "300,50"))
    monkeypatch.setattr(User, "may_note", property(lambda self: False))
    test = page().run()
    assert not test.exception
    assert f"300,50{NB}₽ до 15.01.2026 — :orange[открыто]" in section(test)
    assert not test.get("form_submit_button")
    assert not [b for b in test.button if b.key == "notes_resolve_1"]
    assert "Записи добавляют финансовый директор, контролёр и менеджер контрагента." in [c.value for c in test.caption]
    with pytest.raises(NoteRefused):
        actions.add_note(User(login="x", role="cfo"), counterparty_id="K1", kind="call", note_date=AS_OF)


def test_in_english(loaded_db: str) -> None:
    test = page(language="en").run()
    assert "Contacts and commitments" in [s.value for s in test.subheader]
    assert test.segmented_control(key="notes_form_kind").options == [
        "Call",
        "Email",
        "Note",
        "Promise",
        "Dispute",
    ]
    test = submit(fill_promise(test, "bad"))
    assert "“bad” is not an amount: type, for example, 1234.56 or 1 234,56." in [e.value for e in test.error]
    test = submit(fill_promise(test, "1234.56"))
    lines = section(test)
    assert "**2025-12-31 · promise to pay** · local" in lines
    assert "1,234.56 RUB by 2026-01-15 — :orange[open]" in lines
    assert "Note added." in [s.value for s in test.success]
    assert test.button(key="notes_resolve_1").label == "Resolve"


def test_the_audit_log_names_the_note_actions(loaded_db: str) -> None:
    actions.add_note(User(login="local", role="cfo"), counterparty_id="K1", kind="call", note_date=AS_OF, text="Hi")
    test = AppTest.from_file(str(ROOT / "pages" / "audit.py"), default_timeout=60)
    filters = Filters(as_of=AS_OF, currency="RUB", manager="", group="", counterparty_id="", contract_id="")
    test.session_state["page_context"] = PageContext("ru", filters)
    test.run()
    assert not test.exception
    action = test.selectbox(key="audit_action")
    assert {"запись о контакте", "закрытие обещания или спора"} <= set(action.options)
    log = test.dataframe[0].value
    assert sorted(log["action"]) == ["загрузка", "запись о контакте"]  # the fixture's load, the note
    assert list(log[log["action"] == "запись о контакте"]["detail"]) == ["Hi"]
    action.select("note_resolved").run()
    assert any("нет" in i.value for i in test.info)
    test.session_state["page_context"] = PageContext("en", filters)
    test.run()
    assert {"note", "note resolved"} <= set(test.selectbox(key="audit_action").options)
