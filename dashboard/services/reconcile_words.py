"""A reconciliation and the clients' copies in words (no Streamlit): the act page's summary, the card's line.

Our staff read «у клиента», «нет у клиента»; the client itself, on its portal, reads the same sentences
addressed to it («у вас», «нет у вас»): `word` picks a key's `.client` variant for a client when the catalog
(dashboard/strings/reconcile_ui.py) has one. Money through domain.money, dates through dashboard.formatting.
"""

from __future__ import annotations

from datetime import date

from dashboard.formatting import count, day
from dashboard.i18n import CATALOG, translate
from dashboard.services.reconcile import Reconciliation
from dashboard.services.their_acts import StoredAct
from domain.money import money


def word(key: str, language: str, client: bool = False, **values: object) -> str:
    """The catalog's text of `key`, or of `key.client` for a client when there is one."""
    chosen = f"{key}.client" if client and f"{key}.client" in CATALOG else key
    return translate(chosen, language, **values)


def period(date_from: date, date_to: date, language: str) -> str:
    """«01.10–30.11.2026» in one year, «01.12.2025–31.01.2026» across years (ISO dates in English)."""
    if language == "ru" and date_from.year == date_to.year:
        return f"{date_from:%d.%m}–{day(date_to, language)}"
    return f"{day(date_from, language)}–{day(date_to, language)}"


def found_words(differences: int | None, language: str) -> str:
    """«3 расхождения» (the Russian form agreeing with the number), «расхождений нет», «ещё не сверен»."""
    if differences is None or differences == 0:
        return translate(f"reconcile_ui.found.{'unknown' if differences is None else 'none'}", language)
    n = differences
    if language != "ru":  # English: one difference, 21 differences
        form = "one" if n == 1 else "many"
    elif n % 10 == 1 and n % 100 != 11:
        form = "one"
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        form = "few"
    else:
        form = "many"
    return translate(f"reconcile_ui.found.{form}", language, n=count(n, language))


def uploaded_by(copy: StoredAct, language: str, name: str = "") -> str:
    """«клиент (Бухгалтерия Ромашки)» or «сохранил ivanov@firm.ru»: `name` as the app knows the uploader, else
    the login."""
    key = "reconcile_ui.copy_by_client" if copy.uploaded_role == "client" else "reconcile_ui.copy_by_staff"
    return translate(key, language, login=name or copy.uploaded_by)


def copy_label(copy: StoredAct, language: str, name: str = "") -> str:
    """A stored copy in the staff's list: «05.12.2026: за 01.10–30.11.2026, клиент (…) — 3 расхождения»."""
    return translate(
        "reconcile_ui.copy_label",
        language,
        uploaded=day(copy.uploaded_at.date(), language),
        period=period(copy.date_from, copy.date_to, language),
        who=uploaded_by(copy, language, name),
        found=found_words(copy.differences, language),
    )


def card_line(copy: StoredAct, language: str) -> str:
    """«Клиент прислал акт сверки 05.12.2026 за 01.10–30.11.2026: 3 расхождения»."""
    return translate(
        "reconcile_ui.card_line",
        language,
        uploaded=day(copy.uploaded_at.date(), language),
        period=period(copy.date_from, copy.date_to, language),
        found=found_words(copy.differences, language),
    )


def explanation(rec: Reconciliation, language: str, client: bool = False) -> str:
    """«Разница сальдо 350,50 ₽ = разница сумм −50,00 ₽ + нет у клиента 300,50 ₽ + нет у нас 100,00 ₽»: the
    closing balances' difference as the sum of its non-zero parts (domain.reconcile.explain), each signed."""
    shown = []
    for n, (name, kopecks) in enumerate(rec.explanation.parts):
        words = word(f"reconcile_ui.part.{name}", language, client)
        amount = money(abs(kopecks), language, rec.currency)
        if n == 0:
            shown.append(f"{words} {'−' if kopecks < 0 else ''}{amount}")
        else:
            shown.append(f"{'−' if kopecks < 0 else '+'} {words} {amount}")
    total = money(rec.balance_difference, language, rec.currency)
    return translate("reconcile_ui.explained", language, amount=total, parts=" ".join(shown))
