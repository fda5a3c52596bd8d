"""Issue 14 on PostgreSQL: a completion of a case this process did not write last (the cold
path: read, deserialize, one write statement) sends its read and its write alone, on the
connection the store keeps for statements sent alone (:meth:`Store.first_alone`,
:meth:`Store.first_row_alone`): no pool checkout around them and no connection held while
SpiffWorkflow works. Everything else must be as on the pooled path it replaced: the same
statements, the same answers and errors, a busy kept connection (another thread) never
waited for. Skipped with a message when PostgreSQL cannot be reached."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from engine.errors import AlreadyCompleted, NotAllowed, NotFound
from engine.runtime import Runtime
from engine.store import Store

from .conftest import EngineKit
from .test_pg_one_trip import other_process, pg_kit, ready_task  # noqa: F401 (fixture)
from .test_start_alone import _alone_pid

pytestmark = pytest.mark.postgres

KEY = "sop_surat_keluar"


@contextmanager
def checkouts(store: Store) -> Iterator[list[int]]:
    """Pool checkouts while the block runs (an event on the pool: no statement is watched,
    so the statements sent alone go their own way)."""
    seen: list[int] = []

    def count(*_args: object) -> None:
        seen.append(1)

    event.listen(store.engine, "checkout", count)
    try:
        yield seen
    finally:
        event.remove(store.engine, "checkout", count)


def _cases(kit: EngineKit, n: int) -> list[int]:
    """``n`` new cases (the fixture deployed the process and added "staf"), and a user of
    the second step's lane."""
    kit.users.add("kasubbag", ["Kasubbag Umum"])
    return [kit.runtime.start(KEY, "staf").id for _ in range(n)]


def test_a_cold_completion_takes_no_pooled_connection(pg_kit: EngineKit) -> None:  # noqa: F811
    kit = pg_kit
    cases = _cases(kit, 3)
    cold = other_process(kit)  # its own caches: every case here is cold for it
    cold.complete(ready_task(cold, cases[0]), "staf")  # its specs and statements made once
    alone = _alone_pid(kit.store)
    task_id = ready_task(cold, cases[1])
    with checkouts(kit.store) as seen:
        done = cold.complete(task_id, "staf")
    assert seen == []  # neither the read nor the write took a connection of the pool
    assert done.task.state == "completed" and done.task.completed_by == "staf"
    assert [t.element_id for t in done.next_tasks] == ["step_2"]
    assert _alone_pid(kit.store) == alone  # the same kept connection, still there
    assert kit.runtime.check_consistency(cases[1]) == []
    # the answers of the read are today's: completed already, someone else's, unknown
    with pytest.raises(AlreadyCompleted):
        other_process(kit).complete(task_id, "staf")
    next_id = ready_task(cold, cases[1])
    with pytest.raises(NotAllowed):
        other_process(kit).complete(next_id, "staf")
    with pytest.raises(NotFound):
        other_process(kit).complete("00000000-0000-4000-8000-000000000000", "staf")
    other_process(kit).complete(next_id, "kasubbag", "setuju")
    assert kit.runtime.check_consistency(cases[1]) == []


def test_a_busy_kept_connection_sends_the_read_through_the_pool(pg_kit: EngineKit) -> None:  # noqa: F811
    kit = pg_kit
    cases = _cases(kit, 2)
    cold: Runtime = other_process(kit)
    cold.complete(ready_task(cold, cases[0]), "staf")
    alone = kit.store._alone
    assert alone is not None
    task_id = ready_task(cold, cases[1])
    with alone.lock, checkouts(kit.store) as seen:  # another thread holds it
        done = cold.complete(task_id, "staf")
    assert len(seen) == 2  # the read and the write, each on a pooled connection
    assert done.task.state == "completed"
    assert kit.runtime.check_consistency(cases[1]) == []
