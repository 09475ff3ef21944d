"""Reconciliation acts clients sent back, stored in a user's name (issue 18): the one path the act page takes
(dashboard.ui.reconcile), so every caller applies the same rules.

- Who may store a copy: a client for its own counterparty (its portal: what it uploads is kept, so our
  controller sees it), and our staff (the CFO, a controller, a manager) for a counterparty their scope sees
  (the copy a client e-mailed). Anyone else, or a counterparty outside the scope, is refused as unknown.
- What: a file of at most MAX_BYTES; the same file for the same counterparty, contract and period as the
  newest stored one is not stored twice (a rerun, a second click): its id is returned.
- The audit row (`their_act`: the copy's id, counterparty, period and file) is written on the caller's
  connection, in the copy's transaction.
- Reads (`copies`, `latest`, `copy_file`) answer only within the scope given.
- `reconcile_file`: an uploaded or stored file read as their act (dashboard.services.their_act) and matched
  with our books (dashboard.services.reconcile), the one call the act page's loader makes.

Each refusal is a `TheirActRefused` with a one-line English message and a `code` the page words
(dashboard/strings/reconcile_ui.py, `reconcile_ui.refused.<code>`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection

from dashboard.services.access import User, record_action
from dashboard.services.reconcile import Reconciliation, reconcile, their_names
from dashboard.services.their_act import read_their_act
from queries.collections import counterparty_in_scope
from queries.scope import Scope
from warehouse import their_act_store
from warehouse.their_act_store import MAX_BYTES, StoredAct

__all__ = [
    "MAX_BYTES",
    "UPLOADERS",
    "StoredAct",
    "TheirActRefused",
    "copies",
    "copy_file",
    "latest",
    "may_store",
    "reconcile_file",
    "record_result",
    "store",
]

UPLOADERS = ("client", "cfo", "controller", "manager")  # roles that may store a client's copy
ACTION = "their_act"  # the audit log's action


class TheirActRefused(ValueError):
    """A copy that cannot be stored; `code` names the reason, `values` what the message quotes."""

    def __init__(self, message: str, code: str = "refused", **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


def may_store(user: User, counterparty_id: str) -> bool:
    """Whether the role lets the user store a copy for this counterparty (the scope is checked on store): a
    client only its own."""
    if user.role not in UPLOADERS:
        return False
    return user.role != "client" or user.counterparty == counterparty_id


def store(
    conn: Connection,
    user: User,
    *,
    source: str,
    counterparty_id: str,
    contract_id: str | None,
    date_from: date,
    date_to: date,
    file_name: str,
    content: bytes,
    differences: int | None = None,
    balance_difference: int | None = None,
    uploaded_at: datetime | None = None,
) -> int:
    """Store the copy in `user`'s name with its audit row; returns its id (the newest copy's when it is the same
    file for the same counterparty, contract and period)."""
    if not may_store(user, counterparty_id) or not counterparty_in_scope(conn, counterparty_id, scope=user.scope):
        raise TheirActRefused(f"unknown counterparty {counterparty_id!r}", "counterparty", counterparty=counterparty_id)
    if not content:
        raise TheirActRefused("the file is empty", "empty")
    if len(content) > MAX_BYTES:
        raise TheirActRefused(
            f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB", "too_large", mb=MAX_BYTES // (1024 * 1024)
        )
    if date_to < date_from:
        raise TheirActRefused("the period ends before it starts", "period")
    newest = their_act_store.latest_for(
        conn, counterparty_id, contract_id=contract_id or None, date_from=date_from, date_to=date_to
    )
    if newest is not None and their_act_store.content(conn, newest.their_act_id) == content:
        return newest.their_act_id
    their_act_id = their_act_store.save(
        conn,
        counterparty_id=counterparty_id,
        contract_id=contract_id or None,
        date_from=date_from,
        date_to=date_to,
        file_name=file_name,
        content=content,
        uploaded_by=user.login,
        uploaded_role=user.role,
        uploaded_at=uploaded_at,
        differences=differences,
        balance_difference=balance_difference,
    )
    on = f" {contract_id}" if contract_id else ""
    subject = f"their act {their_act_id}: {counterparty_id}{on} {date_from.isoformat()}..{date_to.isoformat()}"
    record_action(conn, user, source=source, action=ACTION, subject=subject, detail=file_name, rows=differences)
    return their_act_id


def record_result(conn: Connection, their_act_id: int, *, differences: int, balance_difference: int) -> None:
    """What reconciling a stored copy found, kept with it (a copy stored before it was reconciled)."""
    their_act_store.set_result(conn, their_act_id, differences=differences, balance_difference=balance_difference)


def copies(conn: Connection, *, counterparty_id: str, scope: Scope) -> list[StoredAct]:
    """The counterparty's stored copies, newest first; none outside the scope."""
    if not counterparty_in_scope(conn, counterparty_id, scope=scope):
        return []
    return their_act_store.list_for(conn, counterparty_id)


def latest(conn: Connection, *, counterparty_id: str, scope: Scope, client_only: bool = False) -> StoredAct | None:
    """The counterparty's newest stored copy within the scope (`client_only`: the newest the client itself
    uploaded), or None."""
    found = copies(conn, counterparty_id=counterparty_id, scope=scope)
    if client_only:
        found = [c for c in found if c.uploaded_role == "client"]
    return found[0] if found else None


def copy_file(conn: Connection, *, their_act_id: int, scope: Scope) -> tuple[StoredAct, bytes] | None:
    """A stored copy and its file, or None when there is none or the scope does not see its counterparty."""
    found = their_act_store.get(conn, their_act_id)
    if found is None or not counterparty_in_scope(conn, found.counterparty_id, scope=scope):
        return None
    data = their_act_store.content(conn, their_act_id)
    return None if data is None else (found, data)


def reconcile_file(
    conn: Connection,
    *,
    counterparty_id: str,
    date_from: date,
    date_to: date,
    contract_id: str | None,
    currency: str | None,
    scope: Scope,
    data: bytes,
    file_name: str,
    our_names: tuple[str, ...] = (),
) -> Reconciliation:
    """Their act read from the file and matched with our act of the period (and contract) within the scope.
    TheirActError for a file that is not an act (its `message` words why); ValueError for a counterparty
    outside the scope or a currency to choose."""
    # Their half is told by our name heading the other half, or by their name as we keep it heading theirs.
    their = read_their_act(data, file_name, our_names=our_names, their_names=their_names(conn, counterparty_id))
    return reconcile(
        conn,
        counterparty_id=counterparty_id,
        date_from=date_from,
        date_to=date_to,
        contract_id=contract_id,
        currency=currency,
        scope=scope,
        their=their,
    )
