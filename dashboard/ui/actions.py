"""What the pages change in the warehouse, in the signed-in user's name: load uploaded files, save or reset
the reminder rules, send the day's reminders, write or resolve a note on a counterparty, release a client
from the stop-list or end the release. Each writes its audit row; the pages hold no connection and call
these (reads go through dashboard.ui.loaders)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from dashboard.services import first_pages, notes, releases, reminder_run, settings
from dashboard.services.access import User
from dashboard.services.mailer import SmtpSettings, SmtpTransport
from dashboard.services.reminders import clear_overrides, save_overrides
from dashboard.services.settings import column_maps
from dashboard.services.uploads import save_and_load
from dashboard.ui.auth import record
from dashboard.ui.db import app_config, get_engine
from etl.columns import folded_heading
from etl.load import LoadResult
from queries.scope import Scope
from warehouse.mappings import remember_mapping

_LOG = logging.getLogger(__name__)


def load_files(
    files: Iterable[tuple[str, bytes]], *, user: User, progress: Callable[[str, int, int], None]
) -> LoadResult:
    """Uploaded files (name, content) saved and loaded as one load (dashboard.services.uploads); then the
    first pages' default answers are computed for the new version in the background
    (dashboard.services.first_pages), so the overview after an upload opens at once."""
    result = save_and_load(
        list(files),
        engine=get_engine(),
        company_inn=app_config().company_inn,
        progress=progress,
        user=user.login,
        column_maps=column_maps(app_config()),
    )
    if result.unchanged_since is None:
        threading.Thread(target=_warm_quietly, name="first-pages", daemon=True).start()
    else:
        first_pages.carry_over(get_engine())
    return result


def _warm_quietly() -> None:
    """first_pages.warm for the app: on failure the pages compute their answers themselves, as before."""
    try:
        first_pages.warm(get_engine(), settings.buckets(app_config()))
    except Exception:  # only a head start is lost; the log says why
        _LOG.exception("the first pages' answers were not prepared after the upload")


def save_layout(user: User, entity: str, headings: list[str], columns: list[str]) -> None:
    """The columns a person gave a file's headings (IGNORE, "", for none), remembered for the next file of
    the same layout, with the audit row, in one transaction."""
    folded = [folded_heading(h) for h in headings]
    with get_engine().begin() as conn:
        remember_mapping(conn, entity, headings, folded, dict(zip(folded, columns, strict=True)), user.login)
        record(
            conn,
            user,
            "settings",
            f"columns of {entity}: "
            + ", ".join(f"{h} -> {c or 'ignore'}" for h, c in zip(headings, columns, strict=True)),
        )


def save_reminder_rules(user: User, values: Mapping[str, Any]) -> None:
    """The page's reminder rules and templates, saved with the audit row in one transaction; ValueError
    names what is wrong, and then nothing is saved."""
    with get_engine().begin() as conn:
        save_overrides(conn, values)
        record(conn, user, "settings", "reminder rules and templates")


def reset_reminder_rules(user: User) -> None:
    """Back to the configuration file's rules and templates."""
    with get_engine().begin() as conn:
        clear_overrides(conn)
        record(conn, user, "settings", "reminder rules: back to the file's")


def send_reminders(
    user: User, *, as_of: date, scope: Scope, smtp: SmtpSettings, progress: Callable[[int, int], None]
) -> reminder_run.RunReport:
    """The day's reminders sent over SMTP, planned against the send log as it is now (not a cached plan)."""
    engine, config = get_engine(), app_config()
    fresh = reminder_run.plan(engine, config, as_of=as_of, scope=scope)
    with SmtpTransport(smtp) as transport:
        report = reminder_run.send(
            engine, config, fresh, transport=transport, smtp=smtp, scope=scope, progress=progress, user=user.login
        )
    record(engine, user, "reminders_sent", f"reminders {as_of.isoformat()}", report.count("sent"))
    return report


def add_note(
    user: User,
    *,
    counterparty_id: str,
    kind: str,
    note_date: date,
    document_id: str | None = None,
    amount: int | None = None,
    until: date | None = None,
    text: str = "",
) -> int:
    """A note on the counterparty in the user's name and its audit row, in one transaction
    (dashboard.services.notes.add, as `receivables note`); notes.NoteRefused says why not (a role that may
    not write, a counterparty outside the user's scope, a promise without an amount, ...)."""
    with get_engine().begin() as conn:
        return notes.add(
            conn,
            user,
            source="app",
            counterparty_id=counterparty_id,
            kind=kind,
            note_date=note_date,
            document_id=document_id,
            amount=amount,
            until=until,
            text=text,
        )


def resolve_note(user: User, note_id: int, *, on: date) -> notes.Resolved:
    """A promise withdrawn or a dispute settled from `on`, in the user's name, with its audit row."""
    with get_engine().begin() as conn:
        return notes.resolve(conn, user, source="app", note_id=note_id, on=on)


def release_client(
    user: User, *, counterparty_id: str, reason: str, released_on: date, until: date
) -> releases.Released:
    """Release a stopped client for shipments until a day in the user's name, with its audit row, in one
    transaction (dashboard.services.releases.release); releases.ReleaseRefused says why not."""
    with get_engine().begin() as conn:
        return releases.release(
            conn,
            user,
            source="app",
            counterparty_id=counterparty_id,
            reason=reason,
            released_on=released_on,
            until=until,
        )


def end_release(user: User, release_id: int, *, on: date) -> str:
    """End a release from `on` in the user's name, with its audit row; returns its counterparty."""
    with get_engine().begin() as conn:
        return releases.end(conn, user, source="app", release_id=release_id, on=on)
