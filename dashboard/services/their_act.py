"""The act the counterparty sent back, read from XLSX or CSV as their 1C (or ours) prints it.

The file becomes a grid of cell texts (XLSX through etl.sources.xlsx, exact numbers and date cells as
YYYY-MM-DD; CSV through etl.sources.csv_reader's decoding, `;` or `,`, UTF-8 or Windows-1251). The table is
found by its headings wherever it starts: a row holding Дата, Документ, Дебет, Кредит once (one half) or
twice (two halves), the «По данным …» heading above each half. Which half is theirs: the one whose heading
does not name us (our_names) when the other does; else, with no such hint, the first half (their 1C prints
its own half first), unless only the other holds anything (our own act with their half left empty is no
act of theirs, but our act sent back with their half filled in is). Amounts are kept from THEIR side: the
caller (dashboard.services.reconcile) mirrors them. A file that is not an act raises TheirActError with a
catalog key (dashboard/strings/reconcile.py) and its parameters.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dashboard.formatting import day as format_day
from dashboard.i18n import translate
from domain.errors import InvalidValue
from domain.money import amount as format_amount
from domain.money import parse_money
from etl.errors import FileRefused
from etl.parsing import parse_date
from etl.sources.csv_reader import decode
from etl.sources.xlsx import read_xlsx_rows, sheet_names

Grid = list[tuple[int, list[str]]]  # (row number as the file shows it, cell texts)

_ZIP_MAGIC = b"PK\x03\x04"
_HEADINGS = (
    ("дата",),
    ("документ", "наименование", "содержание", "операция", "вид"),
    ("дебет", "дт"),
    ("кредит", "кт"),
)
_OPENING = ("сальдо начальное", "сальдо на начало", "начальное сальдо")
_TURNOVER = ("обороты за период", "обороты", "итого обороты")
_CLOSING = ("сальдо конечное", "сальдо на конец", "конечное сальдо")
_DATED_BALANCE = ("сальдо на",)  # «Сальдо на 01.01.2026»: the opening before the lines, else the closing
_SUMMARIES = (*_OPENING, *_TURNOVER, *_CLOSING, *_DATED_BALANCE)
_HALF_TITLE = "по данным"
_PERIOD = re.compile(r"период\D{0,12}?(\d{1,2}\.\d{1,2}\.\d{2,4})\D{1,8}?(\d{1,2}\.\d{1,2}\.\d{2,4})", re.IGNORECASE)
_UNIT = re.compile(r"\s*(?:руб\.?|р\.|₽|RUB)\s*$", re.IGNORECASE)
_SHORT_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2})")


@dataclass(frozen=True)
class Message:
    """A sentence for a person, as a catalog key and its parameters (kopecks as int, dates as date)."""

    key: str
    params: tuple[tuple[str, object], ...] = ()

    def text(self, language: str = "ru") -> str:
        shown: dict[str, object] = {}
        for name, value in self.params:
            if isinstance(value, bool) or not isinstance(value, (int, date)):
                shown[name] = value
            elif isinstance(value, date):
                shown[name] = format_day(value, language)
            else:
                shown[name] = format_amount(value, language)
        return translate(self.key, language, **shown)


class TheirActError(ValueError):
    """The file is not an act this reader can read: `message` says why (str() in English, for the CLI)."""

    def __init__(self, key: str, **params: object) -> None:
        self.message = Message(key, tuple(params.items()))
        super().__init__(self.message.text("en"))


@dataclass(frozen=True)
class TheirLine:
    day: date
    document: str
    debit: int  # kopecks, from their side
    credit: int
    row: int = 0  # the row of the file it was read from


@dataclass(frozen=True)
class TheirAct:
    """Their half of the act, from THEIR side (their debit is our credit), and the period its title names."""

    heading: str  # the name after «По данным», '' when the half has no heading
    opening: int  # their debit - credit, kopecks
    lines: tuple[TheirLine, ...]
    turnover: tuple[int, int] | None = None  # (debit, credit) as printed
    closing: int | None = None  # their debit - credit as printed
    warnings: tuple[Message, ...] = field(default=())
    period: tuple[date, date] | None = None  # «за период: 01.01.2026 - 31.03.2026» above the table

    @property
    def computed_closing(self) -> int:
        return self.opening + sum(x.debit - x.credit for x in self.lines)


@dataclass(frozen=True)
class _Half:
    columns: tuple[int, int, int, int]  # date, document, debit, credit
    end: int  # the first column past this half
    heading: str = ""


# -- the grid --------------------------------------------------------------------------------------------


def _xlsx_grids(data: bytes) -> Iterator[Grid]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "act.xlsx"
        path.write_bytes(data)
        try:
            for name in sheet_names(path):
                yield list(read_xlsx_rows(path, name)[1])
        except FileRefused as exc:
            raise TheirActError("reconcile.error.unreadable", reason=str(exc)) from exc


def _csv_grid(data: bytes) -> Grid:
    try:
        text, _encoding = decode(data)
    except FileRefused as exc:
        raise TheirActError("reconcile.error.unreadable", reason=str(exc)) from exc
    lines = text.lstrip("\ufeff").splitlines()
    header = next((x for x in lines if "дебет" in x.casefold() and "кредит" in x.casefold()), lines[0] if lines else "")
    delimiter = max((";", ",", "\t"), key=header.count)
    try:
        rows = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
        return [(n, values) for n, values in enumerate(rows, start=1) if any(v.strip() for v in values)]
    except csv.Error as exc:
        raise TheirActError("reconcile.error.unreadable", reason=str(exc)) from exc


def _grids(data: bytes, file_name: str) -> Iterator[Grid]:
    suffix = Path(file_name).suffix.casefold()
    if data.startswith(_ZIP_MAGIC) or suffix == ".xlsx":
        yield from _xlsx_grids(data)
    elif suffix in ("", ".csv", ".txt"):
        yield _csv_grid(data)
    else:
        raise TheirActError("reconcile.error.format", name=file_name)


# -- the table -------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def _is(cell: str, words: Sequence[str]) -> bool:
    text = _norm(cell).rstrip(":.")
    return any(text == w or text.startswith((w + " ", w + ",")) for w in words)


def _halves(cells: list[str]) -> list[_Half]:
    """The halves of a header row: each run Дата, Документ, Дебет, Кредит among its non-empty cells."""
    filled = [(i, c) for i, c in enumerate(cells) if c.strip()]
    found: list[tuple[int, int, int, int]] = []
    k = 0
    while k + 3 < len(filled):
        window = filled[k : k + 4]
        if all(_is(c, words) for (_, c), words in zip(window, _HEADINGS, strict=True)):
            found.append((window[0][0], window[1][0], window[2][0], window[3][0]))
            k += 4
        else:
            k += 1
    return [_Half(columns, found[n + 1][0] if n + 1 < len(found) else 1 << 20) for n, columns in enumerate(found)]


def _heading_name(text: str) -> str:
    name = " ".join(text.split())[len(_HALF_TITLE) :].strip()
    if "," in name:  # «…, руб.»: the unit after the last comma
        name = name.rsplit(",", 1)[0].strip()
    return name


def _with_headings(grid: Grid, at: int, halves: list[_Half]) -> list[_Half]:
    """The «По данным …» heading of each half, from the few rows above the header row."""
    named = []
    for half in halves:
        heading = ""
        for _n, cells in reversed(grid[max(0, at - 3) : at]):
            texts = [c for i, c in enumerate(cells) if half.columns[0] - 1 <= i < half.end and c.strip()]
            title = next((c for c in texts if _norm(c).startswith(_HALF_TITLE)), None)
            if title is not None:
                heading = _heading_name(title)
                break
        named.append(_Half(half.columns, half.end, heading))
    return named


def _simple(text: str) -> str:
    return re.sub(r"[\"'«»“”„ ]+", " ", _norm(text)).strip()


def _named(half: _Half, names_: Sequence[str]) -> bool:
    """Whether the half's heading names one of these parties (quotes, spaces and case aside)."""
    heading = _simple(half.heading)
    names = [_simple(x) for x in names_ if x and x.strip()]
    return bool(heading) and any(name in heading or heading in name for name in names)


