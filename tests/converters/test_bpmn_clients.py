"""Real BPMN clients in the test suite (issue 3): bpmnlint and bpmn-js in headless chromium.

Part 1 checks the harness itself on hand-written diagrams (tests/fixtures/bpmn/c2-*.bpmn), so a
green run means the clients really look: the broken fixture must fail bpmnlint, a dangling DI
reference must produce a bpmn-js import warning, and every scripted edit must show in the saved
XML. Part 2 (below) holds Alur's own BPMN to the same clients.

Rules are never weakened here: when the writer's output fails a bpmnlint rule, fix the writer.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from lxml import etree

from tests.support import bpmnlint
from tests.support.bpmnjs import AppendTask, BpmnJs, MoveToLane, Rename, SetProperty

# Registers the session fixtures (chromium_browser, bpmnjs, ...) for this module; harmless once
# tests/conftest.py lists the same plugin (a plugin registers only once).
pytest_plugins = ["tests.support.fixtures"]

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "bpmn"
CLEAN = FIXTURES / "c2-two-lanes.bpmn"
BROKEN = FIXTURES / "c2-broken.bpmn"

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
}
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"


@pytest.fixture(scope="module", autouse=True)
def _need_bpmnlint() -> None:
    reason = bpmnlint.available()
    if reason:
        pytest.skip(reason)


def _issues(issues: list[bpmnlint.LintIssue]) -> set[tuple[str, str, str]]:
    return {(i.category, i.rule, i.element_id) for i in issues}


def _lane_of(root: etree._Element, node_id: str) -> str:
    names = [
        lane.get("name", "")
        for lane in root.iterfind(".//bpmn:lane", NS)
        if node_id in [ref.text for ref in lane.iterfind("bpmn:flowNodeRef", NS)]
    ]
    assert len(names) == 1, f"{node_id} is in lanes {names}"
    return names[0]


def _camunda_property(root: etree._Element, node_id: str, name: str) -> str | None:
    (node,) = root.xpath("//*[@id=$id]", id=node_id)
    for prop in node.iterfind(".//camunda:property", NS):
        if prop.get("name") == name:
            return prop.get("value")
    return None


# -- Part 1: the clients themselves --------------------------------------------------------


def test_bpmnlint_finds_nothing_in_the_clean_fixture():
    assert bpmnlint.lint(CLEAN) == []


def test_bpmnlint_reports_every_fault_of_the_broken_fixture():
    found = _issues(bpmnlint.lint(BROKEN))
    assert {
        ("error", "label-required", "End"),
        ("error", "no-disconnected", "Task_orphan"),
        ("error", "no-implicit-start", "Task_orphan"),
        ("error", "no-implicit-end", "Task_orphan"),
        ("warning", "no-overlapping-elements", "Task_orphan"),
    } <= found
    assert not any(rule == "import" for _, rule, _ in found)


def test_bpmnlint_lints_inline_xml_and_batches_keep_their_order():
    broken_xml = BROKEN.read_bytes()
    results = bpmnlint.lint_many([CLEAN, "<not-bpmn/>", broken_xml, CLEAN])
    assert results[0] == [] and results[3] == []  # no state leaks from one diagram to the next
    assert [(i.category, i.rule) for i in results[1]] == [("error", "import")]
    assert "Parse error" in results[1][0].message
    assert bpmnlint.errors(results[2]) and bpmnlint.warnings(results[2])


def test_bpmnlint_knows_the_camunda_vocabulary():
    # The Camunda moddle extension in .bpmnlintrc turns a misspelt Camunda attribute or element
    # into an import error, as Camunda Modeler would silently drop it.
    text = CLEAN.read_text()
    attr = text.replace('camunda:candidateGroups="Staf"', 'camunda:candidateGroup="Staf"')
    elem = text.replace("<camunda:properties>", "<camunda:propertys>", 1).replace(
        "</camunda:properties>", "</camunda:propertys>", 1
    )
    (attr_issue,) = bpmnlint.lint(attr)
    assert (attr_issue.rule, attr_issue.element_id) == ("import", "Task_1")
    assert "camunda:candidateGroup" in attr_issue.message
    assert [i.rule for i in bpmnlint.lint(elem)] == ["import"]


@pytest.mark.browser
def test_bpmnjs_imports_the_clean_fixture_without_warnings(bpmnjs: BpmnJs):
    result = bpmnjs.import_xml(CLEAN.read_bytes())
    assert (result.ok, result.warnings, result.error) == (True, [], None)
    assert bpmnjs.page_errors == []


@pytest.mark.browser
def test_bpmnjs_warns_about_a_shape_without_its_element(bpmnjs: BpmnJs):
    dangling = CLEAN.read_text().replace('bpmnElement="Task_2"', 'bpmnElement="Task_gone"')
    result = bpmnjs.import_xml(dangling)
    assert result.ok
    assert any("Task_gone" in w for w in result.warnings), result.warnings


@pytest.mark.browser
def test_bpmnjs_refuses_a_document_that_is_not_bpmn(bpmnjs: BpmnJs):
    result = bpmnjs.import_xml("<html><body>bukan BPMN</body></html>")
    assert not result.ok
    assert result.error and "bpmn:Definitions" in result.error
    with pytest.raises(ValueError, match="import failed"):
        bpmnjs.edit("<html/>", [Rename("Task_1", "x")])


@pytest.mark.browser
def test_scripted_edits_show_in_the_saved_xml(bpmnjs: BpmnJs):
    edited = bpmnjs.edit(
        CLEAN.read_bytes(),
        [
            MoveToLane("Task_1", "Kasubbag"),
            Rename("Task_2", "Memeriksa draf laporan"),
            AppendTask("Task_1", "Memaraf konsep", id="Task_added"),
            SetProperty("Task_1", "camunda:property:waktu", "2 hari"),
            SetProperty("Task_2", "camunda:property:keterangan", "Dicatat di buku agenda"),
            SetProperty("Task_2", "camunda:candidateGroups", "Kabag"),
        ],
    )
    root = etree.fromstring(edited.encode())
    assert _lane_of(root, "Task_1") == "Kasubbag"
    assert _lane_of(root, "Start") == "Staf"
    (task2,) = root.xpath("//bpmn:userTask[@id='Task_2']", namespaces=NS)
    assert task2.get("name") == "Memeriksa draf laporan"
    assert task2.get(CAMUNDA + "candidateGroups") == "Kabag"
    assert _camunda_property(root, "Task_1", "waktu") == "2 hari"
    assert _camunda_property(root, "Task_1", "output") == "Konsep laporan"  # untouched
    assert _camunda_property(root, "Task_2", "keterangan") == "Dicatat di buku agenda"
    # The new task sits between Task_1 and Task_2: one sequence, no implicit split.
    flows = {
        (f.get("sourceRef"), f.get("targetRef"))
        for f in root.iterfind(".//bpmn:sequenceFlow", NS)
    }
    assert ("Task_1", "Task_added") in flows and ("Task_added", "Task_2") in flows
    assert ("Task_1", "Task_2") not in flows
    (added,) = root.xpath("//bpmn:userTask[@id='Task_added']", namespaces=NS)
    assert added.get("name") == "Memaraf konsep"
    # What the modeler saved is still a clean diagram for bpmnlint.
    assert bpmnlint.lint(edited) == []


@pytest.mark.browser
def test_an_edit_on_a_missing_element_fails_loudly(bpmnjs: BpmnJs):
    from playwright.sync_api import Error as PlaywrightError

    with pytest.raises(PlaywrightError, match="unknown element: Task_nope"):
        bpmnjs.edit(CLEAN.read_bytes(), [Rename("Task_nope", "x")])
    with pytest.raises(PlaywrightError, match="lane not found"):
        bpmnjs.edit(CLEAN.read_bytes(), [MoveToLane("Task_1", "Bendahara")])


@pytest.mark.browser
def test_screenshot_is_a_png_of_the_requested_width(bpmnjs: BpmnJs, tmp_path: Path):
    assert bpmnjs.import_xml(CLEAN.read_bytes()).ok
    out = bpmnjs.screenshot(tmp_path / "c2.png", width=900)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 900
    assert height < width  # a swimlane diagram is wider than tall: the aspect ratio is kept
