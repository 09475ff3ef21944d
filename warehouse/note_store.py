"""Notes' writes: a note of a contact with a client (call, email, note, promise, dispute), and a promise or a
dispute resolved (withdrawn, settled) from a date. Notes are never deleted or rewritten otherwise.

(Named note_store rather than notes: `warehouse.notes` is the table, as every table is re-exported by name.)

Each refusal is a ValueError whose message is one line for a person: `receivables note` prints it as bad
usage. The caller checks who may write on which counterparty (the scope) and writes the audit row in the
same transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, insert, select, update

import warehouse

KINDS = ("call", "email", "note", "promise", "dispute")
RESOLVABLE = ("promise", "dispute")
DEFAULT_CURRENCY = "RUB"


class NoteRefused(ValueError):
    """A note that cannot be written or resolved; the message says why in one line. `code` names the reason
    for a caller that words it in a person's language (the app's form: dashboard.strings.counterparty), and
    `values` what the message quotes."""

    def __init__(self, message: str, code: str = "refused", **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


def add_note(
    conn: Connection,
    *,
    counterparty_id: str,
    kind: str,
    note_date: date,
    author: str,
    document_id: str | None = None,
    amount: int | None = None,
    until: date | None = None,
    text: str = "",
    created_at: datetime | None = None,
) -> int:
    """Write one note and return its id. A promise needs an amount (kopecks) above zero and a last day on or
    after the note's date; a dispute needs a document; a document must be the counterparty's. The currency
    is the document's, else the counterparty's when its contracts share one, else RUB."""
    if kind not in KINDS:
        raise NoteRefused(f"unknown kind of note {kind!r}: one of {', '.join(KINDS)}", "kind", kind=kind)
    c, d = warehouse.counterparties, warehouse.documents
    if conn.execute(select(c.c.counterparty_id).where(c.c.counterparty_id == counterparty_id)).first() is None:
        raise NoteRefused(f"unknown counterparty {counterparty_id!r}", "counterparty", counterparty=counterparty_id)
    if kind == "promise":
        if amount is None or amount <= 0:
            raise NoteRefused("a promise needs an amount above zero", "amount")
        if until is None:
            raise NoteRefused("a promise needs the last day to pay by (until)", "until")
        if until < note_date:
            raise NoteRefused(
                f"a promise's last day {until.isoformat()} is before its date {note_date.isoformat()}",
                "until_before",
                until=until,
                date=note_date,
            )
    elif amount is not None or until is not None:
        raise NoteRefused(f"an amount and a last day go with a promise, not with a {kind}", "not_promise", kind=kind)
    if kind == "dispute" and not document_id:
        raise NoteRefused("a dispute needs the document it disputes", "document")
    currency = None
    if document_id:
        found = conn.execute(
            select(d.c.currency)
            .where(d.c.document_id == document_id, d.c.counterparty_id == counterparty_id)
            .order_by(d.c.side.desc(), d.c.kind)  # a debit's first: what a dispute or a promise is about
            .limit(1)
        ).first()
        if found is None:
            raise NoteRefused(
                f"document {document_id!r} does not belong to counterparty {counterparty_id!r}",
                "foreign_document",
                document=document_id,
            )
        currency = found[0]
    else:
        k = warehouse.contracts
        currencies = conn.execute(
            select(k.c.currency).where(k.c.counterparty_id == counterparty_id).distinct()
        ).scalars()
        found_currencies = sorted(currencies)
        currency = found_currencies[0] if len(found_currencies) == 1 else DEFAULT_CURRENCY
    result = conn.execute(
        insert(warehouse.notes).values(
            counterparty_id=counterparty_id,
            document_id=document_id or None,
            kind=kind,
            note_date=note_date,
            amount=amount,
            until=until,
            currency=currency,
            text=text,
            author=author,
            created_at=created_at or datetime.now().replace(microsecond=0),
        )
    )
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - both dialects give the new id
        raise RuntimeError("the database gave no id for the new note")
    return int(key[0])


def resolve_note(conn: Connection, note_id: int, on: date, by: str) -> str:
    """End a promise (withdrawn) or a dispute (settled) from `on`; returns the note's kind. Refuses an unknown
    note, one already resolved, a note of another kind, and a day before the note's."""
    n = warehouse.notes
    row = conn.execute(select(n.c.kind, n.c.note_date, n.c.resolved_on).where(n.c.note_id == note_id)).first()
    if row is None:
        raise NoteRefused(f"no note {note_id}", "no_note", note=note_id)
    kind, note_date, resolved_on = row
    if kind not in RESOLVABLE:
        raise NoteRefused(f"note {note_id} is a {kind}: only a promise or a dispute is resolved", "not_resolvable")
    if resolved_on is not None:
        raise NoteRefused(f"note {note_id} was already resolved on {resolved_on.isoformat()}", "resolved")
    if on < note_date:
        raise NoteRefused(
            f"note {note_id} is dated {note_date.isoformat()}: it cannot be resolved on {on.isoformat()}",
            "resolve_before",
            date=note_date,
        )
    done = conn.execute(
        update(n).where(n.c.note_id == note_id, n.c.resolved_on.is_(None)).values(resolved_on=on, resolved_by=by)
    )
    if done.rowcount != 1:  # resolved by someone else since the read
        raise NoteRefused(f"note {note_id} was already resolved", "resolved")
    return str(kind)
