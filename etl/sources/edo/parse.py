"""Reading one УПД or УКД from its XML bytes, in every format version the archives hold.

The element and attribute names moved between versions; each field is looked up under every spelling,
so the version number itself decides nothing (Diadoc writes ВерсФорм="5.02" with the 5.03 names):

==========================  ===============================  ==========================================
field                       5.01 (820@, 155@; УКД 736@)      5.02 / 5.03 (970@; the current УКД)
==========================  ===============================  ==========================================
number, date                СвСчФакт/@НомерСчФ, @ДатаСчФ     СвСчФакт/@НомерДок, @ДатаДок
                            СвКСчФ/@НомерКСчФ, @ДатаКСчФ     СвКСчФ/@НомерДок, @ДатаДок
correction of the document  ИспрСчФ/@НомИспрСчФ              ИспрДок/@НомИспр
                            ИспрКСчФ/@НомИспрКСчФ            ИспрКСчФ/@НомИспрКСчФ
currency                    СвСчФакт/@КодОКВ                 СвСчФакт/ДенИзм/@КодОКВ
basis of the transfer       ОснПер/@НаимОсн, @НомОсн, @ДатаОсн  ОснПер/@РеквНаимДок, @РеквНомерДок, ...
==========================  ===============================  ==========================================

The XML is untrusted input: defusedxml refuses any DTD, so an entity bomb is refused before it expands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element
from xml.parsers.expat import ErrorString

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from domain.errors import InvalidValue, quoted
from domain.money import parse_money
from etl.parsing import parse_date
from etl.sources.edo.model import UKD_KND, UPD_KND, EdoBasis, EdoDocument, currency_letters


class EdoUnreadable(Exception):
    """An EDO document that cannot be read; the message is the reason, in words a person understands."""


class NotEdoDocument(Exception):
    """Well-formed XML that is not a УПД or УКД after all (a buyer's title, a receipt, ...)."""


@dataclass(frozen=True)
class _Party:
    inn: str
    kpp: str
    name: str


_NO_PARTY = _Party("", "", "")


# -- the tree --------------------------------------------------------------------------------------


def _local(tag: str) -> str:
    """The element's name without its namespace: ``{urn:x}Файл`` -> ``Файл``."""
    return tag.rsplit("}", 1)[-1]


def _child(element: Element | None, *names: str) -> Element | None:
    """The first child named any of `names` (local names), or None."""
    if element is None:
        return None
    for child in element:
        if _local(child.tag) in names:
            return child
    return None


def _children(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    return [child for child in element if _local(child.tag) == name]


def _path(element: Element | None, *steps: str) -> Element | None:
    for step in steps:
        element = _child(element, step)
    return element


def _attr(element: Element | None, *names: str) -> str:
    """The first of the attributes `names` that is present, stripped; "" when none is."""
    if element is None:
        return ""
    for name in names:
        value = element.get(name)
        if value is not None:
            return value.strip()
    return ""


def parse_xml(data: bytes) -> Element:
    """The root element; EdoUnreadable for malformed XML, a DTD or entities (never expanded)."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except SafeET.ParseError as exc:
        line, column = exc.position
        raise EdoUnreadable(
            f"not well-formed XML at line {line}, column {column + 1}: {ErrorString(exc.code)}"
        ) from None
    except DefusedXmlException as exc:
        raise EdoUnreadable(
            f"the XML declares a DTD or entities ({type(exc).__name__}), which no ЭДО document does: "
            "refused unread for safety"
        ) from None
    except (ValueError, LookupError) as exc:
        # pyexpat's own refusals, e.g. an encoding it cannot read.
        raise EdoUnreadable(f"the XML cannot be read: {exc}") from None


# -- values ----------------------------------------------------------------------------------------


def _required(element: Element | None, where: str, *names: str) -> str:
    value = _attr(element, *names)
    if not value:
        raise EdoUnreadable(f"{where}/@{' or @'.join(names)} is missing")
    return value


def _date(text: str, where: str) -> date:
    try:
        return parse_date(text)
    except InvalidValue as exc:
        raise EdoUnreadable(f"{where}: {exc}") from None


def _money(text: str, where: str) -> int:
    try:
        return parse_money(text)
    except InvalidValue as exc:
        raise EdoUnreadable(f"{where}: {exc}") from None


def _optional_date(text: str, where: str) -> date | None:
    return _date(text, where) if text else None


def _fio(element: Element | None) -> str:
    fio = _child(element, "ФИО")
    return " ".join(part for part in (_attr(fio, "Фамилия"), _attr(fio, "Имя"), _attr(fio, "Отчество")) if part)


def _party(element: Element | None) -> _Party:
    """INN, KPP and name of a СвПрод/СвПокуп: an organisation, an ИП, a person or a foreign company."""
    ids = _child(element, "ИдСв")
    org = _child(ids, "СвЮЛУч")
    if org is not None:
        return _Party(_attr(org, "ИННЮЛ"), _attr(org, "КПП"), _attr(org, "НаимОрг"))
    ip = _child(ids, "СвИП")
    if ip is not None:
        fio = _fio(ip)
        return _Party(_attr(ip, "ИННФЛ"), "", f"ИП {fio}" if fio else "ИП")
    person = _child(ids, "СвФЛУч", "СвФЛ", "ФЛ")
    if person is not None:
        return _Party(_attr(person, "ИННФЛ"), "", _fio(person))
    foreign = _child(ids, "СвИнНеУч")
    if foreign is not None:
        return _Party("", "", _attr(foreign, "НаимОрг"))
    return _NO_PARTY


def _vat(holder: Element | None, where: str) -> int | None:
    """The VAT under СумНалВсего (УПД) or СумНал (УКД totals): None for «без НДС», a dash or nothing."""
    amount = _child(holder, "СумНал", "СумНДС")
    if amount is not None and len(amount):
        # A УКД's totals wrap the choice once more: ВсегоУм/СумНал/СумНал (or /СумНДС, or /БезНДС).
        where = f"{where}/{_local(amount.tag)}"
        amount = _child(amount, "СумНал", "СумНДС")
    if amount is None or amount.text is None or not amount.text.strip():
        return None
    return _money(amount.text.strip(), f"{where}/{_local(amount.tag)}")


def _basis(elements: list[Element], where: str) -> tuple[EdoBasis, ...]:
    result = []
    for element in elements:
        name = _attr(element, "НаимОсн", "РеквНаимДок")
        number = _attr(element, "НомОсн", "РеквНомерДок")
        when = _optional_date(_attr(element, "ДатаОсн", "РеквДатаДок"), f"{where}: the basis's date")
        if name or number or when:
            result.append(EdoBasis(name, number, when))
    return tuple(result)


def _currency(header: Element) -> str:
    return currency_letters(_attr(header, "КодОКВ") or _attr(_child(header, "ДенИзм"), "КодОКВ"))


# -- the two documents -----------------------------------------------------------------------------


def _upd(document: Element, source: str, function: str) -> EdoDocument:
    header = _child(document, "СвСчФакт")
    if header is None:
        raise EdoUnreadable("the УПД has no <СвСчФакт> (its number, date and parties)")
    number = _required(header, "СвСчФакт", "НомерСчФ", "НомерДок")
    issued = _date(_required(header, "СвСчФакт", "ДатаСчФ", "ДатаДок"), "СвСчФакт: the document's date")
    correction = _attr(_child(header, "ИспрСчФ"), "НомИспрСчФ") or _attr(_child(header, "ИспрДок"), "НомИспр")

    totals = _path(document, "ТаблСчФакт", "ВсегоОпл")
    if totals is None:
        raise EdoUnreadable("the УПД has no totals (ТаблСчФакт/ВсегоОпл)")
    vat = _vat(_child(totals, "СумНалВсего"), "ВсегоОпл/СумНалВсего")
    with_vat = _attr(totals, "СтТовУчНалВсего")
    if with_vat:
        total = _money(with_vat, "ВсегоОпл/@СтТовУчНалВсего")
    else:
        # A ДОП may state the cost without VAT only; the total is then that plus the VAT, if any.
        without = _attr(totals, "СтТовБезНДСВсего")
        if not without:
            raise EdoUnreadable("ВсегоОпл/@СтТовУчНалВсего is missing (the total with VAT)")
        total = _money(without, "ВсегоОпл/@СтТовБезНДСВсего") + (vat or 0)

    transfers = [basis for sv in _children(_child(document, "СвПродПер"), "СвПер") for basis in _children(sv, "ОснПер")]
    return _document(
        header,
        source=source,
        kind="upd",
        function=function,
        number=number,
        date=issued,
        correction_number=correction,
        total=total,
        vat=vat,
        basis=_basis(transfers, "СвПродПер/СвПер/ОснПер"),
        corrected_number="",
        corrected_date=None,
    )


def _document(header: Element, **fields: Any) -> EdoDocument:
    """The document with its seller, buyer and currency from its header (СвСчФакт or СвКСчФ)."""
    seller = _party(_child(header, "СвПрод"))
    buyer = _party(_child(header, "СвПокуп"))
    return EdoDocument(
        seller_inn=seller.inn,
        seller_name=seller.name,
        buyer_inn=buyer.inn,
        buyer_kpp=buyer.kpp,
        buyer_name=buyer.name,
        currency=_currency(header),
        **fields,
    )


def _change(table: Element | None) -> tuple[int, int | None]:
    """The signed change of the total and of the VAT: ВсегоУвел minus ВсегоУм."""
    total = 0
    vat: int | None = None
    found = False
    for name, sign in (("ВсегоУвел", 1), ("ВсегоУм", -1)):
        block = _child(table, name)
        if block is None:
            continue
        block_vat = _vat(block, name)
        with_vat = _attr(block, "СтТовУчНалВсего")
        if with_vat:
            amount = _money(with_vat, f"{name}/@СтТовУчНалВсего")
        else:
            without = _attr(block, "СтТовБезНДСВсего")
            if not without:
                continue
            amount = _money(without, f"{name}/@СтТовБезНДСВсего") + (block_vat or 0)
        found = True
        total += sign * amount
        if block_vat is not None:
            vat = (vat or 0) + sign * block_vat
    if not found:
        raise EdoUnreadable("the УКД has no change of the total (ТаблКСчФ/ВсегоУвел or ВсегоУм)")
    return total, vat


def _ukd(document: Element, source: str, function: str) -> EdoDocument:
    header = _child(document, "СвКСчФ")
    if header is None:
        raise EdoUnreadable("the УКД has no <СвКСчФ> (its number, date and parties)")
    number = _required(header, "СвКСчФ", "НомерКСчФ", "НомерДок")
    issued = _date(_required(header, "СвКСчФ", "ДатаКСчФ", "ДатаДок"), "СвКСчФ: the document's date")
    correction = _attr(_child(header, "ИспрКСчФ"), "НомИспрКСчФ") or _attr(_child(header, "ИспрДок"), "НомИспр")

    corrected = _child(header, "СчФ")
    if corrected is None:
        raise EdoUnreadable("the УКД does not name the document it corrects (СвКСчФ/СчФ)")
    corrected_number = _required(corrected, "СвКСчФ/СчФ", "НомерСчФ", "НомерДок")
    corrected_date = _date(_required(corrected, "СвКСчФ/СчФ", "ДатаСчФ", "ДатаДок"), "СвКСчФ/СчФ: its date")

    total, vat = _change(_child(document, "ТаблКСчФ"))
    event = _child(document, "СодФХЖ3")
    grounds = _children(event, "ДокумОснКор") + _children(event, "ОснКор")
    return _document(
        header,
        source=source,
        kind="ukd",
        function=function,
        number=number,
        date=issued,
        correction_number=correction,
        total=total,
        vat=vat,
        basis=_basis(grounds, "СодФХЖ3/ДокумОснКор"),
        corrected_number=corrected_number,
        corrected_date=corrected_date,
    )


def read_document(data: bytes, source: str) -> EdoDocument:
    """The УПД or УКД in the XML bytes.

    Raises EdoUnreadable (malformed XML, a DTD, a required value missing or not a number or a date) or
    NotEdoDocument (well-formed, but not a seller's УПД/УКД).
    """
    root = parse_xml(data)
    if _local(root.tag) != "Файл":
        raise NotEdoDocument(f"the root element is <{quoted(_local(root.tag))}>, not <Файл>")
    document = _child(root, "Документ")
    if document is None:
        raise EdoUnreadable("the file has no <Документ> element")
    knd = _attr(document, "КНД")
    function = _attr(document, "Функция")
    if knd in UPD_KND:
        return _upd(document, source, function)
    if knd in UKD_KND:
        return _ukd(document, source, function)
    raise NotEdoDocument(f"КНД {knd or '(none)'} is neither a УПД nor a УКД")
