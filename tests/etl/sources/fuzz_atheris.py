"""Coverage-guided fuzzing of the CSV, bank-statement and XLSX readers with atheris (libFuzzer).

Not part of the test suite (CI runs the hypothesis properties of test_fuzz.py); run it by hand
when a reader changes. atheris ships binary wheels for CPython 3.11 on x86-64 Linux, so it installs
without a compiler, into the project's environment or a throwaway one:

    .venv/bin/pip install atheris
    .venv/bin/python tests/etl/sources/fuzz_atheris.py csv -max_total_time=120
    .venv/bin/python tests/etl/sources/fuzz_atheris.py bank -max_total_time=120 tests/data/bad
    .venv/bin/python tests/etl/sources/fuzz_atheris.py xlsx -max_total_time=120

The first argument picks the reader; the rest go to libFuzzer (a folder given there seeds the corpus).
The property is the readers' contract: rows, or FileRefused with a message for a person; any other
exception is a crash, which libFuzzer reports with the input that caused it.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from etl.errors import FileRefused
    from etl.sources import bank_1c, csv_reader, xlsx

_PATH = Path(tempfile.mkdtemp(prefix="atheris_")) / "input"
_TRACEBACK = re.compile(r"Traceback|File \"|\b\w*(Error|Exception)\b")


def _csv(data: bytes) -> None:
    _PATH.write_bytes(data)
    list(csv_reader.read_csv_rows(_PATH)[2])


def _bank(data: bytes) -> None:
    _PATH.write_bytes(b"1CClientBankExchange\r\n" + data)
    bank_1c.classify(bank_1c.read_bank_statement(_PATH), "7736207543")


def _xlsx(data: bytes) -> None:
    _PATH.write_bytes(data)
    list(xlsx.read_xlsx_rows(_PATH, "shipments")[1])


TARGETS = {"csv": _csv, "bank": _bank, "xlsx": _xlsx}


def main() -> None:
    target = TARGETS[sys.argv.pop(1)]

    def one_input(data: bytes) -> None:
        try:
            target(data)
        except FileRefused as exc:
            if _TRACEBACK.search(str(exc)) or not str(exc).strip():
                raise AssertionError(f"a refusal not worded for a person: {exc!r}") from None

    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
