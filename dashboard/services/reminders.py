"""Reminder settings and messages: the day's queue (queries.reminders) as one message per counterparty.

Each message lists every document that triggered a rule (number, date, due date, open amount, days to
due or overdue) and the totals per currency; it goes to the counterparty's e-mail addresses with the
responsible manager in copy (the manager's address from the config's ``[managers]`` table:
``"Иванов И.И." = "ivanov@example.ru"``). No streamlit here: the CLI and the app share it.

Settings come from the config's ``[reminders]`` section: the rules (``ReminderRules`` field names, and
``[reminders.groups."<group>"]`` tables with a group's own before_days, on_overdue, every_days, max_reminders),
``language``, ``attach_act`` (false, true or "xlsx", "pdf") and the templates ``subject_ru``, ``body_ru``,
``subject_en``, ``body_en``. The Reminders page saves its edits in the warehouse (``meta`` key
``reminders``, JSON of the same names); they take precedence over the file until reset, so the CLI and the
app always agree.

Templates are ``str.format`` texts with the fields of ``FIELDS``; a literal brace is written twice.
"""

from __future__ import annotations

import json
import string
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

import polars as pl
from sqlalchemy import Connection

from dashboard.services.settings import Config
from domain.money import money_en, money_ru
from queries.reminders import GROUP_SETTINGS, GroupRules, ReminderRules
from warehouse.state import read_meta, write_meta

SETTINGS_KEY = "reminders"
LANGUAGES = ("ru", "en")
ATTACH = ("", "xlsx", "pdf")

# The fields a template may use, with what they hold (shown on the page).
FIELDS = {
    "company": "the company's name",
    "company_details": "the company's name, INN/KPP, address, phone and e-mail ([company] of the config)",
    "counterparty": "the counterparty's name",
    "documents": "the list of documents, one per line",
    "totals": "the totals per currency, with the overdue part",
    "date": "the day of the run, DD.MM.YYYY",
    "manager": "the responsible manager's name",
}

DEFAULT_SUBJECT = {
    "ru": "Напоминание об оплате: {company}",
    "en": "Payment reminder: {company}",
}
DEFAULT_BODY = {
    "ru": "Здравствуйте!\n\n"
    "Напоминаем о сроках оплаты по документам {company} для {counterparty}:\n\n"
    "{documents}\n\n"
    "{totals}\n\n"
    "Если оплата уже отправлена, сообщите, пожалуйста, дату и номер платёжного поручения.\n\n"
    "С уважением,\n{company_details}",
    "en": "Hello,\n\n"
    "A reminder of the payment terms of {company}'s documents for {counterparty}:\n\n"
    "{documents}\n\n"
    "{totals}\n\n"
    "If you have already paid, please let us know the date and number of the payment order.\n\n"
    "Kind regards,\n{company_details}",
}
TOTAL = {"ru": "Итого к оплате", "en": "Total due"}
TOTAL_LISTED = {"ru": "Итого по этим документам", "en": "These documents"}
WHOLE_DEBT = {"ru": "Вся задолженность на {date}", "en": "All you owe on {date}"}
OF_WHICH_OVERDUE = {"ru": "из них просрочено", "en": "of which overdue"}
DUE_IN = {"ru": "срок через {days} дн.", "en": "due in {days} day{s}"}
DUE_TODAY = {"ru": "срок сегодня", "en": "due today"}
OVERDUE = {"ru": "просрочено {days} дн.", "en": "{days} day{s} overdue"}
LINE = {
    "ru": "№ {number} от {date}, срок оплаты {due}: {amount} ({status})",
    "en": "No. {number} of {date}, due {due}: {amount} ({status})",
}
INN = {"ru": "ИНН", "en": "INN"}
KPP = {"ru": "КПП", "en": "KPP"}
PHONE = {"ru": "Тел.", "en": "Phone"}


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


