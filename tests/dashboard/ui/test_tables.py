"""Tables on screen: long ones show their first rows and say how many there are (the Excel file has them
all); every cell is written as the user's language writes it."""

from __future__ import annotations

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.formatting import fraction
from dashboard.ui.tables import styled


def long_table(rows: int, language: str) -> None:
    import polars as pl

    from dashboard.ui.tables import show_table

    frame = pl.DataFrame({"name": [f"K{i:05d}" for i in range(rows)], "amount": list(range(rows))})
    show_table(frame, money=("amount",), key="long", file_name="long.xlsx", language=language)


def test_a_long_table_shows_its_first_rows() -> None:
    test = AppTest.from_function(long_table, args=(1_500, "ru")).run()
    assert not test.exception
    shown = test.dataframe[0].value
    assert len(shown) == 500
    assert list(shown["name"][:2]) == ["K00000", "K00001"]
    assert test.caption[0].value == "Показаны первые 500 строк из 1\u00a0500; все строки — в файле Excel."


def test_beyond_what_streamlit_would_style() -> None:
    # 300,000 rows x 2 columns is past pandas Styler's 262,144 cells: the page must not raise.
    test = AppTest.from_function(long_table, args=(300_000, "en"), default_timeout=60).run()
    assert not test.exception
    assert test.caption[0].value == "Showing the first 500 rows of 300,000; the Excel file has every row."


def test_a_short_table_is_shown_whole() -> None:
    test = AppTest.from_function(long_table, args=(500, "ru")).run()
    assert not test.exception
    assert len(test.dataframe[0].value) == 500
    assert not test.caption


@pytest.mark.parametrize(
    ("language", "money", "seconds", "size"),
    [("ru", "5\u00a0000\u00a0000,00", "5,8", "13\u00a0626,1"), ("en", "5,000,000.00", "5.8", "13,626.1")],
)
def test_every_cell_is_written_as_the_language_writes_it(language: str, money: str, seconds: str, size: str) -> None:
    """Money exact and grouped, other fractions with one decimal, nothing where a value is missing: the
    data page showed 5.800000 and 13626.100000, aging `None` for no credit limit."""
    frame = pl.DataFrame(
        {"credit_limit": [500_000_000, None], "seconds": [5.8, None], "size_kb": [13626.1, 0.25], "line": [3, None]}
    )
    html = styled(frame, ["credit_limit"], language).to_html()
    for text in (money, seconds, size):
        assert f">{text}<" in html
    assert "None" not in html
    assert "nan" not in html.lower()
    assert "5.800000" not in html
    assert ">3<" in html  # a whole number stays whole beside an empty cell (pandas made it 3.000000)


@pytest.mark.parametrize(("language", "read"), [("ru", "93\u00a0682"), ("en", "93,682")])
def test_counts_group_their_thousands_and_identifiers_stay_bare(language: str, read: str) -> None:
    """The data page's load history showed 93682 rows read beside a size of 14 242,3 KB."""
    frame = pl.DataFrame(
        {"load_id": [12345], "line": [104217], "rows_read": [93682], "days": [1200], "counterparty_id": [70001]}
    )
    html = styled(frame, [], language).to_html()
    assert f">{read}<" in html
    assert ">1\u00a0200<" in html if language == "ru" else ">1,200<" in html
    for bare in ("12345", "104217", "70001"):  # a load, a file's line, an id: names, not amounts
        assert f">{bare}<" in html


def test_fraction() -> None:
    assert fraction(82.7, "ru") == "82,7"
    assert fraction(1234567.0, "ru") == "1\u00a0234\u00a0567,0"
    assert fraction(82.7, "en") == "82.7"
    assert fraction(None) == ""
    assert fraction(float("nan")) == ""
