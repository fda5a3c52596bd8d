"""Issue 14 on PostgreSQL: a warm start and a completion of a case this process wrote last are
ONE statement, with nothing read before it; the statement checks what the read used to tell
(the definition is still the latest of its key; the user exists, is active, and may start the
process or complete the task; the case is still at the version this process wrote, the task
still ready with the same holder), so whatever changed since (a deploy, the user, another
process's completion, a claim, a cancel) makes it write nothing, and the call then goes the
read path and gives exactly today's answer: the same error, or the completion, once.

Statements are counted as they reach the driver (an SQLAlchemy event), never timed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from engine.errors import AlreadyCompleted, InvalidDecision, NotAllowed, NotFound, TaskNotReady
from engine.runtime import Runtime
from engine.state_cache import CachedInstance, StateCache
from engine.store import Store, audit, instances, utcnow

from .conftest import FIXTURES, EngineKit, drop_schema, make_kit, make_store
from .test_pg_completion_statement import TERMINATE

SURAT = (FIXTURES / "surat_keluar.bpmn").read_bytes()
KEY = "sop_surat_keluar"


@pytest.fixture
def pg_kit(tmp_path: Path) -> Iterator[EngineKit]:
    store, schema = make_store("postgresql", tmp_path)
    try:
        kit = make_kit(store)
        kit.definitions.deploy(SURAT)
        kit.users.add("staf", ["Staf"])
        kit.users.add("staf2", ["Staf"])
        kit.users.add("admin", [], is_admin=True)
        yield kit
    finally:
        store.dispose()
        if schema:
            drop_schema(schema)


@contextmanager
def statements(store: Store) -> Iterator[list[tuple[str, bool]]]:
    """The statements sent (first word, upper case) and whether in autocommit (psycopg sends
    BEGIN/COMMIT itself otherwise)."""
    seen: list[tuple[str, bool]] = []

    def record(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        seen.append((statement.split()[0].upper(), conn.connection.driver_connection.autocommit))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def other_process(kit: EngineKit) -> Runtime:
    """Another process's runtime on the same database: its own caches."""
    return Runtime(kit.store, kit.definitions, clock=kit.clock)


def counts(kit: EngineKit) -> tuple[int, int]:
    """(instances, audit rows) in the database."""
    with kit.store.engine.connect() as conn:
        n_inst = conn.execute(sa.select(sa.func.count()).select_from(instances)).scalar_one()
        n_audit = conn.execute(sa.select(sa.func.count()).select_from(audit)).scalar_one()
    return int(n_inst), int(n_audit)


def version(kit: EngineKit, instance_id: int) -> int:
    with kit.store.engine.connect() as conn:
        return int(
            conn.execute(
                sa.select(instances.c.version_counter).where(instances.c.id == instance_id)
            ).scalar_one()
        )


def ready_task(rt: Runtime, instance_id: int, element: str | None = None) -> str:
    ready = [t for t in rt.instance_tasks(instance_id) if t.state == "ready"]
    return next(t.id for t in ready if element is None or t.element_id == element)


def completions(rt: Runtime, instance_id: int) -> list[str | None]:
    return [e.task_id for e in rt.history(instance_id) if e.action == "complete"]


# -- start ------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_a_warm_start_is_one_autocommit_statement(pg_kit: EngineKit) -> None:
    kit = pg_kit
    rt = kit.runtime
    rt.start(KEY, "staf")  # the read tells this process the latest version
    other = other_process(kit)  # sharing the definitions: only the cold start's own reads
    with statements(kit.store) as cold:
        other.start(KEY, "staf")
    assert cold == [("SELECT", True), ("WITH", True)]
    with statements(kit.store) as warm:
        inst = rt.start(KEY, "staf", title="  Surat   undangan ")
    assert warm == [("WITH", True)]
    assert (inst.version, inst.title, inst.started_by, inst.status) == (
        1, "Surat undangan", "staf", "running")  # fmt: skip
    assert rt.instance(inst.id).title == "Surat undangan"
    assert [e.action for e in rt.history(inst.id)] == ["start"]
    assert [t.element_id for t in rt.instance_tasks(inst.id)] == ["step_1"]
    assert rt.check_consistency(inst.id) == []
    with statements(kit.store) as operator:  # the operator at the command line: no user
        assert rt.start(KEY, "").started_by == ""
    assert operator == [("WITH", True)]


