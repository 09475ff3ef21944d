"""Telling a УПД/УКД file from any other file by its first few kilobytes, without parsing the XML.

The head is decoded in the encoding its XML declaration names (Windows-1251 in most files 1C and the
EDO operators write), the prolog (declaration, comments, a DOCTYPE) is skipped, and the root element must
be ``Файл`` holding a ``Документ`` whose КНД is a УПД's or a УКД's. A namespace prefix is tolerated.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from etl.sources.edo.model import EDO_KND, OTHER_KND

# The root, СвУчДокОбор and the start of Документ fit in the first kilobytes of every known writer's file;
# a little more than 4 KB leaves room for a long ИдФайл and a СвУчДокОбор with a long operator name.
HEAD_BYTES = 8 * 1024

_DECLARATION = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_NAME = re.compile(r"<([^\s/>!?]+)")
_DOCUMENT = re.compile(r"<(?:[^\s/>:!?]+:)?Документ(?=[\s/>])([^>]*)>?")
_KND = re.compile(r"""(?:^|\s)КНД\s*=\s*["']([^"']*)["']""")


def head_encoding(head: bytes) -> str:
    """The encoding of the bytes: a byte order mark first, then the XML declaration, else UTF-8."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    match = _DECLARATION.match(head)
    return match.group(1).decode("ascii") if match else "utf-8"


def _skip_prolog(text: str) -> str:
    """The text from the root element's ``<`` on: the declaration, comments, PIs and a DOCTYPE skipped."""
    pos = 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n\ufeff":
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            pos = len(text) if end < 0 else end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            pos = len(text) if end < 0 else end + 3
        elif text.startswith("<!DOCTYPE", pos):
            bracket = text.find("[", pos)
            close = text.find(">", pos)
            if 0 <= bracket < close:
                # An internal subset: its declarations hold '>' of their own; it ends at "]>".
                end = text.find("]", bracket)
                close = -1 if end < 0 else text.find(">", end)
            pos = len(text) if close < 0 else close + 1
        else:
            return text[pos:]


def sniff(head: bytes) -> str | None:
    """None when the head is a УПД's or a УКД's; otherwise the reason it is not, for a person."""
    if not head.strip():
        return "the file is empty"
    encoding = head_encoding(head)
    try:
        text = head.decode(encoding, errors="replace")
    except LookupError:
        return f"the XML declaration names an unknown text encoding: {encoding}"
    body = _skip_prolog(text)
    if not body.startswith("<"):
        return "not an XML file"
    match = _NAME.match(body)
    root = match.group(1) if match else ""
    local = root.rsplit(":", 1)[-1]
    if local != "Файл":
        shown = root[:40] or "?"
        return f"not an electronic document of the ФНС format: the root element is <{shown}>, not <Файл>"
    document = _DOCUMENT.search(body)
    if document is None:
        return "the file has no <Документ> element in its first kilobytes"
    knd_match = _KND.search(document.group(1))
    knd = knd_match.group(1) if knd_match else ""
    if knd in EDO_KND:
        return None
    if knd in OTHER_KND:
        return f"КНД {knd}: {OTHER_KND[knd]}"
    return f"КНД {knd or '(none)'} is neither a УПД (1115131) nor a УКД (1115133, 1115127)"


def read_head(path: Path) -> bytes:
    """The first HEAD_BYTES of the file."""
    with Path(path).open("rb") as handle:
        return handle.read(HEAD_BYTES)


def is_edo_xml(path: Path) -> bool:
    """True when the file is XML whose root is Файл holding a Документ with the КНД of a УПД or a УКД.

    Only the head is read; a file that cannot be opened is simply not recognised (never raises).
    """
    try:
        head = read_head(path)
    except OSError:
        return False
    return sniff(head) is None
