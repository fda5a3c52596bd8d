"""read_bpmn: lossless round trip, and analysts' edits in Camunda Modeler win."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from converters.bpmn.names import short_name, text_check
from converters.bpmn.properties import duration_from_properties
from converters.bpmn.reader import read_bpmn
from converters.bpmn.writer import write_bpmn
from converters.model import END, ConversionError, Decision, Duration, Identity, Sop, Step
from tests.converters.strategies import fixed_sops, model, model_names, names, sops

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
}
B = "{" + NS["bpmn"] + "}"


@pytest.mark.parametrize("name", model_names())
def test_round_trip_of_every_model_is_lossless(name: str):
    sop = model(name)
    back = read_bpmn(write_bpmn(sop))
    assert back.essence() == sop.essence()
    assert back.source_format == "bpmn"
    assert back.warnings == ()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sops())
def test_round_trip_of_random_models_is_lossless(sop: Sop):
    assert read_bpmn(write_bpmn(sop)).essence() == sop.essence()


def test_accepts_path_text_and_bytes(tmp_path: Path):
    sop = fixed_sops()["last_decides"]
    data = write_bpmn(sop)
    path = tmp_path / "x.bpmn"
    path.write_bytes(data)
    expected = sop.essence()
    assert read_bpmn(path).essence() == expected
    assert read_bpmn(str(path)).essence() == expected
    assert read_bpmn(data.decode()).essence() == expected
    assert read_bpmn("\ufeff\n" + data.decode().split("?>", 1)[1]).essence() == expected


# -- edits as Camunda Modeler makes them ---------------------------------------------------


def _tree(sop: Sop) -> etree._Element:
    return etree.fromstring(write_bpmn(sop))


def _proc(root: etree._Element) -> etree._Element:
    return root.find("bpmn:process", NS)


def _by_id(root: etree._Element, element_id: str) -> etree._Element:
    (el,) = root.xpath("//*[@id=$i]", i=element_id)
    return el


def _read(root: etree._Element) -> Sop:
    return read_bpmn(etree.tostring(root))


def test_renamed_task_changes_the_activity_only():
    sop = fixed_sops()["two_loops"]
    root = _tree(sop)
    _by_id(root, "Task_Langkah_3").set("name", "Memeriksa rekap IKU")
    back = _read(root)
    assert back.step(3).activity == "Memeriksa rekap IKU"
    assert back.step(2).activity == sop.step(2).activity
    assert back.step(3).role == sop.step(3).role


def test_task_moved_to_another_lane_changes_its_role():
    sop = fixed_sops()["two_loops"]
    root = _tree(sop)
    task = "Task_Langkah_2"
    for ref in root.iterfind(".//bpmn:flowNodeRef", NS):
        if ref.text == task:
            ref.getparent().remove(ref)
    staf = root.find(".//bpmn:lane[@name='Staf']", NS)
    etree.SubElement(staf, B + "flowNodeRef").text = task
    back = _read(root)
    assert back.step(2).role == "Staf"
    assert back.roles == sop.roles


def test_lane_membership_falls_back_to_the_drawing():
    """A tool that drops flowNodeRef still has the node's shape inside a lane's bounds."""
    sop = fixed_sops()["two_loops"]
    root = _tree(sop)
    for ref in list(root.iterfind(".//bpmn:flowNodeRef", NS)):
        ref.getparent().remove(ref)
    back = _read(root)
    assert [s.role for s in back.steps] == [s.role for s in sop.steps]
    assert back.steps[0].role_provenance.source == "column"


def test_renamed_and_added_lanes_become_roles_in_drawing_order():
    sop = fixed_sops()["last_decides"]  # lanes: Kepala Dinas, Staf
    root = _tree(sop)
    lane_set = root.find(".//bpmn:laneSet", NS)
    lane_set.find("bpmn:lane[@name='Staf']", NS).set("name", "Staf Umum")
    # a new lane drawn *between* the two, though written last in the XML
    new = etree.SubElement(lane_set, B + "lane", id="Lane_Baru", name="Sekretaris")
    assert new is not None
    kadis = root.find(".//bpmndi:BPMNShape[@bpmnElement='Lane_Kepala_Dinas']/dc:Bounds", NS)
    staf_b = root.find(".//bpmndi:BPMNShape[@bpmnElement='Lane_Staf']/dc:Bounds", NS)
    mid = (float(kadis.get("y")) + float(staf_b.get("y"))) / 2
    plane = root.find(".//bpmndi:BPMNPlane", NS)
    shape = etree.SubElement(plane, "{" + NS["bpmndi"] + "}BPMNShape", bpmnElement="Lane_Baru")
    etree.SubElement(shape, "{" + NS["dc"] + "}Bounds", x="0", y=str(mid), width="10", height="1")
    back = _read(root)
    assert back.roles == ("Kepala Dinas", "Sekretaris", "Staf Umum")
    assert back.step(1).role == "Staf Umum"


def _insert_task_after(root: etree._Element, after: str, new_id: str, name: str) -> None:
    """What bpmn-js does when an analyst inserts a task on a task's outgoing flow."""
    proc = _proc(root)
    (flow_id,) = [o.text for o in _by_id(root, after).findall("bpmn:outgoing", NS)]
    flow = _by_id(root, flow_id)
    old_target = flow.get("targetRef")
    flow.set("targetRef", new_id)
    task = etree.SubElement(proc, B + "userTask", id=new_id, name=name)
    etree.SubElement(task, B + "incoming").text = flow_id
    etree.SubElement(task, B + "outgoing").text = f"Flow_{new_id}"
    etree.SubElement(
        proc, B + "sequenceFlow", id=f"Flow_{new_id}", sourceRef=new_id, targetRef=old_target
    )
    target = _by_id(root, old_target)
    for inc in target.findall("bpmn:incoming", NS):
        if inc.text == flow_id:
            inc.text = f"Flow_{new_id}"
    lane = next(
        ref.getparent() for ref in root.iterfind(".//bpmn:flowNodeRef", NS) if ref.text == after
    )
    etree.SubElement(lane, B + "flowNodeRef").text = new_id


