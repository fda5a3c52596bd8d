"""The runtime's write side: start, complete, claim/unclaim/reassign, cancel, fire timers.

SpiffWorkflow holds the truth about where an instance is (its serialized state in
``instances.state``); the ``tasks`` table is an index of the human tasks kept in step with it
inside the same transaction, so inboxes and dashboards are one indexed query and never
deserialize a workflow. Every change of an instance (state, task rows, audit rows) is one
transaction, guarded twice: the instance row is locked (``SELECT ... FOR UPDATE`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite) and its ``version_counter`` must still be the one
read, so of two people completing the same task exactly one wins and the other is told who
finished it first.

On PostgreSQL a process completes a task of an instance it wrote last, and starts a key it
started before, without reading first (:mod:`engine.state_cache`): the one write statement
checks what the read would have told (version, task holder, the user; the latest version of
the key) and writes nothing when anything changed, and the call then goes the read path.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache, partial
from types import SimpleNamespace
from typing import Any, TypeVar

import sqlalchemy as sa
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState as SpiffState
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection

from engine.analysis import Decision, DecisionOption, HumanTask
from engine.calendar import WorkingCalendar
from engine.conditions import SafeScriptEngine
from engine.definitions import Definition, Definitions
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
from engine.forms import coerce_form, display
from engine.records import (
    MAX_ID,
    CompletionResult,
    Instance,
    OpenedTask,
    TaskRow,
    active_user,
    checked_user,
    instance_query,
    instance_row,
    roles_of,
    task_row,
    to_instance,
    to_task,
)
from engine.serializer import SPIFF_VERSION, WorkflowCodec
from engine.start_template import FreshStart, StartTemplates, make_template
from engine.state_cache import DEFAULT_SIZE, CachedInstance, StateCache, release
from engine.status import InstanceStatus, TaskState
from engine.store import (
    FAR_FUTURE,
    DriverQuery,
    DriverStatement,
    Store,
    audit,
    instances,
    tasks,
    users,
)
from engine.store import definitions as definition_rows

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
        state_cache_size: int = DEFAULT_SIZE,
    ) -> None:
        self.store = store
        self.definitions = definitions
        self.codec = codec
        self.calendar = calendar
        self.clock = clock
        self.timer_errors: list[tuple[int, str]] = []  # (instance id, message) of the last run
        # PostgreSQL: what this process knows without a read, each use checked by the write
        # statement itself (see engine.state_cache): the instances it last wrote, and the
        # latest definition id of each key it started
        self.one_trip = store.dialect == "postgresql"
        self.states = StateCache(state_cache_size if self.one_trip else 0)
        # beside an entry, the live workflow whose state it holds, used instead of
        # deserializing that state: only without scripts, whose task data (a tuple, say)
        # need not survive the JSON round trip unchanged; forms and decisions write only
        # JSON values, so a kept workflow then equals its deserialized state
        self.keep_workflows = not codec.script_engine.allow_scripts
        self._latest: dict[str, int] = {}
        # per definition version, its first start's state, which later starts take with
        # fresh ids instead of running SpiffWorkflow again (engine.start_template)
        self.templates = StartTemplates()

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

        if version is not None and not 0 <= version <= MAX_ID:  # would overflow the column:
            self.definitions.get(key, version)  # its NotFound, without a read (an unknown
            # version in bounds is told by the start's own read, below)
        # PostgreSQL, warm: the latest version this process last started, its being still the
        # latest and the user's right to start it checked by the one write statement itself,
        # sent on its own (no read, no transaction); when it writes nothing, the read below
        # says why (or what is newer)
        latest = self._latest.get(key) if self.one_trip and version is None else None
        if latest is not None:
            started = self._start_warm(self.definitions.get_by_id(latest), user, title,
                                       business_key)  # fmt: skip
            if started is not None:
                return started
            self._latest.pop(key, None)
        query = _START_READ if version is None else _START_READ_VERSION
        params = {"key": key, "version": version, "user": user}
        if self.store.dialect == "postgresql":
            # cold: the read and the one write statement each sent alone, in autocommit, on
            # the connection the store keeps for them (Store.first_alone, first_row_alone),
            # as a cold completion's are: no pool checkout around them, and no connection
            # held while SpiffWorkflow works. Nothing is lost by not holding one: the read
            # locked nothing, and the write inserts a new row (nothing to race on; a deploy
            # in between is the newer version's first start, as before)
            read = self.store.first_alone(query, params)
            plan = self._plan_cold_start(key, version, user, title, business_key, read)
            inserted = self.store.first_row_alone(*_start_write(plan, None))
            return self._started(plan, _inserted(inserted))
        with self.store.read_then_write() as phases:
            plan = self._plan_cold_start(key, version, user, title, business_key,
                                         query.first(phases.conn, params))  # fmt: skip
            with phases.write() as conn:
                instance_id = self._insert_start(conn, plan)
            return self._started(plan, instance_id)

    def _plan_cold_start(self, key: str, version: int | None, user: str, title: str,
                         business_key: str, read: Any) -> _StartPlan:  # fmt: skip
        """The plan of a start from its ``read`` (:data:`_START_QUERY`): NotFound for a key
        (or version) not deployed; the latest definition remembered for the next start."""
        if read is None:
            self.definitions.get(key, version)  # raises its NotFound
            raise NotFound(f"Proses {key} tidak ditemukan")  # pragma: no cover - deployed now
        if self.one_trip and version is None:  # the next start is warm, even after a
            self._latest[key] = read.id  # refusal below: the latest is still this one
        # memoised per id, so no deploy-time analysis is parsed again
        definition = self.definitions.get_by_id(read.id)
        plan = self._plan_start(definition, read, user, title, business_key)
        assert plan is not None  # only a warm start (nothing read) gives up
        return plan

    def _start_warm(self, definition: Definition, user: str, title: str,
                    business_key: str) -> Instance | None:  # fmt: skip
        """PostgreSQL: a start that reads nothing first. Its one statement inserts only if
        ``definition`` is still the latest version of its key and ``user`` may start it
        (:class:`_StartGuard`), and is sent alone (:meth:`Store.first_row_alone`); None when
        it did not insert, or SpiffWorkflow failed: the caller then starts from the read,
        which raises the exact error or starts the newer version."""
        plan = self._plan_start(definition, None, user, title, business_key)
        if plan is None:
            return None
        guard = _StartGuard(definition.key, definition.version, user, definition.first_lanes)
        inserted = self.store.first_row_alone(*_start_write(plan, guard))
        if inserted is None:
            release(plan.workflow)  # nobody uses it: the read path makes its own
            return None
        return self._started(plan, int(inserted[0]))

    def _plan_start(self, definition: Definition, read: Any, user: str, title: str,
                    business_key: str) -> _StartPlan | None:  # fmt: skip
        """SpiffWorkflow's work and every row of the start, before any connection or lock is
        taken (a new instance has no version to race on), with the checks of the ``read``
        user (:data:`_START_QUERY`): unknown, inactive, or holding none of the first lanes.

        ``read`` None (warm, nothing read): None when SpiffWorkflow fails, which the read
        path then reports after the user's check, as always."""
        now = self.clock()
        # SpiffWorkflow's failure is reported after the permission check, as it always was
        begun = self._begin(definition.sha256, now)
        if isinstance(begun, ExecutionFailed) and read is None:
            return None
        if user and read is not None:
            found = checked_user(_joined_user(read), user)
            first = definition.first_lanes
            if not found.is_admin and first and not set(roles_of(found)) & set(first):
                raise NotAllowed(
                    f"Anda tidak memegang peran yang memulai proses ini ({', '.join(first)})"
                )
        if isinstance(begun, ExecutionFailed):
            raise begun from None
        status = begun.status
        title = _clean(title) or definition.name
        business_key = _clean(business_key)
        ended = now if status != InstanceStatus.RUNNING else None
        row = dict(
            definition_id=definition.id,
            process_key=definition.key,
            title=title,
            business_key=business_key,
            status=status,
            started_by=user,
            started_at=now,
            ended_at=ended,
            cancel_reason="",
            state=begun.state,
            spiff_version=SPIFF_VERSION,
            serializer_version=self.codec.version,
            version_counter=1,
            next_timer_at=begun.next_timer,
            updated_at=now,
        )
        inst = SimpleNamespace(id=None, definition_id=definition.id, process_key=definition.key,
                               title=title, business_key=business_key)  # fmt: skip
        created = [values for values, _ in self._new_rows(inst, now, set(), begun.ready)]
        return _StartPlan(definition=definition, workflow=begun.workflow, now=now, user=user,
                          row=row, created=created,
                          logged=_audit_values(0, now, user, "start"),
                          fresh=begun.fresh)  # fmt: skip

    def _begin(self, sha256: str, now: datetime) -> _Begun | ExecutionFailed:
        """SpiffWorkflow's part of a start of the version ``sha256``: made from the version's
        template where it has one (:mod:`engine.start_template`), else a new workflow run up
        to its first waits and serialized, whose state, on the version's first start, is
        judged as its template. SpiffWorkflow's failure is returned, for the caller to raise
        after its permission check."""
        spec, subprocesses = self.definitions.spec_by_sha(sha256)
        template = self.templates.get(sha256, spec)
        if template is not None:
            fresh = template.fresh()
            return _Begun(state=fresh.state, status=InstanceStatus.RUNNING, next_timer=None,
                          ready=fresh.ready, workflow=None, fresh=fresh)  # fmt: skip
        workflow = BpmnWorkflow(spec, subprocesses, script_engine=self.script_engine)
        try:
            workflow.do_engine_steps()
        except Exception as exc:
            return ExecutionFailed(_spiff_message("Proses tidak dapat dimulai", exc))
        survey = _survey(workflow, now)
        state = self.codec.dump(workflow)
        if not self.templates.judged(sha256, spec):
            try:
                made = make_template(spec, subprocesses, workflow, state, list(survey.ready),
                                     self.codec.serializer.deserialize_json,
                                     self.codec.dump)  # fmt: skip
            except Exception:  # a template is a saving, never a reason for a start to fail:
                made = None  # the version then starts the normal way
            self.templates.keep(sha256, spec, made)
        return _Begun(state=state, status=survey.status, next_timer=survey.next_timer,
                      ready=survey.ready, workflow=workflow, fresh=None)  # fmt: skip

    def _insert_start(self, conn: Connection, plan: _StartPlan) -> int:
        """SQLite: the start's rows as three INSERTs in the caller's write transaction, each
        sent straight to the driver (:meth:`DriverStatement.send`)."""
        instance_id = _INSERT_INSTANCE.send(conn, plan.row)
        if instance_id is None:  # pragma: no cover - only without a rowid
            raise RuntimeError("INSERT did not report the new primary key")
        for values in plan.created:
            values["instance_id"] = instance_id
            _INSERT_TASK.send(conn, values)
        plan.logged["instance_id"] = instance_id
        _INSERT_AUDIT.send(conn, plan.logged)
        return instance_id

    def _started(self, plan: _StartPlan, instance_id: int) -> Instance:
        """After the write: the new instance, remembered (PostgreSQL) with the workflow just
        serialized, so its first completion need neither read nor deserialize it."""
        row, definition = plan.row, plan.definition
        status = row["status"]
        if self.one_trip and status == InstanceStatus.RUNNING and plan.created:
            inst = SimpleNamespace(id=instance_id, definition_id=definition.id,
                                   process_key=definition.key, title=row["title"],
                                   business_key=row["business_key"])  # fmt: skip
            workflow = plan.workflow
            if workflow is None and plan.fresh is not None and self.keep_workflows:
                # a templated start has no workflow object: the one its state deserializes
                # to, built (tens of microseconds) so its first completion need not load it
                workflow = plan.fresh.workflow(self.script_engine)
            self._keep(_cached(inst, row["state"], status, 1, plan.created), workflow)
        else:  # nobody keeps it: freed now, not by a garbage collection (see release)
            release(plan.workflow)
        return Instance(
            id=instance_id,
            definition_id=definition.id,
            process_key=definition.key,
            process_name=definition.name,
            version=definition.version,
            title=row["title"],
            business_key=row["business_key"],
            status=InstanceStatus(status),
            started_by=plan.user,
            started_at=plan.now,
            ended_at=row["ended_at"],
            cancel_reason="",
        )

    # -- complete --------------------------------------------------------------------------

    def open_task(self, task_id: str, user: str) -> OpenedTask:
        """The task, read for ``user``'s completion of it (see :class:`OpenedTask`): any
        state (a completed or cancelled task is the caller's to explain); NotFound when there
        is no such task. One statement, no transaction."""
        with self.store.begin(write=False, snapshot=False) as conn:
            row = _WORK_READ.first(conn, {"task_id": str(task_id), "user": user})
        if row is None:
            raise NotFound(f"Tugas {task_id} tidak ditemukan")
        return OpenedTask(task=self._to_task(row, self.clock()), user=user, read=row)

    def complete(
        self,
        task_id: str,
        user: str,
        decision: str | None = None,
        comment: str = "",
        attachments: Sequence[str] = (),
        form: Mapping[str, str] | None = None,
        *,
        opened: OpenedTask | None = None,
    ) -> CompletionResult:
        """Complete a ready task as ``user`` with the decision, a comment and the values typed
        into the task's form (raw texts, validated and typed by engine.forms).

        Optimistic first: the rows are read and SpiffWorkflow does its work outside the write
        lock, then one short write transaction checks that the instance is still at the
        version read (and the task still ready, held by the same assignee) and writes; on
        PostgreSQL that write is one statement and the read and it run in autocommit. A lost
        race is retried holding the lock from the start, as every attempt used to be.
        ``opened``: :meth:`open_task` of this task for this user, the first attempt's read.
        Without it, on PostgreSQL, a task of an instance this process wrote last is completed
        from :attr:`states` without any read (:meth:`_complete_warm`)."""
        args = (str(task_id), user, decision, comment, attachments, form or {})
        read = opened.read if opened is not None and (
            opened.task.id, opened.user) == (args[0], user) else None  # fmt: skip
        if read is None and self.one_trip:
            done = self._complete_warm(*args)
            if done is not None:
                return done
        for attempt in range(_MAX_ATTEMPTS):
            try:
                return self._complete_once(*args, locked=attempt > 0, read=read)
            except _LostRace:
                read = None
                continue
        raise Conflict("Instansi sedang diubah oleh pengguna lain; silakan coba lagi")

    def _complete_once(
        self,
        task_id: str,
        user: str,
        decision: str | None,
        comment: str,
        attachments: Sequence[str],
        form: Mapping[str, str],
        *,
        locked: bool,
        read: Any = None,
    ) -> CompletionResult:
        comment = (comment or "").strip()
        now = self.clock()
        if locked:
            with self.store.begin() as conn:
                work = self._prepare(conn, task_id, user, decision, comment, form, lock=True)
                self._advance(work)
                result = self._finish(conn, work, user, comment, attachments, now)
            self._remember(work)  # committed
            return result
        if self.store.dialect == "postgresql":
            # the write is one statement that checks and locks what it relies on
            # (:func:`_completion_statement`), so the read and the write each run alone in
            # autocommit (Store.first_alone, Store.first_row_alone): no connection is held
            # while SpiffWorkflow works
            work = self._prepare(None, task_id, user, decision, comment, form, lock=False,
                                 read=read)  # fmt: skip
            self._advance(work)
            result = self._finish(None, work, user, comment, attachments, now)
            self._remember(work)
            return result
        with self.store.read_then_write() as phases:
            work = self._prepare(phases.conn, task_id, user, decision, comment, form, lock=False,
                                 read=read)  # fmt: skip
            self._advance(work)
            # every row, value and the result are made before the write lock is taken: on
            # SQLite another writer waits only for the statements themselves
            work.planned = self._plan(work, user, comment, attachments, now)
            with phases.write() as conn:
                result = self._finish(conn, work, user, comment, attachments, now)
        self._remember(work)
        return result

    def _complete_warm(self, task_id: str, user: str, decision: str | None, comment: str,
                       attachments: Sequence[str],
                       form: Mapping[str, str]) -> CompletionResult | None:  # fmt: skip
        """PostgreSQL, one round trip: the completion worked from what this process last
        wrote of the instance (:class:`~engine.state_cache.CachedInstance`), its write
        statement checking, besides the version and the task's state and holder, that the
        user is active and holds the task or its role. None when there is no such entry, or
        anything would fail or the statement wrote nothing: the caller then completes from a
        fresh read, which raises the exact error (its order of checks) or completes."""
        entry = self.states.for_task(task_id)
        if entry is None or not user:
            return None
        cached = entry.rows.get(task_id)
        if cached is None or (cached["assignee"] is not None and cached["assignee"] != user):
            return None  # a row this process did not write, or another's task: the read says
        row = SimpleNamespace(**cached)  # a fresh object per use; the entry stays as it is
        # the live workflow of the entry's state, if kept, is this completion's alone now: it
        # goes back only with a successful write (_remember); any failure drops it
        kept = self.states.take_workflow(entry)
        inst = SimpleNamespace(id=entry.id, definition_id=entry.definition_id,
                               process_key=entry.process_key, title=entry.title,
                               business_key=entry.business_key, status=entry.status,
                               state=entry.state,
                               version_counter=entry.version_counter)  # fmt: skip
        comment = (comment or "").strip()
        now = self.clock()
        try:
            # the kept workflow, or one deserialized from the cached text: either way
            # SpiffWorkflow's changes to it never reach the entry; no connection is taken
            # (a spec not cached yet is read on one of its own), and the write statement is
            # sent alone (Store.first_row_alone), as a warm start's is
            work = self._work(None, row, inst, task_id, decision, comment, form,
                              set(entry.ready_ids), kept)  # fmt: skip
            work.known_rows = entry.rows
            self._advance(work)
            result = self._finish(None, work, user, comment, attachments, now,
                                  check_user=True)  # fmt: skip
        except _LostRace:  # stale, or the user may not: the statement wrote nothing
            self.states.evict(entry.id)
            if kept is not None:  # taken, maybe changed: dropped (see release)
                release(kept)
            return None
        except EngineError:  # the decision, the form, SpiffWorkflow: the entry is still good
            if kept is not None:
                release(kept)
            return None
        self._remember(work)
        return result

    def _remember(self, work: _Work) -> None:
        """After the commit of a completion: what it wrote becomes the instance's entry, kept
        with the workflow whose state it wrote (the entry goes when the instance stopped
        running: nothing is left to complete). A workflow not kept is released: freed now by
        reference counting, not later by a garbage collection (see
        :func:`~engine.state_cache.release`)."""
        entry = work.written
        if entry is not None and entry.status == InstanceStatus.RUNNING and entry.ready_ids:
            self._keep(entry, work.workflow)
            return
        if entry is not None:
            self.states.evict(entry.id)
        release(work.workflow)

    def _keep(self, entry: CachedInstance, workflow: BpmnWorkflow | None) -> None:
        """``entry`` into the state cache with the live ``workflow`` whose state it holds
        (handed over: a cache that keeps none releases it itself), or, where workflows are
        not kept (scripts allowed), the entry alone and the workflow released."""
        if self.keep_workflows:
            self.states.put(entry, workflow)
            return
        self.states.put(entry, None)
        release(workflow)

    def _prepare(
        self,
        conn: Connection | None,
        task_id: str,
        user: str,
        decision: str | None,
        comment: str,
        form: Mapping[str, str],
        *,
        lock: bool,
        read: Any = None,
    ) -> _Work:
        """Read and check everything a completion needs; ``lock``: under the instance lock;
        ``read``: the :data:`_WORK_QUERY` row read already (:meth:`open_task`); ``conn`` None
        (PostgreSQL, not locked): the read sent alone (:meth:`Store.first_alone`)."""
        if lock:
            assert conn is not None
            row, inst = self._workable(conn, task_id)
            user_row = active_user(conn, user)
        else:
            # one statement: the task, its instance, the user and the instance's ready task ids
            params = {"task_id": task_id, "user": user}
            row = read or (_WORK_READ.first(conn, params) if conn is not None
                           else self.store.first_alone(_WORK_READ, params))  # fmt: skip
            if row is None:
                raise NotFound(f"Tugas {task_id} tidak ditemukan")
            inst = SimpleNamespace(id=row.instance_id, definition_id=row.definition_id,
                                   process_key=row.process_key, title=row.i_title,
                                   business_key=row.i_business_key, status=row.i_status,
                                   state=row.i_state, version_counter=row.i_version)  # fmt: skip
            _check_workable(row, inst)
            user_row = checked_user(_joined_user(row), user)
        if row.assignee and row.assignee != user:
            raise NotAllowed(f"Tugas ini sedang ditangani oleh {row.assignee}")
        if not row.assignee and row.role not in roles_of(user_row):
            raise NotAllowed(_role_message(row.role))
        if lock:
            assert conn is not None
            existing = _ready_ids(conn, inst.id)
        else:
            existing = set(row.ready_ids.split(",")) if row.ready_ids else set()
        return self._work(conn, row, inst, task_id, decision, comment, form, existing)

    def _work(self, conn: Connection | None, row: Any, inst: Any, task_id: str,
              decision: str | None,
              comment: str, form: Mapping[str, str], existing: set[str],
              kept: Any = None) -> _Work:  # fmt: skip
        """The checks of the decision and the form, and the task in its workflow, ready.

        ``kept``: the live workflow whose serialized state is ``inst.state``
        (:meth:`~engine.state_cache.StateCache.take_workflow`), used instead of
        deserializing it."""
        info = self.definitions.meta(row.definition_id).task(row.element_id)
        option = _check_decision(info.decision, decision, comment)
        variables = coerce_form(info.form_fields, form)
        if kept is None:
            workflow = self.codec.load(inst.state, conn)
        else:  # what WorkflowCodec.load gives beyond the deserialization: the script engine
            workflow = kept
            workflow.script_engine = self.codec.script_engine
        try:
            spiff_task = workflow.get_task_from_id(uuid.UUID(task_id))
        except Exception:  # TaskNotFoundException: the row and the state disagree
            spiff_task = None
        if spiff_task is None or spiff_task.state != SpiffState.READY:
            raise TaskNotReady("Tugas ini tidak siap dikerjakan menurut status proses")
        return _Work(row=row, inst=inst, info=info, option=option, variables=variables,
                     workflow=workflow, spiff_task=spiff_task, existing=existing)  # fmt: skip

    def _advance(self, work: _Work) -> None:
        """SpiffWorkflow's part: the form values and the decision in, the task run, the
        engine steps up to the next human tasks; the new state serialized."""
        work.spiff_task.data.update(work.variables)
        if work.option is not None:
            # written on every submit: a loop's second pass must not reuse the old answer
            work.spiff_task.data.update(work.option.sets)
        workflow = work.workflow
        try:
            work.spiff_task.run()
            workflow.do_engine_steps()
        except Exception as exc:
            raise ExecutionFailed(
                _spiff_message("Proses tidak dapat dilanjutkan", exc)
            ) from None
        work.state = self.codec.dump(workflow)
        work.survey = _survey(workflow, self.clock())
        work.ready = work.survey.ready

    def _plan(self, work: _Work, user: str, comment: str, attachments: Sequence[str],
              now: datetime) -> _Planned:  # fmt: skip
        """Everything the write of a completion sends and answers, made from ``work`` alone
        (no connection), so it can be made before the write lock is taken."""
        row, inst, info = work.row, work.inst, work.info
        value = work.option.value if work.option is not None else None
        finished = dict(state=TaskState.COMPLETED, completed=now, completed_by=user,
                        decision=value, comment=comment,
                        assignee=row.assignee or user)  # fmt: skip
        save = self._save_values(inst, work.workflow, now, state=work.state, survey=work.survey)
        history = _with_form(comment, info, work.variables)
        created = self._new_rows(inst, now, work.existing, work.ready)
        gone = sorted(work.existing - set(work.ready) - {row.id})
        logged = _audit_values(inst.id, now, user, "complete", task=row, decision=value,
                               comment=history, attachments=attachments)  # fmt: skip
        nxt = [to_task(SimpleNamespace(**v), i, now) for v, i in created]
        return _Planned(finished=finished, save=save, created=[v for v, _ in created],
                        gone=gone, logged=logged,
                        result=self._completed(work, finished, nxt, now))  # fmt: skip

    def _finish(
        self,
        conn: Connection | None,
        work: _Work,
        user: str,
        comment: str,
        attachments: Sequence[str],
        now: datetime,
        *,
        check_user: bool = False,
    ) -> CompletionResult:
        """The write: instance (version-checked), the task row, the task-table sync, audit,
        as :meth:`_plan` made them (made here when the caller did not).

        ``check_user`` (PostgreSQL): the statement also checks that ``user`` may complete the
        task (nothing read it: :meth:`_complete_warm`). ``conn`` None (PostgreSQL): no
        connection was taken; the statement is sent alone (:meth:`Store.first_row_alone`)."""
        plan = work.planned or self._plan(work, user, comment, attachments, now)
        row, inst = work.row, work.inst
        if self.store.dialect == "postgresql":
            # every write in one statement: one round trip, atomic without BEGIN/COMMIT
            send = self.store.first_row_alone if conn is None else partial(_first_row, conn)
            _write_completion(send, plan.save, row, plan.finished, plan.created, plan.gone,
                              plan.logged, user if check_user else None)  # fmt: skip
            # what the instance is now, to be remembered once this is committed (the caller)
            still = work.existing - {row.id} - set(plan.gone)
            kept = {k: v for k, v in work.known_rows.items() if k in still}
            work.written = _cached(inst, plan.save["state"], plan.save["status"],
                                   plan.save["version_counter"], plan.created, kept,
                                   still)  # fmt: skip
            return plan.result
        assert conn is not None  # SQLite: the caller's write transaction
        result = _SAVE.execute(conn, plan.save)
        if result.rowcount != 1:
            raise _LostRace()
        if row.assignee is None:
            done = _FINISH_UNASSIGNED.execute(conn, {"b_id": row.id, **plan.finished})
        else:
            done = _FINISH_ASSIGNED.execute(
                conn, {"b_id": row.id, "b_assignee": row.assignee, **plan.finished}
            )
        if done.rowcount != 1:
            raise _LostRace()
        _write_task_rows(conn, plan.gone, plan.created, now)
        _INSERT_AUDIT.execute(conn, plan.logged)
        return plan.result

    @staticmethod
    def _completed(
        work: _Work, finished: dict[str, Any], nxt: list[TaskRow], now: datetime
    ) -> CompletionResult:
        row = work.row
        values = {name: getattr(row, name) for name in _TASK_COLUMNS}
        values.update(finished)
        return CompletionResult(
            task=to_task(SimpleNamespace(**values), work.info, now),
            next_tasks=tuple(nxt),
            instance_status=work.survey.status if work.survey else _status_of(work.workflow),
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
        # the cached row's holder would be wrong (a completion's statement would find out and
        # write nothing, a wasted round trip): forget the instance
        self.states.evict_task(task_id)
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
            self._audit(conn, inst.id, now, by, action, task=row, comment=comment,
                        target_user=to if action == "reassign" else None)  # fmt: skip
            return self._to_task(task_row(conn, task_id), now)

    # -- cancel ----------------------------------------------------------------------------

    def cancel(self, instance_id: int, user: str, reason: str) -> Instance:
        """Cancel a running instance (administrators only; a reason is required)."""
        reason = (reason or "").strip()
        if not reason:
            raise BadInput("Alasan pembatalan wajib diisi")

        self.states.evict(instance_id)  # the cancel moves the version on anyway

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
                release(workflow)  # written: nobody uses it again
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
        self.states.evict(instance_id)  # the save below moves the version on anyway
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
            release(workflow)  # written (the sync read its ready tasks): nobody uses it again
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
        _check_workable(row, inst)
        return row, inst

    def _save(
        self, conn: Connection, inst: Any, workflow: Any, now: datetime, **values: Any
    ) -> None:
        """Write the workflow back, if the instance is still at the version read (else
        :class:`_LostRace`); an instance that stops running gets its ``ended_at``."""
        result = _SAVE.execute(conn, self._save_values(inst, workflow, now, **values))
        if result.rowcount != 1:
            raise _LostRace()

    def _save_values(
        self, inst: Any, workflow: Any, now: datetime, survey: _Survey | None = None,
        **values: Any,
    ) -> dict[str, Any]:
        """The parameters of :data:`_SAVE` (``b_id``/``b_version``: the row and its version
        read; the rest: the new column values). ``survey``: :func:`_survey` of ``workflow``,
        when the caller made it already."""
        survey = survey or _survey(workflow, now)
        status = values.pop("status", None) or (
            InstanceStatus.COMPLETED if survey.status == InstanceStatus.COMPLETED
            else inst.status
        )  # fmt: skip
        running = status == InstanceStatus.RUNNING
        if not running and "ended_at" not in values:
            values["ended_at"] = now
        state = values.pop("state", None) or self.codec.dump(workflow)
        return dict(
            b_id=inst.id,
            b_version=inst.version_counter,
            state=state,
            status=status,
            version_counter=inst.version_counter + 1,
            spiff_version=SPIFF_VERSION,
            serializer_version=self.codec.version,
            next_timer_at=survey.next_timer if running else None,
            updated_at=now,
            **values,
        )

    @staticmethod
    def _ready(workflow: Any) -> dict[str, Any]:
        """The workflow's ready human tasks by id (none once it has ended)."""
        return _survey(workflow, None).ready

    def _sync(
        self,
        conn: Connection,
        inst: Any,
        workflow: Any,
        now: datetime,
        done: str | None = None,
        existing: set[str] | None = None,
        ready: dict[str, Any] | None = None,
    ) -> list[TaskRow]:
        """Make the instance's ready task rows match the workflow; returns the new tasks.

        ``existing`` (the instance's ready task ids) and ``ready`` (:meth:`_ready`), when the
        caller has them already: read at the version the write is checked against."""
        if ready is None:
            ready = self._ready(workflow)
        if existing is None:
            existing = _ready_ids(conn, inst.id)
        gone = existing - set(ready) - {done}
        created = self._new_rows(inst, now, existing, ready)
        _write_task_rows(conn, gone, [values for values, _ in created], now)
        return [to_task(SimpleNamespace(**values), info, now) for values, info in created]

    def _new_rows(
        self, inst: Any, now: datetime, existing: set[str], ready: dict[str, Any]
    ) -> list[tuple[dict[str, Any], HumanTask]]:
        """The task rows to insert for the workflow's ready tasks the table does not hold."""
        meta = self.definitions.meta(inst.definition_id)
        definition = self.definitions.get_by_id(inst.definition_id)
        created: list[tuple[dict[str, Any], HumanTask]] = []
        for tid, spiff_task in ready.items():
            if tid in existing:
                continue
            element = spiff_task.task_spec.bpmn_id
            info = meta.task(element)
            due = self.calendar.due_for_task(now, info.properties, info.due_date)
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
                assignee=info.assignee or None,  # camunda:assignee: always that user
                created=now,
                due=due,
                due_order=due or FAR_FUTURE,
                completed=None,
                completed_by=None,
                decision=None,
                comment="",
            )
            created.append((values, info))
        return created

    def _audit(self, conn: Connection, instance_id: int, now: datetime, user: str, action: str,
               task: Any = None, decision: str | None = None, comment: str = "",
               attachments: Sequence[str] = (), element_id: str | None = None,
               task_name: str | None = None,
               target_user: str | None = None) -> None:  # fmt: skip
        values = _audit_values(instance_id, now, user, action, task, decision, comment,
                               attachments, element_id, task_name, target_user)  # fmt: skip
        _INSERT_AUDIT.execute(conn, values)


