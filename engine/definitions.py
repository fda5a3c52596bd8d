"""Process definitions: validate an uploaded BPMN, version it, and cache its parsed spec.

A BPMN file is untrusted input. Before anything is stored, :meth:`Definitions.check` collects
*every* problem at once (element id, name, line): the shared structural checks of
converters.bpmn.validate (malformed XML, OMG schema, references, gateway flows), then the
engine's own: the supported subset (start/end events, user and manual tasks, exclusive and
parallel gateways, timer events), user tasks outside a named lane, nodes unreachable from the
start, and gateway conditions outside the safe subset of engine.conditions. Only then is the
file handed to SpiffWorkflow's Camunda parser, whose exceptions are turned into problems too.

Deploy keeps each version (key = process id); identical content returns the existing version,
so re-deploying the library is idempotent. The analysis done at deploy (lanes, forms,
decision values, Mutu Baku properties) is stored as JSON with the definition, so the runtime
never re-reads the XML; parsed SpiffWorkflow specs are cached by content hash.
"""

from __future__ import annotations

import builtins
import dataclasses
import hashlib
import json
import os
import threading
from collections import OrderedDict, deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from lxml import etree

from converters.bpmn.expressions import (
    CONDITION_TAGS,
    TIMER_TAGS,
    expression_elements,
    expression_limit_problem,
)
from converters.bpmn.names import BPMN, CAMUNDA, DECISION_FIELD, q
from converters.bpmn.properties import read_properties
from converters.bpmn.validate import Problem, parse_safely, validate_bpmn
from engine.analysis import Analysis, Decision, Element, FormField, HumanTask
from engine.conditions import UnsafeExpression, check_condition, is_timer_literal, safe_evaluate
from engine.decisions import Branch, Undecidable, names_in, solve
from engine.deployments import DeployNote
from engine.deployments import record as record_deployment
from engine.errors import Conflict, DefinitionInvalid, NotFound
from engine.forms import read_form
from engine.juel import condition_source, is_juel
from engine.records import MAX_ID, definition_row
from engine.status import InstanceStatus
from engine.store import Store, definitions, inserted_id, instances, utcnow

HUMAN_TASKS = ("userTask", "manualTask")
_NODE_KINDS = {
    "startEvent",
    "endEvent",
    "userTask",
    "manualTask",
    "exclusiveGateway",
    "parallelGateway",
    "boundaryEvent",
    "intermediateCatchEvent",
}
_HARMLESS = {
    "sequenceFlow",
    "laneSet",
    "documentation",
    "extensionElements",
    "textAnnotation",
    "association",
    "group",
}
_KIND_NAMES = {
    "task": "tugas tanpa jenis (ubah menjadi User Task atau Manual Task)",
    "serviceTask": "service task",
    "sendTask": "send task",
    "receiveTask": "receive task",
    "businessRuleTask": "business rule task",
    "scriptTask": "script task (skrip dinonaktifkan: ALLOW_SCRIPTS)",
    "subProcess": "sub-proses",
    "callActivity": "call activity",
    "inclusiveGateway": "inclusive gateway",
    "eventBasedGateway": "event-based gateway",
    "complexGateway": "complex gateway",
    "intermediateThrowEvent": "intermediate throw event",
}


@dataclass(frozen=True)
class Definition:
    id: int
    key: str
    name: str
    version: int
    sha256: str
    deployed_at: datetime
    deployed_by: str
    lanes: tuple[str, ...]
    first_lanes: tuple[str, ...]


@dataclass(frozen=True)
class DeployResult:
    definition: Definition
    created: bool


# -- analysis ------------------------------------------------------------------------------


