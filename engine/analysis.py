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


@dataclass(frozen=True)
class FormField:
    """A ``camunda:formField`` of a human task; ``choices`` only for ``type == "enum"``."""

    id: str
    label: str
    type: str = "string"
    choices: tuple[Choice, ...] = ()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FormField:
        return cls(
            id=str(data.get("id") or ""),
            label=str(data.get("label") or ""),
            type=str(data.get("type") or "string"),
            choices=tuple(Choice.from_dict(v) for v in data.get("values") or ()),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "label": self.label, "type": self.type}
        if self.type == "enum":
            out["values"] = [c.to_dict() for c in self.choices]
        return out


@dataclass(frozen=True)
class Decision:
    """The decision a task asks for: its form field and the allowed values.

    The first value approves (setuju); any other one sends the case back and so needs a
    comment. The runtime writes the chosen value into ``field`` on every submit, because
    the gateway after the task tests that variable.
    """

    field: str
    values: tuple[str, ...]
    labels: Mapping[str, str]

    def label(self, value: str) -> str:
        return self.labels.get(value, value)


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
        decision = None
        if field_id:
            decision = Decision(
                field=str(field_id),
                values=tuple(str(v) for v in data.get("decisions") or ()),
                labels={str(k): str(v) for k, v in (data.get("decision_labels") or {}).items()},
            )
        return cls(
            name=str(data.get("name") or ""),
            type=str(data.get("type") or "userTask"),
            lane=str(data.get("lane") or ""),
            documentation=str(data.get("documentation") or ""),
            properties={str(k): str(v) for k, v in (data.get("properties") or {}).items()},
            fields=tuple(FormField.from_dict(f) for f in data.get("fields") or ()),
            decision=decision,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "lane": self.lane,
            "documentation": self.documentation,
            "properties": dict(self.properties),
            "fields": [f.to_dict() for f in self.fields],
            "decision_field": self.decision.field if self.decision else None,
            "decisions": list(self.decisions),
            "decision_labels": self.decision_labels,
        }


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
            tasks={
                str(k): HumanTask.from_dict(v) for k, v in (data.get("tasks") or {}).items()
            },
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
