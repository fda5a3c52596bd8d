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

import ast
import builtins
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

from converters.bpmn.names import BPMN, CAMUNDA, q
from converters.bpmn.properties import read_properties
from converters.bpmn.validate import Problem, parse_safely, validate_bpmn
from engine.analysis import Analysis, Choice, Decision, Element, FormField, HumanTask
from engine.conditions import check_condition, is_timer_literal, safe_evaluate
from engine.errors import Conflict, DefinitionInvalid, NotFound
from engine.records import definition_row
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


def _form(el: etree._Element) -> tuple[tuple[FormField, ...], Decision | None]:
    """All form fields of a task, and its decision (the first enum with values) if any."""
    fields: list[FormField] = []
    decision: Decision | None = None
    path = f"{q(BPMN, 'extensionElements')}/{q(CAMUNDA, 'formData')}/{q(CAMUNDA, 'formField')}"
    for node in el.iterfind(path):
        kind = node.get("type") or "string"
        choices: tuple[Choice, ...] = ()
        if kind == "enum":
            choices = tuple(
                Choice(v.get("id") or "", v.get("name") or v.get("id") or "")
                for v in node.findall(q(CAMUNDA, "value"))
            )
        form_field = FormField(node.get("id") or "", node.get("label") or "", kind, choices)
        if decision is None and choices:
            decision = Decision(
                field=form_field.id,
                values=tuple(c.id for c in choices),
                labels={c.id: c.name for c in choices},
            )
        fields.append(form_field)
    return tuple(fields), decision


