"""Generated case histories with known truth, for the compliance report's tests and bench.

The histories are written straight into the store's tables in the shape the runtime writes
them (one ``tasks`` row per step execution with created/due/completed, ``audit`` rows for
claims and completions), because driving SpiffWorkflow for hundreds or ten thousand cases
would take minutes and the report only reads those tables. ``tests/engine/test_compliance.py``
also checks the report against cases driven through the real runtime, so the shape is kept
honest.

Every case of :func:`generate` follows the IKU fixture (``tests/webui/fixtures/iku.bpmn``):
step_1 (Mutu Baku 1 hari kerja) → step_2 (2 jam) → step_3 (decision, 30 menit; a rejection
returns to step_2) → step_4 (decision, 1 hari kerja) → end. Case ``i`` (1-based):

* starts at 08:00 WIB on the ``i``-th working day from ``first_day`` (cycling ``per_day``
  cases per day), so holidays and weekends fall between its steps;
* step_1 takes 720 office minutes when ``i % 4 == 0`` (late: due after 480), else 240;
  claimed 30 office minutes after it was created;
* step_2 takes 60 office minutes, step_3 20 (never crossing the closing time);
* step_3 rejects twice when ``i % 25 == 0``, once when ``i % 5 == 0``, else never;
* step_4 takes 600 office minutes when ``i % 3 == 0`` (late), else 120; claimed after 15
  office minutes when ``i`` is even.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from engine.analysis import Analysis
from engine.calendar import WorkingCalendar
from engine.store import FAR_FUTURE, Store, audit, definitions, instances, tasks

WIB = ZoneInfo("Asia/Jakarta")
USERS = {"Kasubbag PEKK": "kasubbag", "Pengadministrasian Umum": "pengadm",
         "Kepala Dinas": "kadis"}  # fmt: skip


def step1_minutes(i: int) -> int:
    return 720 if i % 4 == 0 else 240


def step4_minutes(i: int) -> int:
    return 600 if i % 3 == 0 else 120


def rejections(i: int) -> int:
    return 2 if i % 25 == 0 else 1 if i % 5 == 0 else 0


@dataclass(frozen=True)
class Generated:
    cases: int
    first_start: datetime
    last_end: datetime


def working_days(calendar: WorkingCalendar, first: date) -> Any:
    day = first
    while True:
        if calendar.is_working_day(day):
            yield day
        day += timedelta(days=1)


def generate(
    store: Store,
    process_key: str,
    cases: int,
    *,
    first_day: date = date(2025, 12, 1),
    per_day: int = 1,
    calendar: WorkingCalendar | None = None,
    open_cases: int = 0,
) -> Generated:
    """Write ``cases`` completed cases (and ``open_cases`` running ones waiting at step_1)."""
    calendar = calendar or WorkingCalendar()
    with store.begin() as conn:
        d = conn.execute(
            definitions.select().where(definitions.c.key == process_key)
            .order_by(definitions.c.version.desc())
        ).first()  # fmt: skip
    assert d is not None
    meta = Analysis.from_dict(json.loads(d.meta))
    lane = {e: t.lane for e, t in meta.tasks.items()}
    days = working_days(calendar, first_day)
    inst_rows: list[dict[str, Any]] = []
    task_rows: list[dict[str, Any]] = []
    audit_rows: list[dict[str, Any]] = []
    first_start = last_end = None
    day = first_day
    for n in range(cases + open_cases):
        i = n + 1
        if n % per_day == 0:
            day = next(days)
        start = datetime.combine(day, time(8, 0), WIB).astimezone(UTC)
        first_start = first_start or start
        inst_id = i
        now = start

        def step(element: str, minutes: int, decision: str | None = None,
                 claim_after: int | None = None, done: bool = True,
                 inst_id: int = inst_id, i: int = i) -> None:
            nonlocal now
            props = meta.task(element).properties
            due = calendar.due_from_properties(now, props)
            tid = str(uuid.uuid4())
            role = lane[element]
            user = USERS.get(role, "u")
            completed = calendar.add_working_minutes(now, minutes) if done else None
            task_rows.append(dict(
                id=tid, instance_id=inst_id, definition_id=d.id, process_key=process_key,
                process_name=d.name, instance_title=f"Kasus {i}", business_key="",
                element_id=element, name=meta.task(element).name, role=role,
                state="completed" if done else "ready", assignee=user if done else None,
                created=now, due=due, due_order=due or FAR_FUTURE, completed=completed,
                completed_by=user if done else None, decision=decision, comment="",
            ))  # fmt: skip
            if claim_after is not None:
                audit_rows.append(dict(
                    instance_id=inst_id, at=calendar.add_working_minutes(now, claim_after),
                    user=user, action="claim", task_id=tid, element_id=element,
                    task_name=meta.task(element).name, decision=None, comment="",
                    attachments="[]"))  # fmt: skip
            if completed is not None:
                audit_rows.append(dict(
                    instance_id=inst_id, at=completed, user=user, action="complete",
                    task_id=tid, element_id=element, task_name=meta.task(element).name,
                    decision=decision, comment="", attachments="[]"))  # fmt: skip
                now = completed

        running = n >= cases
        step("step_1", step1_minutes(i), claim_after=30, done=not running)
        if not running:
            step("step_2", 60)
            for _ in range(rejections(i)):
                step("step_3", 20, "tidak_setuju")
                step("step_2", 60)
            step("step_3", 20, "setuju")
            step("step_4", step4_minutes(i), "setuju", claim_after=15 if i % 2 == 0 else None)
            last_end = now
        inst_rows.append(dict(
            id=inst_id, definition_id=d.id, process_key=process_key, title=f"Kasus {i}",
            business_key="", status="running" if running else "completed", started_by="kasubbag",
            started_at=start, ended_at=None if running else now, cancel_reason="", state="{}",
            spiff_version="3.2.0", serializer_version="1", version_counter=1,
            next_timer_at=None, updated_at=now))  # fmt: skip
    with store.begin() as conn:
        conn.execute(instances.insert(), inst_rows)
        conn.execute(tasks.insert(), task_rows)
        conn.execute(audit.insert(), audit_rows)
    assert first_start is not None
    return Generated(cases, first_start, last_end or first_start)
