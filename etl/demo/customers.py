"""The customers and their contracts: who buys how much, where from, on what terms, and how they pay.

About 200 B2B customers (fewer at small scales) in four groups. Each has a habit of payment (its
`behaviour`, applied to each shipment by habits.py), in the shares of _QUOTAS:

- ``ontime`` (the rest, about 46 %): pays on the due date or a few days before, now and then a few days late;
- ``early`` (8 %): always pays before the due date, by its own lead of 3-15 days;
- ``late`` (13 %): pays a stable number of days late, its own delay of 10-40 days (most nearer 10 than
  40), give or take 3 days;
- ``erratic`` (6 %): anything from 10 days early to 60 days late, with no pattern;
- ``month_end`` (5 %) and ``quarter_end`` (3 %): batch payers, whose treasury pays everything that
  fell due in a month (a quarter) on its last bank day, one payment per contract (the quarterly ones are
  small firms whose outsourced bookkeeper comes once a quarter);
- ``slowing`` (2 %): pays on time until its delays start growing, 4-6 months before it stops paying for
  good (the first one 7-8 months before the end, the others 2-5);
- ``chronic`` (3 %): one to three months late, the deep overdue buckets;
- ``partial`` (8 %): large shipments in two or three parts; ``prepay`` (6 %): pays before shipment.

Why these shares: in a distributor's book about half of the customers pay on terms or close to them; most
of the others are late by weeks, not months, or pay on a calendar of their own (batches, weekly
registries); a few are chronically late, and one or two get into trouble. Every habit has at least one
customer even at 20 customers, so a small demo tells every story and a backtest sees every habit.

Chains pay by weekly registry (on time, late or chronic ones); a couple of wholesalers have a contract in
foreign currency.
"""

from __future__ import annotations

import bisect
import math
from datetime import date
from itertools import accumulate

from etl.demo.state import NEVER, Contract, Counterparty, Run

