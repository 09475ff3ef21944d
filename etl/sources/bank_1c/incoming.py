"""Which documents of a statement are payments to the company, and under what key they load.

Direction rule (the contract's, refined so anonymised samples work):

1. A document whose ``ПлательщикСчет`` is one of the statement's own accounts (every ``РасчСчет=`` in
   the header and in ``СекцияРасчСчет`` sections) was SENT by the company: skipped and counted.
   This includes transfers between two own accounts. So is a document whose ``ПлательщикИНН`` is the
   configured company INN: the company moving its own money from an account at another bank.
2. Otherwise it is INCOMING when its ``ПолучательСчет`` is one of the own accounts, or when a company
   INN is configured and ``ПолучательИНН`` equals it.
3. Everything else (neither side is ours, e.g. a bank fee order on some internal bank account) is
   counted with the sent documents: it is not a payment to the company.

Rule 1 comes first because an own account on the payer side is the strongest evidence of direction a
statement carries: a transfer between two own accounts, or a sample whose INNs are anonymised to the same
value on both sides, must not count as money received. Accounts are preferred to INNs because anonymised
samples (kilylabs) keep the statement's own account but not the company's INN.

An incoming payment's key is stable across reloads and across overlapping statements: it is built from
the payment order's own identity (``Дата``, ``Номер``, payer INN, payer account, amount), never from
the file, the line or the statement period.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from etl.errors import FileRefused
from etl.sources.bank_1c.reader import BankStatement

_AMOUNT_RE = re.compile(r"^(\d+)(?:[.,](\d*))?$")
_DATE_RU_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DATE_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# "Плательщик=ИНН 7701234567 ООО Ромашка": 1C puts the INN before the name in the one-line field.
_INN_PREFIX_RE = re.compile(r"^ИНН\s*\d*\s+")
_ID_UNSAFE_RE = re.compile(r"[^\w-]+")
# An amount Decimal would give back as it is with two decimals (no leading zero, a point, two digits). ASCII
# digits only: \d would take other scripts' digits too, which Decimal reads but gives back as ASCII.
_AMOUNT_NORMAL_RE = re.compile(r"(?:0|[1-9][0-9]*)\.[0-9]{2}")
_PURPOSE = "НазначениеПлатежа"
_PURPOSE_LINES = tuple(f"{_PURPOSE}{i}" for i in range(1, 7))
_PURPOSE_LINE_KEYS = frozenset(_PURPOSE_LINES)
# Every key of a document classify reads: the loader reads a statement keeping only these
# (reader.read_bank_statement's `fields`), and a test holds classify to the same result either way.
CLASSIFIED_FIELDS = frozenset(
    (
        "ПлательщикСчет",
        "ПлательщикИНН",
        "ПолучательСчет",
        "ПолучательИНН",
        "Сумма",
        "Дата",
        "ДатаПоступило",
        "Номер",
        "Плательщик1",
        "Плательщик",
        _PURPOSE,
        *_PURPOSE_LINES,
    )
)


@dataclass(frozen=True)
class IncomingPayment:
    document_id: str  # stable key, see _document_id
    line: int
    date: date  # ДатаПоступило if present else Дата
    number: str
    amount_text: str  # Сумма as in the file; the loader parses money exactly
    payer_inn: str
    payer_name: str
    payer_account: str
    purpose: str


@dataclass(frozen=True)
class Classified:
    incoming: tuple[IncomingPayment, ...]
    sent: int  # documents the company sent, or that are not addressed to it (skipped and counted)
    problems: tuple[tuple[int, str, str, str], ...]  # (line, field, value, human reason)


@lru_cache(maxsize=4096)  # a statement's tens of thousands of payments fall on a few dozen days
def _parse_date(text: str) -> date | None:
    """DD.MM.YYYY as in the format, YYYY-MM-DD as the contract allows; a time part is dropped."""
    text = text.strip().split(" ", 1)[0]
    match = _DATE_RU_RE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _DATE_ISO_RE.match(text)
        if not match:
            return None
        year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _amount_problem(text: str) -> str | None:
    """Why Сумма is unusable, or None. Decimal only: money never passes through a float."""
    if not text:
        return "the amount (Сумма) is missing"
    match = _AMOUNT_RE.match(text)
    if not match:
        if text[0] == "-" and _AMOUNT_RE.match(text[1:]):
            return "the amount (Сумма) must be greater than zero"
        return "the amount (Сумма) is not a number"
    decimals = (match.group(2) or "").rstrip("0")
    if len(decimals) > 2:
        return "the amount (Сумма) has more than 2 decimals"
    if Decimal(text.replace(",", ".")) <= 0:
        return "the amount (Сумма) must be greater than zero"
    return None


def _purpose(fields: dict[str, str]) -> str:
    """НазначениеПлатежа, plus НазначениеПлатежа1..6 when they add something.

    In the 1C standard the numbered fields are the same text broken into print lines; appending them
    blindly would double the text, so they are added only when not already contained in the main one.
    """
    main = fields.get(_PURPOSE, "").strip()
    if _PURPOSE_LINE_KEYS.isdisjoint(fields):  # most statements carry the purpose in one line
        return main
    extra = " ".join(part for key in _PURPOSE_LINES if (part := fields.get(key, "").strip()))
    if not extra:
        return main
    if not main:
        return extra
    if "".join(extra.split()) in "".join(main.split()):
        return main
    return f"{main} {extra}"


def _payer_name(fields: dict[str, str]) -> str:
    name = fields.get("Плательщик1", "").strip() or fields.get("Плательщик", "").strip()
    if not name.startswith("ИНН"):
        return name
    return _INN_PREFIX_RE.sub("", name, count=1) or name


def _document_id(doc_date: date, number: str, payer_inn: str, payer_account: str, amount: str) -> str:
    """BANK-<Дата>-<Номер>-<10 hex of sha1>: readable, and stable for the same payment order.

    The amount is normalised (1000 and 1000.00 are the same payment) and the document date (Дата) is
    used rather than ДатаПоступило, because a client-side export may lack ДатаПоступило while the
    bank's statement has it; the order's own date and number are what identify it.
    """
    normalised = amount if _AMOUNT_NORMAL_RE.fullmatch(amount) else f"{Decimal(amount.replace(',', '.')):.2f}"
    basis = "|".join((doc_date.isoformat(), number, payer_inn, payer_account, normalised))
    digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:10]
    # \w is str.isalnum's letters and digits and "_": a number of them alone has nothing to take out.
    safe = number if number.isalnum() else _ID_UNSAFE_RE.sub("", number)
    return f"BANK-{doc_date:%Y%m%d}-{safe}-{digest}"


def classify(statement: BankStatement, company_inn: str | None) -> Classified:
    """Split a statement into incoming payments, a count of the rest, and broken incoming documents.

    See the module docstring for the direction rule. A statement that does not end with КонецФайла is
    refused (FileRefused): it was cut off, and the documents after the cut would be missing unseen.
    Reading alone tolerates it (has_end), so the balances of a fragment can still be looked at.
    """
    if not statement.has_end:
        raise FileRefused(
            "the statement is cut off: it does not end with КонецФайла, so documents may be missing "
            "after the last one read: export it again"
        )
    own = statement.accounts
    inn = (company_inn or "").strip()
    incoming: list[IncomingPayment] = []
    problems: list[tuple[int, str, str, str]] = []
    sent = 0

    for doc in statement.documents:
        fields = doc.fields
        payer_account = fields.get("ПлательщикСчет", "").strip()
        if payer_account and payer_account in own:
            sent += 1
            continue
        if inn and fields.get("ПлательщикИНН", "").strip() == inn:
            sent += 1  # the company's own money from its account at another bank: not a customer payment
            continue
        receiver_account = fields.get("ПолучательСчет", "").strip()
        receiver_inn = fields.get("ПолучательИНН", "").strip()
        if not ((receiver_account and receiver_account in own) or (inn and receiver_inn == inn)):
            sent += 1
            continue

        broken = False
        amount = fields.get("Сумма", "").strip()
        reason = _amount_problem(amount)
        if reason:
            problems.append((doc.line, "Сумма", amount, reason))
            broken = True
        doc_date_text = fields.get("Дата", "").strip()
        doc_date = _parse_date(doc_date_text)
        if doc_date is None:
            reason = (
                "the date (Дата) is missing" if not doc_date_text else "the date (Дата) is not a valid DD.MM.YYYY date"
            )
            problems.append((doc.line, "Дата", doc_date_text, reason))
            broken = True
        received_text = fields.get("ДатаПоступило", "").strip()
        received = _parse_date(received_text) if received_text else doc_date
        if received_text and received is None:
            problems.append(
                (
                    doc.line,
                    "ДатаПоступило",
                    received_text,
                    "the receipt date (ДатаПоступило) is not a valid DD.MM.YYYY date",
                )
            )
            broken = True
        if broken or doc_date is None or received is None:
            continue

        number = fields.get("Номер", "").strip()
        payer_inn = fields.get("ПлательщикИНН", "").strip()
        incoming.append(
            IncomingPayment(
                document_id=_document_id(doc_date, number, payer_inn, payer_account, amount),
                line=doc.line,
                date=received,
                number=number,
                amount_text=amount,
                payer_inn=payer_inn,
                payer_name=_payer_name(fields),
                payer_account=payer_account,
                purpose=_purpose(fields),
            )
        )

    return Classified(incoming=tuple(incoming), sent=sent, problems=tuple(problems))
