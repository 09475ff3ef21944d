"""`receivables note` (contract section 5, «Collections»): a note of a contact with a client, or
`receivables note resolve NOTE_ID`: a dispute ended, a promise withdrawn. Each prints the note's id alone on
its last line and writes an audit row in the same transaction as the note.

Whoever runs it (--as-user, else the operator) is the author; a manager writes only on their own
counterparties (another's is reported as unknown). The rules and the audit row are the app's too:
dashboard.services.notes. A refusal (unknown counterparty, a document of another,
a promise without an amount, ...) is bad usage: exit 2 with one line saying why.
"""

from __future__ import annotations

import argparse

from cli.common import UsageError, caller, engine_of

_ADD_ONLY = ("counterparty", "kind", "document", "amount", "until")


def cmd_note(args: argparse.Namespace) -> int:
    words = list(args.words)
    if words and words[0] == "resolve":
        if len(words) != 2 or not words[1].isdigit():
            raise UsageError("usage: receivables note resolve NOTE_ID [--date D]")
        given = [f"--{name}" for name in _ADD_ONLY if getattr(args, name) is not None]
        if given or args.text:
            raise UsageError(f"note resolve takes a NOTE_ID and --date only, not {', '.join(given) or '--text'}")
        return _resolve(args, int(words[1]))
    if words:
        raise UsageError(
            f"unknown note command {words[0]!r}: `note --counterparty ID --kind KIND` or `note resolve ID`"
        )
    if not args.counterparty or not args.kind:
        raise UsageError("a note needs --counterparty ID and --kind call|email|note|promise|dispute")
    return _add(args)


def _amount(text: str | None) -> int | None:
    from dashboard.services.notes import NoteRefused, parse_amount

    if text is None:
        return None
    try:
        return parse_amount(text)
    except NoteRefused as error:
        raise UsageError(f"--amount: {error}") from None


def _add(args: argparse.Namespace) -> int:
    from dashboard.services import notes
    from domain.money import format_money

    amount = _amount(args.amount)
    config, engine = engine_of(args)
    user = caller(args, config)
    try:
        with engine.begin() as conn:
            note_id = notes.add(
                conn,
                user,
                source="cli",
                counterparty_id=args.counterparty,
                kind=args.kind,
                note_date=args.date,
                document_id=args.document,
                amount=amount,
                until=args.until,
                text=args.text,
            )
    except notes.NoteRefused as refused:
        raise UsageError(str(refused)) from None
    finally:
        engine.dispose()
    about = f" on {args.document}" if args.document else ""
    said = f"{args.kind} {args.counterparty}{about}, {args.date.isoformat()}, by {user.login}"
    if amount is not None:
        said += f": {format_money(amount)} until {args.until.isoformat()}"
    print(f"note recorded: {said}")
    print(note_id)
    return 0


def _resolve(args: argparse.Namespace, note_id: int) -> int:
    from dashboard.services import notes

    config, engine = engine_of(args)
    user = caller(args, config)
    try:
        with engine.begin() as conn:
            resolved = notes.resolve(conn, user, source="cli", note_id=note_id, on=args.date)
    except notes.NoteRefused as refused:
        raise UsageError(str(refused)) from None
    finally:
        engine.dispose()
    kind, counterparty = resolved.kind, resolved.counterparty_id
    ended = "withdrawn" if kind == "promise" else "resolved"
    print(f"note {note_id} ({kind} of {counterparty}) {ended} on {args.date.isoformat()} by {user.login}")
    print(note_id)
    return 0
