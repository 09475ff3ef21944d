"""The cash-in forecast (contract section 5): what the debits open on D are expected to bring in after D.

Learnt only from what was known on D, read the way aging reads the ledger (queries/ledger.py): the debits
open on D (dated on or before D, less the matches dated on or before D) and the debits closed on or before
D (documents.settled_date <= D: the day the last credit closed them, which no later document changes, since
matching is chronological). Each closed debit is one observation of its counterparty's delay (closing day
less due date); each debit open on D is a censored one (not paid through D - due). Money arrives on the
warehouse calendar's working days, and a client whose closings fall on month or quarter ends more than
everyone's pays that share on the batch day. The maths is domain/forecast.py; docs/forecast.md says why and
how well (the backtest).

`fit` reads the warehouse once; `document_forecast` and `cash_in` answer from the fitted model. The
behaviour is learnt from every counterparty (a group's and everyone's habits are what a thin history leans
on), the documents forecast are those of the scope. Money is Int64 kopecks; expected amounts are rounded to
whole kopecks once, at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl
from sqlalchemy import Connection, select

import warehouse
from domain.calendar import WorkCalendar
from domain.forecast import (
    DEFAULT_SETTINGS,
    ForecastSettings,
    Freq,
    band,
    bank_day_offsets,
    batch_day_offsets,
    batch_shares,
    fit_hazards,
    in_batches,
    last_working_day,
    median_day,
    on_bank_days,
    owner_spread,
    payment_probabilities,
    period_ends,
    rounded_periods,
    sigma,
)
from queries.ledger import open_debits
from queries.scope import Scope
from warehouse.calendar import work_calendar
from warehouse.frames import frame

CLOSED_SCHEMA = pl.Schema({"counterparty_id": pl.String, "due_date": pl.Date, "closed_on": pl.Date})
GROUP_SCHEMA = pl.Schema({"counterparty_id": pl.String, "group": pl.String})
DOCUMENT_COLUMNS = ["counterparty_id", "contract_id", "document_id", "currency", "due_date", "open", "expected_date"]
CASH_IN_SCHEMA = pl.Schema(
    {
        "date": pl.Date,
        "currency": pl.String,
        "contractual": pl.Int64,
        "expected": pl.Int64,
        "low": pl.Int64,
        "high": pl.Int64,
    }
)
_OPEN_COLUMNS = ["counterparty_id", "contract_id", "document_id", "number", "kind", "currency", "due_date", "open"]


@dataclass(frozen=True)
class Fitted:
    """The model as of a day: each counterparty's hazards (a row per owner) and the documents to forecast."""

    as_of: date
    documents: pl.DataFrame  # _OPEN_COLUMNS + owner (row of hazards), since_due (as_of - due_date)
    hazards: np.ndarray
    settings: ForecastSettings
    calendar: WorkCalendar  # payments arrive on its working days
    month_batches: np.ndarray  # per owner: the chance moved to the month's last working day (batch_shares)
    quarter_batches: np.ndarray  # ... to the quarter's

    def chances(self, owner: np.ndarray, since_due: np.ndarray, days: int) -> np.ndarray:
        """p[i, j - 1]: the chance document i is paid on as_of + j: the hazards' (domain.forecast), moved to
        working days and, by its counterparty's shares, to the month's or quarter's batch day."""
        p = on_bank_days(
            payment_probabilities(self.hazards, owner, since_due, days),
            bank_day_offsets(self.as_of, days, self.calendar),
        )
        if not (self.month_batches[owner].any() or self.quarter_batches[owner].any()):
            return p
        return in_batches(
            p,
            self.month_batches[owner],
            self.quarter_batches[owner],
            batch_day_offsets(self.as_of, days, self.calendar, 1),
            batch_day_offsets(self.as_of, days, self.calendar, 3),
        )


def closed_debits(conn: Connection, *, as_of: date, since: date) -> pl.DataFrame:
    """Debits dated on or before as_of and closed from `since` to as_of: counterparty_id, due_date, closed_on."""
    d = warehouse.documents
    query = select(d.c.counterparty_id, d.c.due_date, d.c.settled_date).where(
        d.c.side == 1,
        d.c.doc_date <= as_of,
        d.c.settled_date <= as_of,
        d.c.settled_date >= since,
        d.c.counterparty_id.is_not(None),
        d.c.due_date.is_not(None),
    )
    return frame(conn, query, CLOSED_SCHEMA)


def counterparty_groups(conn: Connection) -> pl.DataFrame:
    c = warehouse.counterparties
    return frame(conn, select(c.c.counterparty_id, c.c.group_name), GROUP_SCHEMA)


