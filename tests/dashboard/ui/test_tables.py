"""Long tables: the screen shows the first rows and says how many there are; the Excel file has them all."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


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
