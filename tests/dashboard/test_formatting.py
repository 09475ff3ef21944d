"""Screen formats, checked digit by digit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl

from dashboard.formatting import day, percent
from domain.money import (
    EXCEL_FORMAT,
    amount,
    amount_ru,
    currency_unit,
    excel_number,
    format_money_expr,
    grouped,
    money,
    money_short,
    to_decimal_expr,
)

NB = "\u00a0"


def test_money_in_russian_and_english() -> None:
    assert money(123_456_789, "ru") == f"1{NB}234{NB}567,89{NB}₽"
    assert money(-5, "ru", "USD") == f"-0,05{NB}USD"
    assert money(123_456_789, "en") == "1,234,567.89 RUB"
    assert money(None) == ""


def test_amounts_without_the_currency() -> None:
    # On screen (the act page's table, st.dataframe's money cells): no-break spaces, so a cell never wraps.
    assert amount(123_456_789, "ru") == f"1{NB}234{NB}567,89"
    assert amount(-5, "ru") == "-0,05"
    assert amount(123_456_789, "en") == "1,234,567.89"
    assert amount(None, "ru") == ""
    assert grouped(Decimal("1234567.8"), "ru", NB) == f"1{NB}234{NB}567,80"
    # On the printed act: plain spaces, and the unit a Russian document writes.
    assert amount_ru(11_900_000) == "119 000,00"
    assert amount_ru(99_999_999_999_999_999) == "999 999 999 999 999,99"
    assert currency_unit("RUB") == "руб."
    assert currency_unit("USD") == "USD"


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
    assert money_short(1_234_567_890, "ru") == f"12,3{NB}млн{NB}₽"  # 12 345 678,90 rubles
    assert money_short(1_234_567_890, "en") == f"12.3M{NB}RUB"
    assert money_short(99_950, "ru") == f"1{NB}000{NB}₽"  # 999,50 rubles: under a thousand, whole rubles
    assert money_short(250_000_000_000, "ru") == f"2,5{NB}млрд{NB}₽"
    assert money_short(-4_560_000, "ru") == f"-45,6{NB}тыс.{NB}₽"


def test_dates_and_percents() -> None:
    assert day(date(2025, 3, 1), "ru") == "01.03.2025"
    assert day(date(2025, 3, 1), "en") == "2025-03-01"
    assert percent(Decimal("12.5"), "ru") == f"12,5{NB}%"
    assert percent(None) == "—"
