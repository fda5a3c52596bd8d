"""The task table's indexes serve every statement the engine runs over it: none scans the
whole table (SQLite's plans, asked of every statement a working day of the engine sends).
Migrations 0011 and 0013 dropped the indexes no query used; this is the guard that no query
needed them, and that a later query does not start scanning the table without an index."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from engine.notifier import Notifier, NotifySettings, runtime_inbox
from engine.store import Store, tasks
from tests.engine.conftest import SURAT, drop_schema, make_kit, make_store, store_of

_SCAN = re.compile(r"SCAN tasks\b")


def test_no_statement_over_tasks_scans_the_table(tmp_path: Path) -> None:
    with store_of("sqlite", tmp_path) as store:
        kit = make_kit(store)
        scans: list[str] = []
        asked: set[str] = set()

        @sa.event.listens_for(store.engine, "before_cursor_execute")
        def _plan(conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                  executemany: bool) -> None:  # fmt: skip
            if executemany or statement in asked or "tasks" not in statement:
                return
            asked.add(statement)
            if not statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "WITH")):
                return
            driver = conn.connection.driver_connection
            plan = driver.execute("EXPLAIN QUERY PLAN " + statement, parameters or ()).fetchall()
            scans.extend(" ".join(statement.split())[:200] for row in plan
                         if _SCAN.match(row[-1]))  # fmt: skip

        kit.definitions.deploy(SURAT.read_bytes())
        lanes = kit.user_per_lane(["Staf", "Kasubbag Umum", "Kepala Dinas"])
        staff = lanes["Staf"]
        started = [kit.runtime.start("sop_surat_keluar", staff).id for _ in range(3)]
        kit.drive(started[0], lanes, reject_first=1)
        first = kit.runtime.instance_tasks(started[1])[0]
        kit.runtime.claim(first.id, lanes[first.role])
        for user in {*lanes.values(), "admin"}:
            for name in ("all", "mine", "roles", "overdue"):
                kit.runtime.inbox(user, filter=name, search="surat" if name == "all" else None)
            kit.runtime.count_inbox(user)
            kit.runtime.count_desk(user, 99)
        settings = NotifySettings("https://alur.contoh.go.id", "Asia/Jakarta", 7, None)
        notifier = Notifier(store, settings, runtime_inbox(kit.runtime), kit.clock)
        made = notifier.derive(kit.clock.now)  # new tasks
        kit.clock.advance(days=5)
        made += notifier.derive(kit.clock.now)  # overdue
        assert made > 0
        assert len(asked) > 20  # the day above did reach the task table many ways
        assert scans == []


def _task_indexes(store: Store) -> set[str]:
    return {i["name"] for i in sa.inspect(store.engine).get_indexes("tasks") if i["name"]}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migration_0013_leaves_exactly_the_declared_task_indexes(kind: str, tmp_path: Path) -> None:
    """The database holds the task indexes the model declares, no more (an index the code no
    longer declares would still cost a write per task row); 0013 goes back down cleanly."""
    store, schema = make_store(kind, tmp_path, "0012")
    try:
        assert {"ix_tasks_element_id", "ix_tasks_completed"} <= _task_indexes(store)
        store.upgrade()
        assert _task_indexes(store) == {i.name for i in tasks.indexes}
        assert not {"ix_tasks_element_id", "ix_tasks_completed"} & _task_indexes(store)
        store.downgrade("0012")
        assert {"ix_tasks_element_id", "ix_tasks_completed"} <= _task_indexes(store)
        assert store.current_revision() == "0012"
    finally:
        store.dispose()
        if schema:
            drop_schema(schema)
