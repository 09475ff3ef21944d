"""`make backtest`: the cash-in forecast (queries/forecast.py) against what came in, on the demo history.

    python -m benchmarks.backtest [--db URL] [--scale 50000] [--seed 1] [--end 2026-11-30] [--weeks 8]

At every month-end D of the history (from three months after the first debit closed: before that there is
no behaviour to learn; and at least `weeks` weeks before the history's end) the
forecast is fitted from what was known on D only (queries.forecast.fit: the ledger as of D), and compared
with what happened after D:
- MAE of payment dates, days: over the debits open on D that closed before the history's end,
  |expected date - closing date| (debits never closed by the end have no date to compare with);
- weekly WAPE over `weeks` weeks: sum |forecast - actual| / sum actual over the weeks D+1..D+7, ... and the
  month-ends, actual = what the matches dated in the week closed of the debits open on D (roubles only:
  amounts are never added across currencies);
- the 80 % band's coverage: the share of those weeks whose actual lies in [low, high].
References on the same debits: naive (each debit paid on its due date, or on D + 1 when already due)
and the counterparty's median delay (the plain median of its debits closed in the window, everyone's
median without any), with the same "not before D + 1", as it is and moved to the next bank day as the
model's dates are.

Without --db, a demo warehouse is written once into bench_out/backtest (SQLite). The table is printed in
Markdown for docs/forecast.md.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, create_engine, func, select

import warehouse
from domain.forecast import DEFAULT_SETTINGS, ForecastSettings, add_months
from queries.forecast import cash_in, closed_debits, document_forecast, fit

OUT = Path("bench_out/backtest")
NAMES = ("expected", "naive", "median", "median_bank")
MATCH_SCHEMA = pl.Schema({"doc_pk": pl.Int64, "match_date": pl.Date, "amount": pl.Int64})


def _demo_url(scale: int, seed: int, end: date) -> tuple[str, dict[str, str]]:
    """The demo warehouse (written and loaded once) and each counterparty's habit of payment (the demo's
    DemoSummary.habits, kept beside it): the model never reads them, the table by habit does."""
    from etl.demo import write_demo_source
    from etl.load import load_paths
    from warehouse.engine import ensure_schema, make_engine

    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"demo_{scale}_{seed}_{end:%Y%m%d}.db"
    url = f"sqlite:///{db}"
    habits = db.with_suffix(".habits.json")
    if not db.exists() or not habits.exists():
        db.unlink(missing_ok=True)
        source = OUT / f"source_{scale}_{seed}_{end:%Y%m%d}"
        summary = write_demo_source(source, scale=scale, seed=seed, end=end)
        engine = make_engine(url)
        ensure_schema(engine)
        load_paths(engine, [source])
        engine.dispose()
        habits.write_text(json.dumps(summary.habits, ensure_ascii=False, indent=0), encoding="utf-8")
    return url, json.loads(habits.read_text(encoding="utf-8"))


def month_ends(first: date, last: date) -> list[date]:
    ends, day = [], add_months(date(first.year, first.month, 1), 1) - timedelta(days=1)
    while day <= last:
        ends.append(day)
        day = add_months(day, 1) if day.day >= 28 else day
    return ends


def _week_of(as_of: date, day: pl.Expr) -> pl.Expr:
    return ((day - pl.lit(as_of)).dt.total_days() - 1) // 7 + 1


def _median_dates(conn: Connection, as_of: date, docs: pl.DataFrame, window: int) -> pl.Series:
    """The reference: each counterparty's plain median delay over its debits closed in the window."""
    closed = closed_debits(conn, as_of=as_of, since=as_of - timedelta(days=window)).with_columns(
        (pl.col("closed_on") - pl.col("due_date")).dt.total_days().alias("delay")
    )
    everyone = closed["delay"].median() if closed.height else 0
    medians = closed.group_by("counterparty_id").agg(pl.col("delay").median().alias("median"))
    delay = pl.col("median").fill_null(everyone).round(0).cast(pl.Int64)
    return (
        docs.join(medians, on="counterparty_id", how="left", maintain_order="left")
        .select(pl.max_horizontal(pl.col("due_date") + pl.duration(days=delay), pl.lit(as_of + timedelta(days=1))))
        .to_series()
    )


