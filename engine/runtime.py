"""Running processes: the one object the CLI, the web UI and the worker talk to.

:class:`Runtime` is a facade over three parts with different reasons to change:
:class:`~engine.commands.Commands` (start, complete, claim, cancel, timers: locking, the
SpiffWorkflow calls and the task-table sync), :class:`~engine.queries.Queries` (inboxes,
lists, history: indexed reads) and :class:`~engine.serializer.WorkflowCodec` (the stored
state format). The facade only wires them to one store, one set of definitions, one
calendar and one clock, so callers keep a single, stable API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from engine.calendar import WorkingCalendar
from engine.commands import Commands
from engine.conditions import SafeScriptEngine
from engine.definitions import Definitions
from engine.open_tasks import OpenTaskFilter, OpenTasks
from engine.queries import DeskCounts, InboxPage, InstanceScope, Queries
from engine.records import (
    AtLeast,
    AuditEntry,
    CompletionResult,
    ElementStatus,
    Instance,
    OpenedTask,
    TaskRow,
)
from engine.returns import ReturnedWork, Returns
from engine.serializer import WorkflowCodec
from engine.status import TaskState
from engine.store import Store, utcnow
from engine.task_notes import TaskNotes

__all__ = [
    "AtLeast",
    "AuditEntry",
    "CompletionResult",
    "ElementStatus",
    "Instance",
    "OpenTaskFilter",
    "OpenedTask",
    "ReturnedWork",
    "Runtime",
    "TaskRow",
]


class Runtime:
    """The runtime API (one transaction per call); see the module docstring for its parts."""

    def __init__(
        self,
        store: Store,
        definitions: Definitions,
        calendar: WorkingCalendar | None = None,
        clock: Callable[[], datetime] | None = None,
        count_limit: int | None = None,
    ) -> None:
        """``count_limit``: inbox totals and badge counts stop past this many rows and come
        back as :class:`~engine.records.AtLeast` (None: exact counts, however many)."""
        self.store = store
        self.definitions = definitions
        self.calendar = calendar or WorkingCalendar.from_config(definitions.config)
        self.clock = clock or utcnow
        self.script_engine = SafeScriptEngine(definitions.allow_scripts)
        self.codec = WorkflowCodec(definitions, self.script_engine)
        self.commands = Commands(store, definitions, self.codec, self.calendar, self._now)
        self.queries = Queries(store, definitions, self.codec, self._now, count_limit)
        # work on a task besides its step (delegation, notes), returned work, the admin's view
        self.notes = TaskNotes(store, self._now)
        self.returns = Returns(store, definitions.meta, self.codec.load)
        self.open_tasks_view = OpenTasks(store, definitions.meta, self._now)

    def _now(self) -> datetime:
        # through the attribute, so a test that swaps ``runtime.clock`` moves both parts
        return self.clock()

    @property
    def timer_errors(self) -> list[tuple[int, str]]:
        """(instance id, message) of the instances whose timers failed in the last run."""
        return self.commands.timer_errors

    # -- commands --------------------------------------------------------------------------

    def start(
        self,
        key: str,
        user: str,
        title: str = "",
        business_key: str = "",
        version: int | None = None,
    ) -> Instance:
        return self.commands.start(key, user, title, business_key, version)

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
        """``opened``: :meth:`open_task` of this task by this user, read earlier in the same
        request; the completion then reads nothing more before SpiffWorkflow's work."""
        return self.commands.complete(task_id, user, decision, comment, attachments, form,
                                      opened=opened)  # fmt: skip

    def open_task(self, task_id: str, user: str) -> OpenedTask:
        """The task as :meth:`task` gives it, read together with what ``user``'s completion of
        it needs (:class:`~engine.records.OpenedTask`), for a page that completes it next."""
        return self.commands.open_task(task_id, user)

    def claim(self, task_id: str, user: str) -> TaskRow:
        return self.commands.claim(task_id, user)

    def unclaim(self, task_id: str, user: str) -> TaskRow:
        return self.commands.unclaim(task_id, user)

    def reassign(self, task_id: str, to_user: str, by_user: str) -> TaskRow:
        return self.commands.reassign(task_id, to_user, by_user)

    def cancel(self, instance_id: int, user: str, reason: str) -> Instance:
        return self.commands.cancel(instance_id, user, reason)

    def fire_timers(self, now: datetime | None = None, limit: int = 100) -> int:
        return self.commands.fire_timers(now, limit)

    def delegate(self, task_id: str, by_user: str, to_user: str) -> AuditEntry:
        return self.notes.delegate(task_id, by_user, to_user)

    def add_comment(
        self, task_id: str, user: str, comment: str, attachments: Sequence[str] = ()
    ) -> AuditEntry:
        return self.notes.comment(task_id, user, comment, attachments)

    # -- queries ---------------------------------------------------------------------------

    def task(self, task_id: str) -> TaskRow:
        return self.queries.task(task_id)

    def tasks(
        self,
        *,
        roles: Iterable[str] | None = None,
        user: str | None = None,
        include_unassigned_of_roles: bool = True,
        state: str = TaskState.READY,
        overdue: bool = False,
        process_key: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[TaskRow]:
        return self.queries.tasks(
            roles=roles,
            user=user,
            include_unassigned_of_roles=include_unassigned_of_roles,
            state=state,
            overdue=overdue,
            process_key=process_key,
            search=search,
            limit=limit,
            offset=offset,
        )

    def inbox(
        self,
        user: str,
        *,
        filter: str = "all",
        process_key: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
        sort: str = "due",
    ) -> tuple[list[TaskRow], int]:
        return self.queries.inbox(
            user, filter=filter, process_key=process_key, search=search, limit=limit,
            offset=offset, sort=sort,
        )  # fmt: skip

    def count_inbox(self, user: str) -> dict[str, int]:
        return self.queries.count_inbox(user)

    def count_desk(self, user: str, unread_limit: int) -> DeskCounts:
        """The inbox badges and the bell of every page's header, in one statement."""
        return self.queries.count_desk(user, unread_limit)

    def inbox_and_counts(
        self,
        user: str,
        *,
        filter: str = "all",
        process_key: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
        sort: str = "due",
        unread_limit: int = 99,
    ) -> InboxPage:
        """:meth:`inbox` and :meth:`count_desk` in one transaction."""
        return self.queries.inbox_and_counts(
            user, filter=filter, process_key=process_key, search=search, limit=limit,
            offset=offset, sort=sort, unread_limit=unread_limit,
        )  # fmt: skip

    def instance(self, instance_id: int) -> Instance:
        return self.queries.instance(instance_id)

    def instances(
        self,
        *,
        process_key: str | None = None,
        status: str | None = None,
        overdue: bool = False,
        search: str | None = None,
        scope: InstanceScope | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[Instance], int]:
        return self.queries.instances(
            process_key=process_key, status=status, overdue=overdue, search=search,
            scope=scope, limit=limit, offset=offset,
        )

    def instance_tasks(self, instance_id: int) -> list[TaskRow]:
        return self.queries.instance_tasks(instance_id)

    def history(self, instance_id: int) -> list[AuditEntry]:
        return self.queries.history(instance_id)

    def element_status(self, instance_id: int) -> dict[str, ElementStatus]:
        return self.queries.element_status(instance_id)

    def check_consistency(self, instance_id: int) -> list[str]:
        return self.queries.check_consistency(instance_id)

    def returned(self, rows: Sequence[TaskRow]) -> dict[str, ReturnedWork]:
        """The tasks among ``rows`` that a rejection sent back (see :mod:`engine.returns`)."""
        return self.returns.for_tasks(rows)

    def previous_values(self, task: TaskRow) -> dict[str, str]:
        return self.returns.previous_values(task)

    def open_tasks(
        self, flt: OpenTaskFilter, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[TaskRow], int]:
        return self.open_tasks_view.page(flt, limit=limit, offset=offset)
