"""Money, the one home of its rules and the one place it becomes text: parsing source text into kopecks,
the CSV form, the text a person reads in Russian or English (on screen, in e-mails, on the act, the act's
amount in words) and the Excel form (contract sections 1 and 4).

Money is integer kopecks everywhere; `Decimal` only at the edges, built from text so no context can
round it; never a binary float, except the one Excel needs (`excel_number`). The parser runs once per
cell over millions of rows, so the common shapes (``1234.56``) take a single precompiled-regex fast path.

Which form where: ``format_money`` / ``format_money_expr`` for CSV files; ``money_ru`` / ``money_en`` in
sentences (e-mails, exceptions, the act: plain spaces); ``money`` and ``amount`` on screen (no-break
spaces in Russian, so an amount never wraps); ``amount_ru`` in the act's table; ``EXCEL_FORMAT`` and
``excel_number`` for XLSX cells.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from domain.errors import InvalidValue, quoted

# 15 digits of rubles is beyond any real receivable, yet keeps kopecks inside a signed 64-bit
# integer (and a float-free 17-digit Decimal) everywhere downstream.
MAX_INTEGER_DIGITS = 15

# The sign written after an amount in Russian; other currencies by their ISO code.
CURRENCY_SIGNS = {"RUB": "₽"}
# The unit a Russian document (the act) writes after an amount; other currencies by their ISO code.
CURRENCY_UNITS = {"RUB": "руб."}
NBSP = "\u00a0"
# Excel and LibreOffice localise it: «5 000,00» in a Russian locale, «5,000.00» in an English one.
EXCEL_FORMAT = "#,##0.00"

# -- parsing -------------------------------------------------------------------------------------

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
    shown = quoted(value)
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


# -- the CSV form --------------------------------------------------------------------------------


def format_money(kopecks: int) -> str:
    """``1234.56``, ``-0.05``: the CSV form of contract section 4 (``.``, 2 decimals, no grouping)."""
    sign = "-" if kopecks < 0 else ""
    rubles, kop = divmod(abs(kopecks), 100)
    return f"{sign}{rubles}.{kop:02d}"


def format_money_expr(kopecks: pl.Expr) -> pl.Expr:
    """format_money over a column (null stays null): the only way money reaches a CSV file."""
    absolute = kopecks.abs()
    text = pl.format(
        "{}{}.{}",
        pl.when(kopecks < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        (absolute // 100).cast(pl.String),
        (absolute % 100).cast(pl.String).str.zfill(2),
    )
    return pl.when(kopecks.is_null()).then(None).otherwise(text)


def to_decimal(kopecks: int) -> Decimal:
    """Exact rubles with exponent -2; built from text so no Decimal context can round it."""
    return Decimal(format_money(kopecks))


def to_decimal_expr(kopecks: pl.Expr) -> pl.Expr:
    """to_decimal over a column: Decimal(38, 2) rubles, through the exact text (never a float)."""
    return format_money_expr(kopecks).str.to_decimal(scale=2)


# -- for a person --------------------------------------------------------------------------------


def grouped(rubles: Decimal, language: str = "ru", space: str = " ") -> str:
    """Exact rubles as digits without a currency: ``1 234 567,89`` (ru, `space` between thousands, a
    decimal comma) or ``1,234,567.89`` (en)."""
    text = f"{rubles:,.2f}"
    return text.replace(",", space).replace(".", ",") if language == "ru" else text


def amount_ru(kopecks: int, space: str = " ") -> str:
    """``5 000,00``: the Russian digits of a printed document (the act's cells and sentence) or of a file
    as 1C writes it, `space` between thousands (plain; 1C's own files also use a no-break one)."""
    sign = "-" if kopecks < 0 else ""
    rubles, kop = divmod(abs(kopecks), 100)
    return f"{sign}{rubles:,}".replace(",", space) + f",{kop:02d}"


def money_ru(kopecks: int, currency: str = "RUB") -> str:
    """``12 345,67 ₽``, ``-5,00 USD``: Russian grouping, exact (Decimal, never float)."""
    return f"{amount_ru(kopecks)} {CURRENCY_SIGNS.get(currency, currency)}"


def money_en(kopecks: int, currency: str = "RUB") -> str:
    """``12,345.67 RUB``."""
    return f"{grouped(to_decimal(kopecks), 'en')} {currency}"


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
    sign = currency.replace(CURRENCY_SIGNS)
    return pl.concat_str([_grouped_expr(kopecks, " "), pl.lit(","), _kopecks_expr(kopecks), pl.lit(" "), sign])


def money_en_expr(kopecks: pl.Expr, currency: pl.Expr) -> pl.Expr:
    """money_en over columns."""
    return pl.concat_str([_grouped_expr(kopecks, ","), pl.lit("."), _kopecks_expr(kopecks), pl.lit(" "), currency])


def money(kopecks: int | None, language: str = "ru", currency: str = "RUB") -> str:
    """``1 234 567,89 ₽`` (ru) or ``1,234,567.89 RUB`` (en) on screen; an empty cell for None."""
    if kopecks is None:
        return ""
    if language == "ru":
        return money_ru(kopecks, currency).replace(" ", NBSP)
    return money_en(kopecks, currency)


def amount(kopecks: int | None, language: str = "ru") -> str:
    """money without the currency, for a table whose heading names it: ``1 234 567,89`` (ru, no-break
    spaces) or ``1,234,567.89`` (en); an empty cell for None."""
    if kopecks is None:
        return ""
    return grouped(to_decimal(kopecks), language, NBSP)


def _short_units(language: str) -> list[tuple[Decimal, str]]:
    if language == "ru":
        return [(Decimal(10) ** 9, "млрд"), (Decimal(10) ** 6, "млн"), (Decimal(10) ** 3, "тыс.")]
    return [(Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "K")]


def short_number(rubles: Decimal, language: str = "ru", *, trim: bool = False) -> str | None:
    """``12,3 млн`` / ``12.3M`` for a thousand or more (None below); `trim` drops a zero decimal (``400 млн``,
    as a chart's axis says it)."""
    for size, label in _short_units(language):
        if abs(rubles) >= size:
            value = (rubles / size).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            text = f"{value}"
            if trim and text.endswith(".0"):
                text = text[:-2]
            if language == "ru":
                return text.replace(".", ",") + f"\u00a0{label}"
            return f"{text}{label}"
    return None


def money_short(kopecks: int, language: str = "ru", currency: str = "RUB") -> str:
    """Abbreviated for KPI tiles: ``12,3 млн ₽`` / ``12.3M RUB``; small amounts in full rubles."""
    rubles = to_decimal(kopecks)
    sign = CURRENCY_SIGNS.get(currency, currency) if language == "ru" else currency
    short = short_number(rubles, language)
    if short is not None:
        return f"{short}\u00a0{sign}"
    whole = rubles.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{whole:,}".replace(",", "\u00a0") + f"\u00a0{sign}" if language == "ru" else f"{whole:,} {sign}"


# -- in words, as the act's closing sentence writes it --------------------------------------------


def currency_unit(currency: str) -> str:
    """``руб.`` after an amount on a Russian document; other currencies by their code."""
    return CURRENCY_UNITS.get(currency, currency)


def _plural(n: int, one: str, few: str, many: str) -> str:
    """Russian agreement of a noun with a number: 1 рубль, 2-4 рубля, 5-20 рублей, 21 рубль, 111 рублей."""
    n = abs(n)
    if 11 <= n % 100 <= 14:
        return many
    if n % 10 == 1:
        return one
    if 2 <= n % 10 <= 4:
        return few
    return many


def amount_in_words(kopecks: int, currency: str = "RUB") -> str:
    """«Пять тысяч рублей 00 копеек»: whole units in words (num2words, Russian), the cents as two digits,
    as 1C writes them. Currencies num2words has no Russian names for keep their code: «Сто CNY 00»."""
    from num2words import CONVERTER_CLASSES, num2words  # 50 ms of imports that only an act needs

    kopecks = abs(int(kopecks))
    units, cents = divmod(kopecks, 100)
    words = num2words(units, lang="ru")
    words = words[:1].upper() + words[1:]
    forms = CONVERTER_CLASSES["ru"].CURRENCY_FORMS.get(currency)
    if forms is None:
        return f"{words} {currency} {cents:02d}"
    (one, few, many), (cent_one, cent_few, cent_many) = forms
    return f"{words} {_plural(units, one, few, many)} {cents:02d} {_plural(cents, cent_one, cent_few, cent_many)}"


# -- in a spreadsheet ----------------------------------------------------------------------------


def excel_number(kopecks: int) -> float:
    """Rubles for an XLSX number cell (shown with EXCEL_FORMAT). Excel keeps numbers as binary doubles: the
    kopecks divided here are the nearest one to the exact decimal and display exactly with two decimals."""
    return kopecks / 100
