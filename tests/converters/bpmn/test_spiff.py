"""Our BPMN runs in SpiffWorkflow 3.2 (the engine): lanes, forms, decisions and reject loops."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.util.task import TaskState

from converters.bpmn.writer import decision_values, process_id, write_bpmn
from converters.model import END, Sop
from tests.converters.strategies import fixed_sops, model, model_names, sops


def _workflow(sop: Sop) -> BpmnWorkflow:
    parser = CamundaParser()
    parser.add_bpmn_str(write_bpmn(sop))
    return BpmnWorkflow(parser.get_spec(process_id(sop)))


def _run(sop: Sop, answers: dict[int, list[str]]) -> list[tuple[int, str]]:
    """Run to the end; decision step N answers with answers[N] in turn (default: approve).

    Returns (step number, lane) of every user task in the order it became ready.
    """
    wf = _workflow(sop)
    wf.do_engine_steps()
    seen: list[tuple[int, str]] = []
    for _ in range(200):
        ready = wf.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        assert len(ready) == 1, "an SOP is a sequence: one task at a time"
        task = ready[0]
        number = int(task.task_spec.bpmn_id.rsplit("_", 1)[1])
        seen.append((number, task.task_spec.lane))
        step = sop.step(number)
        if step.decision is not None:
            queue = answers.get(number, [])
            value = queue.pop(0) if queue else decision_values(step.decision)[0]
            task.data["keputusan"] = value
        task.run()
        wf.do_engine_steps()
    assert wf.is_completed()
    return seen


@pytest.mark.parametrize("name", model_names())
def test_approve_path_runs_every_step_in_its_lane(name: str):
    sop = model(name)
    seen = _run(sop, {})
    for number, lane in seen:
        assert lane == sop.step(number).role
    # on the approve path every approve branch is followed from the first step
    expected: list[int] = []
    current = sop.steps[0].number
    index = {s.number: i for i, s in enumerate(sop.steps)}
    while current != END and current not in expected:
        expected.append(current)
        step = sop.step(current)
        if step.decision is not None:
            current = step.decision.approve_to
        else:
            i = index[current] + 1
            current = sop.steps[i].number if i < len(sop.steps) else END
    assert [n for n, _ in seen] == expected


def test_reject_loop_returns_to_the_step_that_fixes_the_work():
    sop = fixed_sops()["two_loops"]
    # step 5 rejects once (back to 4), then step 6 rejects once (back to 4 again)
    seen = _run(sop, {5: ["tidak_setuju", "setuju", "setuju"], 6: ["tidak_setuju", "setuju"]})
    assert [n for n, _ in seen] == [1, 2, 3, 4, 5, 4, 5, 6, 4, 5, 6, 7, 8]
    assert all(lane == sop.step(n).role for n, lane in seen)


def test_reject_to_end_finishes_the_process_early():
    sop = fixed_sops()["skip_and_end"]
    seen = _run(sop, {2: ["lengkap"], 4: ["tidak"]})
    assert [n for n, _ in seen] == [1, 2, 4]


def test_incomplete_request_goes_back_through_the_skipped_step():
    sop = fixed_sops()["skip_and_end"]
    seen = _run(sop, {2: ["tidak_lengkap", "lengkap"], 4: ["ya"]})
    assert [n for n, _ in seen] == [1, 2, 3, 4, 5]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sops(max_steps=7))
def test_random_models_run_to_the_end_in_their_lanes(sop: Sop):
    """Choosing at each decision the branch that moves forward must always finish."""
    answers: dict[int, list[str]] = {}
    for step in sop.steps:
        d = step.decision
        if d is None:
            continue
        approve, reject = decision_values(d)
        forward = d.approve_to == END or (d.approve_to > step.number)
        answers[step.number] = [approve if forward else reject] * 50
    seen = _run(sop, answers)
    assert seen, "at least the first step runs"
    assert seen[0][0] == sop.steps[0].number
    assert all(lane == sop.step(n).role for n, lane in seen)
    numbers = [n for n, _ in seen]
    assert numbers == sorted(numbers)  # always forward: no step twice
