"""The act's files rendered by other programs, as a client would open them: the PDF through poppler
(pdftoppm) to PNG, the XLSX through LibreOffice headless to PDF. Both tools are installed by .ci/run;
in CI their absence fails these tests instead of skipping them."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from dashboard.services.act_document import Signer
from dashboard.services.act_pdf import act_pdf_bytes
from dashboard.services.act_xlsx import act_xlsx_bytes
from tests.helpers.acts import CLIENT, COMPANY, HEADER, THREE_AND_THREE, make_act

HEADER_SIGNED = replace(HEADER, company_signer=Signer("Директор", "Иванов И. И."))


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian: poppler-utils / libreoffice-calc-nogui)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; .ci/run installs it")
        pytest.skip(message)
    return path


def test_pdf_renders_to_png(tmp_path: Path) -> None:
    pdf = tmp_path / "act.pdf"
    pdf.write_bytes(act_pdf_bytes(make_act(0, THREE_AND_THREE), HEADER_SIGNED))
    subprocess.run([tool("pdftoppm"), "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    image = Image.open(pages[0]).convert("L")
    assert image.size == (497, 702)  # A4 (595 x 842 pt) at 60 dpi, rounded up by poppler
    dark = sum(image.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 5_000  # text, the table's grid: not a blank page


def test_xlsx_opens_in_libreoffice(tmp_path: Path) -> None:
    xlsx = tmp_path / "act.xlsx"
    xlsx.write_bytes(act_xlsx_bytes(make_act(0, THREE_AND_THREE), HEADER_SIGNED))
    profile = tmp_path / "profile"
    done = subprocess.run(
        [
            tool("soffice"),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(xlsx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        # A Russian client's LibreOffice: the money cells' format is localised, so the locale is pinned.
        env={**os.environ, "HOME": str(tmp_path), "LANG": "ru_RU.UTF-8", "LC_ALL": "ru_RU.UTF-8"},
    )
    assert done.returncode == 0, done.stderr
    converted = tmp_path / "out" / "act.pdf"
    assert converted.is_file(), done.stdout + done.stderr
    reader = pypdf.PdfReader(io.BytesIO(converted.read_bytes()))
    assert len(reader.pages) == 1  # fits one A4 page as the print setup asks
    raw = "".join(page.extract_text() for page in reader.pages)
    text = " ".join(raw.split())  # split() also splits at no-break spaces: `raw` keeps them
    for expected in ("Акт сверки", "Сальдо конечное", "Обороты за период", f"От {COMPANY}", f"От {CLIENT}"):
        assert expected in text, expected
    assert "Пять тысяч рублей 00 копеек" in text
    # The money cells are numbers that LibreOffice shows in the Russian format: a decimal comma and the
    # thousands apart. Its PDF carries a plain space there (U+0020, not U+00A0), checked in the raw text.
    assert "119 000,00" in raw
    assert "119\u00a0000,00" not in raw
    assert "119,000.00" not in raw
