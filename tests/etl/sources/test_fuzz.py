"""Fuzzing the readers: whatever bytes arrive, a reader returns rows (and validation rejects them with a
reason) or refuses the file with FileRefused. Any other exception would reach the user as a failed load.

The default budget keeps CI quick; FUZZ_EXAMPLES=20000 runs each property that many times
(the end-to-end load properties a fifth of it).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from etl.columns import ENTITIES, normalize_column
from etl.errors import FileRefused
from etl.load import load_paths
from etl.sources import bank_1c
from etl.sources.csv_reader import read_csv_rows
from etl.sources.xlsx import read_xlsx_rows
from etl.validation import RowError, validate
from tests.helpers.paths import DATA, SHARED_TESTDATA
from warehouse.engine import ensure_schema, make_engine

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CORPUS = DATA / "bad"
SAMPLES = SHARED_TESTDATA / "bank_statements"
TRACEBACK = re.compile(r"Traceback|File \"|line \d+, in |\b\w*(Error|Exception)\b|<\w+ object at")

ENCODINGS = ("utf-8", "utf-8-sig", "cp1251", "cp866", "koi8_r", "utf-16", "utf-16-le", "latin-1")
NEWLINES = ("\r\n", "\n", "\r")

VALID_SHIPMENTS = [
    ["document_id", "contract_id", "date", "amount", "number", "due_date", "vat", "warehouse", "deleted"],
    ["S1", "C1", "2025-01-10", "1 000,00", "УПД-1", "", "166,67", "Основной «Юг»", "нет"],
    ["S2", "C1", "20.01.2025", "500", "УПД-2", "19.02.2025", "", "Склад №2", ""],
    ["S3", "C2", "2025-01-15", "300.50", "УПД-3", "", "", 'Склад ""Север""', "0"],
    ["S4", "C2", "2025-01-16", "1,234.56", "", "", "", "многострочный\nсклад", "да"],
]


def _note(label: str) -> None:
    """What an example ended as, for --hypothesis-show-statistics (shared with plain tests)."""
    if currently_in_test_context():
        event(label)


def _messages_are_for_people(exc: FileRefused) -> None:
    message = str(exc)
    assert message.strip()
    assert not TRACEBACK.search(message), message


_FOLDER = Path(tempfile.mkdtemp(prefix="fuzz_readers_"))


@pytest.fixture(scope="module", autouse=True)
def _remove_fuzz_files() -> Iterator[None]:
    yield
    shutil.rmtree(_FOLDER, ignore_errors=True)


def _write(data: bytes, name: str) -> Path:
    """One file per name, rewritten by each example (the loader sees a corrected re-export)."""
    path = _FOLDER / name
    path.write_bytes(data)
    return path


def _read_and_validate_csv(path: Path, entity: str = "shipments") -> int:
    """What the loader does with a CSV, short of the warehouse: header, rows, validation."""
    try:
        _encoding, _delimiter, rows = read_csv_rows(path)
        table = list(rows)
    except FileRefused as exc:
        _messages_are_for_people(exc)
        _note(f"refused: {str(exc).split(':')[0][:40]}")
        return -1
    _note("read")
    lines = [line for line, _values in table]
    assert lines == sorted(set(lines)), "line numbers go forward"
    if not table:
        return 0
    header = {normalize_column(name): index for index, name in enumerate(table[0][1])}
    columns = [(c, header[c]) for c in ENTITIES[entity].columns if c in header]
    reasons = []
    for _line, values in table[1:]:
        row = {column: values[i] if i < len(values) else "" for column, i in columns}
        try:
            validate(entity, row)
        except RowError as error:
            reasons.append(error.reason)
    for reason in reasons:
        assert reason.strip()
        assert not TRACEBACK.search(reason), reason
    return len(table) - 1


# ------------------------------------------------------------------------------------------- CSV


@FUZZ
@given(data=st.binary(max_size=2000))
def test_csv_reader_on_arbitrary_bytes(data: bytes) -> None:
    _read_and_validate_csv(_write(data, "shipments.csv"))


def _render_csv(rows: list[list[str]], delimiter: str) -> str:
    def cell(value: str) -> str:
        if any(ch in value for ch in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "\n".join(delimiter.join(cell(v) for v in row) for row in rows) + "\n"


_CSV_NOISE = st.sampled_from(['"', ",", ";", "\t", "\n", "\r", "\x00", "\ufeff", "Ё", "№", "\u00a0", "=", "1e5", "-0"])


@st.composite
def mutated_csv(draw: st.DrawFn) -> bytes:
    """A valid shipments file, then line edits, then an encoding, delimiter and line end of chance."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    lines = _render_csv(VALID_SHIPMENTS, delimiter).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["drop", "duplicate", "replace", "insert", "delete", "swap_delimiter", "cut"]))
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            break
        line = lines[index]
        if op == "drop":
            del lines[index]
        elif op == "duplicate":
            lines.insert(index, line)
        elif op == "replace":
            lines[index] = draw(st.text(max_size=60))
        elif op == "insert":
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.one_of(_CSV_NOISE, st.text(max_size=5))) + line[at:]
        elif op == "delete" and line:
            at = draw(st.integers(0, len(line) - 1))
            lines[index] = line[:at] + line[at + draw(st.integers(1, 10)) :]
        elif op == "swap_delimiter":
            lines[index] = line.replace(delimiter, draw(st.sampled_from([",", ";", "\t", " "])))
        elif op == "cut":
            lines = lines[: index + 1]
            lines[index] = line[: draw(st.integers(0, len(line)))]
    newline = draw(st.sampled_from(NEWLINES))
    text_ = newline.join(lines)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = text_.encode(encoding, errors="replace")
    if draw(st.booleans()) and data:
        # A byte-level accident on top: a flipped byte or a cut in the middle of a character.
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :] if draw(st.booleans()) else data[:at]
    return data


