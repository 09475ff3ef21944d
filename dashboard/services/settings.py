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