def _cell(cells: list[str], i: int) -> str:
    return cells[i].strip() if i < len(cells) else ""


def _money(text: str, row: int) -> int:
    """Kopecks of an amount cell; a currency written after it («1 234,56 руб.», «₽») is no part of it."""
    text = _UNIT.sub("", text)
    if not text:
        return 0
    try:
        return parse_money(text)
    except InvalidValue as exc:
        raise TheirActError("reconcile.error.bad_amount", row=str(row), value=text) from exc


def _date(text: str) -> date | None:
    day, _, time = text.strip().replace("/", ".").partition(" ")
    text = day if ":" in time else text.replace("/", ".")
    short = _SHORT_DATE.fullmatch(text)
    if short is not None:
        text = f"{short[1]}.{short[2]}.20{short[3]}"
    try:
        return parse_date(text)
    except InvalidValue:
        return None


@dataclass
class _Reading:
    opening: int | None = None
    turnover: tuple[int, int] | None = None
    closing: int | None = None
    lines: list[TheirLine] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.opening in (None, 0) and self.closing in (None, 0) and not self.lines


def _read_half(grid: Grid, start: int, half: _Half) -> _Reading:
    """The rows of one half below its header, up to «Сальдо конечное» (or the end of the table)."""
    day_col, doc_col, debit_col, credit_col = half.columns
    reading = _Reading()
    for n, cells in grid[start:]:
        texts = [_cell(cells, i) for i in range(day_col, debit_col) if _cell(cells, i)]
        debit_text, credit_text = _cell(cells, debit_col), _cell(cells, credit_col)
        if not texts and (debit_text or credit_text):  # our own act: their half's summary rows bear no words
            texts = [c for c in cells if _is(c, _SUMMARIES)][:1]
        # «Сальдо начальное» merged over Дата and Документ, or in Документ beside its date (our own act)
        label = next((t for t in texts if _is(t, _SUMMARIES)), " ".join(texts))
        if _is(label, _DATED_BALANCE) and not _is(label, (*_OPENING, *_CLOSING)):
            first = reading.opening is None and not reading.lines and reading.turnover is None
            label = _OPENING[0] if first else _CLOSING[0]
        if _is(label, _OPENING):
            reading.opening = _money(debit_text, n) - _money(credit_text, n)
        elif _is(label, _TURNOVER):
            reading.turnover = (_money(debit_text, n), _money(credit_text, n))
        elif _is(label, _CLOSING):
            reading.closing = _money(debit_text, n) - _money(credit_text, n)
            break
        elif _norm(label).startswith(_HALF_TITLE):
            break  # the sentence below the table
        else:
            when = _date(_cell(cells, day_col))
            if when is None or not (debit_text or credit_text):
                continue  # a heading inside the table («Договор № …»), or the other half's row
            document = _cell(cells, doc_col) or label
            reading.lines.append(TheirLine(when, document, _money(debit_text, n), _money(credit_text, n), n))
    return reading


