"""The EDO archive the load's and the data page's tests use: hand-made УПД and УКД of tests/data/edo/ packed
as an operator exports them, with the contracts they refer to (worked out in tests/etl/load/test_edo_load.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.helpers.ledgers import write_files
from tests.helpers.paths import DATA

COMPANY = "7707083893"
EDO = DATA / "edo"
ARCHIVE = [
    ("Исходящие/УПД/ВО-101.xml", "hand_upd_501_original.xml"),
    ("Исходящие/УПД/ВО-101 (копия).xml", "hand_upd_501_original.xml"),
    ("Исходящие/УПД/ВО-101 испр 1.xml", "hand_upd_501_corrected.xml"),
    ("Исходящие/УПД/ВО-102.xml", "hand_sf_501_invoice_only.xml"),
    ("Исходящие/УПД/ВО-103.xml", "hand_upd_501_usd.xml"),
    ("Исходящие/УПД/ВО-104.xml", "hand_upd_501_ip_buyer.xml"),
    ("Исходящие/УПД/ВО-105.xml", "hand_upd_501_no_vat.xml"),
    ("Исходящие/УПД/ВО-110.xml", "hand_upd_503_utf8.xml"),
    ("Исходящие/УКД/ВО-К-7.xml", "hand_ukd_503_decrease.xml"),
    ("Исходящие/УКД/ВО-К-8.xml", "hand_ukd_501_increase.xml"),
    ("Входящие/КК-000777.xml", "hand_upd_501_supplier.xml"),
    ("Исходящие/УПД/ВО-101 титул покупателя.xml", "diadoc_buyer_title_502_utd970_title1.xml"),
]
REFERENCE = {
    "counterparties.csv": """
counterparty_id,name,inn
K-SEV,АО «СеверСтрой»,5024002119
""",
    "contracts.csv": """
contract_id,counterparty_id,number,date,currency,terms_days
C-ROM,7736207543,15/2024,2024-01-10,RUB,30
C-IMP,7710140679,USD-3,2024-09-02,USD,10
C-SMI,500100732259,С-1,2024-06-01,RUB,5
C-SEV,K-SEV,7-П,2024-12-01,RUB,0
""",
}


def edo_folder(folder: Path) -> Path:
    write_files(folder, REFERENCE)
    with zipfile.ZipFile(folder / "Диадок выгрузка.zip", "w") as archive:
        for name, sample in ARCHIVE:
            archive.writestr(name, (EDO / sample).read_bytes())
        archive.writestr("Исходящие/УПД/ВО-101.xml.sig", b"0\x82\x05\x1e\x06\t*\x86H")
    return folder
