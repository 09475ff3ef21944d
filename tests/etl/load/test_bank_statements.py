"""Bank statements through the loader: the public 1C samples and payments matched to contracts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from etl.load import load_paths
from tests.helpers.ledgers import write_files
from tests.helpers.paths import SHARED_TESTDATA
from tests.helpers.tables import open_amounts

SAMPLES = SHARED_TESTDATA / "bank_statements"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"public samples not found at {SAMPLES}")


def payments(engine: Engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT document_id, doc_date, amount, counterparty_id, contract_id, payer_inn FROM documents "
                    "WHERE kind = 'payment' ORDER BY amount"
                )
            )
        ]


def test_kilylabs_sample_three_incoming_kept_unidentified(engine: Engine) -> None:
    result = load_paths(engine, [SAMPLES / "kilylabs_one_day.txt"])
    # Upstream: 13 documents, 3 received (6000 + 14000 + 20000 = 40000.00), 10 paid.
    assert result.bank_sent == 10
    assert result.bank_unidentified == 3
    assert result.counts["bank_payments"].new == 3
    rows = payments(engine)
    assert [r[2] for r in rows] == [600_000, 1_400_000, 2_000_000]
    assert sum(r[2] for r in rows) == 4_000_000
    assert all(r[3] is None and r[5] == "123123123123" for r in rows)
    assert {str(r[1]) for r in rows} == {"2016-01-11"}


def test_same_statement_in_another_encoding_books_each_payment_once(engine: Engine) -> None:
    load_paths(engine, [SAMPLES / "kilylabs_one_day.txt"])
    again = load_paths(engine, [SAMPLES / "kilylabs_one_day_utf8.txt", SAMPLES / "kilylabs_one_day.txt"])
    assert again.counts["bank_payments"].new == 0
    assert again.counts["bank_payments"].unchanged == 6  # 3 documents read from each of the two files
    assert len(payments(engine)) == 3


def test_zharikov_documents_with_company_inn(engine: Engine) -> None:
    result = load_paths(engine, [SAMPLES / "zharikov_documents.txt"], company_inn="0000000000")
    assert result.counts["bank_payments"].new == 2
    assert sorted(r[2] for r in payments(engine)) == [100_000, 200_000]


def test_wrong_format_is_refused_with_a_clear_message(engine: Engine) -> None:
    result = load_paths(engine, [SAMPLES / "zharikov_wrong_format.txt"])
    assert len(result.refused) == 1
    assert "1CClientBankExchange" in result.refused[0].message
    with engine.connect() as conn:
        assert conn.execute(text("SELECT kind FROM rejects")).scalars().all() == ["file"]


def test_outgoing_only_statement_loads_nothing(engine: Engine) -> None:
    result = load_paths(engine, [SAMPLES / "odooru_kl_to_1c.txt"])
    assert result.bank_sent == 1
    assert payments(engine) == []


STATEMENT = """1CClientBankExchange
ВерсияФормата=1.03
Кодировка=Windows
РасчСчет=40702810900000000001
СекцияРасчСчет
РасчСчет=40702810900000000001
КонецРасчСчет
СекцияДокумент=Платежное поручение
Номер=501
Дата=03.02.2025
Сумма=700.00
ПлательщикСчет=40702810500000000777
ПлательщикИНН=7707083893
Плательщик1=ООО «Ромашка»
ПолучательСчет=40702810900000000001
ПолучательИНН=7728168971
ДатаПоступило=04.02.2025
НазначениеПлатежа=Оплата по договору № Д-2/25 от 01.01.2025 за товар, в т.ч. НДС
КонецДокумента
СекцияДокумент=Платежное поручение
Номер=502
Дата=05.02.2025
Сумма=100.00
ПлательщикСчет=40702810500000000888
ПлательщикИНН=500100732259
Плательщик1=ИП Петров
ПолучательСчет=40702810900000000001
ПолучательИНН=7728168971
ДатаПоступило=05.02.2025
НазначениеПлатежа=Оплата за товар
КонецДокумента
КонецФайла
"""


def test_statement_payment_finds_counterparty_by_inn_and_contract_by_number(engine: Engine, tmp_path: Path) -> None:
    folder = write_files(
        tmp_path / "src",
        {
            "counterparties.csv": "counterparty_id,name,inn\nK1,ООО «Ромашка»,7707083893\n",
            "contracts.csv": (
                "contract_id,counterparty_id,number,terms_days\nC1,K1,Д-1/25,0\nC2,K1,Д-2/25,0\nC22,K1,Д-2/255,0\n"
            ),
            "shipments.csv": "document_id,contract_id,date,amount\nS1,C1,2025-01-10,500\nS2,C2,2025-01-20,1000\n",
        },
    )
    write_files(folder, {"kl_to_1c.txt": STATEMENT}, encoding="cp1251")
    result = load_paths(engine, [folder])
    assert result.counts["bank_payments"].new == 2
    assert result.bank_unidentified == 1  # ИП Петров's INN is no counterparty's
    rows = {r[2]: r for r in payments(engine)}
    # The purpose names "Д-2/25" (not "Д-2/255"): the payment is on contract C2, dated when received.
    assert rows[70_000][3:5] == ("K1", "C2")
    assert str(rows[70_000][1]) == "2025-02-04"
    assert rows[10_000][3] is None
    # On C2 only: S1 on C1 stays open, S2 is paid down to 300.00.
    assert open_amounts(engine, date(2025, 2, 10)) == {"S1": 50_000, "S2": 30_000}


def test_unidentified_payment_is_identified_when_its_payer_arrives(engine: Engine, tmp_path: Path) -> None:
    folder = write_files(tmp_path / "bank", {"statement.txt": STATEMENT}, encoding="cp1251")
    first = load_paths(engine, [folder])
    assert first.bank_unidentified == 2
    later = write_files(
        tmp_path / "later",
        {
            "counterparties.csv": "counterparty_id,name,inn\nK2,ИП Петров,500100732259\n",
            "contracts.csv": "contract_id,counterparty_id,number\nC5,K2,П-1\n",
            "shipments.csv": "document_id,contract_id,date,amount\nS9,C5,2025-01-10,250\n",
        },
    )
    load_paths(engine, [later])
    rows = {r[2]: r for r in payments(engine)}
    assert rows[10_000][3:5] == ("K2", None)
    assert open_amounts(engine, date(2025, 2, 10)) == {"S9": 15_000}


def test_the_last_day_the_statements_cover_is_kept_for_the_reminders(engine: Engine) -> None:
    """The reminders wait for the bank (dashboard.services.bank_hold): a load keeps the latest ДатаКонца read.
    kilylabs covers up to 11.01.2016; zharikov, loaded later, up to 01.01.2015, which does not move it back."""
    from queries.status import bank_data_through
    from warehouse.state import bank_statement_through

    with engine.connect() as conn:
        assert bank_data_through(conn) is None  # nothing loaded: no bank data at all
    load_paths(engine, [SAMPLES / "kilylabs_one_day.txt"])
    load_paths(engine, [SAMPLES / "zharikov_documents.txt"], company_inn="0000000000")
    with engine.connect() as conn:
        assert bank_statement_through(conn) == date(2016, 1, 11)
        assert bank_data_through(conn) == date(2016, 1, 11)
