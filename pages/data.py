"""Data: upload source files through the ETL, the load history, and the rows that did not load."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import polars as pl
import streamlit as st
from streamlit.errors import StreamlitAPIException

from dashboard.services.reasons import reason_in, reasons_in
from dashboard.services.uploads import UPLOAD_TYPES, ProgressTracker, result_counts, result_files
from dashboard.ui import actions, loaders
from dashboard.ui.auth import page_user, require
from dashboard.ui.context import page_context
from dashboard.ui.db import app_config
from dashboard.ui.mapping import mapping_forms, upload_names
from dashboard.ui.tables import show_table
from dashboard.ui.uploader import uploader
from domain.entities import BANK_PAYMENTS, LOAD_ORDER
from queries.loads import COUNT_FIELDS
from warehouse.connect import masked_url

ctx = page_context()
t, language = ctx.t, ctx.language
require(page_user().may_load, language)  # loads, files and rejects: the finance team's

# What a load's counts and files name: the entities, bank statements, and the files it skipped or refused.
ENTITIES = (*LOAD_ORDER, BANK_PAYMENTS, "bank_statement", "edo", "skipped", "refused")
ENTITY_LABELS = {name: t(f"data.entity.{name}") for name in ENTITIES}
COUNT_LABELS = {"entity": t("data.col.entity")} | {field: t(f"data.col.{field}") for field in COUNT_FIELDS}


def entity_label(name: str) -> str:
    return ENTITY_LABELS.get(name, name)


MOMENT = "%d.%m.%Y %H:%M:%S" if language == "ru" else "%Y-%m-%d %H:%M:%S"


def labelled(frame: pl.DataFrame) -> pl.DataFrame:
    """Entity codes as words (the Excel download gets the same words)."""
    return frame.with_columns(pl.col("entity").replace(ENTITY_LABELS)) if "entity" in frame.columns else frame


st.title(t("page.data"))
st.caption(t("warehouse.url", url=masked_url(app_config().db_url)))  # never the password

# ------------------------------------------------------------------------------------------- upload
with st.container(border=True):
    st.subheader(t("data.upload.heading"), anchor=False)
    round_number = st.session_state.setdefault("data_upload_round", 0)  # a new key empties the box
    uploads = uploader(
        t("data.upload.label"),
        key=f"data_upload_{round_number}",
        types=UPLOAD_TYPES,
        multiple=True,
        language=language,
        help=t("data.upload.help"),
    )
    st.caption(t("data.upload.hint"))
    if uploads:
        mapping_forms(uploads, t, entity_label, page_user())
    if st.button(t("data.upload.button"), type="primary", disabled=not uploads, key="data_upload_button"):
        with st.status(t("data.upload.running", files=len(uploads)), expanded=True) as status:
            bar = st.progress(0.0, text=t("data.stage.read", entity=""))
            tracker, reported = ProgressTracker(), {"percent": -1, "text": ""}

            def on_progress(stage: str, done: int, total: int) -> None:
                fraction, name, subject = tracker.update(stage, done, total)
                text = t(f"data.stage.{name}", entity=entity_label(subject))
                percent = int(fraction * 100)
                if (
                    percent != reported["percent"] or text != reported["text"]
                ):  # a large load reports thousands of times
                    reported.update(percent=percent, text=text)
                    bar.progress(fraction, text=text)

            try:
                result = actions.load_files(upload_names(uploads), user=page_user(), progress=on_progress)
            except Exception as exc:  # the load is one transaction: nothing was written; say why
                status.update(label=t("data.upload.failed"), state="error")
                st.error(f"{type(exc).__name__}: {exc}")
            else:
                status.update(label=t("data.upload.done_short"), state="complete")
                st.session_state["data_last_upload"] = {
                    "load_id": result.load_id,
                    "seconds": result.seconds,
                    "counts": result_counts(result),
                    "files": result_files(result),
                    "matches": result.matches_written,
                    "unidentified": result.bank_unidentified,
                    "retried": result.retried,
                    "retried_loaded": result.retried_loaded,
                    "edo_skipped": result.edo_skipped,
                }
                st.session_state["data_upload_round"] = round_number + 1
                st.rerun()  # the warehouse version changed: every page's queries (and the sidebar) refresh

    last = st.session_state.get("data_last_upload")
    if last:
        files = last["files"]
        st.success(
            t(
                "data.upload.done",
                load_id=last["load_id"],
                files=files.height,
                seconds=f"{last['seconds']:.1f}".replace(".", "," if language == "ru" else "."),
                matches=last["matches"],
            )
        )
        for name, entity, message in files.select("name", "entity", "message").iter_rows():
            if entity in ("refused", "skipped"):  # the load's words (English) in the reader's language
                st.warning(t(f"data.upload.{entity}", name=name, reason=reason_in(message, language)))
        if last["unidentified"]:
            st.warning(t("data.upload.unidentified", count=last["unidentified"]))
            # Who they are, so the controller can find the client (or its new INN) at once.
            payers = loaders.unidentified_payments(load_id=last["load_id"])
            show_table(
                payers.select("doc_date", "doc_number", "payer_name", "payer_inn", "amount", "currency", "purpose"),
                money=("amount",),
                key="data_unidentified",
                file_name=f"load_{last['load_id']}_unidentified.xlsx",
                language=language,
                labels={
                    c: t(f"data.unidentified.{c}")
                    for c in ("doc_date", "doc_number", "payer_name", "payer_inn", "amount", "currency", "purpose")
                },
            )
            with suppress(StreamlitAPIException):  # outside the router (a test runs the page alone): no link
                st.page_link(
                    Path(__file__).with_name("exceptions.py"),
                    label=t("data.upload.unidentified_link"),
                    icon=":material/help:",
                )
        if last["retried"]:
            st.caption(t("data.upload.retried", count=last["retried"], loaded=last["retried_loaded"]))
        if last.get("edo_skipped"):
            st.caption(
                t("data.upload.edo_skipped")
                + "; ".join(t(f"data.upload.edo_skipped.{what}", count=n) for what, n in last["edo_skipped"].items())
            )
        show_table(
            labelled(last["counts"]),
            money=(),
            key="data_upload_counts",
            file_name=f"load_{last['load_id']}_summary.xlsx",
            language=language,
            labels=COUNT_LABELS,
        )

# ------------------------------------------------------------------------------------------ history
history = loaders.load_history()
if history.height == 0:
    st.info(t("data.no_loads"))
    st.stop()

st.subheader(t("data.history"), anchor=False)
table = history.select(
    "load_id",
    pl.col("started_at").dt.strftime(MOMENT).alias("started"),
    (pl.col("duration_ms") / 1000).round(1).alias("seconds"),
    pl.format("{}@{}", "user_name", "host").alias("who"),
    "command",
    "files",
    "refused_files",
    (pl.col("size_bytes") / 1024).round(1).alias("size_kb"),
    *COUNT_FIELDS,
    "matches",
    "status",
)
show_table(
    table,
    money=(),
    key="data_history",
    file_name="load_history.xlsx",
    language=language,
    labels={column: t(f"data.col.{column}") for column in table.columns},
)

latest = history["load_id"][0]
if st.session_state.get("data_latest_load") != latest:  # a new load: show its details, not the old choice
    st.session_state["data_latest_load"] = latest
    st.session_state["data_load_id"] = latest
started = dict(zip(history["load_id"].to_list(), table["started"].to_list(), strict=True))
chosen = st.selectbox(
    t("data.load_details"),
    list(started),
    key="data_load_id",
    format_func=lambda load_id: t("data.load_option", load_id=load_id, when=started[load_id]),
)
counts_tab, files_tab = st.tabs([t("data.counts"), t("data.files")])
with counts_tab:
    counts = loaders.load_counts(load_id=chosen).drop("load_id")
    show_table(
        labelled(counts),
        money=(),
        key="data_counts",
        file_name=f"load_{chosen}_counts.xlsx",
        language=language,
        labels=COUNT_LABELS,
    )
with files_tab:
    files = loaders.loaded_files(load_id=chosen).select(
        "name", "entity", (pl.col("size_bytes") / 1024).round(1).alias("size_kb"), "rows_read", "message", "path"
    )
    files = files.with_columns(reasons_in(files["message"], language))
    show_table(
        labelled(files),
        money=(),
        key="data_files",
        file_name=f"load_{chosen}_files.xlsx",
        language=language,
        labels={column: t(f"data.col.{column}") for column in files.columns},
    )

# ------------------------------------------------------------------------------- rejects and warnings
REJECT_KINDS = {kind: t(f"data.reject_kind.{kind}") for kind in ("row", "reference", "file", "warning")}


def show_rejects(rejects: pl.DataFrame, key: str) -> None:
    shown = labelled(rejects).select(
        pl.col("file").str.replace(r"^.*[\\/]", "").alias("name"),
        "line",
        "column",
        "value",
        "reason",
        pl.col("kind").replace(REJECT_KINDS),
        "entity",
        "key",
        "load_id",
        pl.col("file").alias("path"),
    )
    shown = shown.with_columns(reasons_in(shown["reason"], language))  # stored in English, read in the user's
    show_table(
        shown,
        money=(),
        key=f"data_{key}",
        file_name=f"{key}.xlsx",
        language=language,
        labels={column: t(f"data.col.{column}") for column in shown.columns},
    )


listed = loaders.rejects_list()
rejects, warnings = listed.filter(pl.col("kind") != "warning"), listed.filter(pl.col("kind") == "warning")
st.subheader(t("data.rejects", count=rejects.height), anchor=False)
if rejects.height == 0:
    st.success(t("data.no_rejects"))
else:
    st.caption(t("data.rejects_hint"))
    show_rejects(rejects, "rejects")
if warnings.height:
    st.subheader(t("data.warnings", count=warnings.height), anchor=False)
    st.caption(t("data.warnings_hint"))
    show_rejects(warnings, "warnings")
