"""The process view drawn from the BPMN's own DI (neato -n2): the modeller's picture, readable."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from lxml import etree

from converters.drawing import bpmn_look, di_view
from converters.drawing.process_view import StepStatus, render_process
from tests.converters.drawing.test_document_svg_inspect import SVG, Drawing
from tests.converters.drawing.test_process_view import FOREIGN

SAMPLE = Path(__file__).resolve().parents[3] / "bpmn" / "singkawang-kominfo-penyusunan-iku.bpmn"


@pytest.fixture(scope="module")
def bpmn() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture(scope="module")
def drawing(bpmn: bytes) -> Drawing:
    return Drawing(render_process(bpmn))


@pytest.fixture(scope="module")
def diagram(bpmn: bytes) -> di_view.Diagram:
    found = di_view.read_diagram(bpmn_look.parse_bpmn(bpmn))
    assert found is not None
    return found


def _lanes(d: Drawing) -> list[tuple[str, float, float, float, float]]:
    return sorted(((b.id, b.x0, b.y0, b.x1, b.y1) for b in d.boxes.values()
                   if b.id.startswith("lane-")), key=lambda t: t[2])


def test_lanes_are_full_width_bands_of_equal_width_in_di_order(
        drawing: Drawing, diagram: di_view.Diagram) -> None:
    lanes = _lanes(drawing)
    di_order = [f"lane-{s.element}" for s in sorted(diagram.shapes, key=lambda s: s.bounds.y)
                if s.element.startswith("Lane_")]
    assert [lane[0] for lane in lanes] == di_order and len(lanes) == 4
    assert len({round(x0) for _i, x0, _y0, _x1, _y1 in lanes}) == 1
    assert len({round(x1) for _i, _x0, _y0, x1, _y1 in lanes}) == 1
    for (_a, _ax0, _ay0, _ax1, ay1), (_b, _bx0, by0, _bx1, _by1) in itertools.pairwise(lanes):
        assert abs(ay1 - by0) < 1.0  # bands touch: no gaps, no overlaps
    pool = drawing.boxes["pool-Participant_SOP"]
    assert abs(pool.x1 - lanes[0][3]) < 1.0  # the pool ends where its lanes end


def test_every_lane_name_is_written_across_in_its_band(drawing: Drawing) -> None:
    for ident, _x0, y0, _x1, y1 in _lanes(drawing):
        name = drawing.boxes["lanename-" + ident.removeprefix("lane-")]
        assert y0 - 0.5 <= name.cy <= y1 + 0.5 and name.texts
        assert name.x1 - name.x0 >= 100  # wide enough for "Pengadministrasian Umum" across


def test_nodes_sit_at_their_di_positions(drawing: Drawing, diagram: di_view.Diagram) -> None:
    nodes = [s for s in diagram.shapes if s.element.startswith(("Task_", "Gateway_", "Start",
                                                                "End"))]
    assert len(nodes) > 10
    anchor = nodes[0]
    ax, ay = drawing.boxes[anchor.element].cx, drawing.boxes[anchor.element].cy
    for shape in nodes:
        box = drawing.boxes[shape.element]
        # DI units are points: the offsets between nodes are the DI's, to the half point
        assert box.cx - ax == pytest.approx(shape.bounds.cx - anchor.bounds.cx, abs=1.0)
        assert box.cy - ay == pytest.approx(shape.bounds.cy - anchor.bounds.cy, abs=1.0)
        assert box.x1 - box.x0 == pytest.approx(shape.bounds.w, abs=4.0)


def test_edges_follow_the_di_waypoints_with_right_angles(
        drawing: Drawing, diagram: di_view.Diagram) -> None:
    flows = [e for e in diagram.edges if e.element in drawing.lines]
    assert len(flows) == len(diagram.edges) > 10
    for edge in flows:
        line = drawing.lines[edge.element]
        for (x0, y0), (x1, y1) in itertools.pairwise(line.points):
            assert abs(x0 - x1) < 0.6 or abs(y0 - y1) < 0.6, edge.element
        bends = len(edge.points)
        distinct = {(round(x), round(y)) for x, y in line.points}
        assert len(distinct) >= bends - 1  # every waypoint kept (the last shortened for the head)


def test_text_is_readable_at_the_natural_size(bpmn: bytes) -> None:
    svg = etree.fromstring(render_process(bpmn))
    assert svg.get("width", "").endswith("pt")  # 1 unit = 1 pt = 4/3 CSS px at 100 %
    sizes = [float(t.get("font-size", "0")) for t in svg.iter(f"{SVG}text")]
    assert sizes and min(sizes) * 4 / 3 >= 10.0  # at least 10 px on the page


def test_status_colours_and_highlight_on_the_di_drawing(bpmn: bytes) -> None:
    status = {"StartEvent_Mulai": StepStatus("completed", 1),
              "Task_Langkah_1": StepStatus("completed", 2),
              "Task_Langkah_2": StepStatus("active", 1)}
    d = Drawing(render_process(bpmn, status=status, highlight="Task_Langkah_2"))
    assert "state-completed" in d.boxes["Task_Langkah_1"].classes
    assert "×2" in d.boxes["Task_Langkah_1"].texts
    assert "state-active" in d.boxes["Task_Langkah_2"].classes
    assert "highlight" in d.boxes["Task_Langkah_2"].classes
    assert "state-not-reached" in d.boxes["Task_Langkah_3"].classes
    for g in d.root.iter(f"{SVG}g"):
        if g.get("id") == "Task_Langkah_2":
            assert any(p.get("stroke") == bpmn_look.HIGHLIGHT for p in g.iter(f"{SVG}path"))


def test_branch_names_are_drawn_on_their_flows(drawing: Drawing) -> None:
    texts = {" ".join(drawing.node_texts(i)) for i in drawing.lines}
    assert {"Setuju", "Tidak setuju"} <= texts


def test_bpmn_without_di_is_still_laid_out_by_dot() -> None:
    assert di_view.read_diagram(bpmn_look.parse_bpmn(FOREIGN)) is None
    svg = render_process(FOREIGN).decode()
    assert 'class="cluster' in svg  # dot's lane clusters, not DI bands
    assert "lanename-" not in svg


def test_a_partial_di_falls_back_to_dot(bpmn: bytes) -> None:
    cut = re.sub(rb'<bpmndi:BPMNShape id="Task_Langkah_3_di".*?</bpmndi:BPMNShape>', b"", bpmn,
                 flags=re.S)
    assert cut != bpmn
    assert di_view.read_diagram(bpmn_look.parse_bpmn(cut)) is None
    assert b'class="cluster' in render_process(cut)
