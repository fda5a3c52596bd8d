"""SOP model → BPMN 2.0 XML that Camunda Modeler opens, SpiffWorkflow runs and Alur reads back.

The process graph is derived from the SOP's numbered steps: a step without a decision hands
over to the next step (the last one to the end event); a decision step is a user task
followed by an exclusive gateway whose first label's flow is conditional
(``keputusan == "setuju"``) and whose second is the default flow. A decision with more
branches (``Decision.more``) gets one more conditional flow per branch, each testing its own
enum value (``keputusan == "keuangan"``), so exactly one flow holds for each value. Any
node reached by more than one flow is preceded by a merging exclusive gateway, so no task or
event joins implicitly (bpmnlint ``fake-join``) and no gateway both joins and forks.

Everything the SOP says that BPMN has no element for goes into Camunda 7 extensions the
Modeler's properties panel shows (``camunda:properties``), under the keys of
:mod:`converters.bpmn.names`, which :mod:`converters.bpmn.reader` reads back exactly.
Ids derive from step numbers (``Task_Langkah_5``, ``Gateway_Langkah_5``, ``Flow_5_setuju``)
so re-converting an edited SOP gives a readable diff.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from converters.bpmn import names as ns
from converters.bpmn.layout import EdgeSpec, Layout, NodeSpec, layout
from converters.bpmn.names import (
    BPMN,
    BPMNDI,
    CAMUNDA,
    DC,
    DI,
    MODELER,
    XSI,
    gateway_name,
    q,
    short_name,
    xml_safe,
)
from converters.model import END, ConversionError, Decision, Sop, SopDate, Step, StepRef

START_ID = "StartEvent_Mulai"
END_ID = "EndEvent_Selesai"
START_NAME = "Mulai"
END_NAME = "Selesai"


def decision_values(decision: Decision) -> tuple[str, ...]:
    """Enum value ids of the branches, in branch order ("setuju", "tidak_setuju"), all distinct.

    A label whose slug is already taken gets its 1-based position appended ("ya_2"), so two
    branches never share the value the gateway tests.
    """
    values: list[str] = []
    for i, branch in enumerate(decision.branches):
        base = ns.value_slug(branch.label, i)
        value, k = base, i + 1
        while value in values:
            value, k = f"{base}_{k}", k + 1
        values.append(value)
    return tuple(values)


def condition(value: str) -> str:
    """The Python condition SpiffWorkflow evaluates on a decision flow."""
    return f'{ns.DECISION_FIELD} == "{value}"'


def process_id(sop: Sop) -> str:
    """The process id (the engine's definition key): from the SOP name and number."""
    ident = sop.identity
    base = ns.ncname(ident.name or "SOP", "Proses", 40)
    if ident.number.strip():
        base += "_" + ns.cut_slug(ident.number, 30)
    return base


def task_id(number: int) -> str:
    return f"Task_Langkah_{number}"


def gateway_id(number: int) -> str:
    return f"Gateway_Langkah_{number}"


def merge_id(target: StepRef) -> str:
    return "Gateway_Gabung_Selesai" if target == END else f"Gateway_Gabung_{target}"


@dataclass(frozen=True)
class _Flow:
    id: str
    source: str
    target: str
    name: str = ""
    condition: str = ""


def write_bpmn(sop: Sop, *, process: str | None = None) -> bytes:
    """The BPMN 2.0 XML of ``sop`` (UTF-8 bytes, pretty-printed, with full BPMNDI).

    ``process`` overrides the process id (default: :func:`process_id`).
    """
    if not sop.steps:
        raise ConversionError("SOP tidak memuat langkah; tidak ada yang dapat ditulis ke BPMN.")
    numbers = [s.number for s in sop.steps]
    if len(set(numbers)) != len(numbers):
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        raise ConversionError(f"Nomor langkah ganda: {', '.join(map(str, twice))}.")
    roles = list(sop.roles)
    for s in sop.steps:  # a step whose role is not a column still needs a lane
        if s.role not in roles:
            roles.append(s.role)
    lane_of_role = {r: i for i, r in enumerate(roles)}
    graph = _Graph(sop, lane_of_role)
    title = _participant_name(sop)
    geo = layout(
        roles,
        graph.layout_nodes(),
        [EdgeSpec(f.id, f.source, f.target, f.name) for f in graph.flows],
        title,
    )

    root = etree.Element(q(BPMN, "definitions"), nsmap=ns.NSMAP)
    pid = process or process_id(sop)
    root.set("id", "Definitions_" + pid)
    root.set("targetNamespace", "http://bpmn.io/schema/bpmn")
    root.set("exporter", ns.EXPORTER)
    root.set("exporterVersion", ns.EXPORTER_VERSION)
    root.set(q(MODELER, "executionPlatform"), ns.EXECUTION_PLATFORM)
    root.set(q(MODELER, "executionPlatformVersion"), ns.EXECUTION_PLATFORM_VERSION)

    collab = etree.SubElement(root, q(BPMN, "collaboration"), id="Collaboration_SOP")
    etree.SubElement(
        collab,
        q(BPMN, "participant"),
        id="Participant_SOP",
        name=xml_safe(title),
        processRef=pid,
    )
    proc = etree.SubElement(root, q(BPMN, "process"), id=pid, isExecutable="true")
    proc.set("name", xml_safe(sop.identity.name or title))
    proc.set(q(CAMUNDA, "historyTimeToLive"), ns.HISTORY_TIME_TO_LIVE)
    _properties(etree.SubElement(proc, q(BPMN, "extensionElements")), _process_properties(sop))

    lane_set = etree.SubElement(proc, q(BPMN, "laneSet"), id="LaneSet_SOP")
    lane_ids = _lane_ids(roles)
    members: dict[int, list[str]] = {i: [] for i in range(len(roles))}
    for node in graph.nodes:
        members[node.lane].append(node.id)
    for i, role in enumerate(roles):
        lane = etree.SubElement(lane_set, q(BPMN, "lane"), id=lane_ids[i], name=xml_safe(role))
        for nid in members[i]:
            etree.SubElement(lane, q(BPMN, "flowNodeRef")).text = nid

    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for f in graph.flows:
        outgoing.setdefault(f.source, []).append(f.id)
        incoming.setdefault(f.target, []).append(f.id)
    for node in graph.nodes:
        el = _flow_node(proc, node, graph.decision_default)
        for fid in incoming.get(node.id, []):
            etree.SubElement(el, q(BPMN, "incoming")).text = fid
        for fid in outgoing.get(node.id, []):
            etree.SubElement(el, q(BPMN, "outgoing")).text = fid
    for f in graph.flows:
        el = etree.SubElement(
            proc, q(BPMN, "sequenceFlow"), id=f.id, sourceRef=f.source, targetRef=f.target
        )
        if f.name:
            el.set("name", xml_safe(f.name))
        if f.condition:
            cond = etree.SubElement(el, q(BPMN, "conditionExpression"))
            cond.set(q(XSI, "type"), "bpmn:tFormalExpression")
            cond.text = f.condition

    _diagram(root, geo, lane_ids)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# -- the process graph ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    id: str
    kind: str  # "start" | "end" | "task" | "decision" | "merge"
    lane: int
    step: Step | None = None


class _Graph:
    """Nodes in column order and the flows between them, before any XML."""

    def __init__(self, sop: Sop, lane_of_role: dict[str, int]) -> None:
        steps = list(sop.steps)
        numbers = {s.number for s in steps}
        # (source id, target, flow name, condition value, id suffix)
        edges: list[tuple[str, StepRef, str, str, str]] = []
        first: StepRef = steps[0].number if steps else END
        edges.append((START_ID, first, "", "", ""))
        for i, s in enumerate(steps):
            nxt: StepRef = steps[i + 1].number if i + 1 < len(steps) else END
            if s.decision is None:
                edges.append((task_id(s.number), nxt, "", "", ""))
                continue
            d = s.decision
            values = decision_values(d)
            gid = gateway_id(s.number)
            # the second branch (reject) is the gateway's default flow, every other branch
            # tests its own value: exactly one flow holds for each value of the enum field
            for i, (branch, value) in enumerate(zip(d.branches, values, strict=True)):
                cond = "" if i == 1 else value
                edges.append((gid, _target(branch.target, numbers), branch.label, cond, value))

        # how many flows reach each step / the end: two or more need a merging gateway
        reach: dict[StepRef, int] = {}
        for _, target, *_ in edges:
            reach[target] = reach.get(target, 0) + 1
        merges = {t for t, n in reach.items() if n > 1}

        def entry(target: StepRef) -> str:
            if target in merges:
                return merge_id(target)
            return END_ID if target == END else task_id(int(target))

        lane_of_step = {s.number: lane_of_role[s.role] for s in steps}
        end_sources = [src for src, t, *_ in edges if t == END]
        end_lane = _end_lane(end_sources, steps, lane_of_step)

        self.nodes: list[_Node] = []
        self.flows: list[_Flow] = []
        start_lane = lane_of_step[steps[0].number] if steps else 0
        self.nodes.append(_Node(START_ID, "start", start_lane))
        for s in steps:
            lane = lane_of_step[s.number]
            if s.number in merges:
                self.nodes.append(_Node(merge_id(s.number), "merge", lane))
                self.flows.append(
                    _Flow(f"Flow_Gabung_{s.number}", merge_id(s.number), task_id(s.number))
                )
            self.nodes.append(_Node(task_id(s.number), "task", lane, s))
            if s.decision is not None:
                self.nodes.append(_Node(gateway_id(s.number), "decision", lane, s))
                self.flows.append(
                    _Flow(f"Flow_{s.number}_keputusan", task_id(s.number), gateway_id(s.number))
                )
        if END in merges:
            self.nodes.append(_Node(merge_id(END), "merge", end_lane))
            self.flows.append(_Flow("Flow_Gabung_Selesai", merge_id(END), END_ID))
        self.nodes.append(_Node(END_ID, "end", end_lane))

        used: set[str] = {f.id for f in self.flows}
        for source, target, name, value, suffix in edges:
            if source == START_ID:
                fid = "Flow_Mulai"
            elif suffix:
                fid = f"Flow_{source.rsplit('_', 1)[1]}_{suffix}"
            else:
                fid = f"Flow_{source.rsplit('_', 1)[1]}"
            base, k = fid, 2
            while fid in used:
                fid, k = f"{base}_{k}", k + 1
            used.add(fid)
            self.flows.append(
                _Flow(fid, source, entry(target), name, condition(value) if value else "")
            )
        self.decision_default = {
            f.source: f.id
            for f in self.flows
            if f.source.startswith("Gateway_Langkah_") and not f.condition
        }

    def layout_nodes(self) -> list[NodeSpec]:
        out = []
        for n in self.nodes:
            if n.kind in ("decision", "merge"):
                label = gateway_name(n.step.decision) if n.step and n.step.decision else ""
                out.append(NodeSpec(n.id, "gateway", n.lane, label))
            elif n.kind == "task":
                out.append(NodeSpec(n.id, "task", n.lane))
            else:
                out.append(
                    NodeSpec(n.id, n.kind, n.lane, START_NAME if n.kind == "start" else END_NAME)
                )
        return out


def _target(ref: StepRef, numbers: set[int]) -> StepRef:
    """A branch to a step that does not exist ends the process (readers warn about it)."""
    if ref == END or ref in numbers:
        return ref
    return END


def _end_lane(sources: list[str], steps: list[Step], lane_of_step: dict[int, int]) -> int:
    """The end event sits in the lane of the last step that leads to it."""
    best = -1
    for src in sources:
        number = int(src.rsplit("_", 1)[1]) if src[-1].isdigit() else -1
        if number in lane_of_step and (best == -1 or _pos(steps, number) > _pos(steps, best)):
            best = number
    if best in lane_of_step:
        return lane_of_step[best]
    return lane_of_step[steps[-1].number] if steps else 0


def _pos(steps: list[Step], number: int) -> int:
    for i, s in enumerate(steps):
        if s.number == number:
            return i
    return -1


# -- XML pieces ----------------------------------------------------------------------------


def _flow_node(proc: etree._Element, node: _Node, defaults: dict[str, str]) -> etree._Element:
    if node.kind == "start":
        return etree.SubElement(proc, q(BPMN, "startEvent"), id=node.id, name=START_NAME)
    if node.kind == "end":
        return etree.SubElement(proc, q(BPMN, "endEvent"), id=node.id, name=END_NAME)
    if node.kind == "merge":
        return etree.SubElement(proc, q(BPMN, "exclusiveGateway"), id=node.id)
    step = node.step
    assert step is not None
    if node.kind == "decision":
        assert step.decision is not None
        el = etree.SubElement(
            proc,
            q(BPMN, "exclusiveGateway"),
            id=node.id,
            name=xml_safe(gateway_name(step.decision)),
        )
        if node.id in defaults:
            el.set("default", defaults[node.id])
        return el
    el = etree.SubElement(
        proc,
        q(BPMN, "userTask"),
        id=node.id,
        name=xml_safe(short_name(step.activity, step.number)),
    )
    el.set(q(CAMUNDA, "candidateGroups"), xml_safe(step.role))
    doc = etree.SubElement(el, q(BPMN, "documentation"))
    doc.text = xml_safe(step.activity)
    ext = etree.SubElement(el, q(BPMN, "extensionElements"))
    if step.decision is not None:
        _form(ext, step.decision)
    _properties(ext, _step_properties(step))
    return el


def _form(ext: etree._Element, decision: Decision) -> None:
    form = etree.SubElement(ext, q(CAMUNDA, "formData"))
    field = etree.SubElement(
        form,
        q(CAMUNDA, "formField"),
        id=ns.DECISION_FIELD,
        label=xml_safe(gateway_name(decision)),
        type="enum",
    )
    validation = etree.SubElement(field, q(CAMUNDA, "validation"))
    etree.SubElement(validation, q(CAMUNDA, "constraint"), name="required")
    for value, branch in zip(decision_values(decision), decision.branches, strict=True):
        etree.SubElement(field, q(CAMUNDA, "value"), id=value, name=xml_safe(branch.label))


def _properties(ext: etree._Element, props: Iterable[tuple[str, str]]) -> None:
    holder = etree.SubElement(ext, q(CAMUNDA, "properties"))
    for name, value in props:
        etree.SubElement(holder, q(CAMUNDA, "property"), name=name, value=xml_safe(value))


def _step_properties(step: Step) -> list[tuple[str, str]]:
    d = step.duration
    props = [
        (ns.P_NUMBER, str(step.number)),
        (ns.P_REQUIREMENTS, step.requirements),
        (ns.P_DURATION, d.text),
        (ns.P_DURATION_ISO, d.iso or ""),
        (ns.P_DURATION_CHECK, ns.text_check(d.text)),
    ]
    if d.min_minutes is not None:
        props.append((ns.P_DURATION_MIN, str(d.min_minutes)))
    if d.max_minutes is not None:
        props.append((ns.P_DURATION_MAX, str(d.max_minutes)))
    if d.working_days:
        props.append((ns.P_DURATION_WORKDAYS, "ya"))
    if d.per_unit is not None:
        props.append((ns.P_DURATION_UNIT, d.per_unit))
    props += [(ns.P_OUTPUT, step.output), (ns.P_NOTES, step.notes)]
    props += [(f"{ns.P_OTHER_ROLES}_{i}", r) for i, r in enumerate(step.other_roles, 1)]
    if step.decision is not None:
        props.append((ns.P_QUESTION, step.decision.question))
    return props


def _process_properties(sop: Sop) -> list[tuple[str, str]]:
    ident = sop.identity
    props = [(ns.FORMAT_PROPERTY, ns.FORMAT_VERSION)]
    props += [(key, getattr(ident, attr)) for attr, key in ns.IDENTITY_KEYS]
    for attr, key in ns.DATE_KEYS:
        d: SopDate | None = getattr(ident, attr)
        if d is None:
            continue
        props.append((key, d.text))
        if d.value is not None:
            props.append((f"{key}_iso", d.value.isoformat()))
        if d.precision is not None:
            props.append((f"{key}_presisi", d.precision))
    if ident.approved_by is not None:
        props += [
            (f"{ns.APPROVER_PREFIX}_{key}", getattr(ident.approved_by, attr))
            for attr, key in ns.APPROVER_KEYS
        ]
    for attr, key in ns.SECTION_KEYS:
        props += [(f"{key}_{i}", item) for i, item in enumerate(getattr(sop, attr), 1)]
    return props


def _participant_name(sop: Sop) -> str:
    """The pool's name: the SOP's name only.

    bpmn-js writes it along the 30 px pool header; the owning unit made it too long to read
    there, and the unit and agency are kept in the identity properties anyway.
    """
    return " ".join(sop.identity.name.split()) or "Proses SOP"


def _lane_ids(roles: list[str]) -> list[str]:
    """One unique id per lane, readable where the role's name allows: a name with no id
    characters (":") or one that clashes with another lane's id gets a numbered suffix,
    repeated until it is free (a role named "2" already owns ``Lane_2``)."""
    ids: list[str] = []
    for i, role in enumerate(roles, 1):
        base = ns.ncname(role, "Lane", 40)
        lid, n = base, i
        while lid == "Lane" or lid in ids:
            lid = f"{base}_{n}"
            n += len(roles)
        ids.append(lid)
    return ids


def _diagram(root: etree._Element, geo: Layout, lane_ids: list[str]) -> None:
    diagram = etree.SubElement(root, q(BPMNDI, "BPMNDiagram"), id="BPMNDiagram_SOP")
    plane = etree.SubElement(
        diagram, q(BPMNDI, "BPMNPlane"), id="BPMNPlane_SOP", bpmnElement="Collaboration_SOP"
    )
    _shape(plane, "Participant_SOP", geo.participant, horizontal=True)
    for lid, b in zip(lane_ids, geo.lanes, strict=False):
        _shape(plane, lid, b, horizontal=True)
    for nid, b in geo.nodes.items():
        _shape(plane, nid, b, label=geo.node_labels.get(nid))
    for fid, points in geo.edges.items():
        edge = etree.SubElement(plane, q(BPMNDI, "BPMNEdge"), id=f"{fid}_di", bpmnElement=fid)
        for x, y in points:
            etree.SubElement(edge, q(DI, "waypoint"), x=_n(x), y=_n(y))
        if fid in geo.edge_labels:
            _label(edge, geo.edge_labels[fid])


def _shape(
    plane: etree._Element,
    element: str,
    b,
    horizontal: bool = False,
    label=None,
) -> None:
    shape = etree.SubElement(plane, q(BPMNDI, "BPMNShape"), id=f"{element}_di", bpmnElement=element)
    if horizontal:
        shape.set("isHorizontal", "true")
    if element.startswith("Gateway_Langkah_"):
        shape.set("isMarkerVisible", "true")
    etree.SubElement(
        shape, q(DC, "Bounds"), x=_n(b.x), y=_n(b.y), width=_n(b.width), height=_n(b.height)
    )
    if label is not None:
        _label(shape, label)


def _label(parent: etree._Element, b) -> None:
    label = etree.SubElement(parent, q(BPMNDI, "BPMNLabel"))
    etree.SubElement(
        label, q(DC, "Bounds"), x=_n(b.x), y=_n(b.y), width=_n(b.width), height=_n(b.height)
    )


def _n(v: float) -> str:
    return str(round(v))