def _audit_values(instance_id: int, now: datetime, user: str, action: str, task: Any = None,
                  decision: str | None = None, comment: str = "", attachments: Sequence[str] = (),
                  element_id: str | None = None, task_name: str | None = None,
                  target_user: str | None = None) -> dict[str, Any]:  # fmt: skip
    """One audit row's values (see :meth:`Commands._audit`)."""
    return dict(
        instance_id=instance_id,
        at=now,
        user=user,
        action=action,
        task_id=task.id if task is not None else None,
        element_id=task.element_id if task is not None else element_id,
        task_name=task.name if task is not None else task_name,
        decision=decision,
        comment=comment,
        attachments=json.dumps(list(attachments), ensure_ascii=False) if attachments else "[]",
        target_user=target_user,
    )


@dataclass
class _Work:
    """One completion between its reads and its write."""

    row: Any
    inst: Any
    info: HumanTask
    option: DecisionOption | None
    variables: dict[str, Any]
    workflow: Any
    spiff_task: Any
    existing: set[str]
    state: str = ""
    ready: dict[str, Any] = field(default_factory=dict)
    survey: _Survey | None = None  # of the workflow after SpiffWorkflow's work
    known_rows: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # ready rows
    written: CachedInstance | None = None  # the instance as the write left it (PostgreSQL)
    planned: _Planned | None = None  # the write's rows and answer, made before the lock


