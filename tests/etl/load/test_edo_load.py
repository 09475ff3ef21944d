"""An EDO archive loads as the contract says ("УПД and счета-фактуры as XML"): each shipment once, however
many copies and corrections the archive holds; buyers by INN, made from the file when new; contracts by
the basis; УКД as adjustments; invoice-only СЧФ and suppliers' documents skipped and counted. The same
ledger written as canonical CSV gives the same aging, acts and exceptions, on SQLite and PostgreSQL.

The archive (tests/data/edo/, hand-made; our company ООО «Волжский Опт», ИНН 7707083893):
- ВО-101 of 03.02.2025 to ООО «Ромашка-Трейд» 7736207543, basis «Договор поставки» № 15/2024: the original
  (120 740,70) twice and the corrected copy ИспрСчФ 1 (120 888,84): one shipment of 120 888,84 on C-ROM;
- ВО-103 of 07.02.2025, 1 250,50 USD to ООО «ИмпортЛайн» 7710140679, basis «Контракт» (not a «Договор»):
  the buyer's only USD contract, C-IMP;
- ВО-104 of 10.02.2025, 8 400,00 to ИП Смирнова 500100732259, basis a «Счёт»: her only RUB contract, C-SMI;
- ВО-105 of 11.02.2025, 15 000,00 без НДС to «Ромашка-Трейд» on C-ROM;
- ВО-110 of 14.02.2025 (format 5.03, UTF-8), 24 000,00 to АО «СеверСтрой» 5024002119, basis «Договор» 7-П:
  the warehouse knows that buyer as K-SEV (by INN), so no counterparty is made for it; contract C-SEV;
- УКД ВО-К-7 of 20.02.2025 lowers ВО-101 by 1 234,56; УКД ВО-К-8 of 21.02.2025 raises ВО-104 by 600,00;
- skipped: ВО-102 (Функция СЧФ, invoice only), КК-000777 (a supplier's УПД to us), the buyer's title and a
  signature file.
Terms: C-ROM 30 calendar days, C-IMP 10, C-SMI 5, C-SEV 0. As of 28.02.2025:
- C-ROM 120 888,84 - 1 234,56 + 15 000,00 = 134 654,28, none due yet (ВО-101 due 05.03, ВО-105 due 13.03);
- C-IMP 1 250,50 USD due 17.02: overdue 11 days;
- C-SEV 24 000,00 due 14.02: overdue 14 days;
- C-SMI 8 400,00 due Saturday 15.02, so Monday 17.02 (11 days) + 600,00 due 26.02 (2 days) = 9 000,00.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, text

from etl.load import load_paths
from queries.act import act
from queries.aging import aging
from queries.exceptions import exceptions
from tests.helpers.edo import COMPANY, REFERENCE, edo_folder
from tests.helpers.ledgers import write_files
from tests.helpers.paths import DATA
from warehouse.engine import make_engine

# The same ledger as canonical CSV, with the keys the EDO load gives.
CANONICAL = {
    "counterparties.csv": """
counterparty_id,name,inn,kpp
K-SEV,АО «СеверСтрой»,5024002119,
7736207543,ООО «Ромашка-Трейд»,7736207543,773601001
7710140679,ООО «ИмпортЛайн»,7710140679,771001001
500100732259,ИП Смирнова Анна Петровна,500100732259,
""",
    "contracts.csv": REFERENCE["contracts.csv"],
    "shipments.csv": """
document_id,contract_id,date,amount,number,vat
7707083893/ВО-101/03.02.2025,C-ROM,2025-02-03,120888.84,ВО-101,20148.14
7707083893/ВО-103/07.02.2025,C-IMP,2025-02-07,1250.50,ВО-103,208.42
7707083893/ВО-104/10.02.2025,C-SMI,2025-02-10,8400,ВО-104,1400
7707083893/ВО-105/11.02.2025,C-ROM,2025-02-11,15000,ВО-105,
7707083893/ВО-110/14.02.2025,C-SEV,2025-02-14,24000,ВО-110,4000
""",
    "adjustments.csv": """
