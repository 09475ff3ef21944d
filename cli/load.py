"""`receivables load PATH...` and `receivables demo`: files into the warehouse, and the counts printed."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from cli.common import EXIT_STRICT, UsageError, engine_of, progress_printer


def print_load_summary(result: Any, out: Any = None) -> None:
    from domain.entities import BANK_PAYMENTS, LOAD_ORDER

    out = out or sys.stdout
    header = f"{'entity':<18}{'read':>10}{'new':>10}{'updated':>10}{'unchanged':>10}{'deleted':>10}{'rejected':>10}"
    print(header, file=out)
    for entity in (*LOAD_ORDER, BANK_PAYMENTS):
        counts = result.counts.get(entity)
        if counts is None:
            continue
        print(
            f"{entity:<18}{counts.read:>10}{counts.new:>10}{counts.updated:>10}{counts.unchanged:>10}"
            f"{counts.deleted:>10}{counts.rejected:>10}",
            file=out,
        )
    if result.bank_sent or result.bank_unidentified:
        print(
            f"bank statements: {result.bank_sent} documents sent by the company skipped, "
            f"{result.bank_unidentified} payments from unknown payers kept as unidentified",
            file=out,
        )
    if result.warnings:
        print(
            f"warnings: {result.warnings} bad descriptive values (INN, KPP, e-mail, VAT...) left out of rows "
            "that loaded; `receivables export rejects` lists them",
            file=out,
        )
    if result.retried:
        print(f"retried from earlier rejects: {result.retried}, loaded now: {result.retried_loaded}", file=out)
    for edo in (f for f in result.files if f.entity == "edo"):
        print(f"edo: {edo.path}: {edo.message}", file=out)
    if result.edo_skipped:
        words = {
            "invoices_only": "invoice-only СЧФ",
            "suppliers": "suppliers' documents",
            "superseded": "duplicates or earlier copies of a corrected document",
            "other_files": "other files (signatures, receipts, buyers' titles)",
        }
        said = "; ".join(f"{count} {words[what]}" for what, count in result.edo_skipped.items())
        print(f"edo documents skipped: {said}", file=out)
    for skipped in result.skipped:
        print(f"skipped: {skipped.path}: {skipped.message}", file=out)
    for refused in result.refused:
        print(f"refused: {refused.path}: {refused.message}", file=out)
    if result.unchanged_since is not None:
        print(
            f"load {result.load_id}: {len(result.files)} files in {result.seconds:.1f} s; "
            f"none changed since load {result.unchanged_since}, nothing to do",
            file=out,
        )
        return
    print(
        f"load {result.load_id}: {len(result.files)} files in {result.seconds:.1f} s; "
        f"{result.rematched_counterparties} counterparties matched ({result.continued_counterparties} on from "
        f"their open documents, {result.rematched_counterparties - result.continued_counterparties} from scratch), "
        f"{result.matches_written} matches",
        file=out,
    )


def warm_first_pages(config: Any, engine: Any) -> None:
    """The first pages' default answers computed for the app (dashboard.services.first_pages), said on
    stderr. The data has loaded whatever happens here: a failure is a warning, not the load's failure."""
    from dashboard.services.first_pages import warm
    from dashboard.services.settings import buckets

    try:
        warmed = warm(engine, buckets(config))
    except Exception as error:  # the load is committed; the app computes these itself
        print(
            f"warning: the first pages were not prepared ({error}); the app computes them on first use", file=sys.stderr
        )
        return
    if warmed.answers and sys.stderr.isatty():  # said to a person; a script's stderr stays for problems
        print("\n" + warmed.describe(), file=sys.stderr)


def cmd_load(args: argparse.Namespace) -> int:
    from dashboard.services.first_pages import carry_over
    from dashboard.services.settings import column_maps
    from etl.load import load_paths

    config, engine = engine_of(args)
    try:
        result = load_paths(
            engine,
            args.paths,
            company_inn=config.company_inn,
            command="load " + " ".join(args.paths),
            progress=progress_printer(),
            kill_after=os.environ.get("RECEIVABLES_TEST_KILL"),
            column_maps=column_maps(config),
        )
        if result.unchanged_since is None:
            warm_first_pages(config, engine)
        else:
            carry_over(engine)
    finally:
        engine.dispose()
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print_load_summary(result)
    if args.strict and (result.rejected_rows or result.refused):
        return EXIT_STRICT
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from etl.demo import write_demo_source
    from etl.demo.notes import add_demo_notes, describe_notes
    from etl.load import load_paths
    from queries.status import warehouse_status

    if args.scale < 1:
        raise UsageError("--scale must be a positive number of shipments")
    config, engine = engine_of(args)
    try:
        if args.if_empty:
            with engine.connect() as conn:
                documents = warehouse_status(conn).documents
            if documents:
                print(f"the warehouse already holds {documents} documents; demo data not loaded")
                return 0
        summary = write_demo_source(Path(args.out), scale=args.scale, seed=args.seed, end=args.end)
        print(f"demo source written to {summary.folder} ({len(summary.files)} files) for {summary.company_name}")
        result = load_paths(
            engine,
            [summary.folder],
            company_inn=config.company_inn or summary.company_inn,
            company_name=config.company_name or summary.company_name,
            command=f"demo --scale {args.scale} --seed {args.seed}",
            progress=progress_printer(),
        )
        added = add_demo_notes(engine, args.end or date.today(), args.seed)
        notes = describe_notes(engine) if added else "0 (the warehouse already holds notes, or nobody owes)"
        warm_first_pages(config, engine)
    finally:
        engine.dispose()
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    print_load_summary(result)
    print(f"demo notes: {notes}")
    return 0
