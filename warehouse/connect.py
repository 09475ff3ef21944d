"""Opening the warehouse a URL names, and naming it to people without its password.

A URL such as `postgresql+psycopg2://user:secret@host/db` carries the database password. Whatever is shown
(the CLI's errors, the data page, the app's error when the warehouse is down) names the warehouse by
`masked_url` (`postgresql+psycopg2://user:***@host/db`, SQLAlchemy's own masking), and error text passes
`redact`, which takes out every secret `url_secrets` finds: the password as written in the URL and
decoded, and a `password=` query parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, unquote

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from warehouse import migrations
from warehouse.engine import ensure_schema, make_engine
from warehouse.migrations import Upgrade, WarehouseTooNew

MASK = "***"
SECRET_QUERY_KEYS = ("password", "passwd", "pwd", "sslpassword")
_CREDENTIALS = re.compile(r"^[^:/?#]+://[^:/?#@]*:(.*)@[^@]*$")  # the password as written: up to the last "@"
_QUERY_SECRET = re.compile(r"[?&](?:" + "|".join(SECRET_QUERY_KEYS) + r")=([^&#]*)", re.IGNORECASE)


class WarehouseUnavailable(RuntimeError):
    """The warehouse cannot be opened; the message names it (password masked) and says why."""


def url_secrets(url: str) -> list[str]:
    """The passwords a warehouse URL carries, as written and decoded; empty when it has none."""
    found: list[str] = []
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        parsed = None
    if parsed is not None and parsed.password:
        found.append(str(parsed.password))
    written = _CREDENTIALS.match(url)
    if written:
        found += [written.group(1), unquote(written.group(1))]
    for value in _QUERY_SECRET.findall(url):
        found += [value, unquote(value)]
    return [secret for secret in dict.fromkeys(found) if secret]


def redact(text: str, secrets: Iterable[str]) -> str:
    """The text with every secret replaced by ***, the longest first (one may contain another)."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def masked_url(url: str) -> str:
    """The URL for people: `postgresql+psycopg2://user:***@host/db`; no password, no password= parameter."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return redact(url, url_secrets(url))
    hidden = {key: MASK for key in parsed.query if key.lower() in SECRET_QUERY_KEYS}
    if not hidden:
        return parsed.render_as_string(hide_password=True)
    shown = parsed.update_query_dict(hidden).render_as_string(hide_password=True)
    return shown.replace(quote(MASK, safe=""), MASK)  # the query is percent-encoded: %2A%2A%2A


# What opening a warehouse can fail with, said to people as WarehouseUnavailable.
_FAILURES = (SQLAlchemyError, ValueError, ImportError, WarehouseTooNew)


def open_warehouse(url: str, *, pooled: bool = True) -> Engine:
    """An engine on the warehouse with its schema in place (an older warehouse upgraded: ensure_schema), or
    WarehouseUnavailable: the server does not answer, the database or driver is missing, the URL is
    malformed, a newer program upgraded the warehouse. The message is safe to show."""
    engine = None
    try:
        engine = make_engine(url, pooled=pooled)
        ensure_schema(engine)
    except _FAILURES as error:
        if engine is not None:
            engine.dispose()
        # `from None`: the driver's own exception stays out of any traceback that is shown.
        raise _unavailable(url, error) from None
    return engine


def upgrade_warehouse(url: str) -> Upgrade:
    """`receivables upgrade`: the warehouse brought to this program's revision, and what was done
    (Upgrade.describe() says it in one line); WarehouseUnavailable as open_warehouse's."""
    engine = None
    try:
        engine = make_engine(url, pooled=False)
        return migrations.upgrade(engine)
    except _FAILURES as error:
        raise _unavailable(url, error) from None
    finally:
        if engine is not None:
            engine.dispose()


def _unavailable(url: str, error: Exception) -> WarehouseUnavailable:
    reason = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    text = " ".join(str(reason).split()) or type(reason).__name__
    return WarehouseUnavailable(redact(f"cannot open the warehouse {masked_url(url)}: {text}", url_secrets(url)))
