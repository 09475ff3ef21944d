"""`receivables reconcile --counterparty ID --from D1 --to D2 [--contract ID] THEIR_ACT -o FILE` (contract
section 5, «Two-sided reconciliation»): the act the counterparty sent back matched with our books.

`-o x.csv` writes the contract's table, `-o x.xlsx` the act with both halves and the differences marked.
Exit 0 whether or not the acts differ (a line on stdout says how many rows differ and by how much the
balances do); 1 with one line on stderr for a file that is not an act or a counterparty we cannot show;
2 for bad usage. An audit row (export, «reconcile …») like every export's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import UsageError, audit, caller, engine_of

SUFFIXES = (".csv", ".xlsx")


def cmd_reconcile(args: argparse.Namespace) -> int:
    from dashboard.services.reconcile import (
        our_names,
        reconcile,
        reconciliation_csv,
        reconciliation_header,
        their_names,
    )
    from dashboard.services.reconcile_xlsx import reconciliation_xlsx
    from dashboard.services.their_act import read_their_act
    from domain.money import format_money

    output, source = Path(args.output), Path(args.their_act)
    suffix = output.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"cannot write {output.name}: the file name must end with .csv or .xlsx")
    if args.date_from > args.date_to:
        raise UsageError(f"the period starts after it ends: --from {args.date_from} > --to {args.date_to}")
    if not source.is_file():
        raise UsageError(f"{args.their_act}: no such file")
    data = source.read_bytes()
    config, engine = engine_of(args)
    user = caller(args, config)
    try:
        with engine.connect() as conn:
            their = read_their_act(
                data,
                source.name,
                our_names=our_names(conn, config),
                their_names=their_names(conn, args.counterparty),
            )
            rec = reconcile(
                conn,
                counterparty_id=args.counterparty,
                date_from=args.date_from,
                date_to=args.date_to,
                contract_id=args.contract,
                currency=args.currency,
                scope=user.scope,
                their=their,
            )
            if suffix == ".csv":
                written = reconciliation_csv(rec)
            else:
                written = reconciliation_xlsx(rec, reconciliation_header(conn, config, rec), args.language)
        which = args.counterparty + (f" {args.contract}" if args.contract else "")
        subject = f"reconcile {which} {args.date_from}..{args.date_to} {source.name}"
        audit(engine, user, "export", subject, output.name, rec.rows.height)
    finally:
        engine.dispose()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(written)
    for warning in rec.warnings:
        print(f"receivables: warning: {warning.text('en')}", file=sys.stderr)
    print(
        f"reconcile: {rec.differences} differences, the closing balances differ by "
        f"{format_money(rec.balance_difference)}; written to {args.output}"
    )
    return 0
