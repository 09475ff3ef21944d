"""Cell values as a person reads them in Excel: numbers as decimal text, date serials as dates.

Every conversion here is exact: numbers go through decimal.Decimal or plain text, never a binary
float, so money read from a workbook is what Excel showed.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# Excel keeps 15 significant digits; anything past that in <v> is binary-float noise.
_EXCEL_DIGITS = 15
# Doubles end near 1E+308 and 1E-324; a larger exponent in <v> is no number Excel could have written.
_EXCEL_MAX_EXP = 330
_MS_PER_DAY = 86_400_000
# Serial 1 is 1900-01-01 and Excel pretends 1900 was a leap year (serial 60 = 1900-02-29), so serials
# from 61 on count from 1899-12-30 and the ones below from 1899-12-31.
_ORD_1900_LOW = date(1899, 12, 31).toordinal()
_ORD_1900 = date(1899, 12, 30).toordinal()
_ORD_1904 = date(1904, 1, 1).toordinal()

_ESCAPE_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_PLAIN_NUMBER_RE = re.compile(r"-?[0-9]+(?:\.[0-9]*)?")


def number_text(v: str) -> str:
    """The decimal text Excel shows for a <v> number: 15 significant digits, positional, no float.

    "1234.5599999999999" -> "1234.56", "1E-3" -> "0.001", "100" -> "100", "12.340" -> "12.34".
    """
    if len(v) <= _EXCEL_DIGITS and _PLAIN_NUMBER_RE.fullmatch(v):
        # The common case (money like 1234.56): at most 15 digits in plain notation is already what
        # Excel shows, so Decimal is skipped; this runs for every number of a big sheet.
        text = v.rstrip("0").rstrip(".") if "." in v else v
        return "0" if text == "-0" else text
    try:
        d = Decimal(v)
        if not d.is_finite() or not -_EXCEL_MAX_EXP <= d.adjusted() <= _EXCEL_MAX_EXP:
            # Not a number Excel can hold: leave the text for the validator to reject as it is.
            return v
        if d.is_zero():
            return "0"
        d = d.quantize(Decimal(1).scaleb(d.adjusted() - _EXCEL_DIGITS + 1), rounding=ROUND_HALF_UP)
    except ArithmeticError:  # InvalidOperation and friends: not a number at all
        return v
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def serial_to_date_text(v: str, date1904: bool) -> str:
    """An Excel date serial as YYYY-MM-DD, time of day dropped; integer arithmetic only.

    A value that is no valid date (negative, past year 9999) comes back as its number text, which
    the date validator then rejects with the value a person can see.
    """
    if v.isascii() and v.isdigit():
        days = int(v)
    else:
        try:
            # Excel resolves times to the millisecond, so 45678.99999999999 is midnight of the
            # next day on screen; round to ms before dropping the time.
            ms = int((Decimal(v) * _MS_PER_DAY).to_integral_value(rounding=ROUND_HALF_UP))
        except ArithmeticError:  # not a number, or one far beyond any date
            return v
        days = ms // _MS_PER_DAY
    if days < 0:
        return number_text(v)
    if date1904:
        ordinal = _ORD_1904 + days
    elif days >= 61:
        ordinal = _ORD_1900 + days
    elif days == 60:
        # Excel's phantom leap day: shown as 29.02.1900, which no real calendar has.
        return "1900-02-29"
    else:
        ordinal = _ORD_1900_LOW + days
    try:
        return date.fromordinal(ordinal).isoformat()
    except (ValueError, OverflowError):
        return number_text(v)


def unescape(text: str) -> str:
    """The text of a string OOXML escaped."""
    # OOXML writes characters XML cannot carry (CR, control characters) as _xHHHH_, and a literal
    # "_x" that could be mistaken for one as _x005F_x...; one left-to-right pass undoes both.
    # _x0000_ stays as written: no spreadsheet cell holds a NUL, and PostgreSQL text cannot store one.
    return _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1).strip("0") else m.group(0), text)


def is_date_format(code: str) -> bool:
    """Whether a custom format code shows a date/time: a d, m, y or h token outside literals.

    Quoted text ("руб."), bracketed parts ([Red], [$-419]), escaped characters (\\d) and the
    character after _ (padding) or * (fill) are literals, not tokens.
    """
    i, n = 0, len(code)
    while i < n:
        ch = code[i]
        if ch == '"':
            end = code.find('"', i + 1)
            i = n if end < 0 else end + 1
        elif ch == "[":
            end = code.find("]", i + 1)
            i = n if end < 0 else end + 1
        elif ch in "\\_*":
            i += 2
        elif ch in "dDmMyYhH":
            return True
        else:
            i += 1
    return False
