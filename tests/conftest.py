"""Shared pytest set-up: paths to the project's own files, and plugins of tests/support."""

from __future__ import annotations

import os
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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--bench", action="store_true",
        help="also run the full corpus and generated-fidelity runs (marker `bench`); "
             "the bench scripts print their figures, the suite keeps a small fixed slice")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Full corpus / fidelity runs take minutes on two cores: the suite skips them unless asked
    (``--bench`` or ``ALUR_BENCH=1``), so ``./scripts/test`` stays within its time budget."""
    if config.getoption("--bench") or os.environ.get("ALUR_BENCH") == "1":
        return
    skip = pytest.mark.skip(reason="bench run: use --bench or ALUR_BENCH=1 (see bench/)")
    for item in items:
        if "bench" in item.keywords:
            item.add_marker(skip)
