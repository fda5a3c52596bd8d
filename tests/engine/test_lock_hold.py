"""Issue 14, SQLite: a completion makes every row, value and its answer before it takes the
write lock, so another writer waits only for the statements themselves (two workers on one
SQLite file scale only as far as the lock lets them)."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from engine.commands import Commands
from engine.store import Store
from tests.engine.conftest import SURAT, make_kit


def _lock_is_free(store: Store) -> bool:
    """Another connection can take SQLite's write lock at once."""
    path = store.engine.url.database
    assert path, "a file database"
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_the_completion_is_planned_before_the_write_lock(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = make_kit(sqlite_store)
    kit.definitions.deploy(SURAT.read_bytes())
    users = kit.user_per_lane(["Staf", "Kasubbag Umum", "Sekretaris", "Kepala Dinas"])
    inst = kit.runtime.start("sop_surat_keluar", users["Staf"])
    (task,) = kit.runtime.instance_tasks(inst.id)
    seen: list[bool] = []
    plan = Commands._plan

    def spying(self: Commands, *args: Any, **kwargs: Any) -> Any:
        seen.append(_lock_is_free(sqlite_store))
        return plan(self, *args, **kwargs)

    monkeypatch.setattr(Commands, "_plan", spying)
    result = kit.runtime.complete(task.id, users["Staf"])
    assert seen == [True], "the plan was made while the write lock was held"
    # the answer made before the write is what the write did
    (nxt,) = result.next_tasks
    assert [t.id for t in kit.runtime.instance_tasks(inst.id) if t.state == "ready"] == [nxt.id]
    assert result.task.state == "completed" and result.task.completed_by == users["Staf"]
