"""``engine.commands._survey`` scans the workflow's task map instead of walking SpiffWorkflow's
task tree where it can; what it tells (the status, the ready human tasks in the tree's order,
the earliest timer) must be exactly what the walk told, at every start, completion and timer
of every process here: checked against the walk at each call while the processes run."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from engine import commands
from engine.status import InstanceStatus
from engine.store import Store, utcnow

from .conftest import FIXTURES, make_kit
from .test_pg_completion_statement import TERMINATE

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = [FIXTURES / "surat_keluar.bpmn", FIXTURES / "from_scratch.bpmn",
             *sorted((ROOT / "bpmn").glob("*.bpmn"))]  # fmt: skip


def _walked(workflow: Any, now: datetime | None) -> tuple[str, list[str], datetime | None]:
    """The survey as SpiffWorkflow's tree walk gives it (the implementation before the scan)."""
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
    from SpiffWorkflow.util.task import TaskState as SpiffState

    if workflow.is_completed():
        return InstanceStatus.COMPLETED, [], None
    ready, times = [], []
    for task in workflow.get_tasks(state=SpiffState.READY | SpiffState.WAITING):
        spec = task.task_spec
        if task.state == SpiffState.READY:
            if spec.manual:
                ready.append(str(task.id))
        elif now is not None and isinstance(
            getattr(spec, "event_definition", None), TimerEventDefinition
        ):
            times.append(commands._timer_value(task) or now)
    return InstanceStatus.RUNNING, ready, min(times) if times else None


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Every survey compared with the walk; (ready tasks, a timer pending) of each call."""
    seen: list[tuple[int, bool]] = []
    survey = commands._survey

    def compared(workflow: Any, now: datetime | None) -> commands._Survey:
        got = survey(workflow, now)
        assert (got.status, list(got.ready), got.next_timer) == _walked(workflow, now)
        seen.append((len(got.ready), got.next_timer is not None))
        return got

    monkeypatch.setattr(commands, "_survey", compared)
    return seen


@pytest.mark.parametrize("path", PROCESSES, ids=lambda p: p.stem)
def test_every_process_surveys_as_the_walk(
    sqlite_store: Store, checked: list[tuple[int, bool]], path: Path
) -> None:
    kit = make_kit(sqlite_store)
    d = kit.definitions.deploy(path.read_bytes()).definition
    users = kit.user_per_lane(kit.definitions.meta(d.id).lanes)
    first = users[d.first_lanes[0]]
    kit.drive(kit.runtime.start(d.key, first).id, users)
    kit.drive(kit.runtime.start(d.key, first).id, users, reject_first=2)
    assert checked and checked[-1] == (0, False)  # the last one: the case ended


def test_parallel_tasks_timers_and_a_terminate_survey_as_the_walk(
    sqlite_store: Store, checked: list[tuple[int, bool]]
) -> None:
    kit = make_kit(sqlite_store)
    kit.definitions.deploy((FIXTURES / "surat_keluar.bpmn").read_bytes())
    users = kit.user_per_lane(("Staf", "Kasubbag Umum", "Kepala Dinas"))
    rt = kit.runtime
    inst = rt.start("sop_surat_keluar", users["Staf"])
    kit.drive(inst.id, users, max_steps=3)  # now the parallel split, with a boundary timer
    assert (2, True) in checked  # two ready tasks (their order from the walk), a timer
    kit.clock.now = utcnow() + timedelta(days=4)  # the timer's own clock is the real one
    assert rt.fire_timers(kit.clock.now) == 1
    kit.drive(inst.id, users)
    assert rt.instance(inst.id).status == "completed"

    kit.definitions.deploy(TERMINATE)
    lanes = kit.user_per_lane(["Staf", "Kasubbag Umum"])
    two = rt.start("two_desks", lanes["Staf"])
    first = next(t for t in rt.instance_tasks(two.id) if t.element_id == "first")
    rt.complete(first.id, lanes["Staf"])  # the terminate end: the other task cancelled
    assert rt.instance(two.id).status == "completed" and checked[-1] == (0, False)


def test_several_ready_tasks_keep_the_trees_order_not_the_maps() -> None:
    """A loop inside one branch of a parallel split makes a task later than the other
    branch's, though it comes first in the tree: the rows keep the tree's order."""
    from types import SimpleNamespace

    from SpiffWorkflow.util.task import TaskState as SpiffState

    def task(name: str) -> Any:
        return SimpleNamespace(id=name, state=SpiffState.READY,
                               task_spec=SimpleNamespace(manual=True))  # fmt: skip

    looped, other = task("a_again"), task("b")
    workflow = SimpleNamespace(
        subprocesses={},
        completed=False,  # SpiffWorkflow's flag, set once its End task ran
        tasks={"b": other, "a_again": looped},  # creation order
        is_completed=lambda: False,
        get_tasks=lambda state: [looped, other],  # the tree's order
    )
    assert list(commands._survey(workflow, None).ready) == ["a_again", "b"]
    workflow.tasks = {"a_again": looped}  # one ready task: the map alone
    workflow.get_tasks = lambda state: pytest.fail("walked the tree for one ready task")
    assert list(commands._survey(workflow, None).ready) == ["a_again"]
