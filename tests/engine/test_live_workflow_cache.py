"""Issue 14 on PostgreSQL: a completion of a case this process wrote last works from the live
SpiffWorkflow workflow this process produced (kept beside the state text in
engine.state_cache), instead of deserializing what it has just serialized.

What must hold: a kept workflow is used by one completion at a time (taken out of the cache),
goes back only after a successful write, is dropped on any failure, and a whole process run
through kept workflows writes exactly what it writes when every completion deserializes the
stored state (the states and task rows compared byte for byte, SpiffWorkflow's random ids and
clocks made repeatable for the comparison).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import pytest
import sqlalchemy as sa

from engine.definitions import Definitions
from engine.errors import AlreadyCompleted, InvalidDecision, NotAllowed
from engine.runtime import Runtime
from engine.state_cache import CachedInstance, StateCache
from engine.store import instances, tasks

from .conftest import SCRATCH, SURAT, EngineKit, drop_schema, make_kit, make_store
from .test_pg_one_trip import completions, other_process, ready_task, statements

SURAT_KEY = "sop_surat_keluar"
SCRATCH_KEY = "Process_cuti"
LANES = {"Staf": "staf", "Kasubbag Umum": "kasubbag", "Kepala Dinas": "kadis",
         "Pegawai": "pegawai", "Atasan Langsung": "atasan",
         "Bagian Kepegawaian": "kepeg"}  # fmt: skip


def _kit(tmp_path: Path) -> tuple[EngineKit, str | None]:
    store, schema = make_store("postgresql", tmp_path)
    kit = make_kit(store)
    kit.definitions.deploy(SURAT.read_bytes())
    kit.definitions.deploy(SCRATCH.read_bytes())
    for lane, name in LANES.items():
        kit.users.add(name, [lane])
    return kit, schema


@pytest.fixture
def kits(tmp_path: Path) -> Iterator[Callable[[], EngineKit]]:
    """Makes PostgreSQL kits, each in its own schema (skips when the server is away)."""
    made: list[tuple[EngineKit, str | None]] = []

    def make() -> EngineKit:
        made.append(_kit(tmp_path / str(len(made))))
        return made[-1][0]

    try:
        yield make
    finally:
        for kit, schema in made:
            kit.store.dispose()
            if schema:
                drop_schema(schema)


class Repeatable:
    """SpiffWorkflow's task ids (uuid4), state-change times (time.time) and timer start
    (datetime.now) made the same in two runs, so their states can be compared exactly: ids
    counted, times read from the kit's clock (deserializing also reads time.time)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, clock: Callable[[], datetime]) -> None:
        import SpiffWorkflow.bpmn.specs.event_definitions.timer as timer_module
        import SpiffWorkflow.task as task_module

        self.ids = 0
        self.clock = clock

        class Now(datetime):
            @classmethod
            def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
                return clock().astimezone(tz)

        monkeypatch.setattr(task_module, "uuid4", self.uuid4)
        monkeypatch.setattr(task_module, "time", SimpleNamespace(time=self.time))
        monkeypatch.setattr(timer_module, "datetime", Now)

    def uuid4(self) -> UUID:
        self.ids += 1
        return UUID(int=(0xA1 << 120) | self.ids, version=4)

    def time(self) -> float:
        return self.clock().timestamp()


@dataclass
class Walk:
    """A run of one process: the database after every step, and how completions went."""

    snapshots: list[tuple[Any, ...]]
    taken: list[bool]  # per completion that looked for a kept workflow: was one there


def snapshot(kit: EngineKit, instance_id: int) -> tuple[Any, ...]:
    """The instance row's state columns and every task row of it, exactly as stored."""
    with kit.store.engine.connect() as conn:
        inst = conn.execute(
            sa.select(instances.c.state, instances.c.status, instances.c.version_counter,
                      instances.c.next_timer_at).where(instances.c.id == instance_id)
        ).one()  # fmt: skip
        rows = conn.execute(
            sa.select(tasks).where(tasks.c.instance_id == instance_id).order_by(tasks.c.id)
        ).all()
    return tuple(inst), tuple(tuple(r) for r in rows)