@dataclass(frozen=True)
class _Planned:
    """What the write of one completion sends (:meth:`Commands._plan`): the instance's new
    values (``save``), the task's, the new task rows, the ids of tasks the step cancelled,
    the audit row, and the answer to give once it is committed."""

    finished: dict[str, Any]
    save: dict[str, Any]
    created: list[dict[str, Any]]
    gone: list[str]
    logged: dict[str, Any]
    result: CompletionResult


@dataclass(frozen=True)
class _Survey:
    """What a write needs to know of a workflow: whether it ended, its ready human tasks by
    id (in the workflow's order; none once ended) and its earliest pending timer."""

    status: InstanceStatus
    ready: dict[str, Any]
    next_timer: datetime | None


def _survey(workflow: Any, now: datetime | None) -> _Survey:
    """One pass over the tasks for :class:`_Survey` (three walks before: the ready tasks,
    the timers, and the end check each went over the whole tree). ``now``: the time a timer
    with an unreadable value is due (None: timers not wanted).

    Why a scan of the workflow's task map where it can: SpiffWorkflow's tree walk costs about
    12 µs for a ten-task case, the scan under 1 µs, on every start and completion; its end
    check (``is_completed``, a walk to the first unfinished task) cost as much again, so the
    scan answers it too: SpiffWorkflow keeps the task map and the tree in step (a task leaves
    both), so an unfinished task in the map is one the walk would find. The walk stays where
    the scan could differ: a workflow with subprocesses or already marked completed, and the
    order of more than one ready task (the map is in creation order, the rows are written in
    tree order)."""
    if workflow.subprocesses or workflow.completed:  # their tasks are in task maps of their
        if workflow.is_completed():  # own: the tree walk
            return _Survey(InstanceStatus.COMPLETED, {}, None)
        found = workflow.get_tasks(state=_LIVE)
    else:  # every task of the workflow is in its task map: a scan, not SpiffWorkflow's walk
        found = []
        unfinished = False
        for task in workflow.tasks.values():
            state = task.state
            if state & _UNFINISHED:
                unfinished = True
                if state & _LIVE:
                    found.append(task)
        if not unfinished and workflow.is_completed():  # (the walk sets its flag)
            return _Survey(InstanceStatus.COMPLETED, {}, None)
        if sum(task.state == SpiffState.READY and task.task_spec.manual for task in found) > 1:
            found = workflow.get_tasks(state=_LIVE)  # the map is in creation order: the
            # walk gives several ready tasks in the tree's order, as always
    ready: dict[str, Any] = {}
    times: list[datetime] = []
    for task in found:
        spec = task.task_spec
        if task.state == SpiffState.READY:
            if spec.manual:
                ready[str(task.id)] = task
        elif now is not None and isinstance(
            getattr(spec, "event_definition", None), TimerEventDefinition
        ):
            times.append(_timer_value(task) or now)
    return _Survey(InstanceStatus.RUNNING, ready, min(times) if times else None)


