"""Loads in processes of their own, for the crash and concurrency tests.

`python -m tests.helpers.load_runner URL PATH...` loads the paths into the warehouse at URL through
etl.load.load_paths. It prints each stage as the load enters it (`read`, `validate shipments`,
`write shipments`, `match`, `rollups`, `rejects`, `record`, `commit`) with the seconds since the start,
then `done <load_id>`: line by line and flushed, so a test can kill it at a moment it chose and say
where the load was.

`python -m tests.helpers.load_runner --serve` imports everything once, prints `ready`, then for each line
`DELAY<TAB>HOLD<TAB>URL<TAB>PATH...` on stdin forks a child that runs that load as above, SIGKILLs it DELAY
seconds after the fork unless it ended before (`-`: never), and prints `exit <code>` once it is gone (-9:
killed), after a newline of its own: every line goes out in one write, but whatever a killed load left
unended must not swallow its end. HOLD `STAGE=FILE` (`-`: none) stops the load as it enters STAGE: it
prints `held` and goes on once FILE exists, so a test can look at the warehouse while a load stands at a
known point, its lock held and its transaction open (`commit`: everything written, the commit not yet sent).
The killed child dies exactly like a killed `receivables load`; forking spares each run the second Python
takes to import the product, and only this process reaps the child, so the kill never hits another
process that took over the pid. LoadServer, below, is the tests' end of it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event

from etl.demo import COMPANY_INN
from etl.load import load_paths, lock, record, rollups
from tests.helpers.paths import ROOT
from warehouse.engine import make_engine

# The loader's steps after its last progress report, named as the stage they start.
TRACED = {
    (rollups, "refresh"): "rollups",
    (record, "write_rejects"): "rejects",
    (record, "record_files"): "record",
}
_last = {"stage": "", "started": 0.0}
_hold = {"stage": "", "until": ""}
HOLD_AT_MOST = 300  # seconds: a held load whose test died gives up rather than wait for ever


def say(line: str) -> None:
    """Print one line in one write. print() writes the text and its newline apart when Python runs
    unbuffered (PYTHONUNBUFFERED, as in CI), and a load killed between the two once left a line without
    its end, which the server's `exit` then joined: the test never saw the load end."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def exit_report(code: int) -> str:
    """The server's line for a child gone with code: on a line of its own even after a partial one."""
    return f"\nexit {code}"


def _stage(name: str) -> None:
    if name != _last["stage"]:
        _last["stage"] = name
        say(f"{name}\t{time.perf_counter() - _last['started']:.3f}")
        if name == _hold["stage"]:
            say("held")
            given_up = time.monotonic() + HOLD_AT_MOST
            while not os.path.exists(_hold["until"]):
                if time.monotonic() > given_up:
                    say("gave up waiting to be released")
                    os._exit(3)
                time.sleep(0.01)


