"""Deterministic generator of a realistic demo source folder (contract section 1).

The generator only WRITES files in the contract's formats; loading them is the normal ETL's job, so the
demo exercises exactly the code paths real exports take. The story it tells is a Russian food/consumer
goods distributor ("ООО «Волжский Опт»") with about 200 B2B customers over the two years up to ``end``,
each paying by a habit of its own (on time, early, late by its own delay, erratic, in batches at a
month's or a quarter's end, slowing down before it stops paying, chronically late, in parts, in advance:
``customers`` says their shares; ``DemoSummary.habits`` says whose is which, the files never do):

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

Where things are: ``generator`` runs the steps in order; ``state`` is what they share; ``company`` and
``names`` make up who is who; ``customers`` their sizes, terms and habits of payment, which ``habits``
applies to each shipment; ``shipments`` is the day loop, ``opening``, ``corrections`` and ``payments``
write the documents it decides, ``statement`` the bank statement, ``reference`` the reference files.
"""

from etl.demo.company import COMPANY_INN, COMPANY_NAME
from etl.demo.generator import DemoSummary, write_demo_source

__all__ = ["COMPANY_INN", "COMPANY_NAME", "DemoSummary", "write_demo_source"]
