"""A real SMTP server on localhost for the reminder tests (aiosmtpd): what arrives, kept in an Inbox.

The `smtp` fixture (tests/conftest.py) starts one per test; it accepts the login ar@supplier.ru with
PASSWORD, and an Inbox can refuse messages or hold one, received but not yet answered.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

PASSWORD = "s3cr3t-Pa55word"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping what arrives; it can refuse, or hold a message until released."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], EmailMessage]] = []
        self.refuse: str | None = None
        self.hold = threading.Event()
        self.hold.set()
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        if self.refuse:
            return self.refuse
        email = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), email))  # type: ignore[arg-type]
        while not self.hold.is_set():  # the message is in, the reply is not: a client killed now never knows
            await asyncio.sleep(0.05)
        return "250 OK"

    def by_counterparty(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, _, email in self.messages:
            key = "K1" if "buh@romashka.ru" in str(email["To"]) else "K2"
            counts[key] = counts.get(key, 0) + 1
        return counts


def content(email: EmailMessage) -> str:
    """A message's text, with the line ends it was written with."""
    return email.get_content().replace("\r\n", "\n")


def authenticate(inbox: Inbox):  # type: ignore[no-untyped-def]
    """The server's login check: only ar@supplier.ru with PASSWORD; every attempt is kept in inbox.logins."""

    def check(server, session, envelope, mechanism, auth_data) -> AuthResult:  # type: ignore[no-untyped-def]
        inbox.logins.append((auth_data.login, auth_data.password))
        ok = auth_data.login == b"ar@supplier.ru" and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)

    return check


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A server on a free port with login (PASSWORD), no TLS: its inbox and port; stopped on leaving."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate(inbox),
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.hold.set()
        controller.stop()
