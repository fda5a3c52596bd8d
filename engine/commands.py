"""The runtime's write side: start, complete, claim/unclaim/reassign, cancel, fire timers.

SpiffWorkflow holds the truth about where an instance is (its serialized state in
``instances.state``); the ``tasks`` table is an index of the human tasks kept in step with it
inside the same transaction, so inboxes and dashboards are one indexed query and never
deserialize a workflow. Every change of an instance (state, task rows, audit rows) is one
transaction, guarded twice: the instance row is locked (``SELECT ... FOR UPDATE`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite) and its ``version_counter`` must still be the one
read, so of two people completing the same task exactly one wins and the other is told who
finished it first.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from types import SimpleNamespace
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.analysis import Decision, HumanTask
from engine.calendar import WorkingCalendar
from engine.conditions import SafeScriptEngine
from engine.definitions import Definitions
from engine.errors import (
    AlreadyCompleted,
    BadInput,
    CommentRequired,
    Conflict,
    EngineError,
    ExecutionFailed,
    InvalidDecision,
    NotAllowed,
    TaskNotReady,
)
from engine.records import (
    CompletionResult,
    Instance,
    TaskRow,
    active_user,
    instance_query,
    instance_row,
    roles_of,
    task_row,
    to_instance,
    to_task,
)
from engine.serializer import SPIFF_VERSION, WorkflowCodec
from engine.status import InstanceStatus, TaskState
from engine.store import FAR_FUTURE, Store, audit, inserted_id, instances, tasks

_MAX_ATTEMPTS = 5
TIMER_RETRY = timedelta(minutes=15)  # when a timer failed to fire, try that instance again then

T = TypeVar("T")


class _LostRace(Exception):
    """The instance changed between read and write; retry the whole transaction."""


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


class Commands:
    """Every change to instances and tasks; each public method is one write transaction
    (retried when another writer changed the instance in between)."""

    def __init__(
        self,
        store: Store,
        definitions: Definitions,
        codec: WorkflowCodec,
        calendar: WorkingCalendar,
        clock: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.definitions = definitions
        self.codec = codec
        self.calendar = calendar
        self.clock = clock
        self.timer_errors: list[tuple[int, str]] = []  # (instance id, message) of the last run

    @property
    def script_engine(self) -> SafeScriptEngine:
        return self.codec.script_engine

    # -- start -----------------------------------------------------------------------------

    def start(
        self,
        key: str,
        user: str,
        title: str = "",
        business_key: str = "",
        version: int | None = None,
    ) -> Instance:
        """Start an instance of ``key`` (latest version unless ``version``).

        ``user`` must hold one of the lanes of the first human tasks, unless an administrator;
        an empty ``user`` is the operator at the command line.
        """
        from SpiffWorkflow.bpmn import BpmnWorkflow

        definition = self.definitions.get(key, version)
        spec, subprocesses = self.definitions.spec(definition.id)
        now = self.clock()
        with self.store.begin() as conn:
            if user:
                row = active_user(conn, user)
                roles = set(roles_of(row))
                if (
                    not row.is_admin
                    and definition.first_lanes
                    and not roles & set(definition.first_lanes)
                ):
                    raise NotAllowed(
                        f"Anda tidak memegang peran yang memulai proses ini "
                        f"({', '.join(definition.first_lanes)})"
                    )
            workflow = BpmnWorkflow(spec, subprocesses, script_engine=self.script_engine)
            try:
                workflow.do_engine_steps()
            except Exception as exc:
                raise ExecutionFailed(_spiff_message("Proses tidak dapat dimulai", exc)) from None
            status = _status_of(workflow)
            result = conn.execute(
                instances.insert().values(
                    definition_id=definition.id,
                    process_key=definition.key,
                    title=_clean(title) or definition.name,
                    business_key=_clean(business_key),
                    status=status,
                    started_by=user,
                    started_at=now,
                    ended_at=now if status != InstanceStatus.RUNNING else None,
                    cancel_reason="",
                    state=self.codec.dump(workflow),
                    spiff_version=SPIFF_VERSION,
                    serializer_version=self.codec.version,
                    version_counter=1,
                    next_timer_at=(
                        _next_timer(workflow, now) if status == InstanceStatus.RUNNING else None
                    ),
                    updated_at=now,
                )
            )
            instance_id = inserted_id(result)
            inst = conn.execute(sa.select(instances).where(instances.c.id == instance_id)).one()
            self._sync(conn, inst, workflow, now)
            self._audit(conn, instance_id, now, user, "start")
            out = conn.execute(instance_query().where(instances.c.id == instance_id)).one()
            return to_instance(out)

    # -- complete --------------------------------------------------------------------------

    def complete(
        self,
        task_id: str,
        user: str,
        decision: str | None = None,
        comment: str = "",
        attachments: Sequence[str] = (),
    ) -> CompletionResult:
        """Complete a ready task as ``user`` with the form's decision and a comment."""
        return self._retry(
            lambda: self._complete_once(str(task_id), user, decision, comment, attachments)
        )

    def _complete_once(
        self,
        task_id: str,
        user: str,
        decision: str | None,
        comment: str,
        attachments: Sequence[str],
    ) -> CompletionResult:
        from SpiffWorkflow.util.task import TaskState as SpiffState

        comment = (comment or "").strip()
        now = self.clock()
        with self.store.begin() as conn:
            row, inst = self._workable(conn, task_id)
            user_row = active_user(conn, user)
            if row.assignee and row.assignee != user:
                raise NotAllowed(f"Tugas ini sedang ditangani oleh {row.assignee}")
            if not row.assignee and row.role not in roles_of(user_row):
                raise NotAllowed(_role_message(row.role))
            info = self.definitions.meta(row.definition_id).task(row.element_id)
            value = _check_decision(info.decision, decision, comment)
            workflow = self.codec.load(inst.state, conn)
            try:
                spiff_task = workflow.get_task_from_id(uuid.UUID(task_id))
            except Exception:  # TaskNotFoundException: the row and the state disagree
                spiff_task = None
            if spiff_task is None or spiff_task.state != SpiffState.READY:
                raise TaskNotReady("Tugas ini tidak siap dikerjakan menurut status proses")
            if info.decision is not None:
                # written on every submit: a loop's second pass must not reuse the old answer
                spiff_task.data[info.decision.field] = value
            try:
                spiff_task.run()
                workflow.do_engine_steps()
            except Exception as exc:
                raise ExecutionFailed(
                    _spiff_message("Proses tidak dapat dilanjutkan", exc)
                ) from None
            self._save(conn, inst, workflow, now)
            finished = dict(state=TaskState.COMPLETED, completed=now, completed_by=user,
                            decision=value, comment=comment,
                            assignee=row.assignee or user)  # fmt: skip
            done = conn.execute(
                tasks.update()
                .where(tasks.c.id == task_id, tasks.c.state == TaskState.READY)
                .values(**finished)
            )
            if done.rowcount != 1:
                raise _LostRace()
            nxt = self._sync(conn, inst, workflow, now, done=task_id)
            self._audit(conn, inst.id, now, user, "complete", task=row, decision=value,
                        comment=comment, attachments=attachments)  # fmt: skip
            values = dict(row._mapping)
            values.update(finished)
            return CompletionResult(
                task=to_task(SimpleNamespace(**values), info, now),
                next_tasks=tuple(nxt),
                instance_status=_status_of(workflow),
            )

    # -- claim / unclaim / reassign --------------------------------------------------------

    def claim(self, task_id: str, user: str) -> TaskRow:
        return self._assign(str(task_id), user, "claim", user)

    def unclaim(self, task_id: str, user: str) -> TaskRow:
        return self._assign(str(task_id), user, "unclaim", None)

    def reassign(self, task_id: str, to_user: str, by_user: str) -> TaskRow:
        return self._assign(str(task_id), by_user, "reassign", to_user)

    def _assign(self, task_id: str, by: str, action: str, to: str | None) -> TaskRow:
        """Set a ready task's assignee; ``action`` ("claim", "unclaim", "reassign") decides
        who may do it and is the audit action recorded."""
        now = self.clock()
        with self.store.begin() as conn:
            row, inst = self._workable(conn, task_id)
            actor = active_user(conn, by)
            if action == "claim":
                if row.role not in roles_of(actor):
                    raise NotAllowed(_role_message(row.role))
                if row.assignee and row.assignee != by:
                    raise NotAllowed(f"Tugas ini sudah diambil oleh {row.assignee}")
                if row.assignee == by:  # already mine: nothing changes, nothing to record
                    return self._to_task(row, now)
            elif action == "unclaim":
                if row.assignee != by and not actor.is_admin:
                    raise NotAllowed("Hanya pemegang tugas atau admin yang dapat melepasnya")
            else:  # reassign
                if not actor.is_admin:
                    raise NotAllowed("Hanya admin (atasan) yang dapat mengalihkan tugas")
                active_user(conn, str(to))
            conn.execute(tasks.update().where(tasks.c.id == task_id).values(assignee=to))
            comment = f"dialihkan kepada {to}" if action == "reassign" else ""
            self._audit(conn, inst.id, now, by, action, task=row, comment=comment)
            return self._to_task(task_row(conn, task_id), now)

    # -- cancel ----------------------------------------------------------------------------

    def cancel(self, instance_id: int, user: str, reason: str) -> Instance:
        """Cancel a running instance (administrators only; a reason is required)."""
        reason = (reason or "").strip()
        if not reason:
            raise BadInput("Alasan pembatalan wajib diisi")

        def once() -> Instance:
            now = self.clock()
            with self.store.begin() as conn:
                if user:
                    actor = active_user(conn, user)
                    if not actor.is_admin:
                        raise NotAllowed("Hanya admin yang dapat membatalkan proses")
                inst = self._lock_instance(conn, instance_id)
                if inst.status != InstanceStatus.RUNNING:
                    raise TaskNotReady(f"Proses ini sudah {InstanceStatus(inst.status).label}")
                workflow = self.codec.load(inst.state, conn)
                workflow.cancel()
                self._save(conn, inst, workflow, now, status=InstanceStatus.CANCELLED,
                           cancel_reason=reason)  # fmt: skip
                conn.execute(
                    tasks.update()
                    .where(tasks.c.instance_id == inst.id, tasks.c.state == TaskState.READY)
                    .values(state=TaskState.CANCELLED, completed=now)
                )
                self._audit(conn, inst.id, now, user, "cancel", comment=reason)
                out = conn.execute(instance_query().where(instances.c.id == inst.id)).one()
                return to_instance(out)

        return self._retry(once)

    # -- timers ----------------------------------------------------------------------------

    def fire_timers(self, now: datetime | None = None, limit: int = 100) -> int:
        """Fire every timer due at ``now``; returns how many fired. Safe on several hosts."""
        now = now or self.clock()
        with self.store.begin(write=False) as conn:
            due_ids = [
                r.id
                for r in conn.execute(
                    sa.select(instances.c.id)
                    .where(
                        instances.c.status == InstanceStatus.RUNNING,
                        instances.c.next_timer_at <= now,
                    )
                    .order_by(instances.c.next_timer_at)
                    .limit(limit)
                )
            ]
        fired = 0
        self.timer_errors = []
        for instance_id in due_ids:
            try:
                fired += self._retry(partial(self._fire_one, instance_id, now))
            except Conflict:
                continue  # another worker is on it
            except EngineError as exc:
                # one broken instance must not stall the others queued behind it: record the
                # error, look again later, carry on
                self.timer_errors.append((instance_id, exc.message))
                with self.store.begin() as conn:
                    conn.execute(
                        instances.update()
                        .where(instances.c.id == instance_id)
                        .values(next_timer_at=now + TIMER_RETRY)
                    )
        return fired

    def _fire_one(self, instance_id: int, now: datetime) -> int:
        from SpiffWorkflow.util.task import TaskState as SpiffState

        with self.store.begin() as conn:
            query = sa.select(instances).where(
                instances.c.id == instance_id,
                instances.c.status == InstanceStatus.RUNNING,
                instances.c.next_timer_at <= now,
            )
            if self.store.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            inst = conn.execute(query).first()
            if inst is None:
                return 0  # fired by another worker meanwhile, or locked by one right now
            workflow = self.codec.load(inst.state, conn)
            fired = []
            for task in workflow.get_tasks(state=SpiffState.WAITING):
                when = _timer_value(task)
                if when is not None and when <= now:
                    task._set_internal_data(event_fired=True)
                    fired.append(task)
            if fired:
                try:
                    workflow.refresh_timers()
                    workflow.do_engine_steps()
                except Exception as exc:
                    raise ExecutionFailed(_spiff_message("Timer gagal dijalankan", exc)) from None
            self._save(conn, inst, workflow, now)
            if fired:
                self._sync(conn, inst, workflow, now)
                for task in fired:
                    spec = task.task_spec
                    self._audit(conn, inst.id, now, "", "timer", element_id=spec.bpmn_id,
                                task_name=spec.bpmn_name or spec.bpmn_id)  # fmt: skip
            return len(fired)

    # -- the steps every command shares ----------------------------------------------------

    def _retry(self, action: Callable[[], T]) -> T:
        for _attempt in range(_MAX_ATTEMPTS):
            try:
                return action()
            except _LostRace:
                continue
        raise Conflict("Instansi sedang diubah oleh pengguna lain; silakan coba lagi")

    def _to_task(self, row: Any, now: datetime) -> TaskRow:
        return to_task(row, self.definitions.meta(row.definition_id).task(row.element_id), now)

    def _lock_instance(self, conn: Connection, instance_id: int) -> Any:
        query = sa.select(instances)
        if self.store.dialect == "postgresql":
            query = query.with_for_update()
        return instance_row(conn, instance_id, query)

    def _workable(self, conn: Connection, task_id: str) -> tuple[Any, Any]:
        """The task row and its locked instance row, when the task can be worked on now."""
        row = task_row(conn, task_id)
        inst = self._lock_instance(conn, row.instance_id)
        if self.store.dialect != "sqlite":  # re-read under the row lock (SQLite: BEGIN
            row = task_row(conn, task_id)  # IMMEDIATE already holds the write lock)
        if row.state == TaskState.COMPLETED:
            raise AlreadyCompleted(row.completed_by, row.completed)
        if row.state != TaskState.READY or inst.status != InstanceStatus.RUNNING:
            raise TaskNotReady(_not_ready_message(row.state, inst.status))
        return row, inst

    def _save(
        self, conn: Connection, inst: Any, workflow: Any, now: datetime, **values: Any
    ) -> None:
        """Write the workflow back, if the instance is still at the version read (else
        :class:`_LostRace`); an instance that stops running gets its ``ended_at``."""
        status = values.pop("status", None) or (
            InstanceStatus.COMPLETED if workflow.is_completed() else inst.status
        )
        running = status == InstanceStatus.RUNNING
        if not running and "ended_at" not in values:
            values["ended_at"] = now
        result = conn.execute(
            instances.update()
            .where(instances.c.id == inst.id, instances.c.version_counter == inst.version_counter)
            .values(
                state=self.codec.dump(workflow),
                status=status,
                version_counter=inst.version_counter + 1,
                spiff_version=SPIFF_VERSION,
                serializer_version=self.codec.version,
                next_timer_at=_next_timer(workflow, now) if running else None,
                updated_at=now,
                **values,
            )
        )
        if result.rowcount != 1:
            raise _LostRace()

    def _sync(
        self, conn: Connection, inst: Any, workflow: Any, now: datetime, done: str | None = None
    ) -> list[TaskRow]:
        """Make the instance's ready task rows match the workflow; returns the new tasks."""
        from SpiffWorkflow.util.task import TaskState as SpiffState

        meta = self.definitions.meta(inst.definition_id)
        ended = workflow.is_completed()
        ready = (
            {}
            if ended
            else {str(t.id): t for t in workflow.get_tasks(state=SpiffState.READY, manual=True)}
        )
        existing = {
            r.id
            for r in conn.execute(
                sa.select(tasks.c.id).where(
                    tasks.c.instance_id == inst.id, tasks.c.state == TaskState.READY
                )
            )
        }
        gone = existing - set(ready) - {done}
        if gone:
            conn.execute(
                tasks.update()
                .where(tasks.c.id.in_(gone))
                .values(state=TaskState.CANCELLED, completed=now)
            )
        definition = self.definitions.get_by_id(inst.definition_id)
        created: list[tuple[dict[str, Any], HumanTask]] = []
        for tid, spiff_task in ready.items():
            if tid in existing:
                continue
            element = spiff_task.task_spec.bpmn_id
            info = meta.task(element)
            due = self.calendar.due_from_properties(now, info.properties)
            values = dict(
                id=tid,
                instance_id=inst.id,
                definition_id=inst.definition_id,
                process_key=inst.process_key,
                process_name=definition.name,
                instance_title=inst.title,
                business_key=inst.business_key,
                element_id=element,
                name=info.name or spiff_task.task_spec.bpmn_name or element,
                role=spiff_task.task_spec.lane or info.lane or "",
                state=TaskState.READY,
                assignee=None,
                created=now,
                due=due,
                due_order=due or FAR_FUTURE,
                completed=None,
                completed_by=None,
                decision=None,
                comment="",
            )
            created.append((values, info))
        if created:
            conn.execute(tasks.insert(), [values for values, _ in created])
        return [to_task(SimpleNamespace(**values), info, now) for values, info in created]

    def _audit(self, conn: Connection, instance_id: int, now: datetime, user: str, action: str,
               task: Any = None, decision: str | None = None, comment: str = "",
               attachments: Sequence[str] = (), element_id: str | None = None,
               task_name: str | None = None) -> None:  # fmt: skip
        conn.execute(
            audit.insert().values(
                instance_id=instance_id,
                at=now,
                user=user,
                action=action,
                task_id=task.id if task is not None else None,
                element_id=task.element_id if task is not None else element_id,
                task_name=task.name if task is not None else task_name,
                decision=decision,
                comment=comment,
                attachments=json.dumps(list(attachments), ensure_ascii=False),
            )
        )


