"""Issue 14: a SpiffWorkflow workflow the engine lets go of is freed by reference counting at
once (:func:`engine.state_cache.release`), not left in reference cycles for the garbage
collector, whose full collections walked every object of a busy worker (100-150 ms each,
about one per thousand completions) and whose young collections ran every eight.

Each test runs with the collector switched off: an object still alive then is one only a
collection would have freed, and ``gc.collect()`` under ``DEBUG_SAVEALL`` lists exactly what
was left in cycles.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState as SpiffState

from engine.definitions import parse_spec
from engine.runtime import Runtime
from engine.state_cache import CachedInstance, StateCache, release

from .conftest import SURAT, EngineKit, make_kit, store_of

SURAT_KEY = "sop_surat_keluar"

# a user task inside an embedded subprocess: the subprocess is a workflow of its own, held by
# its top workflow and holding it back
NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    id="Definitions_nested" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="nested" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:subProcess id="inner">
      <bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:startEvent id="inner_start"><bpmn:outgoing>g1</bpmn:outgoing></bpmn:startEvent>
      <bpmn:userTask id="inner_task" name="Periksa">
        <bpmn:incoming>g1</bpmn:incoming><bpmn:outgoing>g2</bpmn:outgoing>
      </bpmn:userTask>
      <bpmn:endEvent id="inner_end"><bpmn:incoming>g2</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="g1" sourceRef="inner_start" targetRef="inner_task" />
      <bpmn:sequenceFlow id="g2" sourceRef="inner_task" targetRef="inner_end" />
    </bpmn:subProcess>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="inner" />
    <bpmn:sequenceFlow id="f2" sourceRef="inner" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""


@contextlib.contextmanager
def collector_off() -> Iterator[None]:
    """The garbage collector off (after a collection, so nothing old is pending)."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def left_in_cycles() -> list[str]:
    """The SpiffWorkflow objects only a collection frees now, by type name; then freed, so
    the next call sees only what was left after this one."""
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        found = sorted(type(o).__name__ for o in gc.garbage
                       if type(o).__module__.startswith("SpiffWorkflow"))  # fmt: skip
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.collect()
    return found


@functools.cache
def spec_of(data: bytes, key: str) -> tuple[Any, Any]:
    """Parsed once, as the engine's spec cache does (a spec and its task specs refer to each
    other too, and live as long as the process)."""
    return parse_spec(data, key)


def started(data: bytes, key: str) -> BpmnWorkflow:
    spec, subprocesses = spec_of(data, key)
    workflow = BpmnWorkflow(spec, subprocesses)
    workflow.do_engine_steps()
    return workflow


def refs(workflow: BpmnWorkflow) -> list[weakref.ref[Any]]:
    """Weak references to the workflow, its subprocesses and every task of each."""
    objects: list[Any] = [workflow, *workflow.subprocesses.values()]
    for each in list(objects):
        objects.extend(each.tasks.values())
    return [weakref.ref(o) for o in objects]


@pytest.mark.parametrize(("data", "key", "subprocesses"),
                         [(SURAT.read_bytes(), SURAT_KEY, 0), (NESTED, "nested", 1)])  # fmt: skip
def test_a_released_workflow_is_freed_without_a_collection(data: bytes, key: str,
                                                           subprocesses: int) -> None:  # fmt: skip
    with collector_off():
        kept = started(data, key)
        assert len(kept.subprocesses) == subprocesses
        alive = refs(kept)
        del kept
        assert all(r() is not None for r in alive)  # SpiffWorkflow's own cycles hold it
        assert "BpmnWorkflow" in left_in_cycles()

        workflow = started(data, key)
        ready = workflow.get_tasks(state=SpiffState.READY)
        assert [t.task_spec.bpmn_id for t in ready if t.task_spec.manual]
        gone = refs(workflow)
        task = ready[0]  # a task somebody still holds stays whole
        release(workflow)
        del workflow, ready
        assert [r for r in gone if r() is None] and task.data is not None
        del task
        assert [r() for r in gone] == [None] * len(gone)
        assert left_in_cycles() == []


