"""The data page through AppTest, and the upload step (dashboard/services/uploads.py) with real files.

The fixture ledger is tests/helpers/ledgers.py's: 2 counterparties, 3 contracts, 5 shipments and 2 payments,
which FIFO turns into 4 matches. shipments_bad.csv adds S6 (loads) and S7 with the amount «много» (rejected).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from dashboard.i18n import translate
from dashboard.services.uploads import (
    ProgressTracker,
    UploadError,
    result_counts,
    result_files,
    safe_name,
    save_and_load,
    save_uploads,
)
from dashboard.ui.context import PageContext
from dashboard.ui.filters import Filters
from etl.load import load_paths
from queries.rejects import rejects_list
from tests.helpers.ledgers import source
from tests.helpers.paths import ROOT
from warehouse.engine import ensure_schema, make_engine

BAD = "document_id,contract_id,date,amount,number\nS6,C1,2025-03-03,250,УПД-6\nS7,C1,2025-03-04,много,УПД-7\n"


@pytest.fixture(autouse=True)
def upload_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads go to a folder of the test's own, not the machine's shared one."""
    monkeypatch.setattr("dashboard.services.uploads.UPLOAD_FOLDER", tmp_path / "uploads")


def page(language: str = "ru") -> AppTest:
    test = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=60)
    test.session_state["page_context"] = PageContext(
        language, Filters(date(2025, 2, 28), "RUB", manager="", group="", counterparty_id="", contract_id="")
    )
    return test.run()


def source_files(tmp_path: Path) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in sorted(source(tmp_path).iterdir())]


def frame_of(test: AppTest, key: str) -> pl.DataFrame:
    """A shown table, told apart by its columns (AppTest does not expose a dataframe's key)."""
    frames = [pl.from_pandas(element.value) for element in test.dataframe]
    kinds = {
        "data_history": [f for f in frames if "started" in f.columns],
        "data_files": [f for f in frames if "rows_read" in f.columns],
        "data_rejects": [f for f in frames if "reason" in f.columns and "предупреждение" not in f["kind"].to_list()],
        "data_warnings": [f for f in frames if "reason" in f.columns and "предупреждение" in f["kind"].to_list()],
        # The upload's summary, when shown, comes before the chosen load's counts.
        "data_counts": [f for f in frames if f.columns[:2] == ["entity", "read"]][-1:],
        "data_upload_counts": [f for f in frames if f.columns[:2] == ["entity", "read"]][:-1],
    }[key]
    assert len(kinds) == 1, f"expected one {key} table, found {len(kinds)}"
    return kinds[0]


def test_empty_warehouse_offers_the_upload(app_db: str) -> None:
    test = page()
    assert not test.exception
    assert test.title[0].value == "Данные"
    assert len(test.file_uploader) == 1
    assert test.file_uploader[0].accept_multiple_files
    assert sorted(test.file_uploader[0].allowed_type) == [".csv", ".tsv", ".txt", ".xlsx", ".xml", ".zip"]
    assert test.button(key="data_upload_button").disabled
    assert any("Загрузок ещё не было" in info.value for info in test.info)


def test_history_files_counts_and_rejects(app_db: str, tmp_path: Path) -> None:
    bad = tmp_path / "more" / "shipments_bad.csv"
    bad.parent.mkdir()
    bad.write_text(BAD, encoding="utf-8")
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)], command="load src")
    load_paths(engine, [bad], command="load bad")
    engine.dispose()

    test = page()
    assert not test.exception
    assert [s.value for s in test.subheader] == ["Загрузка файлов", "История загрузок", "Отклонённые строки: 1"]
    history = frame_of(test, "data_history")
    assert history.select("load_id", "command", "files", "read", "new", "rejected", "matches").rows() == [
        # S6 is K1's: K1's matches are written again (the same 4; S6 stays open).
        (2, "load bad", 1, 2, 1, 1, 4),
        (1, "load src", 4, 12, 12, 0, 4),
    ]
    # The newest load's details by default.
    assert frame_of(test, "data_counts").rows() == [("Отгрузки", 2, 1, 0, 0, 0, 1)]
    assert frame_of(test, "data_files").select("name", "entity", "rows_read").rows() == [
        ("shipments_bad.csv", "Отгрузки", 2)
    ]
    test.selectbox(key="data_load_id").set_value(1).run()
    assert frame_of(test, "data_counts")["read"].to_list() == [2, 3, 5, 2]
    rejects = frame_of(test, "data_rejects")
    assert rejects.select("load_id", "kind", "entity", "line", "column", "value").rows() == [
        (2, "строка", "Отгрузки", 3, "amount", "много")
    ]
    assert rejects["name"].to_list() == ["shipments_bad.csv"]
    assert rejects["path"][0] == str(bad.resolve())


