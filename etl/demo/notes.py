"""A few notes of the controllers' work written after the demo load, so a new user sees collections at work.

The demo source folder has no notes (they are never a source file: people write them in the app or with
`receivables note`). After the load, :func:`add_demo_notes` reads the warehouse and writes a handful dated
in the weeks before the demo's last day, chosen with a seeded ``random.Random`` among counterparties in
a fixed order, so the same warehouse and seed give the same notes:

- calls and e-mails to a few counterparties with overdue debt;
- a promise BROKEN as of the end: its amount is above what the counterparty paid from the note's date to
  its last day (a few days before the end), computed from the payments loaded, by at least SMALL (a
  counterparty that paid at most half its overdue debt in that window is preferred);
- a promise KEPT: at most what the counterparty paid in its window;
- a promise still OPEN: its last day is after the end and its amount above what was paid so far (by at
  least SMALL; a counterparty that has paid nothing since the note is preferred);
- a dispute open on an overdue shipment, and a dispute resolved two weeks before the end.

Only counterparties whose contracts are all in rubles take part, so a promise's currency (the contracts')
is the one its payments are summed in. Everything goes through warehouse.note_store.add_note (it
validates) in one transaction.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, Engine, func, or_, select

import warehouse
from warehouse.note_store import add_note, resolve_note

CURRENCY = "RUB"
CONTROLLER = "kontrol@volzhsky-opt.ru"
SENIOR = "smirnova@volzhsky-opt.ru"
THOUSAND = 100_000  # a thousand rubles in kopecks: promises are round sums
SMALL, LARGE = 10_000 * 100, 5_000_000 * 100  # what a promise lacks or is of: 10 thousand to 5 million rubles
CANDIDATES = 40  # the counterparties owing the most overdue money the notes are about

CALLS = (
    "Бухгалтер обещала уточнить у директора",
    "Не дозвонились: секретарь говорит, бухгалтер на больничном",
    "Главбух просит прислать копии накладных, оплату поставят в реестр",
    "Обещали перезвонить после планёрки",
)
EMAILS = (
    "Направили акт сверки на {month}, ждём подписанный",
    "Отправили напоминание о просроченной задолженности и копии УПД",
)


@dataclass(frozen=True, slots=True)
class _Debtor:
    counterparty_id: str
    overdue: int  # kopecks of overdue debits not settled as of the end (their full amounts)
    shipments: tuple[tuple[str, str], ...]  # overdue shipments (document_id, number), oldest first


def _workday(day: date) -> date:
    """The day itself, or the Friday before when it falls on a weekend."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _rubles(kopecks: int) -> str:
    """«1 250 000 ₽»: a sum in a note's text, as a controller writes it."""
    return f"{kopecks // 100:,}".replace(",", "\u00a0") + "\u00a0₽"