def _entry(instance_id: int, ready: str) -> CachedInstance:
    return CachedInstance(id=instance_id, definition_id=1, process_key="k", title="t",
                          business_key="", status="running", state=f"s{instance_id}",
                          version_counter=1, ready_ids=frozenset({ready}),
                          rows=CachedInstance.frozen_rows({}))  # fmt: skip


def test_the_cache_releases_every_workflow_it_lets_go_and_none_it_hands_out() -> None:
    data = SURAT.read_bytes()
    with collector_off():
        cache = StateCache(2)
        first = started(data, SURAT_KEY)
        first_ref = weakref.ref(first)
        entry = _entry(1, "a")
        cache.put(entry, first)
        # taken and put back with the entry of what was written: the same object, kept
        taken = cache.take_workflow(entry)
        assert taken is first
        newer = _entry(1, "b")
        cache.put(newer, taken)
        del first, taken
        assert first_ref() is not None
        assert cache.take_workflow(newer) is not None  # and usable as it was
        cache.put(newer, first_ref())
        # replaced by a newer entry of its instance without a workflow: released
        cache.put(_entry(1, "c"))
        assert first_ref() is None
        # pushed out of the LRU, evicted, evicted by task, cleared: released, each
        made = {i: started(data, SURAT_KEY) for i in range(2, 7)}
        kept = {i: weakref.ref(w) for i, w in made.items()}
        for i in range(2, 7):
            cache.put(_entry(i, f"t{i}"), made.pop(i))
        assert [i for i, r in kept.items() if r() is not None] == [5, 6]  # the LRU's two
        cache.evict(5)
        assert kept[5]() is None and kept[6]() is not None
        cache.put(_entry(7, "t7"), started(data, SURAT_KEY))
        cache.evict_task("t6")
        assert kept[6]() is None
        cache.clear()
        assert cache.live() == 0
        # a cache that keeps nothing (SQLite) releases what it is handed
        off = StateCache(0)
        handed = started(data, SURAT_KEY)
        handed_ref = weakref.ref(handed)
        off.put(_entry(8, "t8"), handed)
        del handed
        assert handed_ref() is None
        assert left_in_cycles() == []


def work_a_day(kit: EngineKit, other: Runtime) -> None:
    """Starts, completions on the warm and the cold path, a case to its end with a return, a
    refused decision, a claim and a cancel."""
    rt = kit.runtime
    lanes = kit.user_per_lane(["Staf", "Kasubbag Umum", "Kepala Dinas"])
    staff = lanes["Staf"]
    cases = [rt.start(SURAT_KEY, staff).id for _ in range(4)]
    kit.drive(cases[0], lanes, reject_first=1)
    first = rt.instance_tasks(cases[1])[0]
    other.complete(first.id, staff)  # another process: the cold path, then warm there
    second = next(t for t in other.instance_tasks(cases[1]) if t.state == "ready")
    with pytest.raises(Exception, match="Keputusan"):
        other.complete(second.id, lanes[second.role], "mungkin")
    other.complete(second.id, lanes[second.role], second.allowed_decisions[0])
    third = rt.instance_tasks(cases[2])[0]
    rt.claim(third.id, staff)
    rt.complete(third.id, staff)
    rt.cancel(cases[3], "admin", "salah input")


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_day_of_commands_leaves_no_workflow_to_the_collector(kind: str, tmp_path: Path) -> None:
    with store_of(kind, tmp_path) as store:
        kit = make_kit(store)
        kit.definitions.deploy(SURAT.read_bytes())
        other = Runtime(store, kit.definitions, clock=kit.clock)
        work_a_day(kit, other)  # once first: the caches, the pools, the statements
        with collector_off():
            work_a_day(kit, other)
            assert left_in_cycles() == []
        listed, total = kit.runtime.instances(limit=100)
        assert total == 8
        assert [i.id for i in listed if kit.runtime.check_consistency(i.id)] == []
