"""A day's reminder run: plan it (the dry run), or send it over SMTP through the send log, exactly once.

The send log (warehouse.reminder_log) has one row per counterparty, rule and day. For each message:

1. **record**: the message's rows are claimed as ``pending`` in their own transaction. A row already
   ``sent`` or ``pending`` cannot be claimed, so the same run twice, or two runs at once, never send a
   reminder twice; ``failed`` rows are claimed again (a retry).
2. **send** to the SMTP server.
3. **confirm**: the rows become ``sent`` (or ``failed`` with the server's reply) in a second transaction.

A run killed between 1 and 3 leaves ``pending`` rows: the message may or may not have reached the server.
Those are **not** resent by later runs (at most once: a client reminded twice about the same debt is worse
than a reminder a controller resends by hand); they are listed as unconfirmed, and
``retry_unconfirmed=True`` (``remind --send --retry-unconfirmed``) resends them when someone has checked.

A failure (the server down, every recipient refused, no e-mail address) is logged and retried by the next
run: the same day's run claims the row again; a later day's run carries the documents still open into its
own message for that counterparty, and the earlier rows then read ``retried``. A carried reminder whose
documents were all paid meanwhile reads ``obsolete``.
"""

from __future__ import annotations

import getpass
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

import polars as pl
from sqlalchemy import ColumnElement, Engine, and_, exc, insert, select, update

import warehouse
from dashboard.services.acts import company_name, file_stem, render_act
from dashboard.services.mailer import SmtpSettings, compose, describe_error, message_id
from dashboard.services.reminders import Message, ReminderSettings, build_messages, company_details, effective_settings
from dashboard.services.settings import Config
from queries.reminders import CARRIED_SCHEMA, reminder_queue
from queries.scope import Scope
from warehouse.state import read_meta

# Outcomes of a message in a run. Dry run: would_send, retry (a failed one, sent again), no_address,
# already_sent, unconfirmed. Sending: sent, failed, no_address, already_sent, unconfirmed, taken.
OUTCOMES = ("would_send", "retry", "sent", "failed", "no_address", "already_sent", "unconfirmed", "taken")
NO_ADDRESS = "no e-mail address for the counterparty"


class Transport(Protocol):
    def send(self, email: Any) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Outcome:
    message: Message
    status: str
    error: str = ""
    carried: int = 0  # documents carried from earlier days' failed reminders
    attachments: tuple[str, ...] = ()


@dataclass
class RunReport:
    as_of: date
    send: bool
    outcomes: list[Outcome] = field(default_factory=list)
    documents: int = 0
    seconds: float = 0.0

    def count(self, *statuses: str) -> int:
        return sum(1 for o in self.outcomes if o.status in statuses)


@dataclass(frozen=True)
class _Item:
    """A message to handle and the log rows behind it."""

    message: Message
    status: str  # would_send | retry | no_address | already_sent | unconfirmed
    own: dict[str, str]  # rule -> documents JSON, today's rows to claim
    carried: tuple[tuple[date, str], ...]  # (day, rule) of earlier failed rows this message retries
    carried_documents: int
    previous: dict[str, str]  # rule -> its status today before this run (absent: new)


@dataclass
class Plan:
    as_of: date
    settings: ReminderSettings
    company: str
    items: list[_Item]
    obsolete: list[tuple[date, str, str]]  # (day, counterparty, rule) carried rows with nothing left open
    documents: int
    unconfirmed_earlier: int = 0  # pending rows of earlier days: killed runs someone should check


def _documents_json(rows: pl.DataFrame) -> str:
    return json.dumps(
        [[k, d, int(n)] for k, d, n in rows.select("kind", "document_id", "reminder_no").iter_rows()],
        ensure_ascii=False,
    )


