"""Reader for 1C "Клиент-банк" exchange files (1CClientBankExchange, format 1.02/1.03).

A statement is a text file of ``key=value`` lines: a header, then ``СекцияРасчСчет ... КонецРасчСчет``
sections (one per own account, with balances), then ``СекцияДокумент=<type> ... КонецДокумента``
sections (one per payment), then ``КонецФайла``. It comes in Windows-1251, CP866 ("DOS") or UTF-8.

Reading (:func:`read_bank_statement`, in ``reader``) keeps every value as raw text; interpreting
documents is :func:`classify`'s job (in ``incoming``: which documents are payments to the company,
under what stable key), so a broken document becomes a reject row, never a refused file.
"""

from etl.sources.bank_1c.incoming import CLASSIFIED_FIELDS, Classified, IncomingPayment, classify
from etl.sources.bank_1c.reader import BankDocument, BankStatement, is_bank_statement, read_bank_statement

__all__ = [
    "CLASSIFIED_FIELDS",
    "BankDocument",
    "BankStatement",
    "Classified",
    "IncomingPayment",
    "classify",
    "is_bank_statement",
    "read_bank_statement",
]
