"""Real BPMN clients in the test suite (issue 3): bpmnlint and bpmn-js in headless chromium.

Part 1 checks the harness itself on hand-written diagrams (tests/fixtures/bpmn/c2-*.bpmn), so a
green run means the clients really look: the broken fixture must fail bpmnlint, a dangling DI
reference must produce a bpmn-js import warning, and every scripted edit must show in the saved
XML. Part 2 (below) holds Alur's own BPMN to the same clients.

Rules are never weakened here: when the writer's output fails a bpmnlint rule, fix the writer.
"""

from __future__ import annotations

import struct
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from converters.bpmn.reader import read_bpmn
from converters.bpmn.writer import write_bpmn
from converters.model import END, Decision, Duration, Identity, Sop, Step
from converters.reading.sop_file import read_sop
from tests.converters.strategies import sops
from tests.support import bpmnlint, browser
from tests.support.bpmnjs import AppendTask, BpmnJs, Edit, MoveToLane, Rename, SetProperty
from tests.support.corpus import CORPUS

# Registers the session fixtures (chromium_browser, bpmnjs, ...) for this module; harmless once
# tests/conftest.py lists the same plugin (a plugin registers only once).
pytest_plugins = ["tests.support.fixtures"]

ROOT = Path(__file__).resolve().parents[3]
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
    (missing,) = bpmnlint.lint(FIXTURES / "c2-does-not-exist.bpmn")
    assert (missing.category, missing.rule) == ("error", "read")


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


def test_bpmnlint_checks_camunda_7_compatibility_like_camunda_modeler():
    # .bpmnlintrc adds camunda-compat's Camunda Platform 7.21 rules, as Camunda Modeler does
    # for a C7 diagram: a process without historyTimeToLive would not deploy on Camunda 7.
    text = CLEAN.read_text().replace(' camunda:historyTimeToLive="P180D"', "")
    (issue,) = bpmnlint.lint(text)
    assert (issue.rule, issue.element_id) == ("camunda-compat/history-time-to-live", "Process_c2")
    assert issue.category == "info"


