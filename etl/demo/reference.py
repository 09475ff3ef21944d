"""Writers of the reference files: counterparties.csv, contracts.xlsx and calendar.csv.

counterparties.csv is Windows-1251 with ``;`` and CRLF, the way 1C "Сохранить как CSV" writes on
Windows; contracts.xlsx has real Excel date cells and numeric limits.
"""

from __future__ import annotations

from datetime import date, datetime

import xlsxwriter

from domain.calendar import HOLIDAY, WORKDAY
from etl.demo.company import COMPANY_NAME
from etl.demo.formats import HEADERS
from etl.demo.names import kpp_of
from etl.demo.state import Run


def write_counterparties(run: Run) -> None:
    handle, writer = run.open_csv("counterparties.csv", "cp1251", ";", crlf=True)
    with handle:
        writer.writerow(HEADERS["counterparties"])
        for cp in run.cps:
            writer.writerow((cp.counterparty_id, cp.name, cp.inn, cp.kpp, cp.manager, cp.email, cp.group))
        run.counts["counterparties"] = len(run.cps)
        # Bad row: a valid-looking INN with its check digit off by one. No contract refers to it,
        # so the reject does not cascade.
        good = run.names.inn("77", False)
        bad_inn = good[:-1] + str((int(good[-1]) + 1) % 10)
        core, domain = run.names.company_words()
        writer.writerow(
            (
                f"K{len(run.cps) + 1:04d}",
                f"ООО «{core}»",
                bad_inn,
                kpp_of(bad_inn),
                run.cps[0].manager,
                f"info@{domain}.ru",
                "Опт",
            )
        )
        run.counts["bad_rows"] += 1


def write_contracts(run: Run) -> None:
    path = run.folder / "contracts.xlsx"
    run.files.append(path)
    workbook = xlsxwriter.Workbook(str(path))
    # xlsxwriter stamps "now" into docProps/core.xml; a fixed stamp keeps the bytes reproducible.
    stamp = datetime.combine(date.fromordinal(run.end), datetime.min.time())
    workbook.set_properties({"title": "Договоры с покупателями", "author": COMPANY_NAME, "created": stamp})
    sheet = workbook.add_worksheet("contracts")
    bold = workbook.add_format({"bold": True})
    date_fmt = workbook.add_format({"num_format": "dd.mm.yyyy"})
    money_fmt = workbook.add_format({"num_format": "#,##0.00"})
    for col, title in enumerate(HEADERS["contracts"]):
        sheet.write_string(0, col, title, bold)
    for row, ctr in enumerate(run.contracts, start=1):
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
    run.counts["contracts"] = len(run.contracts)


def write_calendar(run: Run) -> None:
    """The company's own overrides of the official calendar (see workdays.company_overrides)."""
    handle, writer = run.open_csv("calendar.csv", "utf-8", ",")
    with handle:
        writer.writerow(HEADERS["calendar"])
        rows = [(o, HOLIDAY) for o in run.holidays] + [(o, WORKDAY) for o in run.workdays]
        for o, kind in sorted(rows):
            writer.writerow((run.dates.iso(o), kind))
    run.counts["calendar"] = len(rows)
