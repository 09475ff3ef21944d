"""The load's reading of an EDO archive: УПД and УКД into rows of counterparties, shipments and adjustments.

What a document means for the ledger (contract section 1, "УПД and счета-фактуры as XML"):
- a УПД whose Функция is СЧФДОП or ДОП and whose seller is the company is a shipment, keyed by the seller's
  INN, its number and date (`7707083893/ВО-101/03.02.2025`); the same document twice, or corrected (ИспрСчФ),
  is one shipment: the highest correction wins, then the later file;
- its buyer by INN: when no counterparty has that INN, one is made from the file (name, INN, KPP; its id
  the INN) ahead of the shipments, so the same load finds it;
- its contract by the basis of transfer («Договор № … от …»), else the buyer's only contract in its
  currency (etl/load/resolve.py);
- a УКД from the company is an adjustment of the shipment it corrects, by the change of its total;
- an invoice-only СЧФ, or any document of another seller (a supplier's), is skipped and counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from domain.money import format_money
from etl.errors import FileRefused
from etl.load.types import Reject, Row, Tally
from etl.sources.edo import EdoDocument, read_edo_path

SHIPPING_FUNCTIONS = frozenset({"СЧФДОП", "ДОП"})
# What an EDO archive holds that is not a debt, as LoadResult.edo_skipped counts it.
EDO_SKIPPED = ("invoices_only", "suppliers", "superseded", "other_files")


def edo_key(seller_inn: str, number: str, day: object) -> str:
    """A shipment's or correction's key: the seller's INN, the number and the date."""
    return f"{seller_inn}/{number}/{day:%d.%m.%Y}"


@dataclass
class EdoBatch:
    """What the EDO files of one load gave, before duplicates are settled."""

    documents: list[EdoDocument] = field(default_factory=list)
    invoices_only: int = 0
    suppliers: int = 0
    other: int = 0


def read_edo(path: Path, company_inn: str, batch: EdoBatch, tally: Tally) -> str:
    """Add one .xml file's or .zip archive's documents to the batch; returns what it gave, in words."""
    if not company_inn:
        raise FileRefused(
            "the company's INN is not configured ([company] inn in the config): without it a УПД cannot be "
            "told from a supplier's, so nothing of this EDO file was loaded"
        )
    read = read_edo_path(path)
    mine = 0
    for document in read.documents:
        if document.seller_inn != company_inn:
            batch.suppliers += 1
        elif document.kind == "upd" and document.function not in SHIPPING_FUNCTIONS:
            batch.invoices_only += 1
        else:
            batch.documents.append(document)
            mine += 1
    for source, reason in read.problems:
        entity = "shipments"
        tally.reject_read(entity, Reject("row", entity, source, None, "", "", reason))
    batch.other += len(read.other)
    return f"{mine} of {len(read.documents)} documents are the company's" + (
        f"; {len(read.other)} other files skipped" if read.other else ""
    )


def edo_rows(batch: EdoBatch) -> tuple[dict[str, list[Row]], dict[str, int]]:
    """Rows per entity (buyers, shipments, adjustments) and what was skipped, counted by EDO_SKIPPED."""
    latest: dict[tuple[str, str], EdoDocument] = {}
    for document in batch.documents:  # in file order: a later file replaces an earlier one of equal rank
        rank_key = (document.kind, edo_key(document.seller_inn, document.number, document.date))
        held = latest.get(rank_key)
        if held is None or _rank(document) >= _rank(held):
            latest[rank_key] = document
    superseded = len(batch.documents) - len(latest)
    buyers: dict[str, Row] = {}
    shipments, adjustments = [], []
    for (kind, document_id), document in latest.items():
        if document.buyer_inn and document.buyer_inn not in buyers:
            buyers[document.buyer_inn] = Row(
                document.source,
                document.line,
                {
                    "counterparty_id": document.buyer_inn,
                    "name": document.buyer_name or document.buyer_inn,
                    "inn": document.buyer_inn,
                    "kpp": document.buyer_kpp,
                },
                only_if_new=True,
            )
        values: dict[str, str] = {
            "document_id": document_id,
            "counterparty_id": document.buyer_inn or document.buyer_name,
            "contract_id": "",
            "date": f"{document.date:%Y-%m-%d}",
            "amount": format_money(document.total),
            "number": document.number,
            "currency": document.currency,
        }
        if kind == "upd":
            values["vat"] = "" if document.vat is None else format_money(document.vat)
            contract = next((b for b in document.basis if "договор" in b.name.casefold() and b.number), None)
            if contract is not None:
                values["contract_number"] = contract.number
                values["contract_date"] = f"{contract.date:%Y-%m-%d}" if contract.date else ""
            shipments.append(Row(document.source, document.line, values))
        else:
            if document.corrected_date is not None:
                values["shipment_id"] = edo_key(document.seller_inn, document.corrected_number, document.corrected_date)
            adjustments.append(Row(document.source, document.line, values))
    skipped = {
        "invoices_only": batch.invoices_only,
        "suppliers": batch.suppliers,
        "superseded": superseded,
        "other_files": batch.other,
    }
    rows = {"counterparties": list(buyers.values()), "shipments": shipments, "adjustments": adjustments}
    return {entity: batch_rows for entity, batch_rows in rows.items() if batch_rows}, {
        what: count for what, count in skipped.items() if count
    }


def _rank(document: EdoDocument) -> tuple[int, str]:
    """A corrected copy outranks the original, a later correction an earlier one."""
    number = document.correction_number.strip()
    return (int(number) if number.isdigit() else (1 if number else 0)), number