def walk(kit: EngineKit, monkeypatch: pytest.MonkeyPatch, key: str, keep: bool,
         plan: dict[str, list[dict[str, Any]]], timer_at: str | None = None,
         wait: timedelta = timedelta()) -> Walk:  # fmt: skip
    """Start ``key`` and complete its ready tasks to the end; ``plan``: per element, the
    arguments of its successive completions (default: the first decision). ``keep`` False:
    every kept workflow is thrown away when taken, so each completion deserializes the
    stored state (as before this cache). ``timer_at``: when that element is first ready,
    the clock moves on by ``wait`` and the due timers fire."""
    Repeatable(monkeypatch, kit.clock)
    states = kit.runtime.commands.states
    take = states.take_workflow
    taken: list[bool] = []

    def taking(entry: CachedInstance) -> Any:
        found = take(entry)
        taken.append(found is not None)
        return found if keep else None

    monkeypatch.setattr(states, "take_workflow", taking)
    inst = kit.runtime.start(key, LANES[_first_lane(kit, key)])
    shots = [snapshot(kit, inst.id)]
    seen: dict[str, int] = {}
    for _ in range(50):
        ready = sorted(
            (t for t in kit.runtime.instance_tasks(inst.id) if t.state == "ready"),
            key=lambda t: t.element_id,
        )
        if not ready:
            break
        task = ready[0]
        if task.element_id == timer_at and task.element_id not in seen:
            seen[task.element_id] = 0
            kit.clock.advance(seconds=wait.total_seconds())
            assert kit.runtime.fire_timers() == 1
            shots.append(snapshot(kit, inst.id))
            continue
        n = seen.get(task.element_id, 0)
        seen[task.element_id] = n + 1
        steps = plan.get(task.element_id, [])
        args = dict(steps[n]) if n < len(steps) else {}
        if task.allowed_decisions and "decision" not in args:
            args["decision"] = task.allowed_decisions[0]
        kit.clock.advance(minutes=7)
        kit.runtime.complete(task.id, LANES[task.role], **args)
        shots.append(snapshot(kit, inst.id))
    else:  # pragma: no cover - the plan loops forever
        raise AssertionError("the process did not end")
    assert kit.runtime.instance(inst.id).status == "completed"
    return Walk(shots, taken)


def _first_lane(kit: EngineKit, key: str) -> str:
    definition = kit.definitions.get(key)
    return definition.first_lanes[0]


