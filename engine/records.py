"""What the runtime hands back (tasks, instances, audit entries) and how rows become them.

Shared by :mod:`engine.commands` (which returns the task or instance it changed) and
:mod:`engine.queries`; the callers (web UI, CLI, tests) only ever see these frozen classes,
never a database row or a SpiffWorkflow object.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.analysis import FormField, HumanTask
from engine.errors import NotAllowed, NotFound
from engine.status import ElementState, InstanceStatus, TaskState
from engine.store import definitions, instances, tasks, users


class AtLeast(int):
    """A count that stopped at its limit: there are at least this many (shown "1000+").

    An ``int`` everywhere else (pages, comparisons); a difference stays "at least", so the
    badge of the unclaimed tasks (all − mine) of a capped inbox still reads "n+"."""

    def __str__(self) -> str:
        return f"{int(self)}+"

    def __sub__(self, other: int) -> AtLeast:
        return AtLeast(int(self) - int(other))


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
    state: TaskState
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
    needs_comment: tuple[str, ...] = ()  # decisions whose branch goes back: reason required
    form_fields: tuple[FormField, ...] = ()  # camunda:formData inputs besides the decision


@dataclass(frozen=True)
class Instance:
    id: int
    definition_id: int
    process_key: str
    process_name: str
    version: int
    title: str
    business_key: str
    status: InstanceStatus
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
    target_user: str | None = None  # reassign / delegate: the user the task went to


@dataclass(frozen=True)
class CompletionResult:
    task: TaskRow
    next_tasks: tuple[TaskRow, ...]
    instance_status: InstanceStatus


@dataclass(frozen=True)
class OpenedTask:
    """A task read for the request that is about to complete it (the web form's POST):
    ``task``, what the page checks and shows, and the read a completion works from, made in
    the same statement (its instance's version and state, the instance's ready tasks, the
    user's row). Handed back to ``complete(..., opened=)``, it saves reading the task twice.

    Nothing can slip in between: the completion's write still checks that the instance is at
    the version read here and the task still ready with the same holder; when not, the
    completion is retried from a fresh read under the lock, as any lost race is."""

    task: TaskRow
    user: str
    read: Any = field(repr=False, compare=False)  # the row engine.commands read; opaque


@dataclass(frozen=True)
class ElementStatus:
    state: ElementState
    count: int


_TASK_STATES = {state.value: state for state in TaskState}


def to_task(row: Any, task: HumanTask, now: datetime) -> TaskRow:
    """A ``tasks`` row (or anything with its columns) with what the analysis says of its
    element: the allowed decisions, documentation and Mutu Baku properties.

    Every field is given here, so the frozen row is made by :func:`filled`: an inbox page
    makes twenty rows, and the dataclass ``__init__`` was most of each row's cost. The same
    object as ``TaskRow(**values)`` (a test holds the two equal, and every field given)."""
    state = _TASK_STATES.get(row.state) or TaskState(row.state)
    return filled(
        TaskRow,
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
        state=state,
        assignee=row.assignee,
        created=row.created,
        due=row.due,
        completed=row.completed,
        completed_by=row.completed_by,
        decision=row.decision,
        allowed_decisions=task.decisions,
        overdue=state is TaskState.READY and row.due is not None and row.due < now,
        documentation=task.documentation,
        properties=dict(task.properties),
        comment=row.comment or "",
        decision_labels=task.decision_labels,
        needs_comment=task.decision.needs_comment if task.decision else (),
        form_fields=task.form_fields,
    )


_Frozen = TypeVar("_Frozen")


def filled(cls: type[_Frozen], /, **fields: Any) -> _Frozen:
    """An instance of ``cls``, a frozen dataclass with a ``__dict__`` (no slots), made with
    ``fields`` at once: every field must be given (no defaults are applied, no
    ``__post_init__`` runs). Why: the frozen ``__init__`` sets each field with
    ``object.__setattr__``; for rows made twenty to a page (:func:`to_task`, the inbox's
    :class:`webui.inbox_rows.InboxRow`) that was most of a row's cost."""
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made


def instance_query() -> sa.Select[Any]:
    """The columns of :class:`Instance` (the process name and version come from its
    definition); callers add the WHERE."""
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


def to_instance(row: Any) -> Instance:
    return Instance(
        id=row.id,
        definition_id=row.definition_id,
        process_key=row.process_key,
        process_name=row.process_name,
        version=row.version,
        title=row.title,
        business_key=row.business_key,
        status=InstanceStatus(row.status),
        started_by=row.started_by,
        started_at=row.started_at,
        ended_at=row.ended_at,
        cancel_reason=row.cancel_reason or "",
    )


def to_audit(row: Any) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        instance_id=row.instance_id,
        at=row.at,
        user=row.user,
        action=row.action,
        task_id=row.task_id,
        element_id=row.element_id,
        task_name=row.task_name,
        decision=row.decision,
        comment=row.comment or "",
        attachments=tuple(json.loads(row.attachments or "[]")),
        target_user=getattr(row, "target_user", None),
    )


def active_user(conn: Connection, username: str) -> Any:
    """The ``users`` row of ``username``; unknown and deactivated users may do nothing."""
    return checked_user(conn.execute(_USER_BY_NAME, {"username": username}).first(), username)


def checked_user(row: Any, username: str) -> Any:
    """``row`` (a user's ``active``, ``roles``, ``is_admin``, or None when there is no such
    user, e.g. read by a caller's own join) if that user may act at all."""
    if row is None:
        raise NotFound(f"Pengguna {username} tidak ditemukan")
    if not row.active:
        raise NotAllowed(f"Pengguna {username} tidak aktif")
    return row


_USER_BY_NAME = sa.select(users).where(users.c.username == sa.bindparam("username"))


@dataclass(frozen=True)
class KnownUser:
    """A user read and found active at the start of one unit of work (a web request)."""

    username: str
    roles: tuple[str, ...]


_KNOWN_USER: ContextVar[KnownUser | None] = ContextVar("alur_known_user", default=None)


@contextmanager
def known_user(user: KnownUser | None) -> Iterator[None]:
    """Within this block, reads on behalf of ``user`` take its roles from here instead of
    reading its row again (a web page read the user once, then the inbox and the badges read
    it twice more). Commands still read the row inside their own transaction."""
    token = _KNOWN_USER.set(user)
    try:
        yield
    finally:
        _KNOWN_USER.reset(token)


def reader_roles(conn: Connection, username: str) -> tuple[str, ...]:
    """The roles of ``username`` for a read: those of the unit of work's known user, else
    from its row (unknown and deactivated users may read nothing, as :func:`active_user`)."""
    known = _KNOWN_USER.get()
    if known is not None and known.username == username:
        return known.roles
    return roles_of(active_user(conn, username))


def roles_of(user_row: Any) -> tuple[str, ...]:
    return tuple(json.loads(user_row.roles or "[]"))


MAX_ID = 2**31 - 1
"""The largest id an INTEGER column holds on every supported database."""


def _storable(row_id: int) -> bool:
    """Whether ``row_id`` can be an id at all: a larger one would raise OverflowError (SQLite)
    or DataError (PostgreSQL) instead of simply finding nothing."""
    return isinstance(row_id, int) and 0 <= row_id <= MAX_ID


def instance_row(conn: Connection, instance_id: int, query: sa.Select[Any]) -> Any:
    """The row ``query`` (any columns of ``instances``, no WHERE yet) gives for instance
    ``instance_id``; an unknown id is :class:`NotFound` with the one message users see."""
    row = None
    if _storable(instance_id):
        row = conn.execute(query.where(instances.c.id == instance_id)).first()
    if row is None:
        raise NotFound(f"Kasus #{instance_id} tidak ditemukan")
    return row


def definition_row(conn: Connection, definition_id: int, *columns: Any) -> Any:
    """The ``columns`` of definition ``definition_id``; an unknown id is :class:`NotFound`
    with the one message users see."""
    row = None
    if _storable(definition_id):
        row = conn.execute(sa.select(*columns).where(definitions.c.id == definition_id)).first()
    if row is None:
        raise NotFound(f"Definisi proses #{definition_id} tidak ditemukan")
    return row


def task_row(conn: Connection, task_id: str) -> Any:
    row = conn.execute(sa.select(tasks).where(tasks.c.id == str(task_id))).first()
    if row is None:
        raise NotFound(f"Tugas {task_id} tidak ditemukan")
    return row
