"""Payment reminders: which open documents trigger a reminder on a day, by the configured rules.

Rules (``ReminderRules``, from the config's ``[reminders]`` section):

- ``before``: ``before_days`` days before the due date (default 3), while the document is not yet due.
- ``overdue``: on the first overdue day (the day after the due date), when ``on_overdue``.
- ``repeat``: then every ``every_days`` days while the document stays open (default 7, weekly); every
  day for counterparties of ``daily_groups``. With ``max_reminders`` > 0, at most that many overdue
  reminders per document (the first overdue day's one included).
- Counterparties in ``opt_out`` get none.
- Promises and disputes open on the day hold reminders (queries.holds): an open promise all of its
  counterparty's documents (or the one it names), an open dispute its document. A reminder carried from
  an earlier day follows the same holds as of the day.
- A counterparty group may have values of its own (``groups``: ``GroupRules``, any of before_days,
  on_overdue, every_days, max_reminders); what it leaves out follows the general rules.
- Nothing is sent on a non-working day (the official calendar with the warehouse's overrides). A
  reminder that would fall on one moves to the next working day: a run on working day D sends what
  fell due for reminding in (previous working day, D]. So Monday's run also covers Saturday and Sunday.

``reminder_queue`` gives one row per document and rule on a day; ``dashboard.services.reminders`` groups them
into one message per counterparty and day. Scope as every query: a counterparty outside it never
appears.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from sqlalchemy import Connection, select

import warehouse
from domain.calendar import WorkCalendar
from queries.aging import with_days
from queries.holds import holds, without_held
from queries.ledger import open_debits
from queries.scope import Scope
from warehouse.calendar import work_calendar

RULES = ("before", "overdue", "repeat")

QUEUE_SCHEMA = pl.Schema(
    {
        "counterparty_id": pl.String,
        "counterparty_name": pl.String,
        "group": pl.String,
        "manager": pl.String,
        "email": pl.String,
        "rule": pl.String,
        "reminder_no": pl.Int64,
        "document_id": pl.String,
        "kind": pl.String,
        "number": pl.String,
        "contract_id": pl.String,
        "contract_number": pl.String,
        "currency": pl.String,
        "doc_date": pl.Date,
        "due_date": pl.Date,
        "open_amount": pl.Int64,
        "days_overdue": pl.Int64,  # < 0: days until due
        "carried_from": pl.Date,  # a failed reminder of that earlier day, retried today; null for today's own
    }
)

# Reminders of earlier days to retry today (their sending failed): kind, document_id, rule, reminder_no, day.
CARRIED_SCHEMA = pl.Schema(
    {
        "kind": pl.String,
        "document_id": pl.String,
        "rule": pl.String,
        "reminder_no": pl.Int64,
        "carried_from": pl.Date,
    }
)


GROUP_SETTINGS = ("before_days", "on_overdue", "every_days", "max_reminders")


@dataclass(frozen=True)
class GroupRules:
    """A counterparty group's own values; None keeps the general rule."""

    group: str
    before_days: int | None = None
    on_overdue: bool | None = None
    every_days: int | None = None
    max_reminders: int | None = None

    def __post_init__(self) -> None:
        if (
            (self.before_days is not None and self.before_days < 0)
            or (self.every_days is not None and self.every_days < 1)
            or (self.max_reminders is not None and self.max_reminders < 0)
        ):
            raise ValueError(
                f"reminder rules of group {self.group!r}: before_days >= 0, every_days >= 1, max_reminders >= 0"
            )


@dataclass(frozen=True)
class ReminderRules:
    before_days: int = 3
    on_overdue: bool = True
    every_days: int = 7
    daily_groups: tuple[str, ...] = ()
    max_reminders: int = 0  # 0: no limit
    opt_out: tuple[str, ...] = ()
    groups: tuple[GroupRules, ...] = ()  # per counterparty group, over the general values above

    def __post_init__(self) -> None:
        if self.before_days < 0 or self.every_days < 1 or self.max_reminders < 0:
            raise ValueError("reminder rules: before_days >= 0, every_days >= 1, max_reminders >= 0")


