"""The `receivables` command, two ways: `run` as a script would run it (a process of its own, from the checkout),
and `invoke`, `cli.main` called in this process with what a script would see (argv, the environment, the working
folder, stdout and stderr apart, the exit status), at none of a new interpreter's 1-2 s of imports.

Tests of what only a process shows (the console script's exit status as the shell sees it, a load killed
mid-way, the imports a command needs) use `run`; every other test uses `invoke`.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from tests.helpers.paths import ROOT

# Test hooks that end the process itself: a command given one must run as a process of its own.
_PROCESS_ONLY = ("RECEIVABLES_TEST_KILL",)


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`receivables ARGS...` (python -m cli), its output captured; env adds to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def invoke(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`receivables ARGS...` as `run` gives it, run in this process: env added to os.environ and cwd entered for
    the call only, then restored; stdout and stderr captured apart, with a script's text newlines; the exit
    status main returns or SystemExit carries; warnings the command logs land on stderr, as Python's last-resort
    handler writes them when no logging is configured."""
    from cli import main

    extra = env or {}
    if any(name in extra for name in _PROCESS_ONLY):
        raise ValueError(f"{_PROCESS_ONLY} end the process: use run(), not invoke()")
    saved_env = {name: os.environ.get(name) for name in extra}
    saved_cwd = os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(err)
    handler.setLevel(logging.WARNING)
    root = logging.getLogger()
    os.environ.update(extra)
    os.chdir(cwd)
    root.addHandler(handler)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse's usage errors and --help
                code = _exit_status(exc.code, err)
    finally:
        root.removeHandler(handler)
        os.chdir(saved_cwd)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess(["receivables", *args], code, _text(out), _text(err))


def _exit_status(code: object, err: io.StringIO) -> int:
    """The status sys.exit(code) gives a process: None 0, an int itself, anything else printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=err)
    return 1


def _text(stream: io.StringIO) -> str:
    """What subprocess's text mode reads: \\r\\n and \\r become \\n."""
    return stream.getvalue().replace("\r\n", "\n").replace("\r", "\n")