_LIVE = SpiffState.READY | SpiffState.WAITING  # the tasks a survey looks at
_UNFINISHED = SpiffState.NOT_FINISHED_MASK  # what keeps a workflow from being completed


# built once: the statements every completion runs (SQLAlchemy then reuses their compiled
# form without rebuilding the statement objects)
_TASK_COLUMNS = tuple(c.name for c in tasks.c)  # (a Table's column collection is slow to walk)
_READY_OF_INSTANCE = tasks.alias("ready")
_WORK_QUERY = (
    sa.select(
        tasks,
        instances.c.title.label("i_title"),
        instances.c.business_key.label("i_business_key"),
        instances.c.status.label("i_status"),
        instances.c.state.label("i_state"),
        instances.c.version_counter.label("i_version"),
        users.c.username.label("u_username"),
        users.c.active.label("u_active"),
        users.c.roles.label("u_roles"),
        users.c.is_admin.label("u_is_admin"),
        # the ids the task table holds as ready for this instance ("a,b"; task ids are uuids).
        # The state is a FILTER, not a WHERE condition: the only way in is then the
        # instance's own task rows (its index), never a walk over every ready task of every
        # case, which the planner chose whenever its statistics were behind the table
        sa.select(
            sa.func.aggregate_strings(_READY_OF_INSTANCE.c.id, ",").filter(
                _READY_OF_INSTANCE.c.state == TaskState.READY
            )
        )
        .where(_READY_OF_INSTANCE.c.instance_id == tasks.c.instance_id)
        .scalar_subquery()
        .label("ready_ids"),
    )
    .join(instances, instances.c.id == tasks.c.instance_id)
    .outerjoin(users, users.c.username == sa.bindparam("user"))
    .where(tasks.c.id == sa.bindparam("task_id"))
)


