"""Decisions with three or more branches in BPMN: the shape the writer gives them, the
reader's round trip (also after an analyst's edits), schema, layout and bpmnlint.

The shape: the decision task's ``camunda:formField keputusan`` (type enum) has one value per
branch; its exclusive gateway has one outgoing flow per branch, named after the branch; the
second branch's flow is the gateway's default, every other flow tests its own value
(``keputusan == "keuangan"``), so each value takes exactly one flow.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from lxml import etree

from converters.bpmn.reader import read_bpmn
from converters.bpmn.validate import validate_bpmn
from converters.bpmn.writer import decision_values, gateway_id, write_bpmn
from converters.model import END, Branch, Decision, Sop
from tests.converters.bpmn.multi_branch_sops import MULTI_BRANCH
from tests.converters.bpmn.test_layout import check_diagram
from tests.support import bpmnlint

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
}
NAMES = sorted(MULTI_BRANCH)
_CONDITION = re.compile(r'^keputusan == "([^"]+)"$')


def _by_id(root: etree._Element, ident: str) -> etree._Element:
    (el,) = root.xpath("//*[@id=$id]", id=ident)
    return el


def _flows_from(root: etree._Element, source: str) -> list[etree._Element]:
    return root.xpath("//bpmn:sequenceFlow[@sourceRef=$s]", namespaces=NS, s=source)


def _entry_task(root: etree._Element, node_id: str) -> str:
    """The task (or end event) a flow target leads to, through merging gateways."""
    while node_id.startswith("Gateway_Gabung"):
        (flow,) = _flows_from(root, node_id)
        node_id = flow.get("targetRef")
    return node_id


def _taken(root: etree._Element, gateway: str, value: str) -> list[etree._Element]:
    """The flows the gateway takes for ``value``: those whose condition holds, else the
    default flow (the exclusive gateway semantics SpiffWorkflow and Camunda share)."""
    flows = _flows_from(root, gateway)
    holds = [
        f for f in flows
        if (m := _CONDITION.match(f.findtext("bpmn:conditionExpression", "", NS) or ""))
        and m.group(1) == value
    ]  # fmt: skip
    default = _by_id(root, gateway).get("default")
    return holds or [f for f in flows if f.get("id") == default]


@pytest.mark.parametrize("name", NAMES)
def test_each_branch_has_its_enum_value_and_exactly_one_flow(name: str) -> None:
    sop = MULTI_BRANCH[name]
    root = etree.fromstring(write_bpmn(sop))
    for step in sop.steps:
        d = step.decision
        if d is None:
            continue
        values = decision_values(d)
        field = root.xpath(
            "//bpmn:userTask[@id=$t]//camunda:formField[@id='keputusan']",
            namespaces=NS, t=f"Task_Langkah_{step.number}",
        )[0]  # fmt: skip
        assert field.get("type") == "enum"
        options = [(v.get("id"), v.get("name")) for v in field.findall("camunda:value", NS)]
        assert options == [(v, b.label) for v, b in zip(values, d.branches, strict=True)]
        gid = gateway_id(step.number)
        flows = _flows_from(root, gid)
        assert len(flows) == len(d.branches)
        assert _by_id(root, gid).get("default") == f"Flow_{step.number}_{values[1]}"
        for value, branch in zip(values, d.branches, strict=True):
            (flow,) = _taken(root, gid, value)  # exactly one flow for each value
            assert flow.get("name") == branch.label
            want = "EndEvent_Selesai" if branch.target == END else f"Task_Langkah_{branch.target}"
            assert _entry_task(root, flow.get("targetRef")) == want
        conditional = [f for f in flows if f.find("bpmn:conditionExpression", NS) is not None]
        assert len(conditional) == len(d.branches) - 1  # all but the default flow


def test_the_shape_of_a_three_branch_gateway() -> None:
    root = etree.fromstring(write_bpmn(MULTI_BRANCH["tiga-cabang-maju"]))
    flows = {
        f.get("id"): (f.get("name"), f.findtext("bpmn:conditionExpression", None, NS))
        for f in _flows_from(root, "Gateway_Langkah_2")
    }
    assert flows == {
        "Flow_2_teknis": ("Teknis", 'keputusan == "teknis"'),
        "Flow_2_administratif": ("Administratif", None),
        "Flow_2_keuangan": ("Keuangan", 'keputusan == "keuangan"'),
    }
    gateway = _by_id(root, "Gateway_Langkah_2")
    assert gateway.get("name") == "Jenis pengaduan?"
    assert [o.text for o in gateway.findall("bpmn:outgoing", NS)] == list(flows)


@pytest.mark.parametrize("name", NAMES)
def test_schema_valid_and_round_trip_lossless(name: str) -> None:
    sop = MULTI_BRANCH[name]
    xml = write_bpmn(sop)
    assert validate_bpmn(xml) == []
    back = read_bpmn(xml)
    assert back.essence() == sop.essence()
    assert back.warnings == ()
    assert write_bpmn(back) == xml  # and written again, byte for byte


@pytest.mark.parametrize("name", NAMES)
def test_layout_routes_every_branch_clear_of_shapes_and_labels(name: str) -> None:
    check_diagram(MULTI_BRANCH[name])


def test_equal_labels_still_get_distinct_values() -> None:
    d = Decision.of_branches([Branch("Ya", 2), Branch("Ya", 3), Branch("Ya", END)])
    assert decision_values(d) == ("ya", "ya_2", "ya_3")
    d = Decision.of_branches([Branch("Lain", 2), Branch("Lain 2", 3), Branch("Lain", END)])
    assert decision_values(d) == ("lain", "lain_2", "lain_3")
    assert decision_values(Decision(2, 1, ("Ya", "Ya"))) == ("ya", "ya_2")  # as before


def test_renamed_and_rerouted_extra_flow_come_back() -> None:
    # what an analyst does in Camunda Modeler: rename a branch's flow, reconnect another
    sop = MULTI_BRANCH["tiga-cabang-maju"]
    root = etree.fromstring(write_bpmn(sop))
    _by_id(root, "Flow_2_keuangan").set("name", "Anggaran")
    _by_id(root, "Flow_2_teknis").set("targetRef", "Task_Langkah_6")
    back = read_bpmn(etree.tostring(root))
    d = back.step(2).decision
    assert d is not None
    assert d.branches == (
        Branch("Teknis", 6), Branch("Administratif", 4), Branch("Anggaran", 5),
    )  # fmt: skip
    assert d.question == "Jenis pengaduan?"
    again = read_bpmn(write_bpmn(back))  # and the edited model round-trips in turn
    assert again.essence() == back.essence()


def test_branches_are_ordered_by_the_form_whatever_the_flow_order() -> None:
    sop = MULTI_BRANCH["empat-cabang"]
    root = etree.fromstring(write_bpmn(sop))
    gateway = _by_id(root, "Gateway_Langkah_2")
    outs = gateway.findall("bpmn:outgoing", NS)
    for o in outs:
        gateway.remove(o)
    for o in reversed(outs):  # the Modeler may list the flows in any order
        gateway.append(o)
    proc = root.find("bpmn:process", NS)
    flows = _flows_from(root, "Gateway_Langkah_2")
    for f in flows:
        proc.remove(f)
    for f in reversed(flows):
        proc.append(f)
    assert read_bpmn(etree.tostring(root)).essence() == sop.essence()


def test_a_flow_the_form_does_not_know_is_kept_as_a_branch_too() -> None:
    # a foreign gateway: conditions on values the task form does not list, no default
    sop = MULTI_BRANCH["tiga-cabang-maju"]
    root = etree.fromstring(write_bpmn(sop))
    for v in root.xpath("//camunda:formField[@id='keputusan']", namespaces=NS)[0]:
        if etree.QName(v).localname == "value" and v.get("id") == "keuangan":
            v.getparent().remove(v)
    back = read_bpmn(etree.tostring(root))
    d = back.step(2).decision
    assert d is not None and len(d.branches) == 3
    assert {(b.label, b.target) for b in d.branches} == {
        ("Teknis", 3), ("Administratif", 4), ("Keuangan", 5),
    }  # fmt: skip


def test_a_two_branch_decision_is_written_as_before() -> None:
    sop = MULTI_BRANCH["empat-cabang"]
    root = etree.fromstring(write_bpmn(sop))
    flows = {f.get("id") for f in _flows_from(root, "Gateway_Langkah_5")}
    assert flows == {"Flow_5_setuju", "Flow_5_tidak_setuju"}


def test_bpmnlint_finds_nothing() -> None:
    reason = bpmnlint.available()
    if reason:
        pytest.skip(reason)
    xml = [write_bpmn(MULTI_BRANCH[n]) for n in NAMES]
    for name, issues in zip(NAMES, bpmnlint.lint_many(xml), strict=True):
        assert issues == [], f"{name}: " + "; ".join(map(str, issues))


def _only(sop: Sop, number: int) -> Sop:
    """``sop`` with every decision but step ``number``'s dropped (a smaller layout case)."""
    steps = tuple(
        s if s.number == number else dataclasses.replace(s, decision=None) for s in sop.steps
    )
    return dataclasses.replace(sop, steps=steps)


def test_four_branches_without_a_neighbour_share_sides_cleanly() -> None:
    # no branch goes to the next column: bottom, top, bottom, top, with stacked labels
    base = MULTI_BRANCH["empat-cabang"]
    d = Decision.of_branches(
        [Branch("Kotak Pengaduan", 4), Branch("Tatap muka", 5), Branch("Telepon", 6),
         Branch("Surel", 1)],
        question="Saluran?",
    )  # fmt: skip
    steps = tuple(dataclasses.replace(s, decision=d) if s.number == 2 else s for s in base.steps)
    sop = _only(dataclasses.replace(base, steps=steps), 2)
    check_diagram(sop)
    assert read_bpmn(write_bpmn(sop)).essence() == sop.essence()