def counted_loads(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The states the runtime deserializes from now on (appended as it does)."""
    codec = runtime.commands.codec
    load = codec.load
    loads: list[str] = []

    def counting(state: str, conn: Any = None) -> Any:
        loads.append(state)
        return load(state, conn)

    monkeypatch.setattr(codec, "load", counting)
    return loads


Scenario = tuple[str, dict[str, list[dict[str, Any]]], str | None, timedelta]
SCENARIOS: dict[str, Scenario] = {
    # two decisions, each rejected once (the loops back), then the 3-day timer on "send"
    "surat": (SURAT_KEY, {
        "step_2": [{"decision": "tidak_setuju", "comment": "perbaiki judul"}],
        "step_3": [{"decision": "tidak_setuju", "comment": "tanda tangan salah"}],
    }, "step_5", timedelta(days=4)),
    # a decision with a typed form field besides it, and its 2-hour timer left unfired
    "cuti": (SCRATCH_KEY, {
        "Activity_1periksa": [{"decision": "yes", "form": {"catatan": "  cuti 3 hari "}}],
    }, None, timedelta()),
}  # fmt: skip


@pytest.mark.postgres
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_a_process_run_through_kept_workflows_writes_what_deserializing_writes(
    kits: Callable[[], EngineKit], monkeypatch: pytest.MonkeyPatch, scenario: str
) -> None:
    key, plan, timer_at, wait = SCENARIOS[scenario]
    kept = walk(kits(), monkeypatch, key, True, plan, timer_at, wait)
    fresh = walk(kits(), monkeypatch, key, False, plan, timer_at, wait)
    # the kept workflows were really used: every warm completion found one (the first
    # after the timer fired goes the read path, firing forgot the instance) ...
    assert kept.taken == fresh.taken
    assert all(kept.taken) and len(kept.taken) >= 3
    # ... and every step wrote the same state text and the same task rows
    assert len(kept.snapshots) == len(fresh.snapshots) >= 4
    for i, (a, b) in enumerate(zip(kept.snapshots, fresh.snapshots, strict=True)):
        assert a == b, f"step {i} differs"
    # the run had its loops: some task row cancelled or completed more than once per element
    elements = [row[7] for row in kept.snapshots[-1][1]]
    if scenario == "surat":
        assert elements.count("step_1") == 3 and elements.count("step_5") == 1
    else:  # the form's value went into the workflow's data
        assert "cuti 3 hari" in kept.snapshots[-1][0][0]


# -- the cache's rules ------------------------------------------------------------------------


def _entry(instance_id: int, version: int, ready: tuple[str, ...]) -> CachedInstance:
    return CachedInstance(id=instance_id, definition_id=1, process_key="k", title="t",
                          business_key="", status="running", state=f"s{version}",
                          version_counter=version, ready_ids=frozenset(ready),
                          rows=CachedInstance.frozen_rows({}))  # fmt: skip


def test_a_kept_workflow_is_taken_once_and_only_with_its_own_entry() -> None:
    cache = StateCache(2)
    first, workflow = _entry(1, 1, ("a",)), object()
    cache.put(first, workflow)
    assert cache.live() == 1
    stale = _entry(1, 1, ("a",))  # equal, but not the entry the workflow was kept with
    assert cache.take_workflow(stale) is None
    assert cache.take_workflow(first) is workflow
    assert cache.take_workflow(first) is None  # taken: no other use can have it
    assert cache.for_task("a") is first  # the entry (the text) stays
    # a newer entry of the instance replaces the older and its workflow
    cache.put(first, workflow)
    newer = _entry(1, 2, ("b",))
    cache.put(newer)
    assert cache.take_workflow(first) is None and cache.live() == 0
    # bounded by the same LRU as the entries: the oldest goes with its workflow
    cache.put(_entry(2, 1, ("c",)), object())
    cache.put(_entry(3, 1, ("d",)), object())
    assert len(cache) == 2 and cache.live() == 2 and cache.for_task("b") is None
    cache.evict_task("c")
    assert cache.live() == 1
    cache.clear()
    assert cache.live() == 0
    off = StateCache(0)  # SQLite: nothing kept at all
    off.put(first, workflow)
    assert off.take_workflow(first) is None and len(off) == 0


@pytest.fixture
def pg_kit(kits: Callable[[], EngineKit]) -> EngineKit:
    return kits()


@pytest.mark.postgres
def test_a_start_and_a_completion_keep_the_workflow_and_the_next_completion_uses_it(
    pg_kit: EngineKit, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = pg_kit
    rt = kit.runtime
    states = rt.commands.states
    loads = counted_loads(kit.runtime, monkeypatch)
    inst = rt.start(SURAT_KEY, "staf")
    assert states.live() == 1
    task_id = ready_task(rt, inst.id)
    with statements(kit.store) as seen:
        rt.complete(task_id, "staf")
    assert seen == [("WITH", True)] and loads == []  # one statement, nothing deserialized
    assert states.live() == 1  # the advanced workflow went back with its new entry
    rt.complete(ready_task(rt, inst.id), "kasubbag", "setuju")
    assert loads == [] and states.live() == 1
    # once the instance ends nothing is kept
    while tasks_ready := [t for t in rt.instance_tasks(inst.id) if t.state == "ready"]:
        task = tasks_ready[0]
        rt.complete(task.id, LANES[task.role], task.allowed_decisions[0] if
                    task.allowed_decisions else None)  # fmt: skip
    assert rt.instance(inst.id).status == "completed"
    assert len(states) == 0 and states.live() == 0 and loads == []


@pytest.mark.postgres
def test_a_failed_completion_drops_the_kept_workflow(
    pg_kit: EngineKit, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = pg_kit
    rt = kit.runtime
    states = rt.commands.states
    inst = rt.start(SURAT_KEY, "staf")
    rt.complete(ready_task(rt, inst.id), "staf")
    task_id = ready_task(rt, inst.id, "step_2")
    assert states.live() == 1
    # a refused decision: the read path gives the error; the workflow taken is not put
    # back (whatever a failure touched is never used again), the entry (text) stays
    with pytest.raises(InvalidDecision):
        rt.complete(task_id, "kasubbag", "mungkin")
    assert states.live() == 0 and states.for_task(task_id) is not None
    # SpiffWorkflow failing half way: the workflow it was changing is dropped as well
    loads = counted_loads(kit.runtime, monkeypatch)
    rt.complete(task_id, "kasubbag", "setuju")  # deserialized from the entry's text
    assert len(loads) == 1 and states.live() == 1
    task_id = ready_task(rt, inst.id, "step_3")
    advance = rt.commands._advance
    failing = {"on": True}

    def breaking(work: Any) -> None:
        if failing["on"]:
            work.spiff_task.run()  # the kept workflow changed, then SpiffWorkflow fails
            from engine.errors import ExecutionFailed

            raise ExecutionFailed("gagal")
        advance(work)

    monkeypatch.setattr(rt.commands, "_advance", breaking)
    with pytest.raises(Exception, match="gagal"):
        rt.complete(task_id, "kadis", "setuju")
    assert states.live() == 0
    failing["on"] = False
    before = len(loads)
    rt.complete(task_id, "kadis", "setuju")  # from the stored state, not the changed object
    assert len(loads) == before + 1
    ready = sorted(t.element_id for t in rt.instance_tasks(inst.id) if t.state == "ready")
    assert ready == ["step_4", "step_5"]
    assert rt.check_consistency(inst.id) == []


@pytest.mark.postgres
def test_a_lost_race_drops_the_entry_and_its_workflow(pg_kit: EngineKit) -> None:
    kit = pg_kit
    rt = kit.runtime
    states = rt.commands.states
    kit.users.add("staf2", ["Staf"])
    inst = rt.start(SURAT_KEY, "staf")
    task_id = ready_task(rt, inst.id)
    other_process(kit).claim(task_id, "staf2")  # this process's entry does not know
    with statements(kit.store) as seen, pytest.raises(NotAllowed):
        rt.complete(task_id, "staf")
    assert seen[0] == ("WITH", True)  # the statement wrote nothing, the read told why
    assert states.live() == 0 and states.for_task(task_id) is None
    other_process(kit).complete(task_id, "staf2")
    assert rt.instance(inst.id).status == "running"
    assert rt.check_consistency(inst.id) == []


@pytest.mark.postgres
def test_with_scripts_allowed_no_workflow_is_kept(
    pg_kit: EngineKit, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A script's task data (a tuple, say) need not survive the JSON round trip unchanged:
    with scripts allowed every completion deserializes the stored state, as before."""
    kit = pg_kit
    rt = Runtime(kit.store, Definitions(kit.store, {"ALLOW_SCRIPTS": True}), clock=kit.clock)
    loads = counted_loads(rt, monkeypatch)
    inst = rt.start(SURAT_KEY, "staf")
    rt.complete(ready_task(rt, inst.id), "staf")
    rt.complete(ready_task(rt, inst.id), "kasubbag", "setuju")
    states = rt.commands.states
    assert len(states) == 1 and states.live() == 0  # the text is cached, no workflow
    assert len(loads) == 2  # each completion deserialized the cached text


@pytest.mark.postgres
def test_threads_racing_on_one_task_complete_it_once_and_keep_the_winners_workflow(
    pg_kit: EngineKit,
) -> None:
    kit = pg_kit
    rt = kit.runtime
    states = rt.commands.states
    inst = rt.start(SURAT_KEY, "staf")
    task_id = ready_task(rt, inst.id)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def complete() -> None:
        barrier.wait()
        try:
            rt.complete(task_id, "staf")
            outcomes.append("done")
        except AlreadyCompleted:
            outcomes.append("already")

    threads = [threading.Thread(target=complete) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already"] * 3 + ["done"]
    assert completions(rt, inst.id) == [task_id]
    assert rt.check_consistency(inst.id) == []
    # the losers' statements wrote nothing and forgot the instance (whoever put it back);
    # the next completion reads it, and the workflow it keeps serializes to exactly the
    # stored state, at its version
    rt.complete(ready_task(rt, inst.id), "kasubbag", "setuju")
    entry = states.for_task(ready_task(rt, inst.id))
    assert entry is not None
    with kit.store.engine.connect() as conn:
        stored = conn.execute(
            sa.select(instances.c.state, instances.c.version_counter).where(
                instances.c.id == inst.id
            )
        ).one()
    assert (entry.state, entry.version_counter) == tuple(stored)
    kept = states.take_workflow(entry)
    assert kept is not None and rt.commands.codec.dump(kept) == stored.state
