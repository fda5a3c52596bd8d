"""Running processes: start instances, list and complete human tasks, fire timers, cancel.

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

import importlib.metadata
import json
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

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
    NotFound,
    TaskNotReady,
)
from engine.store import FAR_FUTURE, Store, audit, definitions, instances, tasks, users, utcnow

SPIFF_VERSION = importlib.metadata.version("SpiffWorkflow")
_MAX_ATTEMPTS = 5
TIMER_RETRY = timedelta(minutes=15)  # when a timer failed to fire, try that instance again then


@dataclass(frozen=True)
class TaskRow:
    id: str
    instance_id: int
    definition_id: int
    process_key: str
    process_name: str
    instance_title: str
    business_key: str
    element_id: str
    name: str
    role: str
    state: str
    assignee: str | None
    created: datetime
    due: datetime | None
    completed: datetime | None
    completed_by: str | None
    decision: str | None
    allowed_decisions: tuple[str, ...]
    overdue: bool
    documentation: str
    properties: dict[str, str] = field(default_factory=dict)
    comment: str = ""
    decision_labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Instance:
    id: int
    definition_id: int
    process_key: str
    process_name: str
    version: int
    title: str
    business_key: str
    status: str
    started_by: str
    started_at: datetime
    ended_at: datetime | None
    cancel_reason: str


@dataclass(frozen=True)
class AuditEntry:
    id: int
    instance_id: int
    at: datetime
    user: str
    action: str
    task_id: str | None
    element_id: str | None
    task_name: str | None
    decision: str | None
    comment: str
    attachments: tuple[str, ...]


@dataclass(frozen=True)
class CompletionResult:
    task: TaskRow
    next_tasks: tuple[TaskRow, ...]
    instance_status: str


@dataclass(frozen=True)
class ElementStatus:
    state: str  # "completed" | "active" | "not_reached"
    count: int


class _LostRace(Exception):
    """The instance changed between read and write; retry the whole transaction."""


SPEC_REF = "AlurSpecRef"
"""Typename of the reference the store keeps instead of an instance's whole process spec."""


def _serializer(spec_loader: Callable[[str], Any] | None = None) -> Any:
    """SpiffWorkflow's serializer with the Camunda registry.

    With ``spec_loader`` (sha256 -> parsed spec), a process spec that came from the spec cache
    (it carries ``alur_sha256``) is written as ``{"typename": "AlurSpecRef", "sha256": ...}``
    and read back as the cached spec object: SpiffWorkflow would otherwise embed the whole spec
    (about 80 % of the state) in every instance and rebuild it on every load. Specs are not
    changed while workflows run, so one object serves every instance. States holding a full
    spec (written without a loader) still load.
    """
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
    from SpiffWorkflow.bpmn.specs import BpmnProcessSpec
    from SpiffWorkflow.camunda.serializer import DEFAULT_CONFIG

    registry = BpmnWorkflowSerializer.configure(DEFAULT_CONFIG)
    if spec_loader is not None:
        typename = registry.typenames[BpmnProcessSpec]
        full = registry.convert_to_dict[typename]

        def to_dict(spec: Any, **kwargs: Any) -> dict[str, Any]:
            sha = getattr(spec, "alur_sha256", None)
            if sha is None:
                return full(spec, **kwargs)
            return {"typename": SPEC_REF, "sha256": sha}

        registry.convert_to_dict[typename] = to_dict
        registry.convert_from_dict[SPEC_REF] = lambda dct, **kw: spec_loader(dct["sha256"])
    return BpmnWorkflowSerializer(registry)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


