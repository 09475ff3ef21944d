"""Deterministic generator of a realistic demo source folder (contract section 1).

The generator only WRITES files in the contract's formats; loading them is the normal ETL's job, so the
demo exercises exactly the code paths real exports take. The story it tells is a Russian food/consumer
goods distributor ("ООО «Волжский Опт»") with about 200 B2B customers over the two years up to ``end``:

- ``counterparties.csv``  Windows-1251, ``;``, CRLF (the way 1C "Сохранить как CSV" writes on Windows)
- ``contracts.xlsx``      sheet "contracts", real Excel date cells, numeric limits
- ``opening_balances.csv`` debt at the cut-over (the day before the first shipment); a few advances
- ``shipments_<year>.csv`` one per calendar year, UTF-8 with BOM, ``,``, ``1234.56``
- ``returns.csv``, ``adjustments.csv``  UTF-8, ``;``, ``1 234,56`` and DD.MM.YYYY (Russian style; the
  adjustments use a no-break space as the thousands separator, as 1C does)
- ``payments.csv``, ``allocations.csv``, ``calendar.csv``  UTF-8, ``,``
- ``bank_statement_<YYYY-MM>.txt``  1CClientBankExchange 1.03, cp1251, CRLF: the last 30 days of ruble
  payments (they are NOT repeated in payments.csv), a few outgoing orders, 3-5 unidentified payers.

Everything is driven by one ``random.Random(seed)`` consumed in a fixed order, dictionaries are only
iterated in insertion order and no clock is read (except ``date.today()`` when ``end`` is not given),
so the same (scale, seed, end) gives byte-identical files.

Memory stays flat at any scale: shipments are generated day by day and written at once; payments,
returns and adjustments dated later wait in small heaps (at most a few months of documents) and are
written, with ids in date order, as the day loop passes their date.

Deliberately bad rows (``counts["bad_rows"]`` = 8), one reason each, so the rejects list has content:
counterparties 1 (INN checksum), shipments 3 (31.02.YYYY, amount ``12,345``, unknown contract C99999),
returns 1 (negative amount), adjustments 1 (zero amount), payments 1 (neither contract_id nor
counterparty_id), allocations 1 (unknown payment P9999999). ``counts[entity]`` counts valid rows only.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import gc
import heapq
import math
import random
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

__all__ = ["COMPANY_INN", "COMPANY_NAME", "DemoSummary", "write_demo_source"]

# --------------------------------------------------------------------------------------------------
# The company whose receivables these are. Fixed (not seed-dependent) so that a receivables.toml
# written once keeps matching every regenerated demo folder.

COMPANY_NAME = "ООО «Волжский Опт»"
COMPANY_KPP = "771801001"
# Bank of the company (and a few banks for the customers): real large Russian banks, so statements
# look like the real thing; the accounts themselves are generated and fictional.
_BANKS: tuple[tuple[str, str, str, str], ...] = (
    # name, city, BIK, correspondent account
    ("ПАО Сбербанк", "г. Москва", "044525225", "30101810400000000225"),
    ("Банк ВТБ (ПАО)", "г. Москва", "044525187", "30101810700000000187"),
    ("АО «АЛЬФА-БАНК»", "г. Москва", "044525593", "30101810200000000593"),
    ("ПАО «Промсвязьбанк»", "г. Москва", "044525555", "30101810400000000555"),
    ("АО «Райффайзенбанк»", "г. Москва", "044525700", "30101810200000000700"),
)

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _inn_check(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)


def company_inn_from(body9: str) -> str:
    """A 10-digit legal-entity INN: 9 digits + the checksum digit (FNS algorithm)."""
    return body9 + _inn_check(body9, _INN10_WEIGHTS)


def person_inn_from(body10: str) -> str:
    """A 12-digit individual (ИП) INN: 10 digits + the two checksum digits."""
    first = _inn_check(body10, _INN12_WEIGHTS_1)
    return body10 + first + _inn_check(body10 + first, _INN12_WEIGHTS_2)


def _account_with_key(bik: str, account: str) -> str:
    """Fill the control digit (9th) of a 20-digit account so it passes the Bank of Russia check.

    Checked over the last 3 BIK digits + the account, weights 7,1,3 repeated: sum of the last digits
    of the products must end in 0. Banks' and 1C's own validators check this, so real-looking demo
    accounts should pass it too.
    """
    for key in "0123456789":
        candidate = account[:8] + key + account[9:]
        digits = bik[-3:] + candidate
        if sum(int(d) * (7, 1, 3)[i % 3] % 10 for i, d in enumerate(digits)) % 10 == 0:
            return candidate
    raise AssertionError("unreachable: one key digit always fits")  # pragma: no cover


COMPANY_INN = company_inn_from("771804512")
COMPANY_ACCOUNT = _account_with_key(_BANKS[0][2], "40702810" + "0" + "38000012345")

# --------------------------------------------------------------------------------------------------
# Vocabulary for names. Plain tuples: iteration order is part of the determinism.
# fmt: off

_ROOTS = (
    "Альфа", "Вектор", "Восток", "Гранд", "Дельта", "Зенит", "Каскад", "Континент", "Меридиан", "Нева",
    "Олимп", "Орион", "Партнер", "Полюс", "Прайм", "Регион", "Сибирь", "Союз", "Спектр", "Стандарт",
    "Старт", "Темп", "Фаворит", "Эталон", "Янтарь", "Волга", "Кама", "Ладога", "Алтай", "Байкал",
    "Бриз", "Весна", "Колос", "Лидер", "Магнат", "Навигатор", "Поволжье", "Рассвет", "Север", "Форвард",
    "Урожай", "Гармония", "Заря", "Изумруд", "Кристалл", "Луч", "Мегаполис", "Нива", "Океан", "Перспектива",
    "Радуга", "Садко", "Таймыр", "Ураган", "Феникс", "Хлебосол", "Чайка", "Элита", "Юнона", "Ярмарка",
)
_SUFFIXES = (
    "Трейд", "Продукт", "Маркет", "Снаб", "Торг", "Опт", "Ритейл", "Логистик", "Фуд", "Групп", "Сервис",
    "Плюс", "Дистрибуция", "Снабжение", "Инвест",
)
_SURNAMES = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
    "Федоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семенов", "Егоров", "Павлов", "Козлов",
    "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьев",
    "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьев", "Сергеев", "Кузьмин", "Фролов", "Королев",
    "Гусев", "Киселев", "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалев", "Белов",
    "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев",
)
_MALE_NAMES = ("Александр", "Алексей", "Андрей", "Дмитрий", "Евгений", "Игорь", "Константин", "Михаил",
               "Николай", "Олег", "Павел", "Роман", "Сергей", "Юрий")
_FEMALE_NAMES = ("Анна", "Валентина", "Екатерина", "Елена", "Ирина", "Марина", "Мария", "Наталья",
                 "Ольга", "Светлана", "Татьяна", "Юлия")
_PATRONYMICS = (  # (male, female) from the same father's name
    ("Александрович", "Александровна"), ("Андреевич", "Андреевна"), ("Викторович", "Викторовна"),
    ("Владимирович", "Владимировна"), ("Дмитриевич", "Дмитриевна"), ("Игоревич", "Игоревна"),
    ("Николаевич", "Николаевна"), ("Олегович", "Олеговна"), ("Петрович", "Петровна"),
    ("Сергеевич", "Сергеевна"), ("Юрьевич", "Юрьевна"),
)
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}

# Regions: INN prefix (region + tax office) and the warehouse that serves them.
_REGIONS: tuple[tuple[str, str, float], ...] = (
    # region code, warehouse, share of customers
    ("77", "Склад Москва (Подольск)", 0.30),
    ("50", "Склад Москва (Подольск)", 0.12),
    ("78", "Склад Санкт-Петербург (Шушары)", 0.14),
    ("16", "Склад Казань", 0.07),
    ("63", "Склад Казань", 0.05),
    ("52", "Склад Москва (Подольск)", 0.05),
    ("66", "Склад Екатеринбург", 0.08),
    ("74", "Склад Екатеринбург", 0.04),
    ("54", "Склад Новосибирск", 0.06),
    ("61", "Склад Ростов-на-Дону", 0.05),
    ("23", "Склад Ростов-на-Дону", 0.04),
)
# fmt: on
_WAREHOUSES = tuple(dict.fromkeys(w for _, w, _ in _REGIONS))

# Customer groups: share of customers, relative size (share of shipments), typical shipment in rubles,
# payment terms offered (days, weights).
_GROUPS: tuple[tuple[str, float, float, float, tuple[int, ...], tuple[int, ...]], ...] = (
    ("Сети", 0.10, 6.0, 180_000.0, (30, 45, 60), (3, 3, 2)),
    ("Опт", 0.33, 2.5, 110_000.0, (0, 14, 30, 45), (1, 3, 4, 1)),
    ("Розница", 0.35, 1.0, 40_000.0, (0, 14, 30), (2, 4, 3)),
    ("HoReCa", 0.22, 0.7, 16_000.0, (0, 14, 30), (2, 5, 2)),
)

# Fixed-date federal holidays (month, day). Only used to place demo payments on plausible bank days;
# the product computes real due dates from its own production calendar, so transfers don't matter here.
_FIXED_HOLIDAYS = frozenset([(1, d) for d in range(1, 9)] + [(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)])
_MONTH_FACTOR = (0.62, 0.85, 1.10, 1.15, 1.06, 0.95, 0.90, 0.92, 1.00, 1.05, 1.14, 1.30)
_WEEKDAY_FACTOR = (1.05, 1.0, 1.0, 1.0, 1.1, 0.22, 0.012)  # Mon..Sun: Sunday shipments are rare

_STATEMENT_DAYS = 30
_WINDOW_DAYS = 731  # two years of shipments up to and including `end`
_FAR = 10**9  # "never" as an ordinal

_HEADERS: dict[str, tuple[str, ...]] = {
    "counterparties": ("counterparty_id", "name", "inn", "kpp", "manager", "email", "group"),
    "contracts": (
        "contract_id",
        "counterparty_id",
        "number",
        "date",
        "currency",
        "terms_days",
        "terms_basis",
        "credit_limit",
    ),
    "shipments": ("document_id", "contract_id", "date", "amount", "number", "due_date", "vat", "warehouse", "deleted"),
    "returns": ("document_id", "contract_id", "date", "amount", "shipment_id", "number", "deleted"),
    "adjustments": ("document_id", "contract_id", "date", "amount", "shipment_id", "number", "deleted"),
    "payments": ("document_id", "date", "amount", "contract_id", "counterparty_id", "number", "purpose"),
    "allocations": ("payment_id", "shipment_id", "amount"),
    "opening_balances": ("document_id", "contract_id", "date", "amount", "due_date", "number"),
    "calendar": ("date", "kind"),
}


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`write_demo_source` wrote.

    ``counts`` holds valid rows per entity (``counterparties``, ``contracts``, ``opening_balances``,
    ``shipments``, ``returns``, ``adjustments``, ``payments``, ``allocations``, ``calendar``), plus
    ``shipments_deleted`` (rows marked deleted=1), ``bank_payments`` (incoming statement documents,
    unidentified included), ``bank_unidentified``, ``bank_outgoing`` and ``bad_rows``.
    """

    folder: Path
    files: tuple[Path, ...]
    counts: dict[str, int]
    company_name: str
    company_inn: str
    company_account: str


