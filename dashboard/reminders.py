"""Reminder messages: the day's queue (queries.reminders) as one message per counterparty.

Each message lists every document that triggered a rule (number, date, due date, open amount, days to
due or overdue) and the totals per currency; it goes to the counterparty's e-mail addresses with the
responsible manager in copy (the manager's address from the config's ``[managers]`` table:
``"Иванов И.И." = "ivanov@example.ru"``). No streamlit here: the CLI and the app share it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from typing import Any

import polars as pl

from etl.config import Config
from etl.parsing import money_en, money_ru
from queries.reminders import ReminderRules

SUBJECT = {
    "ru": "Напоминание об оплате: {company}",
    "en": "Payment reminder: {company}",
}
GREETING = {
    "ru": "Здравствуйте!\n\nНапоминаем о сроках оплаты по документам {company} для {counterparty}:",
    "en": "Hello,\n\nA reminder of the payment terms of {company}'s documents for {counterparty}:",
}
CLOSING = {
    "ru": "Если оплата уже отправлена, сообщите, пожалуйста, дату и номер платёжного поручения.\n\n"
    "С уважением,\n{company}",
    "en": "If you have already paid, please let us know the date and number of the payment order.\n\n"
    "Kind regards,\n{company}",
}
TOTAL = {"ru": "Итого к оплате", "en": "Total due"}
OF_WHICH_OVERDUE = {"ru": "из них просрочено", "en": "of which overdue"}
DUE_IN = {"ru": "срок через {days} дн.", "en": "due in {days} days"}
DUE_TODAY = {"ru": "срок сегодня", "en": "due today"}
OVERDUE = {"ru": "просрочено {days} дн.", "en": "{days} days overdue"}
LINE = {
    "ru": "№ {number} от {date}, срок оплаты {due}: {amount} ({status})",
    "en": "No. {number} of {date}, due {due}: {amount} ({status})",
}


@dataclass(frozen=True)
class Message:
    counterparty_id: str
    counterparty_name: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    body: str
    documents: int
    rules: tuple[str, ...]
    totals: tuple[tuple[str, int], ...]  # (currency, kopecks)


def rules_from_config(config: Config) -> ReminderRules:
    """ReminderRules from the [reminders] section (names as the dataclass fields); unknown names refused."""
    section = dict(config.section("reminders"))
    known = {f.name for f in fields(ReminderRules)}
    unknown = sorted(set(section) - known - {"language"})
    if unknown:
        raise ValueError(f"unknown setting in [reminders]: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    for name in known & set(section):
        value = section[name]
        if name in ("daily_groups", "opt_out"):
            values[name] = tuple(str(v) for v in value)
        elif name == "on_overdue":
            values[name] = bool(value)
        else:
            values[name] = int(value)
    return ReminderRules(**values)


def _addresses(text: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (text or "").replace(";", ",").split(",") if a.strip())


def build_messages(
    queue: pl.DataFrame, *, company: str, language: str = "ru", manager_emails: dict[str, str] | None = None
) -> list[Message]:
    """One message per counterparty of the queue, its documents in due-date order (a document triggered by
    two rules appears once)."""
    money = money_ru if language == "ru" else money_en
    managers = manager_emails or {}
    messages = []
    for (counterparty_id,), rows in queue.sort("counterparty_id", "due_date", "document_id").group_by(
        "counterparty_id", maintain_order=True
    ):
        documents = rows.unique("document_id", keep="first", maintain_order=True)
        first = documents.row(0, named=True)
        lines = []
        totals: dict[str, int] = defaultdict(int)
        overdue: dict[str, int] = defaultdict(int)
        for doc in documents.iter_rows(named=True):
            days = doc["days_overdue"]
            if days > 0:
                status = OVERDUE[language].format(days=days)
                overdue[doc["currency"]] += doc["open_amount"]
            elif days == 0:
                status = DUE_TODAY[language]
            else:
                status = DUE_IN[language].format(days=-days)
            totals[doc["currency"]] += doc["open_amount"]
            lines.append(
                "- "
                + LINE[language].format(
                    number=doc["number"] or doc["document_id"],
                    date=f"{doc['doc_date']:%d.%m.%Y}",
                    due=f"{doc['due_date']:%d.%m.%Y}",
                    amount=money(doc["open_amount"], doc["currency"]),
                    status=status,
                )
            )
        summary = []
        for currency, total in sorted(totals.items()):
            text = f"{TOTAL[language]}: {money(total, currency)}"
            if overdue.get(currency):
                text += f" ({OF_WHICH_OVERDUE[language]} {money(overdue[currency], currency)})"
            summary.append(text)
        name = first["counterparty_name"] or counterparty_id
        body = "\n\n".join(
            [
                GREETING[language].format(company=company, counterparty=name),
                "\n".join(lines),
                "\n".join(summary),
                CLOSING[language].format(company=company),
            ]
        )
        manager = managers.get(first["manager"] or "")
        messages.append(
            Message(
                counterparty_id=counterparty_id,
                counterparty_name=name,
                to=_addresses(first["email"]),
                cc=(manager,) if manager else (),
                subject=SUBJECT[language].format(company=company),
                body=body,
                documents=documents.height,
                rules=tuple(sorted(set(rows["rule"].to_list()), key=("before", "overdue", "repeat").index)),
                totals=tuple(sorted(totals.items())),
            )
        )
    return messages