_WORK_READ = DriverQuery(_WORK_QUERY)  # read through the driver's own cursor


_START_QUERY = (  # the latest version of a key, and the user starting it
    sa.select(
        definition_rows.c.id,
        users.c.username.label("u_username"),
        users.c.active.label("u_active"),
        users.c.roles.label("u_roles"),
        users.c.is_admin.label("u_is_admin"),
    )
    .select_from(definition_rows.outerjoin(users, users.c.username == sa.bindparam("user")))
    .where(definition_rows.c.key == sa.bindparam("key"))
    .order_by(definition_rows.c.version.desc())
    .limit(1)
)
_START_QUERY_VERSION = _START_QUERY.where(definition_rows.c.version == sa.bindparam("version"))
_START_READ = DriverQuery(_START_QUERY)  # read through the driver's own cursor
_START_READ_VERSION = DriverQuery(_START_QUERY_VERSION)


def _joined_user(row: Any) -> Any:
    """The user columns of a :data:`_WORK_QUERY` or :data:`_START_QUERY` row (None: no such
    user)."""
    if row.u_username is None:
        return None
    return SimpleNamespace(active=row.u_active, roles=row.u_roles, is_admin=row.u_is_admin)


# the writes of every start and completion, sent as compiled SQL text (see DriverStatement)
_INSERT_INSTANCE = DriverStatement(instances.insert())
_INSERT_AUDIT = DriverStatement(audit.insert())
_INSERT_TASK = DriverStatement(tasks.insert())
_SAVE = DriverStatement(
    instances.update().where(
        instances.c.id == sa.bindparam("b_id"),
        instances.c.version_counter == sa.bindparam("b_version"),
    )
)
_FINISH_ASSIGNED = DriverStatement(
    tasks.update().where(
        tasks.c.id == sa.bindparam("b_id"),
        tasks.c.state == TaskState.READY,
        tasks.c.assignee == sa.bindparam("b_assignee"),
    )
)
_FINISH_UNASSIGNED = DriverStatement(
    tasks.update().where(
        tasks.c.id == sa.bindparam("b_id"),
        tasks.c.state == TaskState.READY,
        tasks.c.assignee.is_(None),
    )
)
_TASK_STATES = sa.select(tasks.c.id, tasks.c.state).where(
    tasks.c.instance_id == sa.bindparam("instance_id")
)


