"""A decision with three or more branches, deployed and run on SQLite down each branch.

The writer gives such a decision one enum value per branch on the task form and one flow per
branch out of its gateway; the engine must offer every value and take exactly the chosen
branch's flow (including a loop back that is not the reject branch).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from converters.bpmn.writer import decision_values, task_id, write_bpmn
from converters.model import END, Sop
from engine.store import Store
from tests.converters.bpmn.multi_branch_sops import MULTI_BRANCH
from tests.engine.conftest import EngineKit, make_kit


@pytest.fixture
def kit(sqlite_store: Store) -> Iterator[EngineKit]:
    yield make_kit(sqlite_store)


def _deploy(kit: EngineKit, sop: Sop, name: str):  # type: ignore[no-untyped-def]
    d = kit.definitions.deploy(write_bpmn(sop), filename=f"{name}.bpmn").definition
    return d, kit.user_per_lane(d.lanes)


def _ready(kit: EngineKit, instance_id: int):  # type: ignore[no-untyped-def]
    return [t for t in kit.runtime.instance_tasks(instance_id) if t.state == "ready"]


FORWARD = MULTI_BRANCH["tiga-cabang-maju"]
CHOICE = FORWARD.step(2).decision
assert CHOICE is not None


@pytest.mark.parametrize("index", range(len(CHOICE.branches)))
def test_each_of_three_branches_takes_its_own_flow(kit: EngineKit, index: int) -> None:
    d, users = _deploy(kit, FORWARD, "tiga-cabang-maju")
    inst = kit.runtime.start(d.key, users[d.first_lanes[0]], title=f"Cabang {index + 1}")
    (first,) = _ready(kit, inst.id)
    kit.runtime.complete(first.id, users[first.role])
    (choose,) = _ready(kit, inst.id)
    assert choose.element_id == task_id(2)
    values = decision_values(CHOICE)
    assert choose.allowed_decisions == values == ("teknis", "administratif", "keuangan")
    assert [choose.decision_labels[v] for v in values] == ["Teknis", "Administratif", "Keuangan"]

    branch = CHOICE.branches[index]
    comment = "" if index == 0 else "alasan"  # the engine asks a reason for all but the first
    result = kit.runtime.complete(choose.id, users[choose.role], values[index], comment)
    assert result.task.decision == values[index]
    assert [t.element_id for t in result.next_tasks] == [task_id(int(branch.target))]

    done = kit.drive(inst.id, users)  # the steps after the branch run in number order
    assert kit.runtime.instance(inst.id).status == "completed"
    later = [s.number for s in FORWARD.steps if s.number >= int(branch.target)]
    assert set(done) == {task_id(n) for n in later}
    skipped = {task_id(s.number) for s in FORWARD.steps if 2 < s.number < int(branch.target)}
    assert not skipped & set(done)


def test_a_third_branch_looping_back_is_taken_and_the_case_still_ends(kit: EngineKit) -> None:
    sop = MULTI_BRANCH["tiga-cabang-putar"]
    d, users = _deploy(kit, sop, "tiga-cabang-putar")
    inst = kit.runtime.start(d.key, users[d.first_lanes[0]], title="Perlu kajian")
    rt = kit.runtime
    for _ in range(3):  # steps 1-3
        (t,) = _ready(kit, inst.id)
        rt.complete(t.id, users[t.role])
    (review,) = _ready(kit, inst.id)
    assert review.allowed_decisions == ("setuju", "tidak_setuju", "perlu_kajian")
    back = rt.complete(review.id, users[review.role], "Perlu kajian", "kaji dasar hukumnya")
    assert back.task.decision == "perlu_kajian"  # the label is accepted, the value stored
    assert [t.element_id for t in back.next_tasks] == [task_id(3)]
    (again,) = _ready(kit, inst.id)
    rt.complete(again.id, users[again.role])
    (review2,) = _ready(kit, inst.id)
    rejected = rt.complete(review2.id, users[review2.role], "tidak_setuju", "susun ulang")
    assert [t.element_id for t in rejected.next_tasks] == [task_id(1)]
    done = kit.drive(inst.id, users)
    assert rt.instance(inst.id).status == "completed"
    assert task_id(5) in done
    decisions = [h.decision for h in rt.history(inst.id) if h.element_id == task_id(4)]
    assert decisions == ["perlu_kajian", "tidak_setuju", "setuju"]
    assert rt.check_consistency(inst.id) == []


def test_a_branch_to_the_end_finishes_the_case(kit: EngineKit) -> None:
    sop = MULTI_BRANCH["empat-cabang"]
    decision = sop.step(2).decision
    assert decision is not None and decision.branches[3].target == END
    d, users = _deploy(kit, sop, "empat-cabang")
    inst = kit.runtime.start(d.key, users[d.first_lanes[0]], title="Surel")
    (first,) = _ready(kit, inst.id)
    kit.runtime.complete(first.id, users[first.role])
    (choose,) = _ready(kit, inst.id)
    assert len(choose.allowed_decisions) == 4
    result = kit.runtime.complete(choose.id, users[choose.role], "surel", "dijawab lewat surel")
    assert not result.next_tasks
    assert kit.runtime.instance(inst.id).status == "completed"
