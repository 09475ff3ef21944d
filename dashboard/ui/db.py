"""The warehouse engine for the app, configured like the CLI (RECEIVABLES_DB_URL, RECEIVABLES_CONFIG)."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from dashboard.services.settings import Config, load_config
from warehouse.connect import open_warehouse


@st.cache_resource
def app_config() -> Config:
    return load_config()


@st.cache_resource
def get_engine() -> Engine:
    """The engine, or WarehouseUnavailable with a message safe to show (not cached: the next rerun retries)."""
    return open_warehouse(app_config().db_url)
