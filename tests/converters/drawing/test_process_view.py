"""The Graphviz process view of any BPMN 2.0 (lanes, shapes, status colours, highlight)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from converters.drawing.process_view import StepStatus, process_dot, render_process
from converters.model import ConversionError, Sop
from tests.converters.drawing.test_document_svg_inspect import Drawing

# A BPMN as a foreign modeller writes it: nested lanes would be flattened, names with markup,
# a loop back through a merging gateway, and no BPMNDI at all.
FOREIGN = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d1"
             targetNamespace="http://example.org/x">
  <collaboration id="c1"><participant id="P1" name="Dinas &lt;Contoh&gt;" processRef="p1"/>
  </collaboration>
  <process id="p1" isExecutable="true">
    <laneSet id="ls1">
      <lane id="L_top" name="Kepala Dinas"><flowNodeRef>t3</flowNodeRef>
        <flowNodeRef>g2</flowNodeRef></lane>
      <lane id="L_mid" name="Kasubbag"><flowNodeRef>t2</flowNodeRef></lane>
      <lane id="L_low" name="Staf"><flowNodeRef>s</flowNodeRef><flowNodeRef>g1</flowNodeRef>
        <flowNodeRef>t1</flowNodeRef><flowNodeRef>e</flowNodeRef>
        <flowNodeRef>par</flowNodeRef></lane>
    </laneSet>
    <startEvent id="s" name="Mulai"/>
    <exclusiveGateway id="g1" name="merge"/>
    <userTask id="t1" name="Menyusun konsep surat &amp; lampiran"/>
    <userTask id="t2" name="Memeriksa konsep"/>
    <userTask id="t3" name="Menandatangani"/>
    <exclusiveGateway id="g2" name="Setuju?"/>
    <parallelGateway id="par"/>
    <endEvent id="e" name="Selesai"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="g1"/>
    <sequenceFlow id="f2" sourceRef="g1" targetRef="t1"/>
    <sequenceFlow id="f3" sourceRef="t1" targetRef="t2"/>
    <sequenceFlow id="f4" sourceRef="t2" targetRef="t3"/>
    <sequenceFlow id="f5" sourceRef="t3" targetRef="g2"/>
    <sequenceFlow id="f6" name="Setuju" sourceRef="g2" targetRef="par"/>
    <sequenceFlow id="f7" name="Tidak setuju" sourceRef="g2" targetRef="g1"/>
    <sequenceFlow id="f8" sourceRef="par" targetRef="e"/>
  </process>
</definitions>
"""


@pytest.fixture(scope="module")
def plain() -> Drawing:
    return Drawing(render_process(FOREIGN))


@pytest.fixture(scope="module")
def live() -> Drawing:
    status = {
        "s": StepStatus("completed", 1),
        "t1": StepStatus("completed", 2),
        "t2": StepStatus("completed", 2),
        "t3": StepStatus("active", 2),
    }
    return Drawing(render_process(FOREIGN, status=status, highlight="t3"))


def _clusters(svg: bytes) -> dict[str, tuple[float, float]]:
    """Lane clusters' vertical extent (y0, y1) keyed by id."""
    d = Drawing(svg)
    out: dict[str, tuple[float, float]] = {}
    from tests.converters.drawing.test_document_svg_inspect import SVG, _pairs

    for g in d.root.iter(f"{SVG}g"):
        if "cluster" in (g.get("class") or "").split() or (g.get("id") or "").startswith("lane-"):
            poly = g.find(f"{SVG}polygon")
            if poly is None:
                poly = g.find(f"{SVG}path")
            if poly is None:
                continue
            pts = _pairs(poly.get("points") or poly.get("d") or "")
            ys = [y + d.ty for _x, y in pts]
            out[g.get("id") or ""] = (min(ys), max(ys))
    return out


def test_every_flow_node_is_drawn_under_its_bpmn_id(plain: Drawing) -> None:
    for ident in ("s", "g1", "t1", "t2", "t3", "g2", "par", "e"):
        assert ident in plain.boxes, ident
    assert "bpmn-userTask" in plain.boxes["t1"].classes
    assert "Menyusun konsep surat &amp; lampiran" not in " ".join(plain.texts())
    assert any("Menyusun konsep" in t for t in plain.texts())
    for flow in ("f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"):
        assert flow in plain.lines, flow


def test_lanes_are_bands_in_declaration_order(plain: Drawing) -> None:
    bands = _clusters(render_process(FOREIGN))
    top, mid, low = bands["lane-L_top"], bands["lane-L_mid"], bands["lane-L_low"]
    assert top[1] <= mid[0] + 0.5 and mid[1] <= low[0] + 0.5
    for node, band in (("t3", top), ("t2", mid), ("t1", low), ("e", low)):
        box = plain.boxes[node]
        assert band[0] < box.cy < band[1], node


