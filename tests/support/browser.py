"""Debian's chromium under Playwright for Python, for every browser test in the suite.

Why not Playwright's own browsers: ``playwright install`` downloads a browser at run time,
which this project forbids (the machines have no internet and the suite must be reproducible).
Playwright drives any recent Chromium through ``executable_path``, so we point it at Debian's
``chromium`` and pass the flags a headless CI box needs. Each launch uses a fresh temporary
profile (Playwright's default for ``launch``), so no state leaks between runs.

Use the ``chromium_browser`` fixture (tests/support/fixtures.py) in tests; call
:func:`launch_chromium` directly only in scripts (scripts/screenshot-bpmn).
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from playwright.sync_api import Browser, Playwright

CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Flags for a headless, offline, sandbox-less container; no first-run UI, no phoning home."""


def chromium_path() -> str | None:
    """Debian's chromium on PATH (usually /usr/bin/chromium), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if chromium_path() is None:
        return "chromium tidak ditemukan (Debian package `chromium` is not installed)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (Python) tidak terpasang (pip install playwright; no browser download)"
    return None


def require_chromium() -> str:
    """Skip the calling test with a clear message unless chromium and Playwright are present.

    Returns the chromium executable path.
    """
    import pytest

    reason = missing_reason()
    if reason:
        pytest.skip(reason)
    path = chromium_path()
    assert path is not None
    return path


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch Debian's chromium (never a downloaded one) headless, with :data:`CHROMIUM_ARGS`."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("chromium tidak ditemukan (install Debian package `chromium`)")
    return playwright.chromium.launch(
        executable_path=path,
        headless=True,
        args=list(CHROMIUM_ARGS),
    )