def plan(
    engine: Engine,
    config: Config,
    *,
    as_of: date,
    scope: Scope | None = None,
    language: str | None = None,
    retry_unconfirmed: bool = False,
) -> Plan:
    """What a run on `as_of` would send, given the send log: one item per counterparty."""
    scope = scope or Scope.everything()
    log = warehouse.reminder_log
    with engine.connect() as conn:
        settings = effective_settings(conn, config)
        company = company_name(conn, config)
        inn = read_meta(conn, "company_inn") or ""
        in_scope = scope.counterparty_filter(log.c.counterparty_id)
        today = {
            (r.counterparty_id, r.rule): r.status
            for r in conn.execute(
                select(log.c.counterparty_id, log.c.rule, log.c.status).where(log.c.day == as_of, in_scope)
            )
        }
        retry_statuses = ("failed", "pending") if retry_unconfirmed else ("failed",)
        earlier = conn.execute(
            select(log.c.day, log.c.counterparty_id, log.c.rule, log.c.documents).where(
                log.c.day < as_of, log.c.status.in_(retry_statuses), in_scope
            )
        ).all()
        unconfirmed_earlier = 0
        if not retry_unconfirmed:
            unconfirmed_earlier = len(
                conn.execute(
                    select(log.c.counterparty_id).where(log.c.day < as_of, log.c.status == "pending", in_scope)
                ).all()
            )
        carried_rows = [
            (kind, document_id, r.rule, int(number), r.day)
            for r in earlier
            for kind, document_id, number in json.loads(r.documents or "[]")
        ]
        carried = pl.DataFrame(carried_rows, schema=CARRIED_SCHEMA, orient="row")
        queue = reminder_queue(conn, as_of=as_of, scope=scope, rules=settings.rules, carried=carried)
    language = language or settings.language
    managers = {str(k): str(v) for k, v in config.section("managers").items()}
    details = company_details(config, company, language, inn)

    def messages_of(rows: pl.DataFrame) -> dict[str, Message]:
        built = build_messages(
            rows,
            company=company,
            language=language,
            manager_emails=managers,
            templates=settings.templates,
            details=details,
            as_of=as_of,
        )
        return {m.counterparty_id: m for m in built}

    own = queue.filter(pl.col("carried_from").is_null())
    later = queue.filter(pl.col("carried_from").is_not_null())
    logged = pl.DataFrame(
        [(cp, rule, state) for (cp, rule), state in today.items()],
        schema={"counterparty_id": pl.String, "rule": pl.String, "previous": pl.String},
        orient="row",
    )
    own = own.join(logged, on=["counterparty_id", "rule"], how="left").with_columns(pl.col("previous").fill_null(""))
    open_again = ["", "failed"] + (["pending"] if retry_unconfirmed else [])
    to_send = own.filter(pl.col("previous").is_in(open_again))
    handled = own.filter(~pl.col("previous").is_in(open_again))
    sendable = messages_of(pl.concat([to_send.drop("previous"), later], how="vertical"))
    skipped = messages_of(handled.drop("previous"))

    items = []
    for counterparty_id, message in sendable.items():
        mine = to_send.filter(pl.col("counterparty_id") == counterparty_id)
        theirs = later.filter(pl.col("counterparty_id") == counterparty_id)
        previous = {rule: prev for rule, prev in mine.select("rule", "previous").unique().iter_rows() if prev}
        status = "no_address" if not message.to else "retry" if (previous or theirs.height) else "would_send"
        items.append(
            _Item(
                message=message,
                status=status,
                own={rule: _documents_json(rows) for (rule,), rows in mine.group_by("rule", maintain_order=True)},
                carried=tuple(sorted(set(theirs.select("carried_from", "rule").iter_rows()))),
                carried_documents=theirs.select("kind", "document_id").unique().height,
                previous=previous,
            )
        )
    for counterparty_id, message in skipped.items():
        if counterparty_id in sendable:
            continue  # part already sent today, the rest goes now
        rows = handled.filter(pl.col("counterparty_id") == counterparty_id)
        state = "unconfirmed" if "pending" in rows["previous"].to_list() else "already_sent"
        items.append(_Item(message, state, {}, (), 0, {}))
    items.sort(key=lambda item: item.message.counterparty_id)
    still_open = set(later.select("carried_from", "counterparty_id", "rule").iter_rows())
    obsolete = [
        (r.day, r.counterparty_id, r.rule) for r in earlier if (r.day, r.counterparty_id, r.rule) not in still_open
    ]
    documents = queue.select("kind", "document_id").unique().height
    return Plan(as_of, settings, company, items, obsolete, documents, unconfirmed_earlier)


