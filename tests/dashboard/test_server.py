"""dashboard.server imports what the app's scripts import before Streamlit listens, so that a fresh server's
first visitor does not wait on polars, pandas, SQLAlchemy or the queries being imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dashboard.server import script_imports
from tests.helpers.paths import ROOT

# Packages (and the submodules a first page pulls in) that took a fresh server's first run seconds to import.
HEAVY = {"polars", "pandas", "pyarrow", "sqlalchemy", "reportlab", "jinja2", "numpy", "xlsxwriter"}
HEAVY_PARTS = {"pandas.io.formats.style", "pyarrow.pandas_compat", "sqlalchemy.dialects.sqlite.base"}
OURS = {"dashboard", "queries", "domain", "warehouse", "etl"}


def test_the_imports_are_read_from_the_scripts_import_statements(tmp_path: Path) -> None:
    script = tmp_path / "page.py"
    script.write_text(
        "from __future__ import annotations\nimport json, os.path\nfrom dashboard.ui import loaders\n"
        "from .local import thing\nif True:\n    import csv\n",
        encoding="utf-8",
    )
    # Relative imports have no absolute name to load; an import inside a block counts.
    assert script_imports([script]) == ["csv", "dashboard.ui", "json", "os.path"]


CHILD = """
import sys
from streamlit.testing.v1 import AppTest
from dashboard.server import preload
if sys.argv[2] == "preload":
    preload()
before = set(sys.modules)
test = AppTest.from_file(sys.argv[1], default_timeout=120).run()
assert not test.exception, test.exception
print(" ".join(sorted(set(sys.modules) - before)))
"""


def test_after_preload_the_first_page_imports_nothing_heavy(loaded_db: str) -> None:
    """In a fresh process: preload, then the app's first run (the overview of the small ledger: tiles, both
    charts, the top debtors' table) imports none of the heavy packages and none of ours."""

    def first_run_imports(mode: str) -> set[str]:
        result = subprocess.run(
            [sys.executable, "-c", CHILD, str(ROOT / "streamlit_app.py"), mode],
            cwd=ROOT,
            env={**os.environ, "RECEIVABLES_DB_URL": loaded_db},
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        return set(result.stdout.split())

    imported = first_run_imports("preload")
    assert imported & (HEAVY | HEAVY_PARTS) == set()
    assert [name for name in imported if name.split(".")[0] in OURS] == []
    # Without the preload the same run imports them: the check above can fail.
    cold = first_run_imports("none")
    assert {"polars", "sqlalchemy", "pandas.io.formats.style"} <= cold
    assert "dashboard.ui.loaders" in cold
