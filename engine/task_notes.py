"""Work on a task that is not a workflow step: handing it to a colleague, adding a note.

Why apart from :mod:`engine.commands`: neither touches the serialized workflow or the
instance's version, so neither needs the instance lock or SpiffWorkflow. A delegation is one
conditional UPDATE of the task row (it wins only while the task is still ready and still
held by the delegating user, so it cannot race a completion into a lost step); a note is one
audit row. Both leave their trace in the audit trail, which the case history shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from engine.errors import AlreadyCompleted, BadInput, NotAllowed, TaskNotReady
from engine.records import AuditEntry, active_user, roles_of, task_row, to_audit
from engine.status import TaskState
from engine.store import Store, audit, inserted_id, tasks

MAX_NOTE = 4000
"""The longest note, as the completion form's Catatan."""

DELEGATE = "delegate"
COMMENT = "comment"
"""The audit actions this module writes (``audit.action`` is at most 20 characters)."""


class TaskNotes:
    """Delegation and notes; each public method is one write transaction."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock

    def delegate(self, task_id: str, by_user: str, to_user: str) -> AuditEntry:
        """Hand a task ``by_user`` has claimed to ``to_user``, a colleague holding its role.

        Only the holder may hand it on (an admin reassigns instead, see
        :meth:`engine.commands.Commands.reassign`); the colleague must be active and hold the
        task's role, so the task never lands with someone who may not complete it."""
        to_user = (to_user or "").strip()
        now = self.clock()
        with self.store.begin() as conn:
            row = task_row(conn, str(task_id))
            _check_ready(row)
            active_user(conn, by_user)
            if row.assignee != by_user:
                raise NotAllowed("Hanya pemegang tugas yang dapat menyerahkannya; ambil dulu")
            if not to_user or to_user == by_user:
                raise BadInput("Pilih rekan lain sebagai penerima tugas")
            target = active_user(conn, to_user)
            if row.role not in roles_of(target):
                raise NotAllowed(
                    f"{to_user} tidak memegang peran {row.role}; tugas hanya dapat diserahkan "
                    "kepada rekan dengan peran yang sama"
                )
            moved = conn.execute(
                tasks.update()
                .where(
                    tasks.c.id == row.id,
                    tasks.c.state == TaskState.READY,
                    tasks.c.assignee == by_user,
                )
                .values(assignee=to_user)
            )
            if moved.rowcount != 1:  # pragma: no cover - the write lock makes this a re-read
                raise TaskNotReady("Tugas ini baru saja berubah; muat ulang halaman")
            return self._write(conn, row, now, by_user, DELEGATE, target_user=to_user)

    def comment(
        self, task_id: str, user: str, text: str, attachments: Sequence[str] = ()
    ) -> AuditEntry:
        """Add a note (and attachments) to an open task without completing it.

        Who may: whoever may see the work through: the holder, a holder of the task's role,
        or an admin."""
        text = (text or "").strip()
        if not text and not attachments:
            raise BadInput("Tulis catatan atau pilih lampiran")
        if len(text) > MAX_NOTE:
            raise BadInput(f"Catatan paling panjang {MAX_NOTE} karakter")
        now = self.clock()
        with self.store.begin() as conn:
            row = task_row(conn, str(task_id))
            _check_ready(row)
            actor = active_user(conn, user)
            if not (actor.is_admin or row.assignee == user or row.role in roles_of(actor)):
                raise NotAllowed(
                    f"Catatan hanya dapat ditambahkan oleh pemegang peran {row.role}"
                )
            return self._write(conn, row, now, user, COMMENT, text=text,
                               attachments=attachments)  # fmt: skip

    @staticmethod
    def _write(conn: sa.Connection, row: Any, now: datetime, user: str, action: str,
               *, text: str = "", attachments: Sequence[str] = (),
               target_user: str | None = None) -> AuditEntry:  # fmt: skip
        values = dict(
            instance_id=row.instance_id, at=now, user=user, action=action, task_id=row.id,
            element_id=row.element_id, task_name=row.name, decision=None, comment=text,
            attachments=json.dumps(list(attachments), ensure_ascii=False),
            target_user=target_user,
        )  # fmt: skip
        new_id = inserted_id(conn.execute(audit.insert().values(**values)))
        return to_audit(conn.execute(sa.select(audit).where(audit.c.id == new_id)).one())


def _check_ready(row: Any) -> None:
    if row.state == TaskState.COMPLETED:
        raise AlreadyCompleted(row.completed_by, row.completed)
    if row.state != TaskState.READY:
        raise TaskNotReady("Tugas ini sudah tidak terbuka")