@pytest.mark.postgres
def test_a_deploy_between_two_starts_starts_the_new_version(pg_kit: EngineKit) -> None:
    kit = pg_kit
    rt = kit.runtime
    assert rt.start(KEY, "staf").version == 1
    # deployed by another process: this one's definitions know nothing of it
    other = other_process(kit)
    other.definitions.deploy(SURAT + b"\n<!-- versi 2 -->\n")
    with statements(kit.store) as seen:
        inst = rt.start(KEY, "staf")
    assert inst.version == 2
    assert rt.instance(inst.id).version == 2
    # the warm statement wrote nothing, the read found version 2 (and its definition was
    # read, new to this process) and started it
    assert seen[0] == ("WITH", True) and seen[1] == ("SELECT", True), seen
    assert seen[-1] == ("WITH", True), seen
    assert rt.check_consistency(inst.id) == []
    with statements(kit.store) as warm:
        assert rt.start(KEY, "staf").version == 2  # and version 2 is now the warm one
    assert warm == [("WITH", True)]


def _start_refused(kit: EngineKit, user: str, error: type[Exception], message: str) -> None:
    rt = kit.runtime
    before = counts(kit)
    with statements(kit.store) as seen, pytest.raises(error) as raised:
        rt.start(KEY, user)
    assert str(raised.value.message) == message  # type: ignore[attr-defined]
    assert seen[0] == ("WITH", True) and ("SELECT", True) in seen  # tried, then read
    assert counts(kit) == before  # nothing written by the warm statement


@pytest.mark.postgres
def test_a_warm_start_by_a_user_who_may_not_gets_todays_errors(pg_kit: EngineKit) -> None:
    kit = pg_kit
    kit.users.add("kadis", ["Kepala Dinas"])
    kit.runtime.start(KEY, "staf")  # warm
    _start_refused(kit, "nobody", NotFound, "Pengguna nobody tidak ditemukan")
    _start_refused(kit, "kadis", NotAllowed,
                   "Anda tidak memegang peran yang memulai proses ini (Staf)")  # fmt: skip
    kit.users.set_active("staf", False)
    _start_refused(kit, "staf", NotAllowed, "Pengguna staf tidak aktif")
    kit.users.set_active("staf", True)
    kit.users.set_roles("staf", ["Kepala Dinas"])  # lost the role
    _start_refused(kit, "staf", NotAllowed,
                   "Anda tidak memegang peran yang memulai proses ini (Staf)")  # fmt: skip
    kit.users.set_roles("staf", ["Staf"])
    with statements(kit.store) as seen:
        kit.runtime.start(KEY, "admin")  # an administrator holds no lane and may start
        kit.runtime.start(KEY, "staf")
    assert seen == [("WITH", True), ("WITH", True)]


# -- complete ---------------------------------------------------------------------------------


@pytest.mark.postgres
def test_a_completion_of_a_case_this_process_wrote_is_one_statement(pg_kit: EngineKit) -> None:
    kit = pg_kit
    rt = kit.runtime
    kit.users.add("kasubbag", ["Kasubbag Umum"])
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    with statements(kit.store) as seen:
        first = rt.complete(task_id, "staf", comment="konsep terlampir")
    assert seen == [("WITH", True)]
    assert first.task.state == "completed" and first.task.completed_by == "staf"
    assert [t.element_id for t in first.next_tasks] == ["step_2"]
    # the next task was written by that completion: also one statement, with a decision
    with statements(kit.store) as seen:
        second = rt.complete(first.next_tasks[0].id, "kasubbag", "setuju")
    assert seen == [("WITH", True)]
    assert second.task.decision == "setuju"
    assert version(kit, inst.id) == 3
    assert len(completions(rt, inst.id)) == 2
    assert rt.check_consistency(inst.id) == []
    history = rt.history(inst.id)
    assert history[1].comment == "konsep terlampir"


def _complete_refused(kit: EngineKit, rt: Runtime, task_id: str, user: str,
                      error: type[Exception], message: str) -> None:  # fmt: skip
    instance_id = rt.task(task_id).instance_id
    before = (counts(kit), version(kit, instance_id))
    with statements(kit.store) as seen, pytest.raises(error) as raised:
        rt.complete(task_id, user)
    assert str(raised.value.message) == message  # type: ignore[attr-defined]
    assert seen[:2] == [("WITH", True), ("SELECT", True)], seen  # tried, then read
    assert (counts(kit), version(kit, instance_id)) == before


