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
