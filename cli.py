"""The `receivables` command line (contract section 4).

Exit status: 0 done, 1 failed (a one-line reason on stderr; the traceback only with --debug),
2 bad usage, 3 `load --strict` with rejects.
"""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_STRICT = 3


class UsageError(Exception):
    """Bad usage detected after parsing (exit 2)."""


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (expected YYYY-MM-DD)") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="warehouse URL (overrides RECEIVABLES_DB_URL and the config)")
    parser.add_argument("--config", metavar="FILE", help="TOML configuration (default ./receivables.toml)")
    parser.add_argument("--debug", action="store_true", help="show the traceback on failure")


def _as_user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-user",
        metavar="LOGIN",
        help="run as this user of [auth.users]: a manager's export holds only their counterparties",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="receivables", description="Accounts receivable analytics.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    load = commands.add_parser("load", help="load source files and folders into the warehouse")
    load.add_argument("paths", nargs="+", metavar="PATH")
    load.add_argument("--strict", action="store_true", help="exit 3 when any row or file was rejected")
    _common(load)

    demo = commands.add_parser("demo", help="write a realistic demo source folder and load it")
    demo.add_argument("--scale", type=int, default=50_000, help="number of shipments (default 50000)")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--end", type=_iso_date, help="last day of the demo data (default today)")
    demo.add_argument("--out", default="demo_source", help="folder for the source files (default ./demo_source)")
    demo.add_argument("--if-empty", action="store_true", help="do nothing when the warehouse already has data")
    _common(demo)

    export = commands.add_parser("export", help="export a report as CSV or XLSX")
    reports = export.add_subparsers(dest="report", metavar="REPORT", required=True)
    today = date.today()
    aging = reports.add_parser("aging", help="aging by contract or counterparty as of a date")
    aging.add_argument("--as-of", type=_iso_date, default=today, help="default: today")
    aging.add_argument("--by", choices=("contract", "counterparty"), default="contract")
    act = reports.add_parser(
        "act",
        help="the reconciliation act of a counterparty (.csv, .xlsx, .pdf), or of many as one .zip (--all)",
    )
    which = act.add_mutually_exclusive_group(required=True)
    which.add_argument("--counterparty", metavar="ID")
    which.add_argument("--all", action="store_true", help="every counterparty with a balance or movements: a .zip")
    act.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="D")
    act.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="D")
    act.add_argument("--contract", metavar="ID")
    act.add_argument("--currency", default="RUB", help="for an act over all contracts (default RUB)")
    act.add_argument("--with-balance", action="store_true", help="--all: only acts with a closing balance")
    act.add_argument("--manager", help="--all: only this manager's counterparties")
    act.add_argument("--group", help="--all: only this group's counterparties")
    act.add_argument("--per-contract", action="store_true", help="--all: one act per contract")
    act.add_argument("--format", choices=("pdf", "xlsx"), default="pdf", help="--all: the acts in the .zip")
    act.add_argument("--signer", metavar="NAME", help="our signer (default: [act] signer in the config)")
    act.add_argument("--signer-position", metavar="TEXT", help="our signer's position ([act] signer_position)")
    exceptions = reports.add_parser("exceptions", help="what a credit controller works through today")
    exceptions.add_argument("--as-of", type=_iso_date, default=today, help="default: today")
    stoplist = reports.add_parser("stoplist", help="who to stop shipping to, and the payment that lifts the stop")
    stoplist.add_argument("--as-of", type=_iso_date, default=today, help="default: today")
    calendar = reports.add_parser("calendar", help="open amounts by due day")
    calendar.add_argument("--as-of", type=_iso_date, default=today, help="default: today")
    calendar.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="D1")
    calendar.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="D2")
    trend = reports.add_parser("trend", help="balance, not due and overdue at each period end")
    trend.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="D1")
    trend.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="D2")
    trend.add_argument("--freq", choices=("day", "week", "month"), default="day")
    rejects = reports.add_parser("rejects", help="the rejects list")
    for report in (aging, act, exceptions, stoplist, calendar, trend, rejects):
        report.add_argument("-o", "--output", required=True, metavar="FILE", help=".csv or .xlsx (act: also .pdf)")
        _as_user(report)
        _common(report)

    remind = commands.add_parser(
        "remind", help="the payment reminders of a day: what would be sent (the default), or --send them"
    )
    remind.add_argument("--as-of", type=_iso_date, default=today, help="default: today")
    remind.add_argument("--send", action="store_true", help="send over SMTP ([smtp] of the config), exactly once")
    remind.add_argument(
        "--retry-unconfirmed",
        action="store_true",
        help="also resend reminders a killed run left unconfirmed (they may have gone out already)",
    )
    remind.add_argument("--language", choices=("ru", "en"), help="the messages' language (default: the settings')")
    remind.add_argument("--full", action="store_true", help="print every message in full")
    _as_user(remind)
    _common(remind)

    serve = commands.add_parser("serve", help="start the dashboard")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--headless", action="store_true", help="do not open a browser")
    _common(serve)
    return parser


