"""Fixtures of the load's tests: the load server that runs loads in processes of their own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.load_runner import LoadServer


@pytest.fixture(scope="module")
def load_server() -> Iterator[LoadServer]:
    """One server per test module (tests/helpers/load_runner.py): each load it runs can be killed or held."""
    server = LoadServer()
    yield server
    server.close()
