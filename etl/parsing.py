"""Parsers for source values (contract section 1).

Every parser takes the cell text and returns a clean value or raises ``InvalidValue`` whose message
is the reject reason shown to a finance person, so messages quote the value and say what is expected.
Money has its own home, domain.money. The parsers run once per cell over millions of rows, so the
common shapes (``YYYY-MM-DD``) take a single precompiled-regex fast path.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from stdnum.exceptions import ValidationError
from stdnum.ru import inn as _stdnum_inn

from domain.errors import InvalidValue, quoted

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "parse_bool",
    "parse_date",
    "parse_emails",
    "parse_inn",
    "parse_int",
]

MIN_YEAR = 1990
MAX_YEAR = 2100


# -- dates ---------------------------------------------------------------------------------------

_DATE_TIME = re.compile(
    r"""
    (?:
        (?P<iy>[0-9]{4})-(?P<im>[0-9]{1,2})-(?P<id>[0-9]{1,2})
      | (?P<rd>[0-9]{1,2})\.(?P<rm>[0-9]{1,2})\.(?P<ry>[0-9]{4})
    )
    (?:
        [ T]\s*
        (?P<hh>[0-9]{1,2}):(?P<mi>[0-9]{2})(?::(?P<ss>[0-9]{2})(?:[.,][0-9]{1,9})?)?
        (?:\s*(?:Z|[+-][0-9]{2}:?[0-9]{2}))?
    )?
    """,
    re.ASCII | re.VERBOSE,
)
_DATE_FORMATS = "expected YYYY-MM-DD or DD.MM.YYYY"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _make_date(year: int, month: int, day: int, shown: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValue(f"date out of range: {shown} (the year must be between {MIN_YEAR} and {MAX_YEAR})")
    if not 1 <= month <= 12:
        raise InvalidValue(f"not a date: {shown} (there is no month {month})")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise InvalidValue(f"not a date: {shown} ({_MONTHS[month - 1]} {year} has {last} days)")
    return date(year, month, day)


def parse_date(text: str) -> date:
    """``YYYY-MM-DD``, ``DD.MM.YYYY`` or ``D.M.YYYY``; a time part after a space or ``T`` is dropped."""
    # With dashes at 4 and 7, fromisoformat (C code, ASCII digits only) accepts exactly YYYY-MM-DD.
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            result = date.fromisoformat(text)
        except ValueError:
            pass  # the slow path explains what is wrong
        else:
            if MIN_YEAR <= result.year <= MAX_YEAR:
                return result
    value = text.strip()
    if not value:
        raise InvalidValue("date is empty")
    shown = quoted(value)
    m = _DATE_TIME.fullmatch(value)
    if m is None:
        raise InvalidValue(f"not a date: {shown} ({_DATE_FORMATS})")
    if m["hh"] is not None and (int(m["hh"]) > 23 or int(m["mi"]) > 59 or (m["ss"] is not None and int(m["ss"]) > 59)):
        raise InvalidValue(f"not a date: {shown} (the time part is impossible)")
    if m["iy"] is not None:
        return _make_date(int(m["iy"]), int(m["im"]), int(m["id"]), shown)
    return _make_date(int(m["ry"]), int(m["rm"]), int(m["rd"]), shown)


# -- booleans, integers --------------------------------------------------------------------------

_BOOLS: dict[str, bool] = {
    "": False,
    "1": True,
    "0": False,
    "true": True,
    "false": False,
    "yes": True,
    "no": False,
    "да": True,
    "нет": False,
    # Russian Excel writes logical cells as ИСТИНА/ЛОЖЬ.
    "истина": True,
    "ложь": False,
}


def parse_bool(text: str) -> bool:
    """``1/0``, ``true/false``, ``yes/no``, ``да/нет`` (any case); empty is False."""
    result = _BOOLS.get(text)
    if result is not None:
        return result
    result = _BOOLS.get(text.strip().lower())
    if result is not None:
        return result
    raise InvalidValue(f"not a yes/no value: {quoted(text.strip())} (expected 1/0, true/false, yes/no, да/нет)")


_INT = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)
_FRACTIONAL = re.compile(r"[+-]?[0-9]*[.,][0-9]+", re.ASCII)


def parse_int(text: str, *, minimum: int | None = None) -> int:
    """A whole number such as ``30``; fractions are refused rather than rounded."""
    value = text.strip()
    if not value:
        raise InvalidValue("number is empty")
    shown = quoted(value)
    if _INT.fullmatch(value):
        result = int(value)
    elif _FRACTIONAL.fullmatch(value):
        raise InvalidValue(f"not a whole number: {shown}")
    elif re.fullmatch(r"[+-]?[0-9]+", value, re.ASCII):
        raise InvalidValue(f"number is too large: {shown}")
    else:
        raise InvalidValue(f"not a whole number: {shown}")
    if minimum is not None and result < minimum:
        raise InvalidValue(f"must be at least {minimum}: {shown}")
    return result


# -- identifiers, contacts -----------------------------------------------------------------------

_INN_JUNK = re.compile(r"[\s\u00a0\u202f\u2009-]+")


def parse_inn(text: str) -> str:
    """Taxpayer number: 10 digits (company) or 12 (person) with valid check digits; empty -> ``""``."""
    value = _INN_JUNK.sub("", text)
    if not value:
        return ""
    shown = quoted(value)
    if not value.isascii() or not value.isdigit():
        raise InvalidValue(f"INN must contain only digits: {shown}")
    if len(value) not in (10, 12):
        hint = ""
        # Excel turns an INN into a number and drops the leading zero of regions 01-09.
        if len(value) in (9, 11) and _stdnum_inn.is_valid("0" + value):
            hint = f"; a leading zero lost in Excel? 0{value} would be valid"
        raise InvalidValue(f"INN must have 10 or 12 digits: {shown} (has {len(value)}{hint})")
    try:
        _stdnum_inn.validate(value)
    except ValidationError:
        raise InvalidValue(f"INN {shown} has a wrong check digit") from None
    return value


# Deliberately simple: a local part, one @, a dotted domain whose last label is letters. \w lets
# Cyrillic domains (почта.рф) through, which Russian counterparties do use.
_EMAIL = re.compile(
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?\.)+"
    # The top-level domain: letters (ru, рф) or its punycode form (xn--p1ai).
    r"(?:[^\W\d_]{2,63}|xn--[a-z0-9-]{1,59})",
    re.IGNORECASE,
)
_EMAIL_SPLIT = re.compile(r"[;,\s]+")


def split_emails(text: str) -> tuple[str, list[str]]:
    """The good addresses of a cell as ``a@x.ru; b@y.ru`` (each once), and the ones that are not addresses."""
    seen: set[str] = set()
    good: list[str] = []
    bad: list[str] = []
    for address in _EMAIL_SPLIT.split(text):
        if not address:
            continue
        if not _EMAIL.fullmatch(address):
            bad.append(address)
        elif address.lower() not in seen:
            seen.add(address.lower())
            good.append(address)
    return "; ".join(good), bad


def parse_emails(text: str) -> str:
    """One or more addresses separated by ``;`` or ``,``; returned as ``a@x.ru; b@y.ru``."""
    good, bad = split_emails(text)
    if bad:
        raise InvalidValue(f"not an email address: {quoted(bad[0])}")
    return good
