"""CSV reading: encodings, delimiters, line numbers, and files refused as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.errors import FileRefused
from etl.sources.csv_reader import read_csv_rows

TEXT = "document_id;name\nS1;Ромашка\n\nS2;«Лютик», ООО\n"


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1251", b"", "cp1251"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, prefix: bytes, expected: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(prefix + TEXT.encode(encoding))
    found, delimiter, rows = read_csv_rows(path)
    assert (found, delimiter) == (expected, ";")
    # Blank line 3 is skipped; line numbers are the file's own.
    assert list(rows) == [(1, ["document_id", "name"]), (2, ["S1", "Ромашка"]), (4, ["S2", "«Лютик», ООО"])]


@pytest.mark.parametrize(("delimiter", "header"), [(",", "a,b,c"), (";", "a;b;c"), ("\t", "a\tb\tc")])
def test_delimiters_are_detected_from_the_header(tmp_path: Path, delimiter: str, header: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text(f'{header}\n1{delimiter}"2{delimiter}5"{delimiter}3\n', encoding="utf-8")
    _encoding, found, rows = read_csv_rows(path)
    assert found == delimiter
    assert list(rows)[1] == (2, ["1", f"2{delimiter}5", "3"])


def test_multiline_quoted_value_keeps_the_starting_line(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,"two\nlines"\n3,4\n', encoding="utf-8")
    assert list(read_csv_rows(path)[2]) == [(1, ["a", "b"]), (2, ["1", "two\nlines"]), (4, ["3", "4"])]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"\xef\xbb\xbfa,b\n\xff\xfe,1\n", "UTF-8 byte order mark, but line 2 is not UTF-8"),
        (b'a,b\n1,"open quote\n', "starts on line 2 is never closed"),
        (b'a,b\n1,2\n3,"4"5\n', "line 3: text follows a closing quote"),
        (b"a,b\n\x98,1\n", "neither UTF-8 nor Windows-1251 \\(bad byte at line 2\\)"),
        ("a,b\n1,Склад\n".encode("utf-16-le"), "UTF-16 text without a byte order mark"),
        (b"PK\x03\x04\x14\x00\x00\x00", "XLSX workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old Excel .xls"),
        (b"a,b\n" + b"1,2\n" * 2000 + b"3,\x00\n", "line 2002 holds a NUL character"),
        ("\ufeffa,b\n1,\x00\n".encode("utf-16"), "line 2 holds a NUL character"),
        ("a,b\n1,Основной\n".encode() + "2,Дальний\n".encode("cp1251"), "line 2 is UTF-8, line 3 is not"),
        ("a,b\n2,Дальний\n".encode("cp1251") + "1,Основной\n".encode(), "line 3 is UTF-8, line 2 is not"),
        ("id;name\n1;ООО Ёлочка\n2;ИП Смирнова Анна\n".encode("cp866"), "DOS/CP866"),
    ],
)
def test_unreadable_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(FileRefused, match=message):
        list(read_csv_rows(path)[2])


def test_windows_1251_with_typography_and_ukrainian_names_is_read(tmp_path: Path) -> None:
    """The CP866 check must not refuse real Windows-1251: guillemets, №, dashes, і/ї/є in names."""
    text = "id;name\n1;ООО «Ромашка» № 5 — склад\n2;ТОВ «Київський Євро-Дім»\n3;Ёлка\n"
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode("cp1251"))
    encoding, _delimiter, rows = read_csv_rows(path)
    assert encoding == "cp1251"
    assert [values[1] for _line, values in rows][1:] == [
        "ООО «Ромашка» № 5 — склад",
        "ТОВ «Київський Євро-Дім»",
        "Ёлка",
    ]


def test_a_huge_value_is_read_for_validation_to_reject(tmp_path: Path) -> None:
    """A 2 MB cell is not a reason to refuse the file: its row is rejected by validation instead."""
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n1," + b"x" * (2 << 20) + b"\n2,3\n")
    rows = list(read_csv_rows(path)[2])
    assert [(line, len(values[1])) for line, values in rows] == [(1, 1), (2, 2 << 20), (3, 1)]