@pytest.mark.postgres
def test_a_warm_completion_by_a_user_who_may_not_gets_todays_errors(pg_kit: EngineKit) -> None:
    kit = pg_kit
    rt = kit.runtime
    kit.users.add("kadis", ["Kepala Dinas"])
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    _complete_refused(kit, rt, task_id, "nobody", NotFound, "Pengguna nobody tidak ditemukan")
    inst = rt.start(KEY, "staf")  # a refusal forgets the case: a new one for each
    task_id = ready_task(rt, inst.id)
    _complete_refused(kit, rt, task_id, "kadis", NotAllowed,
                      "Tugas ini untuk peran Staf; Anda tidak memegang peran itu")  # fmt: skip
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    kit.users.set_active("staf", False)
    _complete_refused(kit, rt, task_id, "staf", NotAllowed, "Pengguna staf tidak aktif")
    kit.users.set_active("staf", True)
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    kit.users.set_roles("staf", ["Kepala Dinas"])  # lost the role after the start
    _complete_refused(kit, rt, task_id, "staf", NotAllowed,
                      "Tugas ini untuk peran Staf; Anda tidak memegang peran itu")  # fmt: skip
    kit.users.set_roles("staf", ["Staf"])
    done = rt.complete(task_id, "staf")  # read path now; completes once
    assert done.task.state == "completed"
    assert completions(rt, inst.id) == [task_id]


@pytest.mark.postgres
def test_a_decision_error_on_the_warm_path_is_todays_and_leaves_no_trace(
    pg_kit: EngineKit,
) -> None:
    kit = pg_kit
    rt = kit.runtime
    kit.users.add("kasubbag", ["Kasubbag Umum"])
    inst = rt.start(KEY, "staf")
    step_2 = rt.complete(ready_task(rt, inst.id), "staf").next_tasks[0].id
    with statements(kit.store) as seen, pytest.raises(InvalidDecision, match="tidak dikenal"):
        rt.complete(step_2, "kasubbag", "mungkin")
    assert seen == [("SELECT", True)]  # refused before any write; the read path's error
    assert version(kit, inst.id) == 2
    with statements(kit.store) as seen:  # the case is still known: one statement
        done = rt.complete(step_2, "kasubbag", "setuju")
    assert seen == [("WITH", True)]
    assert done.task.decision == "setuju"
    assert version(kit, inst.id) == 3
    assert rt.check_consistency(inst.id) == []


@pytest.mark.postgres
def test_another_process_completing_makes_this_cache_stale_not_wrong(pg_kit: EngineKit) -> None:
    """Two parallel desks, this process's cache holding both: another process completes one,
    so the case moved on (a new version); this process's completion of the other finds its
    cached version gone, writes nothing, reads, and completes it once on the new state."""
    kit = pg_kit
    kit.definitions.deploy(TERMINATE)
    kit.users.add("kasubbag", ["Kasubbag Umum"])
    rt, other = kit.runtime, other_process(kit)
    inst = rt.start("two_desks", "staf")
    first, second = ready_task(rt, inst.id, "first"), ready_task(rt, inst.id, "second")
    assert other.complete(second, "kasubbag").instance_status == "running"
    assert version(kit, inst.id) == 2
    with statements(kit.store) as seen:
        done = rt.complete(first, "staf")  # terminates the case
    assert seen == [("WITH", True), ("SELECT", True), ("WITH", True)]
    assert done.instance_status == "completed"
    assert version(kit, inst.id) == 3
    assert completions(rt, inst.id) == [second, first]  # audit rows = completions
    states = {t.element_id: t.state for t in rt.instance_tasks(inst.id)}
    assert states == {"first": "completed", "second": "completed"}
    assert rt.check_consistency(inst.id) == []