def _traced(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def step(*args: Any, **kwargs: Any) -> Any:
        _stage(name)
        return function(*args, **kwargs)

    return step


def _trace_the_loader() -> None:
    for (module, function), name in TRACED.items():
        setattr(module, function, _traced(name, getattr(module, function)))


def run_load(url: str, paths: list[str]) -> None:
    engine = make_engine(url, pooled=False)
    # The load's own commit (ensure_schema's, before the load, is not one) comes after its last step.
    event.listen(engine, "commit", lambda _conn: _stage("commit") if _last["stage"] == "record" else None)
    _last.update(stage="", started=time.perf_counter())
    result = load_paths(engine, paths, company_inn=COMPANY_INN, progress=lambda name, _d, _t: _stage(name))
    say(f"done {result.load_id}\t{time.perf_counter() - _last['started']:.3f}")
    engine.dispose()


def serve() -> int:
    say("ready")
    for line in sys.stdin:
        delay, hold, url, *paths = line.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:
            if hold != "-":
                _hold["stage"], _hold["until"] = hold.split("=", 1)
            code = 0
            try:
                run_load(url, paths)
            except BaseException as error:  # the child's failure is reported, never the parent's loop
                say(f"error {type(error).__name__}: {error}")
                code = 1
            finally:
                os._exit(code)
        status = None
        if delay != "-":
            deadline = time.monotonic() + float(delay)
            while status is None and time.monotonic() < deadline:
                reaped, found = os.waitpid(pid, os.WNOHANG)
                status = found if reaped else None
                time.sleep(min(0.005, max(0.0, deadline - time.monotonic())))
            if status is None:
                os.kill(pid, signal.SIGKILL)
        if status is None:
            _, status = os.waitpid(pid, 0)
        say(exit_report(os.waitstatus_to_exitcode(status)))
    return 0


# ------------------------------------------------------------------------------- the test's end


@dataclass
class Outcome:
    """One load run by the load server: the stages it printed (see above) and its exit code."""

    lines: list[str] = field(default_factory=list)
    code: int | None = None
    held: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def stages(self) -> list[str]:
        return [line.split("\t")[0] for line in self.lines if line != "held"]

    @property
    def last_stage(self) -> str:
        return self.stages[-1] if self.stages else "(before the first stage)"

    @property
    def seconds(self) -> float:
        """From the start to `done`."""
        return float(self.lines[-1].split("\t")[1])

    def take(self, line: str) -> None:
        """One line the server printed for this load (`ready` aside)."""
        if not line:  # the newline that sets `exit` apart from a line a killed load left unended
            return
        if line == "held":
            self.held.set()
        elif line.startswith("exit "):
            self.code = int(line.split()[1])
            self.finished.set()
        else:
            self.lines.append(line)


class LoadServer:
    """The load server (`--serve`, above): each load forked from one process that imported the product once."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.helpers.load_runner", "--serve"],
            cwd=ROOT,
            # Every load may wait a minute for another at most: a lock left behind fails, never hangs.
            env={**os.environ, lock.LOAD_WAIT: "60"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.ready = threading.Event()
        self.current = Outcome()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        assert self.ready.wait(timeout=120), "the load server did not start"

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for raw in self.process.stdout:
                line = raw.rstrip("\n")
                if line == "ready":
                    self.ready.set()
                else:
                    self.current.take(line)
        self.ready.set()
        self.current.held.set()
        self.current.finished.set()  # the server itself is gone: whoever waits sees code None

    def start(
        self, url: str, *paths: Path, kill_after: float | None = None, hold: tuple[str, Path] | None = None
    ) -> Outcome:
        """Start a load; with kill_after, the server SIGKILLs it that many seconds after it began; with
        hold (stage, file), the load stops as it enters the stage until the file exists."""
        assert self.process.stdin is not None
        self.current = Outcome()
        delay = "-" if kill_after is None else f"{kill_after:.6f}"
        held = "-" if hold is None else f"{hold[0]}={hold[1]}"
        self.process.stdin.write("\t".join([delay, held, url, *map(str, paths)]) + "\n")
        self.process.stdin.flush()
        return self.current

    def run(self, url: str, *paths: Path, kill_after: float | None = None, timeout: float = 180) -> Outcome:
        outcome = self.start(url, *paths, kill_after=kill_after)
        ended = outcome.finished.wait(timeout=timeout)
        # What the load printed and whether the server lives: a load that never ends says where it stood
        # (a crash test's killed load once did not report its end within 180 s in CI, and said no more).
        assert ended, (
            f"the load did not end within {timeout} s (kill_after {kill_after}); it printed {outcome.lines}; "
            f"the load server {'is running' if self.process.poll() is None else 'exited'}"
        )
        return outcome

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a load still held by a failed test: it gives up on its own
            self.process.kill()
            self.process.wait(timeout=60)
        self.reader.join(timeout=30)


def main(argv: list[str]) -> int:
    _trace_the_loader()
    if argv == ["--serve"]:
        return serve()
    url, *paths = argv
    run_load(url, paths)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