def test_gateway_symbols_and_flow_labels(plain: Drawing) -> None:
    assert plain.boxes["g2"].texts == ("×", "Setuju?")  # symbol, then the name outside
    assert plain.boxes["par"].texts == ("+",)
    texts = plain.texts()
    assert "Setuju" in texts and "Tidak setuju" in texts
    assert "Setuju?" in texts  # the gateway's name as an outside label


def test_flow_runs_left_to_right_despite_the_loop(plain: Drawing) -> None:
    xs = [plain.boxes[i].cx for i in ("s", "g1", "t1", "t2", "t3", "g2", "par", "e")]
    assert xs == sorted(xs)


def test_status_colours_counts_and_highlight(live: Drawing) -> None:
    assert "state-completed" in live.boxes["t1"].classes
    assert "state-active" in live.boxes["t3"].classes
    assert "state-not-reached" in live.boxes["e"].classes
    assert "×2" in live.boxes["t1"].texts
    assert "highlight" in live.boxes["t3"].classes
    assert "highlight" not in live.boxes["t2"].classes
    from tests.converters.drawing.test_document_svg_inspect import SVG

    fills = {}
    for g in live.root.iter(f"{SVG}g"):
        if g.get("id") in ("t1", "t3", "e"):
            shape = g.find(f"{SVG}path")
            if shape is None:
                shape = g.find(f"{SVG}polygon")
            if shape is None:
                shape = g.find(f"{SVG}ellipse")
            fills[g.get("id")] = (shape.get("fill"), shape.get("stroke"))
    assert len({fills["t1"][0], fills["t3"][0], fills["e"][0]}) == 3
    assert fills["t3"][1] == "#1565c0"


def test_output_is_deterministic_and_has_no_script() -> None:
    a = render_process(FOREIGN, fmt="svg")
    assert a == render_process(FOREIGN, fmt="svg")
    assert b"<script" not in a.lower() and b"onload" not in a.lower()


def test_png_and_pdf() -> None:
    assert render_process(FOREIGN, fmt="png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert render_process(FOREIGN, fmt="pdf")[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "kosong"),
        (b"not xml at all", "bukan XML"),
        (b"<html><body/></html>", "bukan BPMN"),
        (b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>', "tidak memuat"),
    ],
)
def test_bad_input_is_one_clear_line(data: bytes, message: str) -> None:
    with pytest.raises(ConversionError, match=message) as info:
        render_process(data)
    assert "\n" not in str(info.value)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ConversionError, match="format diagram"):
        render_process(FOREIGN, fmt="gif")


@pytest.mark.parametrize("draw", [process_dot, render_process])
def test_a_doctype_or_entity_is_refused_with_one_clear_line(draw) -> None:
    """The process view parses through the same safe parser as the validator and reader."""
    evil = FOREIGN.replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0"?><!DOCTYPE definitions [<!ENTITY x SYSTEM "file:///etc/passwd">'
        b'<!ENTITY y "BOOM">]>',
    ).replace(b'name="Memeriksa konsep"', b'name="&x;&y;"')
    with pytest.raises(ConversionError, match="DOCTYPE") as info:
        draw(evil)
    message = str(info.value)
    assert "\n" not in message and "ditolak" in message and "refused" in message
    assert "root:" not in message and "BOOM" not in message


def test_a_doctype_without_entities_is_refused_too() -> None:
    plain = FOREIGN.replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0"?><!DOCTYPE definitions>',
    )
    with pytest.raises(ConversionError, match="DOCTYPE"):
        process_dot(plain)


def test_alur_bpmn_of_the_largest_sample_is_readable() -> None:
    writer = pytest.importorskip("converters.bpmn.writer")
    path = Path(__file__).resolve().parent.parent.parent / "fixtures" / "sops" / "f-25-steps.yaml"
    sop = Sop.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
    d = Drawing(render_process(writer.write_bpmn(sop)))
    tasks = [b for b in d.boxes.values() if "bpmn-userTask" in b.classes]
    assert len(tasks) == len(sop.steps)
    for t in tasks:  # nothing squeezed: every task box is at least as big as the default
        assert t.x1 - t.x0 >= 90 and t.y1 - t.y0 >= 40
    lanes = _clusters(render_process(writer.write_bpmn(sop)))
    ordered = sorted((v[0], k) for k, v in lanes.items() if k.startswith("lane-"))
    assert len(ordered) == len(sop.roles)
