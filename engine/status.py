"""The statuses the engine stores and reports, one enum per concept.

Why enums of strings: the values are what the database columns (``instances.status``,
``tasks.state``), the JSON contract (``docs/engine-json.md``) and the templates already hold,
so a ``StrEnum`` member *is* that string (``InstanceStatus.RUNNING == "running"``, and
``json.dumps`` writes ``"running"``) while code gets one spelling and one list of values
instead of literals scattered over the store, the runtime and the web UI.
"""

from __future__ import annotations

from enum import StrEnum


class InstanceStatus(StrEnum):
    """Where a process instance is (``instances.status``)."""

    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """The Indonesian word the engine's messages use."""
        return _INSTANCE_LABELS[self]


_INSTANCE_LABELS = {
    InstanceStatus.RUNNING: "berjalan",
    InstanceStatus.COMPLETED: "selesai",
    InstanceStatus.CANCELLED: "dibatalkan",
}


class TaskState(StrEnum):
    """Where a human task is (``tasks.state``); only ``READY`` tasks can be worked on."""

    READY = "ready"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class ElementState(StrEnum):
    """How far an instance got with one BPMN element (the colours of the process view)."""

    COMPLETED = "completed"
    ACTIVE = "active"
    NOT_REACHED = "not_reached"