def _caller(args: argparse.Namespace, config: Any) -> Any:
    """Who runs the command: --as-user's [auth.users] entry, else the operator (the OS user), who has the
    warehouse URL and so sees everything."""
    from dashboard.services.access import User, auth_settings

    if getattr(args, "as_user", None):
        user = auth_settings(config).user(args.as_user)
        if user is None:
            raise UsageError(f"--as-user {args.as_user}: no such user in [auth.users] of the configuration")
        return user
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "operator"
    return User(login=login, role="cfo", name=f"{login} (CLI)")


def _audit(engine: Any, user: Any, action: str, subject: str, detail: str = "", rows: int | None = None) -> None:
    from warehouse import audit

    audit.record(
        engine, user=user.login, role=user.role, source="cli", action=action, subject=subject, detail=detail, rows=rows
    )


def _engine(args: argparse.Namespace) -> tuple[Any, Any]:
    from dashboard.services.settings import load_config
    from warehouse.connect import open_warehouse

    config = load_config(args.config, args.db)
    return config, open_warehouse(config.db_url)


def _secrets(args: argparse.Namespace) -> list[str]:
    """The passwords this run may know (database URLs, SMTP): never printed, whatever fails."""
    from dashboard.services.settings import load_config
    from warehouse.connect import url_secrets

    urls = [getattr(args, "db", None) or "", os.environ.get("RECEIVABLES_DB_URL", "")]
    passwords = [os.environ.get("RECEIVABLES_SMTP_PASSWORD", "")]
    try:
        config = load_config(getattr(args, "config", None))
    except Exception:  # the configuration itself is what failed: its message names no secret of it
        config = None
    if config is not None:
        urls.append(str(config.section("database").get("url", "")))
        passwords.append(str(config.section("smtp").get("password", "")))
    return [secret for url in urls for secret in url_secrets(url)] + [p for p in passwords if p]