@dataclass(frozen=True)
class DayResult:
    weeks: pl.DataFrame  # week, actual, model, low, high, naive_date, median_date, median_bank_date (roubles)
    errors: pl.DataFrame  # per debit that closed: counterparty_id and |date - closing date| for each of NAMES


def backtest_day(
    conn: Connection, as_of: date, *, weeks: int, history_end: date, settings: ForecastSettings
) -> DayResult:
    fitted = fit(conn, as_of=as_of, settings=settings)
    docs = document_forecast(fitted)
    d = warehouse.documents
    pks = conn.execute(
        select(d.c.document_id, d.c.kind, d.c.doc_pk, d.c.settled_date).where(d.c.side == 1, d.c.doc_date <= as_of)
    ).all()
    keys = pl.DataFrame(
        [tuple(r) for r in pks],
        schema={"document_id": pl.String, "kind": pl.String, "doc_pk": pl.Int64, "settled": pl.Date},
        orient="row",
    )
    docs = docs.join(keys, on=["document_id", "kind"], how="left")
    tomorrow = pl.lit(as_of + timedelta(days=1))
    docs = docs.with_columns(
        pl.max_horizontal(pl.col("due_date"), tomorrow).alias("naive_date"),
        _median_dates(conn, as_of, docs, settings.window_days).alias("median_date"),
    )
    docs = docs.with_columns(
        pl.col("median_date")
        .map_elements(fitted.calendar.next_working_day_on_or_after, return_dtype=pl.Date)
        .alias("median_bank_date"),
    )
    horizon = as_of + timedelta(days=7 * weeks)
    m = warehouse.matches
    found = conn.execute(
        select(m.c.debit_pk, m.c.match_date, m.c.amount).where(m.c.match_date > as_of, m.c.match_date <= horizon)
    ).all()
    matches = pl.DataFrame([tuple(r) for r in found], schema=MATCH_SCHEMA, orient="row")
    rub = docs.filter(pl.col("currency") == "RUB")
    actual_weeks = (
        matches.join(rub.select("doc_pk"), on="doc_pk")
        .group_by(_week_of(as_of, pl.col("match_date")).alias("week"))
        .agg(pl.col("amount").sum().alias("actual"))
    )
    grid = pl.DataFrame({"week": list(range(1, weeks + 1))}, schema={"week": pl.Int64})

    def placed(column: str) -> pl.DataFrame:
        return rub.group_by(_week_of(as_of, pl.col(column)).alias("week")).agg(pl.col("open").sum().alias(column))

    weekly = cash_in(fitted, date_to=horizon, freq="week").filter(pl.col("currency") == "RUB")
    model = weekly.with_columns(pl.int_range(1, pl.len() + 1).alias("week").cast(pl.Int64)).select(
        "week", pl.col("expected").alias("model"), "low", "high"
    )
    table = (
        grid.join(actual_weeks, on="week", how="left")
        .join(model, on="week", how="left")
        .join(placed("naive_date"), on="week", how="left")
        .join(placed("median_date"), on="week", how="left")
        .join(placed("median_bank_date"), on="week", how="left")
        .fill_null(0)
    )
    closed = docs.filter(pl.col("settled").is_not_null() & (pl.col("settled") <= history_end))

    errors = closed.select(
        "counterparty_id",
        *[(pl.col("settled") - pl.col(f"{name}_date")).dt.total_days().abs().alias(name) for name in NAMES],
    )
    return DayResult(table, errors)


def run(
    conn: Connection,
    *,
    weeks: int = 8,
    settings: ForecastSettings = DEFAULT_SETTINGS,
    log: Callable[[str], None] = print,
) -> dict[str, dict[str, float]]:
    return run_with_errors(conn, weeks=weeks, settings=settings, log=log)[0]


