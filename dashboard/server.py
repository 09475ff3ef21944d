"""The dashboard's server: Streamlit, with every module the app's scripts import loaded before it listens.

A fresh Streamlit server imports what a page needs during its first visitor's first run: polars, pandas,
pyarrow, SQLAlchemy, the queries, ReportLab for the act... At 1M documents on the 2-core machine the
overview's first run took 3.3 s in a fresh process and 0.5 s once those imports were done (the answers
themselves come precomputed from the warehouse, dashboard.services.first_pages). So `receivables serve`
starts the server through here: the imports are read from the scripts' own import statements (the entry
script and every page, so nothing is listed twice), made once, then Streamlit's command line takes over
in the same process. The server listens a second or two later; nobody waits at the first page.

    python -m dashboard.server run streamlit_app.py [streamlit's options]
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Iterable
from pathlib import Path

import etl  # noqa: F401 (before the preload imports polars: its allocator's setting, etl.allocator)

ROOT = Path(__file__).resolve().parent.parent
# Imported on a first page by Streamlit or SQLAlchemy, not named by our scripts: a table goes out as Arrow
# (pyarrow, pandas and its Styler with jinja2), the navigation's icons and a help text's emoji, the
# warehouse's dialect (either).
ALSO = (
    "pandas",
    "pandas.io.formats.style",
    "pyarrow",
    "pyarrow.pandas_compat",
    "streamlit.emojis",
    "streamlit.material_icon_names",
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.postgresql.psycopg2",
)


def script_imports(scripts: Iterable[Path]) -> list[str]:
    """The absolute module names the scripts import (`import a.b`, `from a.b import c`), sorted."""
    names: set[str] = set()
    for script in scripts:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"), str(script))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    names.discard("__future__")
    return sorted(names)


def preload(root: Path = ROOT) -> list[str]:
    """Import what the entry script and the pages import; the names imported."""
    names = [*script_imports([root / "streamlit_app.py", *sorted((root / "pages").glob("*.py"))]), *ALSO]
    for name in names:
        importlib.import_module(name)
    return names


def main() -> None:
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
