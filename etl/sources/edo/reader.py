"""Reading a single УПД/УКД XML file, or every УПД/УКД inside the .zip of an EDO export.

An archive is read like a folder: every member in every subfolder, in memory (nothing is ever extracted to
disk). A member that is a УПД/УКД but cannot be read becomes a problem and the others are still read;
signatures, PDFs, receipts and buyer's titles are "other". Zip member names written by Windows without
the UTF-8 flag are CP866 (DOS), so Cyrillic folder names are decoded as such.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path, PurePosixPath

from etl.errors import FileRefused
from etl.sources.edo.model import EdoRead
from etl.sources.edo.parse import EdoUnreadable, NotEdoDocument, read_document
from etl.sources.edo.sniff import HEAD_BYTES, read_head, sniff

# A member (or a single file) above this size is skipped unread: no real УПД comes near it, while a zip
# bomb would otherwise be inflated into memory.
MAX_XML_BYTES = 50 * 1024 * 1024
_UTF8_FLAG = 0x800
_CYRILLIC = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its writer meant it.

    Without the UTF-8 flag, Python reads the name as CP437; Windows' built-in zip and most Russian
    software write CP866 there. When the name re-read as CP866 holds Cyrillic letters, that is the name.
    """
    name = info.filename
    if info.flag_bits & _UTF8_FLAG or name.isascii():
        return name
    try:
        dos = name.encode("cp437").decode("cp866")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return name
    return dos if any(ch in _CYRILLIC for ch in dos) else name


def _unsafe(name: str) -> bool:
    """An absolute path or one climbing out with '..': a name not to be trusted as a path."""
    normal = name.replace("\\", "/")
    return normal.startswith("/") or (len(normal) > 1 and normal[1] == ":") or ".." in PurePosixPath(normal).parts


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, never more than MAX_XML_BYTES (the header's size may lie)."""
    with archive.open(info) as handle:
        data = handle.read(MAX_XML_BYTES + 1)
    if len(data) > MAX_XML_BYTES:
        raise EdoUnreadable(f"larger than {_megabytes(MAX_XML_BYTES)} when unpacked: skipped unread")
    return data


def _read_zip(path: Path) -> EdoRead:
    result = EdoRead()
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise FileRefused(f"not a zip archive, or a damaged one: {exc}") from None
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from exc
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = member_name(info)
            source = f"{path}/{name}"
            if _unsafe(name):
                result.problems.append((source, "the archive names this file with an absolute path or '..': skipped"))
                continue
            if not name.lower().endswith(".xml"):
                result.other.append(source)
                continue
            if info.file_size > MAX_XML_BYTES:
                result.problems.append(
                    (source, f"{_megabytes(info.file_size)} when unpacked, above {_megabytes(MAX_XML_BYTES)}: skipped")
                )
                continue
            try:
                data = _read_member(archive, info)
            except EdoUnreadable as exc:
                result.problems.append((source, str(exc)))
                continue
            except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
                # A damaged member (bad CRC, corrupt or truncated data), an encrypted one, an unknown compression.
                result.problems.append((source, f"cannot be unpacked: {exc}"))
                continue
            if sniff(data[:HEAD_BYTES]) is not None:
                result.other.append(source)
                continue
            try:
                result.documents.append(read_document(data, source))
            except NotEdoDocument:
                result.other.append(source)
            except EdoUnreadable as exc:
                result.problems.append((source, str(exc)))
    return result


def _read_xml(path: Path) -> EdoRead:
    try:
        head = read_head(path)
        size = path.stat().st_size
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from exc
    reason = sniff(head)
    if reason is not None:
        raise FileRefused(f"not a УПД or УКД: {reason}")
    if size > MAX_XML_BYTES:
        raise FileRefused(f"the file is {_megabytes(size)}, above {_megabytes(MAX_XML_BYTES)}: no УПД is that large")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefused(f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        document = read_document(data, str(path))
    except (EdoUnreadable, NotEdoDocument) as exc:
        raise FileRefused(str(exc)) from None
    return EdoRead(documents=[document])


def read_edo_path(path: Path) -> EdoRead:
    """Every УПД/УКД in a single .xml file or in a .zip archive of an EDO export.

    A single file that is not a УПД/УКД, or is one that cannot be read, is refused (FileRefused). In an
    archive, such members become `problems` or `other` and never stop the reading.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return _read_zip(path)
    if suffix == ".xml":
        return _read_xml(path)
    raise FileRefused(f"an EDO export is an .xml file or a .zip archive, not {suffix or 'a file without extension'}")
