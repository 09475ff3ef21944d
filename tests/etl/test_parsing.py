"""Source value parsers (contract section 1): exact results and human reject reasons."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.money import format_money, parse_money, to_decimal
from etl.parsing import parse_bool, parse_date, parse_emails, parse_inn, parse_int

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


# -- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-02-01", date(2025, 2, 1)),
        ("01.02.2025", date(2025, 2, 1)),
        ("1.2.2025", date(2025, 2, 1)),
        ("2025-2-1", date(2025, 2, 1)),
        ("01.02.2025 12:34:56", date(2025, 2, 1)),
        ("01.02.2025 0:00:00", date(2025, 2, 1)),  # 1C writes hours without a leading zero
        ("01.02.2025 12:34", date(2025, 2, 1)),
        ("2025-02-01T10:00:00", date(2025, 2, 1)),
        ("2025-02-01 10:00:00.123456", date(2025, 2, 1)),
        ("2025-02-01T10:00:00+03:00", date(2025, 2, 1)),
        ("2025-02-01T10:00:00Z", date(2025, 2, 1)),
        ("  2025-02-01  ", date(2025, 2, 1)),
        ("29.02.2024", date(2024, 2, 29)),
        ("1990-01-01", date(1990, 1, 1)),
        ("31.12.2100", date(2100, 12, 31)),
    ],
)
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31.02.2025", "not a date: 31.02.2025 (February 2025 has 28 days)"),
        ("29.02.2025", "February 2025 has 28 days"),
        ("2025-04-31", "April 2025 has 30 days"),
        ("00.01.2025", "January 2025 has 31 days"),
        ("2025-13-01", "not a date: 2025-13-01 (there is no month 13)"),
        ("01.00.2025", "there is no month 0"),
        ("1989-12-31", "date out of range: 1989-12-31 (the year must be between 1990 and 2100)"),
        ("01.01.2101", "the year must be between 1990 and 2100"),
        ("0001-01-01", "the year must be between 1990 and 2100"),
        ("", "date is empty"),
        ("abc", "not a date: abc (expected YYYY-MM-DD or DD.MM.YYYY)"),
        ("01.02.25", "expected YYYY-MM-DD or DD.MM.YYYY"),
        ("2025/02/01", "expected YYYY-MM-DD or DD.MM.YYYY"),
        ("20250201", "expected YYYY-MM-DD or DD.MM.YYYY"),
        ("2025-W05-1", "expected YYYY-MM-DD or DD.MM.YYYY"),
        ("01.02.2025 25:00", "the time part is impossible"),
        ("01.02.2025 12:34:56 extra", "expected YYYY-MM-DD or DD.MM.YYYY"),
    ],
)
def test_parse_date_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as excinfo:
        parse_date(text)
    assert reason in str(excinfo.value)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_date_round_trip(d: date) -> None:
    assert parse_date(d.isoformat()) == d
    assert parse_date(d.strftime("%d.%m.%Y")) == d
    assert parse_date(f"{d.day}.{d.month}.{d.year}") == d
    assert parse_date(d.strftime("%d.%m.%Y 23:59:59")) == d


# -- booleans, integers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", True),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        ("True", True),
        ("yes", True),
        ("No", False),
        ("да", True),
        ("Да", True),
        ("НЕТ", False),
        ("нет", False),
        ("ИСТИНА", True),
        ("ЛОЖЬ", False),
        ("", False),
        ("  ", False),
        (" yes ", True),
    ],
)
def test_parse_bool(text: str, expected: bool) -> None:
    assert parse_bool(text) is expected


@pytest.mark.parametrize("text", ["maybe", "2", "y", "-1", "1.0"])
def test_parse_bool_rejects(text: str) -> None:
    with pytest.raises(InvalidValue, match="not a yes/no value"):
        parse_bool(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30", 30), (" 30 ", 30), ("0", 0), ("+7", 7), ("-3", -3), ("0045", 45)],
)
def test_parse_int(text: str, expected: int) -> None:
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    ("text", "minimum", "reason"),
    [
        ("30.0", None, "not a whole number: 30.0"),
        ("30,5", None, "not a whole number: 30,5"),
        ("thirty", None, "not a whole number: thirty"),
        ("1e3", None, "not a whole number"),
        ("", None, "number is empty"),
        ("-1", 0, "must be at least 0: -1"),
        ("4", 5, "must be at least 5: 4"),
        ("9" * 30, None, "number is too large"),
    ],
)
def test_parse_int_rejects(text: str, minimum: int | None, reason: str) -> None:
    with pytest.raises(InvalidValue) as excinfo:
        parse_int(text, minimum=minimum)
    assert reason in str(excinfo.value)


def test_parse_int_minimum_is_inclusive() -> None:
    assert parse_int("0", minimum=0) == 0


# -- INN -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7707083893", "7707083893"),  # a company (10 digits)
        ("500100732259", "500100732259"),  # a person (12 digits)
        (" 7707 083 893 ", "7707083893"),
        (f"7707{NBSP}083893", "7707083893"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_parse_inn(text: str, expected: str) -> None:
    assert parse_inn(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("7707083894", "INN 7707083894 has a wrong check digit"),
        ("500100732250", "INN 500100732250 has a wrong check digit"),
        ("12345", "INN must have 10 or 12 digits: 12345 (has 5)"),
        ("77070838931", "INN must have 10 or 12 digits"),
        ("77070838x3", "INN must contain only digits: 77070838x3"),
        ("7707083893.0", "INN must contain only digits"),
        # The company INN 0274062111 after Excel dropped its leading zero.
        ("274062111", "a leading zero lost in Excel? 0274062111 would be valid"),
    ],
)
def test_parse_inn_rejects(text: str, reason: str) -> None:
    with pytest.raises(InvalidValue) as excinfo:
        parse_inn(text)
    assert reason in str(excinfo.value)


# -- e-mails -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("buh@example.ru", "buh@example.ru"),
        ("buh@example.ru;sales@example.com", "buh@example.ru; sales@example.com"),
        ("buh@example.ru, sales@example.com", "buh@example.ru; sales@example.com"),
        (" a.b+c@mail.example-shop.ru ; ", "a.b+c@mail.example-shop.ru"),
        ("buh@example.ru; BUH@example.ru", "buh@example.ru"),  # the same mailbox twice
        ("почта@пример.рф", "почта@пример.рф"),
        ("info@xn--e1afmkfd.xn--p1ai", "info@xn--e1afmkfd.xn--p1ai"),
        ("", ""),
        (" ;, ", ""),
    ],
)
def test_parse_emails(text: str, expected: str) -> None:
    assert parse_emails(text) == expected


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("buh@", "buh@"),
        ("buh@example", "buh@example"),
        ("buh.example.ru", "buh.example.ru"),
        ("a@@example.ru", "a@@example.ru"),
        ("a..b@example.ru", "a..b@example.ru"),
        (".a@example.ru", ".a@example.ru"),
        ("a@-example.ru", "a@-example.ru"),
        ("a@example..ru", "a@example..ru"),
        ("ok@example.ru; broken", "broken"),
    ],
)
def test_parse_emails_rejects(text: str, bad: str) -> None:
    with pytest.raises(InvalidValue) as excinfo:
        parse_emails(text)
    assert str(excinfo.value) == f"not an email address: {bad}"