def _round_up(kopecks: int) -> int:
    return -(-kopecks // THOUSAND) * THOUSAND


def _ruble_only(conn: Connection) -> set[str]:
    k = warehouse.contracts
    query = (
        select(k.c.counterparty_id)
        .group_by(k.c.counterparty_id)
        .having(func.count(func.distinct(k.c.currency)) == 1, func.min(k.c.currency) == CURRENCY)
    )
    return set(conn.execute(query).scalars())


def _debtors(conn: Connection, end: date) -> list[_Debtor]:
    """Ruble-only counterparties with debits due before the end and not settled by then, most owed first."""
    d = warehouse.documents
    rubles = _ruble_only(conn)
    query = (
        select(d.c.counterparty_id, d.c.kind, d.c.document_id, d.c.number, d.c.amount)
        .where(
            d.c.side == 1,
            d.c.currency == CURRENCY,
            d.c.counterparty_id.is_not(None),
            d.c.doc_date <= end,
            d.c.due_date < end,
            or_(d.c.settled_date.is_(None), d.c.settled_date > end),
        )
        .order_by(d.c.counterparty_id, d.c.doc_date, d.c.document_id)
    )
    totals: dict[str, int] = {}
    shipments: dict[str, list[tuple[str, str]]] = {}
    for counterparty_id, kind, document_id, number, amount in conn.execute(query):
        if counterparty_id not in rubles:
            continue
        totals[counterparty_id] = totals.get(counterparty_id, 0) + int(amount)
        if kind == "shipment":
            shipments.setdefault(counterparty_id, []).append((document_id, number or document_id))
    debtors = [_Debtor(cp, total, tuple(shipments.get(cp, ()))) for cp, total in totals.items()]
    return sorted(debtors, key=lambda x: (-x.overdue, x.counterparty_id))


def _paid(conn: Connection, counterparty_id: str, first: date, last: date) -> int:
    """What queries.collections counts as paid on a promise: ruble payments dated first..last."""
    d = warehouse.documents
    query = select(func.coalesce(func.sum(d.c.amount), 0)).where(
        d.c.kind == "payment",
        d.c.counterparty_id == counterparty_id,
        d.c.currency == CURRENCY,
        d.c.doc_date >= first,
        d.c.doc_date <= last,
    )
    return int(conn.execute(query).scalar_one())


def _resolvable_shipment(conn: Connection, counterparty_id: str, before: date) -> tuple[str, str] | None:
    """The counterparty's latest shipment dated in the two months before `before` (a past dispute's)."""
    d = warehouse.documents
    query = (
        select(d.c.document_id, d.c.number)
        .where(
            d.c.kind == "shipment",
            d.c.counterparty_id == counterparty_id,
            d.c.doc_date < before,
            d.c.doc_date >= before - timedelta(days=60),
        )
        .order_by(d.c.doc_date.desc(), d.c.document_id.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    return None if row is None else (str(row[0]), str(row[1] or row[0]))


class _Writer:
    """add_note with a deterministic created_at (the note's day, a working hour) and a count per kind."""

    def __init__(self, conn: Connection, rng: random.Random) -> None:
        self.conn, self.rng, self.kinds = conn, rng, Counter[str]()

    def add(
        self,
        counterparty_id: str,
        kind: str,
        day: date,
        text: str,
        *,
        author: str = CONTROLLER,
        document_id: str | None = None,
        amount: int | None = None,
        until: date | None = None,
    ) -> int:
        at = datetime.combine(day, time(self.rng.randint(9, 17), self.rng.choice((0, 10, 20, 30, 40, 50))))
        note_id = add_note(
            self.conn,
            counterparty_id=counterparty_id,
            kind=kind,
            note_date=day,
            author=author,
            text=text,
            created_at=at,
            document_id=document_id,
            amount=amount,
            until=until,
        )
        self.kinds[kind] += 1
        return note_id


def add_demo_notes(engine: Engine, end: date, seed: int) -> int:
    """Write the demo's notes as of `end` (see the module) in one transaction; returns how many. A warehouse
    that already holds notes (a demo loaded again, or someone's own) gets none: notes are never deleted,
    and a second set would make two broken promises."""
    rng = random.Random(f"demo-notes-{seed}")
    with engine.begin() as conn:
        if conn.execute(select(warehouse.notes.c.note_id).limit(1)).first() is not None:
            return 0
        debtors = _debtors(conn, end)[:CANDIDATES]
        rng.shuffle(debtors)
        used: set[str] = set()
        write = _Writer(conn, rng)

        def take(ok: Callable[[_Debtor], bool] | None = None) -> _Debtor | None:
            for debtor in debtors:
                if debtor.counterparty_id not in used and (ok is None or ok(debtor)):
                    used.add(debtor.counterparty_id)
                    return debtor
            return None

        # A promise broken: a call, the promise, nothing like it paid by its day, a call after.
        said, until = _workday(end - timedelta(days=21)), _workday(end - timedelta(days=5))
        broken = take(lambda x: _paid(conn, x.counterparty_id, said, until) <= x.overdue // 2) or take()
        if broken is not None:
            cp = broken.counterparty_id
            paid = _paid(conn, cp, said, until)
            amount = _round_up(paid + max(min(broken.overdue, LARGE) // 2, SMALL))
            write.add(cp, "call", _workday(said - timedelta(days=2)), CALLS[0])
            write.add(
                cp,
                "promise",
                said,
                f"Директор подтвердил оплату {_rubles(amount)} до {until:%d.%m}",
                amount=amount,
                until=until,
            )
            short = "Оплаты нет" if paid == 0 else f"Оплатили только {_rubles(paid)}"
            write.add(cp, "call", _workday(end - timedelta(days=2)), f"{short}, директор не отвечает на звонки")

        # A promise kept: at most what it paid in the window.
        said, until = _workday(end - timedelta(days=18)), _workday(end - timedelta(days=4))
        kept = take(lambda x: _paid(conn, x.counterparty_id, said, until) > 0)
        if kept is not None:
            paid = _paid(conn, kept.counterparty_id, said, until)
            amount = min(paid, max(kept.overdue, SMALL))  # what was overdue, at most what came
            amount = amount // THOUSAND * THOUSAND or amount
            write.add(kept.counterparty_id, "email", _workday(said - timedelta(days=3)), EMAILS[1])
            write.add(
                kept.counterparty_id,
                "promise",
                said,
                f"Обещали закрыть просрочку частями, первый платёж {_rubles(amount)} до {until:%d.%m}",
                amount=amount,
                until=until,
            )

        # A promise open as of the end: its last day after it.
        said, until = _workday(end - timedelta(days=3)), end + timedelta(days=7)
        opened = take(lambda x: _paid(conn, x.counterparty_id, said, end) == 0) or take()
        if opened is not None:
            cp = opened.counterparty_id
            paid = _paid(conn, cp, said, end)
            amount = _round_up(paid + max(min(opened.overdue, LARGE) // 3, SMALL))
            write.add(cp, "call", _workday(said - timedelta(days=1)), CALLS[2])
            write.add(
                cp,
                "promise",
                said,
                f"Гарантийное письмо: оплата {_rubles(amount)} до {until:%d.%m.%Y}",
                amount=amount,
                until=until,
                author=SENIOR,
            )

        # A dispute open on an overdue shipment.
        disputed = take(lambda x: bool(x.shipments))
        if disputed is not None:
            document_id, number = rng.choice(disputed.shipments)
            boxes = rng.randint(4, 18)
            write.add(
                disputed.counterparty_id,
                "dispute",
                _workday(end - timedelta(days=10)),
                f"Недовоз {boxes} коробок по накладной {number}, ждём акт о расхождении",
                document_id=document_id,
            )

        # A dispute settled: a shipment of the weeks before, its dispute resolved before the end.
        said = _workday(end - timedelta(days=30))
        settled = take(lambda x: _resolvable_shipment(conn, x.counterparty_id, said) is not None)
        if settled is not None:
            document_id, number = _resolvable_shipment(conn, settled.counterparty_id, said) or ("", "")
            note_id = write.add(
                settled.counterparty_id,
                "dispute",
                said,
                f"Пересорт по накладной {number}: клиент не принимает, просит корректировочный УПД",
                document_id=document_id,
            )
            resolve_note(conn, note_id, _workday(end - timedelta(days=14)), SENIOR)
            write.add(settled.counterparty_id, "note", _workday(end - timedelta(days=14)), "Корректировку подписали")

        # Calls and e-mails to a few more debtors.
        month_end = end.replace(day=1) - timedelta(days=1)  # a reconciliation act as of the last month's end
        for _ in range(3):
            debtor = take()
            if debtor is None:
                break
            day = _workday(end - timedelta(days=rng.randint(3, 25)))
            if rng.random() < 0.5:
                write.add(debtor.counterparty_id, "call", day, rng.choice(CALLS[1:]))
            else:
                write.add(debtor.counterparty_id, "email", day, EMAILS[0].format(month=f"{month_end:%d.%m.%Y}"))
    return sum(write.kinds.values())


def describe_notes(engine: Engine) -> str:
    """«13 (3 calls, 4 e-mails, 3 promises, 2 disputes, 1 note)»: the notes in the warehouse by kind."""
    n = warehouse.notes
    with engine.connect() as conn:
        kinds: dict[str, int] = {
            str(kind): int(count) for kind, count in conn.execute(select(n.c.kind, func.count()).group_by(n.c.kind))
        }
    words = (
        ("call", "call", "calls"),
        ("email", "e-mail", "e-mails"),
        ("promise", "promise", "promises"),
        ("dispute", "dispute", "disputes"),
        ("note", "note", "notes"),
    )
    said = ", ".join(f"{kinds[k]} {one if kinds[k] == 1 else many}" for k, one, many in words if kinds.get(k))
    return f"{sum(kinds.values())} ({said})"