def dry_run(plan_: Plan) -> RunReport:
    outcomes = [Outcome(item.message, item.status, carried=item.carried_documents) for item in plan_.items]
    return RunReport(plan_.as_of, False, outcomes, plan_.documents)


class _Taken(Exception):
    pass


def _key(day: date, counterparty_id: str, rule: str) -> ColumnElement[bool]:
    """One row of the send log."""
    log = warehouse.reminder_log
    return and_(log.c.day == day, log.c.counterparty_id == counterparty_id, log.c.rule == rule)


def _claim(engine: Engine, day: date, item: _Item, mid: str, user: str, retry_unconfirmed: bool) -> bool:
    """Record the message's rows as pending; False when another run holds (or has sent) any of them."""
    log = warehouse.reminder_log
    m = item.message
    values = {
        "status": "pending",
        "recipients": "; ".join(m.to) + (f" (cc {', '.join(m.cc)})" if m.cc else ""),
        "subject": m.subject,
        "message_id": mid,
        "recorded_at": datetime.now(),
        "sent_at": None,
        "error": "",
        "user_name": user,
    }
    claimable = ("failed", "pending") if retry_unconfirmed else ("failed",)
    try:
        with engine.begin() as conn:
            for rule, documents in item.own.items():
                key = _key(day, m.counterparty_id, rule)
                current = conn.execute(select(log.c.status).where(key)).scalar()
                if current is None:
                    conn.execute(
                        insert(log).values(
                            day=day,
                            counterparty_id=m.counterparty_id,
                            rule=rule,
                            documents=documents,
                            attempts=1,
                            **values,
                        )
                    )
                elif current in claimable:
                    done = conn.execute(
                        update(log)
                        .where(key, log.c.status == current)
                        .values(documents=documents, attempts=log.c.attempts + 1, **values)
                    )
                    if done.rowcount != 1:
                        raise _Taken
                else:
                    raise _Taken
            for carried_day, rule in item.carried:  # earlier days' failed rows this message retries
                key = _key(carried_day, m.counterparty_id, rule)
                done = conn.execute(
                    update(log)
                    .where(key, log.c.status.in_(claimable))
                    .values(status="pending", attempts=log.c.attempts + 1, message_id=mid, user_name=user)
                )
                if done.rowcount != 1:
                    raise _Taken
    except (_Taken, exc.IntegrityError, exc.OperationalError):
        return False
    return True


def _finish(engine: Engine, day: date, item: _Item, status: str, error: str, *, keep_carried: bool) -> None:
    """Confirm (sent) or fail the message's rows; the carried rows follow (retried, or another attempt)."""
    log = warehouse.reminder_log
    m = item.message
    with engine.begin() as conn:
        for rule in item.own:
            key = _key(day, m.counterparty_id, rule)
            conn.execute(
                update(log)
                .where(key)
                .values(status=status, error=error, sent_at=datetime.now() if status == "sent" else None)
            )
        for carried_day, rule in item.carried:
            key = _key(carried_day, m.counterparty_id, rule)
            if keep_carried:
                conn.execute(update(log).where(key).values(status="failed", error=error))
            else:
                conn.execute(
                    update(log)
                    .where(key)
                    .values(status="retried", error=f"sent with the reminder of {day:%d.%m.%Y}", sent_at=datetime.now())
                )


