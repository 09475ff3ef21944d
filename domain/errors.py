"""The error a rule raises for a value it cannot accept: its message is the reason a person reads."""

from __future__ import annotations

_QUOTE_LIMIT = 60


class InvalidValue(ValueError):
    """A single value that fails validation; the message is the human reason for the reject."""


def quoted(text: str) -> str:
    """The value as shown in a reason: a pathological cell should not flood the rejects list."""
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 3] + "..."