def _open_frame(debits: pl.DataFrame) -> pl.DataFrame:
    return debits.filter(pl.col("due_date").is_not_null()).select(
        *_OPEN_COLUMNS[:-1], pl.col("open_amount").alias("open")
    )


def fit(
    conn: Connection, *, as_of: date, scope: Scope | None = None, settings: ForecastSettings = DEFAULT_SETTINGS
) -> Fitted:
    """Read what was known on as_of and fit every counterparty's behaviour; the documents are the scope's."""
    scope = scope or Scope.everything()
    everything = _open_frame(open_debits(conn, as_of=as_of))
    in_scope = everything if scope == Scope.everything() else _open_frame(open_debits(conn, as_of=as_of, scope=scope))
    closed = closed_debits(conn, as_of=as_of, since=as_of - timedelta(days=settings.window_days))
    groups = counterparty_groups(conn)
    return fit_frames(
        closed, everything, in_scope, groups, as_of=as_of, settings=settings, calendar=work_calendar(conn)
    )


def fit_frames(
    closed: pl.DataFrame,
    open_all: pl.DataFrame,
    documents: pl.DataFrame,
    groups: pl.DataFrame,
    *,
    as_of: date,
    settings: ForecastSettings = DEFAULT_SETTINGS,
    calendar: WorkCalendar | None = None,
) -> Fitted:
    """The fit from frames: closed debits (counterparty_id, due_date, closed_on), every debit open on as_of and
    the ones to forecast (counterparty_id, due_date, open, ...), groups (counterparty_id, group)."""
    owners = sorted(
        set(closed["counterparty_id"].to_list())
        | set(open_all["counterparty_id"].to_list())
        | set(documents["counterparty_id"].to_list())
    )
    owner_of = pl.DataFrame(
        {"counterparty_id": owners, "owner": range(len(owners))},
        schema={"counterparty_id": pl.String, "owner": pl.Int64},
    )
    named = owner_of.join(groups, on="counterparty_id", how="left").sort("owner")
    group_names = sorted({g for g in named["group"].to_list() if g})
    group_index = {g: i for i, g in enumerate(group_names)}
    group_of = [group_index.get(g or "", -1) for g in named["group"].to_list()]

    day = pl.lit(as_of)
    paid = closed.join(owner_of, on="counterparty_id").select(
        "owner",
        (pl.col("closed_on") - pl.col("due_date")).dt.total_days().alias("delay"),
        pl.lit(True).alias("paid"),
        (day - pl.col("due_date")).dt.total_days().alias("since_due"),
    )
    unpaid = open_all.join(owner_of, on="counterparty_id").select(
        "owner",
        (day - pl.col("due_date")).dt.total_days().alias("delay"),
        pl.lit(False).alias("paid"),
        (day - pl.col("due_date")).dt.total_days().alias("since_due"),
    )
    seen = pl.concat([paid, unpaid])
    hazards = fit_hazards(
        seen["owner"].to_numpy(),
        seen["delay"].to_numpy(),
        seen["paid"].to_numpy(),
        seen["since_due"].to_numpy(),
        group_of,
        len(group_names),
        settings,
    )
    targets = documents.join(owner_of, on="counterparty_id").with_columns(
        (day - pl.col("due_date")).dt.total_days().alias("since_due")
    )
    calendar = calendar or WorkCalendar.default()
    month, quarter = _batches(closed.join(owner_of, on="counterparty_id"), len(owners), as_of, calendar, settings)
    return Fitted(as_of, targets, hazards, settings, calendar, month, quarter)