def _record_failure(engine: Engine, day: date, item: _Item, error: str, user: str) -> None:
    """A message that cannot go (no address): its rows read failed, to be retried once it can."""
    log = warehouse.reminder_log
    m = item.message
    with engine.begin() as conn:
        for rule, documents in item.own.items():
            key = _key(day, m.counterparty_id, rule)
            current = conn.execute(select(log.c.status).where(key)).scalar()
            if current is None:
                conn.execute(
                    insert(log).values(
                        day=day,
                        counterparty_id=m.counterparty_id,
                        rule=rule,
                        status="failed",
                        documents=documents,
                        subject=m.subject,
                        attempts=1,
                        recorded_at=datetime.now(),
                        error=error,
                        user_name=user,
                    )
                )
            elif current == "failed":
                conn.execute(update(log).where(key).values(attempts=log.c.attempts + 1, error=error))
        for carried_day, rule in item.carried:
            key = _key(carried_day, m.counterparty_id, rule)
            conn.execute(update(log).where(key).values(attempts=log.c.attempts + 1, error=error))


def _attachments(
    engine: Engine, config: Config, plan_: Plan, message: Message, scope: Scope
) -> tuple[tuple[str, bytes], ...]:
    """The current act per currency of the message: from 1 January of the run's year to the run's day."""
    fmt = plan_.settings.attach_act
    if not fmt:
        return ()
    date_from = date(plan_.as_of.year, 1, 1)
    files = []
    with engine.connect() as conn:
        for currency, _ in message.totals:
            data = render_act(
                conn,
                config,
                counterparty_id=message.counterparty_id,
                date_from=date_from,
                date_to=plan_.as_of,
                currency=currency,
                scope=scope,
                fmt=fmt,
            )
            stem = file_stem(message.counterparty_id, message.counterparty_name, "", currency, date_from, plan_.as_of)
            files.append((f"Акт_сверки_{stem}.{fmt}", data))
    return tuple(files)


def send(
    engine: Engine,
    config: Config,
    plan_: Plan,
    *,
    transport: Transport,
    smtp: SmtpSettings,
    scope: Scope | None = None,
    retry_unconfirmed: bool = False,
    user: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunReport:
    """Send the plan's messages through `transport`, each recorded, sent and confirmed in the send log."""
    scope = scope or Scope.everything()
    user = user if user is not None else getpass.getuser()
    started = time.perf_counter()
    report = RunReport(plan_.as_of, True, documents=plan_.documents)
    day = plan_.as_of
    log = warehouse.reminder_log
    if plan_.obsolete:
        with engine.begin() as conn:
            for carried_day, counterparty_id, rule in plan_.obsolete:
                conn.execute(
                    update(log)
                    .where(_key(carried_day, counterparty_id, rule), log.c.status.in_(("failed", "pending")))
                    .values(status="obsolete", error=f"nothing of it was open on {day:%d.%m.%Y}")
                )
    for done, item in enumerate(plan_.items, start=1):
        m = item.message
        if item.status in ("already_sent", "unconfirmed"):
            report.outcomes.append(Outcome(m, item.status))
        elif item.status == "no_address":
            _record_failure(engine, day, item, NO_ADDRESS, user)
            report.outcomes.append(Outcome(m, "no_address", NO_ADDRESS, item.carried_documents))
        else:
            mid = message_id(day, m.counterparty_id, m.rules, smtp.sender)
            if not _claim(engine, day, item, mid, user, retry_unconfirmed):
                report.outcomes.append(Outcome(m, "taken", "another run has recorded this reminder"))
            else:
                names: tuple[str, ...] = ()
                try:
                    files = _attachments(engine, config, plan_, m, scope)
                    names = tuple(name for name, _ in files)
                    email = compose(
                        settings=smtp,
                        to=m.to,
                        cc=m.cc,
                        subject=m.subject,
                        body=m.body,
                        message_id=mid,
                        attachments=files,
                    )
                    refused = transport.send(email)
                except Exception as error:
                    text = describe_error(error, smtp)
                    _finish(engine, day, item, "failed", text, keep_carried=True)
                    report.outcomes.append(Outcome(m, "failed", text, item.carried_documents, names))
                else:
                    note = f"refused: {', '.join(sorted(refused))}" if refused else ""
                    _finish(engine, day, item, "sent", note, keep_carried=False)
                    report.outcomes.append(Outcome(m, "sent", note, item.carried_documents, names))
        if progress:
            progress(done, len(plan_.items))
    report.seconds = time.perf_counter() - started
    return report