def run_with_errors(
    conn: Connection,
    *,
    weeks: int = 8,
    settings: ForecastSettings = DEFAULT_SETTINGS,
    log: Callable[[str], None] = print,
) -> tuple[dict[str, dict[str, float]], pl.DataFrame]:
    """The measures per forecast (run) and the date errors of every debit that closed, month-end by month-end."""
    d = warehouse.documents
    first, last = conn.execute(select(func.min(d.c.settled_date), func.max(d.c.doc_date)).where(d.c.side == 1)).one()
    first, last = date.fromisoformat(str(first)), date.fromisoformat(str(last))
    days = [day for day in month_ends(add_months(first, 3), last) if day + timedelta(days=7 * weeks) <= last]
    tables: list[pl.DataFrame] = []
    found: list[pl.DataFrame] = []
    for day in days:
        started = time.perf_counter()
        result = backtest_day(conn, day, weeks=weeks, history_end=last, settings=settings)
        tables.append(result.weeks)
        found.append(result.errors)
        log(f"  {day}: {time.perf_counter() - started:.2f} s")
    weekly = pl.concat(tables)
    errors = pl.concat(found)
    actual = int(weekly["actual"].sum())

    def wape(column: str) -> float:
        return int((weekly[column] - weekly["actual"]).abs().sum()) / actual if actual else float("nan")

    inside = weekly.select(((pl.col("actual") >= pl.col("low")) & (pl.col("actual") <= pl.col("high"))).mean()).item()
    names = {name: "model" if name == "expected" else f"{name}_date" for name in NAMES}
    results = {
        name: {
            "mae_days": float(errors.select(pl.col(name).mean()).item()) if errors.height else float("nan"),
            "wape": wape(column),
            "coverage": float(inside or 0.0) if name == "expected" else float("nan"),
            "month_ends": float(len(days)),
            "documents": float(errors.height),
        }
        for name, column in names.items()
    }
    return results, errors


def by_habit(errors: pl.DataFrame, habits: dict[str, str]) -> str:
    """MAE of payment dates per habit of payment (the demo's own labels), as a Markdown table."""
    labelled = errors.join(
        pl.DataFrame({"counterparty_id": list(habits), "habit": list(habits.values())}),
        on="counterparty_id",
        how="left",
    ).with_columns(pl.col("habit").fill_null("(none)"))
    table = labelled.group_by("habit").agg(pl.len().alias("debits"), *[pl.col(n).mean() for n in NAMES]).sort("habit")
    rows = [
        "| habit | debits | naive | median | median, bank days | model |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in table.iter_rows(named=True):
        rows.append(
            f"| {r['habit']} | {r['debits']} | {r['naive']:.1f} | {r['median']:.1f} | {r['median_bank']:.1f} "
            f"| {r['expected']:.1f} |"
        )
    return "\n".join(rows)


def markdown(results: dict[str, dict[str, float]], weeks: int) -> str:
    naive = results["naive"]
    rows = [
        f"| forecast | MAE of payment dates, days | weekly WAPE, {weeks} weeks | vs naive: MAE | vs naive: WAPE |",
        "|---|---:|---:|---:|---:|",
    ]
    labels = {
        "naive": "naive: paid on the due date",
        "median": "the counterparty's median delay",
        "median_bank": "the counterparty's median delay, moved to the next bank day",
        "expected": "the model (queries/forecast.py)",
    }
    for name in ("naive", "median", "median_bank", "expected"):
        r = results[name]
        rows.append(
            f"| {labels[name]} | {r['mae_days']:.1f} | {100 * r['wape']:.1f} % "
            f"| {100 * (1 - r['mae_days'] / naive['mae_days']):+.0f} % "
            f"| {100 * (1 - r['wape'] / naive['wape']):+.0f} % |"
        )
    model = results["expected"]
    rows.append("")
    rows.append(
        f"{int(model['month_ends'])} month-ends, {int(model['documents'])} debits with a closing date; "
        f"the 80 % band held the week's actual in {100 * model['coverage']:.0f} % of the weeks."
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", help="a warehouse URL (default: a demo written into bench_out/backtest)")
    parser.add_argument("--scale", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2026, 11, 30))
    parser.add_argument("--weeks", type=int, default=8)
    args = parser.parse_args()
    url, habits = (args.db, {}) if args.db else _demo_url(args.scale, args.seed, args.end)
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.connect() as conn:
        results, errors = run_with_errors(conn, weeks=args.weeks)
    engine.dispose()
    print(markdown(results, args.weeks))
    if habits:
        print("\nMAE of payment dates (days) by the demo's habit of payment:\n")
        print(by_habit(errors, habits))
    print(f"backtest: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
