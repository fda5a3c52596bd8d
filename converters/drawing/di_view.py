"""The process view drawn from the BPMN's own diagram (BPMNDI), as Camunda Modeler shows it.

A BPMN written by Alur (or edited in Camunda Modeler) already carries a clean swimlane layout:
lanes as full-width bands, nodes in columns, edges with right-angle bends. Laying the graph out
anew with ``dot`` throws that away (ragged lanes, crossing curves, tiny text once scaled to the
page), so when every flow node has a DI shape, this module has Graphviz draw *that* layout with
``neato -n2``: each node keeps its ``pos="x,y!"`` and each edge its waypoints as a ``pos``
spline, the way :mod:`converters.drawing.page` draws the SOP document.

Changes from the DI, and why: the 30-unit lane header, where bpmn-js writes the lane name
turned on its side, is widened to :data:`NAME_W` so the name can be written across
(Graphviz does not rotate text), and every band is stretched to the widest one so lanes are
equal-width bands. The pool name becomes a title above the pool for the same reason.

DI units are taken as points (1 unit = 1 pt = 1.33 CSS px in the SVG), so at its natural
size the task text (:data:`FONT_SIZE`) is about 13 px on the page.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from converters.bpmn.names import BPMNDI, DC, DI
from converters.drawing import bpmn_look
from converters.drawing.bpmn_look import StepStatus, look_of, node_state
from converters.drawing.page import Placed, Point
from converters.drawing.page import _spline as page_spline
from converters.drawing.text_metrics import FONT, fit_lines, line_height, text_width, wrap

FONT_SIZE = 10.0
"""Task text, in points of the drawing."""
LABEL_SIZE = 9.0
"""External labels (events, gateways, flows)."""
NAME_W = 110.0
"""Width of a lane's name column (the DI header is 30 units, for text on its side)."""
DI_HEADER = 30.0
TITLE_H = 22.0
MARGIN = 8.0

_BDI, _DC, _DI = f"{{{BPMNDI}}}", f"{{{DC}}}", f"{{{DI}}}"
_BoxFn = Callable[[str, float, float, float, float, dict[str, str]], None]
"""di_dot's ``box``: a node by its id, top-left corner and size in page space, and attributes."""


@dataclass(frozen=True)
class Rect(Placed):
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class DiShape:
    """A BPMNShape: the element it draws, where, and where its external label goes."""

    element: str
    bounds: Rect
    label: Rect | None


@dataclass(frozen=True)
class DiEdge:
    """A BPMNEdge: its waypoints and its label's place."""

    element: str
    points: tuple[Point, ...]
    label: Rect | None


@dataclass(frozen=True)
class Diagram:
    """The first BPMN diagram plane of a file, in declaration order."""

    shapes: tuple[DiShape, ...]
    edges: tuple[DiEdge, ...]


def _rect(el: etree._Element | None) -> Rect | None:
    if el is None:
        return None
    try:
        return Rect(*(float(el.get(k, "")) for k in ("x", "y", "width", "height")))
    except ValueError:
        return None


