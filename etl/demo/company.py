"""The company whose receivables the demo shows, and the banks of everyone in it.

Fixed, not seed-dependent, so that a receivables.toml written once keeps matching every regenerated
demo folder. The banks are real large Russian banks, so statements look like the real thing; every
account is generated, fictional, and carries a valid control key.
"""

from __future__ import annotations

from stdnum.ru.inn import calc_company_check_digit, calc_personal_check_digits

COMPANY_NAME = "ООО «Волжский Опт»"
COMPANY_KPP = "771801001"

Bank = tuple[str, str, str, str]  # name, city, BIK, correspondent account

BANKS: tuple[Bank, ...] = (
    ("ПАО Сбербанк", "г. Москва", "044525225", "30101810400000000225"),
    ("Банк ВТБ (ПАО)", "г. Москва", "044525187", "30101810700000000187"),
    ("АО «АЛЬФА-БАНК»", "г. Москва", "044525593", "30101810200000000593"),
    ("ПАО «Промсвязьбанк»", "г. Москва", "044525555", "30101810400000000555"),
    ("АО «Райффайзенбанк»", "г. Москва", "044525700", "30101810200000000700"),
)


def company_inn_from(body9: str) -> str:
    """A 10-digit legal-entity INN: 9 digits + the checksum digit (the FNS algorithm parse_inn checks)."""
    return body9 + calc_company_check_digit(body9)


def person_inn_from(body10: str) -> str:
    """A 12-digit individual (ИП) INN: 10 digits + the two checksum digits."""
    return body10 + calc_personal_check_digits(body10)


def account_with_key(bik: str, account: str) -> str:
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
COMPANY_BANK = BANKS[0]
COMPANY_ACCOUNT = account_with_key(COMPANY_BANK[2], "40702810" + "0" + "38000012345")