document_id,contract_id,date,amount,number,shipment_id
7707083893/ВО-К-7/20.02.2025,C-ROM,2025-02-20,-1234.56,ВО-К-7,7707083893/ВО-101/03.02.2025
7707083893/ВО-К-8/21.02.2025,C-SMI,2025-02-21,600,ВО-К-8,7707083893/ВО-104/10.02.2025
""",
}


def test_an_edo_archive_books_each_shipment_once(engine: Engine, tmp_path: Path) -> None:
    result = load_paths(engine, [edo_folder(tmp_path / "src")], company_inn=COMPANY)

    assert result.rejected_rows == 0, [(f.path, f.message) for f in result.files]
    new = {entity: c.new for entity, c in result.counts.items() if c.new}
    assert new == {"counterparties": 4, "contracts": 4, "shipments": 5, "adjustments": 2}
    assert result.edo_skipped == {"invoices_only": 1, "suppliers": 1, "superseded": 2, "other_files": 2}
    [archive] = [f for f in result.files if f.entity == "edo"]
    assert archive.message == "9 of 11 documents are the company's; 2 other files skipped"
    with engine.connect() as conn:
        made = conn.execute(
            text(
                "SELECT counterparty_id, name, inn, kpp FROM counterparties WHERE counterparty_id <> 'K-SEV' ORDER BY 1"
            )
        ).all()
        rows = aging(conn, as_of=date(2025, 2, 28), by="contract").sort("contract_id")
    assert [tuple(r) for r in made] == [
        ("500100732259", "ИП Смирнова Анна Петровна", "500100732259", ""),
        ("7710140679", "ООО «ИмпортЛайн»", "7710140679", "771001001"),
        ("7736207543", "ООО «Ромашка-Трейд»", "7736207543", "773601001"),
    ]
    assert rows.select("contract_id", "currency", "balance", "not_due", "overdue", "max_days_overdue").rows() == [
        ("C-IMP", "USD", 125050, 0, 125050, 11),
        ("C-ROM", "RUB", 13465428, 13465428, 0, 0),
        ("C-SEV", "RUB", 2400000, 0, 2400000, 14),
        ("C-SMI", "RUB", 900000, 0, 900000, 11),
    ]

    # The same archive again changes nothing.
    again = load_paths(engine, [tmp_path / "src"], company_inn=COMPANY)
    assert again.unchanged_since == result.load_id


def test_the_same_ledger_as_edo_and_as_csv_gives_the_same_figures(engine: Engine, tmp_path: Path) -> None:
    load_paths(engine, [edo_folder(tmp_path / "src")], company_inn=COMPANY)
    canonical = make_engine(f"sqlite:///{tmp_path / 'canonical.db'}", pooled=False)
    load_paths(canonical, [write_files(tmp_path / "csv", CANONICAL)], company_inn=COMPANY)

    def picture(e: Engine) -> list[pl.DataFrame]:
        with e.connect() as conn:
            return [
                aging(conn, as_of=date(2025, 2, 28), by="contract").sort("contract_id"),
                exceptions(conn, as_of=date(2025, 2, 28)).sort("code", "document_id", "contract_id"),
                *(
                    act(conn, counterparty_id=k, date_from=date(2025, 1, 1), date_to=date(2025, 2, 28), currency=c)
                    for k, c in (
                        ("7736207543", "RUB"),
                        ("7710140679", "USD"),
                        ("500100732259", "RUB"),
                        ("K-SEV", "RUB"),
                    )
                ),
            ]

    for ours, theirs in zip(picture(engine), picture(canonical), strict=True):
        assert ours.height > 0
        assert ours.equals(theirs), f"{ours}\n{theirs}"
    canonical.dispose()


def test_without_the_companys_inn_an_edo_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}", pooled=False)
    result = load_paths(engine, [edo_folder(tmp_path / "src")])
    [refused] = result.refused
    assert refused.path.endswith("Диадок выгрузка.zip")
    assert "the company's INN is not configured ([company] inn" in refused.message
    assert result.counts["contracts"].rejected == 3  # the buyers it would have made are missing: retried later
    engine.dispose()


def test_the_public_samples_load_as_their_seller_would_load_them(tmp_path: Path) -> None:
    """The real files of tests/data/edo/ (sources in its README), each loaded as if we were its seller."""
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}", pooled=False)
    edo = DATA / "edo"
    # Градиент's счёт-фактура to Детский мир (155@ format, Функция СЧФ): an invoice, not a shipment.
    invoice = load_paths(engine, [edo / "gradient_sf_155_ON_SCHFDOPPR.xml"], company_inn="7720125736")
    assert (invoice.edo_skipped, invoice.counts.get("shipments")) == ({"invoices_only": 1}, None)
    # Диадок's 970@ УПД (ВерсФорм 5.02): 10 000,00 to 1234567894, made from the file; its basis is no
    # «Договор», so the buyer's only RUB contract takes it.
    write_files(tmp_path / "ref", {"contracts.csv": "contract_id,counterparty_id,number\nD-1,1234567894,1\n"})
    upd = load_paths(engine, [edo / "diadoc_upd_502_utd970_title0.xml", tmp_path / "ref"], company_inn="9103624367")
    assert (upd.counts["counterparties"].new, upd.counts["shipments"].new, upd.rejected_rows) == (1, 1, 0)
    with engine.connect() as conn:
        shipment = conn.execute(
            text("SELECT document_id, contract_id, amount, vat FROM documents WHERE kind = 'shipment'")
        ).one()
    assert tuple(shipment) == ("9103624367/123/01.02.2023", "D-1", 1000000, 45600)
    # Диадок's 820@ example (5.01) has zero amounts: a shipment of nothing is rejected, saying so.
    zero = load_paths(engine, [edo / "diadoc_upd_501_utd820_title0.xml"], company_inn="114500647890")
    assert zero.counts["shipments"].rejected == 1
    engine.dispose()


def test_a_upd_in_another_currency_than_its_contract_is_rejected_not_converted(tmp_path: Path) -> None:
    """ВО-101 is in roubles; here the contract its basis names (15/2024) is in USD. Booked on it, 120 888,84
    roubles would have become dollars: the row is rejected, saying which currency the contract is in."""
    folder = edo_folder(tmp_path / "src")
    (folder / "contracts.csv").write_text(
        REFERENCE["contracts.csv"].replace(
            "C-ROM,7736207543,15/2024,2024-01-10,RUB", "C-ROM,7736207543,15/2024,2024-01-10,USD"
        ),
        encoding="utf-8",
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}", pooled=False)
    result = load_paths(engine, [folder], company_inn=COMPANY)
    with engine.connect() as conn:
        rejects = conn.execute(text("SELECT entity, column_name, value, reason FROM rejects WHERE kind = 'row'")).all()
        booked = conn.execute(text("SELECT COUNT(*) FROM documents WHERE contract_id = 'C-ROM'")).scalar()
    engine.dispose()
    assert ("shipments", "currency", "RUB", "contract C-ROM is in USD") in [tuple(r) for r in rejects]
    assert result.counts["shipments"].rejected == 2  # ВО-101 and ВО-105, both roubles on 15/2024
    assert booked == 0  # and the УКД of ВО-101 waits for its shipment
