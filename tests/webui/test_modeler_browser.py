"""The embedded modeler in Debian's chromium: SOP fields survive edits made in it, and a round
trip through Camunda Modeler's engine (bpmn-js with camunda-bpmn-moddle, the tests/support
harness) and back.

The process is one Alur wrote (bpmn/mentawai-...: Mutu Baku on every step, a decision, an
empty lane). The edits are scripted with the harness's own edit code (tests/support/
modeler_page.py) on the page Alur serves; what the page saves is read with
converters.bpmn.reader and compared field by field with the SOP as it was, changed only where
the edit changed it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from converters.bpmn.reader import read_bpmn
from converters.model import Sop
from tests.e2e.conftest import Server, serving
from tests.support import modeler_page
from tests.support.bpmnjs import BpmnJs, MoveToLane, Rename, SetProperty

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "bpmn" / "mentawai-kominfo-penyusunan-iku.bpmn"
KEY = "Proses_PENYUSUNAN_IKU_11_SOP_KOMINFO_2020"
EDITOR = f"/proses/{KEY}/v1/ubah"
DRAFT = f"/proses/{KEY}/v1/draf.bpmn"

MOVED, NEW_LANE = "Task_Langkah_2", "Sekretaris"
RENAMED, NEW_NAME = "Task_Langkah_4", "Menyusun laporan IKU bidang"
PROPERTY_OF, NEW_REQUIREMENTS = "Task_Langkah_5", "Laporan IKU tiap bidang (rangkap 2)"
EDITS = [
    MoveToLane(MOVED, NEW_LANE),
    Rename(RENAMED, NEW_NAME),
    SetProperty(PROPERTY_OF, "camunda:property:kelengkapan", NEW_REQUIREMENTS),
]


def number_of(task_id: str) -> int:
    return int(task_id.rsplit("_", 1)[1])


def with_step(sop: Sop, number: int, **changes: Any) -> Sop:
    steps = tuple(
        dataclasses.replace(s, **changes) if s.number == number else s for s in sop.steps
    )
    return dataclasses.replace(sop, steps=steps)


def expected_after_edits(sop: Sop) -> Sop:
    sop = with_step(sop, number_of(MOVED), role=NEW_LANE)
    sop = with_step(sop, number_of(RENAMED), activity=NEW_NAME)
    return with_step(sop, number_of(PROPERTY_OF), requirements=NEW_REQUIREMENTS)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE.name} belum dibuat / not generated yet")
    folder = tmp_path_factory.mktemp("alur-modeler")
    library = folder / "bpmn"
    library.mkdir()
    (library / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    with serving(folder, library) as running:
        yield running


@pytest.fixture()
def analyst(chromium_browser: Any, server: Server) -> Iterator[Any]:
    """A page logged in as the demo analyst, with every console error collected."""
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "/masuk")
    page.fill("#username", "analis")
    page.fill("#password", "alur-demo")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/kotak-masuk.*"))
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()
    assert errors == [], errors  # no CSP refusal, no script error


def open_editor(page: Any, server: Server, query: str = "") -> None:
    page.goto(server.url + EDITOR + query)
    modeler_page.wait_ready(page)
    modeler_page.install_edits(page)


def saved_draft(page: Any, server: Server) -> bytes:
    response = page.request.get(server.url + DRAFT)
    assert response.status == 200
    return bytes(response.body())


def test_edits_in_the_embedded_modeler_keep_every_other_sop_field(
    analyst: Any, server: Server
) -> None:
    open_editor(analyst, server, "?asli=1")
    modeler_page.apply(analyst, EDITS)
    assert "belum disimpan" in analyst.inner_text("#modeler-status")
    modeler_page.press(analyst, "Simpan draf")
    assert "Draf disimpan" in analyst.inner_text(".flashes")

    saved = saved_draft(analyst, server)
    after = read_bpmn(saved)
    assert after.to_dict() == expected_after_edits(read_bpmn(SAMPLE.read_bytes())).to_dict()
    # Camunda 7 assigns by the candidate group: it followed the task into its new lane
    group = re.search(rf'id="{MOVED}"[^>]*camunda:candidateGroups="([^"]*)"', saved.decode())
    assert group is not None and group.group(1) == NEW_LANE

    # the draft survives a reload: the page opens it, not the deployed version
    analyst.goto(server.url + EDITOR)
    modeler_page.wait_ready(analyst)
    name = analyst.evaluate(
        "id => window.alurModeler.get('elementRegistry').get(id).businessObject.name", RENAMED
    )
    assert name == NEW_NAME


def test_browser_to_camunda_modeler_and_back_keeps_every_sop_field(
    analyst: Any, server: Server, bpmnjs: BpmnJs
) -> None:
    open_editor(analyst, server, "?asli=1")
    modeler_page.apply(analyst, EDITS)
    modeler_page.press(analyst, "Simpan draf")
    from_browser = saved_draft(analyst, server)

    # Camunda Modeler's engine opens the browser's file, an analyst edits one Output there
    result = bpmnjs.import_xml(from_browser)
    assert result.ok and result.warnings == [], result
    camunda_output = "Surat Edaran yang ditandatangani"
    from_camunda = bpmnjs.edit(
        from_browser, [SetProperty("Task_Langkah_1", "camunda:property:output", camunda_output)]
    )

    # ... and the embedded modeler opens Camunda's file and saves it again
    open_editor(analyst, server, "?asli=1")
    modeler_page.import_xml(analyst, from_camunda)
    modeler_page.press(analyst, "Simpan draf")
    back = read_bpmn(saved_draft(analyst, server))

    expected = with_step(read_bpmn(from_browser), 1, output=camunda_output)
    assert back.to_dict() == expected.to_dict()
    assert back.to_dict() == read_bpmn(from_camunda.encode("utf-8")).to_dict()


def test_the_properties_panel_shows_mutu_baku(analyst: Any, server: Server) -> None:
    """The SOP fields as Camunda Modeler shows them: "Extension properties" of the task."""
    open_editor(analyst, server, "?asli=1")
    analyst.evaluate(
        "id => window.alurModeler.get('selection').select("
        "window.alurModeler.get('elementRegistry').get(id))", PROPERTY_OF
    )
    group = analyst.locator(".bio-properties-panel-group").filter(has_text="Extension properties")
    group.locator(".bio-properties-panel-group-header").click()
    values = group.locator("input").evaluate_all("inputs => inputs.map(i => i.value)")
    sop = read_bpmn(SAMPLE.read_bytes())
    step = next(s for s in sop.steps if s.number == number_of(PROPERTY_OF))
    for name, value in [("kelengkapan", step.requirements), ("waktu", step.duration.text)]:
        assert name in values and value in values, (name, value, values)


def test_validasi_shows_the_problem_table_and_keeps_the_edit(
    analyst: Any, server: Server
) -> None:
    open_editor(analyst, server, "?asli=1")
    # the flows into step 3 deleted: the rest of the process can no longer be reached
    cut = """id => {
      const m = window.alurModeler, task = m.get('elementRegistry').get(id);
      m.get('modeling').removeElements(task.incoming.slice());
    }"""
    analyst.evaluate(cut, "Task_Langkah_3")
    modeler_page.press(analyst, "Validasi")
    modeler_page.wait_ready(analyst)
    problems = analyst.inner_text("#problems")
    assert "Hasil validasi" in problems and "Task_Langkah_3" in problems
    incoming = analyst.evaluate(
        "id => window.alurModeler.get('elementRegistry').get(id).incoming.length",
        "Task_Langkah_3",
    )
    assert incoming == 0  # the page came back with the posted diagram, not the stored one
