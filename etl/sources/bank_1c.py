"""Reader for 1C "Клиент-банк" exchange files (1CClientBankExchange, format 1.02/1.03).

A statement is a text file of ``key=value`` lines: a header, then ``СекцияРасчСчет ... КонецРасчСчет``
sections (one per own account, with balances), then ``СекцияДокумент=<type> ... КонецДокумента``
sections (one per payment), then ``КонецФайла``. It comes in Windows-1251, CP866 ("DOS") or UTF-8.

Reading (:func:`read_bank_statement`) keeps every value as raw text; interpreting documents is
:func:`classify`'s job, so a broken document becomes a reject row, never a refused file.

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
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from etl.errors import FileRefused
from etl.sources.text import line_of, utf8_cyrillic_line

__all__ = [
    "BankDocument",
    "BankStatement",
    "Classified",
    "IncomingPayment",
    "classify",
    "is_bank_statement",
    "read_bank_statement",
]

MAGIC = "1CClientBankExchange"
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Section markers, compared exactly: every producer we know writes them this way, and exact string
# comparison keeps the per-line loop cheap.
_ACCOUNT_START = "СекцияРасчСчет"
_ACCOUNT_END = "КонецРасчСчет"
_DOC_START = "СекцияДокумент"
_DOC_END = "КонецДокумента"
_FILE_END = "КонецФайла"
_ACCOUNT_KEY = "РасчСчет"
_SECTION_KEYS = frozenset((_ACCOUNT_START, _ACCOUNT_END, _DOC_START, _DOC_END, _FILE_END))

# Words that occur in any real statement; their bytes differ between Windows-1251 and CP866, so finding
# one of them tells the encoding from the bytes themselves, whatever the Кодировка header claims.
_MARKERS = ("Кодировка", "ВерсияФормата", _ACCOUNT_START, _DOC_START, _FILE_END, _ACCOUNT_KEY)
# Only the head is searched for markers: the header and the first section are enough, and a 100 MB
# statement should not be scanned twice.
_HEAD_BYTES = 64 * 1024

_AMOUNT_RE = re.compile(r"^(\d+)(?:[.,](\d*))?$")
_DATE_RU_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DATE_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# "Плательщик=ИНН 7701234567 ООО Ромашка": 1C puts the INN before the name in the one-line field.
_INN_PREFIX_RE = re.compile(r"^ИНН\s*\d*\s+")
_ID_UNSAFE_RE = re.compile(r"[^\w-]+")
_PURPOSE = "НазначениеПлатежа"
_PURPOSE_LINES = tuple(f"{_PURPOSE}{i}" for i in range(1, 7))


@dataclass(frozen=True)
class BankDocument:
    line: int  # 1-based line of its СекцияДокумент line in the file
    doc_type: str  # the value after СекцияДокумент= (e.g. "Платежное поручение")
    fields: dict[str, str]  # every key=value inside the section, raw strings (first value wins)


@dataclass(frozen=True)
class BankStatement:
    encoding: str  # detected: "cp1251", "cp866" or "utf-8"
    header: dict[str, str]  # key=value lines before the first section (first value wins)
    accounts: frozenset[str]  # every РасчСчет= in the header and in СекцияРасчСчет sections
    documents: tuple[BankDocument, ...]
    has_end: bool  # КонецФайла seen
    # Addition to the agreed API: each СекцияРасчСчет's key=value lines (balances, turnovers), so a
    # caller can check НачальныйОстаток/КонечныйОстаток. Defaulted, so positional construction still works.
    account_sections: tuple[dict[str, str], ...] = field(default=())


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


# --------------------------------------------------------------------------------------------------
# Reading


def _strip_bom(data: bytes) -> bytes:
    return data[len(_BOM) :] if data.startswith(_BOM) else data


def _first_line_is_magic(data: bytes) -> bool:
    """The first line, as bytes: the magic is ASCII, identical in all three encodings.

    A UTF-16 statement (with its byte order mark) is recognised too, so that it is refused with the
    reason rather than skipped as an unknown file."""
    if data.startswith(_UTF16_BOMS):
        head = data[: 2 + 2 * (len(MAGIC) + 2)]
        data = head[2:].decode("utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be", "replace").encode()
    data = _strip_bom(data)
    end = data.find(b"\n")
    first = data if end < 0 else data[:end]
    # A file with old Mac line ends (CR only) has no LF at all.
    first = first.split(b"\r", 1)[0]
    return first.rstrip(b" \t") == MAGIC.encode("ascii")


def is_bank_statement(path: Path) -> bool:
    """True when the file's first line (after an optional UTF-8 BOM) is exactly 1CClientBankExchange.

    Never raises: a file that cannot be opened is simply not recognised as a statement, and the
    caller reports it as skipped or refused through its own path.
    """
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(256)
    except OSError:
        return False
    return _first_line_is_magic(head)


def _decode(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 when the bytes are valid UTF-8, else as CP866 or Windows-1251 by the bytes.

    Strict UTF-8 first: Cyrillic in Windows-1251 or CP866 is practically never valid UTF-8, while
    kilylabs_one_day_utf8.txt shows a UTF-8 file whose header still says Кодировка=Windows. Between
    the two single-byte encodings the header's own words decide (a Кодировка key spelled in CP866
    bytes means CP866, whatever its value says); with no known word at all, the format's default,
    Windows-1251.
    """
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_line = utf8_cyrillic_line(data)
        if utf8_line is not None:
            raise FileRefused(
                f"the statement mixes text encodings: line {utf8_line} is UTF-8, line {line_of(data, exc.start)} "
                "is not: export it again"
            ) from None
    head = data[:_HEAD_BYTES]
    encoding = None
    for marker in _MARKERS:
        if marker.encode("cp866") in head:
            encoding = "cp866"
            break
        if marker.encode("cp1251") in head:
            encoding = "cp1251"
            break
    if encoding is None:
        # Not one of the format's own words in either encoding: KOI8-R or the like. Read as
        # Windows-1251 regardless, not a key would match and every document would vanish unseen.
        raise FileRefused(
            "the statement's text encoding is not recognised (none of its keywords, such as СекцияДокумент, "
            "reads in Windows-1251, CP866 or UTF-8): export it again in Windows-1251"
        )
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        # Only Windows-1251 can fail here (byte 0x98 is undefined in it); CP866 maps all 256 bytes.
        raise FileRefused(
            f"the statement is neither UTF-8 nor Windows-1251 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc


def _split_lines(text: str) -> list[str]:
    # str.splitlines would also split on \x0b, \x1c, \u2028 and friends, shifting line numbers away
    # from what a text editor shows; statements only ever use CRLF, LF or (rarely) CR.
    if "\n" in text:
        return text.split("\n")
    return text.split("\r")


def read_bank_statement(path: Path) -> BankStatement:
    """Read a 1CClientBankExchange file; raise FileRefused when it cannot be read as a statement."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise FileRefused("the file is empty, not a 1C bank statement")
    if not _first_line_is_magic(data):
        raise FileRefused("not a 1C bank statement: the first line must be 1CClientBankExchange")
    if data.startswith(_UTF16_BOMS):
        raise FileRefused(
            "the statement is UTF-16 text; 1C writes Windows-1251, CP866 or UTF-8: export it again in Windows-1251"
        )
    if b"\x00" in data:
        # NUL never occurs in text; it means a binary file (or UTF-16) that happens to start right.
        raise FileRefused("not a 1C bank statement: the file contains binary data")
    text, encoding = _decode(_strip_bom(data))
    return _parse(_split_lines(text), encoding)


_Numbered = Iterator[tuple[int, str]]


def _cut_off(doc_line: int) -> FileRefused:
    return FileRefused(f"the statement is cut off: document at line {doc_line} has no КонецДокумента")


def _read_document(numbered: _Numbered, doc_line: int) -> dict[str, str]:
    """Consume a document's lines up to КонецДокумента; the hot loop of the reader, kept minimal."""
    fields: dict[str, str] = {}
    for _number, raw in numbered:
        key, eq, value = raw.partition("=")
        key = key.strip()
        if key in _SECTION_KEYS:
            if key == _DOC_END:
                return fields
            if key == _ACCOUNT_END:
                continue  # a stray end marker carries nothing
            # A new section or the file's end before this document closed: the writer stopped mid-way.
            raise _cut_off(doc_line)
        if eq and key not in fields:
            fields[key] = value.strip()
        # A line without "=" inside a section carries nothing we can use.
    raise _cut_off(doc_line)


def _read_account_section(numbered: _Numbered, accounts: set[str]) -> tuple[dict[str, str], tuple[int, str] | None]:
    """Consume a СекцияРасчСчет; return its fields and the line that ended it without КонецРасчСчет.

    A balance section missing its end marker loses nothing, so it is tolerated: the line that opened
    the next section is handed back for the caller to process.
    """
    fields: dict[str, str] = {}
    for number, raw in numbered:
        key, eq, value = raw.partition("=")
        key = key.strip()
        if key in _SECTION_KEYS:
            if key == _ACCOUNT_END:
                return fields, None
            if key != _DOC_END:
                return fields, (number, raw)
            continue
        if eq:
            value = value.strip()
            fields.setdefault(key, value)
            if key == _ACCOUNT_KEY and value:
                accounts.add(value)
    return fields, None


def _parse(lines: list[str], encoding: str) -> BankStatement:
    header: dict[str, str] = {}
    accounts: set[str] = set()
    account_sections: list[dict[str, str]] = []
    documents: list[BankDocument] = []
    has_end = False
    in_header = True

    # Line 1 is the magic, already checked; numbering from 1 keeps line numbers as a text editor shows.
    numbered: _Numbered = enumerate(lines, start=1)
    next(numbered, None)
    pending: tuple[int, str] | None = None  # a line handed back by an unterminated balance section
    while True:
        if pending is None:
            item = next(numbered, None)
            if item is None:
                break
            number, raw = item
        else:
            (number, raw), pending = pending, None
        key, eq, value = raw.partition("=")
        key = key.strip()
        if key == _DOC_START:
            in_header = False
            documents.append(BankDocument(number, value.strip(), _read_document(numbered, number)))
        elif key == _ACCOUNT_START:
            in_header = False
            section, pending = _read_account_section(numbered, accounts)
            account_sections.append(section)
        elif key == _FILE_END:
            has_end = True
            break  # anything after КонецФайла is not part of the statement
        elif eq and key and in_header:
            value = value.strip()
            header.setdefault(key, value)
            if key == _ACCOUNT_KEY and value:
                accounts.add(value)  # every РасчСчет of the header, not only the first
        # Blank lines, lines without "=" and stray lines between sections cannot belong to anything.

    return BankStatement(
        encoding=encoding,
        header=header,
        accounts=frozenset(accounts),
        documents=tuple(documents),
        has_end=has_end,
        account_sections=tuple(account_sections),
    )


# --------------------------------------------------------------------------------------------------
# Classifying


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
    normalised = f"{Decimal(amount.replace(',', '.')):.2f}"
    basis = "|".join((doc_date.isoformat(), number, payer_inn, payer_account, normalised))
    digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:10]
    return f"BANK-{doc_date:%Y%m%d}-{_ID_UNSAFE_RE.sub('', number)}-{digest}"


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