@dataclass(frozen=True)
class ReminderSettings:
    rules: ReminderRules = field(default_factory=ReminderRules)
    language: str = "ru"
    attach_act: str = ""  # "", "xlsx" or "pdf"
    bank_fresh_days: int = 1  # --send holds unless the bank data reaches this many working days back; 0: off
    templates: Mapping[str, Template] = field(
        default_factory=lambda: {lang: Template(DEFAULT_SUBJECT[lang], DEFAULT_BODY[lang]) for lang in LANGUAGES}
    )


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
    manager: str = ""


def check_template(text: str, where: str) -> None:
    """A clear error for a template that would not format: an unknown field, a lone brace."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise ValueError(f"{where}: {exc} (write a literal brace twice: {{{{ or }}}})") from exc
    unknown = sorted({name for name in names if name not in FIELDS})
    if unknown:
        raise ValueError(f"{where}: unknown field {{{unknown[0]}}} (known: {', '.join(FIELDS)})")


RULE_NAMES = {f.name for f in fields(ReminderRules)} - {"groups"}
TEMPLATE_NAMES = {f"{part}_{lang}" for part in ("subject", "body") for lang in LANGUAGES}
SETTING_NAMES = RULE_NAMES | TEMPLATE_NAMES | {"language", "attach_act", "groups", "bank_fresh_days"}


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{where}: a whole number, not {value!r}")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: a whole number, not {value!r}") from None


def _groups(value: Any, where: str) -> tuple[GroupRules, ...]:
    """[reminders.groups."Сети"] every_days = 1 ... : each group's own values."""
    if not isinstance(value, Mapping):
        raise ValueError(f'{where} groups: a table per group, e.g. [reminders.groups."Сети"] every_days = 1')
    found = []
    for group, values in sorted(value.items()):
        if not isinstance(values, Mapping):
            raise ValueError(f"{where} groups.{group}: a table of {', '.join(GROUP_SETTINGS)}")
        unknown = sorted(set(values) - set(GROUP_SETTINGS))
        if unknown:
            raise ValueError(
                f"unknown setting in {where} groups.{group}: {', '.join(unknown)} (known: {', '.join(GROUP_SETTINGS)})"
            )
        whole = {
            name: None if values.get(name) is None else _whole(values[name], f"{where} groups.{group}.{name}")
            for name in values
            if name != "on_overdue"
        }
        on_overdue = values.get("on_overdue")
        found.append(
            GroupRules(
                str(group),
                before_days=whole.get("before_days"),
                on_overdue=None if on_overdue is None else bool(on_overdue),
                every_days=whole.get("every_days"),
                max_reminders=whole.get("max_reminders"),
            )
        )
    return tuple(found)


def settings_from(section: Mapping[str, Any], where: str = "[reminders]") -> ReminderSettings:
    """ReminderSettings from a [reminders]-like mapping; unknown names and bad values refused clearly."""
    unknown = sorted(set(section) - SETTING_NAMES)
    if unknown:
        raise ValueError(
            f"unknown setting in {where}: {', '.join(unknown)} (known: {', '.join(sorted(SETTING_NAMES))})"
        )
    values: dict[str, Any] = {}
    for name in RULE_NAMES & set(section):
        value = section[name]
        if name in ("daily_groups", "opt_out"):
            if isinstance(value, str) or not isinstance(value, list | tuple):
                raise ValueError(f'{where} {name}: a list of names, e.g. {name} = ["Сети"]')
            values[name] = tuple(str(v) for v in value)
        elif name == "on_overdue":
            values[name] = bool(value)
        else:
            values[name] = _whole(value, f"{where} {name}")
    if "groups" in section:
        values["groups"] = _groups(section["groups"], where)
    language = str(section.get("language", "ru"))
    if language not in LANGUAGES:
        raise ValueError(f"{where} language: one of {', '.join(LANGUAGES)}, not {language!r}")
    attach = section.get("attach_act", "")
    attach = "xlsx" if attach is True else "" if attach is False else str(attach)
    if attach not in ATTACH:
        raise ValueError(f'{where} attach_act: false, true, "xlsx" or "pdf", not {attach!r}')
    templates = {}
    for lang in LANGUAGES:
        subject = str(section.get(f"subject_{lang}", DEFAULT_SUBJECT[lang]))
        body = str(section.get(f"body_{lang}", DEFAULT_BODY[lang]))
        check_template(subject, f"{where} subject_{lang}")
        check_template(body, f"{where} body_{lang}")
        if "\n" in subject or "\r" in subject:
            raise ValueError(f"{where} subject_{lang}: one line")
        templates[lang] = Template(subject, body)
    fresh = _whole(section.get("bank_fresh_days", 1), f"{where} bank_fresh_days")
    if fresh < 0:
        raise ValueError(f"{where} bank_fresh_days: 0 (no check) or more working days, not {fresh}")
    return ReminderSettings(ReminderRules(**values), language, attach, fresh, templates)