def _batches(
    closed: pl.DataFrame, owners: int, as_of: date, calendar: WorkCalendar, settings: ForecastSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Each owner's month- and quarter-end batch shares from its closings (domain.forecast.batch_shares),
    recency-weighted by the closing's age."""
    if closed.height == 0:
        return np.zeros(owners), np.zeros(owners)
    first = closed["closed_on"].min()
    years = range(first.year if isinstance(first, date) else as_of.year, as_of.year + 1)
    month_ends = [last_working_day(y, m, calendar) for y in years for m in range(1, 13)]
    quarter_ends = [d for d in month_ends if d.month % 3 == 0]
    flags = closed.select(
        "owner",
        pl.col("closed_on").is_in(month_ends).alias("month_end"),
        pl.col("closed_on").is_in(quarter_ends).alias("quarter_end"),
        (pl.lit(as_of) - pl.col("closed_on")).dt.total_days().alias("age"),
    )
    weights = 0.5 ** (flags["age"].to_numpy() / settings.half_life_days)
    return batch_shares(
        flags["owner"].to_numpy(),
        flags["month_end"].to_numpy(),
        flags["quarter_end"].to_numpy(),
        weights,
        owners,
        settings.batch_strength,
    )


def document_forecast(fitted: Fitted) -> pl.DataFrame:
    """One row per debit open on as_of: counterparty_id, contract_id, document_id, currency, due_date, open,
    expected_date (always after as_of: the median of its payment day given it was unpaid on as_of), number,
    kind, p_30 (its chance of being paid within 30 days)."""
    docs = fitted.documents
    owner, late = docs["owner"].to_numpy(), docs["since_due"].to_numpy()
    horizon = fitted.settings.median_horizon_days
    days = np.zeros(docs.height, dtype=np.int64)
    within = np.zeros(docs.height)
    for start in range(0, docs.height, 2000):
        part = slice(start, start + 2000)
        p = fitted.chances(owner[part], late[part], horizon)
        days[part] = median_day(p)
        within[part] = p[:, :30].sum(axis=1)
    return (
        docs.with_columns(
            (pl.lit(fitted.as_of) + pl.duration(days=pl.lit(pl.Series(days, dtype=pl.Int64)))).alias("expected_date"),
            pl.Series("p_30", within, dtype=pl.Float64),
        )
        .select(*DOCUMENT_COLUMNS, "number", "kind", "p_30")
        .sort("counterparty_id", "due_date", "document_id")
    )


def cash_in(fitted: Fitted, *, date_to: date, freq: Freq = "day", chunk: int = 2000) -> pl.DataFrame:
    """Per period (date: its last day; periods start on as_of + 1) and currency: contractual (the open amount
    by due date, what is overdue on as_of in the first period), expected, low and high (the 80 % band)."""
    ends = period_ends(fitted.as_of, date_to, freq)
    if not ends:
        return pl.DataFrame(schema=CASH_IN_SCHEMA)
    days = (date_to - fitted.as_of).days
    last_day = np.array([(end - fitted.as_of).days for end in ends], dtype=np.int64)  # 1-based day of each end
    starts = np.concatenate([[0], last_day[:-1]])
    rows: list[pl.DataFrame] = []
    for currency in sorted(fitted.documents["currency"].unique().to_list()):
        docs = fitted.documents.filter(pl.col("currency") == currency)
        amounts = docs["open"].to_numpy().astype(np.float64)
        owner, late = docs["owner"].to_numpy(), docs["since_due"].to_numpy()
        owners = fitted.hazards.shape[0]
        daily = np.zeros(days)
        spread = np.zeros((owners, len(ends)))
        spread_variance = np.zeros((owners, len(ends)))
        for start in range(0, docs.height, chunk):
            part = slice(start, start + chunk)
            p = fitted.chances(owner[part], late[part], days)
            daily += amounts[part] @ p
            sd, variance = owner_spread(amounts[part], owner[part], np.add.reduceat(p, starts, axis=1), owners)
            spread += sd
            spread_variance += variance
        expected = rounded_periods(daily, last_day)
        low, high = band(
            expected,
            sigma(spread, spread_variance, fitted.settings.client_correlation),
            np.full(len(ends), int(amounts.sum()), dtype=np.int64),
        )
        # Contractual: a debit counts on its due day, or on as_of + 1 when it is already due.
        due_day = np.maximum(-late, 1)
        period = np.searchsorted(last_day, due_day)
        inside = period < len(ends)
        contractual = np.bincount(period[inside], weights=docs["open"].to_numpy()[inside], minlength=len(ends))
        rows.append(
            pl.DataFrame(
                {
                    "date": ends,
                    "currency": currency,
                    "contractual": np.rint(contractual).astype(np.int64),
                    "expected": expected,
                    "low": low,
                    "high": high,
                },
                schema=CASH_IN_SCHEMA,
            )
        )
    return pl.concat(rows).sort("date", "currency") if rows else pl.DataFrame(schema=CASH_IN_SCHEMA)


def forecast_documents(
    conn: Connection, *, as_of: date, scope: Scope | None = None, settings: ForecastSettings = DEFAULT_SETTINGS
) -> pl.DataFrame:
    return document_forecast(fit(conn, as_of=as_of, scope=scope, settings=settings))


def forecast_cash_in(
    conn: Connection,
    *,
    as_of: date,
    date_to: date,
    freq: Freq = "day",
    scope: Scope | None = None,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> pl.DataFrame:
    return cash_in(fit(conn, as_of=as_of, scope=scope, settings=settings), date_to=date_to, freq=freq)
