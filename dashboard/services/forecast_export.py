"""`receivables export forecast` (contract section 5, «The cash-in forecast»): the report the CLI and the
forecast page's download build.

Per period: date (the period's last day), contractual, expected, low, high, in the contract's order, then
currency (the amounts of different currencies are never added: a row per period and currency). With
`by="document"`: counterparty_id, contract_id, document_id, currency, due_date, open, expected_date.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from dashboard.services.reports import Report
from domain.forecast import Freq
from queries.forecast import DOCUMENT_COLUMNS, cash_in, document_forecast, fit
from queries.scope import Scope

PERIOD_COLUMNS = ["date", "contractual", "expected", "low", "high", "currency"]


def forecast_report(
    conn: Connection, *, as_of: date, date_to: date, freq: Freq = "day", by: str | None = None, scope: Scope
) -> Report:
    if date_to <= as_of:
        raise ValueError(f"the forecast runs from the day after --as-of: --to {date_to} must be after {as_of}")
    fitted = fit(conn, as_of=as_of, scope=scope)
    if by == "document":
        documents = document_forecast(fitted).select(DOCUMENT_COLUMNS)
        return Report(documents, ("open",), f"Ожидаемые даты оплаты на {as_of:%d.%m.%Y}")
    periods = cash_in(fitted, date_to=date_to, freq=freq).select(PERIOD_COLUMNS)
    title = f"Прогноз поступлений на {as_of:%d.%m.%Y} по {date_to:%d.%m.%Y}"
    # The band's bounds of different periods are not amounts that add up: no totals row.
    return Report(periods, ("contractual", "expected", "low", "high"), title, totals=False)