def test_added_task_becomes_a_step_in_flow_order_and_targets_are_renumbered():
    sop = fixed_sops()["two_loops"]
    root = _tree(sop)
    _insert_task_after(root, "Task_Langkah_2", "Activity_0x1", "Memvalidasi rekap")
    back = _read(root)
    assert len(back.steps) == 9
    added = back.step(3)
    assert added.activity == "Memvalidasi rekap"
    assert added.role == sop.step(2).role
    assert (added.requirements, added.output, added.notes, added.duration.text) == ("",) * 4
    assert back.step(4).activity == sop.step(3).activity
    # the decisions that sent work back to old step 4 now send it to step 5
    assert back.step(6).decision == dataclasses.replace(
        sop.step(5).decision, approve_to=7, reject_to=5
    )
    assert back.step(7).decision.reject_to == 5
    assert [w.code for w in back.warnings] == ["step-added"]


def test_task_added_after_the_last_step_comes_last():
    sop = fixed_sops()["one_step"]
    root = _tree(sop)
    _insert_task_after(root, "Task_Langkah_1", "Activity_9", "Mengarsipkan")
    back = _read(root)
    assert [s.activity for s in back.steps][1:] == ["Mengarsipkan"]
    assert [s.number for s in back.steps] == [1, 2]


def test_edited_property_and_renamed_gateway_and_flow_come_back():
    sop = fixed_sops()["two_loops"]
    root = _tree(sop)
    task = _by_id(root, "Task_Langkah_5")
    for prop in task.iterfind(".//camunda:property", NS):
        if prop.get("name") == "waktu":
            prop.set("value", "2 jam")
    _by_id(root, "Gateway_Langkah_5").set("name", "Konsep sesuai?")
    _by_id(root, "Flow_5_setuju").set("name", "Sesuai")
    back = _read(root)
    step = back.step(5)
    # the numbers follow the edited text (stored ones were computed from "30 menit")
    assert step.duration == Duration("2 jam", 120, 120, "PT2H", False, None)
    assert step.decision.question == "Konsep sesuai?"
    assert step.decision.labels == ("Sesuai", "Tidak setuju")
    assert (step.decision.approve_to, step.decision.reject_to) == (6, 4)


