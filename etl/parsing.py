"""Parsers for source values (contract section 1).

Every parser takes the cell text and returns a clean value or raises ``InvalidValue`` whose message
is the reject reason shown to a finance person, so messages quote the value and say what is expected.
Money is parsed into integer kopecks straight from the digits: a binary float never appears.
The parsers run once per cell over millions of rows, so the common shapes (``1234.56``,
``YYYY-MM-DD``) take a single precompiled-regex fast path.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal

import polars as pl
from stdnum.exceptions import ValidationError
from stdnum.ru import inn as _stdnum_inn

from etl.errors import InvalidValue

__all__ = [
    "MAX_INTEGER_DIGITS",
    "MAX_YEAR",
    "MIN_YEAR",
    "format_money",
    "parse_bool",
    "parse_date",
    "parse_emails",
    "parse_inn",
    "parse_int",
    "parse_money",
    "to_decimal",
]

# 15 digits of rubles is beyond any real receivable, yet keeps kopecks inside a signed 64-bit
# integer (and a float-free 17-digit Decimal) everywhere downstream.
MAX_INTEGER_DIGITS = 15
MIN_YEAR = 1990
MAX_YEAR = 2100

_QUOTE_LIMIT = 60


def _quote(text: str) -> str:
    """The value as shown in a reason: a pathological cell should not flood the rejects list."""
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 3] + "..."


# -- money ---------------------------------------------------------------------------------------

# re.ASCII everywhere: int() accepts Arabic-Indic and other Unicode digits, which no accounting
# export contains; treating them as garbage is the safe reading.
_MONEY_FAST = re.compile(r"([+-]?)([0-9]{1,15})(?:[.,]([0-9]{1,2}))?", re.ASCII)
# Spaces that Excel and 1C put between thousands: space, no-break, narrow no-break, thin.
_SPACES = " \u00a0\u202f\u2009"
_MONEY_SHAPE = re.compile(r"[0-9.,]+", re.ASCII)
_GROUPED = re.compile(r"[0-9]{1,3}(?:x[0-9]{3})*", re.ASCII)


def parse_money(text: str) -> int:
    """Amount in kopecks: ``1234.56``, ``1234,56``, ``1 234,56``, ``1,234.56``, ``-5``, ``12.3400``."""
    m = _MONEY_FAST.fullmatch(text)
    if m is not None:
        sign, whole, frac = m.groups()
        kopecks = int(whole) * 100
        if frac:
            kopecks += int(frac) * 10 if len(frac) == 1 else int(frac)
        return -kopecks if sign == "-" else kopecks
    return _parse_money_slow(text)


def _parse_money_slow(text: str) -> int:
    value = text.strip()
    if not value:
        raise InvalidValue("amount is empty")
    shown = _quote(value)
    body = value
    negative = False
    if body[0] in "+-":
        negative = body[0] == "-"
        body = body[1:].lstrip(_SPACES)
    space_grouped = any(ch in body for ch in _SPACES)
    if space_grouped:
        # Spaces only ever separate thousands: "1 234,56". Normalise them to one marker.
        for ch in _SPACES:
            body = body.replace(ch, " ")
    if not body or not _MONEY_SHAPE.fullmatch(body.replace(" ", "")):
        raise InvalidValue(f"not an amount: {shown}")

    commas = body.count(",")
    dots = body.count(".")
    lone_comma = False
    if commas and dots:
        decimal_mark = "," if body.rfind(",") > body.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        if body.count(decimal_mark) > 1:
            raise InvalidValue(f"not an amount: {shown} ('{decimal_mark}' is the decimal mark here, yet appears twice)")
    elif commas or dots:
        mark = "," if commas else "."
        if body.count(mark) == 1:
            decimal_mark, group_mark = mark, ""
            lone_comma = mark == ","
        else:
            # "1,234,567": a decimal mark appears once, so repeated marks can only group thousands.
            decimal_mark, group_mark = "", mark
    else:
        decimal_mark = group_mark = ""

    if decimal_mark:
        whole, frac = body.split(decimal_mark)
    else:
        whole, frac = body, ""
    if space_grouped and group_mark:
        raise InvalidValue(f"not an amount: {shown} (mixes spaces and '{group_mark}' between thousands)")
    if space_grouped and " " in frac:
        raise InvalidValue(f"not an amount: {shown} (a space after the decimal mark)")
    separator = " " if space_grouped else group_mark
    if separator:
        if not _GROUPED.fullmatch(whole.replace(separator, "x")):
            raise InvalidValue(f"not an amount: {shown} (digits between thousands separators must come in threes)")
        whole = whole.replace(separator, "")
    if not whole and not frac:
        raise InvalidValue(f"not an amount: {shown}")

    frac = frac.rstrip("0")
    if len(frac) > 2:
        hint = " (',' is read as the decimal mark)" if lone_comma else ""
        raise InvalidValue(f"amount has more than 2 decimals: {shown}{hint}")
    whole = whole.lstrip("0")
    if len(whole) > MAX_INTEGER_DIGITS:
        raise InvalidValue(f"amount is too large: {shown} (more than {MAX_INTEGER_DIGITS} digits of rubles)")
    kopecks = int(whole or "0") * 100 + int(frac.ljust(2, "0"))
    return -kopecks if negative else kopecks


def format_money(kopecks: int) -> str:
    """``1234.56``, ``-0.05``: the CSV form of contract section 4 (``.``, 2 decimals, no grouping)."""
    sign = "-" if kopecks < 0 else ""
    rubles, kop = divmod(abs(kopecks), 100)
    return f"{sign}{rubles}.{kop:02d}"


def to_decimal(kopecks: int) -> Decimal:
    """Exact rubles with exponent -2; built from text so no Decimal context can round it."""
    return Decimal(format_money(kopecks))


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
    shown = _quote(value)
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
    raise InvalidValue(f"not a yes/no value: {_quote(text.strip())} (expected 1/0, true/false, yes/no, да/нет)")


_INT = re.compile(r"[+-]?[0-9]{1,18}", re.ASCII)
_FRACTIONAL = re.compile(r"[+-]?[0-9]*[.,][0-9]+", re.ASCII)


def parse_int(text: str, *, minimum: int | None = None) -> int:
    """A whole number such as ``30``; fractions are refused rather than rounded."""
    value = text.strip()
    if not value:
        raise InvalidValue("number is empty")
    shown = _quote(value)
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
    shown = _quote(value)
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


def parse_emails(text: str) -> str:
    """One or more addresses separated by ``;`` or ``,``; returned as ``a@x.ru; b@y.ru``."""
    seen: set[str] = set()
    result: list[str] = []
    for address in _EMAIL_SPLIT.split(text):
        if not address:
            continue
        if not _EMAIL.fullmatch(address):
            raise InvalidValue(f"not an email address: {_quote(address)}")
        key = address.lower()
        if key not in seen:
            seen.add(key)
            result.append(address)
    return "; ".join(result)


_CURRENCY_SIGNS = {"RUB": "₽"}


def money_ru(kopecks: int, currency: str = "RUB") -> str:
    """``12 345,67 ₽``, ``-5,00 USD``: Russian grouping, exact (Decimal, never float)."""
    grouped = f"{to_decimal(kopecks):,.2f}".replace(",", " ").replace(".", ",")
    return f"{grouped} {_CURRENCY_SIGNS.get(currency, currency)}"


def money_en(kopecks: int, currency: str = "RUB") -> str:
    """``12,345.67 RUB``."""
    return f"{to_decimal(kopecks):,.2f} {currency}"


def _grouped_expr(kopecks: pl.Expr, separator: str) -> pl.Expr:
    """The sign and the rubles of `kopecks` with thousands grouped by `separator`, column-wise: each group
    of three digits by integer arithmetic (a regex over the digits cost ten times as much)."""
    rubles = kopecks.abs() // 100
    parts: list[pl.Expr] = []
    for power in range(18, -1, -3):  # an Int64 of kopecks holds at most 92 233 720 368 547 758 rubles
        group = (rubles // 10**power) % 1000
        higher = rubles >= 10 ** (power + 3)  # a group before this one: zero-padded, after a separator
        if power == 0:
            parts.append(
                pl.when(higher)
                .then(pl.lit(separator) + group.cast(pl.String).str.zfill(3))
                .otherwise(group.cast(pl.String))
            )
        else:
            parts.append(
                pl.when(higher)
                .then(pl.lit(separator) + group.cast(pl.String).str.zfill(3))
                .when(rubles >= 10**power)
                .then(group.cast(pl.String))
                .otherwise(pl.lit(""))
            )
    sign = pl.when(kopecks < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str([sign, *parts])


def _kopecks_expr(kopecks: pl.Expr) -> pl.Expr:
    return (kopecks.abs() % 100).cast(pl.String).str.zfill(2)


def money_ru_expr(kopecks: pl.Expr, currency: pl.Expr) -> pl.Expr:
    """money_ru over columns: the same text for every row, built by polars instead of a Python call per row."""
    sign = currency.replace(_CURRENCY_SIGNS)
    return pl.concat_str([_grouped_expr(kopecks, " "), pl.lit(","), _kopecks_expr(kopecks), pl.lit(" "), sign])


def money_en_expr(kopecks: pl.Expr, currency: pl.Expr) -> pl.Expr:
    """money_en over columns."""
    return pl.concat_str([_grouped_expr(kopecks, ","), pl.lit("."), _kopecks_expr(kopecks), pl.lit(" "), currency])
