"""The reconciliation's words (dashboard.services.reconcile_words): the Russian number agreement of
«расхождение», the period as the card and the list write it, and a stored copy's line."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from dashboard.services.reconcile_words import card_line, copy_label, found_words, period, word
from dashboard.services.their_acts import StoredAct

NB = "\u00a0"


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [
        (None, "ещё не сверен", "not reconciled yet"),
        (0, "расхождений нет", "no differences"),
        (1, "1 расхождение", "1 difference"),
        (2, "2 расхождения", "2 differences"),
        (4, "4 расхождения", "4 differences"),
        (5, "5 расхождений", "5 differences"),
        (11, "11 расхождений", "11 differences"),  # 11-14 take «расхождений», whatever their last digit
        (12, "12 расхождений", "12 differences"),
        (21, "21 расхождение", "21 differences"),
        (22, "22 расхождения", "22 differences"),
        (111, "111 расхождений", "111 differences"),
        (1001, f"1{NB}001 расхождение", "1,001 differences"),
    ],
)
def test_differences_agree_with_their_number(n: int | None, ru: str, en: str) -> None:
    assert found_words(n, "ru") == ru
    assert found_words(n, "en") == en


def test_a_period_in_one_year_names_the_year_once() -> None:
    assert period(date(2026, 10, 1), date(2026, 11, 30), "ru") == "01.10–30.11.2026"
    assert period(date(2025, 12, 1), date(2026, 1, 31), "ru") == "01.12.2025–31.01.2026"
    assert period(date(2026, 10, 1), date(2026, 11, 30), "en") == "2026-10-01–2026-11-30"


def test_a_stored_copy_in_the_list_and_on_the_card() -> None:
    copy = StoredAct(
        their_act_id=7,
        counterparty_id="K1",
        contract_id=None,
        date_from=date(2026, 10, 1),
        date_to=date(2026, 11, 30),
        file_name="akt.xlsx",
        uploaded_by="buh@romashka.ru",
        uploaded_role="client",
        uploaded_at=datetime(2026, 12, 5, 9, 30),
        differences=3,
        balance_difference=150_000,
    )
    assert card_line(copy, "ru") == "Клиент прислал акт сверки 05.12.2026 за 01.10–30.11.2026: 3 расхождения"
    assert copy_label(copy, "ru") == "05.12.2026: за 01.10–30.11.2026, клиент (buh@romashka.ru) — 3 расхождения"
    kept = StoredAct(**{**copy.__dict__, "uploaded_by": "ivanov@firm.ru", "uploaded_role": "manager"})
    assert copy_label(kept, "en") == "2026-12-05: for 2026-10-01–2026-11-30, kept by ivanov@firm.ru — 3 differences"


def test_a_client_reads_its_own_side_as_yours() -> None:
    assert word("reconcile_ui.part.only_ours", "ru") == "нет у клиента"
    assert word("reconcile_ui.part.only_ours", "ru", client=True) == "нет у вас"
    assert word("reconcile_ui.part.only_theirs", "ru", client=True) == "нет у нас"  # no variant: the same words
