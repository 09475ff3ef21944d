"""etl.sources.text: the search for a UTF-8 Cyrillic run equals the regex it replaced."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from etl.sources.text import line_of, utf8_cyrillic_line

REFERENCE = re.compile(rb"(?:[\xd0\xd1][\x80-\xbf]){3}")
# The bytes that matter: lead bytes, continuation bytes at both ends, their neighbours, line feeds.
BYTES = st.sampled_from([0xD0, 0xD1, 0x80, 0x9F, 0xBF, 0xCF, 0xD2, 0xC0, 0x7F, 0x41, 0x0A, 0xE0])


def reference(data: bytes) -> int | None:
    match = REFERENCE.search(data)
    return None if match is None else line_of(data, match.start())


def test_hand_made() -> None:
    word = "Оплата".encode()  # UTF-8: D0 9E D0 BF D0 BB ...
    assert utf8_cyrillic_line(word) == 1
    assert utf8_cyrillic_line(b"abc\n" + "Оплата".encode("cp1251") + b"\n" + word) == 3
    assert utf8_cyrillic_line("Оплата\n".encode("cp1251")) is None
    assert utf8_cyrillic_line("Ок".encode()) is None  # two letters are no run
    assert utf8_cyrillic_line(b"\xd0\x80\xd1\xbf\xd0") is None  # cut before the third continuation
    assert utf8_cyrillic_line(b"\n\n\xd0\xd0\x80\xd1\xbf\xd0\x9f") == 3  # the run starts at the second lead
    assert utf8_cyrillic_line(b"") is None


@settings(max_examples=300, deadline=None)
@given(st.lists(BYTES, max_size=40).map(bytes))
def test_equals_the_regex(data: bytes) -> None:
    assert utf8_cyrillic_line(data) == reference(data)
