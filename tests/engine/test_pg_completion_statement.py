"""Issue 14: a PostgreSQL completion is its read and one write statement, both in autocommit
(no BEGIN, no COMMIT round trip), and that statement is atomic by itself: it locks the
instance (still at the version read) and then the task (still ready, same holder) before it
writes anything, so a claim or another writer that commits while the statement waits for
those locks leaves no trace of the completion: no new version, no completed row, no audit row.

The races are staged, not timed: another connection holds the instance lock the way a claim
does, the completion is started in a thread, and the test waits until PostgreSQL reports that
completion's statement blocked by that connection before it lets go. Also here: the task
rows a completion cancels travel in the same write (both dialects), and the completion's read
costs the same few pages however many tasks other cases hold (counted by EXPLAIN, not timed).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import NoResultFound

from engine.errors import NotAllowed
from engine.runtime import Runtime

from .conftest import FIXTURES, EngineKit, drop_schema, make_kit, make_store

SURAT = (FIXTURES / "surat_keluar.bpmn").read_bytes()
KEY = "sop_surat_keluar"


@pytest.fixture
def pg_kit(tmp_path: Path) -> Iterator[EngineKit]:
    store, schema = make_store("postgresql", tmp_path)
    try:
        yield make_kit(store)
    finally:
        store.dispose()
        if schema:
            drop_schema(schema)


def _driver(kit: EngineKit) -> Any:
    """A second psycopg connection to the kit's schema (the colleague's session)."""
    import psycopg

    url = kit.store.engine.url.set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False))


def _first_task_id(kit: EngineKit, user: str) -> str:
    return kit.runtime.instance_tasks(kit.runtime.start(KEY, user).id)[0].id


def _version(other: Any, instance_id: int) -> int:
    row = other.execute("SELECT version_counter FROM instances WHERE id = %s", (instance_id,))
    return int(row.fetchone()[0])


def _completions(kit: EngineKit, instance_id: int, task_id: str) -> int:
    return [(e.action, e.task_id) for e in kit.runtime.history(instance_id)].count(
        ("complete", task_id)
    )


def _while_blocked(
    kit: EngineKit, other: Any, action: Callable[[], Any],
    meanwhile: Callable[[], None] = lambda: None,
) -> Any:  # fmt: skip
    """Run ``action`` in a thread; once PostgreSQL shows it waiting for ``other``'s locks,
    run ``meanwhile`` (more of ``other``'s transaction) and commit ``other``; return what
    ``action`` returned or raise what it raised."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = action()
        except BaseException as exc:  # handed to the test's thread
            out["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    holder = other.info.backend_pid
    with kit.store.engine.connect() as probe:
        deadline = time.monotonic() + 60  # a hang guard, not a timing assertion
        while True:
            blocked = probe.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE %(pid)s = ANY(pg_blocking_pids(pid))",
                {"pid": holder},
            ).scalar_one()
            probe.rollback()  # pg_stat_activity is a snapshot per transaction: a fresh one
            if blocked or not worker.is_alive():
                break
            assert time.monotonic() < deadline, "the completion never waited for the lock"
            time.sleep(0.01)
    if blocked:
        meanwhile()
    other.commit()
    worker.join()
    assert blocked, "the completion finished without meeting the colleague's lock"
    if "error" in out:
        raise out["error"]
    return out.get("value")


@pytest.mark.postgres
def test_a_completion_is_two_autocommit_round_trips(pg_kit: EngineKit) -> None:
    kit = pg_kit
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    rt = kit.runtime
    rt.complete(_first_task_id(kit, "staf"), "staf")  # warm the caches
    # a case another process started: this one has not written it, so it reads it first
    # (a case it wrote last is completed in the write alone: test_pg_one_trip)
    other = Runtime(kit.store, kit.definitions, clock=kit.clock)
    task_id = other.instance_tasks(other.start(KEY, "staf").id)[0].id
    seen: list[tuple[str, bool]] = []

    def record(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        # psycopg sends a BEGIN before a statement (and a COMMIT after) unless in autocommit
        seen.append((statement.split()[0].upper(), conn.connection.driver_connection.autocommit))

    event.listen(kit.store.engine, "before_cursor_execute", record)
    try:
        result = rt.complete(task_id, "staf")
    finally:
        event.remove(kit.store.engine, "before_cursor_execute", record)
    assert seen == [("SELECT", True), ("WITH", True)], seen
    assert result.task.state == "completed"
    assert rt.check_consistency(result.task.instance_id) == []
    with kit.store.engine.connect() as conn:  # the pooled connection went back as it was
        assert conn.connection.driver_connection.autocommit is False


@pytest.mark.postgres
def test_a_claim_committed_while_the_statement_waits_leaves_no_trace(pg_kit: EngineKit) -> None:
    """The colleague's claim locks the instance (as ``claim`` does) and takes the task after
    our read; our statement waits for the instance lock, then finds the task held by someone
    else: nothing of ours is written, and the retry tells the user who holds it."""
    kit = pg_kit
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    kit.users.add("staf2", ["Staf"])
    rt = kit.runtime
    task_id = _first_task_id(kit, "staf")
    instance_id = rt.task(task_id).instance_id
    opened = rt.open_task(task_id, "staf")  # our read: the task unclaimed
    with _driver(kit) as other:
        before = _version(other, instance_id)
        other.execute("SELECT id FROM instances WHERE id = %s FOR UPDATE", (instance_id,))
        other.execute("UPDATE tasks SET assignee = 'staf2' WHERE id = %s", (task_id,))
        with pytest.raises(NotAllowed, match="staf2"):
            _while_blocked(kit, other, lambda: rt.complete(task_id, "staf", opened=opened))
        assert _version(other, instance_id) == before
    task = rt.task(task_id)
    assert (task.state, task.assignee) == ("ready", "staf2")
    assert _completions(kit, instance_id, task_id) == 0
    assert [t.id for t in rt.instance_tasks(instance_id)] == [task_id]
    assert rt.check_consistency(instance_id) == []
    done = rt.complete(task_id, "staf2")  # the holder still completes it, once
    assert done.task.state == "completed"
    assert _completions(kit, instance_id, task_id) == 1


@pytest.mark.postgres
def test_a_delegation_in_flight_neither_deadlocks_nor_is_overwritten(pg_kit: EngineKit) -> None:
    """The holder hands the task on while their own earlier form is being submitted: the
    delegation holds the task row and then adds its audit row (whose foreign key locks the
    instance for share). The completion's statement locks the instance without blocking
    that key check, so both finish: the delegation commits, the completion writes nothing
    and the retry says who holds the task now."""
    kit = pg_kit
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    kit.users.add("staf2", ["Staf"])
    rt = kit.runtime
    task_id = _first_task_id(kit, "staf")
    instance_id = rt.task(task_id).instance_id
    rt.claim(task_id, "staf")
    opened = rt.open_task(task_id, "staf")
    with _driver(kit) as other:
        before = _version(other, instance_id)
        other.execute("UPDATE tasks SET assignee = 'staf2' WHERE id = %s", (task_id,))

        def audit_row() -> None:  # as TaskNotes.delegate writes it, after the task row
            other.execute(
                "INSERT INTO audit (instance_id, at, \"user\", action, task_id, comment, "
                "attachments, target_user) VALUES (%s, now(), 'staf', 'delegate', %s, '', "
                "'[]', 'staf2')",
                (instance_id, task_id),
            )

        with pytest.raises(NotAllowed, match="staf2"):
            _while_blocked(kit, other, lambda: rt.complete(task_id, "staf", opened=opened),
                           audit_row)  # fmt: skip
        assert _version(other, instance_id) == before
    assert rt.task(task_id).assignee == "staf2"
    actions = [e.action for e in rt.history(instance_id)]
    assert actions == ["start", "claim", "delegate"]
    assert rt.check_consistency(instance_id) == []


@pytest.mark.postgres
def test_a_version_moved_while_the_statement_waits_is_retried_once(pg_kit: EngineKit) -> None:
    """Another writer moves the instance on while our statement waits for its lock: our
    statement writes nothing, the retry under the lock completes the task exactly once."""
    kit = pg_kit
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    rt = kit.runtime
    task_id = _first_task_id(kit, "staf")
    instance_id = rt.task(task_id).instance_id
    opened = rt.open_task(task_id, "staf")
    with _driver(kit) as other:
        before = _version(other, instance_id)
        other.execute(
            "UPDATE instances SET version_counter = version_counter + 1 WHERE id = %s",
            (instance_id,),
        )
        result = _while_blocked(kit, other, lambda: rt.complete(task_id, "staf", opened=opened))
        # the other writer's version, then the retry's: never a write of the stale read
        assert _version(other, instance_id) == before + 2
    assert result.task.state == "completed"
    assert _completions(kit, instance_id, task_id) == 1
    assert len(result.next_tasks) == 1
    assert rt.check_consistency(instance_id) == []


TERMINATE = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    id="Defs_terminate" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="two_desks" name="Dua meja" isExecutable="true">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_a" name="Staf">
        <bpmn:flowNodeRef>start</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>split</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>first</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>stop_all</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Lane_b" name="Kasubbag Umum">
        <bpmn:flowNodeRef>second</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>done</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:parallelGateway id="split">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:parallelGateway>
    <bpmn:userTask id="first" name="Putuskan">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="second" name="Siapkan">
      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="stop_all" name="Dihentikan">
      <bpmn:incoming>f4</bpmn:incoming>
      <bpmn:terminateEventDefinition id="term_1" />
    </bpmn:endEvent>
    <bpmn:endEvent id="done" name="Selesai"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="split" />
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="first" />
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="second" />
    <bpmn:sequenceFlow id="f4" sourceRef="first" targetRef="stop_all" />
    <bpmn:sequenceFlow id="f5" sourceRef="second" targetRef="done" />
  </bpmn:process>
</bpmn:definitions>
"""


def test_a_completion_that_ends_the_case_cancels_the_other_desk_in_the_same_write(
    kit: EngineKit,
) -> None:
    """A terminate end event: completing one of two parallel tasks ends the case, and the
    other task's row is cancelled by the same write (on PostgreSQL, the same statement)."""
    kit.definitions.deploy(TERMINATE)
    lanes = kit.user_per_lane(["Staf", "Kasubbag Umum"])
    rt = kit.runtime
    inst = rt.start("two_desks", lanes["Staf"])
    ready = {t.element_id: t for t in rt.instance_tasks(inst.id)}
    assert set(ready) == {"first", "second"}
    result = rt.complete(ready["first"].id, lanes["Staf"])
    assert result.instance_status == "completed" and result.next_tasks == ()
    states = {t.element_id: t.state for t in rt.instance_tasks(inst.id)}
    assert states == {"first": "completed", "second": "cancelled"}
    assert rt.instance(inst.id).status == "completed"
    assert [e.action for e in rt.history(inst.id)] == ["start", "complete"]
    assert rt.check_consistency(inst.id) == []


def _indexes(node: dict[str, Any]) -> set[str]:
    """The indexes a JSON plan (node) reads."""
    found = {node["Index Name"]} if "Index Name" in node else set()
    for child in node.get("Plans", ()):
        found |= _indexes(child)
    return found


_INSTANCE_COPY = (
    "definition_id, process_key, title, business_key, status, started_by, started_at, "
    "cancel_reason, state, spiff_version, serializer_version, version_counter, updated_at"
)
_TASK_COPY = (
    "definition_id", "process_key", "process_name", "instance_title", "business_key",
    "element_id", "name", "role", "assignee", "created", "due", "due_order", "comment",
)


def _other_cases(kit: EngineKit, task_id: str, count: int) -> None:
    """``count`` more cases like the task's, each with one ready and one completed task
    row (written in bulk: the rows a busy office has, without running each case)."""
    with kit.store.engine.begin() as conn:
        conn.exec_driver_sql(
            f"INSERT INTO instances ({_INSTANCE_COPY}) SELECT {_INSTANCE_COPY} FROM instances "
            "i CROSS JOIN generate_series(1, %(n)s) WHERE i.id = (SELECT instance_id FROM "
            "tasks WHERE id = %(task)s)",
            {"n": count, "task": task_id},
        )
        for state in ("ready", "completed"):
            conn.exec_driver_sql(
                f"INSERT INTO tasks (id, instance_id, state, {', '.join(_TASK_COPY)}) "
                "SELECT gen_random_uuid()::text, i.id, %(state)s, "
                f"{', '.join('t.' + c for c in _TASK_COPY)} "
                "FROM instances i CROSS JOIN tasks t WHERE t.id = %(task)s "
                "AND i.id <> t.instance_id",
                {"state": state, "task": task_id},
            )


@pytest.mark.postgres
def test_the_completion_visits_its_own_case_not_every_ready_task(pg_kit: EngineKit) -> None:
    """The completion's read (task, instance, user and the instance's ready task ids) and its
    write read the same few pages however many tasks other cases have open: counted by PostgreSQL
    itself (EXPLAIN ANALYZE buffers), on a fresh table whose statistics lag behind, the
    state in which the planner once walked every ready task to find one case's."""
    import json

    from engine.commands import _WORK_QUERY

    kit = pg_kit
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    rt = kit.runtime
    task_ids = [_first_task_id(kit, "staf")]
    _other_cases(kit, task_ids[0], 2000)
    sent: dict[str, Any] = {}

    def grab(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        sent.update(sql=statement, params=params)

    with kit.store.engine.connect() as conn:
        event.listen(kit.store.engine, "before_cursor_execute", grab)
        try:
            row = conn.execute(_WORK_QUERY, {"task_id": task_ids[-1], "user": "staf"}).one()
        finally:
            event.remove(kit.store.engine, "before_cursor_execute", grab)
        assert row.ready_ids == task_ids[-1]
        cursor = conn.connection.driver_connection.cursor()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sent["sql"], sent["params"])
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    pages = plan[0]["Plan"]["Shared Hit Blocks"] + plan[0]["Plan"]["Shared Read Blocks"]
    assert pages < 40, json.dumps(plan, indent=1)[:3000]

    # the write: the same statement run as EXPLAIN ANALYZE (which executes it), pages counted
    plans: list[Any] = []

    def explained(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> Any:
        if statement.startswith("WITH") and "UPDATE instances" in statement:
            statement = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement
        return statement, params

    def kept(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("EXPLAIN"):
            plans.append(cursor.fetchone()[0])

    event.listen(kit.store.engine, "before_cursor_execute", explained, retval=True)
    event.listen(kit.store.engine, "after_cursor_execute", kept)
    try:
        with pytest.raises(NoResultFound):  # the plan was read here, not the counts
            rt.complete(task_ids[-1], "staf")
    finally:
        event.remove(kit.store.engine, "before_cursor_execute", explained)
        event.remove(kit.store.engine, "after_cursor_execute", kept)
    write = json.loads(plans[0]) if isinstance(plans[0], str) else plans[0]
    pages = write[0]["Plan"]["Shared Hit Blocks"] + write[0]["Plan"]["Shared Read Blocks"]
    assert pages < 200, json.dumps(write, indent=1)[:3000]
    # and every row it reads it finds by its key (instance, task; and the user, which the
    # write checks itself when this process wrote the case last and read nothing before
    # it), never by a scan of the state indexes, whatever the planner's statistics say
    used = _indexes(write[0]["Plan"])
    assert used <= {"instances_pkey", "tasks_pkey", "users_username_key"}, used
    assert rt.task(task_ids[-1]).state == "completed"  # EXPLAIN ANALYZE did write it
    assert rt.check_consistency(rt.task(task_ids[-1]).instance_id) == []