@FUZZ
@given(data=mutated_csv())
def test_csv_reader_on_mutated_files(data: bytes) -> None:
    _read_and_validate_csv(_write(data, "shipments.csv"))


def test_the_unmutated_csv_reads_in_every_supported_encoding() -> None:
    """The mutation's starting point is valid: in UTF-8 (with or without BOM), Windows-1251 and UTF-16
    with BOM it reads as its four rows, so the properties above start from a real file."""
    for encoding in ("utf-8", "utf-8-sig", "cp1251", "utf-16"):
        data = _render_csv(VALID_SHIPMENTS, ";").replace("\n", "\r\n").encode(encoding)
        assert _read_and_validate_csv(_write(data, "shipments.csv")) == 4, encoding


# ------------------------------------------------------------------------------- bank statements


def _read_and_classify(path: Path) -> None:
    try:
        statement = bank_1c.read_bank_statement(path)
        result = bank_1c.classify(statement, "7736207543")
    except FileRefused as exc:
        _messages_are_for_people(exc)
        _note(f"refused: {str(exc).split(':')[0][:40]}")
        return
    _note(f"classified: {len(result.incoming)} incoming, {len(result.problems)} problems")
    # Every document is accounted for once: incoming, counted as sent, or a problem.
    assert len(result.incoming) + result.sent + len({p[0] for p in result.problems}) == len(statement.documents)
    for _line, _field, _value, reason in result.problems:
        assert not TRACEBACK.search(reason), reason
    for payment in result.incoming:
        assert payment.document_id.startswith("BANK-")


@FUZZ
@given(
    head=st.sampled_from([b"", b"1CClientBankExchange\r\n", b"\xef\xbb\xbf1CClientBankExchange\n", b"\xff\xfe"]),
    data=st.binary(max_size=2000),
)
def test_bank_reader_on_arbitrary_bytes(head: bytes, data: bytes) -> None:
    path = _write(head + data, "statement.txt")
    bank_1c.is_bank_statement(path)
    _read_and_classify(path)


def _sample_texts() -> list[str]:
    texts = []
    for name in ("kilylabs_one_day.txt", "unact_test.txt", "zharikov_documents.txt", "odooru_kl_to_1c.txt"):
        path = SAMPLES / name
        if path.is_file():
            data = path.read_bytes()
            try:
                texts.append(data.decode("utf-8"))
            except UnicodeDecodeError:
                texts.append(data.decode("cp1251"))
    texts.append((CORPUS / "bank_bad_values.txt").read_bytes().decode("cp1251"))
    return texts


SAMPLE_TEXTS = _sample_texts()
_BANK_LINES = st.sampled_from(
    [
        "СекцияДокумент=Платежное поручение",
        "КонецДокумента",
        "СекцияРасчСчет",
        "КонецРасчСчет",
        "КонецФайла",
        "РасчСчет=40702810900000000001",
        "ПолучательСчет=40702810900000000001",
        "ПолучательИНН=7736207543",
        "ПлательщикИНН=7707083893",
        "Сумма=",
        "Сумма=-1",
        "Сумма=1.2.3",
        "Сумма=99999999999999999999.99",
        "Дата=31.02.2025",
        "ДатаПоступило=",
        "Номер=",
        "=",
        "",
    ]
)


