"""Money (domain/money.py), exact to the kopeck: source text parsed into kopecks with human reject reasons
(contract section 1), written back for CSV, and shown on screen, on the act and in Excel."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.money import (
    EXCEL_FORMAT,
    amount,
    amount_ru,
    currency_unit,
    excel_number,
    format_money,
    format_money_expr,
    grouped,
    money,
    money_en,
    money_en_expr,
    money_ru,
    money_ru_expr,
    money_short,
    parse_money,
    to_decimal,
    to_decimal_expr,
)

NBSP = "\u00a0"
NNBSP = "\u202f"

# -- money ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kopecks"),
    [
        ("1234.56", 123456),
        ("1234,56", 123456),
        ("1 234,56", 123456),
        (f"1{NBSP}234,56", 123456),
        (f"1{NNBSP}234,56", 123456),
        ("1,234.56", 123456),
        ("1.234,56", 123456),  # both marks: the last one is the decimal mark
        ("1 234 567,89", 123456789),
        ("1,234,567.89", 123456789),
        ("1.234.567,89", 123456789),
        ("1,234,567", 123456700),  # several commas and no dot: thousands separators
        ("1 234 567", 123456700),
        ("-5", -500),
        ("+5", 500),
        ("12.3400", 1234),  # trailing zeros are not extra decimals
        ("12,3400", 1234),
        ("12.3", 1230),
        ("12,3", 1230),
        ("0.05", 5),
        ("-0.05", -5),
        ("-1 234,56", -123456),
        ("- 5", -500),
        ("-0", 0),
        ("0", 0),
        ("  1234.56  ", 123456),
        (".5", 50),
        ("5.", 500),
        ("007", 700),
        ("999999999999999.99", 99999999999999999),  # 15 digits of rubles is the limit
        ("999,999,999,999,999.99", 99999999999999999),
        ("000000000000000000001", 100),  # leading zeros are not magnitude
    ],
)
def test_parse_money(text: str, kopecks: int) -> None:
    assert parse_money(text) == kopecks


def test_minus_zero_is_plain_zero() -> None:
    result = parse_money("-0")
    assert result == 0
    assert format_money(result) == "0.00"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12.345", "amount has more than 2 decimals: 12.345"),
        ("12,345", "amount has more than 2 decimals: 12,345 (',' is read as the decimal mark)"),
        ("1 234,567", "more than 2 decimals"),
        ("1.2.3", "not an amount: 1.2.3"),
        ("1,23.45", "not an amount: 1,23.45 (digits between thousands separators must come in threes)"),
        ("12 34", "in threes"),
        ("1,2345,678", "in threes"),
        ("1e5", "not an amount: 1e5"),
        ("", "amount is empty"),
        ("   ", "amount is empty"),
        ("abc", "not an amount: abc"),
        ("-", "not an amount: -"),
        ("+-5", "not an amount"),
        ("--5", "not an amount"),
        (".", "not an amount"),
        ("1.234.567.89", "in threes"),
        ("1,234,567,89.5", "in threes"),
        ("1,234.567,89", "appears twice"),
        ("1 234.567,89", "mixes spaces"),
        ("12,34 5", "space after the decimal mark"),
        ("1234567890123456", "amount is too large: 1234567890123456 (more than 15 digits of rubles)"),
        ("1 000 000 000 000 000,00", "amount is too large"),
        ("12.34 руб.", "not an amount"),
        ("$12.34", "not an amount"),
        ("(12.34)", "not an amount"),
        ("١٢", "not an amount"),  # Arabic-Indic digits: int() would take them, we do not
        ("NaN", "not an amount"),
        ("inf", "not an amount"),
        ("0x10", "not an amount"),
        ("1_000", "not an amount"),
    ],
)
def test_parse_money_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as excinfo:
        parse_money(text)
    assert reason in str(excinfo.value)


def test_long_garbage_is_quoted_short() -> None:
    with pytest.raises(InvalidValue) as excinfo:
        parse_money("x" * 10_000)
    assert len(str(excinfo.value)) < 100


@pytest.mark.parametrize(
    ("kopecks", "text"),
    [
        (123456, "1234.56"),
        (-5, "-0.05"),
        (0, "0.00"),
        (100, "1.00"),
        (-123456789, "-1234567.89"),
        (7, "0.07"),
    ],
)
def test_format_money(kopecks: int, text: str) -> None:
    assert format_money(kopecks) == text


def test_to_decimal_is_exact() -> None:
    assert to_decimal(123456) == Decimal("1234.56")
    assert str(to_decimal(-5)) == "-0.05"
    assert str(to_decimal(0)) == "0.00"
    assert to_decimal(99999999999999999) == Decimal("999999999999999.99")
    # far beyond the default 28-digit context: still exact
    assert to_decimal(10**40 + 1) == Decimal("1" + "0" * 38 + ".01")
    assert to_decimal(10**40 + 1).as_tuple().exponent == -2


_kopecks = st.integers(min_value=-(10**17) + 1, max_value=10**17 - 1)


@given(_kopecks)
def test_money_round_trip(k: int) -> None:
    assert parse_money(format_money(k)) == k


def _grouped(rubles: int, sep: str) -> str:
    return f"{rubles:,}".replace(",", sep)


@given(_kopecks, st.sampled_from([" ", NBSP, NNBSP]))
def test_money_russian_style_round_trip(k: int, space: str) -> None:
    sign = "-" if k < 0 else ""
    rubles, kop = divmod(abs(k), 100)
    assert parse_money(f"{sign}{_grouped(rubles, space)},{kop:02d}") == k


@given(_kopecks)
def test_money_us_style_round_trip(k: int) -> None:
    sign = "-" if k < 0 else ""
    rubles, kop = divmod(abs(k), 100)
    assert parse_money(f"{sign}{_grouped(rubles, ',')}.{kop:02d}") == k


@given(_kopecks)
def test_money_european_style_round_trip(k: int) -> None:
    sign = "-" if k < 0 else ""
    rubles, kop = divmod(abs(k), 100)
    assert parse_money(f"{sign}{_grouped(rubles, '.')},{kop:02d}") == k


@given(st.decimals(min_value=-(10**15) + 1, max_value=10**15 - 1, places=2, allow_nan=False))
def test_money_matches_decimal(value: Decimal) -> None:
    # str() of a Decimal may use an exponent (0E-2); format it plainly as an export would.
    assert parse_money(f"{value:f}") == int(value * 100)


@given(st.text(max_size=20))
def test_money_fails_only_with_invalid_value(text: str) -> None:
    try:
        result = parse_money(text)
    except InvalidValue:
        return
    assert isinstance(result, int)


# -- on screen, on the act, in Excel ------------------------------------------------------------


def test_money_in_russian_and_english() -> None:
    assert money(123_456_789, "ru") == f"1{NBSP}234{NBSP}567,89{NBSP}₽"
    assert money(-5, "ru", "USD") == f"-0,05{NBSP}USD"
    assert money(123_456_789, "en") == "1,234,567.89 RUB"
    assert money(None) == ""


def test_amounts_without_the_currency() -> None:
    # On screen (the act page's table, st.dataframe's money cells): no-break spaces, so a cell never wraps.
    assert amount(123_456_789, "ru") == f"1{NBSP}234{NBSP}567,89"
    assert amount(-5, "ru") == "-0,05"
    assert amount(123_456_789, "en") == "1,234,567.89"
    assert amount(None, "ru") == ""
    assert grouped(Decimal("1234567.8"), "ru", NBSP) == f"1{NBSP}234{NBSP}567,80"
    # On the printed act: plain spaces, and the unit a Russian document writes.
    assert amount_ru(11_900_000) == "119 000,00"
    assert amount_ru(99_999_999_999_999_999) == "999 999 999 999 999,99"
    assert currency_unit("RUB") == "руб."
    assert currency_unit("USD") == "USD"
    # As 1C writes amounts in its own files (the demo's returns and adjustments): its thousands separator.
    assert amount_ru(-123_456, NBSP) == f"-1{NBSP}234,56"
    assert amount_ru(0) == "0,00"
    assert amount_ru(-5) == "-0,05"


@given(_kopecks, st.sampled_from([" ", NBSP]))
def test_russian_digits_by_integers_read_as_the_exact_decimal(k: int, space: str) -> None:
    assert amount_ru(k, space) == grouped(to_decimal(k), "ru", space)
    assert parse_money(amount_ru(k, space)) == k


def test_money_for_csv_and_excel_columns() -> None:
    frame = pl.DataFrame({"m": [123_456, -5, None]}, schema={"m": pl.Int64})
    assert frame.select(format_money_expr(pl.col("m")).alias("m"))["m"].to_list() == ["1234.56", "-0.05", None]
    assert frame.select(to_decimal_expr(pl.col("m")).alias("m"))["m"].to_list() == [
        Decimal("1234.56"),
        Decimal("-0.05"),
        None,
    ]
    assert excel_number(123_456) == 1234.56
    assert EXCEL_FORMAT == "#,##0.00"


def test_short_money_for_tiles() -> None:
    assert money_short(1_234_567_890, "ru") == f"12,3{NBSP}млн{NBSP}₽"  # 12 345 678,90 rubles
    assert money_short(1_234_567_890, "en") == f"12.3M{NBSP}RUB"
    assert money_short(99_950, "ru") == f"1{NBSP}000{NBSP}₽"  # 999,50 rubles: under a thousand, whole rubles
    assert money_short(250_000_000_000, "ru") == f"2,5{NBSP}млрд{NBSP}₽"
    assert money_short(-4_560_000, "ru") == f"-45,6{NBSP}тыс.{NBSP}₽"


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1), min_size=1, max_size=50),
    st.sampled_from(["RUB", "USD", "EUR"]),
)
def test_money_formatted_column_wise_reads_as_money_ru_and_money_en(amounts: list[int], currency: str) -> None:
    """Exceptions and other long lists word money with polars expressions: the same text as one call per row."""
    frame = pl.DataFrame(
        {"amount": amounts, "currency": [currency] * len(amounts)}, schema_overrides={"amount": pl.Int64}
    )
    words = frame.select(
        ru=money_ru_expr(pl.col("amount"), pl.col("currency")), en=money_en_expr(pl.col("amount"), pl.col("currency"))
    )
    assert words["ru"].to_list() == [money_ru(a, currency) for a in amounts]
    assert words["en"].to_list() == [money_en(a, currency) for a in amounts]
