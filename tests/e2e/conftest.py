"""Browser tests: the real app under `streamlit run` (tests/helpers/browser.py), driven by Playwright in
Debian's chromium.

Without /usr/bin/chromium the tests skip locally and fail in CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.helpers.browser import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "; browser tests are mandatory in CI")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
