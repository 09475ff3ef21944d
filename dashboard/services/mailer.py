"""SMTP: the settings (config [smtp] and the environment), the e-mail of a reminder, and a transport.

Settings, the environment first (a secret belongs there, not in a file others read):

=================  ==========================  ============================================
[smtp]             environment                 meaning
=================  ==========================  ============================================
host               RECEIVABLES_SMTP_HOST       the server; no host, no sending
port               RECEIVABLES_SMTP_PORT       default 587 (starttls), 465 (ssl), 25 (none)
security           RECEIVABLES_SMTP_SECURITY   starttls (default), ssl or none
user               RECEIVABLES_SMTP_USER       login; none: no AUTH
password           RECEIVABLES_SMTP_PASSWORD   never printed, logged or shown
from               RECEIVABLES_SMTP_FROM       the sender's address (default: user, then [company] email)
from_name          -                           the sender's name (default: the company name)
reply_to           -                           a Reply-To address
timeout            -                           seconds per SMTP command, default 30
ca_file            -                           a CA bundle to trust (a company's own CA)
verify             -                           false turns certificate checks off (a local relay only)
=================  ==========================  ============================================
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from types import TracebackType
from typing import Any

from dashboard.services.settings import Config

SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORT = {"starttls": 587, "ssl": 465, "none": 25}
ENV = "RECEIVABLES_SMTP_"


class SmtpNotConfigured(ValueError):
    """No SMTP host: reminders can be previewed, not sent."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    sender_name: str = ""
    reply_to: str = ""
    timeout: float = 30.0
    ca_file: str = ""
    verify: bool = True

    def describe(self) -> str:
        """Where mail goes, for people: never the password."""
        login = f", login {self.user}" if self.user else ""
        return f"{self.host}:{self.port} ({self.security}{login}), from {self.sender}"

    def scrub(self, text: str) -> str:
        """Text with the password taken out, for errors that are shown or stored."""
        return text.replace(self.password, "***") if self.password else text


def smtp_settings(config: Config, company: str = "") -> SmtpSettings:
    """The SMTP settings, or SmtpNotConfigured (no host) / ValueError (a bad value) with a clear message."""
    section = config.section("smtp")

    def get(name: str, default: Any = "") -> Any:
        value = os.environ.get(ENV + name.upper())
        return value if value not in (None, "") else section.get(name, default)

    host = str(get("host")).strip()
    if not host:
        raise SmtpNotConfigured(
            "SMTP is not configured: set host in the [smtp] section of the configuration "
            "or RECEIVABLES_SMTP_HOST (reminders can still be previewed)"
        )
    security = str(get("security", "starttls")).strip().lower()
    if security not in SECURITY:
        raise ValueError(f"[smtp] security: one of {', '.join(SECURITY)}, not {security!r}")
    try:
        port = int(get("port", DEFAULT_PORT[security]))
        timeout = float(section.get("timeout", 30))
    except (TypeError, ValueError):
        raise ValueError("[smtp] port and timeout are numbers") from None
    user = str(get("user")).strip()
    sender = str(get("from") or (user if "@" in user else "") or config.section("company").get("email", "")).strip()
    if "@" not in sender:
        raise ValueError("[smtp] from: the sender's e-mail address is not set (or RECEIVABLES_SMTP_FROM)")
    return SmtpSettings(
        host=host,
        port=port,
        security=security,
        user=user,
        password=str(get("password")),
        sender=sender,
        sender_name=str(section.get("from_name", "") or company),
        reply_to=str(section.get("reply_to", "")).strip(),
        timeout=timeout,
        ca_file=str(section.get("ca_file", "")).strip(),
        verify=bool(section.get("verify", True)),
    )


def message_id(day: date, counterparty_id: str, rules: tuple[str, ...], sender: str) -> str:
    """The same reminder (day, counterparty, rules) always has the same Message-ID: a mail system that
    sees it twice can tell, and the log and a mailbox can be matched."""
    digest = hashlib.sha256(f"{day.isoformat()}|{counterparty_id}|{'+'.join(rules)}".encode()).hexdigest()[:20]
    domain = sender.rsplit("@", 1)[-1] or "receivables.local"
    return f"<reminder.{day:%Y%m%d}.{digest}@{domain}>"


def compose(
    *,
    settings: SmtpSettings,
    to: tuple[str, ...],
    cc: tuple[str, ...],
    subject: str,
    body: str,
    message_id: str,
    attachments: tuple[tuple[str, bytes], ...] = (),
    now: datetime | None = None,
) -> EmailMessage:
    """A plain-text UTF-8 e-mail with the acts attached."""
    email = EmailMessage()
    email["From"] = formataddr((settings.sender_name, settings.sender)) if settings.sender_name else settings.sender
    email["To"] = ", ".join(to)
    if cc:
        email["Cc"] = ", ".join(cc)
    if settings.reply_to:
        email["Reply-To"] = settings.reply_to
    email["Subject"] = subject
    email["Date"] = format_datetime((now or datetime.now()).astimezone())
    email["Message-ID"] = message_id
    email.set_content(body)
    for name, data in attachments:
        kind = (
            ("application", "pdf")
            if name.endswith(".pdf")
            else ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
        email.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=name)
    return email


class SmtpTransport:
    """One SMTP connection for a run, opened at the first message; `send` raises on any failure."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._broken: BaseException | None = None  # the connection or login failed: the run's other messages too

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.settings.ca_file or None)
        if not self.settings.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp: smtplib.SMTP
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.security == "starttls":
                smtp.starttls(context=self._context())
        if s.user:
            smtp.login(s.user, s.password)
        return smtp

    def send(self, email: EmailMessage) -> dict[str, Any]:
        """Send one e-mail; the recipients the server refused while taking the rest (empty: all taken)."""
        if self._broken is not None:
            raise self._broken
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (smtplib.SMTPException, OSError) as error:
                self._broken = error  # no point in waiting for a timeout once per message
                raise
        try:
            return dict(self._smtp.send_message(email))
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()  # a fresh connection for the next message
            raise

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()


def describe_error(error: BaseException, settings: SmtpSettings | None = None) -> str:
    """An SMTP failure in one line for the log and the page: the server's reply, never the password."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(f"{address} ({code})" for address, (code, _) in error.recipients.items())
        text = f"every recipient refused: {refused}"
    elif isinstance(error, smtplib.SMTPAuthenticationError):
        text = f"login refused by the server ({error.smtp_code})"
    elif isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        text = f"server said {error.smtp_code} {reply}"
    elif isinstance(error, ssl.SSLError | ssl.CertificateError):
        text = f"TLS failed: {error}"
    elif isinstance(error, OSError | smtplib.SMTPException):
        text = f"{type(error).__name__}: {error}"
    else:
        text = f"{type(error).__name__}: {error}"
    text = " ".join(text.split())[:500]
    return settings.scrub(text) if settings else text
