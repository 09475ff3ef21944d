"""`receivables export REPORT -o FILE`: a report as CSV or XLSX, the act as a document, many acts as a ZIP."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli.common import UsageError, audit, caller, engine_of


def _act_signer(args: argparse.Namespace, config: Any) -> Any:
    from dashboard.services.act_document import Signer
    from dashboard.services.acts import company_signer

    configured = company_signer(config)
    return Signer(
        position=configured.position if args.signer_position is None else args.signer_position,
        name=configured.name if args.signer is None else args.signer,
    )


def cmd_export_act(args: argparse.Namespace, output: Path) -> int:
    """The act as a document (.xlsx, .pdf) or a batch of them (.zip); .csv goes the plain report way."""
    from dashboard.services.acts import acts_zip, render_act

    suffix = output.suffix.lower()
    if args.all and suffix != ".zip":
        raise UsageError(f"export act --all writes a .zip of acts, not {output.name}")
    batch_only = [
        f"--{n.replace('_', '-')}" for n in ("with_balance", "manager", "group", "per_contract") if getattr(args, n)
    ]
    if args.all and args.contract:
        raise UsageError("--contract names one act; with --all use --per-contract for an act per contract")
    if not args.all and batch_only:
        raise UsageError(f"{', '.join(batch_only)} choose acts for --all; one act is chosen by --counterparty")
    if not args.all and suffix == ".zip":
        raise UsageError("a .zip holds many acts: use --all (with --manager, --group, --with-balance to choose)")
    if args.date_from > args.date_to:
        raise UsageError(f"the period starts after it ends: --from {args.date_from} > --to {args.date_to}")
    config, engine = engine_of(args)
    signer = _act_signer(args, config)
    user = caller(args, config)
    try:
        with engine.connect() as conn:
            if args.all:
                scope = user.scope.narrowed(
                    managers=(args.manager,) if args.manager else None,
                    groups=(args.group,) if args.group else None,
                )
                batch = acts_zip(
                    conn,
                    config,
                    date_from=args.date_from,
                    date_to=args.date_to,
                    scope=scope,
                    fmt=args.format,
                    per_contract=args.per_contract,
                    with_balance=args.with_balance,
                    signer=signer,
                )
                data, summary = batch.data, f"act: {len(batch.entries)} acts written to {args.output}"
            else:
                data = render_act(
                    conn,
                    config,
                    counterparty_id=args.counterparty,
                    date_from=args.date_from,
                    date_to=args.date_to,
                    contract_id=args.contract,
                    currency=args.currency,
                    fmt=suffix.lstrip("."),
                    signer=signer,
                    scope=user.scope,
                )
                summary = f"act: the reconciliation act written to {args.output}"
        which = "all" if args.all else args.counterparty + (f" {args.contract}" if args.contract else "")
        audit(engine, user, "export", f"act {which} {args.date_from}..{args.date_to}", output.name)
    finally:
        engine.dispose()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    print(summary)
    return 0


def _export_subject(args: argparse.Namespace) -> str:
    """The report and what chose its rows, as the audit log shows it."""
    named = ("as_of", "by", "counterparty", "contract", "date_from", "date_to", "freq")
    given = [f"{name}={getattr(args, name)}" for name in named if getattr(args, name, None)]
    return " ".join([args.report, *given])


def cmd_export(args: argparse.Namespace) -> int:
    import polars as pl

    from dashboard.services import settings
    from dashboard.services.access import CLIENT_DROPPED_COLUMNS, CLIENT_EMPTIED_COLUMNS
    from dashboard.services.exports import ExportError, headers, write_table
    from dashboard.services.reports import build_report

    output = Path(args.output)
    suffix = output.suffix.lower()
    if args.report == "forecast" and args.date_to <= args.as_of:
        raise UsageError(f"the forecast runs from the day after --as-of: --to {args.date_to} must be after it")
    if args.report == "act" and (args.all or suffix in (".xlsx", ".pdf", ".zip")):
        return cmd_export_act(args, output)
    if suffix not in (".csv", ".xlsx"):
        allowed = ".csv, .xlsx, .pdf or .zip (with --all)" if args.report == "act" else ".csv or .xlsx"
        raise ExportError(f"cannot write {output.name}: the file name must end with {allowed}")
    config, engine = engine_of(args)
    user = caller(args, config)
    try:
        with engine.connect() as conn:
            report = build_report(
                conn,
                args.report,
                vars(args),
                scope=user.scope,
                buckets=settings.buckets(config),
                rules=settings.exception_rules(config),
                stop_rules=settings.stop_rules(config),
            )
        audit(engine, user, "export", _export_subject(args), output.name, report.frame.height)
    finally:
        engine.dispose()
    frame = report.frame
    if user.is_client:  # our internal rules (the credit limit) stay empty in a client's file, our notes out
        frame = frame.drop([c for c in CLIENT_DROPPED_COLUMNS if c in frame.columns]).with_columns(
            [pl.lit(None).cast(frame.schema[c]).alias(c) for c in CLIENT_EMPTIED_COLUMNS if c in frame.columns]
        )
    write_table(
        frame,
        output,
        sheet=args.report,
        money=report.money,
        title=report.title,
        totals=report.totals,
        # A workbook is read by people: headers in their language (the CSV keeps the contract's).
        headers=headers(frame.columns, args.language),
        language=args.language,
    )
    print(f"{args.report}: {frame.height} rows written to {args.output}")
    return 0
