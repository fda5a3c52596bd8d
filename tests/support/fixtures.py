"""Session-scoped pytest fixtures for browser tests: one chromium for the whole run.

Register them once in tests/conftest.py with ``pytest_plugins = ["tests.support.fixtures"]``
(until then, a test module can ``from tests.support.fixtures import *``-style import the ones it
uses). Starting chromium costs seconds on a busy machine, so every browser test shares one
browser; tests open their own pages (``chromium_browser.new_page()``) or contexts and close them.

- ``playwright_session``: the running sync Playwright (skips when chromium/Playwright is absent).
- ``chromium_browser``: a :class:`playwright.sync_api.Browser` on Debian's chromium.
- ``chromium_page``: a fresh page in its own context (no cookies or storage shared with other
  tests), closed after the test; for end-to-end tests of the web UI.
- ``bpmnjs``: a :class:`tests.support.bpmnjs.BpmnJs` harness page (bpmn-js Modeler loaded),
  reused by all tests; skips when node_modules/bpmn-js is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.support import browser as _browser

if TYPE_CHECKING:  # pragma: no cover - typing only
    from playwright.sync_api import Browser, Page, Playwright

    from tests.support.bpmnjs import BpmnJs


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    _browser.require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def chromium_browser(playwright_session: Playwright) -> Iterator[Browser]:
    browser = _browser.launch_chromium(playwright_session)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def chromium_page(chromium_browser: Browser) -> Iterator[Page]:
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def bpmnjs(chromium_browser: Browser) -> Iterator[BpmnJs]:
    from tests.support import bpmnjs as _bpmnjs

    reason = _bpmnjs.missing_reason()
    if reason:
        pytest.skip(reason)
    harness = _bpmnjs.BpmnJs.open(chromium_browser)
    try:
        yield harness
    finally:
        harness.close()