class Runtime:
    """The runtime API used by the CLI, the web UI and the worker (one transaction per call)."""

    def __init__(
        self,
        store: Store,
        definitions: Definitions,
        calendar: WorkingCalendar | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.definitions = definitions
        self.calendar = calendar or WorkingCalendar.from_config(definitions.config)
        self.clock = clock or utcnow
        self._local = threading.local()
        self.timer_errors: list[tuple[int, str]] = []  # (instance id, message) of the last run
        self.script_engine = SafeScriptEngine(definitions.allow_scripts)

    # -- serialization -----------------------------------------------------------------------

    @property
    def serializer(self) -> Any:
        """This thread's SpiffWorkflow serializer: its registry keeps a mode flag while
        serializing, so one instance must not be shared by threads (web server workers)."""
        found = getattr(self._local, "serializer", None)
        if found is None:
            found = self._local.serializer = _serializer(self._cached_spec)
        return found

    def _cached_spec(self, sha256: str) -> Any:
        conn = getattr(self._local, "conn", None)
        return self.definitions.spec_by_sha(sha256, conn)[0]

    def _dump(self, workflow: Any) -> str:
        return self.serializer.serialize_json(workflow)

    def _load(self, state: str, conn: Connection | None = None) -> Any:
        self._local.conn = conn  # a spec cache miss reads through the caller's transaction
        try:
            workflow = self.serializer.deserialize_json(state)
        except EngineError:
            raise
        except Exception as exc:  # corrupt row, or a serializer format this version cannot read
            raise ExecutionFailed(
                f"Status proses tidak dapat dibaca ({type(exc).__name__}); hubungi admin"
            ) from None
        finally:
            self._local.conn = None
        workflow.script_engine = self.script_engine
        return workflow

    # -- helpers ------------------------------------------------------------------------------

    def _user(self, conn: Connection, username: str) -> Any:
        row = conn.execute(sa.select(users).where(users.c.username == username)).first()
        if row is None:
            raise NotFound(f"Pengguna {username} tidak ditemukan")
        if not row.active:
            raise NotAllowed(f"Pengguna {username} tidak aktif")
        return row

    @staticmethod
    def _roles(user_row: Any) -> tuple[str, ...]:
        return tuple(json.loads(user_row.roles or "[]"))

    def _lock_instance(self, conn: Connection, instance_id: int) -> Any:
        query = sa.select(instances).where(instances.c.id == instance_id)
        if self.store.dialect == "postgresql":
            query = query.with_for_update()
        row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"Instansi proses #{instance_id} tidak ditemukan")
        return row

    def _task_row(self, conn: Connection, task_id: str) -> Any:
        row = conn.execute(sa.select(tasks).where(tasks.c.id == str(task_id))).first()
        if row is None:
            raise NotFound(f"Tugas {task_id} tidak ditemukan")
        return row

    def _save(
        self, conn: Connection, inst: Any, workflow: Any, now: datetime, **values: Any
    ) -> None:
        status = values.pop("status", None) or (
            "completed" if workflow.is_completed() else inst.status
        )
        if status != "running" and "ended_at" not in values:
            values["ended_at"] = now
        result = conn.execute(
            instances.update()
            .where(instances.c.id == inst.id, instances.c.version_counter == inst.version_counter)
            .values(
                state=self._dump(workflow),
                status=status,
                version_counter=inst.version_counter + 1,
                spiff_version=SPIFF_VERSION,
                serializer_version=str(self.serializer.VERSION),
                next_timer_at=None if status != "running" else _next_timer(workflow, now),
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
        from SpiffWorkflow.util.task import TaskState

        meta = self.definitions.meta(inst.definition_id)
        ended = workflow.is_completed()
        ready = (
            {}
            if ended
            else {str(t.id): t for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
        )
        existing = {
            r.id
            for r in conn.execute(
                sa.select(tasks.c.id).where(
                    tasks.c.instance_id == inst.id, tasks.c.state == "ready"
                )
            )
        }
        gone = existing - set(ready) - {done}
        if gone:
            conn.execute(
                tasks.update().where(tasks.c.id.in_(gone)).values(state="cancelled", completed=now)
            )
        new_ids = [tid for tid in ready if tid not in existing]
        definition = self.definitions.get_by_id(inst.definition_id)
        created: list[dict[str, Any]] = []
        for tid in new_ids:
            spiff_task = ready[tid]
            element = spiff_task.task_spec.bpmn_id
            info = meta["tasks"].get(element, {})
            due = self.calendar.due_from_properties(now, info.get("properties", {}))
            created.append(
                dict(
                    id=tid,
                    instance_id=inst.id,
                    definition_id=inst.definition_id,
                    process_key=inst.process_key,
                    process_name=definition.name,
                    instance_title=inst.title,
                    business_key=inst.business_key,
                    element_id=element,
                    name=info.get("name") or spiff_task.task_spec.bpmn_name or element,
                    role=spiff_task.task_spec.lane or info.get("lane") or "",
                    state="ready",
                    assignee=None,
                    created=now,
                    due=due,
                    due_order=due or FAR_FUTURE,
                    completed=None,
                    completed_by=None,
                    decision=None,
                    comment="",
                )
            )
        if created:
            conn.execute(tasks.insert(), created)
        return [self._to_task(SimpleNamespace(**values), now) for values in created]

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

    def _to_task(self, row: Any, now: datetime | None = None) -> TaskRow:
        now = now or self.clock()
        meta = self.definitions.meta(row.definition_id)
        info = meta["tasks"].get(row.element_id, {})
        return TaskRow(
            id=row.id,
            instance_id=row.instance_id,
            definition_id=row.definition_id,
            process_key=row.process_key,
            process_name=row.process_name,
            instance_title=row.instance_title,
            business_key=row.business_key,
            element_id=row.element_id,
            name=row.name,
            role=row.role,
            state=row.state,
            assignee=row.assignee,
            created=row.created,
            due=row.due,
            completed=row.completed,
            completed_by=row.completed_by,
            decision=row.decision,
            allowed_decisions=tuple(info.get("decisions", ())),
            overdue=row.state == "ready" and row.due is not None and row.due < now,
            documentation=info.get("documentation", ""),
            properties=dict(info.get("properties", {})),
            comment=row.comment or "",
            decision_labels=dict(info.get("decision_labels", {})),
        )

    def _instance_query(self) -> sa.Select:
        return sa.select(
            instances.c.id,
            instances.c.definition_id,
            instances.c.process_key,
            definitions.c.name.label("process_name"),
            definitions.c.version,
            instances.c.title,
            instances.c.business_key,
            instances.c.status,
            instances.c.started_by,
            instances.c.started_at,
            instances.c.ended_at,
            instances.c.cancel_reason,
        ).join(definitions, definitions.c.id == instances.c.definition_id)

    @staticmethod
    def _to_instance(row: Any) -> Instance:
        return Instance(
            id=row.id,
            definition_id=row.definition_id,
            process_key=row.process_key,
            process_name=row.process_name,
            version=row.version,
            title=row.title,
            business_key=row.business_key,
            status=row.status,
            started_by=row.started_by,
            started_at=row.started_at,
            ended_at=row.ended_at,
            cancel_reason=row.cancel_reason or "",
        )

    def _retry(self, action: Callable[[], Any]) -> Any:
        for _attempt in range(_MAX_ATTEMPTS):
            try:
                return action()
            except _LostRace:
                continue
        raise Conflict("Instansi sedang diubah oleh pengguna lain; silakan coba lagi")

    # -- start ----------------------------------------------------------------------------------

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
                row = self._user(conn, user)
                roles = set(self._roles(row))
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
            status = "completed" if workflow.is_completed() else "running"
            result = conn.execute(
                instances.insert().values(
                    definition_id=definition.id,
                    process_key=definition.key,
                    title=_clean(title) or definition.name,
                    business_key=_clean(business_key),
                    status=status,
                    started_by=user,
                    started_at=now,
                    ended_at=now if status != "running" else None,
                    cancel_reason="",
                    state=self._dump(workflow),
                    spiff_version=SPIFF_VERSION,
                    serializer_version=str(self.serializer.VERSION),
                    version_counter=1,
                    next_timer_at=_next_timer(workflow, now) if status == "running" else None,
                    updated_at=now,
                )
            )
            instance_id = result.inserted_primary_key[0]
            inst = conn.execute(sa.select(instances).where(instances.c.id == instance_id)).one()
            self._sync(conn, inst, workflow, now)
            self._audit(conn, instance_id, now, user, "start")
            out = conn.execute(self._instance_query().where(instances.c.id == instance_id)).one()
            return self._to_instance(out)

    # -- complete ----------------------------------------------------------------------------

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
        from SpiffWorkflow.util.task import TaskState

        comment = (comment or "").strip()
        now = self.clock()
        with self.store.begin() as conn:
            row = self._task_row(conn, task_id)
            inst = self._lock_instance(conn, row.instance_id)
            if self.store.dialect != "sqlite":  # re-read under the row lock (SQLite: BEGIN
                row = self._task_row(conn, task_id)  # IMMEDIATE already holds the write lock)
            if row.state == "completed":
                raise AlreadyCompleted(row.completed_by, row.completed)
            if row.state != "ready" or inst.status != "running":
                raise TaskNotReady(_not_ready_message(row.state, inst.status))
            user_row = self._user(conn, user)
            if row.assignee and row.assignee != user:
                raise NotAllowed(f"Tugas ini sedang ditangani oleh {row.assignee}")
            if not row.assignee and row.role not in self._roles(user_row):
                raise NotAllowed(_role_message(row.role))
            info = self.definitions.meta(row.definition_id)["tasks"].get(row.element_id, {})
            value = _check_decision(info, decision, comment)
            workflow = self._load(inst.state, conn)
            try:
                spiff_task = workflow.get_task_from_id(uuid.UUID(task_id))
            except Exception:  # TaskNotFoundException: the row and the state disagree
                spiff_task = None
            if spiff_task is None or spiff_task.state != TaskState.READY:
                raise TaskNotReady("Tugas ini tidak siap dikerjakan menurut status proses")
            if info.get("decision_field"):
                # written on every submit: a loop's second pass must not reuse the old answer
                spiff_task.data[info["decision_field"]] = value
            try:
                spiff_task.run()
                workflow.do_engine_steps()
            except Exception as exc:
                raise ExecutionFailed(
                    _spiff_message("Proses tidak dapat dilanjutkan", exc)
                ) from None
            self._save(conn, inst, workflow, now)
            done = conn.execute(
                tasks.update()
                .where(tasks.c.id == task_id, tasks.c.state == "ready")
                .values(
                    state="completed",
                    completed=now,
                    completed_by=user,
                    decision=value,
                    comment=comment,
                    assignee=row.assignee or user,
                )
            )
            if done.rowcount != 1:
                raise _LostRace()
            nxt = self._sync(conn, inst, workflow, now, done=task_id)
            self._audit(conn, inst.id, now, user, "complete", task=row, decision=value,
                        comment=comment, attachments=attachments)  # fmt: skip
            values = dict(row._mapping)
            values.update(state="completed", completed=now, completed_by=user, decision=value,
                          comment=comment, assignee=row.assignee or user)  # fmt: skip
            finished = self._to_task(SimpleNamespace(**values), now)
            status = "completed" if workflow.is_completed() else "running"
            return CompletionResult(task=finished, next_tasks=tuple(nxt), instance_status=status)

    # -- claim / unclaim / reassign ---------------------------------------------------------

    def _assign(self, task_id: str, by: str, action: str, to: str | None) -> TaskRow:
        now = self.clock()
        with self.store.begin() as conn:
            row = self._task_row(conn, task_id)
            inst = self._lock_instance(conn, row.instance_id)
            if self.store.dialect != "sqlite":
                row = self._task_row(conn, task_id)
            if row.state == "completed":
                raise AlreadyCompleted(row.completed_by, row.completed)
            if row.state != "ready" or inst.status != "running":
                raise TaskNotReady(_not_ready_message(row.state, inst.status))
            actor = self._user(conn, by)
            if action == "claim":
                if row.role not in self._roles(actor):
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
                self._user(conn, str(to))
            conn.execute(tasks.update().where(tasks.c.id == task_id).values(assignee=to))
            comment = f"dialihkan kepada {to}" if action == "reassign" else ""
            self._audit(conn, inst.id, now, by, action, task=row, comment=comment)
            return self._to_task(self._task_row(conn, task_id), now)

    def claim(self, task_id: str, user: str) -> TaskRow:
        return self._assign(str(task_id), user, "claim", user)

    def unclaim(self, task_id: str, user: str) -> TaskRow:
        return self._assign(str(task_id), user, "unclaim", None)

    def reassign(self, task_id: str, to_user: str, by_user: str) -> TaskRow:
        return self._assign(str(task_id), by_user, "reassign", to_user)

    # -- cancel ----------------------------------------------------------------------------------

    def cancel(self, instance_id: int, user: str, reason: str) -> Instance:
        """Cancel a running instance (administrators only; a reason is required)."""
        reason = (reason or "").strip()
        if not reason:
            raise BadInput("Alasan pembatalan wajib diisi")

        def once() -> Instance:
            now = self.clock()
            with self.store.begin() as conn:
                if user:
                    actor = self._user(conn, user)
                    if not actor.is_admin:
                        raise NotAllowed("Hanya admin yang dapat membatalkan proses")
                inst = self._lock_instance(conn, instance_id)
                if inst.status != "running":
                    raise TaskNotReady(f"Proses ini sudah {_STATUS.get(inst.status, inst.status)}")
                workflow = self._load(inst.state, conn)
                workflow.cancel()
                self._save(conn, inst, workflow, now, status="cancelled", cancel_reason=reason)
                conn.execute(
                    tasks.update()
                    .where(tasks.c.instance_id == inst.id, tasks.c.state == "ready")
                    .values(state="cancelled", completed=now)
                )
                self._audit(conn, inst.id, now, user, "cancel", comment=reason)
                out = conn.execute(self._instance_query().where(instances.c.id == inst.id)).one()
                return self._to_instance(out)

        return self._retry(once)

    # -- timers ----------------------------------------------------------------------------------

    def fire_timers(self, now: datetime | None = None, limit: int = 100) -> int:
        """Fire every timer due at ``now``; returns how many fired. Safe on several hosts."""
        now = now or self.clock()
        with self.store.begin(write=False) as conn:
            due_ids = [
                r.id
                for r in conn.execute(
                    sa.select(instances.c.id)
                    .where(instances.c.status == "running", instances.c.next_timer_at <= now)
                    .order_by(instances.c.next_timer_at)
                    .limit(limit)
                )
            ]
        fired = 0
        self.timer_errors = []
        for instance_id in due_ids:
            try:
                fired += self._retry(lambda i=instance_id: self._fire_one(i, now))
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
        from SpiffWorkflow.util.task import TaskState

        with self.store.begin() as conn:
            query = sa.select(instances).where(
                instances.c.id == instance_id,
                instances.c.status == "running",
                instances.c.next_timer_at <= now,
            )
            if self.store.dialect == "postgresql":
                query = query.with_for_update(skip_locked=True)
            inst = conn.execute(query).first()
            if inst is None:
                return 0  # fired by another worker meanwhile, or locked by one right now
            workflow = self._load(inst.state, conn)
            fired = []
            for task in workflow.get_tasks(state=TaskState.WAITING):
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

    # -- queries -------------------------------------------------------------------------------

    def task(self, task_id: str) -> TaskRow:
        with self.store.begin(write=False) as conn:
            return self._to_task(self._task_row(conn, str(task_id)))

    def tasks(
        self,
        *,
        roles: Iterable[str] | None = None,
        user: str | None = None,
        include_unassigned_of_roles: bool = True,
        state: str = "ready",
        overdue: bool = False,
        process_key: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[TaskRow]:
        """Tasks from the task table only, by due date (undated last), then creation.

        ``roles`` only: every task of those lanes; ``user`` only: tasks assigned to the user;
        both: the user's tasks plus (when ``include_unassigned_of_roles``) unclaimed tasks of
        the roles. Each branch is an index range scan, merged with UNION ALL, so the cost does
        not grow with the number of open instances.
        """
        now = self.clock()
        rows, _ = self._task_page(
            roles=None if roles is None else tuple(roles),
            user=user,
            unassigned_only=user is not None,
            include_roles=include_unassigned_of_roles or user is None,
            state=state,
            overdue=overdue,
            process_key=process_key,
            search=search,
            limit=limit,
            offset=offset,
            now=now,
            count=False,
        )
        return [self._to_task(r, now) for r in rows]

    def _task_page(self, *, roles: tuple[str, ...] | None, user: str | None,
                   unassigned_only: bool, include_roles: bool, state: str, overdue: bool,
                   process_key: str | None, search: str | None, limit: int, offset: int,
                   now: datetime, count: bool) -> tuple[list[Any], int]:  # fmt: skip
        common: list[Any] = [tasks.c.state == state]
        if overdue:
            common.append(tasks.c.due_order < now)
        if process_key:
            common.append(tasks.c.process_key == process_key)
        if search:
            like = f"%{search.strip()}%"
            common.append(
                sa.or_(
                    tasks.c.name.ilike(like),
                    tasks.c.instance_title.ilike(like),
                    tasks.c.business_key.ilike(like),
                    tasks.c.process_name.ilike(like),
                )
            )
        branches: list[list[Any]] = []
        if roles is None and user is None:
            branches.append([])
        if user is not None:
            branches.append([tasks.c.assignee == user])
        if roles is not None and include_roles:
            for role in roles:
                cond: list[Any] = [tasks.c.role == role]
                if unassigned_only:
                    cond.append(tasks.c.assignee.is_(None))
                branches.append(cond)
        if not branches:
            return [], 0
        order = (tasks.c.due_order, tasks.c.created, tasks.c.id)
        window = offset + limit
        with self.store.begin(write=False) as conn:
            if limit <= 0:  # counting only (badges)
                rows = []
            elif len(branches) == 1:
                query = sa.select(tasks).where(*common, *branches[0]).order_by(*order)
                rows = conn.execute(query.limit(limit).offset(offset)).all()
            else:
                parts = [
                    sa.select(
                        sa.select(tasks)
                        .where(*common, *b)
                        .order_by(*order)
                        .limit(window)
                        .subquery()
                    )
                    for b in branches
                ]
                merged = sa.union_all(*parts).subquery()
                query = sa.select(merged).order_by(
                    merged.c.due_order, merged.c.created, merged.c.id
                )
                rows = conn.execute(query.limit(limit).offset(offset)).all()
            total = 0
            if count:  # one round trip: a count per branch (index range), summed here
                counts = [
                    sa.select(sa.func.count().label("n")).select_from(tasks).where(*common, *b)
                    for b in branches
                ]
                query = counts[0] if len(counts) == 1 else sa.union_all(*counts)
                total = sum(int(r.n) for r in conn.execute(query))
        return list(rows), total

    def inbox(
        self,
        user: str,
        *,
        filter: str = "all",
        process_key: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[TaskRow], int]:
        """What is on ``user``'s desk: unclaimed tasks of their roles plus tasks assigned to them.

        ``filter``: "all", "mine" (assigned to me), "roles" (unclaimed of my roles), "overdue".
        Returns (page, total).
        """
        if filter not in ("all", "mine", "roles", "overdue"):
            raise BadInput(f"Filter tidak dikenal: {filter}")
        with self.store.begin(write=False) as conn:
            roles = self._roles(self._user(conn, user))
        now = self.clock()
        rows, total = self._task_page(
            roles=None if filter == "mine" else roles,
            user=None if filter == "roles" else user,
            unassigned_only=True,
            include_roles=True,
            state="ready",
            overdue=filter == "overdue",
            process_key=process_key,
            search=search,
            limit=limit,
            offset=offset,
            now=now,
            count=True,
        )
        return [self._to_task(r, now) for r in rows], total

    def count_inbox(self, user: str) -> dict[str, int]:
        """Badge counts of :meth:`inbox` ("all", "mine", "overdue") in one round trip.

        One branch per index range (my tasks; unclaimed tasks of each role), each counting
        its rows and its overdue rows, glued with UNION ALL: an OR over the branches would make
        SQLite walk every ready task.
        """
        now = self.clock()
        late = sa.func.coalesce(sa.func.sum(sa.case((tasks.c.due_order < now, 1), else_=0)), 0)
        with self.store.begin(write=False) as conn:
            roles = self._roles(self._user(conn, user))
            branches = [
                sa.select(sa.literal(1).label("mine"), sa.func.count().label("n"),
                          late.label("late")).where(
                    tasks.c.state == "ready", tasks.c.assignee == user
                )
            ] + [
                sa.select(sa.literal(0).label("mine"), sa.func.count().label("n"),
                          late.label("late")).where(
                    tasks.c.state == "ready", tasks.c.role == role, tasks.c.assignee.is_(None)
                )
                for role in roles
            ]  # fmt: skip
            rows = conn.execute(sa.union_all(*branches)).all()
        return {
            "all": sum(int(r.n) for r in rows),
            "mine": sum(int(r.n) for r in rows if r.mine),
            "overdue": sum(int(r.late) for r in rows),
        }

    def instance(self, instance_id: int) -> Instance:
        with self.store.begin(write=False) as conn:
            row = conn.execute(self._instance_query().where(instances.c.id == instance_id)).first()
        if row is None:
            raise NotFound(f"Instansi proses #{instance_id} tidak ditemukan")
        return self._to_instance(row)

    def instances(
        self,
        *,
        process_key: str | None = None,
        status: str | None = None,
        overdue: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[Instance], int]:
        conds: list[Any] = []
        if process_key:
            conds.append(instances.c.process_key == process_key)
        if status:
            conds.append(instances.c.status == status)
        if overdue:
            late = (
                sa.select(tasks.c.id)
                .where(
                    tasks.c.instance_id == instances.c.id,
                    tasks.c.state == "ready",
                    tasks.c.due_order < self.clock(),
                )
                .exists()
            )
            conds.append(late)
        query = self._instance_query().where(*conds).order_by(instances.c.id.desc())
        with self.store.begin(write=False) as conn:
            rows = conn.execute(query.limit(limit).offset(offset)).all()
            total = conn.execute(
                sa.select(sa.func.count()).select_from(instances).where(*conds)
            ).scalar_one()
        return [self._to_instance(r) for r in rows], int(total)

    def instance_tasks(self, instance_id: int) -> list[TaskRow]:
        """All task rows of one instance, oldest first (for the instance page)."""
        with self.store.begin(write=False) as conn:
            rows = conn.execute(
                sa.select(tasks)
                .where(tasks.c.instance_id == instance_id)
                .order_by(tasks.c.created, tasks.c.id)
            ).all()
        now = self.clock()
        return [self._to_task(r, now) for r in rows]

    def history(self, instance_id: int) -> list[AuditEntry]:
        with self.store.begin(write=False) as conn:
            exists = conn.execute(
                sa.select(instances.c.id).where(instances.c.id == instance_id)
            ).first()
            if exists is None:
                raise NotFound(f"Instansi proses #{instance_id} tidak ditemukan")
            rows = conn.execute(
                sa.select(audit).where(audit.c.instance_id == instance_id).order_by(audit.c.id)
            ).all()
        return [
            AuditEntry(
                id=r.id,
                instance_id=r.instance_id,
                at=r.at,
                user=r.user,
                action=r.action,
                task_id=r.task_id,
                element_id=r.element_id,
                task_name=r.task_name,
                decision=r.decision,
                comment=r.comment or "",
                attachments=tuple(json.loads(r.attachments or "[]")),
            )
            for r in rows
        ]

    def element_status(self, instance_id: int) -> dict[str, ElementStatus]:
        """Per BPMN element: completed (with how often, for loops), active, or not reached.

        Reads one instance's serialized state (a single-instance page, never a list).
        """
        from SpiffWorkflow.util.task import TaskState

        with self.store.begin(write=False) as conn:
            row = conn.execute(
                sa.select(instances.c.state, instances.c.status, instances.c.definition_id).where(
                    instances.c.id == instance_id
                )
            ).first()
        if row is None:
            raise NotFound(f"Instansi proses #{instance_id} tidak ditemukan")
        meta = self.definitions.meta(row.definition_id)
        counts: dict[str, int] = dict.fromkeys(meta.get("elements", {}), 0)
        active: set[str] = set()
        workflow = self._load(row.state)
        for task in workflow.get_tasks():
            bpmn_id = getattr(task.task_spec, "bpmn_id", None)
            if bpmn_id is None:
                continue
            if task.state == TaskState.COMPLETED:
                counts[bpmn_id] = counts.get(bpmn_id, 0) + 1
            elif row.status == "running" and _is_active(task, meta):
                active.add(bpmn_id)
        out: dict[str, ElementStatus] = {}
        for bpmn_id, n in counts.items():
            state = "active" if bpmn_id in active else ("completed" if n else "not_reached")
            out[bpmn_id] = ElementStatus(state=state, count=n)
        for bpmn_id in active - set(out):
            out[bpmn_id] = ElementStatus(state="active", count=0)
        return out

    def check_consistency(self, instance_id: int) -> list[str]:
        """Differences between the task table and the serialized state (empty: consistent)."""
        from SpiffWorkflow.util.task import TaskState

        with self.store.begin(write=False) as conn:
            inst = conn.execute(sa.select(instances).where(instances.c.id == instance_id)).one()
            rows = {
                r.id
                for r in conn.execute(
                    sa.select(tasks.c.id).where(
                        tasks.c.instance_id == instance_id, tasks.c.state == "ready"
                    )
                )
            }
        workflow = self._load(inst.state)
        ready = set()
        if inst.status == "running":
            ready = {str(t.id) for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
        problems = [f"tugas {t} siap di proses tetapi tidak di tabel" for t in ready - rows]
        problems += [f"tugas {t} siap di tabel tetapi tidak di proses" for t in rows - ready]
        if inst.status == "completed" and not workflow.is_completed():
            problems.append("instansi berstatus selesai tetapi prosesnya belum selesai")
        return problems


_STATUS = {"completed": "selesai", "cancelled": "dibatalkan", "running": "berjalan"}


def _not_ready_message(task_state: str, instance_status: str) -> str:
    if instance_status != "running":
        status = _STATUS.get(instance_status, instance_status)
        return f"Tugas ini tidak dapat dikerjakan: proses sudah {status}"
    if task_state == "cancelled":
        return "Tugas ini tidak dapat dikerjakan: tugas sudah dibatalkan"
    return f"Tugas ini tidak siap dikerjakan (status {task_state})"


def _role_message(role: str) -> str:
    return f"Tugas ini untuk peran {role}; Anda tidak memegang peran itu"


def _is_active(task: Any, meta: Mapping[str, Any]) -> bool:
    from SpiffWorkflow.util.task import TaskState

    if task.state in (TaskState.READY, TaskState.STARTED):
        return True
    kind = meta.get("elements", {}).get(task.task_spec.bpmn_id, {}).get("type")
    return task.state == TaskState.WAITING and kind in ("intermediateCatchEvent", "parallelGateway")


def _check_decision(info: Mapping[str, Any], decision: str | None, comment: str) -> str | None:
    """The decision value to store: one of the form's enum ids (labels accepted too)."""
    allowed = tuple(info.get("decisions", ()))
    labels: Mapping[str, str] = info.get("decision_labels", {})
    decision = (decision or "").strip()
    if not allowed:
        if decision:
            raise InvalidDecision("Tugas ini tidak memerlukan keputusan", ())
        return None
    if not decision:
        raise InvalidDecision(f"Keputusan wajib dipilih: {', '.join(allowed)}", allowed)
    value = None
    wanted = decision.casefold().replace(" ", "_")
    for option in allowed:
        label = labels.get(option, option)
        if wanted in (option.casefold(), label.casefold().replace(" ", "_")):
            value = option
            break
    if value is None:
        raise InvalidDecision(
            f"Keputusan {decision!r} tidak dikenal; pilihan: {', '.join(allowed)}", allowed
        )
    if value != allowed[0] and not comment:
        label = labels.get(value, value)
        raise CommentRequired(f"Keputusan “{label}” memerlukan komentar (alasan/perbaikan)")
    return value


def _timer_value(task: Any) -> datetime | None:
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
        return TimerEventDefinition.get_datetime(str(value))
    except Exception:
        return None


def _next_timer(workflow: Any, now: datetime) -> datetime | None:
    """When the worker should next look at this instance (None: no pending timer)."""
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
    from SpiffWorkflow.util.task import TaskState

    times: list[datetime] = []
    for task in workflow.get_tasks(state=TaskState.WAITING):
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