def _status_of(workflow: Any) -> InstanceStatus:
    return InstanceStatus.COMPLETED if workflow.is_completed() else InstanceStatus.RUNNING


def _not_ready_message(task_state: str, instance_status: str) -> str:
    if instance_status != InstanceStatus.RUNNING:
        status = InstanceStatus(instance_status).label
        return f"Tugas ini tidak dapat dikerjakan: proses sudah {status}"
    if task_state == TaskState.CANCELLED:
        return "Tugas ini tidak dapat dikerjakan: tugas sudah dibatalkan"
    return f"Tugas ini tidak siap dikerjakan (status {task_state})"


def _role_message(role: str) -> str:
    return f"Tugas ini untuk peran {role}; Anda tidak memegang peran itu"


def _check_decision(info: Decision | None, decision: str | None, comment: str) -> str | None:
    """The decision value to store: one of the form's enum ids (labels accepted too)."""
    allowed = info.values if info is not None else ()
    decision = (decision or "").strip()
    if info is None or not allowed:
        if decision:
            raise InvalidDecision("Tugas ini tidak memerlukan keputusan", ())
        return None
    if not decision:
        raise InvalidDecision(f"Keputusan wajib dipilih: {', '.join(allowed)}", allowed)
    value = None
    wanted = decision.casefold().replace(" ", "_")
    for option in allowed:
        label = info.label(option)
        if wanted in (option.casefold(), label.casefold().replace(" ", "_")):
            value = option
            break
    if value is None:
        raise InvalidDecision(
            f"Keputusan {decision!r} tidak dikenal; pilihan: {', '.join(allowed)}", allowed
        )
    if value != allowed[0] and not comment:
        raise CommentRequired(
            f"Keputusan “{info.label(value)}” memerlukan komentar (alasan/perbaikan)"
        )
    return value


