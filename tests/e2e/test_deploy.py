"""Deploy with care in Debian's chromium: an analyst uploads a changed BPMN of a deployed
process, the preview lists exactly the changes, the confirmation makes the new version and
the process page shows the deploy record."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from converters.bpmn.reader import read_bpmn
from converters.bpmn.writer import write_bpmn
from engine.definitions import analyse
from tests.e2e.conftest import ROOT, SAMPLE_BPMN
from tests.e2e.test_webui import people  # noqa: F401  (the fixture: logged-in browser sessions)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _changed(tmp_path: Path) -> tuple[str, Path, str, str, str]:
    """The sample process with step 1 renamed and step 2 moved to the first lane: (key,
    file, old activity of step 1, old role of step 2, its new role)."""
    xml = (ROOT / "bpmn" / SAMPLE_BPMN).read_bytes()
    meta, _problems = analyse(xml)
    assert meta is not None
    sop = read_bpmn(xml)
    s1, s2, *rest = sop.steps
    new_role = next(r for r in sop.roles if r != s2.role)
    renamed = dataclasses.replace(s1, activity=s1.activity + " (revisi)")
    moved = dataclasses.replace(s2, role=new_role)
    path = tmp_path / "iku-revisi.bpmn"
    path.write_bytes(write_bpmn(dataclasses.replace(sop, steps=(renamed, moved, *rest))))
    return meta.key, path, s1.activity, s2.role, new_role


def test_upload_preview_confirm_and_the_deploy_record(people: Any, tmp_path: Path) -> None:  # noqa: F811
    if not (ROOT / "bpmn" / SAMPLE_BPMN).exists():
        pytest.skip("the sample process is not in bpmn/")
    key, path, activity, old_role, new_role = _changed(tmp_path)
    analis = people("analis")
    analis.go(f"/proses/{key}")
    version = int(re.search(r"versi (\d+)", analis.page.inner_text("h1")).group(1))  # type: ignore[union-attr]

    analis.go("/proses/unggah")
    analis.page.set_input_files("#bpmn", str(path))
    with analis.page.expect_navigation():
        analis.page.get_by_role("button", name="Unggah dan periksa").click()
    assert "/proses/terapkan/" in analis.page.url
    rows = analis.page.locator("#changes tr[data-kind]")
    assert rows.count() == 2, analis.page.inner_text("#changes")
    assert [rows.nth(i).get_attribute("data-kind") for i in range(2)] == ["activity", "role"]
    first = " ".join(rows.nth(0).inner_text().split())
    assert first.startswith("1 Kegiatan") and first.endswith(activity + " (revisi)")
    second = " ".join(rows.nth(1).inner_text().split())
    assert second == f"2 Pelaksana {old_role} {new_role}"
    assert f"versi {version}" in analis.page.inner_text("#deploy-status")
    assert analis.image_loaded()
    analis.shot("deploy-preview")

    with analis.page.expect_navigation():
        analis.page.click("#confirm-deploy")
    assert analis.page.url.endswith(f"/proses/{key}")
    assert f"versi {version + 1} diterapkan." in analis.flash()
    record = " ".join(analis.page.locator("#deploy-history tbody tr").first.inner_text().split())
    assert record.startswith(f"{version + 1} ")
    assert "Analis Unggahan iku-revisi.bpmn 2" in record
    analis.shot("deploy-history")
