"""Shared pytest set-up: paths to the project's own files, and plugins of tests/support."""

from __future__ import annotations

from pathlib import Path

import pytest

# One Playwright and one chromium for the whole run (browser tests of converters and web UI).
pytest_plugins = ["tests.support.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def example_paths() -> list[Path]:
    return EXAMPLES