def _text(el: etree._Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _problem(el: etree._Element, message: str) -> Problem:
    line = el.sourceline if isinstance(el.sourceline, int) else None
    return Problem(message, element_id=el.get("id", ""), element_name=el.get("name", ""), line=line)


def _label(el: etree._Element) -> str:
    name = el.get("name") or ""
    return f"“{name}” ({el.get('id', '')})" if name else str(el.get("id", ""))


def _choose_process(root: etree._Element) -> tuple[etree._Element | None, list[Problem]]:
    processes = root.findall(q(BPMN, "process"))
    runnable = [p for p in processes if p.get("isExecutable") == "true"]
    with_nodes = [p for p in processes if any(_local(c) in HUMAN_TASKS for c in p)]
    candidates = runnable or with_nodes or processes
    if not candidates:
        return None, [Problem("Dokumen tidak memuat bpmn:process")]
    if len(candidates) > 1:
        names = ", ".join(str(p.get("id")) for p in candidates)
        return None, [
            Problem(f"Lebih dari satu proses yang dapat dijalankan ({names}); satu per berkas")
        ]
    return candidates[0], []


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _participant_name(root: etree._Element, process_id: str) -> str:
    for part in root.iter(q(BPMN, "participant")):
        if part.get("processRef") == process_id and part.get("name"):
            return str(part.get("name"))
    return ""


def _lanes(process: etree._Element) -> tuple[list[str], dict[str, str]]:
    """Lane names in document order and the lane of each flow node (innermost lane wins)."""
    names: list[str] = []
    lane_of: dict[str, str] = {}
    for lane in process.iter(q(BPMN, "lane")):
        name = " ".join((lane.get("name") or "").split())
        if name and name not in names:
            names.append(name)
        for ref in lane.findall(q(BPMN, "flowNodeRef")):
            lane_of[_text(ref)] = name
    return names, lane_of


@dataclass(frozen=True)
class _Graph:
    """The flow nodes the engine runs and the edges between them (boundary events hang off
    their host task), enough to ask what is reachable from the start events."""

    nodes: Mapping[str, etree._Element]
    outgoing: Mapping[str, list[str]]
    incoming_count: Mapping[str, int]
    starts: list[str]


def analyse(data: bytes, allow_scripts: bool = False) -> tuple[Analysis | None, list[Problem]]:
    """The deploy-time analysis (stored as the definition's ``meta``) and every problem found.

    None instead of an analysis when there is no single runnable process to analyse.
    Problems with severity "warning" do not block a deploy, so only errors are returned.
    The steps below each add their problems in document order, so a report reads top down.
    """
    problems = [p for p in validate_bpmn(data) if p.severity == "error"]
    root = _definitions_root(data)
    if root is None:
        return None, problems  # validate_bpmn already said why
    process, chosen = _choose_process(root)
    problems += chosen
    if process is None:
        return None, problems
    key = str(process.get("id") or "")
    lanes, lane_of = _lanes(process)
    nodes, elements, unsupported = _supported_nodes(process, lane_of, allow_scripts)
    problems += unsupported
    tasks, unlaned = _human_tasks(nodes, lane_of)
    problems += unlaned
    graph = _flow_graph(process, nodes)
    tasks, undecided = _drawn_decisions(process, nodes, tasks, graph)
    problems += undecided
    problems += _condition_problems(process, tasks)
    problems += _unreachable(graph)
    problems += _uncovered_decisions(process, nodes, tasks)
    roles = list(lanes)
    for task in tasks.values():  # without lanes, the candidate groups are the roles
        if task.lane and task.lane not in roles:
            roles.append(task.lane)
    analysis = Analysis(
        key=key,
        name=_squash(process.get("name") or _participant_name(root, key) or key),
        lanes=tuple(roles),
        tasks=tasks,
        elements=elements,
        first_lanes=_first_lanes(graph, tasks),
    )
    return analysis, _dedupe(problems)


def _definitions_root(data: bytes) -> etree._Element | None:
    """The ``bpmn:definitions`` root element, or None when the bytes are not one."""
    try:
        root = parse_safely(data).getroot()
    except (ValueError, etree.XMLSyntaxError):
        return None
    return root if root.tag == q(BPMN, "definitions") else None


def _supported_nodes(
    process: etree._Element, lane_of: Mapping[str, str], allow_scripts: bool
) -> tuple[dict[str, etree._Element], dict[str, Element], list[Problem]]:
    """The flow nodes of the supported subset, by id, and a problem for every other element
    (and every unsupported event definition) the engine would otherwise silently skip."""
    nodes: dict[str, etree._Element] = {}
    elements: dict[str, Element] = {}
    problems: list[Problem] = []
    for child in process:
        kind = _local(child)
        if not kind:
            continue
        if kind in _NODE_KINDS or (kind == "scriptTask" and allow_scripts):
            node_id = str(child.get("id"))
            nodes[node_id] = child
            elements[node_id] = Element(_squash(child.get("name")), kind, lane_of.get(node_id, ""))
            problems += _event_problems(child, kind)
            problems += _loop_problems(child)
        elif kind not in _HARMLESS:
            what = _KIND_NAMES.get(kind, kind)
            problems.append(_problem(child, f"Elemen {_label(child)} tidak didukung: {what}"))
    if not any(_local(n) == "startEvent" for n in nodes.values()):
        problems.append(_problem(process, "Proses tidak memiliki start event"))
    return nodes, elements, problems


def _human_tasks(
    nodes: Mapping[str, etree._Element], lane_of: Mapping[str, str]
) -> tuple[dict[str, HumanTask], list[Problem]]:
    """Each user/manual task with its role, form, due date and Mutu Baku properties.

    The role is the task's lane (the lane name is the role that may work on it); a task
    drawn without lanes takes its role from ``camunda:candidateGroups`` and may name a fixed
    ``camunda:assignee``. A task with none of these has nobody to do it: a problem.
    """
    tasks: dict[str, HumanTask] = {}
    problems: list[Problem] = []
    for node_id, node in nodes.items():
        kind = _local(node)
        if kind not in HUMAN_TASKS:
            continue
        lane = lane_of.get(node_id, "")
        groups = [g.strip() for g in (node.get(q(CAMUNDA, "candidateGroups")) or "").split(",")]
        groups = [g for g in groups if g]
        assignee = (node.get(q(CAMUNDA, "assignee")) or "").strip()
        for attr, value in (("candidateGroups", ",".join(groups)), ("assignee", assignee)):
            if "${" in value or "#{" in value:
                problems.append(
                    _problem(
                        node,
                        f"Tugas {_label(node)}: camunda:{attr} berupa "
                        f"ekspresi {value!r} tidak didukung (expression)",
                    )
                )
        if not lane and len(groups) > 1:
            problems.append(
                _problem(
                    node,
                    f"Tugas {_label(node)}: camunda:candidateGroups "
                    f"berisi lebih dari satu grup ({', '.join(groups)}); "
                    "pakai satu grup atau lane (one role per task)",
                )
            )
        role = lane or (groups[0] if groups else "")
        if not role and not assignee:
            problems.append(
                _problem(
                    node,
                    f"Tugas {_label(node)} tidak berada di lane yang "
                    "bernama dan tidak memiliki camunda:candidateGroups atau "
                    "camunda:assignee (no role for the task)",
                )
            )
        fields, form_problems = read_form(node)
        problems += [_problem(node, f"Formulir tugas {_label(node)}: {p}") for p in form_problems]
        due_date = (node.get(q(CAMUNDA, "dueDate")) or "").strip()
        due_problem = _due_date_problem(due_date) if due_date else None
        if due_problem:
            problems.append(_problem(node, f"Tugas {_label(node)}: camunda:dueDate {due_problem}"))
        # Alur's own decision field; any other enum is a decision only when the gateway
        # after the task tests it (_drawn_decisions), else it is just a question on the form
        enum = next((f for f in fields if f.type == "enum" and f.id == DECISION_FIELD), None)
        decision = _enum_decision(enum) if enum is not None and enum.choices else None
        tasks[node_id] = HumanTask(
            name=_squash(node.get("name") or node_id),
            type=kind,
            lane=role,
            documentation=_text(node.find(q(BPMN, "documentation"))),
            properties=read_properties(node),
            fields=fields,
            decision=decision,
            assignee=assignee if "${" not in assignee else "",
            due_date=due_date if not due_problem else "",
        )
    return tasks, problems


def _enum_decision(enum: FormField) -> Decision:
    """An enum form field as the task's decision: one value per branch, the first approves."""
    return Decision(
        field=enum.id,
        values=tuple(c.id for c in enum.choices),
        labels={c.id: c.name for c in enum.choices},
    )


def _due_date_problem(text: str) -> str | None:
    """None when ``camunda:dueDate`` is an ISO 8601 date or duration the working calendar
    can use; else why not (an expression cannot be evaluated before the task exists)."""
    from engine.calendar import parse_due_date

    if "${" in text or "#{" in text:
        return (
            f"berupa ekspresi {text!r} tidak didukung; pakai tanggal atau durasi ISO 8601"
            " (expression)"
        )
    if parse_due_date(text) is None:
        return f"{text!r} bukan tanggal atau durasi ISO 8601, mis. 2026-12-31 atau P3D (invalid)"
    return None


def _drawn_decisions(
    process: etree._Element,
    nodes: Mapping[str, etree._Element],
    tasks: dict[str, HumanTask],
    graph: _Graph,
) -> tuple[dict[str, HumanTask], list[Problem]]:
    """The decision of each human task followed by an exclusive gateway (engine.decisions).

    An enum form field the gateway tests stays the decision (Alur's own n-ary decisions).
    A gateway that tests only form fields routes by the data typed in: no buttons. One that
    tests variables no form writes is a decision drawn in the Modeler: one option per flow.
    """
    flows = list(process.iter(q(BPMN, "sequenceFlow")))
    form_names = {f.id for t in tasks.values() for f in t.fields}
    out = dict(tasks)
    problems: list[Problem] = []
    for task_id, task in tasks.items():
        after = [f.get("targetRef", "") for f in flows if f.get("sourceRef") == task_id]
        gateways = [
            nodes[t] for t in after if t in nodes and _local(nodes[t]) == "exclusiveGateway"
        ]
        if len(after) != 1 or not gateways:
            continue
        gateway = gateways[0]
        gateway_id = str(gateway.get("id"))
        outgoing = [f for f in flows if f.get("sourceRef") == gateway_id]
        if len(outgoing) < 2:
            continue
        conditions: dict[str, str | None] = {}
        for flow in outgoing:
            text = _condition_text(flow)
            if flow.get("id") == gateway.get("default") or not text:
                conditions[str(flow.get("id"))] = None
                continue
            try:
                conditions[str(flow.get("id"))] = condition_source(text)
            except UnsafeExpression:
                break  # reported with the flow by _condition_problems
        else:
            tested = set().union(*(names_in(c) for c in conditions.values() if c))
            enum = next(
                (f for f in task.fields if f.type == "enum" and f.choices and f.id in tested),
                None,
            )
            if enum is not None:  # Alur's own shape: the enum the gateway tests decides
                out[task_id] = dataclasses.replace(task, decision=_enum_decision(enum))
                continue
            drawn = tested - form_names
            if not drawn:  # routed by the form's data (or by nothing): no buttons
                out[task_id] = dataclasses.replace(task, decision=None)
                continue
            if tested & form_names:
                problems.append(
                    _problem(
                        gateway,
                        f"Gateway {_label(gateway)} mencampur field "
                        f"formulir ({', '.join(sorted(tested & form_names))}) "
                        f"dan variabel keputusan ({', '.join(sorted(drawn))}); "
                        "pisahkan menjadi dua gateway (mixed decision)",
                    )
                )
                continue
            branches = [
                Branch(
                    flow=str(flow.get("id")),
                    name=_squash(flow.get("name")),
                    condition=conditions[str(flow.get("id"))],
                    goes_back=_reaches(graph, str(flow.get("targetRef", "")), task_id),
                    target_name=_squash(nodes[t].get("name"))
                    if (t := str(flow.get("targetRef", ""))) in nodes
                    else "",
                )
                for flow in outgoing
            ]
            if sum(b.condition is None for b in branches) > 1:
                continue  # flows without condition: validate_bpmn reports the gateway
            try:
                out[task_id] = dataclasses.replace(task, decision=solve(gateway_id, branches))
            except Undecidable as exc:
                problems.append(
                    _problem(
                        gateway,
                        f"Gateway {_label(gateway)} setelah tugas "
                        f"{_label(nodes[task_id])}: alurnya tidak dapat "
                        f"dibedakan dengan satu pilihan: {exc}",
                    )
                )
    return out, problems


def _reaches(graph: _Graph, start: str, goal: str) -> bool:
    """Whether a path leads from ``start`` to ``goal`` (a branch that goes back)."""
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for nxt in graph.outgoing.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False


def _flow_graph(process: etree._Element, nodes: Mapping[str, etree._Element]) -> _Graph:
    outgoing: dict[str, list[str]] = {n: [] for n in nodes}
    incoming_count: dict[str, int] = dict.fromkeys(nodes, 0)
    for flow in process.iter(q(BPMN, "sequenceFlow")):
        src, tgt = flow.get("sourceRef", ""), flow.get("targetRef", "")
        if src in outgoing and tgt in nodes:
            outgoing[src].append(tgt)
            incoming_count[tgt] += 1
    for node_id, node in nodes.items():
        if _local(node) == "boundaryEvent":
            host = node.get("attachedToRef", "")
            if host in outgoing:
                outgoing[host].append(node_id)
                incoming_count[node_id] += 1
    starts = [n for n, el in nodes.items() if _local(el) == "startEvent"]
    return _Graph(nodes, outgoing, incoming_count, starts)


def _flow_condition(flow: etree._Element) -> etree._Element | None:
    """The condition SpiffWorkflow uses for a flow: the *first descendant*
    ``conditionExpression`` (``.//bpmn:conditionExpression``), not only a direct child."""
    return next(flow.iter(q(BPMN, "conditionExpression")), None)


def _expression_holder(el: etree._Element) -> etree._Element:
    """The nearest ancestor with an id (the flow, task or event the expression belongs to)."""
    owner = el.getparent()
    while owner is not None and not owner.get("id"):
        owner = owner.getparent()
    return owner if owner is not None else el


def _condition_problems(process: etree._Element, tasks: Mapping[str, HumanTask]) -> list[Problem]:
    """Every text SpiffWorkflow would evaluate, wherever it sits (a condition hidden in a
    flow's documentation, loop cardinalities and conditions, timer values), checked with the
    run-time checker; and flow conditions naming a variable no task's form writes (a typo
    there would only show when a case reaches the gateway)."""
    form_fields = {f.id for t in tasks.values() for f in t.fields}
    for task in tasks.values():  # variables a decision's buttons set are known too
        if task.decision is not None:
            form_fields |= {k for o in task.decision.options for k in o.sets}
    problems: list[Problem] = []
    for el in expression_elements(process):
        kind = etree.QName(el).localname
        text = (el.text or "").strip()
        holder = _expression_holder(el)
        if expression_limit_problem(text):
            continue  # too long or deep: validate_bpmn (run by analyse) already said so
        if kind in TIMER_TAGS:
            reason = _timer_problem(text)
        elif kind in CONDITION_TAGS:
            reason = _condition_reason(text)
        else:  # pragma: no cover - expression_elements yields only the two groups
            reason = None
        if reason:
            problems.append(
                _problem(holder, f"Ekspresi {kind} pada {_label(holder)} ditolak: {reason}")
            )
    for flow in process.iter(q(BPMN, "sequenceFlow")):
        cond = _flow_condition(flow)
        if cond is None:
            continue
        expr = (cond.text or "").strip()
        if _condition_reason(expr):
            continue  # already reported above
        unknown = sorted(names_in(condition_source(expr)) - form_fields - {"True", "False", "None"})
        if unknown:
            problems.append(
                _problem(
                    flow,
                    f"Kondisi alur {_label(flow)} memakai {', '.join(unknown)} yang bukan "
                    "field formulir tugas mana pun",
                )
            )
    return problems


def _condition_reason(text: str) -> str | None:
    """Why a condition is refused (None: accepted). JUEL is translated first, and the
    translation goes through the same checker as a condition written in Alur's language."""
    if is_juel(text):
        try:
            condition_source(text)
        except UnsafeExpression as exc:
            return f"JUEL {text[:80]!r}: {exc}"
        return None
    return check_condition(text)


def _timer_problem(text: str) -> str | None:
    """None when SpiffWorkflow will read ``text`` as a time: the value the safe checker
    evaluates (a bare ISO 8601 text, or a quoted one), parsed by SpiffWorkflow's own timer
    parser, so a value that would fail every case at run time fails the deploy instead."""
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

    bad = f"nilai {text[:80]!r} bukan durasi/tanggal ISO 8601 (mis. PT1H, P2D)"
    reason = None if is_timer_literal(text) else check_condition(text)
    if reason:
        return f"{bad}: {reason}"
    try:
        value = safe_evaluate(text, {})
        if not isinstance(value, str) or not is_timer_literal(value):
            raise ValueError(value)
        TimerEventDefinition.parse_time_or_duration(value)
    except Exception:  # any failure here is a failure every case would meet at run time
        return bad
    return None


def _unreachable(graph: _Graph) -> list[Problem]:
    """Nodes with incoming flows that no path from a start event reaches (a node without
    any incoming flow is a start or an orphan the schema checks already report)."""
    seen = set(graph.starts)
    queue = deque(graph.starts)
    while queue:
        for nxt in graph.outgoing[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return [
        _problem(node, f"Elemen {_label(node)} tidak terjangkau dari start event")
        for node_id, node in graph.nodes.items()
        if node_id not in seen and graph.incoming_count[node_id] > 0
    ]


def _uncovered_decisions(
    process: etree._Element,
    nodes: Mapping[str, etree._Element],
    tasks: Mapping[str, HumanTask],
) -> list[Problem]:
    """A decision value that no flow of the following gateway accepts would stop the case at
    run time; say so at deploy (each gateway right after a decision task, without default)."""
    flows = list(process.iter(q(BPMN, "sequenceFlow")))
    out: list[Problem] = []
    for task_id, task in tasks.items():
        decision = task.decision
        if decision is None or not decision.field or not decision.values:
            continue  # drawn decisions are solved against their gateway already
        for flow in flows:
            gateway = nodes.get(flow.get("targetRef", ""))
            if flow.get("sourceRef") != task_id or gateway is None:
                continue
            if _local(gateway) != "exclusiveGateway" or gateway.get("default"):
                continue
            conditions = [
                _condition_text(f) for f in flows if f.get("sourceRef") == gateway.get("id")
            ]
            if not conditions or any(not c or _condition_reason(c) for c in conditions):
                continue  # missing/unsafe conditions are reported elsewhere
            sources = [condition_source(c) for c in conditions]
            for option in decision.options:
                value = option.value
                if not any(_accepts(c, option.sets) for c in sources):
                    out.append(
                        _problem(
                            gateway,
                            f"Gateway {_label(gateway)} tidak punya alur untuk keputusan "
                            f"“{value}” dari tugas {task_id}",
                        )
                    )
    return out


def _condition_text(flow: etree._Element) -> str:
    cond = _flow_condition(flow)
    return (cond.text or "").strip() if cond is not None else ""


def _accepts(condition: str, values: Mapping[str, Any]) -> bool:
    try:
        return bool(safe_evaluate(condition, values))
    except Exception:  # a condition that fails on this value accepts nothing
        return False


def _event_problems(el: etree._Element, kind: str) -> list[Problem]:
    """Only plain start/end events (terminate allowed) and ISO 8601 timer catch events: those
    are what SOPs need, and what the worker knows how to fire."""
    defs = [c for c in el if _local(c).endswith("EventDefinition")]
    kinds = {_local(c) for c in defs}
    if kind in ("boundaryEvent", "intermediateCatchEvent"):
        if kinds != {"timerEventDefinition"}:
            return [_problem(el, f"Event {_label(el)} tidak didukung: hanya timer yang didukung")]
        timer = defs[0]
        exprs = [c for c in timer if _local(c) in ("timeDuration", "timeDate", "timeCycle")]
        if len(exprs) != 1:
            return [_problem(el, f"Timer {_label(el)} tidak memiliki durasi/tanggal yang jelas")]
        if _local(exprs[0]) == "timeCycle":
            return [_problem(el, f"Timer {_label(el)}: timer berulang (timeCycle) tidak didukung")]
        return []
    if kind == "startEvent" and kinds:
        return [_problem(el, f"Start event {_label(el)} tidak didukung: hanya start event biasa")]
    if kind == "endEvent" and kinds - {"terminateEventDefinition"}:
        return [_problem(el, f"End event {_label(el)} tidak didukung: hanya end event biasa")]
    return []


def _loop_problems(el: etree._Element) -> list[Problem]:
    """Multi-instance and loop tasks are refused: no SOP needs them, the task table does not
    model them, and their cardinality and conditions are more places SpiffWorkflow evaluates.
    (Their expressions are checked too, so the report also names an unsafe one.)"""
    loops = [c for c in el if _local(c) in _LOOPS]
    return [_problem(el, f"Elemen {_label(el)} tidak didukung: {_LOOPS[_local(c)]}") for c in loops]


_LOOPS = {
    "multiInstanceLoopCharacteristics": "tugas multi-instance (multi-instance task)",
    "standardLoopCharacteristics": "tugas berulang (loop task)",
}


def _first_lanes(graph: _Graph, tasks: Mapping[str, HumanTask]) -> tuple[str, ...]:
    """Lanes of the human tasks met first from the start events (who may start the process)."""
    lanes: list[str] = []
    seen = set(graph.starts)
    queue = deque(graph.starts)
    while queue:
        node = queue.popleft()
        for nxt in graph.outgoing.get(node, []):
            if nxt in seen:
                continue
            seen.add(nxt)
            if nxt in tasks:
                lane = tasks[nxt].lane
                if lane and lane not in lanes:
                    lanes.append(lane)
            else:
                queue.append(nxt)
    return tuple(lanes)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    out: list[Problem] = []
    for p in problems:
        if (p.message, p.element_id) not in seen:
            seen.add((p.message, p.element_id))
            out.append(p)
    return out


# -- SpiffWorkflow specs -------------------------------------------------------------------

_SPEC_CACHE: OrderedDict[str, tuple[Any, Any]] = OrderedDict()
_SPEC_LOCK = threading.Lock()
_SPEC_CACHE_SIZE = 64


def parse_spec(data: bytes, key: str) -> tuple[Any, Any]:
    """Parse with SpiffWorkflow's Camunda parser; its errors become :class:`DefinitionInvalid`."""
    from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
    from SpiffWorkflow.camunda.parser import CamundaParser

    parser = CamundaParser()
    try:
        parser.add_bpmn_xml(_translated(parse_safely(data)), filename=f"{key}.bpmn")
        spec = parser.get_spec(key)
        subprocesses = parser.get_subprocess_specs(key)
    except ValidationException as exc:
        message = str(getattr(exc, "args", [""])[0] or exc).splitlines()[0]
        raise DefinitionInvalid(
            [
                Problem(
                    f"SpiffWorkflow menolak proses: {message}",
                    element_id=str(getattr(exc, "id", "") or ""),
                    element_name=str(getattr(exc, "name", "") or ""),
                    line=getattr(exc, "line_number", None) or None,
                )
            ]
        ) from None
    except Exception as exc:  # any other parser failure must not reach the user raw
        raise DefinitionInvalid(
            [Problem(f"SpiffWorkflow tidak dapat membaca proses ({type(exc).__name__})")]
        ) from None
    return spec, subprocesses


def _translated(tree: Any) -> Any:
    """The document SpiffWorkflow parses: every JUEL flow condition replaced by its Alur
    translation. Only this in-memory copy changes; the stored file keeps the JUEL, so it
    still opens unchanged in Camunda Modeler."""
    for cond in tree.getroot().iter(q(BPMN, "conditionExpression")):
        text = cond.text or ""
        if is_juel(text):
            try:
                cond.text = condition_source(text)
            except UnsafeExpression:
                raise DefinitionInvalid(
                    [_problem(_expression_holder(cond), f"Kondisi JUEL ditolak: {text[:80]!r}")]
                ) from None
    return tree


def cached_spec(sha256: str, data: bytes, key: str) -> tuple[Any, Any]:
    """The parsed spec of a definition, parsed once per process per content hash."""
    with _SPEC_LOCK:
        if sha256 in _SPEC_CACHE:
            _SPEC_CACHE.move_to_end(sha256)
            return _SPEC_CACHE[sha256]
    parsed = parse_spec(data, key)
    parsed[0].alur_sha256 = sha256  # lets the runtime store a reference instead of the spec
    with _SPEC_LOCK:
        _SPEC_CACHE[sha256] = parsed
        while len(_SPEC_CACHE) > _SPEC_CACHE_SIZE:
            _SPEC_CACHE.popitem(last=False)
    return parsed


def spec_cache_info() -> tuple[str, ...]:
    """Hashes currently cached (for tests and diagnostics)."""
    with _SPEC_LOCK:
        return tuple(_SPEC_CACHE)


# -- the repository --------------------------------------------------------------------------


def allow_scripts(config: Mapping[str, Any] | None) -> bool:
    if config and config.get("ALLOW_SCRIPTS"):
        return True
    return os.environ.get("ALUR_ALLOW_SCRIPTS", "").lower() in ("1", "true", "ya", "yes")


def _row_to_definition(row: Any) -> Definition:
    meta = _stored_analysis(row.meta)
    return Definition(
        id=row.id,
        key=row.key,
        name=row.name,
        version=row.version,
        sha256=row.sha256,
        deployed_at=row.deployed_at,
        deployed_by=row.deployed_by,
        lanes=meta.lanes,
        first_lanes=meta.first_lanes,
    )


def _stored_analysis(meta: str) -> Analysis:
    """The analysis kept in ``definitions.meta`` (JSON written at deploy, any version)."""
    return Analysis.from_dict(json.loads(meta))


_LIGHT = [c for c in definitions.c if c.name != "xml"]
DEFINITION_ROWS = sa.select(sa.func.count()).select_from(definitions).scalar_subquery()
"""How many rows ``definitions`` holds: the stamp of the process list.

Why a count is enough: definition rows are only ever inserted (a deploy adds a version; no
code updates or deletes one, and a restore goes into an empty database), so every deploy that
commits, in any process, raises the count, and an unchanged count means an unchanged list.
(The largest id would not do: two concurrent deploys may commit out of id order.) A statement
a request sends anyway (the header's counts, :meth:`engine.queries.Queries.count_desk`) reads
it, so :meth:`Definitions.list` knows its memo current without a read of its own."""
_NEWEST = (
    sa.select(definitions.c.key, sa.func.max(definitions.c.version).label("v"))
    .group_by(definitions.c.key)
    .subquery()
)
_LATEST = (
    sa.select(*_LIGHT, DEFINITION_ROWS.label("definition_rows"))
    .join(
        _NEWEST,
        sa.and_(definitions.c.key == _NEWEST.c.key, definitions.c.version == _NEWEST.c.v),
    )
    .order_by(definitions.c.name, definitions.c.key)
)
"""The latest version of every process (built once: :meth:`Definitions.list` runs per page),
each row with the :data:`DEFINITION_ROWS` stamp read in the same statement, so the list and its
stamp agree."""
_NOT_A_PROCESS = Problem("Dokumen bukan proses BPMN yang dapat dijalankan")


class Definitions:
    """Deploy, list and read process definitions; each method is one transaction."""

    def __init__(self, store: Store, config: Mapping[str, Any] | None = None) -> None:
        self.store = store
        self.config = dict(config or {})
        self.allow_scripts = allow_scripts(config)
        self._meta: dict[int, Analysis] = {}  # rows never change once deployed
        self._by_id: dict[int, Definition] = {}
        # the last process list read, with its DEFINITION_ROWS stamp (one tuple: threads
        # replace it whole; a list kept with an older stamp only costs a read, never a
        # wrong answer)
        self._listed: tuple[int, builtins.list[Definition]] | None = None

    def check(self, xml: bytes) -> list[Problem]:
        """Every problem that would stop :meth:`deploy` (empty: deployable)."""
        meta, problems = _analyse_guarded(_as_bytes(xml), self.allow_scripts)
        if problems or meta is None:
            return problems or [_NOT_A_PROCESS]
        try:
            parse_spec(_as_bytes(xml), meta.key)
        except DefinitionInvalid as exc:
            return list(exc.problems)
        return []

    def deploy(
        self, xml: bytes, filename: str = "", user: str = "", note: DeployNote | None = None
    ) -> DeployResult:
        """Store a new version (or return the latest one when its content is identical);
        a new version gets its deploy record (engine.deployments) in the same transaction."""
        data = _as_bytes(xml)
        meta, problems = _analyse_guarded(data, self.allow_scripts)
        if problems or meta is None:
            raise DefinitionInvalid(problems or [_NOT_A_PROCESS])
        sha = hashlib.sha256(data).hexdigest()
        cached_spec(sha, data, meta.key)  # raises DefinitionInvalid for SpiffWorkflow errors
        for _attempt in range(3):
            try:
                with self.store.begin() as conn:
                    if self.store.dialect == "postgresql":  # one deploy per key at a time
                        conn.execute(
                            sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                            {"k": f"alur-deploy:{meta.key}"},
                        )
                    latest = conn.execute(
                        sa.select(*_LIGHT)
                        .where(definitions.c.key == meta.key)
                        .order_by(definitions.c.version.desc())
                        .limit(1)
                    ).first()
                    if latest is not None and latest.sha256 == sha:
                        return DeployResult(_row_to_definition(latest), created=False)
                    version = (latest.version if latest is not None else 0) + 1
                    result = conn.execute(
                        definitions.insert().values(
                            key=meta.key,
                            name=meta.name,
                            version=version,
                            sha256=sha,
                            xml=data,
                            meta=json.dumps(meta.to_dict(), ensure_ascii=False),
                            filename=filename,
                            deployed_at=utcnow(),
                            deployed_by=user,
                        )
                    )
                    new_id = inserted_id(result)
                    row = conn.execute(sa.select(*_LIGHT).where(definitions.c.id == new_id)).one()
                    record_deployment(
                        conn,
                        definition_id=new_id,
                        key=meta.key,
                        version=version,
                        at=row.deployed_at,
                        user=user,
                        filename=filename,
                        note=note or DeployNote(),
                    )
                    return DeployResult(_row_to_definition(row), created=True)
            except sa.exc.IntegrityError:  # a concurrent deploy took this version number
                continue
        raise Conflict("Pemasangan bersamaan gagal; coba lagi")

    def list(self, definition_rows: int | None = None) -> list[Definition]:
        """The latest version of every process, by name. Read on every page that filters by
        process, so the statement is built once and a version already seen is taken from the
        memo (its stored analysis is not parsed again; the hash guards a replaced row).

        ``definition_rows``: the :data:`DEFINITION_ROWS` stamp a statement of this request
        read (:attr:`engine.queries.DeskCounts.definition_rows`). When the list was last read
        with that same stamp, nothing was deployed since, by this process or any other, and
        the list is given without a read; otherwise (or without a stamp) it is read, with its
        stamp in the same statement."""
        listed = self._listed
        if definition_rows is not None and listed is not None and listed[0] == definition_rows:
            return builtins.list(listed[1])
        with self.store.begin(write=False, snapshot=False) as conn:
            rows = conn.execute(_LATEST).all()
        found: builtins.list[Definition] = []
        for row in rows:
            hit = self._by_id.get(row.id)
            if hit is None or hit.sha256 != row.sha256:
                hit = self._by_id[row.id] = _row_to_definition(row)
            found.append(hit)
        # no rows: the same snapshot saw no definition at all
        self._listed = (int(rows[0].definition_rows) if rows else 0, found)
        return builtins.list(found)

    def versions(self, key: str) -> builtins.list[Definition]:
        query = sa.select(*_LIGHT).where(definitions.c.key == key).order_by(definitions.c.version)
        with self.store.begin(write=False) as conn:
            rows = conn.execute(query).all()
        if not rows:
            raise NotFound(f"Proses {key} tidak ditemukan")
        return [_row_to_definition(r) for r in rows]

    def get(self, key: str, version: int | None = None) -> Definition:
        if version is not None and not 0 <= version <= MAX_ID:  # would overflow the column
            raise NotFound(f"Proses {key} versi {version} tidak ditemukan")
        query = sa.select(*_LIGHT).where(definitions.c.key == key)
        if version is None:
            query = query.order_by(definitions.c.version.desc()).limit(1)
        else:
            query = query.where(definitions.c.version == version)
        with self.store.begin(write=False) as conn:
            row = conn.execute(query).first()
        if row is None:
            which = f" versi {version}" if version is not None else ""
            raise NotFound(f"Proses {key}{which} tidak ditemukan")
        return _row_to_definition(row)

    def get_by_id(self, definition_id: int) -> Definition:
        """A definition by id (memoised: a deployed version never changes)."""
        hit = self._by_id.get(definition_id)
        if hit is not None:
            return hit
        with self.store.begin(write=False) as conn:
            row = definition_row(conn, definition_id, *_LIGHT)
        self._by_id[definition_id] = _row_to_definition(row)
        return self._by_id[definition_id]

    def xml(self, definition_id: int) -> bytes:
        with self.store.begin(write=False) as conn:
            row = definition_row(conn, definition_id, definitions.c.xml)
        return bytes(row.xml)

    def meta(self, definition_id: int) -> Analysis:
        """The deploy-time analysis (tasks, lanes, forms); immutable per id, so memoised."""
        if definition_id not in self._meta:
            with self.store.begin(write=False) as conn:
                row = definition_row(conn, definition_id, definitions.c.meta)
            self._meta[definition_id] = _stored_analysis(row.meta)
        return self._meta[definition_id]

    def spec(self, definition_id: int) -> tuple[Any, Any]:
        """The parsed SpiffWorkflow (spec, subprocess specs), cached by content hash."""
        with self.store.begin(write=False) as conn:
            row = definition_row(conn, definition_id, definitions.c.sha256, definitions.c.key)
            with _SPEC_LOCK:
                hit = _SPEC_CACHE.get(row.sha256)
            if hit is not None:
                return hit
            xml = conn.execute(
                sa.select(definitions.c.xml).where(definitions.c.id == definition_id)
            ).scalar_one()
        return cached_spec(row.sha256, bytes(xml), row.key)

    def spec_by_sha(self, sha256: str, conn: Any = None) -> tuple[Any, Any]:
        """The parsed spec of the definition whose content hash is ``sha256`` (cached).

        ``conn`` reads through the caller's open transaction (no second connection)."""
        with _SPEC_LOCK:
            hit = _SPEC_CACHE.get(sha256)
        if hit is not None:
            return hit
        query = (
            sa.select(definitions.c.xml, definitions.c.key)
            .where(definitions.c.sha256 == sha256)
            .limit(1)
        )
        if conn is not None:
            row = conn.execute(query).first()
        else:
            with self.store.begin(write=False) as own:
                row = own.execute(query).first()
        if row is None:
            raise NotFound(f"Definisi proses dengan sha256 {sha256[:12]}… tidak ditemukan")
        return cached_spec(sha256, bytes(row.xml), row.key)

    def running_count(self, definition_id: int) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(instances)
            .where(
                instances.c.definition_id == definition_id,
                instances.c.status == InstanceStatus.RUNNING,
            )
        )
        with self.store.begin(write=False) as conn:
            return int(conn.execute(query).scalar_one())

    def roles(self) -> tuple[str, ...]:
        out: list[str] = []
        with self.store.begin(write=False) as conn:
            for (meta,) in conn.execute(sa.select(definitions.c.meta)):
                for lane in _stored_analysis(meta).lanes:
                    if lane not in out:
                        out.append(lane)
        return tuple(sorted(out))


def _analyse_guarded(data: bytes, scripts: bool) -> tuple[Analysis | None, list[Problem]]:
    """:func:`analyse`, with a pathological document (too deep for a parser) reported as a
    problem instead of a RecursionError traceback or an HTTP 500."""
    try:
        return analyse(data, scripts)
    except (RecursionError, MemoryError):
        return None, [Problem("BPMN bersarang terlalu dalam untuk dibaca (nested too deeply)")]


def _as_bytes(xml: bytes | str) -> bytes:
    return xml.encode("utf-8") if isinstance(xml, str) else bytes(xml)
