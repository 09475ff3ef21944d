"""`receivables remind`: the day's payment reminders, printed (a dry run) or sent."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from cli.common import EXIT_FAILED, UsageError, audit, caller, engine_of

REMIND_STATUS = {
    "would_send": "would send",
    "retry": "would retry",
    "sent": "sent",
    "failed": "FAILED",
    "no_address": "NO E-MAIL",
    "already_sent": "already sent",
    "unconfirmed": "UNCONFIRMED",
    "taken": "taken by another run",
}


def _write_table(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    """`-o FILE.csv`: the day's reminders, a row per document (the contract's columns)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["counterparty_id", "to", "document_id", "rule"])
        writer.writerows(rows)


def cmd_remind(args: argparse.Namespace) -> int:
    """A day's reminders: one message per counterparty; a dry run unless --send (dashboard.services.reminder_run)."""
    from dashboard.services import reminder_run
    from dashboard.services.bank_hold import bank_check
    from dashboard.services.mailer import SmtpTransport, smtp_settings
    from domain.money import format_money

    if args.retry_unconfirmed and not args.send:
        raise UsageError("--retry-unconfirmed goes with --send")
    config, engine = engine_of(args)
    user = caller(args, config)
    if args.send and not user.may_load:
        raise UsageError(f"--as-user {user.login}: a manager cannot send reminders (the finance team does)")
    try:
        planned = reminder_run.plan(
            engine,
            config,
            as_of=args.as_of,
            scope=user.scope,
            language=args.language,
            retry_unconfirmed=args.retry_unconfirmed,
        )
        if args.output is not None:
            _write_table(args.output, reminder_run.plan_table(planned))
        if args.send:
            smtp = smtp_settings(config, planned.company)
            with engine.connect() as conn:
                check = bank_check(conn, as_of=args.as_of, fresh_days=planned.settings.bank_fresh_days)
            if check.holds:
                print(f"receivables: {check.describe('en')}", file=sys.stderr)
                return EXIT_FAILED
            with SmtpTransport(smtp) as transport:
                report = reminder_run.send(
                    engine, config, planned, transport=transport, smtp=smtp, retry_unconfirmed=args.retry_unconfirmed
                )
            audit(engine, user, "reminders_sent", f"remind --as-of {args.as_of}", rows=report.count("sent"))
        else:
            report = reminder_run.dry_run(planned)
    finally:
        engine.dispose()
    mode = f"sent via {smtp.describe()}" if args.send else "dry run"
    print(f"{args.as_of}: {len(report.outcomes)} messages, {report.documents} documents ({mode})")
    for outcome in report.outcomes:
        message = outcome.message
        to = ", ".join(message.to) or "-"
        cc = f" cc {', '.join(message.cc)}" if message.cc else ""
        totals = ", ".join(f"{format_money(kopecks)} {currency}" for currency, kopecks in message.totals)
        rules = "+".join(message.rules)
        status = REMIND_STATUS[outcome.status] + (f": {outcome.error}" if outcome.error else "")
        print(f"{message.counterparty_id}\t{to}{cc}\t{message.documents} documents\t{totals}\t{rules}\t{status}")
        if args.full:
            attached = "".join(f"\nAttached: {name}" for name in outcome.attachments)
            print(f"Subject: {message.subject}{attached}\n\n{message.body}\n")
    paused = reminder_run.paused_table(planned, args.language or planned.settings.language)
    if paused.height:  # what promises and disputes hold back today, as the page's «На паузе» lists it
        print(f"on hold: {paused.height} (an open promise or dispute; no reminder goes for it)")
        for held in paused.iter_rows(named=True):
            print(f"{held['counterparty_id']}\ton hold\t{held['document']}\t{held['reason']}\t{held['held']}")
    if planned.unconfirmed_earlier:
        print(
            f"{planned.unconfirmed_earlier} reminders of earlier days are unconfirmed (a run was killed while "
            "sending them): check the mailbox, then --send --retry-unconfirmed to resend",
            file=sys.stderr,
        )
    failed = report.count("failed", "no_address")
    if args.send:
        print(
            f"sent {report.count('sent')}, failed {failed}, already sent {report.count('already_sent')}, "
            f"unconfirmed {report.count('unconfirmed')} in {report.seconds:.1f} s"
        )
    if args.send and failed:
        print(f"receivables: {failed} reminders failed; the next run retries them", file=sys.stderr)
        return EXIT_FAILED
    return 0
