"""The crash tests' load server reports every load's end, even one killed in the middle of a line.

CI runs Python unbuffered (PYTHONUNBUFFERED=1), and there print() writes a line's text and its newline
in two writes. A load killed between them once left `validate adjustments\t0.259` without its end; the
server's `exit -9` joined it, and the crash test waited 180 s for an end it had been told of.
"""

from __future__ import annotations

import io

import pytest

from tests.helpers import load_runner
from tests.helpers.load_runner import Outcome


class _Writes(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def write(self, text: str) -> int:
        self.calls.append(text)
        return super().write(text)


def test_a_line_goes_out_in_one_write(monkeypatch: pytest.MonkeyPatch) -> None:
    out = _Writes()
    monkeypatch.setattr("sys.stdout", out)
    load_runner.say("validate adjustments\t0.259")
    assert out.calls == ["validate adjustments\t0.259\n"]


def test_the_end_of_a_load_killed_mid_line_is_seen() -> None:
    outcome = Outcome()
    # What the pipe holds: the killed load's unended line, then the server's report of its end.
    for line in ("validate adjustments\t0.259" + load_runner.exit_report(-9) + "\n").splitlines():
        outcome.take(line)
    assert outcome.finished.is_set()
    assert outcome.code == -9
    assert outcome.lines == ["validate adjustments\t0.259"]
    assert outcome.last_stage == "validate adjustments"


def test_held_and_stages_as_before() -> None:
    outcome = Outcome()
    for line in ("read\t0.014", "held", "done 7\t1.500", "", "exit 0"):
        outcome.take(line)
    assert outcome.held.is_set()
    assert (outcome.code, outcome.stages, outcome.seconds) == (0, ["read", "done 7"], 1.5)