def test_rerouted_reject_flow_changes_the_target():
    sop = fixed_sops()["skip_and_end"]
    root = _tree(sop)
    # step 4's "Tidak" went to the end; the analyst points it at step 1's task instead
    flow = _by_id(root, "Flow_4_tidak")
    flow.set("targetRef", "Task_Langkah_1")
    back = _read(root)
    assert back.step(4).decision.reject_to == 1


def test_foreign_bpmn_without_alur_properties_is_ordered_by_the_flow():
    xml = b"""<?xml version="1.0"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="x">
  <process id="P" name="Cuti Pegawai" isExecutable="true">
    <laneSet id="LS">
      <lane id="L1" name="Pegawai"><flowNodeRef>s</flowNodeRef><flowNodeRef>b</flowNodeRef>
        <flowNodeRef>a</flowNodeRef></lane>
      <lane id="L2" name="Atasan"><flowNodeRef>c</flowNodeRef><flowNodeRef>g</flowNodeRef></lane>
    </laneSet>
    <startEvent id="s"/>
    <task id="c" name="Menyetujui cuti"/>
    <task id="b" name="Mengisi formulir"/>
    <task id="a" name="Memperbaiki formulir"/>
    <exclusiveGateway id="g" default="no"/>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="b"/>
    <sequenceFlow id="f2" sourceRef="b" targetRef="c"/>
    <sequenceFlow id="f3" sourceRef="c" targetRef="g"/>
    <sequenceFlow id="yes" name="Ya" sourceRef="g" targetRef="e">
      <conditionExpression>ok == "ya"</conditionExpression></sequenceFlow>
    <sequenceFlow id="no" name="Tidak" sourceRef="g" targetRef="a"/>
    <sequenceFlow id="f4" sourceRef="a" targetRef="c"/>
  </process>
</definitions>"""
    sop = read_bpmn(xml)
    assert sop.identity.name == "Cuti Pegawai"
    assert sop.roles == ("Pegawai", "Atasan")
    assert [(s.number, s.activity, s.role) for s in sop.steps] == [
        (1, "Mengisi formulir", "Pegawai"),
        (2, "Menyetujui cuti", "Atasan"),
        (3, "Memperbaiki formulir", "Pegawai"),
    ]
    assert sop.step(2).decision == Decision(END, 3, ("Ya", "Tidak"), "")
    # step 3 loops back to step 2 without a decision: the SOP model cannot say that, so it is
    # reported instead of silently dropped
    assert {(w.code, w.step) for w in sop.warnings if w.code != "step-added"} == {
        ("flow-ignored", 3)
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "bukan XML yang sah"),
        (b"<html/>", "bukan bpmn:definitions"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DOCTYPE"),
        (
            b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
            b'<process id="p"><startEvent id="s"/></process></definitions>',
            "tidak memuat satu tugas",
        ),
    ],
)
def test_unusable_input_is_one_clear_conversion_error(data: bytes, message: str):
    with pytest.raises(ConversionError, match=message) as info:
        read_bpmn(data)
    assert "\n" not in str(info.value)


def _with_format(sop: Sop, version: str | None) -> bytes:
    root = _tree(sop)
    (prop,) = root.xpath("//camunda:property[@name='alur_format']", namespaces=NS)
    if version is None:
        prop.getparent().remove(prop)
    else:
        prop.set("value", version)
    return etree.tostring(root)


@pytest.mark.parametrize("version", ["2", "10", "x"])
def test_a_newer_or_unknown_alur_format_is_refused_in_both_languages(version: str):
    with pytest.raises(ConversionError, match="tidak didukung") as info:
        read_bpmn(_with_format(fixed_sops()["two_loops"], version))
    message = str(info.value)
    assert "\n" not in message and "not supported" in message and version in message


@pytest.mark.parametrize("version", ["1", " 1 ", None])
def test_the_current_format_or_none_at_all_is_read(version: str | None):
    sop = fixed_sops()["two_loops"]
    assert read_bpmn(_with_format(sop, version)).essence() == sop.essence()