def _progress_printer() -> Any:
    if not sys.stderr.isatty():
        return None
    last: dict[str, Any] = {"stage": None}

    def show(stage: str, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        bar = "#" * (percent // 5)
        sys.stderr.write(f"\r{stage:<24} [{bar:<20}] {percent:3d}%")
        if stage != last["stage"]:
            last["stage"] = stage
        sys.stderr.flush()

    return show


def print_load_summary(result: Any, out: Any = None) -> None:
    from domain.entities import BANK_PAYMENTS, LOAD_ORDER

    out = out or sys.stdout
    header = f"{'entity':<18}{'read':>10}{'new':>10}{'updated':>10}{'unchanged':>10}{'deleted':>10}{'rejected':>10}"
    print(header, file=out)
    for entity in (*LOAD_ORDER, BANK_PAYMENTS):
        counts = result.counts.get(entity)
        if counts is None:
            continue
        print(
            f"{entity:<18}{counts.read:>10}{counts.new:>10}{counts.updated:>10}{counts.unchanged:>10}"
            f"{counts.deleted:>10}{counts.rejected:>10}",
            file=out,
        )
    if result.bank_sent or result.bank_unidentified:
        print(
            f"bank statements: {result.bank_sent} documents sent by the company skipped, "
            f"{result.bank_unidentified} payments from unknown payers kept as unidentified",
            file=out,
        )
    if result.retried:
        print(f"retried from earlier rejects: {result.retried}, loaded now: {result.retried_loaded}", file=out)
    for skipped in result.skipped:
        print(f"skipped: {skipped.path}: {skipped.message}", file=out)
    for refused in result.refused:
        print(f"refused: {refused.path}: {refused.message}", file=out)
    if result.unchanged_since is not None:
        print(
            f"load {result.load_id}: {len(result.files)} files in {result.seconds:.1f} s; "
            f"none changed since load {result.unchanged_since}, nothing to do",
            file=out,
        )
        return
    print(
        f"load {result.load_id}: {len(result.files)} files in {result.seconds:.1f} s; "
        f"{result.rematched_counterparties} counterparties rematched, {result.matches_written} matches",
        file=out,
    )


def cmd_load(args: argparse.Namespace) -> int:
    from etl.load import load_paths

    config, engine = _engine(args)
    try:
        result = load_paths(
            engine,
            args.paths,
            company_inn=config.company_inn,
            command="load " + " ".join(args.paths),
            progress=_progress_printer(),
            kill_after=os.environ.get("RECEIVABLES_TEST_KILL"),
        )
    finally:
        engine.dispose()
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print_load_summary(result)
    if args.strict and (result.rejected_rows or result.refused):
        return EXIT_STRICT
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    import warehouse
    from etl.demo import write_demo_source
    from etl.load import load_paths

    if args.scale < 1:
        raise UsageError("--scale must be a positive number of shipments")
    config, engine = _engine(args)
    try:
        if args.if_empty:
            with engine.connect() as conn:
                documents = conn.execute(select(func.count()).select_from(warehouse.documents)).scalar()
            if documents:
                print(f"the warehouse already holds {documents} documents; demo data not loaded")
                return 0
        summary = write_demo_source(Path(args.out), scale=args.scale, seed=args.seed, end=args.end)
        print(f"demo source written to {summary.folder} ({len(summary.files)} files) for {summary.company_name}")
        result = load_paths(
            engine,
            [summary.folder],
            company_inn=config.company_inn or summary.company_inn,
            company_name=config.company_name or summary.company_name,
            command=f"demo --scale {args.scale} --seed {args.seed}",
            progress=_progress_printer(),
        )
    finally:
        engine.dispose()
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print_load_summary(result)
    return 0


def _act_signer(args: argparse.Namespace, config: Any) -> Any:
    from dashboard.services.act_document import Signer
    from dashboard.services.acts import company_signer

    configured = company_signer(config)
    return Signer(
        position=configured.position if args.signer_position is None else args.signer_position,
        name=configured.name if args.signer is None else args.signer,
    )


def cmd_export_act(args: argparse.Namespace, output: Path) -> int:
    """The act as a document (.xlsx, .pdf) or a batch of them (.zip); .csv goes the plain report way."""
    from dashboard.services.acts import acts_zip, render_act

    suffix = output.suffix.lower()
    if args.all and suffix != ".zip":
        raise UsageError(f"export act --all writes a .zip of acts, not {output.name}")
    batch_only = [
        f"--{n.replace('_', '-')}" for n in ("with_balance", "manager", "group", "per_contract") if getattr(args, n)
    ]
    if args.all and args.contract:
        raise UsageError("--contract names one act; with --all use --per-contract for an act per contract")
    if not args.all and batch_only:
        raise UsageError(f"{', '.join(batch_only)} choose acts for --all; one act is chosen by --counterparty")
    if not args.all and suffix == ".zip":
        raise UsageError("a .zip holds many acts: use --all (with --manager, --group, --with-balance to choose)")
    if args.date_from > args.date_to:
        raise UsageError(f"the period starts after it ends: --from {args.date_from} > --to {args.date_to}")
    config, engine = _engine(args)
    signer = _act_signer(args, config)
    user = _caller(args, config)
    try:
        with engine.connect() as conn:
            if args.all:
                scope = user.scope.narrowed(
                    managers=(args.manager,) if args.manager else None,
                    groups=(args.group,) if args.group else None,
                )
                batch = acts_zip(
                    conn,
                    config,
                    date_from=args.date_from,
                    date_to=args.date_to,
                    scope=scope,
                    fmt=args.format,
                    per_contract=args.per_contract,
                    with_balance=args.with_balance,
                    signer=signer,
                )
                data, summary = batch.data, f"act: {len(batch.entries)} acts written to {args.output}"
            else:
                data = render_act(
                    conn,
                    config,
                    counterparty_id=args.counterparty,
                    date_from=args.date_from,
                    date_to=args.date_to,
                    contract_id=args.contract,
                    currency=args.currency,
                    fmt=suffix.lstrip("."),
                    signer=signer,
                    scope=user.scope,
                )
                summary = f"act: the reconciliation act written to {args.output}"
        which = "all" if args.all else args.counterparty + (f" {args.contract}" if args.contract else "")
        _audit(engine, user, "export", f"act {which} {args.date_from}..{args.date_to}", output.name)
    finally:
        engine.dispose()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    print(summary)
    return 0


def _export_subject(args: argparse.Namespace) -> str:
    """The report and what chose its rows, as the audit log shows it."""
    named = ("as_of", "by", "counterparty", "contract", "date_from", "date_to", "freq")
    given = [f"{name}={getattr(args, name)}" for name in named if getattr(args, name, None)]
    return " ".join([args.report, *given])


def cmd_export(args: argparse.Namespace) -> int:
    from dashboard.services import settings
    from dashboard.services.exports import ExportError, write_table
    from dashboard.services.reports import build_report

    output = Path(args.output)
    suffix = output.suffix.lower()
    if args.report == "act" and (args.all or suffix in (".xlsx", ".pdf", ".zip")):
        return cmd_export_act(args, output)
    if suffix not in (".csv", ".xlsx"):
        allowed = ".csv, .xlsx, .pdf or .zip (with --all)" if args.report == "act" else ".csv or .xlsx"
        raise ExportError(f"cannot write {output.name}: the file name must end with {allowed}")
    config, engine = _engine(args)
    user = _caller(args, config)
    try:
        with engine.connect() as conn:
            report = build_report(
                conn,
                args.report,
                vars(args),
                scope=user.scope,
                buckets=settings.buckets(config),
                rules=settings.exception_rules(config),
                stop_rules=settings.stop_rules(config),
            )
        _audit(engine, user, "export", _export_subject(args), output.name, report.frame.height)
    finally:
        engine.dispose()
    write_table(report.frame, output, sheet=args.report, money=report.money, title=report.title)
    print(f"{args.report}: {report.frame.height} rows written to {args.output}")
    return 0


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


def cmd_remind(args: argparse.Namespace) -> int:
    """A day's reminders: one message per counterparty; a dry run unless --send (dashboard.services.reminder_run)."""
    from dashboard.services import reminder_run
    from dashboard.services.mailer import SmtpTransport, smtp_settings
    from domain.money import format_money

    if args.retry_unconfirmed and not args.send:
        raise UsageError("--retry-unconfirmed goes with --send")
    config, engine = _engine(args)
    user = _caller(args, config)
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
        if args.send:
            smtp = smtp_settings(config, planned.company)
            with SmtpTransport(smtp) as transport:
                report = reminder_run.send(
                    engine, config, planned, transport=transport, smtp=smtp, retry_unconfirmed=args.retry_unconfirmed
                )
            _audit(engine, user, "reminders_sent", f"remind --as-of {args.as_of}", rows=report.count("sent"))
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


def cmd_serve(args: argparse.Namespace) -> int:
    config, engine = _engine(args)
    engine.dispose()
    env = dict(os.environ, RECEIVABLES_DB_URL=config.db_url)
    if config.source is not None:
        env["RECEIVABLES_CONFIG"] = str(config.source.resolve())
    app = Path(__file__).resolve().parent / "streamlit_app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port)]
    command += ["--client.showErrorDetails", "none"]  # one line for the user, the traceback in the log
    if args.headless:
        command += ["--server.headless", "true"]
    return subprocess.call(command, env=env)


COMMANDS = {"load": cmd_load, "demo": cmd_demo, "export": cmd_export, "remind": cmd_remind, "serve": cmd_serve}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"receivables: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("receivables: interrupted; nothing of the unfinished load was written", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        from warehouse.connect import redact

        if args.debug:  # the traceback, with the passwords taken out like everywhere else
            print(redact(traceback.format_exc(), _secrets(args)), end="", file=sys.stderr)
            return EXIT_FAILED
        message = redact(" ".join(str(exc).split()), _secrets(args))[:400] or type(exc).__name__
        print(f"receivables: {message}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