def saved_overrides(conn: Connection) -> dict[str, Any]:
    """The settings saved from the Reminders page (empty when none)."""
    text = read_meta(conn, SETTINGS_KEY)
    return json.loads(text) if text else {}


def effective_settings(conn: Connection, config: Config) -> ReminderSettings:
    """The config's [reminders], then what the page saved in the warehouse on top."""
    merged = {**config.section("reminders"), **saved_overrides(conn)}
    return settings_from(merged, "[reminders]")


def save_overrides(conn: Connection, values: Mapping[str, Any]) -> None:
    """Keep the page's settings in the warehouse, after checking them (a bad value raises, nothing saved)."""
    settings_from(values, "the saved settings")
    write_meta(conn, SETTINGS_KEY, json.dumps(dict(values), ensure_ascii=False, sort_keys=True))


def clear_overrides(conn: Connection) -> None:
    write_meta(conn, SETTINGS_KEY, "{}")


def overrides_of(settings: ReminderSettings) -> dict[str, Any]:
    """Settings as the JSON the page saves (every name, so the file's values no longer apply)."""
    rules = settings.rules
    values: dict[str, Any] = {name: getattr(rules, name) for name in RULE_NAMES}
    values["daily_groups"] = list(rules.daily_groups)
    values["opt_out"] = list(rules.opt_out)
    values["groups"] = {
        g.group: {name: getattr(g, name) for name in GROUP_SETTINGS if getattr(g, name) is not None}
        for g in rules.groups
    }
    values["language"] = settings.language
    values["attach_act"] = settings.attach_act
    for lang, template in settings.templates.items():
        values[f"subject_{lang}"] = template.subject
        values[f"body_{lang}"] = template.body
    return values


def group_values(edited: Any) -> dict[str, dict[str, Any]]:
    """The editor's rows as the settings' groups table: a blank cell keeps the general rule."""
    frame = edited if isinstance(edited, pl.DataFrame) else pl.from_pandas(edited)  # the editor may give pandas
    values: dict[str, dict[str, Any]] = {}
    for row in frame.to_dicts():
        group = row.get("group")
        if not group:
            continue
        values[str(group)] = {
            name: (bool(row[name]) if name == "on_overdue" else int(row[name]))
            for name in GROUP_SETTINGS
            if row.get(name) is not None and row.get(name) == row.get(name)  # a blank cell (None or NaN): general
        }
    return values


def rules_from_config(config: Config) -> ReminderRules:
    """The reminder rules of the config's [reminders] section alone (names as the dataclass fields)."""
    return settings_from(config.section("reminders")).rules


def company_details(config: Config, name: str, language: str = "ru", inn: str = "") -> str:
    """The signature block: the name, then INN/KPP, address, phone and e-mail where [company] gives them."""
    company = config.section("company")
    lines = [name]
    inn = str(company.get("inn", "") or inn).strip()
    kpp = str(company.get("kpp", "")).strip()
    if inn:
        lines.append(f"{INN[language]} {inn}" + (f", {KPP[language]} {kpp}" if kpp else ""))
    for key in ("address", "phone", "email"):
        value = str(company.get(key, "")).strip()
        if value:
            lines.append(f"{PHONE[language]} {value}" if key == "phone" else value)
    return "\n".join(lines)