def _ready_ids(conn: Connection, instance_id: int) -> set[str]:
    """The ids of the instance's ready task rows. Read by the instance alone and filtered
    here (a case has tens of task rows): with ``state`` in the WHERE clause the planner may
    walk the state index over every ready task of every case instead."""
    rows = conn.execute(_TASK_STATES, {"instance_id": instance_id})
    return {r.id for r in rows if r.state == TaskState.READY}
_WRITES: dict[tuple[Any, ...], _CompletionWrite] = {}  # PostgreSQL's one-statement writes
_START_WRITES: dict[tuple[Any, ...], _StartWrite] = {}  # the starts' (see _start_write)


@dataclass(frozen=True)
class _StartGuard:
    """What a start's write checks when nothing was read before it (PostgreSQL, warm):
    ``version`` is still the latest of ``key``, and ``user`` (unless empty: the operator)
    exists, is active, and is an administrator or holds one of ``first_lanes`` (any, when
    there are none), as :meth:`Commands._start` checks a read user."""

    key: str
    version: int
    user: str
    first_lanes: tuple[str, ...]

    def shape(self) -> tuple[bool, int]:
        return bool(self.user), len(self.first_lanes) if self.user else 0

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"g_key": self.key, "g_version": self.version}
        if self.user:
            out["g_user"] = self.user
            lanes = self.first_lanes
            out.update(zip(_lane_names(len(lanes)), lanes, strict=True))
        return out


@cache
def _lane_names(count: int) -> tuple[str, ...]:
    """A guard's lane parameter names, made once per count."""
    return tuple(f"g_lane{i}" for i in range(count))


def _start_write(plan: _StartPlan,
                 guard: _StartGuard | None) -> tuple[DriverStatement, dict[str, Any]]:  # fmt: skip
    """PostgreSQL: a start's three INSERTs as one statement (data-modifying CTEs), and its
    values: the instance, then its first task rows and its audit row with the instance's new
    id, which the statement returns (:func:`_inserted`). One round trip instead of three.
    With ``guard``, the instance is inserted only if the guard holds (else nothing, and the
    statement returns no row)."""
    row, created, logged = plan.row, plan.created, plan.logged
    shape = (tuple(row), tuple(map(tuple, created)), tuple(logged),
             guard.shape() if guard is not None else None)  # fmt: skip
    write = _START_WRITES.get(shape)
    if write is None:
        write = _START_WRITES[shape] = _StartWrite(*shape)
    return write.statement, write.params(row, created, logged, guard)


def _inserted(row: tuple[Any, ...] | None) -> int:
    """The new instance's id from the row of an unguarded start statement."""
    if row is None:  # as Result.scalar_one() says it (an event handler took the row, say)
        raise sa.exc.NoResultFound("No row was found when one was required")
    return int(row[0])


@dataclass
class _StartPlan:
    """One start between SpiffWorkflow's work and its write (:meth:`Commands._plan_start`):
    the new instance's row, its first task rows and its audit row, every value made (the
    instance id aside, which the write gives), and the workflow they were made from."""

    definition: Definition
    workflow: Any  # None when made from a template (``fresh``)
    now: datetime
    user: str
    row: dict[str, Any]  # the instances row
    created: list[dict[str, Any]]  # its first task rows
    logged: dict[str, Any]  # its audit row
    fresh: FreshStart | None = None  # the template's start it was made from, if it was


@dataclass(frozen=True)
class _Begun:
    """SpiffWorkflow's part of a start (:meth:`Commands._begin`): the serialized state, the
    status and earliest timer, the ready human tasks by id (SpiffWorkflow's tasks, or a
    template's :class:`~engine.start_template.ReadyTask`), and the live workflow or the
    template's start it came from."""

    state: str
    status: InstanceStatus
    next_timer: datetime | None
    ready: dict[str, Any]
    workflow: Any
    fresh: FreshStart | None


class _StartWrite:
    """The start statement of one shape (the columns given, in the order given; how many
    first task rows; the guard's shape) and its parameter names, made once per shape: a start
    then only pairs those names with its values (no per-call sorting or name building)."""

    def __init__(self, row_keys: tuple[str, ...], created: tuple[tuple[str, ...], ...],
                 logged_keys: tuple[str, ...],
                 guard: tuple[bool, int] | None) -> None:  # fmt: skip
        self.statement = DriverStatement(_start_statement(row_keys, created, logged_keys, guard))
        self.row_names = tuple(f"s_{k}" for k in row_keys)
        self.created_names = [tuple(f"n{i}_{k}" for k in keys) for i, keys in enumerate(created)]
        self.logged_names = tuple(f"a_{k}" for k in logged_keys)

    def params(self, row: dict[str, Any], created: list[dict[str, Any]],
               logged: dict[str, Any], guard: _StartGuard | None) -> dict[str, Any]:  # fmt: skip
        params = dict(zip(self.row_names, row.values(), strict=True))
        for names, values in zip(self.created_names, created, strict=True):
            params.update(zip(names, values.values(), strict=True))
        params.update(zip(self.logged_names, logged.values(), strict=True))
        if guard is not None:
            params.update(guard.params())
        return params


