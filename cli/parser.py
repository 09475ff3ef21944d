"""The `receivables` command line's grammar: commands, options and their help (contract section 4)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


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
    act.add_argument(
        "--currency",
        default=None,
        help="for an act over all contracts (default: the counterparty's currency when its contracts share one)",
    )
    act.add_argument("--with-balance", action="store_true", help="--all: only acts with a closing balance")
    act.add_argument("--manager", help="--all: only this manager's counterparties")
    act.add_argument("--group", help="--all: only this group's counterparties")
    act.add_argument("--per-contract", action="store_true", help="--all: one act per contract")
    act.add_argument("--format", choices=("pdf", "xlsx"), default="pdf", help="--all: the acts in the .zip")
    act.add_argument("--signer", metavar="NAME", help="our signer (default: [act] signer in the config)")
    act.add_argument("--signer-position", metavar="TEXT", help="our signer's position ([act] signer_position)")
    exceptions = reports.add_parser("exceptions", help="what a credit controller works through today")
    exceptions.add_argument("--as-of", type=_iso_date, default=today, help="default: today")
    worklist = reports.add_parser("worklist", help="who to contact that day, most urgent first")
    worklist.add_argument("--as-of", type=_iso_date, default=today, help="default: today")
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
    forecast = reports.add_parser(
        "forecast", help="the cash-in expected from the debits open on --as-of, per period to --to (or per document)"
    )
    forecast.add_argument("--as-of", type=_iso_date, default=today, help="default: today")
    forecast.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="D2")
    forecast.add_argument(
        "--freq", choices=("day", "week", "month"), default="day", help="weeks: 7 days each from the day after --as-of"
    )
    forecast.add_argument("--by", choices=("document",), help="a row per open debit with its expected payment date")
    for report in (aging, act, exceptions, worklist, stoplist, calendar, trend, rejects, forecast):
        report.add_argument("-o", "--output", required=True, metavar="FILE", help=".csv or .xlsx (act: also .pdf)")
        report.add_argument(
            "--language", choices=("ru", "en"), default="ru", help="the XLSX's headers (the CSV keeps the contract's)"
        )
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
    remind.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="also write the day's reminders as CSV: a row per document"
    )
    _as_user(remind)
    _common(remind)

    note = commands.add_parser(
        "note",
        help="record a note of a contact with a client (call, e-mail, note, promise, dispute), or `note resolve ID`",
        description="`receivables note --counterparty ID --kind KIND ...` records a note and prints its id on the "
        "last line; `receivables note resolve NOTE_ID [--date D]` ends a dispute or withdraws a promise from D.",
    )
    note.add_argument("words", nargs="*", metavar="resolve NOTE_ID", help="resolve a promise or a dispute")
    note.add_argument("--counterparty", metavar="ID")
    note.add_argument("--kind", choices=("call", "email", "note", "promise", "dispute"))
    note.add_argument("--document", metavar="ID", help="the document it is about (a dispute needs one)")
    note.add_argument("--amount", metavar="X", help="a promise's amount: 1234.56 or 1 234,56")
    note.add_argument("--until", type=_iso_date, metavar="D", help="a promise's last day to pay")
    note.add_argument("--date", type=_iso_date, default=today, metavar="D", help="the note's (or resolution's) date")
    note.add_argument("--text", default="", metavar="T")
    _as_user(note)
    _common(note)

    reconcile = commands.add_parser(
        "reconcile",
        help="compare the act a counterparty sent back (XLSX or CSV) with our books: a table of differences",
    )
    reconcile.add_argument("their_act", metavar="THEIR_ACT", help="their act as their 1C prints it (.xlsx or .csv)")
    reconcile.add_argument("--counterparty", required=True, metavar="ID")
    reconcile.add_argument("--from", dest="date_from", type=_iso_date, required=True, metavar="D")
    reconcile.add_argument("--to", dest="date_to", type=_iso_date, required=True, metavar="D")
    reconcile.add_argument("--contract", metavar="ID")
    reconcile.add_argument("--currency", help="the act's currency (default: the counterparty's when it has one)")
    reconcile.add_argument("-o", "--output", required=True, metavar="FILE", help=".csv (the table) or .xlsx")
    reconcile.add_argument("--language", choices=("ru", "en"), default="ru", help="the XLSX's words")
    _as_user(reconcile)
    _common(reconcile)

    upgrade = commands.add_parser(
        "upgrade", help="bring the warehouse's schema to this version's in place (load and serve do it by themselves)"
    )
    _common(upgrade)

    serve = commands.add_parser("serve", help="start the dashboard")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--headless", action="store_true", help="do not open a browser")
    _common(serve)
    return parser
