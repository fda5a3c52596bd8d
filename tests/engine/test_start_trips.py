"""Issue 14: the statements and round trips of a start, and where they are sent.

PostgreSQL: a warm start (this process started the key before) is one statement; a cold one
(the first of a key in a process, an explicit version, or after the warm statement wrote
nothing) is its read and that statement, each sent alone in autocommit on the connection the
store keeps for them (:meth:`Store.first_alone`, :meth:`Store.first_row_alone`): no pool
checkout, no BEGIN/COMMIT, no connection held while SpiffWorkflow works; a busy kept
connection (another thread) is never waited for. SQLite: the read, then BEGIN IMMEDIATE,
three INSERTs and COMMIT. A start that pushes a case out of the full state cache leaves that
case completable (from a read). Statements are counted as they reach the driver, never timed.
Skipped with a message when PostgreSQL cannot be reached."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from engine.commands import Commands
from engine.errors import NotAllowed, NotFound
from engine.runtime import Runtime
from engine.store import Store, audit, instances

from .conftest import SURAT, EngineKit, make_kit, make_store
from .test_pg_cold_alone import checkouts
from .test_pg_one_trip import other_process, pg_kit, ready_task, statements  # noqa: F401
from .test_start_alone import _alone_pid

KEY = "sop_surat_keluar"


def _counts(store: Store) -> tuple[int, int]:
    """(instances, audit rows) in the database."""
    with store.engine.connect() as conn:
        found = conn.execute(sa.select(sa.func.count()).select_from(instances)).scalar_one()
        logged = conn.execute(sa.select(sa.func.count()).select_from(audit)).scalar_one()
    return int(found), int(logged)


def _cold(kit: EngineKit) -> Runtime:
    """Another process's runtime whose next start of KEY is cold (its specs and statements
    made by a first start, the latest version then forgotten)."""
    cold = other_process(kit)
    cold.start(KEY, "staf")
    cold.commands._latest.clear()
    return cold


# -- PostgreSQL -------------------------------------------------------------------------------


@pytest.mark.postgres
def test_a_cold_start_is_a_read_and_one_write_alone_with_no_pool_checkout(
    pg_kit: EngineKit,  # noqa: F811
) -> None:
    kit = pg_kit
    cold = _cold(kit)
    alone = _alone_pid(kit.store)
    before = _counts(kit.store)
    with checkouts(kit.store) as seen:
        inst = cold.start(KEY, "staf", title="  Surat  masuk ")
    assert seen == []  # neither the read nor the write took a connection of the pool
    assert _alone_pid(kit.store) == alone  # both on the kept connection, still there
    assert _counts(kit.store) == (before[0] + 1, before[1] + 1)
    assert (inst.version, inst.title, inst.started_by, inst.status) == (
        1, "Surat masuk", "staf", "running")  # fmt: skip
    assert kit.runtime.check_consistency(inst.id) == []
    # the same statements as ever, in autocommit (no BEGIN/COMMIT round trips)
    cold.commands._latest.clear()
    with statements(kit.store) as sent:
        cold.start(KEY, "staf")
    assert sent == [("SELECT", True), ("WITH", True)]
    with statements(kit.store) as sent:  # and the next start is warm: one statement
        cold.start(KEY, "staf")
    assert sent == [("WITH", True)]
    # the case started cold is completed by this process without a read (it wrote it last)
    task_id = ready_task(cold, inst.id)
    with statements(kit.store) as sent:
        cold.complete(task_id, "staf")
    assert sent == [("WITH", True)]


@pytest.mark.postgres
def test_an_explicit_version_is_always_cold_and_takes_no_pool_checkout(
    pg_kit: EngineKit,  # noqa: F811
) -> None:
    kit = pg_kit
    kit.definitions.deploy(SURAT.read_bytes() + b"\n<!-- versi 2 -->\n")
    rt = kit.runtime
    rt.start(KEY, "staf", version=1)  # its statements and both definitions made once
    rt.start(KEY, "staf")
    rt.commands._latest.clear()
    with checkouts(kit.store) as seen:
        first = rt.start(KEY, "staf", version=1)
    assert seen == []
    with statements(kit.store) as sent:  # (watched: sent on a pooled connection instead)
        rt.start(KEY, "staf", version=1)
    assert sent == [("SELECT", True), ("WITH", True)]
    with checkouts(kit.store) as seen:
        latest = rt.start(KEY, "staf")
    assert seen == []
    assert (first.version, latest.version) == (1, 2)
    with pytest.raises(NotFound) as unknown:  # told by the start's own read
        rt.start(KEY, "staf", version=3)
    assert str(unknown.value.message) == f"Proses {KEY} versi 3 tidak ditemukan"
    with pytest.raises(NotFound):  # out of the column's bounds: refused before any read
        rt.start(KEY, "staf", version=2**31)
    assert rt.check_consistency(first.id) == [] and rt.check_consistency(latest.id) == []


@pytest.mark.postgres
def test_a_refused_cold_start_reads_alone_and_writes_nothing(pg_kit: EngineKit) -> None:  # noqa: F811
    kit = pg_kit
    kit.users.add("kadis", ["Kepala Dinas"])
    cold = _cold(kit)
    before = _counts(kit.store)
    with checkouts(kit.store) as seen:
        with pytest.raises(NotAllowed) as refused:
            cold.start(KEY, "kadis")
        with pytest.raises(NotFound) as unknown:
            cold.start(KEY, "nobody")
    assert seen == []
    with pytest.raises(NotFound):
        cold.start("sop_tidak_ada", "staf")
    assert str(refused.value.message) == (
        "Anda tidak memegang peran yang memulai proses ini (Staf)")  # fmt: skip
    assert str(unknown.value.message) == "Pengguna nobody tidak ditemukan"
    assert _counts(kit.store) == before


@pytest.mark.postgres
def test_a_busy_kept_connection_sends_a_cold_start_through_the_pool(
    pg_kit: EngineKit,  # noqa: F811
) -> None:
    kit = pg_kit
    cold = _cold(kit)
    alone = kit.store._alone
    assert alone is not None
    before = _counts(kit.store)
    with alone.lock, checkouts(kit.store) as seen:  # another thread's statement in flight
        inst = cold.start(KEY, "staf")
    assert len(seen) == 2  # the read and the write, each on a pooled connection
    assert _counts(kit.store) == (before[0] + 1, before[1] + 1)
    assert kit.runtime.check_consistency(inst.id) == []
    assert kit.store.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


@pytest.mark.postgres
def test_a_start_that_pushes_a_case_out_of_the_full_cache_leaves_it_completable(
    pg_kit: EngineKit,  # noqa: F811
) -> None:
    kit = pg_kit
    small = Runtime(kit.store, kit.definitions, clock=kit.clock)
    small.commands.states.size = 2
    first, second = small.start(KEY, "staf"), small.start(KEY, "staf")
    assert small.commands.states.live() == 2
    with statements(kit.store) as sent:
        third = small.start(KEY, "staf")  # pushes the first case out (its workflow freed)
    assert sent == [("WITH", True)]  # still one statement
    assert len(small.commands.states) == 2 and small.commands.states.live() == 2
    pushed, kept = ready_task(small, first.id), ready_task(small, third.id)
    assert small.commands.states.for_task(pushed) is None
    with statements(kit.store) as sent:  # the first case: read, deserialized, written
        small.complete(pushed, "staf")
    assert sent == [("SELECT", True), ("WITH", True)]
    with statements(kit.store) as sent:  # the third: from the workflow its start kept
        small.complete(kept, "staf")
    assert sent == [("WITH", True)]
    for case in (first, second, third):
        assert kit.runtime.check_consistency(case.id) == []
    assert [e.action for e in kit.runtime.history(first.id)] == ["start", "complete"]


# -- SQLite -----------------------------------------------------------------------------------


@pytest.fixture
def sqlite_kit(tmp_path: Path) -> Iterator[EngineKit]:
    store, _ = make_store("sqlite", tmp_path)
    made = make_kit(store)
    made.definitions.deploy(SURAT.read_bytes())
    made.users.add("staf", ["Staf"])
    yield made
    store.dispose()


@contextmanager
def sqlite_statements(store: Store) -> Iterator[list[str]]:
    """Every statement SQLite runs for connections checked out in the block (its trace
    callback: the store's own BEGIN IMMEDIATE/COMMIT and the kept cursor's statements too),
    first word, upper case."""
    seen: list[str] = []

    def trace(dbapi_conn: Any, *_: object) -> None:
        dbapi_conn.set_trace_callback(lambda sql: seen.append(sql.split()[0].upper()))

    event.listen(store.engine, "checkout", trace)
    try:
        yield seen
    finally:
        event.remove(store.engine, "checkout", trace)
        store.engine.dispose()  # no pooled connection keeps the callback


def test_a_sqlite_start_is_its_read_then_three_inserts_in_one_write_transaction(
    sqlite_kit: EngineKit,
) -> None:
    kit = sqlite_kit
    rt = kit.runtime
    assert isinstance(rt.commands, Commands) and not rt.commands.one_trip
    rt.start(KEY, "staf")
    with sqlite_statements(kit.store) as seen:
        inst = rt.start(KEY, "staf")
    assert seen == ["SELECT", "BEGIN", "INSERT", "INSERT", "INSERT", "COMMIT"], seen
    assert rt.check_consistency(inst.id) == []
    assert _counts(kit.store) == (2, 2)
