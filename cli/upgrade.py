"""`receivables upgrade`: the warehouse's schema brought to this version's in place, saying what was done.

Every other command, and `serve` before the app starts, does the same by itself (warehouse.migrations)
and says so on stderr when it changed anything; this command is for doing it on purpose, e.g. after
installing a new version and before the nightly load."""

from __future__ import annotations

import argparse

from dashboard.services.settings import load_config
from warehouse.connect import upgrade_warehouse


def cmd_upgrade(args: argparse.Namespace) -> int:
    config = load_config(args.config, args.db)
    print(upgrade_warehouse(config.db_url).describe())
    return 0
