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
        (b"\xef\xbb\xbfa,b\n\xff\xfe,1\n", "UTF-8 mark"),
        (b'a,b\n1,"open quote\n', "broken"),
        (b"a,b\n\x98,1\n", "neither UTF-8 nor Windows-1251"),
    ],
)
def test_unreadable_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(FileRefused, match=message):
        list(read_csv_rows(path)[2])
