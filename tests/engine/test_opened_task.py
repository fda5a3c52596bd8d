"""Issue 14: a completion that works from the task the request read already
(``Runtime.open_task`` then ``complete(..., opened=)``): one read per POST instead of two,
and nothing that happens between the read and the write is lost or done twice.

Counted and checked, not timed (the figures are in bench/issue14.py).
"""

from __future__ import annotations

import pytest

from engine.errors import AlreadyCompleted, NotAllowed, NotFound

from .conftest import FIXTURES, EngineKit
from .test_perf_statements import statements

SURAT = (FIXTURES / "surat_keluar.bpmn").read_bytes()
KEY = "sop_surat_keluar"


def _first_task_id(kit: EngineKit, user: str) -> str:
    return kit.runtime.instance_tasks(kit.runtime.start(KEY, user).id)[0].id


def _completions(kit: EngineKit, instance_id: int, task_id: str) -> int:
    return [(e.action, e.task_id) for e in kit.runtime.history(instance_id)].count(
        ("complete", task_id)
    )


def test_the_opened_task_is_the_task_and_its_completion_reads_nothing_more(kit: EngineKit) -> None:
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    rt = kit.runtime
    rt.complete(_first_task_id(kit, "staf"), "staf")  # warm the caches
    task_id = _first_task_id(kit, "staf")
    with statements(kit.store) as read:
        opened = rt.open_task(task_id, "staf")
    assert read == ["SELECT"]
    assert opened.task == rt.task(task_id)  # what the page checks and shows: the same row
    with statements(kit.store) as written:
        result = rt.complete(task_id, "staf", opened=opened)
    if kit.store.dialect == "sqlite":
        assert written == ["BEGIN", "UPDATE", "UPDATE", "INSERT", "INSERT", "COMMIT"], written
    else:
        assert written == ["WITH"], written
    assert result.task.state == "completed" and result.task.completed_by == "staf"
    assert [t.state for t in result.next_tasks] == ["ready"]
    assert _completions(kit, opened.task.instance_id, task_id) == 1
    assert rt.check_consistency(opened.task.instance_id) == []


def test_a_completion_by_someone_else_after_the_read_is_not_done_twice(kit: EngineKit) -> None:
    """Two colleagues of the lane open the same task; the second to submit is told who
    finished it, from a fresh read (the opened read's version no longer holds)."""
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    kit.users.add("staf2", ["Staf"])
    rt = kit.runtime
    task_id = _first_task_id(kit, "staf")
    mine = rt.open_task(task_id, "staf")
    theirs = rt.open_task(task_id, "staf2")
    rt.complete(task_id, "staf2", opened=theirs)
    with pytest.raises(AlreadyCompleted):
        rt.complete(task_id, "staf", opened=mine)
    assert _completions(kit, mine.task.instance_id, task_id) == 1
    assert rt.task(task_id).completed_by == "staf2"
    assert rt.check_consistency(mine.task.instance_id) == []


def test_a_claim_after_the_read_is_respected(kit: EngineKit) -> None:
    """A claim does not move the instance's version; the write's check of the task's holder
    still refuses the stale read, and nothing of it is kept."""
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    kit.users.add("staf2", ["Staf"])
    rt = kit.runtime
    task_id = _first_task_id(kit, "staf")
    opened = rt.open_task(task_id, "staf")
    rt.claim(task_id, "staf2")
    with pytest.raises(NotAllowed, match="staf2"):
        rt.complete(task_id, "staf", opened=opened)
    task = rt.task(task_id)
    assert task.state == "ready" and task.assignee == "staf2"
    assert _completions(kit, task.instance_id, task_id) == 0
    assert rt.complete(task_id, "staf2").task.completed_by == "staf2"
    assert rt.check_consistency(task.instance_id) == []


def test_an_opened_read_of_another_task_or_user_is_not_used(kit: EngineKit) -> None:
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    kit.users.add("tamu", ["Tamu"])
    rt = kit.runtime
    one, other = _first_task_id(kit, "staf"), _first_task_id(kit, "staf")
    as_guest = rt.open_task(one, "tamu")
    with pytest.raises(NotAllowed):  # the guest's read does not make staf's completion its own
        rt.complete(one, "tamu", opened=as_guest)
    result = rt.complete(one, "staf", opened=as_guest)  # another user's read: read again
    assert result.task.completed_by == "staf"
    result = rt.complete(other, "staf", opened=rt.open_task(one, "staf"))  # another task
    assert result.task.id == other and result.task.state == "completed"
    with pytest.raises(NotFound):
        rt.open_task("tidak-ada", "staf")
