"""A day's reminder run: plan it (the dry run), or send it over SMTP through the send log, exactly once.

The send log (warehouse.reminder_log, its steps in dashboard.services.send_log) has one row per
counterparty, rule and day. For each message:

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
documents were all paid meanwhile, or are all held by a promise or a dispute open on the day
(queries.holds), reads ``obsolete``: the rules remind of them again once the hold ends.
"""

from __future__ import annotations

import getpass
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import polars as pl
from sqlalchemy import Engine

from dashboard.formatting import day
from dashboard.i18n import translate
from dashboard.services import send_log
from dashboard.services.acts import company_name, file_stem, render_act
from dashboard.services.mailer import SmtpSettings, compose, describe_error, message_id
from dashboard.services.reminders import Message, ReminderSettings, build_messages, company_details, effective_settings
from dashboard.services.send_log import LogRows
from dashboard.services.settings import Config
from domain.money import money
from queries.holds import ON_HOLD_SCHEMA, on_hold
from queries.reminders import CARRIED_SCHEMA, reminder_queue, whole_debts
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
    rows: LogRows
    carried_documents: int
    previous: dict[str, str]  # rule -> its status today before this run (absent: new)
    documents: tuple[tuple[str, str], ...] = ()  # (document_id, rule) of every document in the message


@dataclass
class Plan:
    as_of: date
    settings: ReminderSettings
    company: str
    items: list[_Item]
    obsolete: list[tuple[date, str, str]]  # (day, counterparty, rule) carried rows with nothing left open
    documents: int
    unconfirmed_earlier: int = 0  # pending rows of earlier days: killed runs someone should check
    # Promises and disputes open on the day that hold debits back (queries.holds.on_hold): who is paused and why.
    paused: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ON_HOLD_SCHEMA))


def _documents_json(rows: pl.DataFrame) -> str:
    return json.dumps(
        [[k, d, int(n)] for k, d, n in rows.select("kind", "document_id", "reminder_no").iter_rows()],
        ensure_ascii=False,
    )


def _documents_of(rows: pl.DataFrame) -> tuple[tuple[str, str], ...]:
    """(document_id, rule) of a message's queue rows, each pair once, in the queue's order."""
    return tuple(dict.fromkeys(rows.select("document_id", "rule").iter_rows()))


def plan_table(plan_: Plan) -> list[tuple[str, str, str, str]]:
    """The day's plan as a table (`remind -o`): counterparty_id, to, document_id, rule; a row per document
    in a reminder, as the dry run lists the reminders."""
    return [
        (item.message.counterparty_id, ", ".join(item.message.to), document_id, rule)
        for item in plan_.items
        for document_id, rule in item.documents
    ]


