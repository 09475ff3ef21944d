"""Cached access to the queries for the pages.

Results are cached by the query's parameters and the warehouse version (the last load's id), so a
new load shows at once and nothing stale lingers. The engine is one per process (st.cache_resource).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from dashboard.ui.db import get_engine
from warehouse.state import warehouse_version


def current_version() -> int:
    with get_engine().connect() as conn:
        return warehouse_version(conn)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached(_engine: Engine, name: str, version: int, params: tuple[tuple[str, Any], ...]) -> Any:
    module_name, function_name = name.rsplit(".", 1)
    module = __import__(module_name, fromlist=[function_name])
    function: Callable[..., Any] = getattr(module, function_name)
    with _engine.connect() as conn:
        return function(conn, **dict(params))


def run_query(name: str, **params: Any) -> Any:
    """Run `queries.<module>.<function>` with keyword parameters (hashable: dates, strings, Scope, tuples)."""
    return _cached(get_engine(), name, current_version(), tuple(sorted(params.items())))
