"""The .zip of an EDO export: read like a folder, Cyrillic folder names in DOS encoding, bad members set aside."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from etl.errors import FileRefused
from etl.sources.edo import read_edo_path
from etl.sources.edo import reader as edo_reader
from tests.helpers.paths import DATA

EDO = DATA / "edo"


def _sample(name: str) -> bytes:
    return (EDO / name).read_bytes()


def write_zip(path: Path, members: list[tuple[str, bytes, str]]) -> Path:
    """A zip with members (name, content, how the name is stored): "utf8" as Python writes it (flag 0x800),
    "dos" as Windows' own zip does (CP866 bytes, no flag), "ascii" for a plain name.

    zipfile cannot write a CP866 name, so such a member is written under an ASCII placeholder of the same
    byte length and the placeholder's bytes are then replaced in the local header and the central directory.
    """
    swaps: list[tuple[bytes, bytes]] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, (name, content, storage) in enumerate(members):
            stored = name
            if storage == "dos":
                raw = name.encode("cp866")
                body = raw[:-1] if raw.endswith(b"/") else raw
                placeholder = f"#{index}#".ljust(len(body), "~") + ("/" if raw.endswith(b"/") else "")
                assert len(placeholder.encode("ascii")) == len(raw)
                swaps.append((placeholder.encode("ascii"), raw))
                stored = placeholder
            if stored.endswith("/"):
                archive.writestr(zipfile.ZipInfo(stored), b"")
            else:
                archive.writestr(stored, content)
    data = buffer.getvalue()
    for placeholder_bytes, raw in swaps:
        assert data.count(placeholder_bytes) == 2, placeholder_bytes  # the local header and the central directory
        data = data.replace(placeholder_bytes, raw)
    path.write_bytes(data)
    return path


def _nested_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as inner:
        inner.writestr("ON_NSCHFDOPPR_inner.xml", _sample("hand_upd_501_original.xml"))
    return buffer.getvalue()


@pytest.fixture
def export_zip(tmp_path: Path) -> Path:
    """An EDO export as 1C-ЭДО or Диадок hands it over: folders per direction, signatures and PDFs beside."""
    return write_zip(
        tmp_path / "Выгрузка ЭДО.zip",
        [
            ("Исходящие/", b"", "dos"),
            ("Исходящие/УПД/ВО-101.xml", _sample("hand_upd_501_original.xml"), "dos"),
            ("Исходящие/УПД/повтор/ВО-101.xml", _sample("hand_upd_501_original.xml"), "dos"),
            ("Исходящие/УПД/ВО-101 испр 1.xml", _sample("hand_upd_501_corrected.xml"), "dos"),
            ("Исходящие/СФ/ВО-102.xml", _sample("hand_sf_501_invoice_only.xml"), "dos"),
            ("Входящие/Казанский Комбинат/КК-000777.xml", _sample("hand_upd_501_supplier.xml"), "utf8"),
            ("Исходящие/УПД/ВО-103.XML", _sample("hand_upd_501_usd.xml"), "dos"),
            ("Исходящие/УПД/ВО-104.xml", _sample("hand_upd_501_ip_buyer.xml"), "dos"),
            ("Исходящие/УПД/ВО-105.xml", _sample("hand_upd_501_no_vat.xml"), "dos"),
            ("Исходящие/УПД/ВО-110.xml", _sample("hand_upd_503_utf8.xml"), "dos"),
            ("Исходящие/УКД/ВО-К-7.xml", _sample("hand_ukd_503_decrease.xml"), "dos"),
            ("Исходящие/УКД/ВО-К-8.xml", _sample("hand_ukd_501_increase.xml"), "dos"),
            # Problems: malformed, a DTD, a name climbing out of the folder.
            ("Исходящие/УПД/ВО-199.xml", _sample("hand_upd_malformed.xml"), "dos"),
            ("Исходящие/УПД/bomb.xml", _sample("hand_upd_dtd_entity.xml"), "ascii"),
            ("../evil.xml", _sample("hand_upd_501_original.xml"), "ascii"),
            # Other: a signature, a printed form, the buyer's title, another XML, a nested archive.
            ("Исходящие/УПД/ВО-101.xml.sig", b"0\x82\x05\x1e\x06\t*\x86H\x86\xf7\r\x01\x07\x02", "dos"),
            ("Исходящие/УПД/ВО-101.pdf", b"%PDF-1.7\n", "dos"),
            ("Входящие/ON_NSCHFDOPPOK_ответ.xml", _sample("diadoc_buyer_title_502_utd970_title1.xml"), "dos"),
            ("Входящие/catalog.xml", "<КоммерческаяИнформация/>".encode(), "dos"),
            ("Исходящие/вложение.zip", _nested_zip(), "dos"),
        ],
    )


def test_export_counts(export_zip: Path) -> None:
    result = read_edo_path(export_zip)
    assert (len(result.documents), len(result.problems), len(result.other)) == (11, 3, 5)


def test_export_members_are_named_in_cyrillic(export_zip: Path) -> None:
    result = read_edo_path(export_zip)
    prefix = f"{export_zip}/"
    assert [doc.source.removeprefix(prefix) for doc in result.documents] == [
        "Исходящие/УПД/ВО-101.xml",
        "Исходящие/УПД/повтор/ВО-101.xml",
        "Исходящие/УПД/ВО-101 испр 1.xml",
        "Исходящие/СФ/ВО-102.xml",
        "Входящие/Казанский Комбинат/КК-000777.xml",
        "Исходящие/УПД/ВО-103.XML",
        "Исходящие/УПД/ВО-104.xml",
        "Исходящие/УПД/ВО-105.xml",
        "Исходящие/УПД/ВО-110.xml",
        "Исходящие/УКД/ВО-К-7.xml",
        "Исходящие/УКД/ВО-К-8.xml",
    ]
    assert sorted(source.removeprefix(prefix) for source in result.other) == [
        "Входящие/ON_NSCHFDOPPOK_ответ.xml",
        "Входящие/catalog.xml",
        "Исходящие/УПД/ВО-101.pdf",
        "Исходящие/УПД/ВО-101.xml.sig",
        "Исходящие/вложение.zip",
    ]


def test_export_documents(export_zip: Path) -> None:
    docs = read_edo_path(export_zip).documents
    assert [(d.kind, d.number, d.correction_number, d.total, d.vat, d.currency) for d in docs] == [
        ("upd", "ВО-101", "", 120_740_70, 20_123_45, "RUB"),
        ("upd", "ВО-101", "", 120_740_70, 20_123_45, "RUB"),
        ("upd", "ВО-101", "1", 120_888_84, 20_148_14, "RUB"),
        ("upd", "ВО-102", "", 59_000_00, 9_833_33, "RUB"),
        ("upd", "КК-000777", "", 35_400_00, 5_900_00, "RUB"),
        ("upd", "ВО-103", "", 1_250_50, 208_42, "USD"),
        ("upd", "ВО-104", "", 8_400_00, 1_400_00, "RUB"),
        ("upd", "ВО-105", "", 15_000_00, None, "RUB"),
        ("upd", "ВО-110", "2", 24_000_00, 4_000_00, "RUB"),
        ("ukd", "ВО-К-7", "", -1_234_56, -205_76, "RUB"),
        ("ukd", "ВО-К-8", "1", 600_00, 100_00, "RUB"),
    ]
    # The same document twice: everything equal but the source.
    assert docs[0].source != docs[1].source
    assert docs[0].__dict__ | {"source": ""} == docs[1].__dict__ | {"source": ""}


def test_export_problems_say_why(export_zip: Path) -> None:
    problems = dict(read_edo_path(export_zip).problems)
    prefix = f"{export_zip}/"
    assert problems[prefix + "Исходящие/УПД/ВО-199.xml"] == "not well-formed XML at line 11, column 7: mismatched tag"
    assert "DTD" in problems[prefix + "Исходящие/УПД/bomb.xml"]
    assert "absolute path or '..'" in problems[prefix + "../evil.xml"]


def test_member_above_the_size_limit_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(edo_reader, "MAX_XML_BYTES", 1000)
    path = write_zip(
        tmp_path / "big.zip",
        [
            ("big.xml", _sample("hand_upd_501_original.xml"), "ascii"),  # 2.5 KB unpacked
            ("small.xml", b"<a/>", "ascii"),
        ],
    )
    result = read_edo_path(path)
    assert result.documents == []
    assert [source for source, _ in result.problems] == [f"{path}/big.xml"]
    assert "above" in result.problems[0][1]
    assert result.other == [f"{path}/small.xml"]


def test_damaged_member_is_a_problem(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "damaged.zip", [("ON_NSCHFDOPPR_1.xml", _sample("hand_upd_501_original.xml"), "ascii")])
    data = bytearray(path.read_bytes())
    data[60] ^= 0xFF  # a byte of the deflated content: the CRC no longer matches, or inflating fails
    path.write_bytes(bytes(data))
    result = read_edo_path(path)
    assert result.documents == []
    assert len(result.problems) == 1
    assert "cannot be unpacked" in result.problems[0][1]


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(FileRefused, match="not a zip archive"):
        read_edo_path(path)


def test_empty_zip_reads_nothing(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "empty.zip", [])
    result = read_edo_path(path)
    assert (result.documents, result.problems, result.other) == ([], [], [])


def test_member_names_without_cyrillic_stay_as_python_reads_them() -> None:
    info = zipfile.ZipInfo("Ăpfel.xml")  # a CP437 name with no Cyrillic reading: kept
    info.flag_bits = 0
    assert edo_reader.member_name(info) == "Ăpfel.xml"
    dos = zipfile.ZipInfo("Входящие/1.xml".encode("cp866").decode("cp437"))
    dos.flag_bits = 0
    assert edo_reader.member_name(dos) == "Входящие/1.xml"
