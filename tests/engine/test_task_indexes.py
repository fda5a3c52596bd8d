"""The task table's indexes serve every statement the engine runs over it: none scans the
whole table (SQLite's plans, asked of every statement a working day of the engine sends).
Migration 0011 dropped the one-column indexes no query used; this is the guard that no query
needed them, and that a later query does not start scanning the table without an index."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from engine.notifier import Notifier, NotifySettings, runtime_inbox
from tests.engine.conftest import SURAT, make_kit, store_of

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
