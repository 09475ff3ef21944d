"""Reading a 1CClientBankExchange file into its header, balance sections and documents, as raw text.

The encoding is told from the bytes themselves (the Кодировка header is not to be trusted), line
numbers are the ones a text editor shows, and a file that is no statement, or is cut off inside a
document, is refused with a reason a person can act on.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import FileRefused
from etl.sources.text import utf8_or_none

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
_BLOCK = 1 << 20  # characters of text split into lines at a time
_LEFT_OUT = "\x00left out"  # a document's key not kept (never a key: a statement holds no NUL)


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
    utf8 = utf8_or_none(
        data,
        lambda utf8_line, bad_line: (
            f"the statement mixes text encodings: line {utf8_line} is UTF-8, line {bad_line} is not: export it again"
        ),
    )
    if utf8 is not None:
        return utf8, "utf-8"
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


def _split_lines(text: str) -> Iterator[str]:
    """The text's lines, as text.split would give them, made a block of about _BLOCK characters at a time:
    a list of a big statement's million lines at once was most of the load's memory while reading it.

    str.splitlines would also split on \x0b, \x1c, \u2028 and friends, shifting line numbers away from
    what a text editor shows; statements only ever use CRLF, LF or (rarely) CR."""
    separator = "\n" if "\n" in text else "\r"
    start = 0
    while True:
        end = text.find(separator, start + _BLOCK)
        if end < 0:
            yield from text[start:].split(separator)
            return
        yield from text[start:end].split(separator)
        start = end + 1


def read_bank_statement(path: Path, fields: Collection[str] | None = None) -> BankStatement:
    """Read a 1CClientBankExchange file; raise FileRefused when it cannot be read as a statement.

    `fields`: keep only these keys of each document (None: every key). The loader keeps the ones
    `classify` reads (incoming.CLASSIFIED_FIELDS): at 36,000 documents of 28 keys, the rest were a few
    hundred MB of text held until the statement was classified."""
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
    del data
    return _parse(_split_lines(text), encoding, None if fields is None else frozenset(fields))


_Numbered = Iterator[tuple[int, str]]


def _cut_off(doc_line: int) -> FileRefused:
    return FileRefused(f"the statement is cut off: document at line {doc_line} has no КонецДокумента")


def _read_document(
    numbered: _Numbered,
    doc_line: int,
    keys: dict[str, str],
    keep: frozenset[str] | None,
    heads: dict[str, str],
) -> dict[str, str]:
    """Consume a document's lines up to КонецДокумента; the hot loop of the reader, kept minimal.

    `keys`: one string object per key for every document (a million lines repeat a few dozen keys);
    `keep`: the keys kept (None: all); `heads`: what a line's text before "=" was found to be, a key kept
    (its one string) or one left out (_LEFT_OUT), never a section's marker: a million lines repeat a few
    dozen, each then read with one look-up."""
    fields: dict[str, str] = {}
    for _number, raw in numbered:
        key, eq, value = raw.partition("=")
        if eq and (known := heads.get(key)) is not None:  # a key met before: kept (its one string) or not
            if known is not _LEFT_OUT and known not in fields:
                fields[known] = value.strip()
            continue
        head, key = key, key.strip()
        if key in _SECTION_KEYS:
            if key == _DOC_END:
                return fields
            if key == _ACCOUNT_END:
                continue  # a stray end marker carries nothing
            # A new section or the file's end before this document closed: the writer stopped mid-way.
            raise _cut_off(doc_line)
        if eq:
            kept = keep is None or key in keep
            heads[head] = keys.setdefault(key, key) if kept else _LEFT_OUT
            if kept and key not in fields:
                fields[heads[head]] = value.strip()
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


def _parse(lines: Iterable[str], encoding: str, keep: frozenset[str] | None) -> BankStatement:
    header: dict[str, str] = {}
    accounts: set[str] = set()
    account_sections: list[dict[str, str]] = []
    documents: list[BankDocument] = []
    keys: dict[str, str] = {}
    heads: dict[str, str] = {}
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
            doc_type = value.strip()
            doc_type = keys.setdefault(doc_type, doc_type)
            documents.append(BankDocument(number, doc_type, _read_document(numbered, number, keys, keep, heads)))
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
