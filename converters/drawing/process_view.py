"""The process view: a Graphviz drawing of any BPMN 2.0 process, with live status colours.

The web UI shows every process and instance with this view, and a BPMN may come from Alur's
writer or from any modeller (Camunda Modeler, bpmn.io, Signavio), so only the BPMN semantics
are read here (participants, lanes, flow nodes, sequence and message flows), never Alur's own
conventions. A BPMN that carries its own diagram (BPMNDI, the swimlane layout Camunda Modeler
shows) is drawn as laid out there (:mod:`converters.drawing.di_view`); without one, Graphviz
``dot`` lays it out left to right with each lane a horizontal band (a cluster), in the order
the lanes are declared.

The XML goes through :func:`converters.bpmn.xml.parse_safely` (no DOCTYPE, entities, DTDs or
network access), the parser the validator and the reader use: uploads are untrusted.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from dataclasses import dataclass

from lxml import etree

from converters.drawing import bpmn_look, di_view
from converters.drawing.bpmn_look import StepStatus, look_of, node_state
from converters.drawing.graphviz import run_graphviz
from converters.drawing.text_metrics import wrap
from converters.model import ConversionError

FORMATS = ("svg", "png", "pdf")


@dataclass(frozen=True)
class _Node:
    id: str
    kind: str
    name: str


@dataclass(frozen=True)
class _Flow:
    id: str
    source: str
    target: str
    name: str
    message: bool = False


@dataclass(frozen=True)
class _Lane:
    id: str
    name: str
    nodes: tuple[str, ...]


@dataclass(frozen=True)
class _Pool:
    id: str
    name: str
    lanes: tuple[_Lane, ...]
    nodes: tuple[_Node, ...]
    flows: tuple[_Flow, ...]


def _leaf_lanes(lane_set: etree._Element | None) -> list[_Lane]:
    """Lanes in declaration order; a lane with child lanes is replaced by its children."""
    if lane_set is None:
        return []
    lanes: list[_Lane] = []
    for lane in lane_set.findall(f"{bpmn_look.B}lane"):
        child = lane.find(f"{bpmn_look.B}childLaneSet")
        if child is not None and child.findall(f"{bpmn_look.B}lane"):
            for sub in _leaf_lanes(child):
                prefix = lane.get("name", "").strip()
                name = f"{prefix} / {sub.name}" if prefix else sub.name
                lanes.append(_Lane(sub.id, name, sub.nodes))
            continue
        refs = tuple((r.text or "").strip() for r in lane.findall(f"{bpmn_look.B}flowNodeRef"))
        lanes.append(_Lane(lane.get("id", ""), lane.get("name", "").strip(), refs))
    return lanes


def _pools(root: etree._Element) -> tuple[list[_Pool], list[_Flow]]:
    processes = {p.get("id", ""): p for p in root.findall(f"{bpmn_look.B}process")}
    names: dict[str, str] = {}
    ordered: list[str] = []
    for part in root.iter(f"{bpmn_look.B}participant"):
        ref = part.get("processRef", "")
        if ref in processes and ref not in ordered:
            ordered.append(ref)
            names[ref] = part.get("name", "").strip()
    ordered += [pid for pid in processes if pid not in ordered]
    pools: list[_Pool] = []
    for pid in ordered:
        proc = processes[pid]
        nodes: list[_Node] = []
        flows: list[_Flow] = []
        for el in proc:
            kind = bpmn_look.local(el.tag)
            if kind in bpmn_look.FLOW_NODES:
                nodes.append(_Node(el.get("id", ""), kind, (el.get("name") or "").strip()))
            elif kind == "sequenceFlow":
                flows.append(_Flow(
                    el.get("id", ""), el.get("sourceRef", ""), el.get("targetRef", ""),
                    (el.get("name") or "").strip(),
                ))
        pools.append(_Pool(
            pid, names.get(pid) or (proc.get("name") or "").strip(),
            tuple(_leaf_lanes(proc.find(f"{bpmn_look.B}laneSet"))), tuple(nodes), tuple(flows),
        ))
    messages = [
        _Flow(m.get("id", ""), m.get("sourceRef", ""), m.get("targetRef", ""),
              (m.get("name") or "").strip(), message=True)
        for m in root.iter(f"{bpmn_look.B}messageFlow")
    ]
    return pools, messages


# -- DOT ---------------------------------------------------------------------------------------


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _html_lines(lines: list[str], size: float | None = None) -> str:
    body = "<BR/>".join(html.escape(line, quote=True) for line in lines)
    if size is not None:
        body = f'<FONT POINT-SIZE="{size:g}">{body}</FONT>'
    return "<" + body + ">"


def _back_edges(pools: list[_Pool]) -> set[str]:
    """Sequence flows that close a loop (found by depth-first search from the start events).

    Graphviz ranks every edge left to right; a reject loop ranked that way drags the whole
    flow backwards. Loop edges are drawn without constraining the ranks instead.
    """
    out: dict[str, list[_Flow]] = {}
    order: list[str] = []
    for pool in pools:
        starts = [n.id for n in pool.nodes if n.kind == "startEvent"]
        order += starts + [n.id for n in pool.nodes if n.id not in starts]
        for flow in pool.flows:
            out.setdefault(flow.source, []).append(flow)
    back: set[str] = set()
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in order:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out.get(root, ())))]
        while stack:
            node, edges = stack[-1]
            edge = next(edges, None)
            if edge is None:
                state[node] = 2
                stack.pop()
                continue
            seen = state.get(edge.target)
            if seen == 1:
                back.add(edge.id)
            elif seen is None:
                state[edge.target] = 1
                stack.append((edge.target, iter(out.get(edge.target, ()))))
    return back


def _node_attrs(node: _Node, status: dict[str, StepStatus] | None,
                highlight: str | None) -> dict[str, str]:
    lines = wrap(node.name, 110, 9) if node.name else []
    state, count = node_state(node.id, status)
    classes = ["bpmn", f"bpmn-{node.kind}"]
    if state:
        classes.append(f"state-{state.replace('_', '-')}")
    if count > 1:
        lines = [*lines, f"×{count}"]
    attrs: dict[str, str] = {"id": _q(node.id)}
    if node.kind in bpmn_look.GATEWAYS:
        attrs.update(shape="diamond", width="0.55", height="0.55", fixedsize="true",
                     label=_q(bpmn_look.GATEWAYS[node.kind]), fontsize="16")
        if lines:
            attrs["xlabel"] = _html_lines(lines, 8)
    elif node.kind in bpmn_look.EVENTS:
        attrs.update(shape="circle", width="0.4", height="0.4", fixedsize="true", label='""')
        if node.kind == "endEvent":
            attrs["penwidth"] = "3"
        elif node.kind != "startEvent":
            attrs["shape"] = "doublecircle"
            attrs["width"] = attrs["height"] = "0.32"
        if lines:
            attrs["xlabel"] = _html_lines(lines, 8)
    else:
        attrs.update(shape="box", style='"rounded,filled"', margin='"0.12,0.06"',
                     label=_html_lines(lines or [node.kind]), width="1.3", height="0.6")
        if node.kind in bpmn_look.CONTAINERS:
            attrs["penwidth"] = "2"
    look = look_of(state)
    fill, border, text, pen = look.fill, look.border, look.text, look.pen
    style = attrs.get("style", '"filled"').strip('"')
    if "filled" not in style:
        style += ",filled"
    attrs["style"] = _q(style)
    attrs["fillcolor"] = _q(fill)
    attrs["color"] = _q(border)
    attrs["fontcolor"] = _q(text)
    attrs.setdefault("penwidth", f"{pen:g}")
    if node.kind == "endEvent":
        attrs["penwidth"] = f"{max(3.0, pen):g}"
    if highlight and node.id == highlight:
        attrs["color"] = _q(bpmn_look.HIGHLIGHT)
        attrs["penwidth"] = "3.5"
        classes.append("highlight")
    attrs["class"] = _q(" ".join(classes))
    return attrs


def process_dot(bpmn: bytes, status: dict[str, StepStatus] | None = None,
                highlight: str | None = None, variant: int = 0) -> str:
    """DOT source of the process view (exposed for tests and for debugging layouts).

    ``variant`` (0-3) changes only hints for the lane order: 0 pins the lanes with an
    invisible ordered root, 1 leaves them to Graphviz, 2 and 3 do the same with the lanes
    declared bottom-up. :func:`render_process` takes the first variant whose lane bands come
    out in the BPMN's order, as Graphviz's crossing minimisation does not promise any.
    """
    flip = variant in (2, 3)
    use_root = variant in (0, 2)
    root = bpmn_look.parse_bpmn(bpmn)
    pools, messages = _pools(root)
    if not any(p.nodes for p in pools):
        raise ConversionError("berkas BPMN tidak memuat proses dengan elemen alur")
    out = [
        "digraph proses {",
        '  graph [rankdir=LR, newrank=true, nodesep=0.35, ranksep=0.45, fontname="Liberation '
        'Sans", fontsize=11, bgcolor=white, pad=0.2, compound=true];',
        '  node [fontname="Liberation Sans", fontsize=9];',
        '  edge [fontname="Liberation Sans", fontsize=8, color="#333333", arrowsize=0.7];',
    ]
    names: dict[str, str] = {}
    counter = 0

    def name_of(el_id: str) -> str:
        nonlocal counter
        if el_id not in names:
            counter += 1
            names[el_id] = f"n{counter}"
        return names[el_id]

    anchors: list[str] = []  # one invisible node per lane, chained to keep the lane order
    for pi, pool in enumerate(pools):
        by_id = {n.id: n for n in pool.nodes}
        placed: set[str] = set()
        out.append(f"  subgraph cluster_pool{pi} {{")
        out.append(f'    id={_q("pool-" + pool.id)}; class="pool"; label={_q(pool.name)}; '
                   'labeljust=l; style=solid; color="#666666"; penwidth=1.2;')
        lane_items = list(enumerate(pool.lanes))
        for li, lane in reversed(lane_items) if flip else lane_items:
            members = [by_id[r] for r in lane.nodes if r in by_id and r not in placed]
            if not members:
                continue
            out.append(f"    subgraph cluster_p{pi}_lane{li} {{")
            out.append(
                f'      id={_q("lane-" + lane.id)}; class="lane"; label={_q(lane.name)}; '
                'labeljust=l; style="filled"; fillcolor="#f7f7f7"; color="#9a9a9a"; '
                "penwidth=0.8;"
            )
            anchor = f"lane_anchor_{pi}_{li}"
            anchors.append(anchor)
            out.append(f'      {anchor} [shape=point, width=0, height=0, style=invis, label=""];')
            for node in members:
                placed.add(node.id)
                attrs = _node_attrs(node, status, highlight)
                body = ", ".join(f"{k}={v}" for k, v in attrs.items())
                out.append(f"      {name_of(node.id)} [{body}];")
            out.append("    }")
        for node in pool.nodes:
            if node.id not in placed:
                attrs = _node_attrs(node, status, highlight)
                body = ", ".join(f"{k}={v}" for k, v in attrs.items())
                out.append(f"    {name_of(node.id)} [{body}];")
        out.append("  }")
    if len(anchors) > 1 and use_root:
        # Lanes in declaration order: an invisible root whose out-edges must keep their input
        # order (ordering=out) pins the lane bands top to bottom; flat edges do not survive
        # the cluster crossing minimisation.
        out.append('  lane_root [shape=point, width=0, height=0, style=invis, label="", '
                   "ordering=out];")
        chain = list(reversed(anchors)) if flip else anchors
        out.extend(f"  lane_root -> {a} [style=invis];" for a in chain)
    back = _back_edges(pools)
    for pool in pools:
        known = {n.id for n in pool.nodes}
        for flow in pool.flows:
            if flow.source not in known or flow.target not in known:
                continue
            edge_attrs = [f"id={_q(flow.id)}", 'class="bpmn-flow"']
            if flow.id in back:
                edge_attrs.append("constraint=false")
            if flow.name:
                edge_attrs.append(f"label={_html_lines(wrap(flow.name, 80, 8))}")
            out.append(
                f"  {name_of(flow.source)} -> {name_of(flow.target)} [{', '.join(edge_attrs)}];"
            )
    for flow in messages:
        if flow.source in names and flow.target in names:
            edge_attrs = [f"id={_q(flow.id)}", 'class="bpmn-message"', "style=dashed",
                          "arrowhead=empty", "constraint=false"]
            if flow.name:
                edge_attrs.append(f"label={_q(flow.name)}")
            out.append(
                f"  {names[flow.source]} -> {names[flow.target]} [{', '.join(edge_attrs)}];"
            )
    out.append("}")
    return "\n".join(out) + "\n"


def render_process(bpmn: bytes, status: dict[str, StepStatus] | None = None, fmt: str = "svg",
                   highlight: str | None = None) -> bytes:
    """Draw the BPMN process(es) in ``bpmn`` as svg|png|pdf.

    ``status`` maps BPMN element ids to how an instance reached them: completed elements are
    green, active ones amber, the rest grey; a count above one shows as "×N". ``highlight`` is
    one element id drawn with a thick blue border (the task page's current step). Output is
    deterministic for the same input, and the SVG holds no scripts: every node's ``id`` is its
    BPMN element id.
    """
    if fmt not in FORMATS:
        raise ConversionError(
            f"format diagram tidak dikenal: {fmt!r} (pilih salah satu: {', '.join(FORMATS)})"
        )
    drawn = di_view.di_dot(bpmn_look.parse_bpmn(bpmn), status, highlight)
    if drawn is not None:  # the BPMN's own diagram, as the analyst sees it in the modeller
        return run_graphviz(drawn, fmt, extra=["-n2"])
    source = process_dot(bpmn, status, highlight)
    if "cluster_p0_lane1" in source:  # two lanes or more: check their order
        for variant in range(4):
            candidate = source if variant == 0 else process_dot(bpmn, status, highlight, variant)
            if _lanes_in_order(run_graphviz(candidate, "json", engine="dot")):
                source = candidate
                break
    return run_graphviz(source, fmt, engine="dot")


def _lanes_in_order(layout_json: bytes) -> bool:
    """Are the lane clusters of each pool stacked top to bottom in declaration order?"""
    objects = json.loads(layout_json).get("objects", [])
    pools: dict[str, list[tuple[int, float]]] = {}
    for obj in objects:
        m = _LANE_CLUSTER.match(obj.get("name", ""))
        if m and "bb" in obj:
            top = float(obj["bb"].split(",")[3])  # y grows upwards in Graphviz space
            pools.setdefault(m.group(1), []).append((int(m.group(2)), top))
    for lanes in pools.values():
        tops = [t for _i, t in sorted(lanes)]
        if any(a < b for a, b in itertools.pairwise(tops)):
            return False
    return True


_LANE_CLUSTER = re.compile(r"^cluster_p(\d+)_lane(\d+)$")


__all__ = ["FORMATS", "StepStatus", "process_dot", "render_process"]
