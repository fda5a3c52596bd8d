"""Compiled catalogues stay out of git: the app compiles them, and running it leaves the
checkout clean."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo

from webui.i18n import TRANSLATIONS, compile_catalogs

ROOT = Path(__file__).resolve().parents[2]
MO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo"


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_compiled_catalogue_is_ignored_and_untracked() -> None:
    rel = str(MO.relative_to(ROOT))
    assert _git("check-ignore", "-q", rel).returncode == 0
    assert _git("ls-files", "--error-unmatch", rel).returncode != 0


def test_starting_the_app_leaves_the_translations_unchanged(tmp_path: Path) -> None:
    from webui.app import create_app

    before = _git("status", "--porcelain", "--ignored=no", "--", "webui/translations").stdout
    create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)})
    after = _git("status", "--porcelain", "--ignored=no", "--", "webui/translations").stdout
    assert after == before


def test_missing_and_stale_catalogues_are_compiled(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(TRANSLATIONS / "en", src / "en", ignore=shutil.ignore_patterns("*.mo"))
    out = compile_catalogs(src, tmp_path / "out")
    mo = out / "en" / "LC_MESSAGES" / "messages.mo"
    with mo.open("rb") as f:
        catalog = read_mo(f)
    assert catalog.get("Keluar") is not None and catalog.get("Keluar").string == "Log out"
    stamp = mo.stat().st_mtime_ns
    compile_catalogs(src, tmp_path / "out")
    assert mo.stat().st_mtime_ns == stamp  # fresh: not rewritten
    po = src / "en" / "LC_MESSAGES" / "messages.po"
    later = mo.stat().st_mtime + 5
    os.utime(po, (later, later))
    compile_catalogs(src, tmp_path / "out")
    assert mo.stat().st_mtime_ns != stamp  # the .po changed: compiled again


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_package_compiles_into_a_cache(tmp_path: Path) -> None:
    src = tmp_path / "ro"
    shutil.copytree(TRANSLATIONS / "en", src / "en", ignore=shutil.ignore_patterns("*.mo"))
    (src / "en" / "LC_MESSAGES").chmod(0o555)
    try:
        out = compile_catalogs(src)
    finally:
        (src / "en" / "LC_MESSAGES").chmod(0o755)
    assert out != src and (out / "en" / "LC_MESSAGES" / "messages.mo").exists()