def test_warnings_are_shown_apart_from_the_rows_that_did_not_load(app_db: str, tmp_path: Path) -> None:
    bad = tmp_path / "more" / "shipments_bad.csv"
    bad.parent.mkdir()
    bad.write_text(BAD.replace("УПД-6", "УПД-6,сто").replace("number", "number,vat"), encoding="utf-8")
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    load_paths(engine, [bad])
    engine.dispose()

    test = page()
    assert not test.exception
    assert [s.value for s in test.subheader][-2:] == ["Отклонённые строки: 1", "Предупреждения: 1"]
    assert frame_of(test, "data_rejects").select("line", "column", "value").rows() == [(3, "amount", "много")]
    warnings = frame_of(test, "data_warnings")
    assert warnings.select("kind", "line", "column", "value").rows() == [("предупреждение", 2, "vat", "сто")]
    assert "строка загружена без этого значения" in warnings["reason"][0]  # the reason in the reader's language


def test_upload_loads_the_files_and_refreshes_the_page(app_db: str, tmp_path: Path) -> None:
    test = page()
    files = [(name, content, "text/csv") for name, content in source_files(tmp_path)]
    test.file_uploader[0].set_value([*files, ("notes.csv", b"a,b\n1,2\n", "text/csv")]).run()
    assert not test.button(key="data_upload_button").disabled
    test.button(key="data_upload_button").click().run()
    assert not test.exception
    assert test.success[0].value.startswith("Загрузка № 1 завершена: файлов 5,")
    assert test.warning[0].value.startswith("Файл notes.csv не принят: это не файл с данными")
    assert frame_of(test, "data_upload_counts").rows() == [
        ("Контрагенты", 2, 2, 0, 0, 0, 0),
        ("Договоры", 3, 3, 0, 0, 0, 0),
        ("Отгрузки", 5, 5, 0, 0, 0, 0),
        ("Оплаты", 2, 2, 0, 0, 0, 0),
    ]
    # The history below already shows the new load (the warehouse version changed), and the box is empty.
    history = frame_of(test, "data_history")
    assert history.select("load_id", "command", "files", "refused_files", "new", "matches").rows() == [
        (1, "upload contracts.csv counterparties.csv payments.csv shipments.csv notes.csv", 5, 1, 12, 4)
    ]
    assert test.file_uploader[0].value in (None, [])
    assert not list((tmp_path / "uploads").iterdir())  # the saved copies are gone
    engine = make_engine(app_db, pooled=False)
    with engine.connect() as conn:
        documents = conn.execute(text("SELECT COUNT(*) FROM documents")).scalar()
    engine.dispose()
    assert documents == 7


def test_after_an_upload_the_details_show_the_new_load(app_db: str, tmp_path: Path) -> None:
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    test = page()
    assert test.selectbox(key="data_load_id").value == 1
    test.file_uploader[0].set_value(("shipments_bad.csv", BAD.encode(), "text/csv")).run()
    test.button(key="data_upload_button").click().run()
    assert not test.exception
    assert test.selectbox(key="data_load_id").value == 2
    assert frame_of(test, "data_counts").rows() == [("Отгрузки", 2, 1, 0, 0, 0, 1)]
    assert frame_of(test, "data_upload_counts").rows() == [("Отгрузки", 2, 1, 0, 0, 0, 1)]
    assert frame_of(test, "data_rejects").select("name", "line", "value").rows() == [("shipments_bad.csv", 3, "много")]


def test_data_page_in_english(app_db: str, tmp_path: Path) -> None:
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    test = page("en")
    assert not test.exception
    assert test.title[0].value == "Data"
    assert [s.value for s in test.subheader] == ["Upload files", "Load history", "Rejected rows: 0"]
    assert test.success[0].value == "No rejected rows."
    assert frame_of(test, "data_counts")["entity"].to_list() == ["Counterparties", "Contracts", "Shipments", "Payments"]


# -------------------------------------------------------------------------------- the upload step


