"""The status enums are the very strings the store, the JSON contract and templates hold."""

from __future__ import annotations

import json

from engine.status import ElementState, InstanceStatus, TaskState


def test_members_equal_their_stored_strings() -> None:
    assert [s.value for s in InstanceStatus] == ["running", "completed", "cancelled"]
    assert [s.value for s in TaskState] == ["ready", "completed", "cancelled"]
    assert [s.value for s in ElementState] == ["completed", "active", "not_reached"]
    assert InstanceStatus("running") is InstanceStatus.RUNNING == "running"
    assert json.dumps({"status": InstanceStatus.CANCELLED}) == '{"status": "cancelled"}'


def test_every_instance_status_has_an_indonesian_label() -> None:
    assert {s: s.label for s in InstanceStatus} == {
        "running": "berjalan", "completed": "selesai", "cancelled": "dibatalkan",
    }  # fmt: skip