def _start_statement(row_keys: tuple[str, ...], created: tuple[tuple[str, ...], ...],
                     logged_keys: tuple[str, ...],
                     guard: tuple[bool, int] | None) -> Any:  # fmt: skip
    """``guard`` (:meth:`_StartGuard.shape`): whether the user is checked, and against how
    many first lanes; None: no guard."""
    values = {k: _param(instances, "s_", k) for k in row_keys}
    if guard is None:
        inserted = instances.insert().values(values)
    else:
        newer = sa.select(definition_rows.c.id).where(
            definition_rows.c.key == sa.bindparam("g_key"),
            definition_rows.c.version > sa.bindparam("g_version"),
        )
        holds = [~sa.exists(newer)]
        check_user, lanes = guard
        if check_user:
            lane_params = [sa.bindparam(f"g_lane{i}", type_=sa.String) for i in range(lanes)]
            holds.append(_may_act("g_user", lane_params, admin=True))
        chosen = sa.select(*values.values()).where(*holds)
        inserted = instances.insert().from_select(list(values), chosen)
    started = inserted.returning(instances.c.id).cte("started")

    def of_started(table: sa.Table, prefix: str, keys: tuple[str, ...]) -> Any:
        values = [started.c.id if k == "instance_id" else _param(table, prefix, k) for k in keys]
        return table.insert().from_select(list(keys), sa.select(*values).select_from(started))

    inserts = [of_started(tasks, f"n{i}_", keys).cte(f"first_{i}")
               for i, keys in enumerate(created)]  # fmt: skip
    inserts.append(of_started(audit, "a_", logged_keys).cte("logged"))
    return sa.select(started.c.id).add_cte(*inserts)


def _param(table: sa.Table, prefix: str, key: str) -> Any:
    """A bound value for ``table.key`` (typed: dates go through UTCDateTime)."""
    return sa.bindparam(f"{prefix}{key}", type_=table.c[key].type)


def _first_row(conn: Connection, statement: DriverStatement,
               params: Mapping[str, Any]) -> tuple[Any, ...] | None:  # fmt: skip
    return statement.first_row(conn, params)


def _write_completion(send: Callable[[DriverStatement, dict[str, Any]], tuple[Any, ...] | None],
                      save: dict[str, Any], row: Any,
                      finished: dict[str, Any], created: list[dict[str, Any]], gone: list[str],
                      logged: dict[str, Any], user: str | None = None) -> None:  # fmt: skip
    """PostgreSQL: a completion's writes as one statement (see :func:`_completion_statement`),
    sent in autocommit by ``send`` (on the caller's connection, or alone): either all of it
    happens or none. Nothing done (the instance moved on, or the task was claimed, completed
    or cancelled since the read, or ``user``, when given, may not complete it) raises
    :class:`_LostRace`.
    """
    shape = (tuple(save), row.assignee is not None, tuple(finished), tuple(map(tuple, created)),
             len(gone), tuple(logged), user is not None)  # fmt: skip
    write = _WRITES.get(shape)
    if write is None:
        write = _WRITES[shape] = _CompletionWrite(*shape)
    statement, params = write.statement, write.params(save, row, finished, created, gone, logged,
                                                      user)  # fmt: skip
    done = send(statement, params)  # one row: the (saved, finished) counts
    if done is None:  # as Result.one() says it (an event handler took the row, say)
        raise sa.exc.NoResultFound("No row was found when one was required")
    saved, finished_count = done
    if saved != 1:
        raise _LostRace()
    if finished_count != 1:  # pragma: no cover - the task row is locked by the statement
        raise RuntimeError("completion statement wrote the instance but not its task")


class _CompletionWrite:
    """The completion statement of one shape (the columns of each part in the order given,
    whether the task was held, how many next and cancelled tasks, whether the user is
    checked) and its parameter names, made once per shape (as :class:`_StartWrite`): a
    completion then pairs those names with its values, with no per-call sorting or name
    building (about 20 µs of client CPU a completion before)."""

    def __init__(self, save_keys: tuple[str, ...], assigned: bool,
                 finished_keys: tuple[str, ...], created: tuple[tuple[str, ...], ...],
                 gone: int, logged_keys: tuple[str, ...], check_user: bool) -> None:  # fmt: skip
        new_keys = tuple(k for k in save_keys if not k.startswith("b_"))
        self.statement = DriverStatement(_completion_statement(
            new_keys, assigned, finished_keys, created, gone, logged_keys, check_user))  # fmt: skip
        self._new = [(k, f"s_{k}") for k in new_keys]
        self._finished = tuple(f"t_{k}" for k in finished_keys)
        self._created = [tuple(f"n{i}_{k}" for k in keys) for i, keys in enumerate(created)]
        self._gone = tuple(f"g{i}_id" for i in range(gone))
        self._logged = tuple(f"a_{k}" for k in logged_keys)

    def params(self, save: dict[str, Any], row: Any, finished: dict[str, Any],
               created: list[dict[str, Any]], gone: list[str], logged: dict[str, Any],
               user: str | None) -> dict[str, Any]:  # fmt: skip
        params: dict[str, Any] = {"b_id": save["b_id"], "b_version": save["b_version"],
                                  "t_id": row.id, "t_assignee_was": row.assignee,
                                  "g_completed": finished["completed"]}  # fmt: skip
        if user is not None:
            params["u_name"] = user
        for key, name in self._new:
            params[name] = save[key]
        params.update(zip(self._finished, finished.values(), strict=True))
        for names, values in zip(self._created, created, strict=True):
            params.update(zip(names, values.values(), strict=True))
        params.update(zip(self._gone, gone, strict=True))
        params.update(zip(self._logged, logged.values(), strict=True))
        return params


