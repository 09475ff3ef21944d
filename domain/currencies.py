"""Currency codes as sources write them: ISO letters, the numeric ОКВ code (643), or 1C's words (руб.).

One home for reading a currency: the CSV and 1C-list validation and the EDO reader (ДенИзм/@КодОКВ) both
use `currency_code`. Formatting amounts in a currency lives in domain/money.py.
"""

from __future__ import annotations

import re

from domain.errors import InvalidValue

# ОКВ (the Russian currency classifier, numeric ISO 4217) to letters: the common ones; others as written.
OKV = {
    "643": "RUB",
    "840": "USD",
    "978": "EUR",
    "156": "CNY",
    "398": "KZT",
    "933": "BYN",
    "949": "TRY",
    "826": "GBP",
    "756": "CHF",
    "392": "JPY",
}

# How 1C and people write them (upper-cased before the lookup).
WORDS = {
    "RUR": "RUB",
    "РУБ": "RUB",
    "РУБ.": "RUB",
    "РУБЛЬ": "RUB",
    "РУБЛИ": "RUB",
    "₽": "RUB",
    "ДОЛЛ": "USD",
    "ДОЛЛ.": "USD",
    "ДОЛЛАР": "USD",
    "ДОЛЛАР США": "USD",
    "$": "USD",
    "ЕВРО": "EUR",
    "€": "EUR",
    "ЮАНЬ": "CNY",
    "ЮАНИ": "CNY",
    "¥": "CNY",
}

_ISO = re.compile(r"^[A-Z]{3}$")


def currency_code(text: str) -> str | None:
    """`руб.`, `RUR`, `643` -> `RUB`; `долл.`/`840` -> `USD`; `евро`/`978` -> `EUR`; `юань`/`156` -> `CNY`;
    ISO letters as they are; empty -> None. InvalidValue for anything else."""
    raw = " ".join(text.split()).upper()
    if not raw:
        return None
    code = OKV.get(raw) or WORDS.get(raw, raw)
    if not _ISO.match(code):
        raise InvalidValue("currency must be a 3-letter ISO code such as RUB (or руб., 643, USD, долл., EUR, евро)")
    return code