def addresses(text: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (text or "").replace(";", ",").split(",") if a.strip())


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:  # checked templates never get here; a safe net all the same
        return "{" + key + "}"


def build_messages(
    queue: pl.DataFrame,
    *,
    company: str,
    language: str = "ru",
    manager_emails: dict[str, str] | None = None,
    templates: Mapping[str, Template] | None = None,
    details: str = "",
    as_of: date | None = None,
    debts: pl.DataFrame | None = None,
) -> list[Message]:
    """One message per counterparty of the queue, its documents in due-date order (a document triggered by
    two rules, or carried from a failed day and due again today, appears once).

    `debts` (counterparty_id, currency, open_debits, overdue as of the day): the client's whole debt. When
    the letter's documents are not all of it, the totals say both: what these documents come to, and all
    the client owes (a client 34 million overdue read «Итого к оплате: 6 189 968,79 ₽» before)."""
    whole: dict[tuple[str, str], tuple[int, int]] = (
        {(r["counterparty_id"], r["currency"]): (r["open_debits"], r["overdue"]) for r in debts.iter_rows(named=True)}
        if debts is not None
        else {}
    )
    money = money_ru if language == "ru" else money_en
    managers = manager_emails or {}
    template = (templates or {}).get(language) or Template(DEFAULT_SUBJECT[language], DEFAULT_BODY[language])
    messages = []
    for (counterparty_id,), rows in queue.sort("counterparty_id", "due_date", "document_id").group_by(
        "counterparty_id", maintain_order=True
    ):
        documents = rows.unique(["kind", "document_id"], keep="first", maintain_order=True)
        first = documents.row(0, named=True)
        lines = []
        totals: dict[str, int] = defaultdict(int)
        overdue: dict[str, int] = defaultdict(int)
        for doc in documents.iter_rows(named=True):
            days = doc["days_overdue"]
            if days > 0:
                status = OVERDUE[language].format(days=days, s="" if days == 1 else "s")
                overdue[doc["currency"]] += doc["open_amount"]
            elif days == 0:
                status = DUE_TODAY[language]
            else:
                status = DUE_IN[language].format(days=-days, s="" if days == -1 else "s")
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
            owed, late = whole.get((counterparty_id, currency), (total, overdue.get(currency, 0)))
            label = TOTAL[language] if owed <= total else TOTAL_LISTED[language]
            text = f"{label}: {money(total, currency)}"
            if overdue.get(currency):
                text += f" ({OF_WHICH_OVERDUE[language]} {money(overdue[currency], currency)})"
            summary.append(text)
            if owed > total:
                day = f"{as_of:%d.%m.%Y}" if as_of else ""
                text = f"{WHOLE_DEBT[language].format(date=day)}: {money(owed, currency)}"
                if late:
                    text += f" ({OF_WHICH_OVERDUE[language]} {money(late, currency)})"
                summary.append(text)
        name = first["counterparty_name"] or counterparty_id
        values = _Fields(
            company=company,
            company_details=details or company,
            counterparty=name,
            documents="\n".join(lines),
            totals="\n".join(summary),
            date=f"{as_of:%d.%m.%Y}" if as_of else "",
            manager=first["manager"] or "",
        )
        manager = managers.get(first["manager"] or "")
        messages.append(
            Message(
                counterparty_id=counterparty_id,
                counterparty_name=name,
                to=addresses(first["email"]),
                cc=(manager,) if manager else (),
                subject=" ".join(template.subject.format_map(values).split()),
                body=template.body.format_map(values),
                documents=documents.height,
                rules=tuple(sorted(set(rows["rule"].to_list()), key=("before", "overdue", "repeat").index)),
                totals=tuple(sorted(totals.items())),
                manager=first["manager"] or "",
            )
        )
    return messages
