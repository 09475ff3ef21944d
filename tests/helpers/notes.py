"""Notes and payments added to a loaded warehouse, for the collections' tests (promises, disputes, the
worklist): a note written as `receivables note` writes it, payments as a small CSV load of their own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from etl.load import load_paths
from tests.helpers.ledgers import write_files
from warehouse.note_store import add_note, resolve_note

AUTHOR = "control@firm.ru"


def note(engine: Engine, kind: str, counterparty_id: str, on: date, **given: object) -> int:
    """A note of `kind` dated `on` (document_id, amount in kopecks, until, text given by name); its id."""
    with engine.begin() as conn:
        return add_note(
            conn,
            counterparty_id=counterparty_id,
            kind=kind,
            note_date=on,
            author=AUTHOR,
            **given,  # type: ignore[arg-type]
        )


def resolve(engine: Engine, note_id: int, on: date) -> None:
    with engine.begin() as conn:
        resolve_note(conn, note_id, on, AUTHOR)


def pay(engine: Engine, folder: Path, *rows: str) -> None:
    """Load more payments (document_id,date,amount,contract_id,counterparty_id rows) from a file of their own."""
    header = "document_id,date,amount,contract_id,counterparty_id"
    load_paths(engine, [write_files(folder, {"payments_more.csv": "\n".join([header, *rows])})])