def _period(rows: Grid) -> tuple[date, date] | None:
    """The period the act's title names («за период: 01.01.2026 - 31.03.2026», «с 01.01.2026 по …»)."""
    for _n, cells in rows:
        for cell in cells:
            found = _PERIOD.search(cell)
            if found is not None:
                first, last = _date(found[1]), _date(found[2])
                if first is not None and last is not None:
                    return first, last
    return None


def _find_table(grid: Grid) -> tuple[int, list[_Half]] | None:
    """The header row and its halves; a header in two rows (Дата, Документ above Дебет, Кредит) is read as one."""
    for at, (_n, cells) in enumerate(grid):
        halves = _halves(cells)
        if not halves and at > 0 and any(_is(c, _HEADINGS[2]) for c in cells):
            above = grid[at - 1][1]
            merged = [
                c if c.strip() else _cell(above, i) for i, c in enumerate([*cells, *[""] * (len(above) - len(cells))])
            ]
            halves = _halves(merged)
        if halves:
            return at, _with_headings(grid, at, halves[:2])
    return None


def read_their_act(
    data: bytes, file_name: str, *, our_names: Sequence[str] = (), their_names: Sequence[str] = ()
) -> TheirAct:
    """Their half of the act in the file (XLSX or CSV), from their side; TheirActError when it is no act.
    our_names: the names our half may bear; their_names (the counterparty's, when known) decide when no
    half names us."""
    if not data.strip():
        raise TheirActError("reconcile.error.empty", name=file_name)
    table = None
    grid: Grid = []
    for grid in _grids(data, file_name):
        table = _find_table(grid)
        if table is not None:
            break
    if table is None:
        raise TheirActError("reconcile.error.no_table", name=file_name)
    at, halves = table
    readings = [_read_half(grid, at + 1, half) for half in halves]
    warnings: list[Message] = []
    ours = [i for i, half in enumerate(halves) if _named(half, our_names)]
    named_theirs = [i for i, half in enumerate(halves) if _named(half, their_names) and i not in ours]
    if len(halves) == 2 and len(ours) == 1:
        pick = 1 - ours[0]
    elif len(halves) == 2 and len(named_theirs) == 1:
        pick = named_theirs[0]
    elif len(halves) == 2 and readings[0].empty and not readings[1].empty:
        pick = 1
    else:
        pick = 0
        if len(halves) == 2 and (our_names or their_names) and not ours:
            warnings.append(Message("reconcile.warning.first_half", (("heading", halves[0].heading),)))
    reading, half = readings[pick], halves[pick]
    if reading.empty and reading.opening is None and reading.closing is None:
        raise TheirActError("reconcile.error.no_rows", name=file_name)
    opening = reading.opening or 0
    if reading.opening is None:
        warnings.append(Message("reconcile.warning.no_opening"))
    act = TheirAct(half.heading, opening, tuple(reading.lines), reading.turnover, reading.closing)
    if reading.turnover is not None:
        debit = sum(x.debit for x in reading.lines)
        credit = sum(x.credit for x in reading.lines)
        if (debit, credit) != reading.turnover:
            warnings.append(
                Message(
                    "reconcile.warning.turnover",
                    (
                        ("printed_debit", reading.turnover[0]),
                        ("printed_credit", reading.turnover[1]),
                        ("debit", debit),
                        ("credit", credit),
                    ),
                )
            )
    if reading.closing is not None and reading.closing != act.computed_closing:
        warnings.append(
            Message(
                "reconcile.warning.closing",
                (
                    ("printed", reading.closing),
                    ("computed", act.computed_closing),
                    ("difference", reading.closing - act.computed_closing),
                ),
            )
        )
    period = _period(grid[:at])
    return TheirAct(act.heading, act.opening, act.lines, act.turnover, act.closing, tuple(warnings), period)
