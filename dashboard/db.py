"""The warehouse engine for the app, configured like the CLI (RECEIVABLES_DB_URL, RECEIVABLES_CONFIG)."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from etl.config import Config, load_config
from etl.warehouse import ensure_schema, make_engine


@st.cache_resource
def app_config() -> Config:
    return load_config()


@st.cache_resource
def get_engine() -> Engine:
    engine = make_engine(app_config().db_url)
    ensure_schema(engine)
    return engine
