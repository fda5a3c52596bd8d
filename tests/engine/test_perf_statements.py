"""Issue 14: the work a completion and a start cost, counted where load cannot blur it.

Timings on a shared machine wander; the number of statements does not. These tests pin the
statement budget of the hot paths (a regression that adds a query per completion fails here,
long before a benchmark notices), and check that the per-request known user really saves the
user reads without widening what a user may see. Failed logins are counted in the database,
so every web process refuses the same guesser.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest

from engine.errors import NotAllowed, NotFound
from engine.login_failures import LoginFailures
from engine.records import KnownUser, known_user
from engine.runtime import Runtime
from engine.store import Store
from tests.support.statements import sent_statements

from .conftest import FIXTURES

SURAT = (FIXTURES / "surat_keluar.bpmn").read_bytes()
KEY = "sop_surat_keluar"


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """The SQL statements the store sends inside the block, by their first word (SQLite's
    BEGIN [IMMEDIATE] and COMMIT included: :func:`tests.support.statements.sent_statements`)."""
    seen: list[str] = []
    with sent_statements(store, lambda sql: seen.append(sql.split()[0].upper())):
        yield seen


def test_a_completion_is_one_read_and_one_short_write(kit) -> None:  # type: ignore[no-untyped-def]
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    rt = kit.runtime
    rt.complete(rt.instance_tasks(rt.start(KEY, "staf").id)[0].id, "staf")  # warm the caches
    # a case another process wrote (PostgreSQL: one this process wrote last needs no read,
    # tests/engine/test_pg_one_trip.py)
    other = Runtime(kit.store, kit.definitions, clock=kit.clock)
    task = rt.instance_tasks(other.start(KEY, "staf").id)[0]
    with statements(kit.store) as seen:
        result = rt.complete(task.id, "staf")
    assert result.task.state == "completed"
    # one SELECT (task + instance + user + the instance's ready ids), then the writes: the
    # instance (version-checked), the task, the next task, the audit row
    if kit.store.dialect == "sqlite":  # the write lock is taken after SpiffWorkflow worked
        assert seen == ["SELECT", "BEGIN", "UPDATE", "UPDATE", "INSERT", "INSERT", "COMMIT"], seen
    else:  # the four writes in one statement; both in autocommit: two round trips
        assert seen == ["SELECT", "WITH"], seen
    assert kit.runtime.check_consistency(task.instance_id) == []
    history = kit.runtime.history(task.instance_id)
    assert [e.action for e in history][-1] == "complete" and history[-1].task_id == task.id
    assert [t.state for t in result.next_tasks] == ["ready"]


def test_a_start_is_one_read_and_one_write(kit) -> None:  # type: ignore[no-untyped-def]
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    kit.runtime.start(KEY, "staf")  # warm
    # another process: the read first (PostgreSQL: a process that started the key before
    # starts it in the write alone, tests/engine/test_pg_one_trip.py)
    rt = Runtime(kit.store, kit.definitions, clock=kit.clock)
    with statements(kit.store) as seen:
        inst = rt.start(KEY, "staf")
    assert inst.status == "running"
    if kit.store.dialect == "sqlite":  # the instance, its first task, the audit row
        assert seen == ["SELECT", "BEGIN", "INSERT", "INSERT", "INSERT", "COMMIT"], seen
    else:  # the three INSERTs in one statement, the task and audit rows with the new id;
        # both in autocommit (the one write is atomic by itself): no BEGIN/COMMIT round trip
        assert seen == ["SELECT", "WITH"], seen
    first = kit.runtime.instance_tasks(inst.id)
    assert [(t.instance_id, t.state) for t in first] == [(inst.id, "ready")]
    assert [(e.instance_id, e.action) for e in kit.runtime.history(inst.id)] == [(inst.id, "start")]
    assert kit.runtime.check_consistency(inst.id) == []


def test_start_still_refuses_unknown_and_deactivated_users(kit) -> None:  # type: ignore[no-untyped-def]
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    with pytest.raises(NotFound, match="Pengguna hantu"):
        kit.runtime.start(KEY, "hantu")
    kit.users.set_active("staf", False)
    with pytest.raises(NotAllowed, match="tidak aktif"):
        kit.runtime.start(KEY, "staf")
    with pytest.raises(NotFound, match="Proses sop_tidak_ada"):
        kit.runtime.start("sop_tidak_ada", "staf")


def test_completion_refuses_a_deactivated_user_read_in_the_same_statement(kit) -> None:  # type: ignore[no-untyped-def]
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    kit.users.add("staf2", ["Staf"])
    task = kit.runtime.instance_tasks(kit.runtime.start(KEY, "staf").id)[0]
    kit.users.set_active("staf2", False)
    with pytest.raises(NotAllowed, match="tidak aktif"):
        kit.runtime.complete(task.id, "staf2")
    with pytest.raises(NotFound, match="Pengguna hantu"):
        kit.runtime.complete(task.id, "hantu")
    assert kit.runtime.complete(task.id, "staf").task.completed_by == "staf"


def test_a_known_user_saves_the_user_reads_of_inbox_and_badges(kit) -> None:  # type: ignore[no-untyped-def]
    kit.definitions.deploy(SURAT)
    kit.users.add("staf", ["Staf"])
    kit.runtime.start(KEY, "staf")
    with statements(kit.store) as unknown:
        kit.runtime.inbox("staf")
        kit.runtime.count_inbox("staf")
    with statements(kit.store) as known, known_user(KnownUser("staf", ("Staf",))):
        page, total = kit.runtime.inbox("staf")
        counts = kit.runtime.count_inbox("staf")
    assert total == 1 and counts["all"] == 1 and page[0].role == "Staf"
    assert unknown.count("SELECT") - known.count("SELECT") == 2
    # the known user is only ever the one named: another user's read still reads its row
    with known_user(KnownUser("staf", ("Staf",))), pytest.raises(NotFound):
        kit.runtime.count_inbox("hantu")


def test_login_failures_are_shared_by_every_process_and_expire(store: Store) -> None:
    now = [datetime(2026, 12, 7, 9, 0, tzinfo=UTC)]
    one = LoginFailures(store, max_failures=3, window_seconds=60, clock=lambda: now[0])
    other = LoginFailures(store, max_failures=3, window_seconds=60, clock=lambda: now[0])
    keys = ("ip:10.0.0.9", "user:staf")
    one.fail(*keys)
    other.fail(*keys)
    assert one.retry_after(*keys) == 0
    now[0] += timedelta(seconds=10)
    other.fail("user:staf")  # the third failure, on the other process
    assert one.retry_after("user:staf") == 51  # the oldest leaves the window in 50 s (+1)
    assert one.retry_after("ip:10.0.0.9") == 0  # two failures only for the address
    now[0] += timedelta(seconds=51)
    assert other.retry_after(*keys) == 0
    one.fail(*keys)
    one.succeed(*keys)
    assert other.retry_after(*keys) == 0
    long_key = "user:" + "x" * 500  # a username longer than the column: cut, still counted
    for _ in range(3):
        one.fail(long_key)
    assert other.retry_after(long_key) > 0


def test_a_write_that_lost_the_race_is_retried_and_nothing_is_doubled(kit) -> None:  # type: ignore[no-untyped-def]
    """The reads and SpiffWorkflow's work take no lock: when a colleague completes the sibling
    task of a parallel split in between, the version check of the write (on PostgreSQL inside
    the one write statement) refuses it, nothing of it is kept, and the retry under the lock
    completes it on top of the colleague's work."""
    kit.definitions.deploy(SURAT)
    lanes = kit.user_per_lane(["Staf", "Kasubbag Umum", "Kepala Dinas"])
    rt = kit.runtime
    inst = rt.start(KEY, lanes["Staf"])
    for _ in range(6):  # to the parallel split: "Mengarsipkan" and "Mengirim" both ready
        ready = [t for t in rt.instance_tasks(inst.id) if t.state == "ready"]
        if len(ready) == 2:
            break
        for t in ready:
            rt.complete(t.id, lanes[t.role], decision="setuju" if t.allowed_decisions else None)
    first, second = sorted(ready, key=lambda t: t.element_id)
    commands = rt.commands
    advance = commands._advance
    meddled: list[str] = []

    def meddling_advance(work):  # type: ignore[no-untyped-def]
        if not meddled:  # once: the colleague finishes the sibling task meanwhile
            meddled.append(second.id)
            rt.complete(second.id, lanes[second.role])
        advance(work)

    commands._advance = meddling_advance  # type: ignore[method-assign]
    try:
        rt.complete(first.id, lanes[first.role])
    finally:
        commands._advance = advance  # type: ignore[method-assign]
    assert meddled == [second.id]
    states = {t.id: t.state for t in rt.instance_tasks(inst.id)}
    assert states[first.id] == states[second.id] == "completed"
    done = [e.task_id for e in rt.history(inst.id) if e.action == "complete"]
    assert done.count(first.id) == 1 and done.count(second.id) == 1
    assert rt.check_consistency(inst.id) == []
