"""Who may see what: users, their roles and the scope each role gets (contract: access control).

Roles:
- ``cfo``: everything, and the audit log;
- ``controller``: everything but the audit log;
- ``manager``: only the counterparties whose ``manager`` is theirs (``[auth.users]`` names it), with no
  loads, no unowned rows (unidentified payments, rejects) and no settings; they write notes (calls,
  promises, disputes) on their own counterparties, as the other two do on any;
- ``client``: a client of ours (``counterparty`` names its counterparty_id) sees only its own account:
  its debts, payment calendar, acts and payments; no other client, no manager, no notes and none of our
  internal rules (limits, stop-list, exceptions, reminders, loads, audit). CLI exports: `client_refusal`.

The scope is applied by every query in SQL (queries.scope), so a page, a download and a CLI export
show a manager the same counterparties and nothing else, whatever the filters or the link ask for.

Users come from the configuration file:

    [auth]
    mode = "header"                 # "oidc" (Streamlit's st.login), "header" (a trusted reverse proxy) or "none"
    header = "X-Forwarded-Email"    # mode = "header": the header the proxy sets after its own login
    [auth.users]
    "petrova@firm.ru" = { role = "cfo", name = "Петрова А. В." }
    "ivanov@firm.ru" = { role = "manager", manager = "Иванов" }
    "buh@romashka.ru" = { role = "client", counterparty = "K1" }

Without ``[auth]`` (mode "none") there is one local user, a CFO, and the app says so in the sidebar.
A login that is not listed gets no access at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from dashboard.services.settings import Config, ConfigError
from queries.scope import Scope
from warehouse import audit

ROLES = ("cfo", "controller", "manager", "client")
# What a client may export from the CLI: its own account. The rest is our internal work (the exceptions,
# the worklist, the stop-list, the rejects of our loads), refused with a one-line reason.
CLIENT_REPORTS = ("aging", "act", "calendar", "trend")
# Columns of an export that are our internal rules, emptied in a client's file (the contract's columns stay),
# and our own additions to a report (who manages the client, its group), left out of a client's file.
CLIENT_EMPTIED_COLUMNS = ("credit_limit",)
CLIENT_DROPPED_COLUMNS = ("manager", "group")
MODES = ("none", "oidc", "header")
DEFAULT_HEADER = "X-Forwarded-Email"


@dataclass(frozen=True)
class User:
    login: str  # the e-mail or login the identity provider or proxy gave
    role: str
    manager: str = ""  # role manager: the name in counterparties.manager
    name: str = ""  # shown in the sidebar and the audit log
    counterparty: str = ""  # role client: its counterparty_id

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}: one of {', '.join(ROLES)}")
        if self.role == "manager" and not self.manager:
            raise ValueError(f"user {self.login!r} has role manager but no manager name")
        if self.role == "client" and not self.counterparty:
            raise ValueError(f'user {self.login!r} has role client but no counterparty = "ID"')

    @property
    def scope(self) -> Scope:
        """What the user may see: a manager their own counterparties, a client itself, everyone else everything."""
        if self.role == "manager":
            return Scope.for_manager(self.manager)
        if self.role == "client":
            return Scope(counterparty_ids=(self.counterparty,))
        return Scope.everything()

    @property
    def sees_everything(self) -> bool:
        return self.role not in ("manager", "client")

    @property
    def is_client(self) -> bool:
        """A client of ours: its own account only, none of our internal pages (the router's own section)."""
        return self.role == "client"

    @property
    def may_load(self) -> bool:
        """Loading files, editing settings and sending reminders: the finance team, not a manager."""
        return self.role in ("cfo", "controller")

    @property
    def may_note(self) -> bool:
        """Writing notes of contacts, promises and disputes (and resolving them): the finance team, and a
        manager on their own counterparties (the scope says which)."""
        return self.role in ("cfo", "controller", "manager")

    @property
    def may_release(self) -> bool:
        """Releasing a stopped client for shipments until a day (and ending a release): the CFO and a
        controller, not a manager."""
        return self.role in ("cfo", "controller")

    @property
    def may_audit(self) -> bool:
        return self.role == "cfo"

    @property
    def shown_as(self) -> str:
        return self.name or self.login

    def client_refusal(self, command: str, report: str | None = None) -> str | None:
        """Why a client may not run this CLI command (one line), or None: a client exports its own account
        (CLIENT_REPORTS); the exceptions, worklist, stop-list and rejects are our internal work, and notes,
        reminders and loads are ours to make."""
        if not self.is_client:
            return None
        if command == "export" and report in CLIENT_REPORTS:
            return None
        if command == "reconcile":  # its own act against its own copy, as on its act page
            return None
        what = f"export {report}" if command == "export" else command
        return (
            f"{self.login} is a client: {what} is not available to a client "
            f"(a client exports only its own {', '.join(CLIENT_REPORTS)} and reconciles its own act)"
        )


LOCAL = User(login="local", role="cfo", name="")  # no [auth]: one local user who sees everything
NOBODY_SCOPE = Scope(counterparty_ids=())  # a caller nobody identified: no counterparty at all


@dataclass(frozen=True)
class AuthSettings:
    mode: str = "none"
    header: str = DEFAULT_HEADER
    users: tuple[User, ...] = ()

    @property
    def configured(self) -> bool:
        return self.mode != "none"

    def user(self, login: str | None) -> User | None:
        """The listed user with this login (case-insensitive, as e-mail addresses are), or None."""
        if not login:
            return None
        wanted = login.strip().casefold()
        return next((u for u in self.users if u.login.casefold() == wanted), None)


def auth_settings(config: Config) -> AuthSettings:
    """[auth] of the configuration; ConfigError names what is wrong."""
    section = config.section("auth")
    if not section:
        return AuthSettings()
    mode = str(section.get("mode", "none")).strip().lower()
    if mode not in MODES:
        raise ConfigError(f"[auth] mode must be one of {', '.join(MODES)}, got {mode!r}")
    header = str(section.get("header", DEFAULT_HEADER)).strip() or DEFAULT_HEADER
    listed = section.get("users", {})
    if not isinstance(listed, dict):
        raise ConfigError("[auth.users] must be a table of login = { role = ..., manager = ... }")
    users = []
    for login, entry in listed.items():
        if not isinstance(entry, dict):
            raise ConfigError(f'[auth.users] "{login}" must be a table like {{ role = "cfo" }}')
        try:
            users.append(
                User(
                    login=str(login).strip(),
                    role=str(entry.get("role", "")).strip().lower(),
                    manager=str(entry.get("manager", "")).strip(),
                    name=str(entry.get("name", "")).strip(),
                    counterparty=str(entry.get("counterparty", "")).strip(),
                )
            )
        except ValueError as error:
            raise ConfigError(f"[auth.users] {error}") from error
    return AuthSettings(mode=mode, header=header, users=tuple(users))


def record_action(
    target: Engine | Connection,
    user: User | None,
    *,
    source: str,
    action: str,
    subject: str,
    detail: str = "",
    rows: int | None = None,
) -> None:
    """One audit row for something a user did (`source`: app or cli); nobody known is written as ''."""
    audit.record(
        target,
        user=user.login if user is not None else "",
        role=user.role if user is not None else "",
        source=source,
        action=action,
        subject=subject,
        detail=detail,
        rows=rows,
    )