def test_missing_file_is_a_conversion_error(tmp_path: Path):
    with pytest.raises(ConversionError, match="tidak dapat dibaca"):
        read_bpmn(tmp_path / "tidak-ada.bpmn")


def test_task_outside_every_lane_gets_the_previous_role_with_a_warning():
    sop = Sop(Identity(name="X"), ("Staf", "Kasi"), (Step(1, "A", "Kasi"), Step(2, "B", "Staf")))
    root = _tree(sop)
    for ref in list(root.iterfind(".//bpmn:flowNodeRef", NS)):
        if ref.text == "Task_Langkah_2":
            ref.getparent().remove(ref)
    shape = root.find(".//bpmndi:BPMNShape[@bpmnElement='Task_Langkah_2']/dc:Bounds", NS)
    shape.set("y", "-5000")
    back = _read(root)
    assert back.step(2).role == "Kasi"
    assert [w.code for w in back.warnings] == ["role-guessed"]
    assert back.step(2).role_provenance.confidence < 0.5


def test_duration_numbers_are_kept_while_their_text_is_unchanged():
    odd = Duration("sesuai jadwal rapat", 60, 240, "PT4H", True, None)  # not what a parser says
    props = {"waktu": odd.text, "waktu_iso": "PT4H", "waktu_menit_min": "60"}
    props |= {"waktu_menit_maks": "240", "waktu_hari_kerja": "ya"}
    props["waktu_cek"] = text_check(odd.text)
    assert duration_from_properties(props) == odd
    props["waktu"] = "1 hari"
    assert duration_from_properties(props).iso == "P1D"


def test_duration_text_alone_is_parsed():
    assert duration_from_properties({"waktu": "10 menit"}).max_minutes == 10
    assert duration_from_properties({}) == Duration()


def test_flow_the_sop_model_cannot_keep_is_reported():
    sop = fixed_sops()["two_loops"]
    root = _tree(sop)
    # the analyst draws step 2's plain flow straight to step 5's task, skipping 3 and 4
    _by_id(root, "Flow_2").set("targetRef", "Task_Langkah_5")
    back = _read(root)
    assert [(w.code, w.step) for w in back.warnings] == [("flow-ignored", 2)]
    assert back.essence() == sop.essence()  # the steps themselves are unchanged


def test_deleted_task_renumbers_the_steps_and_says_so():
    sop = fixed_sops()["two_loops"]
    root = _tree(sop)
    # what the Modeler leaves after deleting step 2: its flows go with it
    proc = _proc(root)
    proc.remove(_by_id(root, "Task_Langkah_2"))
    for fid in ("Flow_1", "Flow_2"):
        proc.remove(_by_id(root, fid))
    for ref in list(root.iterfind(".//bpmn:flowNodeRef", NS)):
        if ref.text == "Task_Langkah_2":
            ref.getparent().remove(ref)
    back = _read(root)
    assert [s.number for s in back.steps] == list(range(1, 8))
    assert back.step(2).activity == sop.step(3).activity
    assert (back.step(4).decision.approve_to, back.step(4).decision.reject_to) == (5, 3)
    assert [w.code for w in back.warnings] == ["number-guessed"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sops(), st.data())
def test_renaming_or_moving_any_task_changes_only_that_step(sop: Sop, data: st.DataObject):
    step = data.draw(st.sampled_from(sop.steps))
    new_name = data.draw(names(40).filter(lambda n: n != short_name(step.activity, step.number)))
    new_role = data.draw(st.sampled_from(sop.roles))
    root = _tree(sop)
    task = f"Task_Langkah_{step.number}"
    _by_id(root, task).set("name", new_name)
    for ref in list(root.iterfind(".//bpmn:flowNodeRef", NS)):
        if ref.text == task:
            ref.getparent().remove(ref)
    lane = next(la for la in root.iterfind(".//bpmn:lane", NS) if la.get("name") == new_role)
    etree.SubElement(lane, B + "flowNodeRef").text = task
    expected = dataclasses.replace(step, activity=new_name, role=new_role)
    want = dataclasses.replace(
        sop, steps=tuple(expected if s is step else s for s in sop.steps)
    ).essence()
    assert _read(root).essence() == want