def test_save_and_load_real_files(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}", pooled=False)
    ensure_schema(engine)
    folder = tmp_path / "uploads"
    reports: list[tuple[str, int, int]] = []
    result = save_and_load(
        source_files(tmp_path),
        engine=engine,
        company_inn="7701234567",
        progress=lambda stage, done, total: reports.append((stage, done, total)),
        folder=folder,
    )
    assert result.load_id == 1
    assert result.matches_written == 4
    assert result_counts(result).rows() == [
        ("counterparties", 2, 2, 0, 0, 0, 0),
        ("contracts", 3, 3, 0, 0, 0, 0),
        ("shipments", 5, 5, 0, 0, 0, 0),
        ("payments", 2, 2, 0, 0, 0, 0),
    ]
    assert result_files(result).select("name", "entity", "rows_read").rows() == [
        ("contracts.csv", "contracts", 3),
        ("counterparties.csv", "counterparties", 2),
        ("payments.csv", "payments", 2),
        ("shipments.csv", "shipments", 5),
    ]
    assert [r for r in reports if r[0] == "read"] == [("read", i, 4) for i in range(4)]
    assert reports[-1][0] == "rollups"  # a first load matches everyone, then builds the rollups in full
    # Every stage the load reports is worded on the page's bar (a missing one showed its catalog key).
    for stage in {stage.partition(" ")[0] for stage, _done, _total in reports}:
        for language in ("ru", "en"):
            assert translate(f"data.stage.{stage}", language, entity="") != f"data.stage.{stage}"
    assert not list(folder.iterdir())
    with engine.connect() as conn:
        command = conn.execute(text("SELECT command FROM load_runs")).scalar()
    assert command == "upload contracts.csv counterparties.csv payments.csv shipments.csv"
    engine.dispose()


def test_a_corrected_file_of_the_same_name_replaces_its_rejects(tmp_path: Path) -> None:
    """Why the upload folder is always the same: the loader knows a file by its path."""
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}", pooled=False)
    ensure_schema(engine)
    folder = tmp_path / "uploads"
    save_and_load(source_files(tmp_path), engine=engine, folder=folder)
    save_and_load([("shipments_more.csv", BAD.encode())], engine=engine, folder=folder)
    with engine.connect() as conn:
        assert rejects_list(conn).select("line", "value").rows() == [(3, "много")]
    fixed = BAD.replace("много", "75")
    result = save_and_load([("shipments_more.csv", fixed.encode())], engine=engine, folder=folder)
    assert result.counts["shipments"].new == 1
    with engine.connect() as conn:
        assert rejects_list(conn).height == 0
        amount = conn.execute(text("SELECT amount FROM documents WHERE document_id = 'S7'")).scalar()
    assert amount == 7_500
    engine.dispose()


def test_upload_names(tmp_path: Path) -> None:
    assert safe_name("shipments.csv") == "shipments.csv"
    assert safe_name("C:\\Users\\buh\\Выгрузка\\payments.xlsx") == "payments.xlsx"
    assert safe_name("../../etc/contracts.csv") == "contracts.csv"
    for bad in ("", "   ", ".hidden.csv", "..", "folder/.."):
        with pytest.raises(UploadError):
            safe_name(bad)
    saved = save_uploads([("a/shipments.csv", b"1"), ("b/shipments.csv", b"2"), ("payments.csv", b"3")], tmp_path)
    assert [p.name for p in saved] == ["shipments.csv", "payments.csv"]
    assert (tmp_path / "shipments.csv").read_bytes() == b"2"  # the same name twice: the last one wins
    with pytest.raises(UploadError):
        save_and_load([], engine=make_engine(f"sqlite:///{tmp_path / 'w.db'}", pooled=False), folder=tmp_path)


def test_progress_only_moves_forward() -> None:
    tracker = ProgressTracker()
    steps = [
        ("read", 0, 4),
        ("read", 2, 4),
        ("validate counterparties", 0, 1),
        ("validate shipments", 0, 1),
        ("write shipment", 0, 100_000),
        ("write shipment", 50_000, 100_000),
        ("validate payments", 0, 1),
        ("write payment", 0, 10),
        ("match", 0, 40),
        ("match", 20, 40),
        ("rollups", 1, 2),
        ("read", 0, 4),  # out of order: the bar does not go back
    ]
    seen = [tracker.update(*step) for step in steps]
    fractions = [fraction for fraction, _name, _subject in seen]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0
    assert fractions[1] == pytest.approx(0.15)
    assert fractions[-3] == pytest.approx(0.875)  # matching: 0.8 + 0.15 * 20 / 40
    assert fractions[-2] == pytest.approx(0.975)  # the rollups: 0.95 + 0.05 * 1 / 2
    assert [(name, subject) for _f, name, subject in seen[2:5]] == [
        ("validate", "counterparties"),
        ("validate", "shipments"),
        ("write", "shipments"),
    ]