def window(day: date, work: WorkCalendar) -> tuple[date, date] | None:
    """(first, last) days whose reminders a run on `day` sends, or None on a non-working day."""
    if not work.is_working_day(day):
        return None
    previous = day - timedelta(days=1)
    while not work.is_working_day(previous):
        previous -= timedelta(days=1)
    return previous + timedelta(days=1), day


def reminder_queue(
    conn: Connection,
    *,
    as_of: date,
    scope: Scope | None = None,
    rules: ReminderRules = ReminderRules(),
    carried: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The documents that trigger a reminder on `as_of`, one row per document and rule.

    `carried` (CARRIED_SCHEMA): reminders of earlier days whose sending failed; those of their documents
    still open on `as_of` (and not opted out or held since) join the queue with their original rule, number
    and day. Documents held by a promise or a dispute open on `as_of` (queries.holds) are left out.
    """
    scope = scope or Scope.everything()
    span = window(as_of, work_calendar(conn))
    if span is None:
        return pl.DataFrame(schema=QUEUE_SCHEMA)
    first = span[0]
    width = (as_of - first).days + 1  # days covered by this run (1 on an ordinary weekday)

    debits = without_held(
        with_days(open_debits(conn, as_of=as_of, scope=scope), as_of), holds(conn, as_of=as_of, scope=scope)
    )
    k, c = warehouse.counterparties, warehouse.contracts
    people = pl.DataFrame(
        [tuple(r) for r in conn.execute(select(k.c.counterparty_id, k.c.name, k.c.group_name, k.c.manager, k.c.email))],
        schema={
            "counterparty_id": pl.String,
            "counterparty_name": pl.String,
            "group": pl.String,
            "manager": pl.String,
            "email": pl.String,
        },
        orient="row",
    )
    numbers = pl.DataFrame(
        [tuple(r) for r in conn.execute(select(c.c.contract_id, c.c.number))],
        schema={"contract_id": pl.String, "contract_number": pl.String},
        orient="row",
    )
    debits = (
        debits.filter(pl.col("counterparty_id").is_not_null() & ~pl.col("counterparty_id").is_in(list(rules.opt_out)))
        .join(people, on="counterparty_id", how="left")
        .join(numbers, on="contract_id", how="left")
    )
    # Each document's rule values: its group's own where set, else the general ones (daily_groups: every day).
    own = pl.DataFrame(
        [(g.group, g.before_days, g.on_overdue, g.every_days, g.max_reminders) for g in rules.groups],
        schema={
            "group": pl.String,
            "g_before": pl.Int64,
            "g_on_overdue": pl.Boolean,
            "g_every": pl.Int64,
            "g_max": pl.Int64,
        },
        orient="row",
    )
    general_every = pl.when(pl.col("group").is_in(list(rules.daily_groups))).then(1).otherwise(rules.every_days)
    debits = debits.join(own, on="group", how="left").with_columns(
        pl.col("g_before").fill_null(rules.before_days).alias("r_before"),
        pl.col("g_on_overdue").fill_null(rules.on_overdue).alias("r_on_overdue"),
        pl.col("g_every").fill_null(general_every).alias("r_every"),
        pl.col("g_max").fill_null(rules.max_reminders).alias("r_max"),
    )
    # n: days since the first overdue day (< 0 before it); a trigger on day T fires when first <= T <= as_of,
    # i.e. when as_of - T is in [0, width).
    n = pl.col("days_overdue") - 1
    every = pl.col("r_every")
    before_lag = pl.col("days_overdue") + pl.col("r_before")  # as_of - (due - before_days)
    fires_before = (pl.col("r_before") > 0) & (pl.col("days_overdue") <= 0) & (before_lag >= 0) & (before_lag < width)
    fires_overdue = pl.col("r_on_overdue") & (n >= 0) & (n < width)
    k_now = n.floordiv(every)
    k_prev = (n - width).floordiv(every)
    fires_repeat = (n >= 0) & (k_now >= 1) & (k_now > k_prev) & ~fires_overdue
    fires_repeat = fires_repeat & ((pl.col("r_max") == 0) | (k_now + 1 <= pl.col("r_max")))
    retried = pl.DataFrame(schema=CARRIED_SCHEMA) if carried is None else carried.cast(CARRIED_SCHEMA)
    rows = pl.concat(
        [
            debits.join(retried, on=["kind", "document_id"], how="inner"),
            debits.filter(fires_before).with_columns(
                pl.lit("before").alias("rule"), pl.lit(1, dtype=pl.Int64).alias("reminder_no")
            ),
            debits.filter(fires_overdue).with_columns(
                pl.lit("overdue").alias("rule"), pl.lit(1, dtype=pl.Int64).alias("reminder_no")
            ),
            debits.filter(fires_repeat).with_columns(
                pl.lit("repeat").alias("rule"), (k_now + 1).cast(pl.Int64).alias("reminder_no")
            ),
        ],
        how="diagonal",
    )
    return rows.select([pl.col(name).cast(dtype) for name, dtype in QUEUE_SCHEMA.items()]).sort(
        "counterparty_id", "due_date", "document_id"
    )


LOG_SCHEMA = pl.Schema(
    {
        "day": pl.Date(),
        "counterparty_id": pl.String(),
        "counterparty_name": pl.String(),
        "manager": pl.String(),
        "rule": pl.String(),
        "status": pl.String(),
        "documents": pl.Int64(),
        "recipients": pl.String(),
        "subject": pl.String(),
        "attempts": pl.Int64(),
        "recorded_at": pl.Datetime("us"),
        "sent_at": pl.Datetime("us"),
        "error": pl.String(),
        "user_name": pl.String(),
    }
)


def reminder_log(
    conn: Connection,
    *,
    scope: Scope | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    statuses: tuple[str, ...] | None = None,
) -> pl.DataFrame:
    """The send log (warehouse.reminder_log) in the scope, newest day first: one row per counterparty,
    rule and day, with the number of documents the reminder covered."""
    scope = scope or Scope.everything()
    log, k = warehouse.reminder_log, warehouse.counterparties
    query = (
        select(
            log.c.day,
            log.c.counterparty_id,
            k.c.name,
            k.c.manager,
            log.c.rule,
            log.c.status,
            log.c.documents,
            log.c.recipients,
            log.c.subject,
            log.c.attempts,
            log.c.recorded_at,
            log.c.sent_at,
            log.c.error,
            log.c.user_name,
        )
        .select_from(log.outerjoin(k, k.c.counterparty_id == log.c.counterparty_id))
        .where(scope.counterparty_filter(log.c.counterparty_id))
        .order_by(log.c.day.desc(), log.c.counterparty_id, log.c.rule)
    )
    if date_from is not None:
        query = query.where(log.c.day >= date_from)
    if date_to is not None:
        query = query.where(log.c.day <= date_to)
    if statuses is not None:
        query = query.where(log.c.status.in_(statuses))
    rows = [(*r[:6], len(json.loads(r[6] or "[]")), *r[7:]) for r in conn.execute(query)]
    return pl.DataFrame(rows, schema=LOG_SCHEMA, orient="row")


def whole_debts(conn: Connection, *, as_of: date, scope: Scope | None = None) -> pl.DataFrame:
    """Per counterparty and currency, all it owes as of D (its open debits) and the overdue part of it: the
    reminder's totals, beside the documents the rules picked that day. Documents held by a promise or a
    dispute count here: the debt is the client's all the same."""
    debits = open_debits(conn, as_of=as_of, scope=scope or Scope.everything())
    return (
        debits.group_by("counterparty_id", "currency")
        .agg(
            pl.col("open_amount").sum().alias("open_debits"),
            pl.col("open_amount").filter(pl.col("due_date") < as_of).sum().alias("overdue"),
        )
        .sort("counterparty_id", "currency")
    )