@st.composite
def mutated_statement(draw: st.DrawFn) -> bytes:
    """A real statement, then line edits, then an encoding and line end of chance."""
    lines = draw(st.sampled_from(SAMPLE_TEXTS)).replace("\r\n", "\n").split("\n")
    for _ in range(draw(st.integers(0, 8))):
        # The first line is left alone: a statement without its magic is another file (fuzzed above).
        index = draw(st.integers(min(1, len(lines) - 1), len(lines) - 1))
        op = draw(st.sampled_from(["drop", "duplicate", "replace", "insert", "value", "cut"]))
        if op == "drop" and len(lines) > 1:
            del lines[index]
        elif op == "duplicate":
            lines.insert(index, lines[index])
        elif op == "replace":
            lines[index] = draw(st.one_of(_BANK_LINES, st.text(max_size=40)))
        elif op == "insert":
            lines.insert(index, draw(st.one_of(_BANK_LINES, st.text(max_size=40))))
        elif op == "value":
            key = lines[index].partition("=")[0]
            lines[index] = f"{key}={draw(st.text(max_size=30))}"
        elif op == "cut":
            lines = lines[: index + 1]
    encoding = draw(st.sampled_from(("cp1251", "cp866", "utf-8", "utf-8-sig", "koi8_r", "utf-16")))
    return draw(st.sampled_from(NEWLINES)).join(lines).encode(encoding, errors="replace")


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"public samples not found at {SAMPLES}")
@FUZZ
@given(data=mutated_statement())
def test_bank_reader_on_mutated_statements(data: bytes) -> None:
    _read_and_classify(_write(data, "statement.txt"))


# -------------------------------------------------------------------------------------------- XLSX


XLSX = (CORPUS / "shipments_bad_values.xlsx").read_bytes()


@st.composite
def damaged_xlsx(draw: st.DrawFn) -> bytes:
    data = bytearray(XLSX)
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    # Half the flips land in the central directory at the end, whose offsets and sizes zipfile trusts.
    tail = draw(st.sampled_from([len(data), 700]))
    for _ in range(draw(st.integers(0, 4))):
        if data:
            data[draw(st.integers(max(0, len(data) - tail), len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@FUZZ
@given(data=damaged_xlsx())
def test_xlsx_reader_on_damaged_workbooks(data: bytes) -> None:
    path = _write(data, "shipments.xlsx")
    try:
        _sheet, rows = read_xlsx_rows(path, "shipments")
        list(rows)
    except FileRefused as exc:
        _messages_are_for_people(exc)


def test_xlsx_members_rewritten_with_junk_are_refused(tmp_path: Path) -> None:
    """Deterministic companion of the property: each part of the package replaced by junk XML."""
    source = zipfile.ZipFile(CORPUS / "shipments_bad_values.xlsx")
    for member in source.namelist():
        path = tmp_path / f"{member.replace('/', '_')}.xlsx"
        with zipfile.ZipFile(path, "w") as target:
            for info in source.infolist():
                data = b"<junk" if info.filename == member else source.read(info.filename)
                target.writestr(info.filename, data)
        try:
            list(read_xlsx_rows(path, "shipments")[1])
        except FileRefused as exc:
            _messages_are_for_people(exc)


# ------------------------------------------------------------------------------- through the loader


@pytest.fixture(scope="module")
def fuzz_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path = tmp_path_factory.mktemp("fuzz_load") / "warehouse.db"
    engine = make_engine(f"sqlite:///{path}", pooled=False)
    ensure_schema(engine)
    load_paths(engine, [CORPUS / "_base"])
    return engine


LOAD_EXAMPLES = max(20, EXAMPLES // 5)


def _load_property(engine: Engine, path: Path) -> None:
    result = load_paths(engine, [path])
    for counts in result.counts.values():
        assert counts.read == counts.new + counts.updated + counts.unchanged + counts.deleted + counts.rejected
    with engine.connect() as conn:
        rejects = conn.execute(
            text("SELECT kind, reason FROM rejects WHERE load_id = :id"), {"id": result.load_id}
        ).all()
    if result.unchanged_since is None:
        # A warning is a value left out of a row that loaded (counts.warnings), not a rejected row.
        assert sum(1 for r in rejects if r.kind not in ("file", "warning")) == result.rejected_rows
        assert sum(1 for r in rejects if r.kind == "warning") == result.warnings
        assert sum(1 for r in rejects if r.kind == "file") == len(result.refused)
    for reject in rejects:
        assert not TRACEBACK.search(reject.reason), reject.reason
    for refused in result.refused:
        assert not TRACEBACK.search(refused.message), refused.message


@settings(FUZZ, max_examples=LOAD_EXAMPLES)
@given(data=st.one_of(mutated_csv(), st.binary(max_size=500)))
# Found by the fuzzer: a VAT the row loads without (a warning) counted as a rejected row by this test.
@example(
    data=b"document_id,contract_id,date,amount,number,due_date,vat,warehouse,deleted\r\n"
    b'S1,C1,2025-01-10,"1 000,00",N-1,,"\x0166,67",Main,0\r\nS2,C1,20.01.2025,500,N-2,19.02.2025,,Two,\r\n'
)
def test_loader_on_mutated_csv(fuzz_engine: Engine, data: bytes) -> None:
    _load_property(fuzz_engine, _write(data, "shipments.csv"))


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"public samples not found at {SAMPLES}")
@settings(FUZZ, max_examples=LOAD_EXAMPLES)
@given(data=mutated_statement())
def test_loader_on_mutated_statements(fuzz_engine: Engine, data: bytes) -> None:
    _load_property(fuzz_engine, _write(data, "statement.txt"))
