"""The `receivables` command line (contract section 4): `main` parses the command (cli.parser) and runs
it (cli.load, cli.export, cli.note, cli.reconcile, cli.remind, cli.serve, cli.upgrade).

Exit status: 0 done, 1 failed (a one-line reason on stderr; the traceback only with --debug),
2 bad usage, 3 `load --strict` with rejects.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import etl  # noqa: F401 (first: polars' allocator set up before anything imports polars, etl.allocator)
from cli.common import EXIT_FAILED, EXIT_USAGE, UsageError, secrets
from cli.export import cmd_export
from cli.load import cmd_demo, cmd_load
from cli.note import cmd_note
from cli.parser import build_parser
from cli.reconcile import cmd_reconcile
from cli.remind import cmd_remind
from cli.serve import cmd_serve
from cli.upgrade import cmd_upgrade

COMMANDS = {
    "load": cmd_load,
    "demo": cmd_demo,
    "export": cmd_export,
    "note": cmd_note,
    "reconcile": cmd_reconcile,
    "remind": cmd_remind,
    "serve": cmd_serve,
    "upgrade": cmd_upgrade,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        parser.print_usage(sys.stderr)
        print(f"receivables: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("receivables: interrupted; nothing of the unfinished load was written", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        from warehouse.connect import redact

        if args.debug:  # the traceback, with the passwords taken out like everywhere else
            print(redact(traceback.format_exc(), secrets(args)), end="", file=sys.stderr)
            return EXIT_FAILED
        message = redact(" ".join(str(exc).split()), secrets(args))[:400] or type(exc).__name__
        print(f"receivables: {message}", file=sys.stderr)
        return EXIT_FAILED