def read_diagram(root: etree._Element) -> Diagram | None:
    """The DI of the first plane, or None when some flow node of a process has no shape
    there (a BPMN from a tool that wrote no DI, or only part of one: ``dot`` lays it out)."""
    plane = root.find(f"{_BDI}BPMNDiagram/{_BDI}BPMNPlane")
    if plane is None:
        return None
    shapes: list[DiShape] = []
    edges: list[DiEdge] = []
    for el in plane:
        ref = el.get("bpmnElement", "")
        label = _rect(el.find(f"{_BDI}BPMNLabel/{_DC}Bounds"))
        if el.tag == f"{_BDI}BPMNShape":
            bounds = _rect(el.find(f"{_DC}Bounds"))
            if bounds is not None:
                shapes.append(DiShape(ref, bounds, label))
        elif el.tag == f"{_BDI}BPMNEdge":
            pts: list[Point] = []
            for wp in el.findall(f"{_DI}waypoint"):
                try:
                    pts.append((float(wp.get("x", "")), float(wp.get("y", ""))))
                except ValueError:
                    continue
            if len(pts) >= 2:
                edges.append(DiEdge(ref, tuple(pts), label))
    drawn = {s.element for s in shapes}
    nodes = [
        el.get("id", "")
        for proc in root.findall(f"{bpmn_look.B}process")
        for el in proc
        if bpmn_look.local(el.tag) in bpmn_look.FLOW_NODES
    ]
    if not nodes or any(n not in drawn for n in nodes):
        return None
    return Diagram(tuple(shapes), tuple(edges))


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _f(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _label(lines: list[str], size: float) -> str:
    if not lines:
        return '""'
    body = "<BR/>".join(html.escape(line, quote=True) for line in lines)
    return f'<<FONT POINT-SIZE="{_f(size)}">{body}</FONT>>'


class _Space:
    """DI coordinates → drawing coordinates: lane headers widened, bands stretched, y flipped.

    Graphviz's y grows upwards; DI's (like the page's) downwards.
    """

    def __init__(self, diagram: Diagram, headers: list[float], pools: list[Rect]) -> None:
        self.headers = sorted({round(h, 1) for h in headers})  # nested lanes: one per level
        grow = NAME_W - DI_HEADER
        self.grow = grow
        xs: list[float] = []
        ys: list[float] = []
        for s in diagram.shapes:
            for r in (s.bounds, s.label):
                if r is not None:
                    xs += [self._x(r.x), self._x(r.x + r.w)]
                    ys += [r.y, r.y + r.h]
        for e in diagram.edges:
            xs += [self._x(x) for x, _y in e.points]
            ys += [y for _x, y in e.points]
        ys += [p.y - TITLE_H for p in pools]
        self.left = min(xs) - MARGIN
        self.top = min(ys) - MARGIN
        self.width = max(xs) + MARGIN - self.left
        self.height = max(ys) + MARGIN - self.top

    def _x(self, x: float) -> float:
        return x + self.grow * sum(1 for h in self.headers if x >= h + DI_HEADER - 0.5)

    def x(self, x: float) -> float:
        return self._x(x) - self.left

    def y(self, y: float) -> float:
        """Page space (y down, origin at the drawing's top-left)."""
        return y - self.top

    def pos(self, x: float, y: float) -> str:
        return f"{_f(self.x(x))},{_f(self.height - self.y(y))}"


def di_dot(root: etree._Element, status: dict[str, StepStatus] | None = None,
           highlight: str | None = None) -> str | None:
    """DOT source (for ``neato -n2``) drawing the BPMN's DI, or None without a full DI."""
    diagram = read_diagram(root)
    if diagram is None:
        return None
    elements = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}

    def kind(ident: str) -> str:
        el = elements.get(ident)
        return bpmn_look.local(el.tag) if el is not None else ""

    lanes = [s for s in diagram.shapes if kind(s.element) == "lane"]
    pools = [s for s in diagram.shapes if kind(s.element) == "participant"]
    laned_pools = {
        s.element for s in pools
        if any(_inside(lane.bounds, s.bounds) for lane in lanes)
    }
    named_bands = lanes + [p for p in pools if p.element not in laned_pools]
    space = _Space(diagram, [b.bounds.x for b in named_bands], [p.bounds for p in pools])
    right = max((space.x(b.bounds.x + b.bounds.w) for b in lanes + pools), default=0.0)

    out = [
        "digraph proses {",
        "  graph [pad=0.1, bgcolor=white, outputorder=nodesfirst, splines=true];",
        f"  node [fontname={_q(FONT)}, fontsize={_f(FONT_SIZE)}, fixedsize=true, label=\"\"];",
        f'  edge [fontname={_q(FONT)}, fontsize={_f(LABEL_SIZE)}, color="#333333", '
        "arrowsize=0.7, penwidth=1.1];",
        '  corner0 [shape=point, width=0, height=0, style=invis, pos="0,0!"];',
        f'  corner1 [shape=point, width=0, height=0, style=invis, '
        f'pos="{_f(space.width)},{_f(space.height)}!"];',
    ]
    names: dict[str, str] = {}

    def box(ident: str, left: float, top: float, w: float, h: float, attrs: dict[str, str]) -> None:
        """A node whose top-left corner is (left, top) in drawing page space."""
        name = f"n{len(names) + 1}"
        names[ident] = name
        cx, cy = left + w / 2, space.height - (top + h / 2)
        base = {"id": _q(ident), "pos": _q(f"{_f(cx)},{_f(cy)}!"),
                "width": _f(w / 72), "height": _f(h / 72)}
        body = ", ".join(f"{k}={v}" for k, v in {**base, **attrs}.items())
        out.append(f"  {name} [{body}];")

    for pool in pools:
        b = pool.bounds
        left = space.x(b.x)
        box(f"pool-{pool.element}", left, space.y(b.y), right - left, b.h,
            {"shape": "box", "class": '"pool"', "color": '"#666666"', "penwidth": "1.2"})
        title = _attr(elements.get(pool.element), "name")
        if title:
            box(f"title-{pool.element}", left, space.y(b.y) - TITLE_H,
                text_width(title, FONT_SIZE + 1) + 8, TITLE_H,
                {"shape": "plaintext", "class": '"pool-title"',
                          "label": _label([title], FONT_SIZE + 1), "fontcolor": '"#222222"'})
    for band in named_bands:
        b = band.bounds
        left, top = space.x(b.x), space.y(b.y)
        if band in lanes:
            box(f"lane-{band.element}", left, top, right - left, b.h,
                {"shape": "box", "class": '"lane"', "style": "filled",
                 "fillcolor": '"#fbfbfb"', "color": '"#9a9a9a"', "penwidth": "0.8"})
        name = _attr(elements.get(band.element), "name")
        lines = fit_lines(wrap(name, NAME_W - 12, FONT_SIZE), int((b.h - 8) // line_height(
            FONT_SIZE)))
        box(f"lanename-{band.element}", left, top, NAME_W, b.h,
            {"shape": "box", "class": '"lane-name"', "style": "filled",
             "fillcolor": '"#eef1f5"', "color": '"#9a9a9a"', "penwidth": "0.8",
             "label": _label(lines, FONT_SIZE), "fontcolor": '"#222222"'})

    flow_shapes = [s for s in diagram.shapes if kind(s.element) in bpmn_look.FLOW_NODES]
    flow_shapes.sort(key=lambda s: kind(s.element) not in bpmn_look.CONTAINERS)
    for shape in flow_shapes:
        _flow_node(shape, kind(shape.element), _attr(elements.get(shape.element), "name"),
                   status, highlight, space, box)

    for edge in diagram.edges:
        el = elements.get(edge.element)
        if el is None or bpmn_look.local(el.tag) not in ("sequenceFlow", "messageFlow"):
            continue
        tail = names.get(el.get("sourceRef", ""), "corner0")
        head = names.get(el.get("targetRef", ""), "corner0")
        pts = [(space.x(x), space.y(y)) for x, y in edge.points]
        attrs = [f"id={_q(edge.element)}", f"pos={_q(page_spline(pts, 0, space.height))}"]
        if bpmn_look.local(el.tag) == "messageFlow":
            attrs += ['class="bpmn-message"', "style=dashed", "arrowhead=empty"]
        else:
            attrs.append('class="bpmn-flow"')
        flow_name = _attr(el, "name")
        if flow_name:
            at = edge.label or _beside_first_segment(edge.points)
            lines = wrap(flow_name, max(at.w, 60), LABEL_SIZE)
            attrs += [f"label={_label(lines, LABEL_SIZE)}", f"lp={_q(space.pos(at.cx, at.cy))}"]
        out.append(f"  {tail} -> {head} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _flow_node(shape: DiShape, kind: str, name: str, status: dict[str, StepStatus] | None,
               highlight: str | None, space: _Space, box: _BoxFn) -> None:
    b = shape.bounds
    state, count = node_state(shape.element, status)
    look = look_of(state)
    classes = ["bpmn", f"bpmn-{kind}"]
    if state:
        classes.append(f"state-{state.replace('_', '-')}")
    attrs = {"style": '"filled"', "fillcolor": _q(look.fill), "color": _q(look.border),
             "fontcolor": _q(look.text), "penwidth": _f(look.pen)}
    extra = [f"×{count}"] if count > 1 else []
    if kind in bpmn_look.GATEWAYS or kind in bpmn_look.EVENTS:
        if kind in bpmn_look.GATEWAYS:
            attrs.update(shape="diamond", label=_label([bpmn_look.GATEWAYS[kind]], 16))
        else:
            attrs["shape"] = "circle" if kind in ("startEvent", "endEvent") else "doublecircle"
            if kind == "endEvent":
                attrs["penwidth"] = _f(max(3.0, look.pen))
        lines = [*wrap(name, max(shape.label.w if shape.label else 0, 90), LABEL_SIZE), *extra]
        if lines:
            at = shape.label or Rect(b.x - 25, b.y + b.h + 4, b.w + 50, 14)
            attrs["xlabel"] = _label(lines, LABEL_SIZE)
            attrs["xlp"] = _q(space.pos(at.cx, at.y + len(lines) * line_height(LABEL_SIZE) / 2))
    else:
        size = FONT_SIZE
        room = int((b.h - 8) // line_height(size)) - len(extra)
        lines = fit_lines(wrap(name or kind, b.w - 10, size), max(room, 1)) + extra
        attrs.update(shape="box", label=_label(lines, size), style='"rounded,filled"')
        if kind in bpmn_look.CONTAINERS:
            attrs["penwidth"] = "2"
            attrs["labelloc"] = "t"
    if highlight and shape.element == highlight:
        attrs["color"] = _q(bpmn_look.HIGHLIGHT)
        attrs["penwidth"] = "3.5"
        classes.append("highlight")
    attrs["class"] = _q(" ".join(classes))
    box(shape.element, space.x(b.x), space.y(b.y), space.x(b.x + b.w) - space.x(b.x), b.h, attrs)


def _beside_first_segment(points: tuple[Point, ...]) -> Rect:
    (x0, y0), (x1, y1) = points[0], points[1]
    return Rect((x0 + x1) / 2 + 4, (y0 + y1) / 2 - 16, 80, 14)


def _inside(inner: Rect, outer: Rect) -> bool:
    return (outer.x - 0.5 <= inner.x and inner.x + inner.w <= outer.x + outer.w + 0.5
            and outer.y - 0.5 <= inner.y and inner.y + inner.h <= outer.y + outer.h + 0.5)


def _attr(el: etree._Element | None, name: str) -> str:
    return ((el.get(name) if el is not None else None) or "").strip()


__all__ = ["DiEdge", "DiShape", "Diagram", "Rect", "di_dot", "read_diagram"]