def test_missing_chromium_is_a_clear_skip_not_a_download(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    reason = browser.missing_reason()
    assert reason is not None and "chromium" in reason
    with pytest.raises(pytest.skip.Exception, match="chromium"):
        browser.require_chromium()


@pytest.mark.browser
def test_the_browser_is_debians_chromium(chromium_browser, chromium_page):
    path = browser.chromium_path()
    assert path is not None
    installed = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
    assert chromium_browser.version.split(".")[0] in installed.stdout  # same major version
    chromium_page.set_content("<p lang='id'>Halo</p>")
    assert chromium_page.inner_text("p") == "Halo"
    assert chromium_page.evaluate("navigator.language") == "id-ID"


@pytest.mark.browser
def test_bpmnjs_imports_the_clean_fixture_without_warnings(bpmnjs: BpmnJs):
    errors_before = len(bpmnjs.page_errors)
    result = bpmnjs.import_xml(CLEAN.read_bytes())
    assert (result.ok, result.warnings, result.error) == (True, [], None)
    assert bpmnjs.page_errors[errors_before:] == []


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
        (f.get("sourceRef"), f.get("targetRef")) for f in root.iterfind(".//bpmn:sequenceFlow", NS)
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
    close_up = bpmnjs.screenshot(tmp_path / "c2-region.png", width=400, region=(100, 60, 200, 300))
    assert struct.unpack(">II", close_up.read_bytes()[16:24]) == (400, 600)


# -- Part 2: Alur's own BPMN in the real clients -----------------------------------------------
#
# The writer and reader (converters.bpmn.writer / converters.bpmn.reader) are imported lazily:
# while they are being written these tests skip with a message instead of breaking collection.

LIBRARY = sorted((ROOT / "bpmn").glob("*.bpmn"))
STEP_PROPERTY = "langkah"  # converters.bpmn.names.P_NUMBER: the step number on each userTask
NEW_TASK = "Memaraf konsep (tambahan analis)"
NEW_NAME = "Nama baru dari analis"
NEW_OUTPUT = "Output diubah analis"


def _sop(roles: tuple[str, ...], steps: list[Step], name: str = "SOP uji klien") -> Sop:
    return Sop(
        identity=Identity(number="800/01/UJI/2024", name=name, agency="Dinas Uji"),
        roles=roles,
        steps=tuple(steps),
        legal_basis=("Peraturan Menteri PANRB Nomor 35 Tahun 2012",),
    )


def _hand_built() -> dict[str, Sop]:
    """Small SOPs that exercise the shapes the writer must lay out (used with or without the
    hypothesis strategy): straight line, reject loop back, reject to the end, a forward skip,
    two decisions in a row, and steps that stay in one lane."""
    roles = ("Kepala Dinas", "Sekretaris", "Kasubbag Umum", "Staf")
    d = Duration(text="1 hari", min_minutes=480, max_minutes=480, iso="P1D", working_days=True)
    s = [
        Step(1, "Menyusun konsep surat undangan rapat", "Staf", duration=d, output="Konsep"),
        Step(2, "Memeriksa konsep surat", "Kasubbag Umum", requirements="Konsep surat"),
        Step(3, "Memberikan paraf pada konsep surat", "Sekretaris", notes="Paraf koordinasi"),
        Step(4, "Menandatangani surat undangan", "Kepala Dinas", output="Surat undangan"),
        Step(5, "Mengirimkan surat undangan", "Staf"),
    ]
    loop = list(s)
    loop[1] = replace(s[1], decision=Decision(approve_to=3, reject_to=1))
    loop[3] = replace(s[3], decision=Decision(4 + 1, 1, labels=("Ya", "Tidak"), question="Setuju?"))
    to_end = list(s)
    to_end[2] = replace(s[2], decision=Decision(approve_to=4, reject_to=END))
    skip = list(s)
    skip[1] = replace(s[1], decision=Decision(approve_to=5, reject_to=3))
    twice = list(s)
    twice[1] = replace(s[1], decision=Decision(approve_to=3, reject_to=1))
    twice[2] = replace(s[2], decision=Decision(approve_to=4, reject_to=2))
    one_lane = [replace(x, role="Staf") for x in s[:3]]
    return {
        "lurus": _sop(roles, s),
        "putaran-tolak": _sop(roles, loop),
        "tolak-selesai": _sop(roles, to_end),
        "lompat-maju": _sop(roles, skip),
        "dua-keputusan": _sop(roles, twice),
        "satu-lajur": _sop(("Staf", "Kasubbag Umum"), one_lane),
    }


def _with_multi_branch() -> dict[str, Sop]:
    """The hand-built SOPs plus the decisions with three or four branches."""
    from tests.converters.bpmn.multi_branch_sops import MULTI_BRANCH

    return {**_hand_built(), **MULTI_BRANCH}


HAND_BUILT = _with_multi_branch()


def _task_of_step(root: etree._Element, number: int) -> str:
    """The id of the userTask that carries step ``number`` (its ``langkah`` property)."""
    hits = [
        task.get("id")
        for task in root.iterfind(".//bpmn:userTask", NS)
        if any(
            p.get("name") == STEP_PROPERTY and p.get("value") == str(number)
            for p in task.iterfind(".//camunda:property", NS)
        )
    ]
    assert len(hits) == 1, f"step {number}: userTasks {hits} carry langkah={number}"
    return str(hits[0])


def _assert_clean_for_the_clients(
    xml: bytes, bpmnjs: BpmnJs, label: str, issues: list[bpmnlint.LintIssue] | None = None
) -> None:
    """bpmnlint (.bpmnlintrc): zero errors, zero warnings; bpmn-js import: zero warnings.

    ``issues`` are bpmnlint's findings when already linted in a batch. A failure names the rule
    and the element so the writer can be fixed (never the rule).
    """
    if issues is None:
        issues = bpmnlint.lint(xml)
    assert issues == [], f"{label}: bpmnlint: " + "; ".join(map(str, issues))
    result = bpmnjs.import_xml(xml)
    assert result.ok, f"{label}: bpmn-js import failed: {result.error}"
    assert result.warnings == [], f"{label}: bpmn-js import warnings: {result.warnings}"


def _edit_round_trip(xml: bytes, bpmnjs: BpmnJs, label: str) -> str:
    """Edit like an analyst in Camunda Modeler, save, read back: every edit must be in the Sop.

    Edits (one saveXML): insert a task after the first non-decision step, move a step to
    another lane, rename the last step, change the Output of a middle step.
    """
    before = read_bpmn(xml)
    root = etree.fromstring(xml)
    steps = list(before.steps)
    after_step = next((s for s in steps if s.decision is None), steps[0])
    renamed = steps[-1]
    edited_output = steps[len(steps) // 2]
    moved = next((s for s in steps if s is not after_step), None)
    target_lane = None
    if moved is not None:
        target_lane = next((r for r in before.roles if r != moved.role), None)

    edits: list[Edit] = [
        AppendTask(_task_of_step(root, after_step.number), NEW_TASK, id="Task_analis"),
        Rename(_task_of_step(root, renamed.number), NEW_NAME),
        SetProperty(
            _task_of_step(root, edited_output.number), "camunda:property:output", NEW_OUTPUT
        ),
    ]
    if moved is not None and target_lane is not None:
        edits.append(MoveToLane(_task_of_step(root, moved.number), target_lane))
    edited = bpmnjs.edit(xml, edits)
    after = read_bpmn(edited.encode("utf-8"))

    assert len(after.steps) == len(before.steps) + 1, f"{label}: the appended task is no step"
    (new_step,) = [s for s in after.steps if s.activity == NEW_TASK]
    assert new_step.role == after_step.role or (moved is after_step), label
    assert (new_step.requirements, new_step.output, new_step.notes) == ("", "", ""), label
    rest = [s for s in after.steps if s is not new_step]
    # The other steps keep their order; match them to the originals by position.
    for old, new in zip(steps, rest, strict=True):
        if old is renamed:
            assert new.activity == NEW_NAME, f"{label}: rename lost: {new.activity!r}"
        else:
            assert new.activity == old.activity, f"{label}: step {old.number} changed"
        if old is edited_output:
            assert new.output == NEW_OUTPUT, f"{label}: output edit lost: {new.output!r}"
        if moved is not None and target_lane is not None and old is moved:
            assert new.role == target_lane, f"{label}: move lost: {new.role!r}"
        elif old is not moved:
            assert new.role == old.role, f"{label}: step {old.number} changed lane"
    # The appended step comes right after the step it was appended to.
    assert after.steps.index(new_step) == steps.index(after_step) + 1, (
        f"{label}: the appended task is not right after step {after_step.number}"
    )
    return edited


# One parameter per bpmn/*.bpmn; a single "none" case that skips with a message while the
# library is still empty (instead of pytest's anonymous empty-parameter-set skip).
_LIBRARY_CASES = LIBRARY or [None]
_LIBRARY_IDS = [p.stem for p in LIBRARY] or ["none"]


def _library_file(path: Path | None) -> bytes:
    if path is None:
        pytest.skip("bpmn/*.bpmn belum dibuat / not generated yet (alur convert examples/*)")
    return path.read_bytes()


@pytest.fixture(scope="module")
def library_lint() -> dict[Path, list[bpmnlint.LintIssue]]:
    """bpmnlint's findings for every bpmn/*.bpmn, in one Node run."""
    return dict(zip(LIBRARY, bpmnlint.lint_many(list(LIBRARY)), strict=True))


@pytest.mark.browser
@pytest.mark.parametrize("path", _LIBRARY_CASES, ids=_LIBRARY_IDS)
def test_library_bpmn_is_clean_for_bpmnlint_and_bpmnjs(
    path: Path | None, bpmnjs: BpmnJs, library_lint: dict[Path, list[bpmnlint.LintIssue]]
):
    xml = _library_file(path)
    assert path is not None
    _assert_clean_for_the_clients(xml, bpmnjs, path.name, library_lint[path])


@pytest.mark.browser
@pytest.mark.parametrize("path", _LIBRARY_CASES, ids=_LIBRARY_IDS)
def test_library_bpmn_survives_edits_in_bpmnjs(path: Path | None, bpmnjs: BpmnJs):
    xml = _library_file(path)
    _edit_round_trip(xml, bpmnjs, path.name if path else "")


def test_the_library_has_the_five_samples():
    if not LIBRARY:
        pytest.skip("bpmn/*.bpmn belum dibuat / not generated yet (alur convert examples/*)")
    assert len(LIBRARY) >= len(list((ROOT / "examples").glob("*.txt")))


@pytest.fixture(scope="module")
def hand_built_bpmn() -> dict[str, tuple[bytes, list[bpmnlint.LintIssue]]]:
    """The writer's BPMN of every hand-built SOP and bpmnlint's findings (one Node run)."""
    xml = {name: write_bpmn(sop) for name, sop in HAND_BUILT.items()}
    found = bpmnlint.lint_many(list(xml.values()))
    return {name: (xml[name], issues) for name, issues in zip(xml, found, strict=True)}


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(HAND_BUILT))
def test_written_bpmn_of_hand_built_sops_is_clean(
    name: str, bpmnjs: BpmnJs, hand_built_bpmn: dict[str, tuple[bytes, list[bpmnlint.LintIssue]]]
):
    xml, issues = hand_built_bpmn[name]
    _assert_clean_for_the_clients(xml, bpmnjs, name, issues)


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(HAND_BUILT))
def test_written_bpmn_of_hand_built_sops_survives_edits_in_bpmnjs(name: str, bpmnjs: BpmnJs):
    _edit_round_trip(write_bpmn(HAND_BUILT[name]), bpmnjs, name)