def _completion_statement(save_keys: tuple[str, ...], assigned: bool,
                          finished_keys: tuple[str, ...], created: tuple[tuple[str, ...], ...],
                          gone: int, logged_keys: tuple[str, ...],
                          check_user: bool = False) -> Any:  # fmt: skip
    """One data-modifying statement whose every part depends on the one before it:

    ``locked``  the instance row, still at the version read, locked;
    ``held``    then the task row, still ready and held by the assignee read, locked: a lock
                re-reads the row's latest committed version, so a claim committed after the
                statement's snapshot is seen; instance before task, the order of every other
                writer (claim, cancel, timers), so two writers never wait for each other.
                Both FOR NO KEY UPDATE, the lock the UPDATEs below take anyway: it does not
                block the foreign-key check of an audit row another transaction adds for the
                instance (a delegation holding the task row would otherwise deadlock here);
    ``saved``   the instance written, only if the task is held (and, ``check_user``, the
                user ``u_name`` is active and, the task being unclaimed, holds its role: as
                :meth:`Commands._prepare` checks a read user);
    ``finished`` the task completed, only if the instance was saved;
    then the tasks the workflow no longer has cancelled, the next tasks and the audit row,
    only if the task was finished. With both rows locked before anything is written, either
    every part happens or none does: no transaction is needed around it, and the statement
    is durable when it returns (synchronous commit as configured)."""

    def params(table: sa.Table, prefix: str, keys: tuple[str, ...]) -> list[Any]:
        return [_param(table, prefix, k) for k in keys]

    locked = (
        sa.select(instances.c.id)
        .where(
            instances.c.id == sa.bindparam("b_id"),
            instances.c.version_counter == sa.bindparam("b_version"),
        )
        .with_for_update(key_share=True)
        .cte("locked")
    )
    # the task row is found by its key alone and its state and holder are checked on the
    # locked row the CTE returns: as conditions of the scan, the planner could take the
    # state index and walk every ready task of every case to find this one
    held = (
        sa.select(tasks.c.id, tasks.c.state, tasks.c.assignee, tasks.c.role)
        .where(tasks.c.id == sa.bindparam("t_id"), sa.exists(sa.select(locked.c.id)))
        .with_for_update(key_share=True)
        .cte("held")
    )
    holder = (
        held.c.assignee == sa.bindparam("t_assignee_was") if assigned
        else held.c.assignee.is_(None)
    )  # fmt: skip
    conditions = [held.c.state == TaskState.READY, holder]
    if check_user:  # the holder is the user (checked by the caller), or the role is theirs
        conditions.append(_may_act("u_name", [] if assigned else [held.c.role], admin=False))
    still_held = sa.exists(sa.select(held.c.id).where(*conditions))
    saved = (
        instances.update()
        .where(instances.c.id == sa.bindparam("b_id"), still_held)
        .values(dict(zip(save_keys, params(instances, "s_", save_keys), strict=True)))
        .returning(instances.c.id)
        .cte("saved")
    )
    finished = (
        tasks.update()
        .where(tasks.c.id == sa.bindparam("t_id"), sa.exists(sa.select(saved.c.id)))
        .values(dict(zip(finished_keys, params(tasks, "t_", finished_keys), strict=True)))
        .returning(tasks.c.id)
        .cte("finished")
    )
    went = sa.exists(sa.select(finished.c.id))
    writes = [
        tasks.update()
        .where(tasks.c.id == _param(tasks, f"g{i}_", "id"), went)  # ready at the version
        .values(state=sa.literal(TaskState.CANCELLED.value, tasks.c.state.type),
                completed=_param(tasks, "g_", "completed"))
        .cte(f"gone_{i}")
        for i in range(gone)
    ]  # fmt: skip
    writes += [
        tasks.insert()
        .from_select(list(keys), sa.select(*params(tasks, f"n{i}_", keys)).where(went))
        .cte(f"next_{i}")
        for i, keys in enumerate(created)
    ]
    writes.append(
        audit.insert()
        .from_select(list(logged_keys), sa.select(*params(audit, "a_", logged_keys)).where(went))
        .cte("logged")
    )
    count = sa.func.count()
    return sa.select(
        sa.select(count).select_from(saved).scalar_subquery().label("saved"),
        sa.select(count).select_from(finished).scalar_subquery().label("finished"),
    ).add_cte(*writes)


def _write_task_rows(conn: Connection, gone: Iterable[str], created: list[dict[str, Any]],
                     now: datetime) -> None:
    """The task-table sync of a write made of separate statements (a completion's on
    PostgreSQL is folded into its one statement): the ready rows the step cancelled, then the
    new ones."""
    gone = list(gone)
    if gone:
        conn.execute(
            tasks.update()
            .where(tasks.c.id.in_(gone))
            .values(state=TaskState.CANCELLED, completed=now)
        )
    if len(created) == 1:  # the usual case: a plain INSERT, no executemany batching
        _INSERT_TASK.execute(conn, created[0])
    elif created:
        conn.execute(tasks.insert(), created)


def _may_act(user_param: str, roles: Sequence[Any], *, admin: bool) -> Any:
    """SQL: the user named by ``user_param`` exists and is active, and (when ``roles`` are
    given) holds one of them, or is an administrator when ``admin``. ``users.roles`` is a
    JSON list of lane names; "" reads as none, as :func:`engine.records.roles_of` reads it."""
    holds = [users.c.username == sa.bindparam(user_param), users.c.active]
    if roles:
        held = sa.cast(sa.func.nullif(users.c.roles, ""), JSONB)
        any_role = sa.or_(*[held.has_key(role) for role in roles])
        holds.append(sa.or_(users.c.is_admin, any_role) if admin else any_role)
    return sa.exists(sa.select(users.c.id).where(*holds))


def _cached(inst: Any, state: str, status: str, version: int, created: list[dict[str, Any]],
            kept: Mapping[str, Mapping[str, Any]] | None = None,
            others: Iterable[str] = ()) -> CachedInstance:  # fmt: skip
    """The entry of an instance as a write just left it: ``created`` the task rows it
    inserted, ``kept`` the rows known from before that are still ready, ``others`` the ids
    of every ready row from before (whole rows unknown unless in ``kept``)."""
    rows: dict[str, Mapping[str, Any]] = dict(kept or {})
    for values in created:
        rows[values["id"]] = {**values, "instance_id": inst.id}
    return CachedInstance(
        id=inst.id, definition_id=inst.definition_id, process_key=inst.process_key,
        title=inst.title, business_key=inst.business_key, status=str(status), state=state,
        version_counter=version, ready_ids=frozenset(others) | frozenset(rows),
        rows=CachedInstance.frozen_rows(rows),
    )  # fmt: skip


def _check_workable(row: Any, inst: Any) -> None:
    if row.state == TaskState.COMPLETED:
        raise AlreadyCompleted(row.completed_by, row.completed)
    if row.state != TaskState.READY or inst.status != InstanceStatus.RUNNING:
        raise TaskNotReady(_not_ready_message(row.state, inst.status))


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


def _check_decision(
    info: Decision | None, decision: str | None, comment: str
) -> DecisionOption | None:
    """The chosen option: by its stored value or by its label ("Perlu revisi", "perlu_revisi"
    and "PERLU REVISI" all name the same button), with the comment its branch requires."""
    allowed = info.values if info is not None else ()
    decision = (decision or "").strip()
    if info is None or not allowed:
        if decision:
            raise InvalidDecision("Tugas ini tidak memerlukan keputusan", ())
        return None
    if not decision:
        raise InvalidDecision(f"Keputusan wajib dipilih: {', '.join(allowed)}", allowed)
    chosen = None
    wanted = decision.casefold().replace(" ", "_")
    for option in info.options:
        if wanted in (option.value.casefold(), option.label.casefold().replace(" ", "_")):
            chosen = option
            break
    if chosen is None:
        raise InvalidDecision(
            f"Keputusan {decision!r} tidak dikenal; pilihan: {', '.join(allowed)}", allowed
        )
    if chosen.needs_comment and not comment:
        raise CommentRequired(f"Keputusan “{chosen.label}” memerlukan komentar (alasan/perbaikan)")
    return chosen


def _with_form(comment: str, info: HumanTask, variables: Mapping[str, Any]) -> str:
    """The history line of a completion: the comment, then what was typed into the form
    (so the case history shows the data the gateways after this task decided on)."""
    shown = [f"{f.title}: {display(f, variables.get(f.id))}" for f in info.form_fields]
    if not shown:
        return comment
    return "\n".join(x for x in (comment, "; ".join(shown)) if x)


def _timer_value(task: Any) -> datetime | None:
    """When a waiting timer task fires (None: not a timer, or no readable time)."""
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
    except Exception:  # an unparsable value: treated as due now by _survey
        return None
    return when


def _spiff_message(prefix: str, exc: Exception) -> str:
    """A one-line message from a SpiffWorkflow exception (never its traceback)."""
    if isinstance(exc, EngineError):
        return exc.message
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "No conditions satisfied" in text or "no outgoing" in text.lower():
        text = "tidak ada kondisi gateway yang terpenuhi"
    return f"{prefix}: {text}"
