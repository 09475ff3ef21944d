"""What the EDO reader hands to the load: one shipment document (УПД) or correction (УКД) per XML file.

Money is integer kopecks, read from the XML's decimal text by ``domain.money.parse_money`` (never a float);
dates are ``datetime.date``; every text field is the value as written in the file, "" when absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Imported under another name: the dataclasses below have a field called `date`, which would shadow it.
from datetime import date as Date

from domain.currencies import OKV

EDO_SUFFIXES = frozenset({".xml", ".zip"})

# The КНД (tax document classifier) codes of the seller's title the reader takes, by kind:
# 1115131 - УПД / счёт-фактура of приказ ММВ-7-15/820@ (ВерсФорм 5.01) and ЕД-7-26/970@ (5.02, 5.03);
# 1115125 - the same document in its predecessor format ММВ-7-15/155@ (ON_SCHFDOPPR), still found in archives.
# 1115133 - УКД of the current format (НомерДок/ДатаДок); 1115127 - УКД of приказ ЕД-7-26/736@ (ВерсФорм 5.01,
# НомерКСчФ/ДатаКСчФ), which is what most archives of 2021-2024 hold.
UPD_KND = frozenset({"1115131", "1115125"})
UKD_KND = frozenset({"1115133", "1115127"})
EDO_KND = UPD_KND | UKD_KND

# Known КНД codes of EDO files that are not a seller's title, to name them in a refusal.
OTHER_KND = {
    "1115132": "the buyer's title of a УПД (ON_NSCHFDOPPOK), not the seller's document",
    "1115101": "a счёт-фактура of the pre-2017 format (ON_SFAKT), not a УПД",
}


def currency_letters(code: str) -> str:
    """``643`` -> ``RUB``; an unknown code stays as written; nothing written means roubles."""
    code = code.strip()
    if not code:
        return "RUB"
    return OKV.get(code, code)


@dataclass(frozen=True)
class EdoBasis:
    """One basis of the transfer (СвПродПер/СвПер/ОснПер): usually the contract."""

    name: str  # НаимОсн (5.01) or РеквНаимДок (5.02, 5.03), e.g. "Договор поставки"
    number: str  # НомОсн / РеквНомерДок, "" when absent
    date: Date | None  # ДатаОсн / РеквДатаДок, None when absent


@dataclass(frozen=True)
class EdoDocument:
    """A УПД ("upd") or УКД ("ukd") as its seller wrote it."""

    source: str  # the file path; for a zip member str(zip_path) + "/" + member name
    kind: str  # "upd" or "ukd"
    function: str  # Документ/@Функция as written: СЧФДОП, ДОП, СЧФ (УПД); КСЧФДИС, ДИС, КСЧФ (УКД)
    seller_inn: str
    seller_name: str
    buyer_inn: str
    buyer_kpp: str
    buyer_name: str
    number: str  # the document's own number
    date: Date  # the document's own date
    correction_number: str  # the number of the correction (ИспрСчФ, ИспрДок, ИспрКСчФ), "" for an original
    total: int  # kopecks with VAT; for a УКД the signed change (+ increase, - decrease)
    vat: int | None  # kopecks; None when «без НДС» or not stated; for a УКД the signed change
    currency: str  # ISO letters ("RUB", "USD", ...) or the code as written when unknown
    basis: tuple[EdoBasis, ...]
    corrected_number: str  # УКД: the number of the shipment document it corrects; "" for a УПД
    corrected_date: Date | None  # УКД: that document's date
    line: int = 1  # for the rejects list, which names file and line


@dataclass
class EdoRead:
    """Everything one .xml file or .zip archive gave."""

    documents: list[EdoDocument] = field(default_factory=list)
    # (source, reason) for a file that is EDO XML but could not be read; the others are still read.
    problems: list[tuple[str, str]] = field(default_factory=list)
    # Sources in an archive that are not a УПД/УКД (receipts, buyer's titles, signatures, PDFs): skipped.
    other: list[str] = field(default_factory=list)