_STRATEGY = sops()


@pytest.mark.browser
@settings(
    max_examples=6,
    derandomize=True,  # the same models on every run: a failure here is reproducible
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sop=_STRATEGY if _STRATEGY is not None else st.nothing())
def test_written_bpmn_of_random_sops_is_clean_and_editable(sop: Sop, bpmnjs: BpmnJs):
    xml = write_bpmn(sop)
    _assert_clean_for_the_clients(xml, bpmnjs, f"random SOP with {len(sop.steps)} steps")
    _edit_round_trip(xml, bpmnjs, f"random SOP with {len(sop.steps)} steps")


def _lane_id(root: etree._Element, name: str) -> str:
    (lane,) = root.xpath("//bpmn:lane[@name=$name]", namespaces=NS, name=name)
    return str(lane.get("id"))


@pytest.mark.browser
def test_a_lane_renamed_in_bpmnjs_renames_the_role(bpmnjs: BpmnJs):
    sop = HAND_BUILT["lurus"]
    xml = write_bpmn(sop)
    lane = _lane_id(etree.fromstring(xml), "Sekretaris")
    after = read_bpmn(bpmnjs.edit(xml, [Rename(lane, "Sekretaris Dinas")]).encode())
    assert after.roles == tuple("Sekretaris Dinas" if r == "Sekretaris" else r for r in sop.roles)
    assert [s.role for s in after.steps] == [
        "Sekretaris Dinas" if s.role == "Sekretaris" else s.role for s in sop.steps
    ]


