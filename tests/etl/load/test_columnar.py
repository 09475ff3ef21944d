"""The column-wise load path against the row-wise one, which stays the reference (hypothesis).

- a document file's rows: the same records, rejects (reasons, lines, order) and counts whether the rows go
  row by row (etl.load.validate) or as a frame (etl.load.documents with etl.load.vouch);
- the row hash column-wise equals upsert._row_hash, so a reload after the change finds rows unchanged;
- a CSV file read by polars (etl.load.columnar) gives the rows, line numbers and rejects of the row
  reader, or is left to it (None), or is refused with the same reason.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, create_engine, select

import warehouse
from domain.entities import DOCUMENT_KIND
from etl.columns import ENTITIES
from etl.errors import FileRefused
from etl.load import columnar, documents, load_paths, validate
from etl.load.columnar import LINE, FileFrame, read_frame
from etl.load.known import ContractRef, Known
from etl.load.rowhash import row_hashes
from etl.load.tables import Layouts, table_rows
from etl.load.types import Row, Tally
from etl.load.upsert import DOCUMENT_VALUES, _row_hash
from etl.load.vouch import RECORD_SCHEMA
from tests.helpers.ledgers import source
from warehouse.engine import ensure_schema, make_engine

PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FILE = "/data/documents.csv"

POOLS: dict[str, list[str]] = {
    "document_id": ["D1", "D2", "D3", "D4", " D5 ", "", "  ", "x" * 129, "Д-6"],
    "contract_id": ["C1", "C2", "C3", " C1 ", "", "C9", "Основной договор", "Договор № 7 от 01.02.2024"],
    "counterparty_id": ["", "", "K1", "K2", " K1", "K9", "ООО «Ромашка»", "7707083893"],
    "date": ["2025-01-02", "02.01.2025", "2.1.2025", "2025-02-30", "", " 2025-01-03 ", "2025-01-02T10:00", "abc"],
    "due_date": ["", "", "2025-03-01", "01.03.2025", "2025-13-01", " "],
    "amount": ["100", "100.5", "-100,25", "1 234,56", "0", "", "abc", "+7", "12.345", "1234567890123456", "-3"],
    "vat": ["", "10", "16.67", "200", "-1", "x", "1 000,00"],
    "currency": ["", "RUB", "руб.", "USD", "643", "ZZ9", "usd"],
    "deleted": ["", "0", "нет", "1", "да", "maybe", " FALSE "],
    "shipment_id": ["", "S100", "S101", "S999", " S100 "],
    "number": ["", " N-1 ", "a'b", "№ 5", "y" * 2001, "\t"],
    "warehouse": ["", "Склад", " Склад 2 "],
    "purpose": ["", "оплата по договору 7", 'a "b" c', "z" * 2001],
}


def _known(conn: Connection) -> Known:
    known = Known(conn)
    known.counterparties = {"K1": "7707083893", "K2": ""}
    known.names = {"K1": "ООО «Ромашка»", "K2": "Лютик"}
    known.contracts = {
        "C1": ContractRef("K1", "RUB", "7", 30, "calendar", date(2024, 2, 1), "Основной договор"),
        "C2": ContractRef("K2", "USD", "8", 10, "working", None, ""),
        "C3": ContractRef("K1", "RUB", "9", 0, "calendar", None, ""),
    }
    shipments = known.docs("shipment")
    dict.__setitem__(shipments, "S100", (1, "h1", "K1"))
    dict.__setitem__(shipments, "S101", (2, "h2", "K2"))
    return known


@pytest.fixture(scope="module")
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://")
    ensure_schema(engine)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@st.composite
def document_files(draw: st.DrawFn) -> tuple[str, list[str], list[dict[str, str]]]:
    entity = draw(st.sampled_from(sorted(DOCUMENT_KIND)))
    spec = ENTITIES[entity]
    optional = draw(st.lists(st.sampled_from(spec.optional), unique=True))
    columns = [c for c in spec.columns if c in spec.required or c in optional]  # as the reader orders them
    rows = draw(
        st.lists(st.fixed_dictionaries({c: st.sampled_from(POOLS[c]) for c in columns}), min_size=1, max_size=12)
    )
    return entity, columns, rows


@PROFILE
@given(document_files())
def test_frames_validate_as_rows_do(conn: Connection, case: tuple[str, list[str], list[dict[str, str]]]) -> None:
    entity, columns, rows = case
    lines = [2 + i * 2 for i in range(len(rows))]  # lines as a file with blank lines between rows numbers them
    by_rows, by_frame = Tally(), Tally()
    batch = [Row(FILE, line, {c: values[c] for c in columns}) for line, values in zip(lines, rows, strict=True)]
    pairs = list(validate._validated(entity, [batch], _known(conn), by_rows))
    frame = pl.DataFrame({LINE: lines, **{c: [r[c] for r in rows] for c in columns}})
    records = documents._file_records(entity, FileFrame(FILE, frame), _known(conn), by_frame)
    expected = documents.records_frame(pairs)
    assert records.to_dicts() == expected.to_dicts()
    assert by_frame.rejects == by_rows.rejects
    assert {e: c.as_dict() for e, c in by_frame.counts.items()} == {e: c.as_dict() for e, c in by_rows.counts.items()}


def test_a_clean_file_is_vouched_for_whole(conn: Connection) -> None:
    """The fast path takes the common rows itself (here every row): the property above is not vacuous."""
    rows = [
        {"document_id": f"S{i}", "contract_id": "C1", "date": "2025-01-02", "amount": "10.5", "vat": "1.75"}
        for i in range(5)
    ]
    frame = pl.DataFrame({LINE: [2, 3, 4, 5, 6], **{c: [r[c] for r in rows] for c in rows[0]}})
    called: list[int] = []
    original = validate._validated

    def counting(*args: Any) -> Any:
        called.append(1)
        return original(*args)

    validate._validated = counting  # type: ignore[assignment]
    try:
        records = documents._file_records("shipments", FileFrame(FILE, frame), _known(conn), Tally())
    finally:
        validate._validated = original
    assert not called
    assert records.select("amount", "vat", "counterparty_id", "currency").unique().rows() == [(1050, 175, "K1", "RUB")]


_TEXT = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.text(alphabet="abcЖж№«» '\"\\\t\n\x7f\xa0", max_size=8),
)


@PROFILE
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                **{c: _TEXT for c in DOCUMENT_VALUES if RECORD_SCHEMA[c] == pl.String},
                "doc_date": st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
                "own_due_date": st.none() | st.dates(),
                "side": st.sampled_from([1, -1]),
                "amount": st.integers(min_value=-(10**17), max_value=10**17),
                "vat": st.none() | st.integers(min_value=0, max_value=10**17),
            }
        ),
        min_size=1,
        max_size=20,
    )
)
def test_row_hashes_equal_the_stored_ones(records: list[dict[str, Any]]) -> None:
    frame = pl.DataFrame(records, schema={c: RECORD_SCHEMA[c] for c in DOCUMENT_VALUES})
    assert row_hashes(frame, DOCUMENT_VALUES).to_list() == [_row_hash([r[c] for c in DOCUMENT_VALUES]) for r in records]


_CELL = st.one_of(
    st.sampled_from(["S1", "S2", "", " ", "C1", "2025-01-02", "1/13/2013", "10,5", "Склад"]),
    st.text(alphabet=string.ascii_letters + ' ,;"\t\r\n' + "ЖЁ", max_size=6),
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    header = ["document_id", "contract_id", "date", "amount", *draw(st.lists(st.sampled_from(["number", "x"])))]
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 8))):
        cells = draw(st.lists(_CELL, min_size=0, max_size=len(header) + 2))
        quoted = [f'"{c.replace(chr(34), chr(34) * 2)}"' if draw(st.booleans()) else c for c in cells]
        lines.append(delimiter.join(quoted))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    text = ending.join(lines) + draw(st.sampled_from(["", ending]))
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1251"])))


def _read_by_rows(path: Path, tally: Tally, layouts: Layouts) -> tuple[list[tuple[int | None, dict]], str | None]:
    try:
        return [(row.line, row.values) for row in table_rows(path, "shipments", tally, layouts)], None
    except FileRefused as refused:
        return [], str(refused)


@PROFILE
@given(csv_files())
def test_frames_read_as_rows_do(conn: Connection, tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    _read_alike(conn, tmp_path_factory, data)


@PROFILE
@given(csv_files(), st.integers(1, 40))
def test_frames_read_in_slices_as_rows_do(
    conn: Connection, tmp_path_factory: pytest.TempPathFactory, data: bytes, size: int
) -> None:
    """A file read a few bytes at a time (a slice ends after the last line feed in them): the same rows."""
    original = columnar.SLICE_BYTES
    columnar.SLICE_BYTES = size
    try:
        _read_alike(conn, tmp_path_factory, data)
    finally:
        columnar.SLICE_BYTES = original


def _read_alike(conn: Connection, tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("csv") / "shipments.csv"
    path.write_bytes(data)
    layouts = Layouts(conn, {})
    by_rows, by_frame = Tally(), Tally()
    expected, refusal = _read_by_rows(path, by_rows, layouts)
    frame_refusal: str | None
    try:
        found = read_frame(path, "shipments", by_frame, layouts)
    except FileRefused as refused:
        found, frame_refusal = None, str(refused)
    else:
        frame_refusal = None
    if frame_refusal is not None or refusal is not None:
        assert frame_refusal in (refusal, None)  # refused alike, or left to the row reader
        assert found is None
        return
    if found is None:
        return  # left to the row reader
    columns = [c for c in found.frame.columns if c != LINE]
    assert [(r[LINE], {c: r[c] for c in columns}) for r in found.frame.iter_rows(named=True)] == expected
    assert by_frame.rejects == by_rows.rejects


@pytest.mark.parametrize("size", [None, 25])
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_slices_without_quotes_are_read_as_rows_do(
    conn: Connection, tmp_path_factory: pytest.TempPathFactory, size: int | None, ending: str
) -> None:
    """A slice with no quote is read without the quotes' checks (etl.load.columnar's fast path): the same
    rows, lines and ragged rows' rejects as the row reader, whole or in slices of which some hold a quote."""
    lines = [
        "document_id,contract_id,date,amount,number",
        "S1,C1,2025-01-02,5,\\N",
        "S2,Склад №1,2025-01-03,6,a\\b,extra",
        "S3,,,",
        "",
        "S4, C1 ,2025-01-04,7,8,9,10",
        "S5,C1,2025-01-05,8,'x'",
        "Ж6,\tC1,2025-01-06,9,«№»",
        'S7,"C,""1""",2025-01-07,10,',
        "S8,C1,2025-01-08,11,",
    ]
    data = ending.join(lines).encode()
    original = columnar.SLICE_BYTES
    columnar.SLICE_BYTES = size or original
    try:
        _read_alike(conn, tmp_path_factory, data)
        _read_alike(conn, tmp_path_factory, ending.join(lines[:7]).encode())  # no quote anywhere
    finally:
        columnar.SLICE_BYTES = original
    path = tmp_path_factory.mktemp("csv") / "shipments.csv"
    path.write_bytes(ending.join(lines[:7]).encode())
    tally = Tally()
    found = read_frame(path, "shipments", tally, Layouts(conn, {}))
    assert found is not None  # polars' own, not left to the row reader
    assert [(r.line, r.reason) for r in tally.rejects] == [
        (3, "the row has 6 values, the header 5 columns"),
        (6, "the row has 7 values, the header 5 columns"),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_a_file_is_read_in_slices(conn: Connection, tmp_path: Path, encoding: str) -> None:
    """Slices of about 30 bytes: rows, line numbers (blank lines, CRLF), ragged rows and a duplicate key
    across slices as one read of the whole file gives them; the records of its slices as of one frame."""
    path = tmp_path / "shipments.csv"
    text = (
        "document_id;contract_id;date;amount\r\n"
        "S1;C1;2025-01-02;5\r\n\r\n"
        '"S2";"Склад; 1";2025-01-03;6\r\n'
        "S3;C1;2025-01-04;7;8\r\n"
        "S1;C1;2025-01-05;9\r\n"
        "S4;C1;2025-01-06;10;\r\n"
        "S5;C1;2025-01-07;11"
    )
    path.write_bytes(text.encode(encoding))
    layouts = Layouts(conn, {})
    whole_tally, sliced_tally = Tally(), Tally()
    whole = read_frame(path, "shipments", whole_tally, layouts)
    original = columnar.SLICE_BYTES
    columnar.SLICE_BYTES = 30
    try:
        sliced = read_frame(path, "shipments", sliced_tally, layouts)
    finally:
        columnar.SLICE_BYTES = original
    assert whole is not None
    assert sliced is not None
    assert (whole.count, whole.spilled) == (1, 0)
    assert sliced.count >= 4
    assert sliced.spilled == sliced.count - 1  # every slice but the last waits on disk
    expected = [
        (2, "S1", "C1", "2025-01-02", "5"),
        (4, "S2", "Склад; 1", "2025-01-03", "6"),
        (6, "S1", "C1", "2025-01-05", "9"),
        (7, "S4", "C1", "2025-01-06", "10"),
        (8, "S5", "C1", "2025-01-07", "11"),
    ]
    assert whole.frame.rows() == sliced.frame.rows() == expected
    assert [(r.line, r.reason) for r in sliced_tally.rejects] == [(5, "the row has 5 values, the header 4 columns")]
    assert sliced_tally.rejects == whole_tally.rejects
    known = _known(conn)
    by_whole, by_slices = Tally(), Tally()
    records = documents._file_records("shipments", whole, known, by_whole)
    assert documents._file_records("shipments", sliced, known, by_slices).to_dicts() == records.to_dicts()
    assert records["source_line"].to_list() == [2, 7, 8]  # S2: its contract unknown; S1 again at line 6
    assert by_slices.rejects == by_whole.rejects
    assert [(r.line, r.column_name) for r in by_slices.rejects] == [(4, "contract_id"), (6, "document_id")]


def test_swapped_dates_refuse_a_file_across_slices(conn: Connection, tmp_path: Path) -> None:
    path = tmp_path / "shipments.csv"
    rows = [f"S{i},C1,2025-01-0{i},5" for i in range(1, 8)] + ["S9,C1,1/13/2025,5"]
    path.write_text("document_id,contract_id,date,amount\n" + "\n".join(rows) + "\n")
    original = columnar.SLICE_BYTES
    columnar.SLICE_BYTES = 25
    try:
        with pytest.raises(FileRefused, match="mixes 7 dates with 1 texts like 1/13/2025"):
            read_frame(path, "shipments", Tally(), Layouts(conn, {}))
    finally:
        columnar.SLICE_BYTES = original


def test_quoted_files_are_read_by_polars(conn: Connection, tmp_path: Path) -> None:
    """A file whose quotes are well-formed, with blank and ragged lines, is the fast path's own."""
    path = tmp_path / "shipments.csv"
    path.write_text('document_id,contract_id,date,amount\n"S1","C,1",2025-01-02,5\n\nS2,C1,2025-01-02,6,7\n')
    tally = Tally()
    found = read_frame(path, "shipments", tally, Layouts(conn, {}))
    assert found is not None
    assert found.frame.rows() == [(2, "S1", "C,1", "2025-01-02", "5")]
    assert [(r.line, r.reason) for r in tally.rejects] == [(4, "the row has 5 values, the header 4 columns")]


def test_stored_hashes_are_the_row_wise_ones(db_url: str, tmp_path: Path) -> None:
    """A warehouse loaded before the column-wise path keeps its hashes valid: every stored hash is
    upsert._row_hash of the stored values, and the same rows from another copy of the files are unchanged."""
    engine = make_engine(db_url, pooled=False)
    ensure_schema(engine)
    try:
        load_paths(engine, [source(tmp_path / "a", advance=True)])
        d = warehouse.documents
        with engine.connect() as connection:
            stored = connection.execute(select(d.c.row_hash, *[d.c[c] for c in DOCUMENT_VALUES])).all()
        assert stored
        assert [row[0] for row in stored] == [_row_hash(list(row[1:])) for row in stored]
        again = load_paths(engine, [source(tmp_path / "b", advance=True)])
        for entity in ("shipments", "payments"):
            counts = again.counts[entity]
            assert (counts.new, counts.updated, counts.unchanged) == (0, 0, counts.read)
    finally:
        engine.dispose()


@pytest.mark.parametrize("size", [None, 40])
def test_rows_blank_or_with_a_blank_first_value_are_read_as_rows_do(
    conn: Connection, tmp_path_factory: pytest.TempPathFactory, size: int | None
) -> None:
    """A row is blank only when every value is: the reader strips the other values only in a slice where
    some first value is blank (etl.load.columnar._rows). Rows blank but for spaces and tabs, rows whose first
    value alone is blank, ragged ones blank or not, in slices with and without such rows: the row reader's."""
    lines = [
        "document_id,contract_id,date,amount",
        "S1,C1,2025-01-02,5",
        "S2,C1,2025-01-03,6",
        " ,\t, ,  ",
        ",C1,2025-01-04,7",
        "\t,,,",
        "  ,C2,,",
        ",,,,",
        ",,,,x",
        "S3,C1,2025-01-05,8",
        "S4,C1,2025-01-06,9",
        "S5,C1,2025-01-07,10",
    ]
    original = columnar.SLICE_BYTES
    columnar.SLICE_BYTES = size or original
    try:
        _read_alike(conn, tmp_path_factory, "\n".join(lines).encode())
        _read_alike(conn, tmp_path_factory, "\n".join(lines[:3] + lines[9:]).encode())  # no blank first value
    finally:
        columnar.SLICE_BYTES = original
    path = tmp_path_factory.mktemp("csv") / "shipments.csv"
    path.write_bytes("\n".join(lines).encode())
    found = read_frame(path, "shipments", Tally(), Layouts(conn, {}))
    assert found is not None
    assert [row[0] for row in found.frame.rows()] == [2, 3, 5, 7, 10, 11, 12]