def paused_table(plan_: Plan, language: str) -> pl.DataFrame:
    """The plan's holds in words, for the page's «На паузе»: counterparty_id, counterparty_name, document (its
    number, or all the counterparty's documents), reason (the promise's amount and last day, or the dispute's
    date), held (the open debt held back, in its currency). Holds are few: a row per hold and currency."""
    rows = []
    for r in plan_.paused.iter_rows(named=True):
        if r["reason"] == "promise":
            amount = money(r["amount"], language, r["currency"])
            reason = translate("reminders.paused.promise", language, amount=amount, until=day(r["until"], language))
        else:
            reason = translate("reminders.paused.dispute", language, since=day(r["note_date"], language))
        document = (
            r["number"] or r["document_id"]
            if r["document_id"] is not None
            else translate("reminders.paused.all", language, count=r["documents"])
        )
        held = money(r["held"], language, r["held_currency"])
        rows.append((r["counterparty_id"], r["counterparty_name"] or r["counterparty_id"], document, reason, held))
    return pl.DataFrame(
        rows, schema=["counterparty_id", "counterparty_name", "document", "reason", "held"], orient="row"
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
    with engine.connect() as conn:
        settings = effective_settings(conn, config)
        company = company_name(conn, config)
        inn = read_meta(conn, "company_inn") or ""
        logged_before = send_log.log_state(conn, as_of=as_of, scope=scope, retry_unconfirmed=retry_unconfirmed)
        today, earlier = logged_before.today, logged_before.earlier
        carried_rows = [
            (kind, document_id, r.rule, int(number), r.day)
            for r in earlier
            for kind, document_id, number in json.loads(r.documents or "[]")
        ]
        carried = pl.DataFrame(carried_rows, schema=CARRIED_SCHEMA, orient="row")
        queue = reminder_queue(conn, as_of=as_of, scope=scope, rules=settings.rules, carried=carried)
        debts = whole_debts(conn, as_of=as_of, scope=scope)
        paused = on_hold(conn, as_of=as_of, scope=scope)
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
            debts=debts,
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
                rows=LogRows(
                    counterparty_id,
                    own={rule: _documents_json(rows) for (rule,), rows in mine.group_by("rule", maintain_order=True)},
                    carried=tuple(sorted(set(theirs.select("carried_from", "rule").iter_rows()))),
                ),
                carried_documents=theirs.select("kind", "document_id").unique().height,
                previous=previous,
                documents=_documents_of(pl.concat([mine.drop("previous"), theirs], how="vertical")),
            )
        )
    for counterparty_id, message in skipped.items():
        if counterparty_id in sendable:
            continue  # part already sent today, the rest goes now
        rows = handled.filter(pl.col("counterparty_id") == counterparty_id)
        state = "unconfirmed" if "pending" in rows["previous"].to_list() else "already_sent"
        items.append(_Item(message, state, LogRows(counterparty_id, {}, ()), 0, {}, _documents_of(rows)))
    items.sort(key=lambda item: item.message.counterparty_id)
    still_open = set(later.select("carried_from", "counterparty_id", "rule").iter_rows())
    obsolete = [
        (r.day, r.counterparty_id, r.rule) for r in earlier if (r.day, r.counterparty_id, r.rule) not in still_open
    ]
    documents = queue.select("kind", "document_id").unique().height
    return Plan(as_of, settings, company, items, obsolete, documents, logged_before.unconfirmed_earlier, paused)


def dry_run(plan_: Plan) -> RunReport:
    outcomes = [Outcome(item.message, item.status, carried=item.carried_documents) for item in plan_.items]
    return RunReport(plan_.as_of, False, outcomes, plan_.documents)


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
    send_log.mark_obsolete(engine, day, plan_.obsolete)
    for done, item in enumerate(plan_.items, start=1):
        m = item.message
        if item.status in ("already_sent", "unconfirmed"):
            report.outcomes.append(Outcome(m, item.status))
        elif item.status == "no_address":
            send_log.record_failure(engine, day, item.rows, subject=m.subject, error=NO_ADDRESS, user=user)
            report.outcomes.append(Outcome(m, "no_address", NO_ADDRESS, item.carried_documents))
        else:
            mid = message_id(day, m.counterparty_id, m.rules, smtp.sender)
            recipients = "; ".join(m.to) + (f" (cc {', '.join(m.cc)})" if m.cc else "")
            claimed = send_log.claim(
                engine,
                day,
                item.rows,
                recipients=recipients,
                subject=m.subject,
                message_id=mid,
                user=user,
                retry_unconfirmed=retry_unconfirmed,
            )
            if not claimed:
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
                    send_log.finish(engine, day, item.rows, "failed", text, keep_carried=True)
                    report.outcomes.append(Outcome(m, "failed", text, item.carried_documents, names))
                else:
                    note = f"refused: {', '.join(sorted(refused))}" if refused else ""
                    send_log.finish(engine, day, item.rows, "sent", note, keep_carried=False)
                    report.outcomes.append(Outcome(m, "sent", note, item.carried_documents, names))
        if progress:
            progress(done, len(plan_.items))
    report.seconds = time.perf_counter() - started
    return report