@pytest.mark.browser
def test_an_analyst_edit_of_waktu_changes_the_computed_duration(bpmnjs: BpmnJs):
    from converters.reading.durations import parse_duration

    sop = HAND_BUILT["lurus"]  # step 1 has "1 hari" (P1D, 480 working minutes)
    xml = write_bpmn(sop)
    task = _task_of_step(etree.fromstring(xml), 1)
    edited = bpmnjs.edit(xml, [SetProperty(task, "camunda:property:waktu", "2 jam")])
    duration = read_bpmn(edited.encode()).step(1).duration
    assert duration.text == "2 jam"
    assert duration == parse_duration("2 jam")  # PT2H, 120 wall-clock minutes, not P1D


def _run_approving(xml: bytes | str) -> list[tuple[str, str, str]]:
    """Run a diagram in SpiffWorkflow, choosing the first (approve) option of every decision
    form; returns (task id, lane, name) of each user task done. Fails unless it ends."""
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
    from SpiffWorkflow.util.task import TaskState

    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    parser = CamundaParser()
    parser.add_bpmn_xml(etree.fromstring(data))
    (process_id,) = parser.get_process_ids()
    workflow = BpmnWorkflow(parser.get_spec(process_id))
    workflow.do_engine_steps()
    done: list[tuple[str, str, str]] = []
    for _ in range(200):
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        task = ready[0]
        form = getattr(task.task_spec, "form", None)
        for field in form.fields if form is not None else ():
            task.data[field.id] = field.options[0].id
        spec = task.task_spec
        done.append((spec.bpmn_id, spec.lane or "", spec.bpmn_name or ""))
        task.run()
        workflow.do_engine_steps()
    assert workflow.is_completed(), f"SpiffWorkflow stopped after {done}"
    return done


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(HAND_BUILT))
def test_a_diagram_edited_in_bpmnjs_still_runs_in_spiffworkflow(name: str, bpmnjs: BpmnJs):
    # The analyst's saved file is what gets deployed: SpiffWorkflow must run it to the end and
    # put the inserted task and the moved task in the lanes the analyst chose.
    edited = _edit_round_trip(write_bpmn(HAND_BUILT[name]), bpmnjs, name)
    root = etree.fromstring(edited.encode("utf-8"))
    done = {task_id: (lane, label) for task_id, lane, label in _run_approving(edited)}
    assert done["Task_analis"] == (_lane_of(root, "Task_analis"), NEW_TASK)
    for task in root.iterfind(".//bpmn:userTask", NS):
        task_id = task.get("id")
        if task_id in done:
            assert done[task_id][0] == _lane_of(root, task_id), f"{name}: {task_id}"