# fmt: off
# Regions: INN prefix (region + tax office) and the warehouse that serves them.
REGIONS: tuple[tuple[str, str, float], ...] = (
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
WAREHOUSES = tuple(dict.fromkeys(w for _, w, _ in REGIONS))

# Customer groups: share of customers, relative size (share of shipments), typical shipment in rubles,
# payment terms offered (days, weights).
GROUPS: tuple[tuple[str, float, float, float, tuple[int, ...], tuple[int, ...]], ...] = (
    ("Сети", 0.10, 6.0, 180_000.0, (30, 45, 60), (3, 3, 2)),
    ("Опт", 0.33, 2.5, 110_000.0, (0, 14, 30, 45), (1, 3, 4, 1)),
    ("Розница", 0.35, 1.0, 40_000.0, (0, 14, 30), (2, 4, 3)),
    ("HoReCa", 0.22, 0.7, 16_000.0, (0, 14, 30), (2, 5, 2)),
)

# Behaviours by quota (share of customers, see the module's docstring); the rest pay on time.
_QUOTAS = (
    ("slowing", 0.02),
    ("chronic", 0.03),
    ("partial", 0.08),
    ("prepay", 0.06),
    ("late", 0.13),
    ("early", 0.08),
    ("erratic", 0.06),
    ("month_end", 0.05),
    ("quarter_end", 0.03),
)
# Habits whose customers may pay by weekly registry; the others keep a calendar (or a trouble) of their own.
REGISTRY_HABITS = ("ontime", "late", "chronic")


def make_customers(run: Run) -> None:
    """Fill run.cps and run.contracts."""
    rng = run.rng
    names = run.names
    n = min(200, max(20, round(1.2 * math.sqrt(run.scale))))
    managers = []
    for _ in range(rng.randint(4, 6)):
        female = rng.random() < 0.6
        surname, first, patronymic = names.person(female)
        managers.append(f"{surname} {first} {patronymic}")

    # Behaviours by quota, then shuffled: even a 20-customer demo has every story in it.
    behaviours: list[str] = []
    for name, share in _QUOTAS:
        behaviours += [name] * max(1, round(n * share))
    behaviours += ["ontime"] * (n - len(behaviours))
    rng.shuffle(behaviours)

    group_cum = list(accumulate(g[1] for g in GROUPS))
    region_cum = list(accumulate(r[2] for r in REGIONS))
    window = run.end - run.start
    slowing_seen = False
    for i in range(n):
        group_row = GROUPS[bisect.bisect(group_cum, rng.random() * group_cum[-1])]
        group, _share, size, typical, _terms, _w = group_row
        region, warehouse, _ = REGIONS[bisect.bisect(region_cum, rng.random() * region_cum[-1])]
        behaviour = behaviours[i]
        who = names.customer(group, region)

        ship_from = run.start
        if rng.random() < 0.15:  # a customer won during the window
            ship_from = run.start + rng.randint(30, int(window * 0.8))
        ship_to = run.end
        stop_pay = NEVER
        if behaviour == "slowing":
            # Stops paying some months before `end` (the first one seven or eight months before: its
            # debt, in court by now, fills the oldest overdue bucket); sales notices only weeks later.
            stop_pay = run.end - (rng.randint(200, 250) if not slowing_seen else rng.randint(60, 150))
            slowing_seen = True
            ship_to = stop_pay + rng.randint(20, 45)
            ship_from = max(run.start, min(ship_from, stop_pay - 300))
        elif rng.random() < 0.05 and ship_from == run.start:
            ship_to = run.start + rng.randint(int(window * 0.3), int(window * 0.9))  # churned
        weight = size * rng.lognormvariate(0.0, 0.9)
        if behaviour == "slowing":
            weight = max(weight, size * 1.5)  # a customer whose trouble shows: it buys every week
        elif behaviour == "quarter_end":
            weight = min(weight, size * 0.7)  # a small firm whose outsourced bookkeeper pays once a quarter
        run.cps.append(
            Counterparty(
                idx=i,
                counterparty_id=f"K{i + 1:04d}",
                name=who.name,
                inn=who.inn,
                kpp=who.kpp,
                manager=managers[rng.randrange(len(managers))],
                email=who.email,
                group=group,
                region=region,
                warehouse=warehouse,
                weight=weight,
                mean_kop=typical * 100 * rng.lognormvariate(0.0, 0.35),
                behaviour=behaviour,
                ship_from=ship_from,
                ship_to=ship_to,
                stop_pay=stop_pay,
                no_contract_share=0.0,
                batch_day=-1,
                account=who.account,
                bank=who.bank,
                pp_no=rng.randint(100, 3000),
            )
        )

    for cp in run.cps:
        _draw_habit(run, cp)
    # Chains pay by registry once a week; a few big wholesalers do the same.
    for cp in run.cps:
        if (cp.group == "Сети" or (cp.group == "Опт" and rng.random() < 0.2)) and cp.behaviour in REGISTRY_HABITS:
            cp.batch_day = rng.choice((1, 3, 4))
    if all(cp.batch_day < 0 for cp in run.cps):
        first_payer = next(cp for cp in run.cps if cp.behaviour in REGISTRY_HABITS)
        first_payer.batch_day = 3
    for cp in run.cps:
        cp.pooled = cp.batch_day >= 0 or cp.period > 0
    # Foreign-currency contracts for 1-2 wholesalers (priced in USD/CNY, paid in that currency).
    wholesale = sorted(
        (cp for cp in run.cps if cp.behaviour in ("ontime", "late") and cp.ship_from == run.start),
        key=lambda cp: (cp.group != "Опт", cp.idx),
    )
    fx = wholesale[: 2 if n >= 60 else 1]
    fx_ids = [cp.idx for cp in fx]
    # Some customers pay without naming the contract (counterparty-level matching); never the
    # foreign-currency ones, whose money must not mix with rubles.
    candidates = [cp for cp in run.cps if cp.idx not in fx_ids]
    for k, cp in enumerate(candidates):
        if k == 0 or rng.random() < 0.2:
            cp.no_contract_share = 0.5

    _make_contracts(run, fx_ids)


def _draw_habit(run: Run, cp: Counterparty) -> None:
    """The customer's own numbers for its habit, drawn once: a late one is late by its delay every time."""
    rng = run.rng
    b = cp.behaviour
    if b == "late":
        cp.delay = int(rng.triangular(10, 41, 14))  # 10-40 days, mostly 10-25
    elif b == "early":
        cp.delay = rng.randint(6, 12)  # paid 3-15 days early: its lead, give or take 3 days
    elif b in {"month_end", "quarter_end"}:
        cp.period = 1 if b == "month_end" else 3
        cp.delay = rng.randint(0, 11)  # which of its months is tight (habits.py)
    elif b == "slowing":
        # Delays grow from nothing, 4-6 months before it stops, to 30-50 days on the day it stops.
        cp.slow_from = cp.stop_pay - rng.randint(120, 180)
        cp.delay = rng.randint(30, 50)


def _make_contracts(run: Run, fx_ids: list[int]) -> None:
    rng = run.rng
    total_weight = sum(cp.weight for cp in run.cps)
    for cp in run.cps:
        group_row = next(g for g in GROUPS if g[0] == cp.group)
        terms_opts, terms_w = group_row[4], group_row[5]

        def terms_for(
            cp: Counterparty = cp, opts: tuple[int, ...] = terms_opts, w: tuple[int, ...] = terms_w
        ) -> tuple[int, bool]:
            terms = 0 if cp.behaviour == "prepay" else rng.choices(opts, w)[0]
            if terms == 0 and cp.behaviour == "early":
                terms = opts[1]  # paying before the due date takes a due date after the shipment
            return terms, terms > 0 and rng.random() < 0.36

        def limit_for(cp: Counterparty = cp, terms: int = 0) -> int | None:
            if rng.random() < 0.15 or cp.behaviour == "prepay":
                return None  # no limit set
            # A limit a credit controller would set: the client's usual debt (a month's shipments times its
            # terms, plus the month in flight) with headroom, not a flat ceiling that the largest clients
            # always break (47 of 312 contracts were over their limits, and the stop-list held 80 % of the debt).
            monthly = cp.weight / total_weight * run.scale / 24 * cp.mean_kop / 100
            rub = monthly * (terms / 30 + 1.0) * rng.uniform(1.2, 2.0)
            return int(min(200_000_000, max(100_000, round(rub / 50_000) * 50_000))) * 100

        if cp.ship_from == run.start:
            first_date = run.start - rng.randint(20, 1000)
        else:
            first_date = cp.ship_from - rng.randint(0, 10)
        dates = [first_date]
        # The yearly renewal: a new contract signed in mid-January, within the window.
        jan = date(date.fromordinal(max(first_date + 60, run.start)).year + 1, 1, 1).toordinal()
        renewal = jan + rng.randint(9, 27)
        if renewal > run.end - 15:
            renewal = rng.randint(max(first_date + 30, run.start), run.end - 15)
        dates.append(renewal)
        extra = cp.idx in fx_ids or rng.random() < 0.4
        if extra:
            dates.append(rng.randint(max(first_date + 30, run.start), run.end - 20))
        for k, d in enumerate(dates):
            terms, working = terms_for()
            currency, divisor = "RUB", 1
            if k == 2 and cp.idx in fx_ids:
                currency, divisor = ("USD", 90) if fx_ids.index(cp.idx) == 0 else ("CNY", 12)
            limit = limit_for(terms=terms)
            if limit is not None and divisor != 1:
                limit = max(100_000, limit // divisor // 100_000 * 100_000)
            ctr = Contract(
                idx=len(run.contracts),
                contract_id=f"C{len(run.contracts) + 1:05d}",
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
            run.contracts.append(ctr)

    # Numbers follow the signing order within each year, as a contracts register does.
    seq_by_year: dict[int, int] = {}
    for ctr in sorted(run.contracts, key=lambda c: (c.date_ord, c.idx)):
        year = date.fromordinal(ctr.date_ord).year
        seq = seq_by_year.get(year) or rng.randint(3, 40)
        seq_by_year[year] = seq + rng.randint(1, 3)
        ctr.number = f"Д-{seq:04d}/{year % 100:02d}"
        ctr.date_ru = run.dates.ru(ctr.date_ord)
