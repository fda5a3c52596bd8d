"""An in-memory stand-in for ``engine.definitions`` / ``engine.runtime`` (the agreed contract).

Why: the route tests check the web layer (authorization, forms, messages, templates), which
must not depend on SpiffWorkflow timing or on the engine being finished. The fake follows the
contract's semantics for a linear process with reject loops, and returns the engine's own
dataclasses (so the fake cannot drift from their fields); the real engine is exercised by
tests/webui/test_real_engine.py and the browser tests.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from converters.bpmn.validate import Problem
from engine.definitions import Definition, DeployResult
from engine.errors import (
    AlreadyCompleted,
    CommentRequired,
    DefinitionInvalid,
    InvalidDecision,
    NotAllowed,
    NotFound,
    TaskNotReady,
)
from engine.queries import DeskCounts, InboxPage
from engine.records import OpenedTask
from engine.runtime import AuditEntry, CompletionResult, ElementStatus, Instance, TaskRow
from engine.status import ElementState, InstanceStatus, TaskState


@dataclass(frozen=True)
class FakeStep:
    element_id: str
    name: str
    role: str
    decisions: tuple[str, ...] = ()
    reject_to: int = 0  # index of the step a non-first decision returns to


def now() -> datetime:
    return datetime.now(UTC)


class FakeDefinitions:
    def __init__(self, users: Any) -> None:
        self.users = users
        self.defs: list[Definition] = []
        self.steps: dict[int, tuple[FakeStep, ...]] = {}
        self.xmls: dict[int, bytes] = {}
        self.runtime: FakeRuntime | None = None

    def add(self, key: str, name: str, steps: Sequence[FakeStep], user: str = "") -> Definition:
        version = 1 + sum(1 for d in self.defs if d.key == key)
        lanes = tuple(dict.fromkeys(s.role for s in steps))
        d = Definition(
            id=len(self.defs) + 1, key=key, name=name, version=version, sha256="ab" * 32,
            deployed_at=now(), deployed_by=user, lanes=lanes, first_lanes=(steps[0].role,),
        )
        self.defs.append(d)
        self.steps[d.id] = tuple(steps)
        self.xmls[d.id] = f"<definitions id='{key}' version='{version}'/>".encode()
        return d

    def deploy(
        self, xml: bytes, filename: str = "", user: str = "", note: Any = None
    ) -> DeployResult:
        if b"<definitions" not in xml:
            raise DefinitionInvalid([
                Problem("Bukan dokumen BPMN: elemen akar bukan definitions", line=1),
                Problem("Tidak ada proses yang dapat dijalankan"),
            ])
        d = self.add(filename.rsplit(".", 1)[0] or "proses", filename, [
            FakeStep("Task_1", "Langkah", "Staf")
        ], user)
        return DeployResult(d, True)

    def check(self, xml: bytes) -> list[Problem]:
        return []

    def list(self, definition_rows: int | None = None) -> list[Definition]:
        latest: dict[str, Definition] = {}
        for d in self.defs:
            latest[d.key] = d
        return list(latest.values())

    def versions(self, key: str) -> list[Definition]:
        return [d for d in self.defs if d.key == key]

    def get(self, key: str, version: int | None = None) -> Definition:
        found = [d for d in self.defs if d.key == key and (version is None or d.version == version)]
        if not found:
            raise NotFound(f"Proses {key} tidak ditemukan")
        return found[-1]

    def get_by_id(self, definition_id: int) -> Definition:
        for d in self.defs:
            if d.id == definition_id:
                return d
        raise NotFound("Definisi tidak ditemukan")

    def xml(self, definition_id: int) -> bytes:
        return self.xmls[definition_id]

    def running_count(self, definition_id: int) -> int:
        rt = self.runtime
        if rt is None:
            return 0
        return sum(
            1
            for i in rt.insts.values()
            if i.definition_id == definition_id and i.status == InstanceStatus.RUNNING
        )

    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for d in self.defs for r in d.lanes))


class FakeRuntime:
    def __init__(self, definitions: FakeDefinitions, users: Any) -> None:
        self.defs = definitions
        self.users = users
        definitions.runtime = self
        self.insts: dict[int, Instance] = {}
        self.rows: dict[str, TaskRow] = {}
        self.audit: list[AuditEntry] = []
        self._ids = itertools.count(1)

    def _log(self, inst: int, user: str, action: str, t: TaskRow | None = None, **kw: Any) -> None:
        self.audit.append(AuditEntry(
            id=len(self.audit) + 1, instance_id=inst, at=now(), user=user, action=action,
            task_id=t.id if t else None, element_id=t.element_id if t else None,
            task_name=t.name if t else None, decision=kw.get("decision"),
            comment=kw.get("comment", ""), attachments=tuple(kw.get("attachments", ())),
        ))

    def _new_task(self, inst: Instance, index: int) -> TaskRow:
        step = self.defs.steps[inst.definition_id][index]
        row = TaskRow(
            id=str(uuid.uuid4()), instance_id=inst.id, definition_id=inst.definition_id,
            process_key=inst.process_key, process_name=inst.process_name,
            instance_title=inst.title, business_key=inst.business_key,
            element_id=step.element_id, name=step.name, role=step.role, state=TaskState.READY,
            assignee=None, created=now(), due=now() + timedelta(hours=1), completed=None,
            completed_by=None, decision=None, allowed_decisions=step.decisions, overdue=False,
            documentation=f"{step.name} <b>dokumen</b>",
            properties={"kelengkapan": "Konsep IKU", "waktu": "1 jam", "output": "Paraf"},
        )
        self.rows[row.id] = row
        return row

    def start(self, key: str, user: str, title: str = "", business_key: str = "",
              version: int | None = None) -> Instance:
        d = self.defs.get(key, version)
        u = self.users.get(user)
        if not u.is_admin and not set(u.roles) & set(d.first_lanes):
            raise NotAllowed("Anda tidak berhak memulai proses ini")
        inst = Instance(
            id=next(self._ids), definition_id=d.id, process_key=d.key, process_name=d.name,
            version=d.version, title=title, business_key=business_key,
            status=InstanceStatus.RUNNING,
            started_by=user, started_at=now(), ended_at=None, cancel_reason="",
        )
        self.insts[inst.id] = inst
        self._log(inst.id, user, "start")
        self._new_task(inst, 0)
        return inst

    def tasks(self, *, roles: Iterable[str] | None = None, user: str | None = None,
              include_unassigned_of_roles: bool = True, state: str = TaskState.READY,
              overdue: bool = False, process_key: str | None = None,
              search: str | None = None, limit: int = 50, offset: int = 0) -> list[TaskRow]:
        out = [t for t in self.rows.values() if t.state == state]
        if roles is not None or user is not None:
            rs = set(roles or ())
            out = [t for t in out if (t.assignee is None and t.role in rs)
                   or (user is not None and t.assignee == user)]
        if process_key:
            out = [t for t in out if t.process_key == process_key]
        if search:
            s = search.lower()
            out = [t for t in out if s in t.instance_title.lower() or s in t.business_key.lower()]
        if overdue:
            out = [t for t in out if t.overdue]
        return out[offset: offset + limit]

    def inbox(self, user: str, *, filter: str = "all", process_key: str | None = None,
              search: str | None = None, limit: int = 50, offset: int = 0,
              sort: str = "due") -> tuple[list[TaskRow], int]:
        u = self.users.get(user)
        roles: tuple[str, ...] = () if filter == "mine" else u.roles
        rows = self.tasks(roles=roles, user=None if filter == "roles" else user,
                          process_key=process_key, search=search, limit=10_000,
                          overdue=filter == "overdue")
        return rows[offset: offset + limit], len(rows)

    def count_inbox(self, user: str) -> dict[str, int]:
        return {
            "all": self.inbox(user)[1],
            "mine": self.inbox(user, filter="mine")[1],
            "overdue": self.inbox(user, filter="overdue")[1],
        }

    def count_desk(self, user: str, unread_limit: int) -> DeskCounts:
        return DeskCounts(unread=0, **self.count_inbox(user))  # no notifications here

    def inbox_and_counts(self, user: str, *, unread_limit: int = 99, **page: Any) -> InboxPage:
        rows, total = self.inbox(user, **page)
        return InboxPage(rows, total, self.count_desk(user, unread_limit))

    def task(self, task_id: str) -> TaskRow:
        try:
            return self.rows[task_id]
        except KeyError:
            raise NotFound("Tugas tidak ditemukan") from None

    def _ready(self, task_id: str) -> TaskRow:
        t = self.task(task_id)
        if t.state == TaskState.COMPLETED:
            raise AlreadyCompleted(t.completed_by, t.completed)
        if t.state != TaskState.READY:
            raise TaskNotReady("Tugas ini tidak dapat dikerjakan lagi")
        return t

    def claim(self, task_id: str, user: str) -> TaskRow:
        t = self._ready(task_id)
        if t.role not in self.users.get(user).roles or t.assignee not in (None, user):
            raise NotAllowed("Tugas ini bukan untuk peran Anda")
        self.rows[t.id] = t = replace(t, assignee=user)
        self._log(t.instance_id, user, "claim", t)
        return t

    def unclaim(self, task_id: str, user: str) -> TaskRow:
        t = self._ready(task_id)
        if t.assignee != user:
            raise NotAllowed("Tugas ini tidak sedang Anda pegang")
        self.rows[t.id] = t = replace(t, assignee=None)
        self._log(t.instance_id, user, "unclaim", t)
        return t

    def reassign(self, task_id: str, to_user: str, by_user: str) -> TaskRow:
        t = self._ready(task_id)
        if not self.users.get(by_user).is_admin:
            raise NotAllowed("Hanya admin yang dapat mengalihkan tugas")
        self.users.get(to_user)
        self.rows[t.id] = t = replace(t, assignee=to_user)
        self._log(t.instance_id, by_user, "reassign", t, comment=f"ke {to_user}")
        return t

    def open_task(self, task_id: str, user: str) -> OpenedTask:
        return OpenedTask(task=self.task(task_id), user=user, read=None)

    def complete(self, task_id: str, user: str, decision: str | None = None, comment: str = "",
                 attachments: Sequence[str] = (), *, opened: OpenedTask | None = None,
                 ) -> CompletionResult:
        t = self._ready(task_id)
        u = self.users.get(user)
        if t.assignee not in (None, user) or (t.role not in u.roles and not u.is_admin):
            raise NotAllowed("Tugas ini bukan untuk peran Anda")
        if t.allowed_decisions:
            if decision not in t.allowed_decisions:
                raise InvalidDecision("Keputusan tidak dikenal", t.allowed_decisions)
            if decision != t.allowed_decisions[0] and not comment.strip():
                raise CommentRequired("Tuliskan alasan untuk keputusan ini")
        self.rows[t.id] = t = replace(t, state=TaskState.COMPLETED, completed=now(),
                                      completed_by=user, decision=decision, assignee=user)
        self._log(t.instance_id, user, "complete", t, decision=decision, comment=comment,
                  attachments=attachments)
        inst = self.insts[t.instance_id]
        steps = self.defs.steps[inst.definition_id]
        index = next(i for i, s in enumerate(steps) if s.element_id == t.element_id)
        if t.allowed_decisions and decision != t.allowed_decisions[0]:
            nxt = steps[index].reject_to
        else:
            nxt = index + 1
        if nxt >= len(steps):
            self.insts[inst.id] = replace(inst, status=InstanceStatus.COMPLETED, ended_at=now())
            return CompletionResult(t, (), InstanceStatus.COMPLETED)
        return CompletionResult(t, (self._new_task(inst, nxt),), InstanceStatus.RUNNING)

    def cancel(self, instance_id: int, user: str, reason: str) -> Instance:
        inst = self.instance(instance_id)
        if not self.users.get(user).is_admin:
            raise NotAllowed("Hanya admin yang dapat membatalkan kasus")
        self.insts[instance_id] = inst = replace(
            inst, status=InstanceStatus.CANCELLED, ended_at=now(), cancel_reason=reason
        )
        for t in list(self.rows.values()):
            if t.instance_id == instance_id and t.state == TaskState.READY:
                self.rows[t.id] = replace(t, state=TaskState.CANCELLED)
        self._log(instance_id, user, "cancel", comment=reason)
        return inst

    def instance(self, instance_id: int) -> Instance:
        try:
            return self.insts[instance_id]
        except KeyError:
            raise NotFound("Kasus tidak ditemukan") from None

    def instances(self, *, process_key: str | None = None, status: str | None = None,
                  overdue: bool = False, search: str | None = None, scope: Any = None,
                  limit: int = 50, offset: int = 0) -> tuple[list[Instance], int]:
        text = (search or "").strip().lower()

        def found(i: Instance) -> bool:
            if not text:
                return True
            hay = " ".join((i.title, i.business_key, i.process_name, i.started_by)).lower()
            return text in hay or text.lstrip("#") == str(i.id)

        out = [i for i in self.insts.values()
               if (process_key is None or i.process_key == process_key)
               and (status is None or i.status == status) and found(i)
               and (scope is None or i.started_by == scope.username
                    or i.definition_id in scope.definition_ids)]
        return out[offset: offset + limit], len(out)

    def instance_tasks(self, instance_id: int) -> list[TaskRow]:
        return [t for t in self.rows.values() if t.instance_id == instance_id]

    def history(self, instance_id: int) -> list[AuditEntry]:
        return [a for a in self.audit if a.instance_id == instance_id]

    def returned(self, rows: Sequence[TaskRow]) -> dict[str, Any]:
        return {}  # the fake keeps no decisions' branches: nothing is ever sent back

    def previous_values(self, task: TaskRow) -> dict[str, str]:
        return {}

    def element_status(self, instance_id: int) -> dict[str, ElementStatus]:
        out: dict[str, ElementStatus] = {}
        for t in self.rows.values():
            if t.instance_id != instance_id:
                continue
            prev = out.get(t.element_id, ElementStatus(ElementState.NOT_REACHED, 0))
            if t.state == TaskState.COMPLETED:
                active = prev.state == ElementState.ACTIVE
                state = ElementState.ACTIVE if active else ElementState.COMPLETED
                out[t.element_id] = ElementStatus(state, prev.count + 1)
            elif t.state == TaskState.READY:
                out[t.element_id] = ElementStatus(ElementState.ACTIVE, prev.count)
        return out
