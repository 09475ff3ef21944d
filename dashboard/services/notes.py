"""Notes of contacts with clients written in a user's name: the one path `receivables note` (cli/note.py) and
the card's form (dashboard.ui.actions) share, so both apply the same rules.

- Who: a role that may write notes (`User.may_note`), on a counterparty its scope sees; another manager's
  counterparty (or note) is refused as unknown, as the CLI always did.
- What: the note's own rules (a promise's amount and last day, a dispute's document, the currency) are
  warehouse.note_store's; each refusal is a `NoteRefused` with a one-line English message and a `code`
  the app words in the user's language.
- The audit row (`note`, `note_resolved`) is written on the caller's connection, in the note's transaction.

`timeline` is the card's read: a counterparty's notes with each promise's status and each dispute's state as
of a date, codes and numbers only (the page words them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection

from dashboard.services.access import User, record_action
from domain.money import parse_money
from queries.collections import (
    counterparty_in_scope,
    disputes_open,
    note_counterparty,
    note_documents,
    notes_of,
    promise_status,
)
from queries.scope import Scope
from warehouse import note_store
from warehouse.note_store import KINDS, RESOLVABLE, NoteRefused

__all__ = ["KINDS", "RESOLVABLE", "NoteRefused", "Resolved", "add", "parse_amount", "resolve", "timeline"]

# The timeline's `status`: a promise's as of the date (queries.collections.PROMISE_STATUSES), a dispute's
# open or resolved, and `later` for either dated after the date (it does not count yet).
STATUSES = ("open", "kept", "broken", "withdrawn", "resolved", "later")


@dataclass(frozen=True)
class Resolved:
    note_id: int
    kind: str  # promise (withdrawn) or dispute (settled)
    counterparty_id: str


def parse_amount(text: str) -> int:
    """A promise's amount as a person types it ("1 234,56", "1234.56") in kopecks, exactly (domain.money)."""
    try:
        return parse_money(text.strip())
    except ValueError as error:
        raise NoteRefused(str(error), "amount_text", text=text) from None


def _refuse_writer(user: User) -> None:
    if not user.may_note:
        raise NoteRefused(f"{user.login} ({user.role}) may not write notes", "not_allowed")


def add(
    conn: Connection,
    user: User,
    *,
    source: str,
    counterparty_id: str,
    kind: str,
    note_date: date,
    document_id: str | None = None,
    amount: int | None = None,
    until: date | None = None,
    text: str = "",
) -> int:
    """Write the note in `user`'s name (the author is their login) and its audit row; returns its id."""
    _refuse_writer(user)
    if not counterparty_in_scope(conn, counterparty_id, scope=user.scope):
        raise NoteRefused(f"unknown counterparty {counterparty_id!r}", "counterparty", counterparty=counterparty_id)
    note_id = note_store.add_note(
        conn,
        counterparty_id=counterparty_id,
        kind=kind,
        note_date=note_date,
        author=user.login,
        document_id=document_id or None,
        amount=amount,
        until=until,
        text=text,
    )
    about = f" on {document_id}" if document_id else ""
    subject = f"note {note_id}: {kind} {counterparty_id}{about}"
    record_action(conn, user, source=source, action="note", subject=subject, detail=text)
    return note_id


def resolve(conn: Connection, user: User, *, source: str, note_id: int, on: date) -> Resolved:
    """End a promise (withdrawn) or a dispute (settled) from `on`, in `user`'s name, with its audit row."""
    _refuse_writer(user)
    counterparty_id = note_counterparty(conn, note_id, scope=user.scope)
    if counterparty_id is None:
        raise NoteRefused(f"no note {note_id}", "no_note", note=note_id)
    kind = note_store.resolve_note(conn, note_id, on, user.login)
    subject = f"note {note_id}: {kind} {counterparty_id}"
    record_action(conn, user, source=source, action="note_resolved", subject=subject, detail=on.isoformat())
    return Resolved(note_id, kind, counterparty_id)


def timeline(conn: Connection, *, counterparty_id: str, as_of: date, scope: Scope) -> pl.DataFrame:
    """The counterparty's notes in the scope, newest first (queries.collections.notes_of), with:
    status (STATUSES; empty for a call, an e-mail or a note), paid and missing (a promise's, as of as_of),
    open_amount (a dispute's document still open as of as_of, 0 when paid; empty when not open),
    document_number and document_date (the named document's, as people know it)."""
    scope = scope.narrowed(counterparty_ids=(counterparty_id,))
    notes = notes_of(conn, scope=scope, counterparty_id=counterparty_id)
    promises = promise_status(conn, as_of=as_of, scope=scope).select(
        "note_id", pl.col("status").alias("promise_status"), "paid", "missing"
    )
    disputes = disputes_open(conn, as_of=as_of, scope=scope).select("note_id", "open_amount")
    named = [str(v) for v in notes["document_id"].drop_nulls().unique().to_list()]
    documents = note_documents(conn, counterparty_id=counterparty_id, document_ids=named).rename(
        {"number": "document_number", "doc_date": "document_date"}
    )
    kind, later = pl.col("kind"), pl.col("note_date") > as_of
    status = (
        pl.when(kind.is_in(RESOLVABLE) & later)
        .then(pl.lit("later"))
        .when(kind == "promise")
        .then(pl.col("promise_status"))
        .when((kind == "dispute") & pl.col("open_amount").is_not_null())
        .then(pl.lit("open"))
        .when(kind == "dispute")
        .then(pl.lit("resolved"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    return (
        notes.join(promises, on="note_id", how="left")
        .join(disputes, on="note_id", how="left")
        .join(documents, on="document_id", how="left")
        .with_columns(status.alias("status"))
        .drop("promise_status")
        .sort(["note_date", "note_id"], descending=True)
    )