def _timer_value(task: Any) -> datetime | None:
    """When a waiting timer task fires (None: not a timer, or no readable time)."""
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

    definition = getattr(task.task_spec, "event_definition", None)
    if not isinstance(definition, TimerEventDefinition):
        return None
    value = task._get_internal_data("event_value")
    if isinstance(value, dict):
        value = value.get("next")
    if not value:
        return None
    try:
        when: datetime = TimerEventDefinition.get_datetime(str(value))
    except Exception:  # an unparsable value: treated as due now by _next_timer
        return None
    return when


def _next_timer(workflow: Any, now: datetime) -> datetime | None:
    """When the worker should next look at this instance (None: no pending timer)."""
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
    from SpiffWorkflow.util.task import TaskState as SpiffState

    times: list[datetime] = []
    for task in workflow.get_tasks(state=SpiffState.WAITING):
        definition = getattr(task.task_spec, "event_definition", None)
        if isinstance(definition, TimerEventDefinition):
            times.append(_timer_value(task) or now)
    return min(times) if times else None


def _spiff_message(prefix: str, exc: Exception) -> str:
    """A one-line message from a SpiffWorkflow exception (never its traceback)."""
    if isinstance(exc, EngineError):
        return exc.message
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "No conditions satisfied" in text or "no outgoing" in text.lower():
        text = "tidak ada kondisi gateway yang terpenuhi"
    return f"{prefix}: {text}"
