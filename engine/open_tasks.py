"""Every open task of the office, for the admin who balances the work: filtered and paged.

Why not :meth:`engine.queries.Queries.tasks`: that one answers "what is on these desks" (a
user's tasks plus their roles' unclaimed ones, merged branch by branch); the admin asks the
opposite question, "where is the work stuck", filtering by process, role, holder and lateness
at once. One plain query on ``tasks`` with the filters as conditions serves it; the
``(state, role, ...)`` and ``(state, assignee, ...)`` indexes cover the narrow filters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from engine.analysis import Analysis
from engine.records import TaskRow, to_task
from engine.status import TaskState
from engine.store import Store, tasks

UNCLAIMED = "-"
"""The ``assignee`` filter value that means "held by nobody yet"."""


@dataclass(frozen=True)
class OpenTaskFilter:
    """Empty fields filter nothing; ``assignee`` may be :data:`UNCLAIMED`."""

    process_key: str = ""
    role: str = ""
    assignee: str = ""
    overdue: bool = False


class OpenTasks:
    def __init__(
        self, store: Store, meta: Callable[[int], Analysis], clock: Callable[[], datetime]
    ) -> None:
        self.store = store
        self.meta = meta
        self.clock = clock

    def page(
        self, flt: OpenTaskFilter, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[TaskRow], int]:
        """One page of open tasks by due date (undated last), oldest first; and the total."""
        now = self.clock()
        conds: list[Any] = [tasks.c.state == TaskState.READY]
        if flt.process_key:
            conds.append(tasks.c.process_key == flt.process_key)
        if flt.role:
            conds.append(tasks.c.role == flt.role)
        if flt.assignee == UNCLAIMED:
            conds.append(tasks.c.assignee.is_(None))
        elif flt.assignee:
            conds.append(tasks.c.assignee == flt.assignee)
        if flt.overdue:
            conds.append(tasks.c.due_order < now)
        query = (
            sa.select(tasks)
            .where(*conds)
            .order_by(tasks.c.due_order, tasks.c.created, tasks.c.id)
            .limit(limit)
            .offset(offset)
        )
        with self.store.begin(write=False) as conn:
            rows = conn.execute(query).all()
            total = conn.execute(
                sa.select(sa.func.count()).select_from(tasks).where(*conds)
            ).scalar_one()
        out = [to_task(r, self.meta(r.definition_id).task(r.element_id), now) for r in rows]
        return out, int(total)