def _condition_names(expression: str) -> set[str]:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


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
    problems += _condition_problems(process, tasks)
    problems += _unreachable(graph)
    problems += _uncovered_decisions(process, nodes, tasks)
    analysis = Analysis(
        key=key,
        name=_squash(process.get("name") or _participant_name(root, key) or key),
        lanes=tuple(lanes),
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
        elif kind not in _HARMLESS:
            what = _KIND_NAMES.get(kind, kind)
            problems.append(_problem(child, f"Elemen {_label(child)} tidak didukung: {what}"))
    if not any(_local(n) == "startEvent" for n in nodes.values()):
        problems.append(_problem(process, "Proses tidak memiliki start event"))
    return nodes, elements, problems


def _human_tasks(
    nodes: Mapping[str, etree._Element], lane_of: Mapping[str, str]
) -> tuple[dict[str, HumanTask], list[Problem]]:
    """Each user/manual task with its lane, form and Mutu Baku properties; a task outside a
    named lane is a problem, because the lane name is the role that may work on it."""
    tasks: dict[str, HumanTask] = {}
    problems: list[Problem] = []
    for node_id, node in nodes.items():
        kind = _local(node)
        if kind not in HUMAN_TASKS:
            continue
        lane = lane_of.get(node_id, "")
        if not lane:
            problems.append(
                _problem(node, f"Tugas {_label(node)} tidak berada di lane yang bernama (peran)")
            )
        fields, decision = _form(node)
        tasks[node_id] = HumanTask(
            name=_squash(node.get("name") or node_id),
            type=kind,
            lane=lane,
            documentation=_text(node.find(q(BPMN, "documentation"))),
            properties=read_properties(node),
            fields=fields,
            decision=decision,
        )
    return tasks, problems


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


def _condition_problems(
    process: etree._Element, tasks: Mapping[str, HumanTask]
) -> list[Problem]:
    """Conditions outside the safe subset, and conditions naming a variable no task's form
    writes (a typo there would only show when a case reaches the gateway)."""
    form_fields = {f.id for t in tasks.values() for f in t.fields}
    problems: list[Problem] = []
    for flow in process.iter(q(BPMN, "sequenceFlow")):
        cond = flow.find(q(BPMN, "conditionExpression"))
        if cond is None:
            continue
        expr = (cond.text or "").strip()
        reason = check_condition(expr)
        if reason:
            problems.append(_problem(flow, f"Kondisi alur {_label(flow)} ditolak: {reason}"))
            continue
        unknown = sorted(_condition_names(expr) - form_fields - {"True", "False", "None"})
        if unknown:
            problems.append(
                _problem(
                    flow,
                    f"Kondisi alur {_label(flow)} memakai {', '.join(unknown)} yang bukan "
                    "field formulir tugas mana pun",
                )
            )
    return problems


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
        if decision is None or not decision.values:
            continue
        for flow in flows:
            gateway = nodes.get(flow.get("targetRef", ""))
            if flow.get("sourceRef") != task_id or gateway is None:
                continue
            if _local(gateway) != "exclusiveGateway" or gateway.get("default"):
                continue
            conditions = [
                (f.findtext(q(BPMN, "conditionExpression")) or "").strip()
                for f in flows
                if f.get("sourceRef") == gateway.get("id")
            ]
            if not conditions or any(not c or check_condition(c) for c in conditions):
                continue  # missing/unsafe conditions are reported elsewhere
            for value in decision.values:
                if not any(_accepts(c, {decision.field: value}) for c in conditions):
                    out.append(
                        _problem(
                            gateway,
                            f"Gateway {_label(gateway)} tidak punya alur untuk keputusan "
                            f"“{value}” dari tugas {task_id}",
                        )
                    )
    return out


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
        text = (exprs[0].text or "").strip()
        if not is_timer_literal(text):
            inner = text.strip("'\"")
            if not (text[:1] in "'\"" and is_timer_literal(inner)):
                return [
                    _problem(
                        el,
                        f"Timer {_label(el)}: nilai {text!r} bukan durasi/tanggal ISO 8601 "
                        "(mis. PT1H, P2D)",
                    )
                ]
        return []
    if kind == "startEvent" and kinds:
        return [_problem(el, f"Start event {_label(el)} tidak didukung: hanya start event biasa")]
    if kind == "endEvent" and kinds - {"terminateEventDefinition"}:
        return [_problem(el, f"End event {_label(el)} tidak didukung: hanya end event biasa")]
    return []


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
        parser.add_bpmn_xml(parse_safely(data), filename=f"{key}.bpmn")
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
_NOT_A_PROCESS = Problem("Dokumen bukan proses BPMN yang dapat dijalankan")


class Definitions:
    """Deploy, list and read process definitions; each method is one transaction."""

    def __init__(self, store: Store, config: Mapping[str, Any] | None = None) -> None:
        self.store = store
        self.config = dict(config or {})
        self.allow_scripts = allow_scripts(config)
        self._meta: dict[int, Analysis] = {}  # rows never change once deployed
        self._by_id: dict[int, Definition] = {}

    def check(self, xml: bytes) -> list[Problem]:
        """Every problem that would stop :meth:`deploy` (empty: deployable)."""
        meta, problems = analyse(_as_bytes(xml), self.allow_scripts)
        if problems or meta is None:
            return problems or [_NOT_A_PROCESS]
        try:
            parse_spec(_as_bytes(xml), meta.key)
        except DefinitionInvalid as exc:
            return list(exc.problems)
        return []

    def deploy(self, xml: bytes, filename: str = "", user: str = "") -> DeployResult:
        data = _as_bytes(xml)
        meta, problems = analyse(data, self.allow_scripts)
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
                    return DeployResult(_row_to_definition(row), created=True)
            except sa.exc.IntegrityError:  # a concurrent deploy took this version number
                continue
        raise Conflict("Pemasangan bersamaan gagal; coba lagi")

    def list(self) -> list[Definition]:
        latest = (
            sa.select(definitions.c.key, sa.func.max(definitions.c.version).label("v"))
            .group_by(definitions.c.key)
            .subquery()
        )
        query = (
            sa.select(*_LIGHT)
            .join(
                latest,
                sa.and_(definitions.c.key == latest.c.key, definitions.c.version == latest.c.v),
            )
            .order_by(definitions.c.name, definitions.c.key)
        )
        with self.store.begin(write=False) as conn:
            return [_row_to_definition(r) for r in conn.execute(query)]

    def versions(self, key: str) -> builtins.list[Definition]:
        query = sa.select(*_LIGHT).where(definitions.c.key == key).order_by(definitions.c.version)
        with self.store.begin(write=False) as conn:
            rows = conn.execute(query).all()
        if not rows:
            raise NotFound(f"Proses {key} tidak ditemukan")
        return [_row_to_definition(r) for r in rows]

    def get(self, key: str, version: int | None = None) -> Definition:
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


def _as_bytes(xml: bytes | str) -> bytes:
    return xml.encode("utf-8") if isinstance(xml, str) else bytes(xml)
