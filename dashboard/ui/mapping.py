"""The upload box's mapping form: for a table file whose name says no entity, or whose headings do not give
the columns its entity needs, a form that maps each heading to a column (or ignores it), with a preview of
the first rows. The mapping is remembered in the warehouse (dashboard.ui.actions.save_layout) for the next
file with the same headings; the load then reads the file as mapped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import polars as pl
import streamlit as st

from dashboard.services.access import User
from dashboard.services.settings import column_maps
from dashboard.services.uploads import UploadLayout, saved_name, upload_layout
from dashboard.ui import actions
from dashboard.ui.db import app_config, get_engine
from domain.entities import LOAD_ORDER
from etl.columns import ENTITIES, IGNORE

Translate = Callable[..., str]
_SAVED = "data_layouts_saved"  # mappings saved in this session: a saved one changes how files read


def chosen_entity(name: str) -> str | None:
    """The entity a person gave the file: kept apart from the form's widget, whose state Streamlit drops
    once the form is no longer drawn (the mapping saved)."""
    return st.session_state.get(f"data_layout_kind_{name}") or st.session_state.get(f"data_layout_entity_{name}")


def upload_names(uploads: Sequence[Any]) -> list[tuple[str, bytes]]:
    """(name to save under, content) of each upload: a file given an entity in the form is saved under a
    name that says it (dashboard.services.uploads.saved_name)."""
    named = []
    for upload in uploads:
        entity = chosen_entity(upload.name)
        named.append((saved_name(upload.name, entity) if entity else upload.name, upload.getvalue()))
    return named


def _layout(upload: Any, entity: str | None) -> UploadLayout | None:
    """The upload's layout, read once per file, kind and saved mapping: not again on every rerun (a large
    file was written to disk and its header read each time a widget changed)."""
    key = (getattr(upload, "file_id", upload.name), len(upload.getvalue()), entity, st.session_state.get(_SAVED, 0))
    cache: dict[Any, UploadLayout | None] = st.session_state.setdefault("data_layouts", {})
    if key not in cache:
        maps = column_maps(app_config())
        cache[key] = upload_layout(upload.name, upload.getvalue(), engine=get_engine(), column_maps=maps, entity=entity)
    return cache[key]


def mapping_forms(uploads: Sequence[Any], t: Translate, entity_label: Callable[[str], str], user: User) -> None:
    """A form for each uploaded table file the load could not read as it is (the page may load anyway:
    such a file is then refused with its reason)."""
    for upload in uploads:
        layout = _layout(upload, chosen_entity(upload.name))
        if layout is None:
            continue
        if layout.problem:
            st.warning(t("mapping.unreadable", name=upload.name, reason=layout.problem))
            continue
        if not layout.needs_mapping:
            if st.session_state.pop(f"data_layout_saved_{upload.name}", False):
                st.success(t("mapping.saved", name=upload.name))
            continue
        with st.expander(t("mapping.title", name=upload.name), expanded=True):
            _form(layout, t, entity_label, user)


def _form(layout: UploadLayout, t: Translate, entity_label: Callable[[str], str], user: User) -> None:
    name = layout.name
    entities = [e for e in LOAD_ORDER if e != "calendar"] + ["calendar"]
    entity = st.selectbox(
        t("mapping.entity"),
        entities,
        index=entities.index(layout.entity) if layout.entity in entities else None,
        format_func=entity_label,
        key=f"data_layout_entity_{name}",
    )
    if entity is None or layout.peek is None:
        st.info(t("mapping.unknown_kind"))
        return
    peek = layout.peek
    st.caption(t("mapping.missing", columns=", ".join(_missing_label(c, entity, t) for c in peek.missing)))
    options = [IGNORE, *ENTITIES[entity].columns]
    with st.form(key=f"data_mapping_{entity}_{name}"):
        chosen = []
        columns = st.columns(min(len(peek.headings), 4) or 1)
        for index, (heading, current) in enumerate(zip(peek.headings, peek.columns, strict=True)):
            chosen.append(
                columns[index % len(columns)].selectbox(
                    heading or f"#{index + 1}",
                    options,
                    index=options.index(current) if current in options else 0,
                    format_func=lambda c: t(f"field.{c}") if c else t("mapping.ignore"),
                    key=f"data_map_{entity}_{name}_{index}",
                )
            )
        st.caption(t("mapping.preview"))
        st.dataframe(_preview(peek.headings, peek.preview), hide_index=True)
        submitted = st.form_submit_button(t("mapping.save"), type="primary")
    if not submitted:
        return
    picked = [c for c in chosen if c]
    twice = next((c for c in picked if picked.count(c) > 1), None)
    if twice is not None:
        st.error(t("mapping.twice", column=t(f"field.{twice}")))
        return
    missing = [c for c in ENTITIES[entity].required if c not in picked]
    keyed = "document_id" in missing and "number" in picked and "date" in picked
    missing = [c for c in missing if not (c == "document_id" and keyed)]
    if missing:
        st.error(t("mapping.still_missing", columns=", ".join(_missing_label(c, entity, t) for c in missing)))
        return
    actions.save_layout(user, entity, peek.headings, chosen)
    st.session_state[f"data_layout_saved_{name}"] = True
    st.session_state[_SAVED] = st.session_state.get(_SAVED, 0) + 1  # every file's layout is read anew
    st.session_state[f"data_layout_kind_{name}"] = entity
    st.rerun()


def _missing_label(column: str, entity: str, t: Translate) -> str:
    """A document list keys its rows by number and date when it has no id column: say so."""
    if column == "document_id" and "number" in ENTITIES[entity].columns:
        return t("field.document_id_or_number")
    return t(f"field.{column}")


def _preview(headings: list[str], rows: list[list[str]]) -> pl.DataFrame:
    """The first rows under their headings, numbered (two headings may be alike or empty)."""
    names = [f"{i + 1}. {h}" for i, h in enumerate(headings)]
    return pl.DataFrame(
        [[(row[i] if i < len(row) else "") for i in range(len(headings))] for row in rows],
        schema=dict.fromkeys(names, pl.String),
        orient="row",
    )
