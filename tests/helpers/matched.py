"""A warehouse's matches and documents' dates by document keys, comparable across warehouses (primary keys
differ between a warehouse loaded at once and one loaded in parts)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, text

Rows = list[tuple[object, ...]]


def matched_state(engine: Engine, match_columns: str) -> tuple[Rows, Rows]:
    """(matches as `match_columns` of `matches m`, its debit `a` and credit `b` documents; every document's
    kind, id, due, settled and first match dates), each sorted, dates as ISO text."""
    with engine.connect() as conn:
        matches = conn.execute(
            text(
                f"SELECT {match_columns} FROM matches m "
                "JOIN documents a ON a.doc_pk = m.debit_pk JOIN documents b ON b.doc_pk = m.credit_pk"
            )
        ).all()
        documents = conn.execute(
            text("SELECT kind, document_id, due_date, settled_date, first_match_date FROM documents")
        ).all()
    return sorted(iso(r) for r in matches), sorted(iso(r) for r in documents)


def iso(row: object) -> tuple[object, ...]:
    """Dates as ISO text: SQLite gives text SQL's dates as strings, PostgreSQL as dates."""
    return tuple(v.isoformat() if isinstance(v, date) else v for v in row)  # type: ignore[attr-defined]
