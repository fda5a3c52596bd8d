"""The diagram (BPMNDI) as a person sees it: lanes, order, no overlaps, clean orthogonal edges.

Checked on the written XML, so what is tested is exactly what Camunda Modeler draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from converters.bpmn.layout import Bounds, EdgeSpec, NodeSpec, layout, text_size
from converters.bpmn.writer import write_bpmn
from converters.model import Sop
from tests.converters.strategies import fixed_sops, model, model_names, sops

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
FLOW_NODES = ("userTask", "exclusiveGateway", "startEvent", "endEvent")


@dataclass
class Diagram:
    root: etree._Element
    shapes: dict[str, Bounds]
    labels: dict[str, Bounds]
    edges: dict[str, list[tuple[float, float]]]

    def nodes(self) -> list[etree._Element]:
        proc = self.root.find("bpmn:process", NS)
        return [el for el in proc if etree.QName(el).localname in FLOW_NODES]


def _bounds(el: etree._Element) -> Bounds:
    b = el.find("dc:Bounds", NS)
    return Bounds(*(float(b.get(k)) for k in ("x", "y", "width", "height")))


def _diagram(sop: Sop, xml: bytes | None = None) -> Diagram:
    root = etree.fromstring(xml if xml is not None else write_bpmn(sop))
    shapes, labels, edges = {}, {}, {}
    for shape in root.iterfind(".//bpmndi:BPMNShape", NS):
        shapes[shape.get("bpmnElement")] = _bounds(shape)
        label = shape.find("bpmndi:BPMNLabel", NS)
        if label is not None:
            labels[shape.get("bpmnElement")] = _bounds(label)
    for edge in root.iterfind(".//bpmndi:BPMNEdge", NS):
        edges[edge.get("bpmnElement")] = [
            (float(w.get("x")), float(w.get("y"))) for w in edge.findall("di:waypoint", NS)
        ]
        label = edge.find("bpmndi:BPMNLabel", NS)
        if label is not None:
            labels[edge.get("bpmnElement")] = _bounds(label)
    return Diagram(root, shapes, labels, edges)


def _inside(inner: Bounds, outer: Bounds) -> bool:
    return (
        outer.x <= inner.x
        and inner.right <= outer.right
        and outer.y <= inner.y
        and inner.bottom <= outer.bottom
    )


def _crosses(a: tuple[float, float], b: tuple[float, float], box: Bounds) -> bool:
    """Does the axis-parallel segment a-b enter the interior of ``box``?"""
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    return x0 < box.right - 1 and x1 > box.x + 1 and y0 < box.bottom - 1 and y1 > box.y + 1


def _on_border(p: tuple[float, float], box: Bounds) -> bool:
    x, y = p
    within_x = box.x - 1 <= x <= box.right + 1
    within_y = box.y - 1 <= y <= box.bottom + 1
    on_x = abs(x - box.x) <= 1 or abs(x - box.right) <= 1
    on_y = abs(y - box.y) <= 1 or abs(y - box.bottom) <= 1
    return within_x and within_y and (on_x or on_y)


def check_diagram(sop: Sop, xml: bytes | None = None) -> None:
    """Every geometric promise of the layout, as assertions (used on many models)."""
    d = _diagram(sop, xml)
    proc = d.root.find("bpmn:process", NS)
    participant = d.shapes["Participant_SOP"]
    lanes = proc.findall("bpmn:laneSet/bpmn:lane", NS)

    # lanes: horizontal bands, top to bottom in role order, filling the pool
    lane_boxes = [d.shapes[lane.get("id")] for lane in lanes]
    assert [lane.get("name") for lane in lanes][: len(sop.roles)] == list(sop.roles)
    assert lane_boxes[0].y == participant.y
    for upper, lower in pairwise(lane_boxes):
        assert upper.bottom == lower.y
        assert (upper.x, upper.width) == (lower.x, lower.width)
    assert lane_boxes[-1].bottom == participant.bottom
    assert all(_inside(b, participant) for b in lane_boxes)

    # nodes: inside their lane, never overlapping
    nodes = d.nodes()
    for lane, box in zip(lanes, lane_boxes, strict=True):
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            assert _inside(d.shapes[ref.text], box), f"{ref.text} outside {lane.get('name')}"
    node_boxes = {n.get("id"): d.shapes[n.get("id")] for n in nodes}
    ids = sorted(node_boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            assert not node_boxes[a].overlaps(node_boxes[b]), f"{a} overlaps {b}"

    # steps run left to right in step order
    xs = [node_boxes[f"Task_Langkah_{s.number}"].x for s in sop.steps]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)

    # edges: from source border to target border, orthogonal, through no shape
    for flow in proc.findall("bpmn:sequenceFlow", NS):
        pts = d.edges[flow.get("id")]
        assert len(pts) >= 2
        assert _on_border(pts[0], node_boxes[flow.get("sourceRef")]), flow.get("id")
        assert _on_border(pts[-1], node_boxes[flow.get("targetRef")]), flow.get("id")
        for a, b in pairwise(pts):
            assert a[0] == b[0] or a[1] == b[1], f"{flow.get('id')} has a diagonal segment"
            for nid, box in node_boxes.items():
                assert not _crosses(a, b, box), f"{flow.get('id')} crosses {nid}"

    # labels: every decision gateway and every named flow has one, clear of all shapes
    for el in [*nodes, *proc.findall("bpmn:sequenceFlow", NS)]:
        if el.get("name") and etree.QName(el).localname != "userTask":
            assert el.get("id") in d.labels, f"{el.get('id')} has no label position"
    for lid, label in d.labels.items():
        assert _inside(label, participant), f"label of {lid} outside the pool"
        for nid, box in node_boxes.items():
            assert not label.overlaps(box), f"label of {lid} covers {nid}"
        for eid, pts in d.edges.items():
            for a, b in pairwise(pts):
                assert not _crosses(a, b, label), f"edge {eid} runs through the label of {lid}"
    for lane, box in zip(lanes, lane_boxes, strict=True):
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            if ref.text in d.labels:
                assert _inside(d.labels[ref.text], box), f"label of {ref.text} leaves its lane"
    labelled = sorted(d.labels.items())
    for i, (a, box_a) in enumerate(labelled):
        for b, box_b in labelled[i + 1 :]:
            assert not box_a.overlaps(box_b), f"labels of {a} and {b} overlap"


@pytest.mark.parametrize("name", model_names())
def test_diagram_of_every_model_is_clean(name: str):
    check_diagram(model(name))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sops())
def test_diagram_of_random_models_is_clean(sop: Sop):
    check_diagram(sop)


def test_loop_back_runs_below_the_row_and_enters_the_merge_from_below():
    d = _diagram(fixed_sops()["two_loops"])
    pts = d.edges["Flow_5_tidak_setuju"]
    gateway, merge = d.shapes["Gateway_Langkah_5"], d.shapes["Gateway_Gabung_4"]
    assert pts[0] == (gateway.cx, gateway.bottom)
    assert pts[-1] == (merge.cx, merge.bottom)
    lane = d.shapes["Lane_Pengadministrasi_Umum"]
    track = pts[1][1]
    assert merge.bottom < track < lane.bottom  # a channel under the lane's row of nodes
    # the longer loop (from step 6) nests outside the shorter one (from step 5)
    assert d.edges["Flow_6_tidak_setuju"][1][1] > track


def test_neighbouring_columns_connect_straight_within_a_lane():
    d = _diagram(fixed_sops()["two_loops"])
    task, gateway = d.shapes["Task_Langkah_5"], d.shapes["Gateway_Langkah_5"]
    assert d.edges["Flow_5_keputusan"] == [(task.right, task.cy), (gateway.x, gateway.cy)]


def test_overlapping_loops_get_separate_tracks_disjoint_ones_share():
    nodes = [NodeSpec(f"n{i}", "task", 0) for i in range(6)]
    edges = [
        EdgeSpec("a", "n2", "n0"),  # spans 0..2
        EdgeSpec("b", "n3", "n1"),  # overlaps a
        EdgeSpec("c", "n5", "n4"),  # disjoint from both
    ]
    geo = layout(["Staf"], nodes, edges)
    ya, yb, yc = (geo.edges[e][1][1] for e in "abc")
    assert ya != yb
    assert yc == min(ya, yb)


def test_long_lane_names_get_taller_lanes():
    short = layout(["Staf"], [NodeSpec("t", "task", 0)], [])
    long_name = "Kepala Sub Bagian Perencanaan, Evaluasi, Pelaporan dan Keuangan Daerah"
    tall = layout([long_name], [NodeSpec("t", "task", 0)], [])
    assert tall.lanes[0].height > short.lanes[0].height
    assert tall.lanes[0].height * 2 >= len(long_name) * 6


def test_text_size_wraps_long_labels():
    assert text_size("") == (0.0, 0.0)
    w1, h1 = text_size("Setuju")
    w2, h2 = text_size("Apakah konsep laporan kinerja sudah sesuai dengan arahan pimpinan?")
    assert w1 < w2 <= 120
    assert h2 > h1


def test_the_checker_catches_an_edge_through_a_task_and_a_misplaced_node():
    sop = fixed_sops()["two_loops"]
    xml = write_bpmn(sop)
    check_diagram(sop, xml)
    root = etree.fromstring(xml)
    task = _bounds(root.find(".//bpmndi:BPMNShape[@bpmnElement='Task_Langkah_3']", NS))
    # route the loop's track straight through task 3
    edge = root.find(".//bpmndi:BPMNEdge[@bpmnElement='Flow_6_tidak_setuju']", NS)
    for w in edge.findall("di:waypoint", NS)[1:3]:
        w.set("y", str(task.cy))
    with pytest.raises(AssertionError, match="crosses Task_Langkah_"):
        check_diagram(sop, etree.tostring(root))
    root = etree.fromstring(xml)
    bounds = root.find(".//bpmndi:BPMNShape[@bpmnElement='Task_Langkah_1']/dc:Bounds", NS)
    bounds.set("y", str(float(bounds.get("y")) + 200))
    with pytest.raises(AssertionError, match="Task_Langkah_1 outside"):
        check_diagram(sop, etree.tostring(root))
