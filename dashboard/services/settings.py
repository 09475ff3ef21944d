"""Configuration: a TOML file plus the database URL precedence of the contract (section 3).

Database URL: `--db URL`, then RECEIVABLES_DB_URL, then the file's [database].url, then the embedded
SQLite default. Config file: `--config FILE`, then RECEIVABLES_CONFIG, then ./receivables.toml if present.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.buckets import DEFAULT_BUCKETS, Buckets
from etl.columns import ColumnMaps
from etl.columns import column_maps as etl_column_maps

DEFAULT_DB_URL = "sqlite:///data/warehouse.db"


class ConfigError(Exception):
    """The configuration file cannot be used; the message says why."""


@dataclass(frozen=True)
class Config:
    company_name: str = ""
    company_inn: str = ""
    db_url: str = DEFAULT_DB_URL
    source: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name, {})
        return value if isinstance(value, dict) else {}


def find_config_file(explicit: str | None) -> Path | None:
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"configuration file not found: {path}")
        return path
    env = os.environ.get("RECEIVABLES_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"configuration file not found: {path} (from RECEIVABLES_CONFIG)")
        return path
    local = Path("receivables.toml")
    return local if local.is_file() else None


def load_config(config_file: str | None = None, db_url: str | None = None) -> Config:
    path = find_config_file(config_file)
    raw: dict[str, Any] = {}
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read configuration {path}: {exc}") from exc
    company = raw.get("company", {}) if isinstance(raw.get("company"), dict) else {}
    database = raw.get("database", {}) if isinstance(raw.get("database"), dict) else {}
    url = db_url or os.environ.get("RECEIVABLES_DB_URL") or database.get("url") or DEFAULT_DB_URL
    return Config(
        company_name=str(company.get("name", "")),
        company_inn=str(company.get("inn", "")).strip(),
        db_url=str(url),
        source=path,
        raw=raw,
    )


# -- the rules a section sets: the app and the CLI read them here alike ---------------------------


def buckets(config: Config) -> Buckets:
    """Bucket edges from [aging] due_edges / overdue_edges, else the defaults."""
    section = config.section("aging")
    return Buckets(
        due_edges=tuple(int(x) for x in section.get("due_edges", DEFAULT_BUCKETS.due_edges)),
        overdue_edges=tuple(int(x) for x in section.get("overdue_edges", DEFAULT_BUCKETS.overdue_edges)),
    )


def exception_rules(config: Config) -> Any:
    """ExceptionRules from the [exceptions] section (same names as the dataclass fields)."""
    from dataclasses import fields

    from queries.exceptions import ExceptionRules

    section = config.section("exceptions")
    known = {f.name for f in fields(ExceptionRules)}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ValueError(f"unknown setting in [exceptions]: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    return ExceptionRules(**{name: int(value) for name, value in section.items()})


def stop_rules(config: Config) -> Any:
    """StopRules from the [stoplist] section: overdue_days (days), overdue_amount (rubles, "1 000,00" or
    1000.5; 0 turns the rule off), credit_limit (true or false)."""
    from dataclasses import fields

    from domain.money import parse_money
    from queries.stoplist import StopRules

    section = config.section("stoplist")
    known = {f.name for f in fields(StopRules)}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ValueError(f"unknown setting in [stoplist]: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    if "overdue_days" in section:
        days = section["overdue_days"]
        if isinstance(days, bool) or not isinstance(days, int | str) or not str(days).strip().isdigit():
            raise ValueError(f"[stoplist] overdue_days must be a whole number of days >= 0, got {days!r}")
        values["overdue_days"] = int(days)
    if "overdue_amount" in section:
        amount = section["overdue_amount"]
        try:
            if isinstance(amount, bool):
                raise ValueError("not an amount")
            values["overdue_amount"] = parse_money(str(amount))
        except ValueError as exc:
            raise ValueError(f"[stoplist] overdue_amount must be an amount in rubles, got {amount!r}: {exc}") from exc
        if values["overdue_amount"] < 0:
            raise ValueError(f"[stoplist] overdue_amount must be >= 0, got {amount!r}")
    if "credit_limit" in section:
        if not isinstance(section["credit_limit"], bool):
            raise ValueError(f"[stoplist] credit_limit must be true or false, got {section['credit_limit']!r}")
        values["credit_limit"] = section["credit_limit"]
    return StopRules(**values)


def column_maps(config: Config) -> ColumnMaps:
    """The [columns.<entity>] headings a company's files use, checked (ConfigError says what is wrong)."""
    try:
        return etl_column_maps(config.section("columns"))
    except ValueError as exc:
        raise ConfigError(f"configuration {config.source}: {exc}") from None
