"""Names, INNs, e-mail addresses and bank accounts of the made-up customers and payers.

Every INN passes the FNS checksum and is unique across the demo, every company name is unique, and
every account carries a valid control key. The vocabularies are plain tuples because their order is
part of the determinism: the same seed picks the same words.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from etl.demo.company import BANKS, COMPANY_INN, Bank, account_with_key, company_inn_from, person_inn_from

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
# fmt: on
_MAILBOXES = ("buh", "info", "zakaz", "finance", "office", "opt")
_PERSON_MAIL = ("mail.ru", "yandex.ru")


def _latin(text: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


def kpp_of(inn: str) -> str:
    """The KPP of a company's head office: it starts with the same tax office as its INN."""
    return f"{inn[:4]}01001"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a customer is on paper: what its card in 1C and its payment orders show."""

    name: str
    inn: str
    kpp: str
    email: str
    bank: Bank
    account: str


class Names:
    """Draws names, INNs and accounts from the run's random source, never the same twice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_inns: set[str] = {COMPANY_INN}  # membership only, never iterated
        self.used_names: set[str] = set()

    def inn(self, region: str, person: bool) -> str:
        """A new valid INN of a tax office in `region`: 12 digits for an ИП, 10 for a company."""
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

    def account(self, bank: Bank, person: bool) -> str:
        """A settlement account at `bank`: 40802 for an ИП, 40702 for a company, rubles (810)."""
        prefix = "40802810" if person else "40702810"
        return account_with_key(bank[2], prefix + "0" + f"{self.rng.randint(0, 10**11 - 1):011d}")

    def person(self, female: bool) -> tuple[str, str, str]:
        """(surname, first name, patronymic)."""
        rng = self.rng
        surname = rng.choice(_SURNAMES) + ("а" if female else "")
        first = rng.choice(_FEMALE_NAMES if female else _MALE_NAMES)
        patronymic = rng.choice(_PATRONYMICS)[1 if female else 0]
        return surname, first, patronymic

    def company_words(self) -> tuple[str, str]:
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
                latin = _latin(core.lower().replace("тд ", "td"))
                return core, re.sub(r"[^a-z0-9-]", "", latin.replace(" ", "-"))

    def customer(self, group: str, region: str) -> Identity:
        """A customer of `group` registered in `region`: an ИП now and then among shops and cafés."""
        rng = self.rng
        person = group in ("Розница", "HoReCa") and rng.random() < 0.35
        if person:
            female = rng.random() < 0.45
            surname, first, patronymic = self.person(female)
            name = f"ИП {surname} {first[0]}.{patronymic[0]}."
            email = f"{_latin(surname)}.{_latin(first[0])}@{rng.choice(_PERSON_MAIL)}"
        else:
            core, domain = self.company_words()
            form = "АО" if rng.random() < 0.1 else "ООО"
            name = f"{form} «{core}»"
            email = f"{rng.choice(_MAILBOXES)}@{domain}.ru"
            if rng.random() < 0.3:
                email += f", {rng.choice(_MAILBOXES)}@{domain}.ru"
        if rng.random() < 0.06:
            email = ""  # not every customer card has one
        inn = self.inn(region, person)
        bank = rng.choice(BANKS)
        return Identity(name, inn, "" if person else kpp_of(inn), email, bank, self.account(bank, person))
