"""Where the tests find the repository and their data, wherever in tests/ a module sits.

Every path a test needs starts here, never from its own `__file__`: moving a test module between folders
then changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

# The checkout: pages/, streamlit_app.py and the packages the tests import, the cwd of every subprocess.
ROOT = Path(__file__).resolve().parents[2]
# Test data committed with the tests: the bad-input corpus (bad/), warehouses from before migrations.
DATA = ROOT / "tests" / "data"
# The public samples shared by every checkout (1C bank statements, the official calendar): ../shared/testdata
# next to the checkout, or RECEIVABLES_SHARED/testdata. Tests that need them skip when they are missing.
SHARED_TESTDATA = Path(os.environ.get("RECEIVABLES_SHARED", ROOT.parent / "shared")) / "testdata"


def app_lines_calling(call: str, *, but: str) -> list[str]:
    """Where the app's own code (dashboard/ and pages/) writes `call` (such as ".file_uploader("), as
    path:line, leaving out the one module named `but` that is meant to: for tests that hold every page to
    a wrapper of a Streamlit element."""
    return [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("dashboard", "pages")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.name != but
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if call in line
    ]
