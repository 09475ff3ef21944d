"""Source value parsers of etl/parsing.py (contract section 1): exact results and human reject reasons.

Money, parsed by domain/money.py, is tests/domain/test_money.py's."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from etl.parsing import parse_bool, parse_date, parse_emails, parse_inn, parse_int

NBSP = "\u00a0"

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
