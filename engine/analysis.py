"""What deploy learns about a process, typed: lanes, human tasks, forms, decisions, elements.

Why it exists: the runtime must never re-read a definition's XML (it would be parsed on every
task completion), so :func:`engine.definitions.analyse` extracts what the runtime and the web
UI need once, at deploy, and the store keeps it as JSON in ``definitions.meta``. These frozen
classes are that JSON with names and types. ``to_dict`` writes exactly the JSON earlier
versions wrote and ``from_dict`` reads every row already stored (keys missing from older rows
take their defaults), so no migration is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Choice:
    """One value of an enum form field: the stored ``id`` and the ``name`` users see."""

    id: str
    name: str

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Choice:
        value = str(data.get("id") or "")
        return cls(id=value, name=str(data.get("name") or value))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


FORM_TYPES = ("string", "long", "boolean", "date", "enum")
"""Camunda's generated-form field types, the ones the task page renders and validates."""


@dataclass(frozen=True)
class FormField:
    """A ``camunda:formField`` of a human task; ``choices`` only for ``type == "enum"``.

    ``default`` is the Modeler's ``defaultValue`` text; ``required``/``readonly`` and the
    ``minimum``/``maximum`` bounds (numbers for ``long``, lengths for ``string``, ISO dates for
    ``date``) come from its ``camunda:validation`` constraints. The JSON keeps only what is
    set, so a row stored before these existed reads back unchanged.
    """

    id: str
    label: str
    type: str = "string"
    choices: tuple[Choice, ...] = ()
    default: str = ""
    required: bool = False
    readonly: bool = False
    minimum: str = ""
    maximum: str = ""

    @property
    def title(self) -> str:
        """What users see: the label, or the id when the analyst gave none."""
        return self.label or self.id

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FormField:
        return cls(
            id=str(data.get("id") or ""),
            label=str(data.get("label") or ""),
            type=str(data.get("type") or "string"),
            choices=tuple(Choice.from_dict(v) for v in data.get("values") or ()),
            default=str(data.get("default") or ""),
            required=bool(data.get("required")),
            readonly=bool(data.get("readonly")),
            minimum=str(data.get("min") or ""),
            maximum=str(data.get("max") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "label": self.label, "type": self.type}
        if self.type == "enum":
            out["values"] = [c.to_dict() for c in self.choices]
        extra = {"default": self.default, "required": self.required,
                 "readonly": self.readonly, "min": self.minimum, "max": self.maximum}  # fmt: skip
        out.update({k: v for k, v in extra.items() if v})
        return out


@dataclass(frozen=True)
class DecisionOption:
    """One button of a decision: what it stores, what it shows, what it sets.

    ``sets`` are the process variables that make exactly this branch's condition hold (for
    ``${lengkap}`` / ``${!lengkap}``: ``lengkap`` true / false; for Alur's own n-ary decision:
    ``keputusan = "value"``). ``needs_comment``: the branch sends the case back (or, for
    Alur's own decisions, is not the approving first value), so a reason is required.
    """

    value: str
    label: str
    sets: Mapping[str, Any]
    needs_comment: bool = False
    flow: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DecisionOption:
        value = str(data.get("value") or "")
        return cls(
            value=value,
            label=str(data.get("label") or value),
            sets=dict(data.get("sets") or {}),
            needs_comment=bool(data.get("needs_comment")),
            flow=str(data.get("flow") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label, "sets": dict(self.sets),
                "needs_comment": self.needs_comment, "flow": self.flow}  # fmt: skip


@dataclass(frozen=True)
class Decision:
    """The decision a task asks for: the allowed values and what each one sets.

    Two shapes. Alur's own (and any enum form field the following gateway tests): ``field``
    is the enum, the first value approves (setuju) and any other one sends the case back and
    so needs a comment. Drawn in Camunda Modeler: a user task followed by an exclusive
    gateway, one option per outgoing flow (``field`` empty), each setting the variables that
    make its flow's condition hold; the branch that goes back needs the comment. Either way
    the runtime writes the chosen option's variables on every submit, because the gateway
    after the task tests them and a loop's second pass must not reuse the first answer.
    """

    field: str
    values: tuple[str, ...]
    labels: Mapping[str, str]
    options: tuple[DecisionOption, ...] = ()
    gateway: str = ""

    def __post_init__(self) -> None:
        if not self.options:  # the enum shape: derived, so old stored rows get them too
            derived = tuple(
                DecisionOption(v, self.labels.get(v, v), {self.field: v}, i > 0)
                for i, v in enumerate(self.values)
            )
            object.__setattr__(self, "options", derived)

    def label(self, value: str) -> str:
        return self.labels.get(value, value)

    def option(self, value: str) -> DecisionOption | None:
        return next((o for o in self.options if o.value == value), None)

    @property
    def needs_comment(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options if o.needs_comment)


@dataclass(frozen=True)
class HumanTask:
    """A user or manual task: where it sits, what it shows, and what it asks for."""

    name: str = ""
    type: str = "userTask"
    lane: str = ""
    documentation: str = ""
    properties: Mapping[str, str] = field(default_factory=dict)  # Mutu Baku (duration, output)
    fields: tuple[FormField, ...] = ()
    decision: Decision | None = None
    assignee: str = ""  # camunda:assignee: the one user the task always goes to
    due_date: str = ""  # camunda:dueDate: an ISO 8601 date or duration

    @property
    def form_fields(self) -> tuple[FormField, ...]:
        """The fields the task page shows as inputs (the decision's enum is its buttons)."""
        field_id = self.decision.field if self.decision else ""
        return tuple(f for f in self.fields if f.id != field_id)

    @property
    def decisions(self) -> tuple[str, ...]:
        """The allowed decision values (empty: the task needs no decision)."""
        return self.decision.values if self.decision else ()

    @property
    def decision_labels(self) -> dict[str, str]:
        return dict(self.decision.labels) if self.decision else {}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> HumanTask:
        field_id = data.get("decision_field")
        options = tuple(DecisionOption.from_dict(o) for o in data.get("decision_options") or ())
        decision = None
        if field_id or options:
            decision = Decision(
                field=str(field_id or ""),
                values=tuple(str(v) for v in data.get("decisions") or ()),
                labels={str(k): str(v) for k, v in (data.get("decision_labels") or {}).items()},
                options=options,
                gateway=str(data.get("decision_gateway") or ""),
            )
        return cls(
            name=str(data.get("name") or ""),
            type=str(data.get("type") or "userTask"),
            lane=str(data.get("lane") or ""),
            documentation=str(data.get("documentation") or ""),
            properties={str(k): str(v) for k, v in (data.get("properties") or {}).items()},
            fields=tuple(FormField.from_dict(f) for f in data.get("fields") or ()),
            decision=decision,
            assignee=str(data.get("assignee") or ""),
            due_date=str(data.get("due_date") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "lane": self.lane,
            "documentation": self.documentation,
            "properties": dict(self.properties),
            "fields": [f.to_dict() for f in self.fields],
            "decision_field": (self.decision.field or None) if self.decision else None,
            "decisions": list(self.decisions),
            "decision_labels": self.decision_labels,
        }
        if self.decision is not None and not self.decision.field:  # drawn: options say it all
            out["decision_options"] = [o.to_dict() for o in self.decision.options]
            out["decision_gateway"] = self.decision.gateway
        out.update({k: v for k, v in (("assignee", self.assignee),
                                      ("due_date", self.due_date)) if v})  # fmt: skip
        return out


NO_TASK = HumanTask(name="", type="", lane="")
"""Stands in for a task row whose element the analysis does not know (an edited row)."""


@dataclass(frozen=True)
class Element:
    """A flow node the engine runs (for status colours and the timers' audit lines)."""

    name: str
    type: str
    lane: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Element:
        return cls(
            name=str(data.get("name") or ""),
            type=str(data.get("type") or ""),
            lane=str(data.get("lane") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "lane": self.lane}


@dataclass(frozen=True)
class Analysis:
    """The deploy-time analysis of one process (``definitions.meta``).

    ``first_lanes``: the lanes of the human tasks met first from the start event, i.e. the
    roles that may start the process.
    """

    key: str
    name: str
    lanes: tuple[str, ...] = ()
    tasks: Mapping[str, HumanTask] = field(default_factory=dict)
    elements: Mapping[str, Element] = field(default_factory=dict)
    first_lanes: tuple[str, ...] = ()

    def task(self, element_id: str) -> HumanTask:
        """The human task ``element_id`` (:data:`NO_TASK` when the analysis has none)."""
        return self.tasks.get(element_id, NO_TASK)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Analysis:
        return cls(
            key=str(data.get("key") or ""),
            name=str(data.get("name") or ""),
            lanes=tuple(str(x) for x in data.get("lanes") or ()),
            tasks={str(k): HumanTask.from_dict(v) for k, v in (data.get("tasks") or {}).items()},
            elements={
                str(k): Element.from_dict(v) for k, v in (data.get("elements") or {}).items()
            },
            first_lanes=tuple(str(x) for x in data.get("first_lanes") or ()),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "lanes": list(self.lanes),
            "tasks": {k: t.to_dict() for k, t in self.tasks.items()},
            "elements": {k: e.to_dict() for k, e in self.elements.items()},
            "first_lanes": list(self.first_lanes),
        }