def test_an_edo_archive_uploads_and_says_what_it_skipped(app_db: str, tmp_path: Path) -> None:
    """The archive of tests/etl/load/test_edo_load.py through the upload box: the company's INN is the
    warehouse's (kept by an earlier load), the reference files come first, then the .zip alone."""
    from tests.helpers.edo import COMPANY, edo_folder

    folder = edo_folder(tmp_path / "edo")
    engine = make_engine(app_db, pooled=False)
    load_paths(
        engine,
        [folder / "contracts.csv", folder / "counterparties.csv"],
        company_inn=COMPANY,
        company_name="ООО «Волжский Опт»",
    )
    engine.dispose()
    test = page()
    archive = folder / "Диадок выгрузка.zip"
    test.file_uploader[0].set_value([(archive.name, archive.read_bytes(), "application/zip")]).run()
    test.button(key="data_upload_button").click().run()
    assert not test.exception
    assert frame_of(test, "data_upload_counts").rows() == [
        ("Контрагенты", 3, 3, 0, 0, 0, 0),
        ("Договоры", 3, 3, 0, 0, 0, 0),  # rejected by the first load for want of the buyers, retried now
        ("Отгрузки", 5, 5, 0, 0, 0, 0),
        ("Корректировки", 2, 2, 0, 0, 0, 0),
    ]
    assert [c.value for c in test.caption if c.value.startswith("Не долги")] == [
        "Не долги из архивов ЭДО, пропущены: счета-фактуры без передачи товара (СЧФ): 1; документы поставщиков: 1; "
        "повторы и исправленные копии: 2; прочие файлы (подписи, извещения, титулы покупателя): 2"
    ]


REPORT = (
    "Номер накладной;Дата;Договор;Сумма с НДС;Комментарий\n"
    "УПД-8;03.03.2025;C1;1 500,00;срочно\n"
    "УПД-9;04.03.2025;C1;250,00;\n"
).encode()


def test_a_file_of_unknown_kind_and_headings_is_mapped_in_the_box_and_remembered(app_db: str, tmp_path: Path) -> None:
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    test = page()
    test.file_uploader[0].set_value([("Отчёт по продажам.csv", REPORT, "text/csv")]).run()
    assert not test.exception
    assert test.expander[0].label == "Сопоставьте колонки файла Отчёт по продажам.csv"
    assert test.info[0].value == "По имени файла не понять, что в нём. Выберите вид данных."

    test.selectbox(key="data_layout_entity_Отчёт по продажам.csv").set_value("shipments").run()
    assert test.caption[-2].value.startswith("Не хватает колонок: Код документа (или Номер вместе с Датой).")
    prefix = "data_map_shipments_Отчёт по продажам.csv_"
    assert [test.selectbox(key=f"{prefix}{i}").value for i in range(5)] == ["", "date", "contract_id", "amount", ""]
    test.selectbox(key=f"{prefix}0").set_value("number")
    test.button[0].click().run()  # the form's submit: remember the mapping
    assert not test.exception
    assert test.success[0].value == "Сопоставление для Отчёт по продажам.csv сохранено: файл можно загружать."
    assert not test.expander

    test.button(key="data_upload_button").click().run()
    assert not test.exception
    assert [w.value for w in test.warning] == [], [s.value for s in test.success]
    assert frame_of(test, "data_upload_counts").rows() == [("Отгрузки", 2, 2, 0, 0, 0, 0)]
    engine = make_engine(app_db, pooled=False)
    with engine.connect() as conn:
        loaded = dict(
            conn.execute(text("SELECT document_id, amount FROM documents WHERE document_id LIKE '% от %'")).all()
        )
        audit = conn.execute(text("SELECT action, subject FROM audit_log WHERE action = 'settings'")).one()
    engine.dispose()
    assert loaded == {"УПД-8 от 03.03.2025": 150000, "УПД-9 от 04.03.2025": 25000}
    assert audit.subject.startswith("columns of shipments: Номер накладной -> number, Дата -> date")


def test_an_uploaded_statement_names_its_unidentified_payers(app_db: str, tmp_path: Path) -> None:
    """АО Незнакомец (ИНН 7728168971) is no counterparty's: the upload's result names it with its payment."""
    engine = make_engine(app_db, pooled=False)
    load_paths(engine, [source(tmp_path)])
    engine.dispose()
    statement = ROOT / "tests" / "data" / "bad" / "bank_unknown_payer.txt"
    test = page()
    test.file_uploader[0].set_value([("kl_to_1c.txt", statement.read_bytes(), "text/plain")]).run()
    test.button(key="data_upload_button").click().run()
    assert not test.exception
    assert any("без опознанного плательщика: 1" in w.value for w in test.warning)
    payers = [pl.from_pandas(d.value) for d in test.dataframe if "payer_inn" in d.value.columns]
    assert len(payers) == 1
    assert payers[0].select("doc_number", "payer_name", "payer_inn").rows() == [("130", "АО Незнакомец", "7728168971")]
    assert [str(v) for v in payers[0]["amount"]] == ["100.00"]