@pytest.mark.postgres
def test_two_processes_working_the_same_cases_complete_each_task_once(pg_kit: EngineKit) -> None:
    """Two processes (their own caches) in two threads work the same cases to their end:
    each one's completions make the other's entries stale; every task is completed once,
    the audit has one row per completion, and every completion moved the version by one."""
    kit = pg_kit
    lanes = kit.user_per_lane(["Staf", "Kasubbag Umum", "Kepala Dinas"])
    rt, other = kit.runtime, other_process(kit)
    ids = [rt.start(KEY, lanes["Staf"]).id for _ in range(4)]
    won: dict[str, list[str]] = {"rt": [], "other": []}

    def work(name: str, runtime: Runtime) -> None:
        for _ in range(200):  # a bound, never reached: the cases end
            ready = [t for i in ids for t in runtime.instance_tasks(i) if t.state == "ready"]
            if not ready:
                return
            for task in ready:
                decision = task.allowed_decisions[0] if task.allowed_decisions else None
                try:
                    runtime.complete(task.id, lanes[task.role], decision)
                    won[name].append(task.id)
                except (AlreadyCompleted, TaskNotReady):
                    pass

    threads = [threading.Thread(target=work, args=a) for a in (("rt", rt), ("other", other))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not set(won["rt"]) & set(won["other"])
    for instance_id in ids:
        assert rt.instance(instance_id).status == "completed"
        done = [t.id for t in rt.instance_tasks(instance_id) if t.state == "completed"]
        logged = completions(rt, instance_id)
        assert sorted(logged) == sorted(done) and len(set(logged)) == len(logged)
        assert version(kit, instance_id) == 1 + len(logged)
        assert rt.check_consistency(instance_id) == []
    assert len(won["rt"]) + len(won["other"]) == sum(
        len(completions(rt, i)) for i in ids)  # fmt: skip


@pytest.mark.postgres
def test_a_stale_cache_gives_todays_error_for_a_task_gone(pg_kit: EngineKit) -> None:
    kit = pg_kit
    kit.definitions.deploy(TERMINATE)
    kit.users.add("kasubbag", ["Kasubbag Umum"])
    rt, other = kit.runtime, other_process(kit)
    inst = rt.start("two_desks", "staf")
    first, second = ready_task(rt, inst.id, "first"), ready_task(rt, inst.id, "second")
    other.complete(first, "staf")  # terminates: the other desk is cancelled
    with pytest.raises(TaskNotReady, match="sudah selesai"):
        rt.complete(second, "kasubbag")
    # the same task completed by another process: who did it, as today
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    other.complete(task_id, "staf2")
    with pytest.raises(AlreadyCompleted) as raised:
        rt.complete(task_id, "staf")
    assert raised.value.by == "staf2"
    assert completions(rt, inst.id) == [task_id]
    assert version(kit, inst.id) == 2


@pytest.mark.postgres
def test_a_claim_by_another_user_between_cache_and_completion(pg_kit: EngineKit) -> None:
    kit = pg_kit
    rt, other = kit.runtime, other_process(kit)
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    other.claim(task_id, "staf2")  # another process: this one's cache says unclaimed
    _complete_refused(kit, rt, task_id, "staf", NotAllowed,
                      "Tugas ini sedang ditangani oleh staf2")  # fmt: skip
    assert rt.task(task_id).assignee == "staf2"
    # claimed by the completing user elsewhere: the warm statement sees a holder it did not
    # expect and writes nothing; the read path completes it, once
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    other.claim(task_id, "staf")
    with statements(kit.store) as seen:
        done = rt.complete(task_id, "staf")
    assert seen == [("WITH", True), ("SELECT", True), ("WITH", True)]
    assert (done.task.state, done.task.assignee) == ("completed", "staf")
    assert completions(rt, inst.id) == [task_id]
    # claimed and handed on (delegation) elsewhere after this process's claim
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    other.claim(task_id, "staf")
    other.delegate(task_id, "staf", "staf2")
    _complete_refused(kit, rt, task_id, "staf", NotAllowed,
                      "Tugas ini sedang ditangani oleh staf2")  # fmt: skip
    assert rt.complete(task_id, "staf2").task.completed_by == "staf2"
    assert rt.check_consistency(inst.id) == []


@pytest.mark.postgres
def test_a_claim_in_this_process_then_completion(pg_kit: EngineKit) -> None:
    kit = pg_kit
    rt = kit.runtime
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    rt.claim(task_id, "staf")
    with pytest.raises(NotAllowed, match="ditangani oleh staf"):
        rt.complete(task_id, "staf2")
    done = rt.complete(task_id, "staf")
    assert (done.task.assignee, done.task.completed_by) == ("staf", "staf")
    assert [e.action for e in rt.history(inst.id)] == ["start", "claim", "complete"]


@pytest.mark.postgres
def test_a_cancel_in_between(pg_kit: EngineKit) -> None:
    kit = pg_kit
    rt, other = kit.runtime, other_process(kit)
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    other.cancel(inst.id, "admin", "salah input")
    _complete_refused(kit, rt, task_id, "staf", TaskNotReady,
                      "Tugas ini tidak dapat dikerjakan: proses sudah dibatalkan")  # fmt: skip
    assert [e.action for e in rt.history(inst.id)] == ["start", "cancel"]
    # and a cancel by this process itself forgets the case
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    rt.cancel(inst.id, "admin", "salah input")
    assert rt.commands.states.for_task(task_id) is None
    with pytest.raises(TaskNotReady, match="dibatalkan"):
        rt.complete(task_id, "staf")


@pytest.mark.postgres
def test_a_timer_fired_by_another_process_in_between(pg_kit: EngineKit) -> None:
    """The sending step's deadline passes and the worker (another process) fires its boundary
    timer: the step is cancelled and the case moved on; this process's completion of the
    step from its cache writes nothing and gives today's answer."""
    kit = pg_kit
    lanes = kit.user_per_lane(["Staf", "Kasubbag Umum", "Kepala Dinas"])
    rt, worker = kit.runtime, other_process(kit)
    inst = rt.start(KEY, lanes["Staf"])
    kit.drive(inst.id, lanes, max_steps=3)  # up to the sending step and its timer
    step_5 = ready_task(rt, inst.id, "step_5")
    assert rt.commands.states.for_task(step_5) is not None  # written by this process
    before = version(kit, inst.id)
    assert worker.fire_timers(utcnow() + timedelta(days=4)) == 1
    assert version(kit, inst.id) == before + 1
    with statements(kit.store) as seen, pytest.raises(TaskNotReady, match="dibatalkan"):
        rt.complete(step_5, lanes["Staf"])
    assert seen[:2] == [("WITH", True), ("SELECT", True)]
    assert version(kit, inst.id) == before + 1
    assert step_5 not in completions(rt, inst.id)
    assert [e.action for e in rt.history(inst.id)].count("timer") == 1
    assert rt.check_consistency(inst.id) == []


@pytest.mark.postgres
def test_the_web_form_completion_uses_its_own_read(pg_kit: EngineKit) -> None:
    """``complete(opened=)``: the page's read is the completion's read, as before."""
    kit = pg_kit
    rt = kit.runtime
    inst = rt.start(KEY, "staf")
    task_id = ready_task(rt, inst.id)
    opened = rt.open_task(task_id, "staf")
    with statements(kit.store) as seen:
        done = rt.complete(task_id, "staf", opened=opened)
    assert seen == [("WITH", True)]
    assert done.task.state == "completed"
    # and what it wrote is remembered: the next task is one statement too
    kit.users.add("kasubbag", ["Kasubbag Umum"])
    with statements(kit.store) as seen:
        rt.complete(done.next_tasks[0].id, "kasubbag", "setuju")
    assert seen == [("WITH", True)]


def test_sqlite_keeps_no_cache(kit: EngineKit) -> None:
    """SQLite reads are in process and cheap: no cache there (PostgreSQL: the one the
    tests above use)."""
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    inst = kit.runtime.start(KEY, "staf")
    cached = len(kit.runtime.commands.states)
    assert cached == (1 if kit.store.dialect == "postgresql" else 0)
    kit.runtime.complete(ready_task(kit.runtime, inst.id), "staf")
    assert kit.runtime.check_consistency(inst.id) == []


# -- the cache itself -------------------------------------------------------------------------


def _entry(instance_id: int, *task_ids: str) -> CachedInstance:
    rows = {t: {"id": t, "assignee": None} for t in task_ids}
    return CachedInstance(
        id=instance_id, definition_id=1, process_key="p", title="", business_key="",
        status="running", state="{}", version_counter=1, ready_ids=frozenset(task_ids),
        rows=CachedInstance.frozen_rows(rows),
    )  # fmt: skip


def test_the_cache_is_bounded_and_least_recently_used_goes_first() -> None:
    cache = StateCache(size=2)
    cache.put(_entry(1, "a"))
    cache.put(_entry(2, "b"))
    assert cache.for_task("a") is not None  # 1 is now the most recent
    cache.put(_entry(3, "c"))
    assert len(cache) == 2
    assert cache.for_task("b") is None  # 2 went
    assert cache.for_task("a") is not None and cache.for_task("c") is not None
    cache.put(_entry(1, "d"))  # a new write of 1: its old ready task is no longer found
    assert cache.for_task("a") is None
    found = cache.for_task("d")
    assert found is not None and found.id == 1
    cache.evict_task("d")
    assert cache.for_task("d") is None and len(cache) == 1
    with pytest.raises(TypeError):  # entries are shared between threads: read-only
        found.rows["d"]["assignee"] = "x"  # type: ignore[index]