# --------------------------------------------------------------------------------------------------
# Small helpers


def _money(kop: int) -> str:
    """1234.56 - integer kopecks to text, no float on the way (money is exact)."""
    sign = "-" if kop < 0 else ""
    kop = abs(kop)
    return f"{sign}{kop // 100}.{kop % 100:02d}"


def _money_ru(kop: int, sep: str = " ") -> str:
    """1 234,56 - the Russian style with a thousands separator and a decimal comma."""
    sign = "-" if kop < 0 else ""
    kop = abs(kop)
    return f"{sign}{kop // 100:,}".replace(",", sep) + f",{kop % 100:02d}"


def _vat(kop: int) -> int:
    """VAT included at 20%: amount * 20 / 120, rounded half up, in integer kopecks."""
    return (kop + 3) // 6


def _weekday(ordinal: int) -> int:
    # date.fromordinal(1) is a Monday, so this is date.weekday() without building a date.
    return (ordinal - 1) % 7


class _Dates:
    """Cached date texts: the same few hundred days are formatted millions of times."""

    def __init__(self) -> None:
        self._iso: dict[int, str] = {}
        self._ru: dict[int, str] = {}

    def iso(self, ordinal: int) -> str:
        text = self._iso.get(ordinal)
        if text is None:
            text = self._iso[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def ru(self, ordinal: int) -> str:
        text = self._ru.get(ordinal)
        if text is None:
            text = self._ru[ordinal] = date.fromordinal(ordinal).strftime("%d.%m.%Y")
        return text


class _WorkDays:
    """Approximate working days (weekends, fixed-date holidays, the demo's calendar.csv overrides).

    Only places demo payments around due dates; the product's own calendar decides what is overdue.
    """

    def __init__(self, lo: int, hi: int, holidays: tuple[int, ...], workdays: tuple[int, ...]) -> None:
        self.lo = lo
        self.hi = hi
        working = []
        for o in range(lo, hi):
            d = date.fromordinal(o)
            ok = d.weekday() < 5 and (d.month, d.day) not in _FIXED_HOLIDAYS
            if o in holidays:
                ok = False
            if o in workdays:
                ok = True
            working.append(ok)
        self.working = working
        # next_working[i]: first working ordinal >= lo + i (hi if none).
        nxt = [hi] * (hi - lo + 1)
        for i in range(hi - lo - 1, -1, -1):
            nxt[i] = lo + i if working[i] else nxt[i + 1]
        self._next = nxt
        self._list = [lo + i for i in range(hi - lo) if working[i]]
        counts = []
        seen = 0
        for ok in working:
            seen += ok
            counts.append(seen)
        self._count = counts  # working days in [lo, lo + i]

    def is_working(self, o: int) -> bool:
        return self.lo <= o < self.hi and self.working[o - self.lo]

    def next_working(self, o: int) -> int:
        if o >= self.hi:
            return o
        return self._next[max(o, self.lo) - self.lo]

    def due(self, o: int, terms: int, working: bool) -> int:
        if terms <= 0:
            return o
        if not working:
            return self.next_working(o + terms)
        pos = self._count[o - self.lo] + terms - 1  # the N-th working day strictly after o
        return self._list[pos] if pos < len(self._list) else o + terms * 7 // 5

    def workday_in(self, lo: int, hi: int, rng: random.Random) -> int:
        """A random working day in [lo, hi]; lo itself when there is none."""
        days = self._list[bisect.bisect_left(self._list, lo) : bisect.bisect_right(self._list, hi)]
        return rng.choice(days) if days else lo


@dataclass(slots=True, eq=False)
class _Contract:
    idx: int
    contract_id: str
    cp: _Counterparty
    date_ord: int
    currency: str
    divisor: int  # rubles per unit of the contract currency, for amounts
    terms: int
    working: bool
    limit_kop: int | None
    weight: float
    number: str = ""
    date_ru: str = ""
    # Not yet settled by the customer: > 0 it still owes (a weight surcharge), < 0 a credit
    # (an advance, a return after payment) that it nets off its next payment, as customers do.
    offset: int = 0


@dataclass(slots=True, eq=False)
class _Counterparty:
    idx: int
    counterparty_id: str
    name: str
    inn: str
    kpp: str
    manager: str
    email: str
    group: str
    region: str
    warehouse: str
    weight: float
    mean_kop: float
    behaviour: str
    ship_from: int
    ship_to: int
    stop_pay: int
    no_contract_share: float
    batch_day: int  # weekday of its payment registry runs, -1 = pays shipment by shipment
    account: str
    bank: tuple[str, str, str, str]
    pp_no: int
    contracts: list[_Contract] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# The generator


class _Generator:
    def __init__(self, folder: Path, scale: int, seed: int, end: date) -> None:
        self.folder = folder
        self.scale = scale
        self.rng = random.Random(seed)
        rnd = self.rng.random

        def randint(a: int, b: int) -> int:
            # random.randint costs ~1 us through randrange; millions of calls make that seconds.
            return a + int(rnd() * (b - a + 1))

        self.randint = randint
        self.end = end.toordinal()
        self.start = self.end - _WINDOW_DAYS + 1
        # The cut-over: opening balances are the debt as at the close of the day before the window.
        self.ob_ord = self.start - 1
        self.stmt_start = self.end - _STATEMENT_DAYS + 1
        self.dates = _Dates()
        self.counts: dict[str, int] = dict.fromkeys(
            (
                "counterparties",
                "contracts",
                "opening_balances",
                "shipments",
                "shipments_deleted",
                "returns",
                "adjustments",
                "payments",
                "allocations",
                "calendar",
                "bank_payments",
                "bank_unidentified",
                "bank_outgoing",
                "bad_rows",
            ),
            0,
        )
        self.files: list[Path] = []
        self.used_inns: set[str] = {COMPANY_INN}  # membership only, never iterated
        self.used_names: set[str] = set()
        self.holidays, self.workdays = self._calendar_overrides()
        self.cal = _WorkDays(self.start - 1500, self.end + 600, self.holidays, self.workdays)
        self.cps: list[_Counterparty] = []
        self.contracts: list[_Contract] = []
        # Pending documents wait in heaps keyed by date; seq makes the order total and deterministic.
        self.seq = 0
        # Heap keys are date << 40 | seq: one int compares much faster than a list.
        self.pay_heap: list[tuple[int, list[Any]]] = []
        self.batches: dict[tuple[int, int, bool], list[Any]] = {}
        self.doc_heap: list[tuple[int, tuple[int, str, str, str, int]]] = []
        self.statement_docs: list[tuple[int, int, _Counterparty, int, str, str]] = []
        self.doc_numbers: dict[tuple[str, int], int] = {}

    # ---------------------------------------------------------------- reference data

    def _calendar_overrides(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """One company holiday on an ordinary weekday and one working Saturday, both in the window.

        The holiday is the second Friday of July (a company day off): no federal holiday or transfer
        ever falls in July, so the override really changes the calendar. The workday is the first
        Saturday of September (stock-taking): official working Saturdays only occur around
        November-December and in spring, so this one is not already a working day either.
        """
        end = date.fromordinal(self.end)

        def latest(month: int, weekday: int, nth: int) -> int:
            for year in (end.year, end.year - 1, end.year - 2):
                first = date(year, month, 1)
                o = first.toordinal() + (weekday - first.weekday()) % 7 + 7 * (nth - 1)
                if self.start <= o <= self.end:
                    return o
            raise AssertionError("a two-year window always holds a July and a September")

        return (latest(7, 4, 2),), (latest(9, 5, 1),)

    def _new_inn(self, region: str, person: bool) -> str:
        rng = self.rng
        while True:
            office = f"{region}{rng.randint(1, 35):02d}"
            if person:
                inn = person_inn_from(office + f"{rng.randint(0, 999_999):06d}")
            else:
                inn = company_inn_from(office + f"{rng.randint(0, 99_999):05d}")
            if inn not in self.used_inns:
                self.used_inns.add(inn)
                return inn

    def _person(self, female: bool) -> tuple[str, str, str]:
        rng = self.rng
        surname = rng.choice(_SURNAMES) + ("а" if female else "")
        first = rng.choice(_FEMALE_NAMES if female else _MALE_NAMES)
        patronymic = rng.choice(_PATRONYMICS)[1 if female else 0]
        return surname, first, patronymic

    def _company_words(self) -> tuple[str, str]:
        """(display core, latin domain) for a company name, unique across the demo."""
        rng = self.rng
        while True:
            root = rng.choice(_ROOTS)
            suffix = rng.choice(_SUFFIXES)
            style = rng.random()
            if style < 0.45:
                core = f"{root}-{suffix}"
            elif style < 0.65:
                core = f"{root}{suffix.lower()}"
            elif style < 0.80:
                core = f"ТД {root}"
            elif style < 0.90:
                core = f"{root} {suffix}"
            else:
                core = root
            if core not in self.used_names:
                self.used_names.add(core)
                latin = "".join(_TRANSLIT.get(ch, ch) for ch in core.lower().replace("тд ", "td"))
                return core, re.sub(r"[^a-z0-9-]", "", latin.replace(" ", "-"))

    def _make_counterparties(self) -> None:
        rng = self.rng
        n = min(200, max(20, round(1.2 * math.sqrt(self.scale))))
        managers = []
        for _ in range(rng.randint(4, 6)):
            female = rng.random() < 0.6
            surname, first, patronymic = self._person(female)
            managers.append(f"{surname} {first} {patronymic}")

        # Behaviours by quota, then shuffled: even a 20-customer demo has every story in it.
        quotas = (("stopper", 0.02), ("chronic", 0.08), ("partial", 0.10), ("prepay", 0.08), ("late", 0.25))
        behaviours: list[str] = []
        for name, share in quotas:
            behaviours += [name] * max(1, round(n * share))
        behaviours += ["ontime"] * (n - len(behaviours))
        rng.shuffle(behaviours)

        group_cum = list(_accumulate(g[1] for g in _GROUPS))
        region_cum = list(_accumulate(r[2] for r in _REGIONS))
        window = self.end - self.start
        for i in range(n):
            group_row = _GROUPS[bisect.bisect(group_cum, rng.random() * group_cum[-1])]
            group, _share, size, typical, _terms, _w = group_row
            region, warehouse, _ = _REGIONS[bisect.bisect(region_cum, rng.random() * region_cum[-1])]
            behaviour = behaviours[i]
            person = group in ("Розница", "HoReCa") and rng.random() < 0.35
            if person:
                female = rng.random() < 0.45
                surname, first, patronymic = self._person(female)
                name = f"ИП {surname} {first[0]}.{patronymic[0]}."
                latin = "".join(_TRANSLIT.get(ch, ch) for ch in surname.lower())
                email = f"{latin}.{_TRANSLIT[first[0].lower()]}@{rng.choice(('mail.ru', 'yandex.ru'))}"
                kpp = ""
            else:
                core, domain = self._company_words()
                form = "АО" if rng.random() < 0.1 else "ООО"
                name = f"{form} «{core}»"
                prefixes = ("buh", "info", "zakaz", "finance", "office", "opt")
                email = f"{rng.choice(prefixes)}@{domain}.ru"
                if rng.random() < 0.3:
                    email += f", {rng.choice(prefixes)}@{domain}.ru"
                kpp = ""  # set once the INN is known: the KPP starts with the same tax office
            if rng.random() < 0.06:
                email = ""  # not every customer card has one
            inn = self._new_inn(region, person)
            if not person:
                kpp = f"{inn[:4]}01001"
            bank = rng.choice(_BANKS)
            prefix = "40802810" if person else "40702810"
            account = _account_with_key(bank[2], prefix + "0" + f"{rng.randint(0, 10**11 - 1):011d}")

            ship_from = self.start
            if rng.random() < 0.15:  # a customer won during the window
                ship_from = self.start + rng.randint(30, int(window * 0.8))
            ship_to = self.end
            stop_pay = _FAR
            if behaviour == "stopper":
                # Stops paying some months before `end`; sales notices only weeks later.
                stop_pay = self.end - rng.randint(60, 150)
                ship_to = stop_pay + rng.randint(20, 45)
                ship_from = max(self.start, min(ship_from, stop_pay - 200))
            elif rng.random() < 0.05 and ship_from == self.start:
                ship_to = self.start + rng.randint(int(window * 0.3), int(window * 0.9))  # churned
            self.cps.append(
                _Counterparty(
                    idx=i,
                    counterparty_id=f"K{i + 1:04d}",
                    name=name,
                    inn=inn,
                    kpp=kpp,
                    manager=managers[rng.randrange(len(managers))],
                    email=email,
                    group=group,
                    region=region,
                    warehouse=warehouse,
                    weight=size * rng.lognormvariate(0.0, 0.9),
                    mean_kop=typical * 100 * rng.lognormvariate(0.0, 0.35),
                    behaviour=behaviour,
                    ship_from=ship_from,
                    ship_to=ship_to,
                    stop_pay=stop_pay,
                    no_contract_share=0.0,
                    batch_day=-1,
                    account=account,
                    bank=bank,
                    pp_no=rng.randint(100, 3000),
                )
            )

        # Chains pay by registry once a week; a few big wholesalers do the same.
        for cp in self.cps:
            if (cp.group == "Сети" or (cp.group == "Опт" and rng.random() < 0.2)) and cp.behaviour not in (
                "prepay",
                "partial",
            ):
                cp.batch_day = rng.choice((1, 3, 4))
        if all(cp.batch_day < 0 for cp in self.cps):
            first = next(cp for cp in self.cps if cp.behaviour not in ("prepay", "partial"))
            first.batch_day = 3
        # Foreign-currency contracts for 1-2 wholesalers (priced in USD/CNY, paid in that currency).
        wholesale = sorted(
            (cp for cp in self.cps if cp.behaviour in ("ontime", "late") and cp.ship_from == self.start),
            key=lambda cp: (cp.group != "Опт", cp.idx),
        )
        fx = wholesale[: 2 if n >= 60 else 1]
        fx_ids = [cp.idx for cp in fx]
        # Some customers pay without naming the contract (counterparty-level matching); never the
        # foreign-currency ones, whose money must not mix with rubles.
        candidates = [cp for cp in self.cps if cp.idx not in fx_ids]
        for k, cp in enumerate(candidates):
            if k == 0 or rng.random() < 0.2:
                cp.no_contract_share = 0.5

        self._make_contracts(fx_ids)

    def _make_contracts(self, fx_ids: list[int]) -> None:
        rng = self.rng
        total_weight = sum(cp.weight for cp in self.cps)
        for cp in self.cps:
            group_row = next(g for g in _GROUPS if g[0] == cp.group)
            terms_opts, terms_w = group_row[4], group_row[5]

            def terms_for(
                cp: _Counterparty = cp, opts: tuple[int, ...] = terms_opts, w: tuple[int, ...] = terms_w
            ) -> tuple[int, bool]:
                terms = 0 if cp.behaviour == "prepay" else rng.choices(opts, w)[0]
                return terms, terms > 0 and rng.random() < 0.36

            def limit_for(cp: _Counterparty = cp, terms: int = 0) -> int | None:
                if rng.random() < 0.15 or cp.behaviour == "prepay":
                    return None  # no limit set
                monthly = cp.weight / total_weight * self.scale / 24 * cp.mean_kop / 100
                rub = monthly * (terms / 30 + 0.7) * rng.uniform(0.7, 1.4)
                return int(min(5_000_000, max(100_000, round(rub / 50_000) * 50_000))) * 100

            if cp.ship_from == self.start:
                first_date = self.start - rng.randint(20, 1000)
            else:
                first_date = cp.ship_from - rng.randint(0, 10)
            dates = [first_date]
            # The yearly renewal: a new contract signed in mid-January, within the window.
            jan = date(date.fromordinal(max(first_date + 60, self.start)).year + 1, 1, 1).toordinal()
            renewal = jan + rng.randint(9, 27)
            if renewal > self.end - 15:
                renewal = rng.randint(max(first_date + 30, self.start), self.end - 15)
            dates.append(renewal)
            extra = cp.idx in fx_ids or rng.random() < 0.4
            if extra:
                dates.append(rng.randint(max(first_date + 30, self.start), self.end - 20))
            for k, d in enumerate(dates):
                terms, working = terms_for()
                currency, divisor = "RUB", 1
                if k == 2 and cp.idx in fx_ids:
                    currency, divisor = ("USD", 90) if fx_ids.index(cp.idx) == 0 else ("CNY", 12)
                limit = limit_for(terms=terms)
                if limit is not None and divisor != 1:
                    limit = max(100_000, limit // divisor // 100_000 * 100_000)
                ctr = _Contract(
                    idx=len(self.contracts),
                    contract_id=f"C{len(self.contracts) + 1:05d}",
                    cp=cp,
                    date_ord=d,
                    currency=currency,
                    divisor=divisor,
                    terms=terms,
                    working=working,
                    limit_kop=limit,
                    weight=(0.25, 1.0, 0.35)[k],
                )
                cp.contracts.append(ctr)
                self.contracts.append(ctr)

        # Numbers follow the signing order within each year, as a contracts register does.
        seq_by_year: dict[int, int] = {}
        for ctr in sorted(self.contracts, key=lambda c: (c.date_ord, c.idx)):
            year = date.fromordinal(ctr.date_ord).year
            seq = seq_by_year.get(year) or rng.randint(3, 40)
            seq_by_year[year] = seq + rng.randint(1, 3)
            ctr.number = f"Д-{seq:04d}/{year % 100:02d}"
            ctr.date_ru = self.dates.ru(ctr.date_ord)

    # ---------------------------------------------------------------- writers for small files

    def _open_csv(self, name: str, encoding: str, delimiter: str, crlf: bool = False) -> tuple[Any, Any]:
        path = self.folder / name
        self.files.append(path)
        handle = path.open("w", encoding=encoding, newline="")
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
        return handle, writer

    def _write_counterparties(self) -> None:
        handle, writer = self._open_csv("counterparties.csv", "cp1251", ";", crlf=True)
        with handle:
            writer.writerow(_HEADERS["counterparties"])
            for cp in self.cps:
                writer.writerow((cp.counterparty_id, cp.name, cp.inn, cp.kpp, cp.manager, cp.email, cp.group))
            self.counts["counterparties"] = len(self.cps)
            # Bad row: a valid-looking INN with its check digit off by one. No contract refers to it,
            # so the reject does not cascade.
            good = self._new_inn("77", False)
            bad_inn = good[:-1] + str((int(good[-1]) + 1) % 10)
            core, domain = self._company_words()
            writer.writerow(
                (
                    f"K{len(self.cps) + 1:04d}",
                    f"ООО «{core}»",
                    bad_inn,
                    f"{bad_inn[:4]}01001",
                    self.cps[0].manager,
                    f"info@{domain}.ru",
                    "Опт",
                )
            )
            self.counts["bad_rows"] += 1

    def _write_contracts(self) -> None:
        path = self.folder / "contracts.xlsx"
        self.files.append(path)
        workbook = xlsxwriter.Workbook(str(path))
        # xlsxwriter stamps "now" into docProps/core.xml; a fixed stamp keeps the bytes reproducible.
        stamp = datetime.combine(date.fromordinal(self.end), datetime.min.time())
        workbook.set_properties({"title": "Договоры с покупателями", "author": COMPANY_NAME, "created": stamp})
        sheet = workbook.add_worksheet("contracts")
        bold = workbook.add_format({"bold": True})
        date_fmt = workbook.add_format({"num_format": "dd.mm.yyyy"})
        money_fmt = workbook.add_format({"num_format": "#,##0.00"})
        for col, title in enumerate(_HEADERS["contracts"]):
            sheet.write_string(0, col, title, bold)
        for row, ctr in enumerate(self.contracts, start=1):
            sheet.write_string(row, 0, ctr.contract_id)
            sheet.write_string(row, 1, ctr.cp.counterparty_id)
            sheet.write_string(row, 2, ctr.number)
            sheet.write_datetime(row, 3, date.fromordinal(ctr.date_ord), date_fmt)
            sheet.write_string(row, 4, ctr.currency)
            sheet.write_number(row, 5, ctr.terms)
            sheet.write_string(row, 6, "working" if ctr.working else "calendar")
            if ctr.limit_kop is not None:
                # Limits are whole thousands of rubles, so the float in the cell is exact.
                sheet.write_number(row, 7, ctr.limit_kop // 100, money_fmt)
        sheet.set_column(0, 1, 14)
        sheet.set_column(2, 2, 12)
        sheet.set_column(3, 7, 13)
        sheet.freeze_panes(1, 0)
        workbook.close()
        self.counts["contracts"] = len(self.contracts)

    def _write_calendar(self) -> None:
        handle, writer = self._open_csv("calendar.csv", "utf-8", ",")
        with handle:
            writer.writerow(_HEADERS["calendar"])
            rows = [(o, "holiday") for o in self.holidays] + [(o, "workday") for o in self.workdays]
            for o, kind in sorted(rows):
                writer.writerow((self.dates.iso(o), kind))
        self.counts["calendar"] = len(rows)

    def _write_opening_balances(self) -> None:
        """Debt at the cut-over, document by document, so the aging of old debt is right from day one."""
        rng = self.rng
        handle, writer = self._open_csv("opening_balances.csv", "utf-8", ",")
        rows = 0
        with handle:
            writer.writerow(_HEADERS["opening_balances"])
            old = [cp for cp in self.cps if cp.ship_from == self.start]
            advance_given = False
            for k, cp in enumerate(old):
                ctr = cp.contracts[0]  # the only contract signed before the cut-over
                wants_advance = (cp.behaviour == "prepay" and rng.random() < 0.7) or rng.random() < 0.03
                if not advance_given and k == len(old) - 1:
                    wants_advance = True  # every demo shows at least one advance
                if wants_advance:
                    advance_given = True
                    amount = -int(cp.mean_kop * rng.uniform(0.3, 1.5) / ctr.divisor)
                    rows += 1
                    writer.writerow(
                        (
                            f"OB{rows:05d}",
                            ctr.contract_id,
                            self.dates.iso(self.ob_ord),
                            _money(amount),
                            "",
                            f"Аванс-{rng.randint(100, 9999):05d}",
                        )
                    )
                    ctr.offset += amount  # the customer nets it off its next payments
                    continue
                if cp.behaviour == "prepay" or (rng.random() > 0.75 and cp.behaviour not in ("chronic", "stopper")):
                    continue
                spread = 150 if cp.behaviour == "chronic" else 60
                # Each row is an unpaid document from before the cut-over, with its own date: overdue
                # old debt then ages correctly, and its due date never precedes its document date.
                docs = []
                for _ in range(rng.randint(1, 3)):
                    shipped = max(self.ob_ord - rng.randint(0, spread), ctr.date_ord)
                    amount = max(100, int(cp.mean_kop * rng.lognormvariate(-0.18, 0.6) / ctr.divisor))
                    docs.append((shipped, amount, f"УПД-{rng.randint(1, 60000):06d}"))
                for shipped, amount, number in sorted(docs):
                    due = self.cal.due(shipped, ctr.terms, ctr.working)
                    rows += 1
                    writer.writerow(
                        (
                            f"OB{rows:05d}",
                            ctr.contract_id,
                            self.dates.iso(shipped),
                            _money(amount),
                            self.dates.iso(due),
                            number,
                        )
                    )
                    if rng.random() < 0.04:
                        continue  # a disputed old debt nobody pays: stays deep in overdue
                    pay = max(self._pay_date(cp, shipped, due), self.start + rng.randint(0, 5))
                    ref = (None, number, shipped, amount, amount)
                    self._schedule(cp, ctr, [(pay, amount)], "ob", [ref])
        self.counts["opening_balances"] = rows

    # ---------------------------------------------------------------- payments

    def _pay_date(self, cp: _Counterparty, shipped: int, due: int) -> int:
        """When this customer pays a debt due on `due`, by its habit (unadjusted for bank days)."""
        rng = self
        r = self.rng.random()
        b = cp.behaviour
        if b == "late":
            pay = due + rng.randint(1, 10) if r < 0.85 else due - rng.randint(0, 3)
        elif b == "chronic":
            pay = due + rng.randint(30, 90) if r < 0.85 else due + rng.randint(5, 29)
        elif b == "partial":
            pay = due + rng.randint(-2, 7)
        else:  # ontime, stopper (until it stops), prepay's rare post-payments
            pay = due - rng.randint(0, 4) if r < 0.88 else due + rng.randint(1, 6)
        if self.rng.random() < 0.03:
            pay += rng.randint(5, 25)  # anyone slips now and then
        return max(pay, shipped)

    def _schedule(
        self,
        cp: _Counterparty,
        ctr: _Contract,
        parts: list[tuple[int, int]],
        kind: str,
        refs: list[tuple[str | None, str, int, int, int]],
    ) -> None:
        """Queue payments [(date, amount)], dropping what falls after `end` or after the customer stopped."""
        rng = self.rng
        cal = self.cal
        nocontract = ctr.currency == "RUB" and cp.no_contract_share > 0 and rng.random() < cp.no_contract_share
        for planned, amount in parts:
            if planned > self.end or amount <= 0:
                continue
            pay = cal.next_working(planned)
            if kind == "pay" and cp.batch_day >= 0:
                # Registry day: the next working day on the customer's payment weekday.
                for _ in range(14):
                    if _weekday(pay) == cp.batch_day and cal.is_working(pay):
                        break
                    pay += 1
            if pay > self.end or pay >= cp.stop_pay:
                continue
            if kind == "pay" and cp.batch_day >= 0:
                key = (pay, ctr.idx, nocontract)
                batch = self.batches.get(key)
                if batch is not None:
                    batch[4] += amount
                    batch[6].append((*refs[0][:3], amount, refs[0][4]))
                    continue
                entry = [pay, self.seq, ctr, cp, amount, kind, [(*refs[0][:3], amount, refs[0][4])], nocontract]
                self.batches[key] = entry
            else:
                entry = [pay, self.seq, ctr, cp, amount, kind, refs, nocontract]
            self.seq += 1
            heapq.heappush(self.pay_heap, (pay << 40 | entry[1], entry))

    def _purpose(self, entry: list[Any]) -> str:
        _pay, seq, ctr, _cp, amount, kind, refs, nocontract = entry
        contract = "" if nocontract else f" по договору № {ctr.number} от {ctr.date_ru}"
        ru = self.dates.ru
        vat = f", в т.ч. НДС 20% - {_money(_vat(amount))}"
        if kind == "pre":
            number = refs[0][1].split("-")[-1].lstrip("0")
            return f"Предоплата по счету № {number} от {ru(max(refs[0][2] - 3, ctr.date_ord))}{contract}{vat}"
        if kind == "ob":
            return f"Оплата задолженности{contract} за товар по {refs[0][1]}{vat}"
        if len(refs) > 4:
            return f"Оплата{contract} по реестру № {seq % 9000 + 1000} за товар ({len(refs)} УПД){vat}"
        docs = ", ".join(f"{ref[1]} от {ru(ref[2])}" for ref in refs)
        lead = "Частичная оплата" if kind == "part" else "Оплата"
        return f"{lead}{contract} за товар по {docs}{vat}"

    def _flush_payments(self, before: int, payments_writer: Any, alloc_writer: Any) -> None:
        heap = self.pay_heap
        rng = self.rng
        limit = before << 40
        while heap and heap[0][0] < limit:
            entry = heapq.heappop(heap)[1]
            pay, _seq, ctr, cp, amount, kind, refs, nocontract = entry
            if kind == "pay" and cp.batch_day >= 0:
                del self.batches[(pay, ctr.idx, nocontract)]
            cp.pp_no += self.randint(1, 12)  # the customer pays other suppliers in between
            number = str(cp.pp_no)
            purpose = self._purpose(entry)
            if ctr.currency != "RUB" or pay < self.stmt_start:
                self.counts["payments"] += 1
                pid = f"P{self.counts['payments']:07d}"
                payments_writer.writerow(
                    (
                        pid,
                        self.dates.iso(pay),
                        _money(amount),
                        "" if nocontract else ctr.contract_id,
                        cp.counterparty_id,
                        number,
                        purpose,
                    )
                )
                # Explicit allocations, as some customers send with a registry: a few payments only.
                if kind == "pay" and (self.counts["allocations"] < 3 or rng.random() < 0.001):
                    for ship_id, _num, _d, part, ship_amount in refs:
                        self.counts["allocations"] += 1
                        alloc_writer.writerow((pid, ship_id, _money(min(part, ship_amount))))
            else:
                self.statement_docs.append((pay, entry[1], cp, amount, number, purpose))

    # ---------------------------------------------------------------- returns and adjustments

    def _doc_number(self, prefix: str, ordinal: int) -> str:
        """Per-year numbering, as 1C restarts document numbers every January."""
        key = (prefix, date.fromordinal(ordinal).year)
        n = self.doc_numbers.get(key, 0) + 1
        self.doc_numbers[key] = n
        return f"{prefix}-{n:06d}"

    def _flush_docs(self, before: int, returns_writer: Any, adj_writer: Any) -> None:
        heap = self.doc_heap
        ru = self.dates.ru
        limit = before << 40
        while heap and heap[0][0] < limit:
            d, kind, ctr_id, ship_id, amount = heapq.heappop(heap)[1]
            if kind == "R":
                self.counts["returns"] += 1
                returns_writer.writerow(
                    (
                        f"R{self.counts['returns']:07d}",
                        ctr_id,
                        ru(d),
                        _money_ru(amount),
                        ship_id,
                        self._doc_number("ВТ", d),
                        "нет",
                    )
                )
            else:
                self.counts["adjustments"] += 1
                adj_writer.writerow(
                    (
                        f"A{self.counts['adjustments']:07d}",
                        ctr_id,
                        ru(d),
                        _money_ru(amount, "\u00a0"),
                        ship_id,
                        self._doc_number("КР", d),
                        "0",
                    )
                )

    # ---------------------------------------------------------------- the day loop

    def _day_counts(self) -> list[int]:
        """Shipments per day: seasonality x weekday x growth, drawn as a multinomial of exactly `scale`."""
        weights = []
        span = self.end - self.start + 1
        for i in range(span):
            d = date.fromordinal(self.start + i)
            w = _MONTH_FACTOR[d.month - 1] * _WEEKDAY_FACTOR[d.weekday()] * (1 + 0.12 * i / span)
            if d.month == 12 and d.day >= 15:
                w *= 1.3  # the pre-New Year rush
            if (d.month, d.day) in _FIXED_HOLIDAYS:
                w *= 0.04
            weights.append(w)
        cum = list(_accumulate(weights))
        total = cum[-1]
        counts = [0] * span
        rnd = self.rng.random
        for _ in range(self.scale):
            counts[min(bisect.bisect(cum, rnd() * total), span - 1)] += 1
        return counts

    def _write_movements(self) -> None:
        rng = self.rng
        rnd = rng.random
        randint = self.randint
        dates = self.dates
        cal = self.cal
        end = self.end
        cps = self.cps
        cum = list(_accumulate(cp.weight for cp in cps))
        total = cum[-1]

        returns_handle, returns_writer = self._open_csv("returns.csv", "utf-8", ";")
        adj_handle, adj_writer = self._open_csv("adjustments.csv", "utf-8", ";")
        pay_handle, pay_writer = self._open_csv("payments.csv", "utf-8", ",")
        alloc_handle, alloc_writer = self._open_csv("allocations.csv", "utf-8", ",")
        returns_writer.writerow(_HEADERS["returns"])
        adj_writer.writerow(_HEADERS["adjustments"])
        pay_writer.writerow(_HEADERS["payments"])
        alloc_writer.writerow(_HEADERS["allocations"])

        self._write_opening_balances()

        ship_handle = None
        ship_writer: Any = None
        ship_year = 0
        written = 0  # valid shipments
        sid = 0  # shipment ids, valid or not
        upd: dict[int, int] = {}
        first_ship: tuple[str, str] | None = None
        bad_feb_done = False
        bad_mid_done = False
        half = self.scale // 2
        deleted_every = 20_000

        def bad_mid_rows(d: int) -> None:
            nonlocal sid
            ctr = cps[0].contracts[0]
            upd[ship_year] = upd.get(ship_year, 0) + 1
            sid += 1
            ship_writer.writerow(
                (
                    f"S{sid:07d}",
                    ctr.contract_id,
                    dates.iso(d),
                    "12,345",
                    f"УПД-{upd[ship_year]:06d}",
                    "",
                    "2,06",
                    cps[0].warehouse,
                    "0",
                )
            )
            upd[ship_year] += 1
            sid += 1
            ship_writer.writerow(
                (
                    f"S{sid:07d}",
                    "C99999",
                    dates.iso(d),
                    "48210.00",
                    f"УПД-{upd[ship_year]:06d}",
                    "",
                    _money(_vat(4_821_000)),
                    cps[0].warehouse,
                    "0",
                )
            )
            self.counts["bad_rows"] += 2

        for day_index, n_today in enumerate(self._day_counts()):
            d = self.start + day_index
            self._flush_docs(d, returns_writer, adj_writer)
            # Prepayments are dated up to 5 days before their shipment: keep a week open.
            self._flush_payments(d - 7, pay_writer, alloc_writer)
            the_date = date.fromordinal(d)
            if the_date.year != ship_year:
                if ship_handle is not None:
                    ship_handle.close()
                ship_year = the_date.year
                ship_handle, ship_writer = self._open_csv(f"shipments_{ship_year}.csv", "utf-8-sig", ",")
                ship_writer.writerow(_HEADERS["shipments"])
            if not bad_feb_done and the_date.month == 3:
                # Bad row: 31 February, in that year's file, in the Russian date style.
                upd[ship_year] = upd.get(ship_year, 0) + 1
                sid += 1
                ctr = cps[-1].contracts[0]
                ship_writer.writerow(
                    (
                        f"S{sid:07d}",
                        ctr.contract_id,
                        f"31.02.{ship_year}",
                        "15600.00",
                        f"УПД-{upd[ship_year]:06d}",
                        "",
                        "2600.00",
                        cps[-1].warehouse,
                        "0",
                    )
                )
                self.counts["bad_rows"] += 1
                bad_feb_done = True
            if not bad_mid_done and written >= half:
                bad_mid_rows(d)
                bad_mid_done = True
            iso_d = dates.iso(d)
            for _ in range(n_today):
                # Customer: by size, among those buying on this day.
                for _try in range(30):
                    cp = cps[bisect.bisect(cum, rnd() * total)]
                    if cp.ship_from <= d <= cp.ship_to:
                        break
                else:
                    cp = next((c for c in cps if c.ship_from <= d <= c.ship_to), cps[0])
                # Contract: among those signed by now; the renewed one takes most of the volume.
                active_w = 0.0
                for c in cp.contracts:
                    if c.date_ord <= d:
                        active_w += c.weight
                r = rnd() * active_w
                ctr = cp.contracts[0]
                for c in cp.contracts:
                    if c.date_ord <= d:
                        ctr = c
                        r -= c.weight
                        if r < 0:
                            break
                amount = int(cp.mean_kop * rng.lognormvariate(-0.18, 0.6) / ctr.divisor) + randint(0, 99)
                amount = max(amount, 50_000 // ctr.divisor)
                upd[ship_year] = upd.get(ship_year, 0) + 1
                number = f"УПД-{upd[ship_year]:06d}"
                sid += 1
                ship_id = f"S{sid:07d}"
                if first_ship is None:
                    first_ship = (ship_id, ctr.contract_id)
                warehouse = cp.warehouse if rnd() < 0.85 else _WAREHOUSES[randint(0, len(_WAREHOUSES) - 1)]
                if rnd() < 0.02:
                    # A one-off deferral agreed for this delivery: the document's own due date.
                    due = d + (45, 60, 90)[randint(0, 2)]
                    due_text = dates.iso(due)
                else:
                    due = cal.due(d, ctr.terms, ctr.working)
                    due_text = ""
                ship_writer.writerow(
                    (
                        ship_id,
                        ctr.contract_id,
                        iso_d,
                        _money(amount),
                        number,
                        due_text,
                        _money(_vat(amount)),
                        warehouse,
                        "0",
                    )
                )
                written += 1
                if written % deleted_every == deleted_every // 2 or written == half:
                    # A cancelled document that 1C still exports, marked deleted: it must not load.
                    sid += 1
                    upd[ship_year] += 1
                    ship_writer.writerow(
                        (
                            f"S{sid:07d}",
                            ctr.contract_id,
                            iso_d,
                            _money(amount),
                            f"УПД-{upd[ship_year]:06d}",
                            "",
                            _money(_vat(amount)),
                            warehouse,
                            "1",
                        )
                    )
                    self.counts["shipments_deleted"] += 1

                # When will it be paid?
                parts_dates: list[int]
                kind = "pay"
                if cp.behaviour == "prepay" and rnd() < 0.9:
                    kind = "pre"
                    parts_dates = [max(d - randint(1, 5), ctr.date_ord, self.start)]
                elif cp.behaviour == "partial" and amount >= 300_000 and rnd() < 0.6:
                    kind = "part"
                    first = self._pay_date(cp, d, due)
                    parts_dates = [first]
                    for _k in range(randint(1, 2)):
                        parts_dates.append(parts_dates[-1] + randint(7, 20))
                else:
                    parts_dates = [self._pay_date(cp, d, due)]
                first_pay = parts_dates[0]

                net = amount + ctr.offset
                ctr.offset = 0
                if rnd() < 0.02:  # a return of part of the goods
                    ret_d = d + randint(1, 12)
                    ret = max(1, int(amount * rng.uniform(0.03, 0.4)))
                    if ret_d <= end:
                        self.seq += 1
                        heapq.heappush(
                            self.doc_heap, (ret_d << 40 | self.seq, (ret_d, "R", ctr.contract_id, ship_id, ret))
                        )
                        if ret_d < first_pay:
                            net -= ret
                        else:
                            ctr.offset -= ret  # already paid: netted off the next payment
                if rnd() < 0.03:  # the actual weight differs from the invoiced one
                    adj_d = d + randint(0, 5)
                    adj = max(1, int(amount * rng.uniform(0.001, 0.02))) * (1 if rnd() < 0.4 else -1)
                    if adj_d <= end:
                        self.seq += 1
                        heapq.heappush(
                            self.doc_heap, (adj_d << 40 | self.seq, (adj_d, "A", ctr.contract_id, ship_id, adj))
                        )
                        if adj_d < first_pay and kind != "pre":
                            net += adj
                        else:
                            ctr.offset += adj
                if net <= 0:
                    ctr.offset += net  # fully covered by an advance: nothing to pay
                    continue
                if kind == "pre":
                    # Prepaid as invoiced; anything the contract owed or was owed waits for later.
                    ctr.offset += net - amount
                    net = amount
                refs = [(ship_id, number, d, net, amount)]
                if kind == "part":
                    parts: list[tuple[int, int]] = []
                    left = net
                    for k, pd in enumerate(parts_dates):
                        if k == len(parts_dates) - 1:
                            share = left
                        else:
                            # Partial payments come in round thousands of rubles.
                            share = int(left * rng.uniform(0.3, 0.6)) // 100_000 * 100_000
                            if share <= 0:
                                share = left
                        parts.append((pd, share))
                        left -= share
                        if left <= 0:
                            break
                    self._schedule(cp, ctr, parts, kind, refs)
                else:
                    self._schedule(cp, ctr, [(first_pay, net)], kind, refs)

        if not bad_mid_done:
            bad_mid_rows(self.end)
        assert ship_handle is not None
        assert first_ship is not None
        ship_handle.close()
        self.counts["shipments"] = written

        self._flush_docs(self.end + 1, returns_writer, adj_writer)
        self._flush_payments(self.end + 1, pay_writer, alloc_writer)
        last_csv_day = self.stmt_start - 1
        while not cal.is_working(last_csv_day):
            last_csv_day -= 1

        # Bad rows at the end of their files (ids stay sorted).
        returns_writer.writerow(
            (
                f"R{self.counts['returns'] + 1:07d}",
                first_ship[1],
                dates.ru(self.end),
                _money_ru(-123_456),
                first_ship[0],
                "ВТ-999999",
                "нет",
            )
        )
        adj_writer.writerow(
            (
                f"A{self.counts['adjustments'] + 1:07d}",
                first_ship[1],
                dates.ru(self.end),
                _money_ru(0),
                first_ship[0],
                "КР-999999",
                "0",
            )
        )
        pay_writer.writerow(
            (
                f"P{self.counts['payments'] + 1:07d}",
                dates.iso(last_csv_day),
                "1500.00",
                "",
                "",
                "1",
                "Оплата по счету № 77 без указания плательщика",
            )
        )
        alloc_writer.writerow(("P9999999", first_ship[0], "100.00"))
        self.counts["bad_rows"] += 4
        for handle in (returns_handle, adj_handle, pay_handle, alloc_handle):
            handle.close()

    # ---------------------------------------------------------------- the bank statement

    def _write_statement(self) -> None:
        rng = self.rng
        ru = self.dates.ru
        company_bank = _BANKS[0]
        docs: list[tuple[int, int, list[str]]] = []  # (date, order, lines)

        def payment_order(
            number: str,
            doc_date: int,
            amount: int,
            payer: tuple[str, str, str, str, tuple[str, str, str, str]],
            payee: tuple[str, str, str, str, tuple[str, str, str, str]],
            purpose: str,
            incoming: bool,
            received: int,
        ) -> list[str]:
            p_acc, p_inn, p_kpp, p_name, p_bank = payer
            r_acc, r_inn, r_kpp, r_name, r_bank = payee
            return [
                "СекцияДокумент=Платежное поручение",
                f"Номер={number}",
                f"Дата={ru(doc_date)}",
                f"Сумма={_money(amount)}",
                f"ПлательщикСчет={p_acc}",
                f"ДатаСписано={ru(received)}" if not incoming else f"ДатаПоступило={ru(received)}",
                f"Плательщик=ИНН {p_inn} {p_name}",
                f"ПлательщикИНН={p_inn}",
                f"ПлательщикКПП={p_kpp}",
                f"Плательщик1={p_name}",
                f"ПлательщикРасчСчет={p_acc}",
                f"ПлательщикБанк1={p_bank[0]}",
                f"ПлательщикБанк2={p_bank[1]}",
                f"ПлательщикБИК={p_bank[2]}",
                f"ПлательщикКорсчет={p_bank[3]}",
                f"ПолучательСчет={r_acc}",
                f"Получатель=ИНН {r_inn} {r_name}",
                f"ПолучательИНН={r_inn}",
                f"ПолучательКПП={r_kpp}",
                f"Получатель1={r_name}",
                f"ПолучательРасчСчет={r_acc}",
                f"ПолучательБанк1={r_bank[0]}",
                f"ПолучательБанк2={r_bank[1]}",
                f"ПолучательБИК={r_bank[2]}",
                f"ПолучательКорсчет={r_bank[3]}",
                "ВидОплаты=01",
                "Очередность=5",
                f"НазначениеПлатежа={purpose}",
                "КонецДокумента",
            ]

        company = (COMPANY_ACCOUNT, COMPANY_INN, COMPANY_KPP, COMPANY_NAME, company_bank)
        incoming_total = 0
        for pay, seq, cp, amount, number, purpose in self.statement_docs:
            # The payer's order is often dated a day or two before the money arrives.
            doc_date = pay
            if rng.random() < 0.15:
                doc_date = pay - rng.randint(1, 2)
            payer = (cp.account, cp.inn, cp.kpp, cp.name, cp.bank)
            docs.append((pay, seq, payment_order(number, doc_date, amount, payer, company, purpose, True, pay)))
            incoming_total += amount
        self.counts["bank_payments"] = len(self.statement_docs)

        # Unidentified payers: INNs that belong to no customer (a new client, a mistaken transfer).
        for k in range(rng.randint(3, 5)):
            person = k == 1
            region = ("77", "50", "78", "16", "66")[k]
            inn = self._new_inn(region, person)
            if person:
                surname, first, patronymic = self._person(False)
                name = f"ИП {surname} {first} {patronymic}"
                kpp = ""
            else:
                name = f"ООО «{self._company_words()[0]}»"
                kpp = f"{inn[:4]}01001"
            bank = _BANKS[rng.randrange(len(_BANKS))]
            account = _account_with_key(
                bank[2], ("40802810" if person else "40702810") + "0" + f"{rng.randint(0, 10**11 - 1):011d}"
            )
            day = self.cal.workday_in(self.stmt_start, self.end, rng)
            amount = rng.randint(5_000, 300_000) * 100 + rng.randint(0, 99)
            purpose = (
                f"Оплата по счету № {rng.randint(100, 999)} от {ru(day - rng.randint(2, 10))} за товар, "
                f"в т.ч. НДС 20% - {_money(_vat(amount))}"
            )
            self.seq += 1
            docs.append(
                (
                    day,
                    self.seq,
                    payment_order(
                        str(rng.randint(1, 999)),
                        day,
                        amount,
                        (account, inn, kpp, name, bank),
                        company,
                        purpose,
                        True,
                        day,
                    ),
                )
            )
            incoming_total += amount
            self.counts["bank_payments"] += 1
            self.counts["bank_unidentified"] += 1

        # Outgoing orders of the company itself: skipped by the loader, but part of a real statement.
        opening = rng.randint(2_000_000, 20_000_000) * 100
        budget = int(incoming_total * rng.uniform(0.5, 0.85)) if incoming_total else opening // 2
        outgoing = (
            ("ООО «ТрансЛогистик»", "Оплата по счету № {n} от {d} за транспортные услуги"),
            ("АО «Мясокомбинат Поволжский»", "Оплата по договору поставки № П-{n} от {d} за товар"),
            ("ООО «Молочный край»", "Оплата по счету № {n} от {d} за молочную продукцию"),
            ("ИП Сидоров Петр Андреевич", "Арендная плата за склад по договору № {n} от {d}"),
            ("ООО «Упаковка-Сервис»", "Оплата по счету № {n} от {d} за упаковочные материалы"),
        )
        n_out = rng.randint(4, 8)
        shares = [rng.uniform(0.5, 1.5) for _ in range(n_out)]
        outgoing_total = 0
        out_no = rng.randint(1000, 5000)
        # The company numbers its own orders in the order it sends them.
        out_days = sorted(self.cal.workday_in(self.stmt_start, self.end, rng) for _ in range(n_out))
        for k in range(n_out):
            name, template = outgoing[k % len(outgoing)]
            person = name.startswith("ИП")
            inn = self._new_inn("63", person)
            bank = _BANKS[(k + 1) % len(_BANKS)]
            account = _account_with_key(
                bank[2], ("40802810" if person else "40702810") + "0" + f"{rng.randint(0, 10**11 - 1):011d}"
            )
            amount = max(100_000, int(budget * shares[k] / sum(shares)))
            day = out_days[k]
            out_no += rng.randint(1, 20)
            purpose = template.format(n=rng.randint(10, 999), d=ru(day - rng.randint(3, 20)))
            purpose += f", в т.ч. НДС 20% - {_money(_vat(amount))}"
            self.seq += 1
            docs.append(
                (
                    day,
                    self.seq,
                    payment_order(
                        str(out_no),
                        day,
                        amount,
                        company,
                        (account, inn, "" if person else f"{inn[:4]}01001", name, bank),
                        purpose,
                        False,
                        day,
                    ),
                )
            )
            outgoing_total += amount
        self.counts["bank_outgoing"] = n_out

        docs.sort(key=lambda doc: (doc[0], doc[1]))
        first, last = ru(self.stmt_start), ru(self.end)
        header = [
            "1CClientBankExchange",
            "ВерсияФормата=1.03",
            "Кодировка=Windows",
            "Отправитель=СберБизнес",
            "Получатель=Бухгалтерия предприятия, редакция 3.0",
            f"ДатаСоздания={last}",
            "ВремяСоздания=19:05:12",
            f"ДатаНачала={first}",
            f"ДатаКонца={last}",
            f"РасчСчет={COMPANY_ACCOUNT}",
            "Документ=Платежное поручение",
            "СекцияРасчСчет",
            f"ДатаНачала={first}",
            f"ДатаКонца={last}",
            f"РасчСчет={COMPANY_ACCOUNT}",
            f"НачальныйОстаток={_money(opening)}",
            f"ВсегоПоступило={_money(incoming_total)}",
            f"ВсегоСписано={_money(outgoing_total)}",
            f"КонечныйОстаток={_money(opening + incoming_total - outgoing_total)}",
            "КонецРасчСчет",
        ]
        end_date = date.fromordinal(self.end)
        path = self.folder / f"bank_statement_{end_date:%Y-%m}.txt"
        self.files.append(path)
        # Text mode with newline="\r\n" turns every "\n" into CRLF, as Windows clients write it;
        # cp1251 with errors="strict" so a character the format cannot carry fails loudly here.
        with path.open("w", encoding="cp1251", errors="strict", newline="\r\n") as handle:
            handle.write("\n".join(header) + "\n")
            for _d, _o, lines in docs:
                handle.write("\n".join(lines) + "\n")
            handle.write("КонецФайла\n")

    # ---------------------------------------------------------------- entry point

    def run(self) -> DemoSummary:
        self._make_counterparties()
        self._write_counterparties()
        self._write_contracts()
        self._write_movements()
        self._write_statement()
        self._write_calendar()
        files = tuple(sorted(self.files))
        return DemoSummary(
            folder=self.folder,
            files=files,
            counts=dict(self.counts),
            company_name=COMPANY_NAME,
            company_inn=COMPANY_INN,
            company_account=COMPANY_ACCOUNT,
        )


def _accumulate(values: Any) -> Any:
    total = 0.0
    for v in values:
        total += v
        yield total


# Files an earlier run may have left under another year or month; replaced, never merged with.
_STALE = re.compile(r"^(shipments_\d{4}\.csv|bank_statement_\d{4}-\d{2}\.txt)$")


def write_demo_source(folder: Path, *, scale: int = 50_000, seed: int = 1, end: date | None = None) -> DemoSummary:
    """Write a demo source folder of `scale` shipments over the two years up to `end` (default today).

    The folder is created if needed. Files of an earlier demo run are overwritten; year- or
    month-named ones an earlier run left (``shipments_<year>.csv``, ``bank_statement_<YYYY-MM>.txt``)
    are removed so a later load does not mix two demos. Other files are left alone.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1 shipment")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.iterdir()):
        if old.is_file() and _STALE.match(old.name):
            old.unlink()
    # The generator keeps ~10^5 pending documents alive at large scales; the cyclic GC would rescan
    # them again and again for nothing (nothing here makes reference cycles), costing ~10% of the run.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _Generator(folder, scale, seed, end or date.today()).run()
    finally:
        if was_enabled:
            gc.enable()


def main(argv: list[str] | None = None) -> int:
    """``python -m etl.demo FOLDER [--scale N] [--seed S] [--end YYYY-MM-DD]``: write and time a demo."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--scale", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    summary = write_demo_source(args.folder, scale=args.scale, seed=args.seed, end=args.end)
    elapsed = time.perf_counter() - started
    size = sum(p.stat().st_size for p in summary.files)
    for key, value in summary.counts.items():
        print(f"{key:>20} {value:>10,}")
    print(f"{len(summary.files)} files, {size / 2**20:.1f} MiB, {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
