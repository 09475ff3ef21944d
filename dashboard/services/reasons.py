"""A reject's reason, a load warning or a file's message in the reader's language.

The load stores its reasons in English (the rejects table, the load's file messages) and the CLI prints them
as stored: that text is a contract with outside scripts and stays as it is. A Russian reader sees each one
rendered through the catalog's table of reasons (dashboard/strings/reasons.py): the English form of each
entry, its {placeholders} made named groups, is one anchored regular expression; the first entry that matches
gives the Russian template, filled with the groups as their format specs say.

A reason of several parts joined by "; " (a warning's "...; the row loads without it", an unknown contract
"...; its contracts: ...") is rendered part by part: the reading that leaves the fewest characters to no
entry wins, and of two that leave as few, the one of more parts (so a value group never swallows a part
that has an entry of its own). A part no entry knows stays as the load wrote it: nothing is lost, nothing
raises. A list of 100,000 rejects is rendered once per distinct reason (`reasons_in`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from string import Formatter
from typing import Any

import polars as pl

from dashboard.i18n import CATALOG
from dashboard.strings.reasons import ALTERNATIVE, AND_MORE, MONTHS_IN, NOT_GIVEN, PLACEHOLDERS, STRINGS

SEPARATOR = "; "
_MOST_PARTS = 8  # parts one entry may span: a longer run of "; " is rendered part by part
_NBSP = "\u00a0"
_FORMATTER = Formatter()


def _pattern(index: int, english: str) -> str:
    """The English form as a regular expression: literal text, each {name} a group `r<index>_<name>`
    (a name met again must match the same text)."""
    out: list[str] = []
    seen: set[str] = set()
    for literal, name, _spec, _conversion in _FORMATTER.parse(english):
        out.append(re.escape(literal))
        if name is None:
            continue
        group = f"r{index}_{name}"
        out.append(f"(?P={group})" if name in seen else f"(?P<{group}>{PLACEHOLDERS.get(name, '.+')})")
        seen.add(name)
    return "".join(out)


_KEYS = list(STRINGS)
_NAMES = [
    {name for _literal, name, _spec, _conversion in _FORMATTER.parse(STRINGS[key]["en"]) if name is not None}
    for key in _KEYS
]
# One alternation of every entry, tried in the catalog's order: the C engine, not a Python loop per entry.
_ANY = re.compile(
    "|".join(f"(?P<r{index}>{_pattern(index, STRINGS[key]['en'])})" for index, key in enumerate(_KEYS)),
    re.DOTALL,
)


def _match(text: str) -> tuple[str, dict[str, str]] | None:
    """The catalog key of the first entry whose English form is the whole text, and its values by name."""
    found = _ANY.fullmatch(text)
    if found is None or found.lastgroup is None:
        return None
    index = int(found.lastgroup[1:])
    return _KEYS[index], {name: found.group(f"r{index}_{name}") for name in _NAMES[index]}


def _parts(text: str) -> list[tuple[tuple[str, dict[str, str]] | None, str]]:
    """The text cut at "; " into runs of parts, each with the entry it matches (None: no entry)."""
    pieces = text.split(SEPARATOR)
    count = len(pieces)
    # best[i]: (-characters unknown, parts, the runs) for pieces[i:]: the fewest unknown first, then the most parts.
    best: list[tuple[int, int, list[Any]]] = [(0, 0, [])] * (count + 1)
    for start in range(count - 1, -1, -1):
        chosen: tuple[int, int, list[Any]] | None = None
        for end in range(start + 1, min(count, start + _MOST_PARTS) + 1):
            run = SEPARATOR.join(pieces[start:end])
            found = _match(run)
            if found is None and end > start + 1:
                continue
            minus_unknown, parts, runs = best[end]
            option = (minus_unknown - (0 if found else len(run)), parts + 1, [(found, run), *runs])
            if chosen is None or option[:2] > chosen[:2]:
                chosen = option
        best[start] = chosen or (0, 0, [])
    return best[0][2]


def _plural(number: int, forms: str) -> str:
    one, few, many = forms.split("|")
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


def _number(text: str) -> str:
    """2,500 or 2500 -> 2 500 (a no-break space between thousands, so a number never wraps)."""
    digits = text.replace(",", "")
    return f"{int(digits):,}".replace(",", _NBSP) if digits.isdigit() else text


def _converted(value: str, spec: str) -> str:
    """A value as the Russian template's format spec asks (dashboard/strings/reasons.py lists them)."""
    if spec == "reason":
        return _russian(value)
    if spec == "num":
        return _number(value)
    if spec == "decimal":
        return value.replace(".", ",")
    if spec == "month":
        return MONTHS_IN.get(value, value)
    if spec == "list":
        return re.sub(AND_MORE[0], AND_MORE[1], value)
    if spec == "or":
        return value.replace(*ALTERNATIVE)
    if spec == "none":
        return NOT_GIVEN if value == "(none)" else value
    if spec == "entity":
        label = CATALOG.get(f"data.entity.{value}")
        return label["ru"] if label else value
    if "|" in spec and value.replace(",", "").isdigit():
        return f"{_number(value)} {_plural(int(value.replace(',', '')), spec)}"
    return value


def _filled(template: str, values: dict[str, str]) -> str:
    out: list[str] = []
    for literal, name, spec, _conversion in _FORMATTER.parse(template):
        out.append(literal)
        if name is not None:
            out.append(_converted(values.get(name, ""), spec or ""))
    return "".join(out)


@lru_cache(maxsize=1 << 16)
def _russian(text: str) -> str:
    return SEPARATOR.join(
        run if found is None else _filled(STRINGS[found[0]]["ru"], found[1]) for found, run in _parts(text)
    )


def reason_in(text: str, language: str) -> str:
    """The load's reason (a reject's, a warning's, a file's message) in `language`: as stored for English,
    rendered for Russian; a part of it no entry knows stays as stored."""
    if language != "ru" or not text:
        return text
    return _russian(text)


def reasons_in(reasons: pl.Series, language: str) -> pl.Series:
    """A column of reasons in `language`, each distinct reason rendered once."""
    if language != "ru" or reasons.is_empty():
        return reasons
    distinct = reasons.drop_nulls().unique().to_list()
    rendered = [_russian(text) for text in distinct]
    changed = [(text, ru) for text, ru in zip(distinct, rendered, strict=True) if ru != text]
    if not changed:
        return reasons
    old, new = zip(*changed, strict=True)
    return reasons.replace(list(old), list(new))


def reason_keys(text: str) -> list[str]:
    """The catalog keys of the entries that render `text`, a reason within a reason included, in order."""
    keys: list[str] = []
    for found, _run in _parts(text):
        if found is None:
            continue
        key, values = found
        keys.append(key)
        for _literal, name, spec, _conversion in _FORMATTER.parse(STRINGS[key]["ru"]):
            if name is not None and spec == "reason":
                keys.extend(reason_keys(values[name]))
    return keys
