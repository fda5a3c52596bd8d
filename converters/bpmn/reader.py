"""BPMN 2.0 → SOP model: Alur's own files, also after an analyst edited them in Camunda Modeler.

What decides what, so edits made in the Modeler win over what Alur wrote:

* **role** — the lane that lists the node (``flowNodeRef``), else the lane whose diagram bounds
  contain it; lanes are the roles, ordered top to bottom as drawn;
* **order** — the step numbers Alur stored (``camunda:property langkah``); a task without one
  (added by the analyst) comes right after the task that leads to it in the flow, and then all
  steps are renumbered 1..n; a file with no numbers at all is ordered by the flow from the
  start event;
* **decisions** — the gateway after a task and where its flows lead (through merging
  gateways); branches are ordered by the task form's enum values: a conditional flow stands
  for the value it tests, the default flow for the one value no condition tests (the second
  branch, "Tidak setuju", as the writer makes it); any number of branches is kept; labels
  are the flows' names;
* **activity** — the task's documentation, unless the analyst renamed the task (its name no
  longer equals the short name Alur derives from the documentation): then the new name;
* **Mutu Baku, identity, header sections** — the ``camunda:properties`` the writer stored.

Problems that still leave a usable SOP become :class:`ReaderWarning`s; a file that is not BPMN
or has no tasks raises :class:`ConversionError` with one line for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from converters.bpmn import names as ns
from converters.bpmn.names import BPMN, BPMNDI, CAMUNDA, DC, gateway_name, q, short_name
from converters.bpmn.properties import duration_from_properties, read_properties
from converters.bpmn.xml import line_of, parse_safely, syntax_error_text
from converters.model import (
    END,
    Approver,
    Branch,
    ConversionError,
    Decision,
    Identity,
    Provenance,
    ReaderWarning,
    Sop,
    SopDate,
    Step,
    StepRef,
)

_ACTIVITIES = ns.ACTIVITY_TAGS
_GATEWAYS = ns.GATEWAY_TAGS
# Boundary events are attached to tasks, not steps in the flow: the reader leaves them out.
_EVENTS = ns.EVENT_TAGS - {"boundaryEvent"}
_CONDITION = re.compile(r"""^\s*\$?\{?\s*(\w+)\s*==\s*["']([^"']*)["']\s*\}?\s*$""")
_PRECISIONS: dict[str, Literal["day", "month", "year"]] = {
    "day": "day",
    "month": "month",
    "year": "year",
}
LANE_PROVENANCE = Provenance("author", 1.0, ("lane BPMN",))
GEOMETRY_PROVENANCE = Provenance("column", 0.9, ("letak dalam lane pada diagram",))


@dataclass
class _Node:
    id: str
    kind: str  # local tag name
    el: etree._Element
    name: str
    incoming: list[str]
    outgoing: list[str]


@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: str
    condition: str
    el: etree._Element


def read_bpmn(data: bytes | str | Path) -> Sop:
    """The SOP model of a BPMN file (path, bytes or XML text)."""
    raw = _load(data)
    try:
        tree = parse_safely(raw)
    except ValueError as exc:  # UnsafeXml: a DOCTYPE or DTD
        raise ConversionError(str(exc)) from None
    except etree.XMLSyntaxError as exc:
        raise ConversionError(syntax_error_text(exc)) from None
    return _Reader(tree.getroot()).sop()


def _load(data: bytes | str | Path) -> bytes:
    if isinstance(data, Path):
        try:
            return data.read_bytes()
        except OSError as exc:
            raise ConversionError(f"Berkas tidak dapat dibaca: {data} ({exc.strerror})") from None
    if isinstance(data, str):
        if data.lstrip("\ufeff \t\r\n").startswith("<"):
            return data.encode("utf-8")
        return _load(Path(data))
    return data


class _Reader:
    def __init__(self, root: etree._Element) -> None:
        if root.tag != q(BPMN, "definitions"):
            raise ConversionError("Bukan dokumen BPMN 2.0 (elemen akar bukan bpmn:definitions).")
        self.root = root
        self.warnings: list[ReaderWarning] = []
        self.process = self._main_process()
        _check_format(self.process)
        self.bounds = self._bounds()
        self.nodes: dict[str, _Node] = {}
        self.flows: dict[str, _Flow] = {}
        self._collect()

    # -- structure ---------------------------------------------------------------------------

    def _main_process(self) -> etree._Element:
        processes = self.root.findall(q(BPMN, "process"))
        if not processes:
            raise ConversionError("Dokumen BPMN tidak memuat proses (bpmn:process).")
        for participant in self.root.iter(q(BPMN, "participant")):
            ref = participant.get("processRef", "")
            for p in processes:
                if p.get("id") == ref.split(":")[-1] and _has_tasks(p):
                    return p
        for p in processes:
            if _has_tasks(p):
                return p
        raise ConversionError("Proses BPMN tidak memuat satu tugas (task) pun; bukan SOP.")

    def _bounds(self) -> dict[str, tuple[float, float, float, float]]:
        out = {}
        for shape in self.root.iter(q(BPMNDI, "BPMNShape")):
            b = shape.find(q(DC, "Bounds"))
            if b is None:
                continue
            try:
                out[shape.get("bpmnElement", "")] = (
                    float(b.get("x", "0")),
                    float(b.get("y", "0")),
                    float(b.get("width", "0")),
                    float(b.get("height", "0")),
                )
            except ValueError:
                continue
        return out

    def _collect(self) -> None:
        for el in self.process:
            if not isinstance(el.tag, str):
                continue
            local = etree.QName(el).localname
            if local == "sequenceFlow":
                cond_el = el.find(q(BPMN, "conditionExpression"))
                self.flows[el.get("id", "")] = _Flow(
                    el.get("id", ""),
                    _ref(el.get("sourceRef", "")),
                    _ref(el.get("targetRef", "")),
                    el.get("name", ""),
                    (cond_el.text or "") if cond_el is not None else "",
                    el,
                )
            elif local in _ACTIVITIES | _GATEWAYS | _EVENTS:
                self.nodes[el.get("id", "")] = _Node(
                    el.get("id", ""), local, el, el.get("name", ""), [], []
                )
        for f in self.flows.values():
            if f.source in self.nodes:
                self.nodes[f.source].outgoing.append(f.id)
            if f.target in self.nodes:
                self.nodes[f.target].incoming.append(f.id)

    # -- lanes -------------------------------------------------------------------------------

    def _lanes(self) -> list[tuple[str, str, set[str]]]:
        """Leaf lanes as (id, name, member ids), top to bottom as drawn."""
        leaves: list[etree._Element] = []

        def walk(lane_set: etree._Element) -> None:
            for lane in lane_set.findall(q(BPMN, "lane")):
                child = lane.find(q(BPMN, "childLaneSet"))
                if child is not None and child.findall(q(BPMN, "lane")):
                    walk(child)
                else:
                    leaves.append(lane)

        for lane_set in self.process.findall(q(BPMN, "laneSet")):
            walk(lane_set)
        lanes = []
        for i, lane in enumerate(leaves, 1):
            name = (lane.get("name") or "").strip() and lane.get("name", "")
            if not name:
                name = f"Peran {i}"
                self.warnings.append(
                    ReaderWarning(
                        f"Lane {lane.get('id', '')} tanpa nama; dinamai “{name}”.",
                        "role-added",
                        line_of(lane),
                    )
                )
            refs = {(r.text or "").strip() for r in lane.findall(q(BPMN, "flowNodeRef"))}
            lanes.append((lane.get("id", ""), name, refs))
        if lanes and all(lid in self.bounds for lid, _, _ in lanes):
            lanes.sort(key=lambda lane: self.bounds[lane[0]][1])
        return lanes

    def _role_of(
        self, node_id: str, lanes: list[tuple[str, str, set[str]]]
    ) -> tuple[str | None, Provenance]:
        for _, name, refs in lanes:
            if node_id in refs:
                return name, LANE_PROVENANCE
        b = self.bounds.get(node_id)
        if b is not None:
            cx, cy = b[0] + b[2] / 2, b[1] + b[3] / 2
            for lid, name, _ in lanes:
                lb = self.bounds.get(lid)
                if lb and lb[0] <= cx <= lb[0] + lb[2] and lb[1] <= cy <= lb[1] + lb[3]:
                    return name, GEOMETRY_PROVENANCE
        return None, LANE_PROVENANCE

    # -- the flow ----------------------------------------------------------------------------

    def _succ(self, node_id: str) -> list[str]:
        return [self.flows[f].target for f in self.nodes[node_id].outgoing if f in self.flows]

    def _flow_order(self) -> dict[str, int]:
        """Reverse post-order of a depth-first walk from the start events: forward edges go
        from lower to higher rank, loop-backs the other way."""
        starts = [n for n in self.nodes.values() if n.kind == "startEvent"] or [
            n for n in self.nodes.values() if not n.incoming
        ]
        seen: set[str] = set()
        post: list[str] = []
        for s in [*starts, *self.nodes.values()]:
            if s.id in seen:
                continue
            stack: list[tuple[str, int]] = [(s.id, 0)]
            seen.add(s.id)
            while stack:
                nid, i = stack.pop()
                succ = [t for t in self._succ(nid) if t in self.nodes]
                if i < len(succ):
                    stack.append((nid, i + 1))
                    t = succ[i]
                    if t not in seen:
                        seen.add(t)
                        stack.append((t, 0))
                else:
                    post.append(nid)
        return {nid: rank for rank, nid in enumerate(reversed(post))}

    def _next_task(self, node_id: str, tasks: set[str]) -> StepRef | str | None:
        """Follow the flow from ``node_id`` through merging gateways and events to a task id
        (returned as str), the end (:data:`END`), or None for a dead end."""
        seen: set[str] = set()
        current = node_id
        while current not in seen:
            seen.add(current)
            if current in tasks:
                return current
            node = self.nodes.get(current)
            if node is None:
                return None
            if node.kind == "endEvent":
                return END
            succ = self._succ(current)
            if not succ:
                return None
            current = succ[0]
        return None

    # -- the model ---------------------------------------------------------------------------

    def sop(self) -> Sop:
        lanes = self._lanes()
        roles = [name for _, name, _ in lanes]
        tasks = {nid for nid, n in self.nodes.items() if n.kind in _ACTIVITIES}
        rank = self._flow_order()
        props = {nid: read_properties(self.nodes[nid].el) for nid in tasks}

        stored: dict[str, int] = {}
        for nid in tasks:
            value = props[nid].get(ns.P_NUMBER, "")
            if value.strip().isdigit():
                stored[nid] = int(value)
        if len(set(stored.values())) != len(stored):  # copied tasks: numbers are not trusted
            self.warnings.append(
                ReaderWarning("Nomor langkah ganda; urutan diambil dari alur.", "number-guessed")
            )
            stored = {}
        order = self._order(tasks, stored, rank)
        if len(stored) == len(tasks) and sorted(stored.values()) == list(range(1, len(tasks) + 1)):
            number_of = {nid: stored[nid] for nid in order}
        else:  # tasks added or deleted in the Modeler: number the steps 1..n again
            number_of = {nid: i for i, nid in enumerate(order, 1)}
            if len(stored) == len(tasks):
                self.warnings.append(
                    ReaderWarning(
                        "Nomor langkah tidak berurutan (ada tugas yang dihapus); "
                        "langkah dinomori ulang 1..n.",
                        "number-guessed",
                    )
                )

        steps = []
        previous_role = roles[0] if roles else ""
        for nid in order:
            step = self._step(nid, number_of, props[nid], lanes, tasks, previous_role)
            if step.role not in roles:
                roles.append(step.role)
            previous_role = step.role
            steps.append(step)
        self._check_sequence(order, steps, tasks)
        identity, sections = self._identity()
        return Sop(
            identity=identity,
            roles=tuple(roles),
            steps=tuple(steps),
            warnings=tuple(self.warnings),
            source_format="bpmn",
            **sections,
        )

    def _check_sequence(self, order: list[str], steps: list[Step], tasks: set[str]) -> None:
        """The SOP model says a step without a decision hands over to the next step; warn
        where the drawn flow says otherwise, since that part of the drawing is not kept."""
        for i, (nid, step) in enumerate(zip(order, steps, strict=True)):
            if step.decision is not None:
                continue
            node = self.nodes[nid]
            expected = order[i + 1] if i + 1 < len(order) else END
            found = [self._next_task(t, tasks) for t in self._succ(nid)]
            if len(found) > 1:
                message = (
                    f"Langkah {step.number} bercabang tanpa gateway keputusan; "
                    "hanya urutan langkah yang dibaca."
                )
            elif found and found[0] is not None and found[0] != expected:
                message = (
                    f"Alur dari langkah {step.number} tidak menuju langkah berikutnya; "
                    "SOP mengikuti urutan nomor langkah."
                )
            else:
                continue
            self.warnings.append(
                ReaderWarning(message, "flow-ignored", line_of(node.el), step.number)
            )

    def _order(self, tasks: set[str], stored: dict[str, int], rank: dict[str, int]) -> list[str]:
        """Numbered tasks by number; each new task right after the task that leads to it."""
        big = len(self.nodes) + 1

        def anchor(nid: str) -> int:
            # walk back along forward flows (lower rank) to the nearest numbered task
            frontier, seen = [nid], {nid}
            while frontier:
                nxt = []
                for cur in frontier:
                    for fid in self.nodes[cur].incoming:
                        src = self.flows[fid].source if fid in self.flows else ""
                        if src not in self.nodes or src in seen:
                            continue
                        if rank.get(src, big) >= rank.get(cur, big):
                            continue  # a loop-back, not what leads here
                        if src in stored:
                            return stored[src]
                        seen.add(src)
                        nxt.append(src)
                frontier = nxt
            return 0

        def key(nid: str) -> tuple[int, int, int]:
            if nid in stored:
                return (stored[nid], 0, 0)
            self.warnings.append(
                ReaderWarning(
                    f"Tugas “{self.nodes[nid].name or nid}” ditambahkan di BPMN; Mutu Baku kosong.",
                    "step-added",
                    line_of(self.nodes[nid].el),
                )
            )
            return (anchor(nid), 1, rank.get(nid, big))

        return sorted(tasks, key=key)

    def _step(
        self,
        nid: str,
        number_of: dict[str, int],
        props: dict[str, str],
        lanes: list[tuple[str, str, set[str]]],
        tasks: set[str],
        previous_role: str,
    ) -> Step:
        node = self.nodes[nid]
        number = number_of[nid]
        role, provenance = self._role_of(nid, lanes)
        group = (node.el.get(q(CAMUNDA, "candidateGroups")) or "").split(",")[0].strip()
        if role is None and not lanes and group and "${" not in group:
            # drawn without lanes: the Modeler's candidate group is the role, as the engine says
            role, provenance = (
                group,
                Provenance("candidateGroups", 0.9, ("camunda:candidateGroups",)),
            )
        if role is None:
            role = previous_role or "Pelaksana"
            provenance = Provenance("order", 0.3, ("tugas di luar semua lane",))
            self.warnings.append(
                ReaderWarning(
                    f"Tugas “{node.name}” tidak berada di lane mana pun; peran ditebak: {role}.",
                    "role-guessed",
                    line_of(node.el),
                    number,
                )
            )
        doc_el = node.el.find(q(BPMN, "documentation"))
        documentation = (doc_el.text or "") if doc_el is not None else ""
        if doc_el is not None and node.name == short_name(
            documentation, _int(props.get(ns.P_NUMBER), number)
        ):
            activity = documentation
        elif node.name.strip():
            activity = node.name
        else:
            activity = documentation
        other_roles = tuple(
            value
            for _, value in sorted(
                (int(k.rsplit("_", 1)[1]), v)
                for k, v in props.items()
                if k.startswith(ns.P_OTHER_ROLES + "_") and k.rsplit("_", 1)[1].isdigit()
            )
        )
        return Step(
            number=number,
            activity=activity,
            role=role,
            other_roles=other_roles,
            role_provenance=provenance,
            requirements=props.get(ns.P_REQUIREMENTS, ""),
            duration=duration_from_properties(props),
            output=props.get(ns.P_OUTPUT, ""),
            notes=props.get(ns.P_NOTES, ""),
            decision=self._decision(nid, number_of, props, tasks),
        )

    def _decision(
        self, nid: str, number_of: dict[str, int], props: dict[str, str], tasks: set[str]
    ) -> Decision | None:
        node = self.nodes[nid]
        gateway = None
        for fid in node.outgoing:
            target = self.nodes.get(self.flows[fid].target) if fid in self.flows else None
            if (
                target is not None
                and target.kind == "exclusiveGateway"
                and len(target.outgoing) > 1
            ):
                gateway = target
                break
        if gateway is None:
            return None
        flows = [self.flows[f] for f in gateway.outgoing if f in self.flows]
        values = _enum_values(node.el)
        default = _ref(gateway.el.get("default", ""))
        value_of = _flow_values(flows, values, default)

        def branch_rank(f: _Flow) -> tuple[int, int]:
            value = value_of[f.id]
            if value in values:
                return (0, values.index(value))
            if f.id == default:  # the default flow whose value cannot be told
                return (2, 0)
            return (1, 0)

        flows.sort(key=branch_rank)
        enum_names = _enum_names(node.el)
        second_name = (list(enum_names.values())[1:2] or ["Tidak setuju"])[0]
        branches = []
        for i, f in enumerate(flows):
            label = f.name or enum_names.get(value_of[f.id], "")
            if not label and i < 2:
                label = ("Setuju", second_name)[i]
            elif not label:
                label = value_of[f.id] or f"Pilihan {i + 1}"
            t = self._next_task(f.target, tasks)
            if t is None:
                self.warnings.append(
                    ReaderWarning(
                        f"Cabang “{f.name}” tidak berujung; dianggap selesai.",
                        "decision-target-guessed",
                        line_of(f.el),
                        number_of[nid],
                    )
                )
                t = END
            branches.append(Branch(label, END if t == END else number_of[str(t)]))
        question = props.get(ns.P_QUESTION)
        written = list(enum_names.values())
        first_written = written[0] if len(written) == len(flows) else branches[0].label
        as_written = Decision(END, END, labels=(first_written, ""), question=question or "")
        if question is None or gateway.name != gateway_name(as_written):
            question = gateway.name  # the analyst renamed the diamond (or no Alur property)
        return Decision.of_branches(branches, question=question)

    # -- identity ----------------------------------------------------------------------------

    def _identity(self) -> tuple[Identity, dict[str, tuple[str, ...]]]:
        props = read_properties(self.process)
        fields = {attr: props.get(key, "") for attr, key in ns.IDENTITY_KEYS}
        if ns.FORMAT_PROPERTY not in props and not fields["name"]:
            fields["name"] = self.process.get("name", "")
        dates: dict[str, SopDate | None] = {}
        for attr, key in ns.DATE_KEYS:
            if key not in props:
                dates[attr] = None
                continue
            value = None
            iso = props.get(f"{key}_iso", "")
            if iso:
                try:
                    value = date.fromisoformat(iso)
                except ValueError:
                    self.warnings.append(
                        ReaderWarning(f"Tanggal {key}_iso tidak valid: {iso}", "note")
                    )
            precision = _PRECISIONS.get(props.get(f"{key}_presisi", ""))
            dates[attr] = SopDate(props[key], value, precision)
        approver = None
        if any(f"{ns.APPROVER_PREFIX}_{key}" in props for _, key in ns.APPROVER_KEYS):
            approver = Approver(
                **{
                    attr: props.get(f"{ns.APPROVER_PREFIX}_{key}", "")
                    for attr, key in ns.APPROVER_KEYS
                }
            )
        # the keys come from ns.IDENTITY_KEYS / ns.DATE_KEYS, so mypy cannot match them
        # to Identity's fields one by one
        values: dict[str, Any] = {**fields, **dates}
        identity = Identity(**values, approved_by=approver)
        sections = {attr: _numbered(props, key) for attr, key in ns.SECTION_KEYS}
        return identity, sections


# -- helpers ---------------------------------------------------------------------------------


def _check_format(process: etree._Element) -> None:
    """Refuse a file written by a newer Alur, whose properties may mean something else.

    A BPMN without the property (drawn in Camunda Modeler or another tool) is read as it is.
    """
    value = read_properties(process).get(ns.FORMAT_PROPERTY)
    if value is None:
        return
    supported = int(ns.FORMAT_VERSION)
    try:
        version = int(value.strip())
    except ValueError:
        version = None
    if version is None or version > supported:
        raise ConversionError(
            f"Format BPMN Alur “{value}” tidak didukung (paling baru: {supported}); "
            f"perbarui Alur. / Alur BPMN format “{value}” is not supported "
            f"(newest: {supported}); update Alur."
        )


def _has_tasks(process: etree._Element) -> bool:
    return any(
        isinstance(el.tag, str) and etree.QName(el).localname in _ACTIVITIES for el in process
    )


def _ref(value: str) -> str:
    return value.split(":", 1)[1] if ":" in value else value


def _numbered(props: dict[str, str], key: str) -> tuple[str, ...]:
    items = []
    for name, value in props.items():
        head, _, index = name.rpartition("_")
        if head == key and index.isdigit():
            items.append((int(index), value))
    return tuple(v for _, v in sorted(items))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None and value.strip() else default
    except ValueError:
        return default


def _form_field(task: etree._Element) -> etree._Element | None:
    for field in task.iter(q(CAMUNDA, "formField")):
        if field.get("id") == ns.DECISION_FIELD:
            return field
    return None


def _enum_values(task: etree._Element) -> list[str]:
    field = _form_field(task)
    if field is None:
        return []
    return [v.get("id", "") for v in field.findall(q(CAMUNDA, "value"))]


def _enum_names(task: etree._Element) -> dict[str, str]:
    field = _form_field(task)
    if field is None:
        return {}
    return {v.get("id", ""): v.get("name", "") for v in field.findall(q(CAMUNDA, "value"))}


def _flow_values(flows: list[_Flow], values: list[str], default: str) -> dict[str, str]:
    """The decision value each gateway flow stands for: the value its condition tests, and
    for the default flow the one enum value no other flow tests (the writer's second branch);
    "" when that cannot be told (a foreign file, several untested values)."""
    tested = {_cond_value(f.condition) for f in flows if f.id != default}
    untested = [v for v in values if v not in tested]
    out = {}
    for f in flows:
        if f.condition and f.id != default:
            out[f.id] = _cond_value(f.condition)
        else:
            out[f.id] = untested[0] if f.id == default and len(untested) == 1 else ""
    return out


def _cond_value(condition: str) -> str:
    m = _CONDITION.match(condition)
    return m.group(2) if m else ""