@pytest.mark.browser
def test_bpmn_of_the_real_corpus_is_clean_for_the_clients(bpmnjs: BpmnJs):
    # Real signed SOPs (read only, never copied into the project): whatever the readers make of
    # them, the writer's BPMN must still pass bpmnlint and import into bpmn-js without warnings.
    sources = sorted((CORPUS / "pdf").glob("*.pdf")) + sorted((CORPUS / "text").glob("*.txt"))
    if not sources:
        pytest.skip(f"{CORPUS} tidak ada / the real SOP corpus is not on this machine")
    xml = {src.name: write_bpmn(read_sop(src)) for src in sources}
    found = bpmnlint.lint_many(list(xml.values()))
    for (name, data), issues in zip(xml.items(), found, strict=True):
        _assert_clean_for_the_clients(data, bpmnjs, name, issues)


@pytest.mark.browser
def test_a_branch_flow_renamed_in_bpmnjs_renames_only_that_branch(bpmnjs: BpmnJs):
    # a decision with three branches: the analyst renames the third branch's flow
    sop = HAND_BUILT["tiga-cabang-maju"]
    xml = write_bpmn(sop)
    edited = bpmnjs.edit(xml, [Rename("Flow_2_keuangan", "Anggaran")])
    after = read_bpmn(edited.encode())
    decision, before = after.step(2).decision, sop.step(2).decision
    assert decision is not None and before is not None
    assert [(b.label, b.target) for b in decision.branches] == [
        ("Teknis", 3), ("Administratif", 4), ("Anggaran", 5),
    ]  # fmt: skip
    assert decision.question == before.question
    assert [s for s in after.essence().steps if s.number != 2] == [
        s for s in sop.essence().steps if s.number != 2
    ]
    assert read_bpmn(write_bpmn(after)).essence() == after.essence()  # lossless from there on
    assert bpmnlint.lint(edited) == []
