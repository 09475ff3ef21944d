"""The loader reads a statement keeping only the keys classify reads, its lines split a block at a time:
both must give what reading every key of a statement split at once gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.errors import FileRefused
from etl.sources.bank_1c import CLASSIFIED_FIELDS, BankStatement, Classified, classify, read_bank_statement
from etl.sources.bank_1c import reader as bank_reader
from tests.helpers.paths import SHARED_TESTDATA

SAMPLES = SHARED_TESTDATA / "bank_statements"
OWN = "40702810000000000001"
INN = "7736207543"


def _outcome(path: Path, fields: frozenset[str] | None, inn: str | None) -> tuple[str, Classified | None]:
    try:
        return "", classify(read_bank_statement(path, fields=fields), inn)
    except FileRefused as exc:
        return str(exc), None


def _restricted(statement: BankStatement) -> list[dict[str, str]]:
    return [{k: v for k, v in d.fields.items() if k in CLASSIFIED_FIELDS} for d in statement.documents]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"public samples not found in {SAMPLES}")
@pytest.mark.parametrize("inn", [None, INN, "0000000000"])
def test_samples_classify_the_same_with_the_loaders_fields(inn: str | None) -> None:
    paths = sorted(SAMPLES.glob("*.txt"))
    assert len(paths) >= 5
    for path in paths:
        assert _outcome(path, CLASSIFIED_FIELDS, inn) == _outcome(path, None, inn), path.name


def test_a_document_keeps_exactly_the_fields_asked_for(tmp_path: Path) -> None:
    text = (
        "1CClientBankExchange\nРасчСчет=" + OWN + "\nСекцияДокумент=Платежное поручение\n"
        "Номер=7\nПлательщикБИК=044525225\nСумма=10.00\nСумма=99.00\nПолучательСчет=" + OWN + "\n"
        "КонецДокумента\nКонецФайла\n"
    )
    path = tmp_path / "s.txt"
    path.write_bytes(text.encode("cp1251"))
    (full,) = read_bank_statement(path).documents
    (kept,) = read_bank_statement(path, fields=CLASSIFIED_FIELDS).documents
    assert full.fields == {"Номер": "7", "ПлательщикБИК": "044525225", "Сумма": "10.00", "ПолучательСчет": OWN}
    assert kept.fields == {"Номер": "7", "Сумма": "10.00", "ПолучательСчет": OWN}  # the first Сумма still wins
    assert (kept.line, kept.doc_type) == (full.line, full.doc_type) == (3, "Платежное поручение")


# Every key classify reads, with values that take each branch, and keys it does not read.
_KEYS = [*sorted(CLASSIFIED_FIELDS), "ПлательщикБИК", "Получатель1", "ВидОплаты", "Очередность"]
_VALUES = st.sampled_from(
    [
        "",
        OWN,
        INN,
        "40702810900000000099",
        "7707083893",
        "1000.00",
        "5,5",
        "-3",
        "0.001",
        "15.01.2025",
        "2025-01-16",
        "31.02.2025",
        "ИНН 7707083893 ООО Покупатель",
        "ООО Покупатель",
        "Оплата по договору 15/2024",
        "по договору 15/2024",
        "  12  ",
    ]
)
_DOCUMENT = st.lists(st.tuples(st.sampled_from(_KEYS), _VALUES), max_size=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    documents=st.lists(_DOCUMENT, max_size=8),
    inn=st.sampled_from([None, INN]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    block=st.integers(min_value=1, max_value=200),
)
def test_random_statements_classify_the_same_in_blocks_with_the_loaders_fields(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    documents: list[list[tuple[str, str]]],
    inn: str | None,
    newline: str,
    block: int,
) -> None:
    lines = ["1CClientBankExchange", f"РасчСчет={OWN}"]
    for fields in documents:
        lines += ["СекцияДокумент=Платежное поручение", *(f"{k}={v}" for k, v in fields), "КонецДокумента"]
    lines.append("КонецФайла")
    path = tmp_path / "random.txt"
    path.write_bytes(newline.join(lines).encode("cp1251"))
    whole = read_bank_statement(path)
    with monkeypatch.context() as patched:
        patched.setattr(bank_reader, "_BLOCK", block)  # lines split a few characters at a time
        kept = read_bank_statement(path, fields=CLASSIFIED_FIELDS)
        every = read_bank_statement(path)
    assert every == whole
    assert [(d.line, d.doc_type) for d in kept.documents] == [(d.line, d.doc_type) for d in whole.documents]
    assert [d.fields for d in kept.documents] == _restricted(whole)
    assert classify(kept, inn) == classify(whole, inn)


@pytest.mark.parametrize("text", ["", "a", "a\n", "\n", "a\nb", "ab\ncd\n\nef\n", "a\rb\r", "a\r\nb\r\n"])
@pytest.mark.parametrize("block", [1, 2, 3, 100])
def test_lines_split_a_block_at_a_time_as_split_gives_them(
    monkeypatch: pytest.MonkeyPatch, text: str, block: int
) -> None:
    monkeypatch.setattr(bank_reader, "_BLOCK", block)
    separator = "\n" if "\n" in text else "\r"
    assert list(bank_reader._split_lines(text)) == text.split(separator)
