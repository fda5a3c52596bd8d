"""Returned work: a task that a rejection sent back, who sent it, why, and what was typed.

Why derived, not stored: the engine already records everything needed. Each completion
writes its task row (who, when, which decision, the pure comment) in the same transaction,
with the same clock reading, as the task rows it creates; and the deploy-time analysis knows
which decision options send a case back (:attr:`engine.analysis.DecisionOption.needs_comment`).
So a ready task was *returned* when

1. the completion that created it (the latest completion of the case at or before the
   task's ``created``) chose an option whose branch goes back, and
2. the task's lane, or the task's own step, already completed work in this case before that
   rejection (so the work is coming back, not arriving for the first time).

Rule 2 keeps a reject branch that leads forward to a new lane (e.g. "Tidak setuju" going to
an archive step) from being shown as "returned". The rule reads only the ``tasks`` table,
one query for a whole inbox page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from engine.analysis import Analysis, DecisionOption, FormField
from engine.records import TaskRow
from engine.status import TaskState
from engine.store import DriverQuery, Store, instances, tasks


@dataclass(frozen=True)
class ReturnedWork:
    """Why a task is back on someone's desk: "Dikembalikan oleh <by> (<role>) pada <at>"."""

    task_id: str
    by: str  # user name of the person who rejected
    role: str  # the lane of the rejecting step
    at: datetime
    comment: str
    decision: str  # the stored option value
    decision_label: str
    step: str  # the name of the rejecting step


DONE_COLUMNS = ("instance_id", "definition_id", "element_id", "name", "role", "state",
                "completed", "completed_by", "decision", "comment")  # fmt: skip
"""The ``tasks`` columns of a case's task that :func:`returned_work` reads."""


ENDED = tasks.c.completed.is_not(None)
"""A case's task that has ended (completed, or cancelled: both stamp ``completed``; an open
one has none). The reads of returned work test this, not the state: with the state in the
statement, SQLite (which keeps no statistics) reads the state's index, every completed task
of every case (~40 ms a page with 100 000 of them), not the cases' own; ``completed`` has no
index, so the cases' index is taken. :func:`returned_work` keeps the completed ones."""


def _done_of(cases: Any) -> sa.Select[Any]:
    """The ended tasks of some cases (``cases``: what ``IN`` takes), oldest first."""
    return (
        sa.select(*(tasks.c[name] for name in DONE_COLUMNS))
        .where(tasks.c.instance_id.in_(cases), ENDED)
        .order_by(tasks.c.completed, tasks.c.id)
    )


_DONE_IN = _done_of(sa.bindparam("ids", expanding=True))
"""For more cases than :data:`_KEPT_COUNTS` (a page is never that long)."""
_KEPT_COUNTS = 64
_DONE_OF_COUNT: dict[int, DriverQuery] = {}
"""The same read with one bound value per case, kept per number of cases and sent through
the driver's kept cursor (:class:`~engine.store.DriverQuery`). Why: it is read for every inbox
page that shows a task, and an expanding ``IN`` is rendered again on every call (with
SQLAlchemy's execute and result around it, ~0.3-0.6 ms of client CPU a page)."""


def _done_read(count: int) -> DriverQuery:
    found = _DONE_OF_COUNT.get(count)
    if found is None:
        cases: list[Any] = [sa.bindparam(f"case_{i}") for i in range(count)]
        found = _DONE_OF_COUNT[count] = DriverQuery(_done_of(cases))
    return found


class Returns:
    """Reads returned work; each method is one read transaction."""

    def __init__(
        self,
        store: Store,
        meta: Callable[[int], Analysis],
        load_workflow: Callable[[str], Any],
    ) -> None:
        self.store = store
        self.meta = meta
        self.load_workflow = load_workflow

    def for_tasks(self, rows: Sequence[TaskRow]) -> dict[str, ReturnedWork]:
        """The returned ones among ``rows`` (ready tasks, e.g. an inbox page), by task id."""
        open_rows = [r for r in rows if r.state == TaskState.READY]
        if not open_rows:
            return {}
        with self.store.begin(write=False, snapshot=False) as conn:
            done = ended_of_cases(conn, {r.instance_id for r in open_rows})
        return returned_work(open_rows, done, self.meta)

    def for_task(self, row: TaskRow) -> ReturnedWork | None:
        return self.for_tasks([row]).get(row.id)

    def previous_values(self, row: TaskRow) -> dict[str, str]:
        """What was typed into this step's form the last time round, as the form's inputs
        take it (field id → text), when the step comes round again in a loop; else empty.

        The values live in the workflow's data (a completion writes the typed variables into
        it and they travel on), so the instance's state is read: one instance, one page."""
        if row.state != TaskState.READY or not row.form_fields:
            return {}
        with self.store.begin(write=False) as conn:
            again = conn.execute(
                sa.select(tasks.c.id)
                .where(
                    tasks.c.instance_id == row.instance_id,
                    tasks.c.element_id == row.element_id,
                    tasks.c.state == TaskState.COMPLETED,
                )
                .limit(1)
            ).first()
            if again is None:
                return {}
            state = conn.execute(
                sa.select(instances.c.state).where(instances.c.id == row.instance_id)
            ).scalar_one()
        workflow = self.load_workflow(state)
        try:
            spiff_task = workflow.get_task_from_id(uuid.UUID(row.id))
        except Exception:  # the row and the state disagree: nothing to pre-fill
            return {}
        data = getattr(spiff_task, "data", None) or {}
        return {
            f.id: as_input(f, data[f.id])
            for f in row.form_fields
            if f.id in data and data[f.id] is not None and not f.readonly
        }


def ended_of_cases(conn: Connection, cases: Iterable[int]) -> list[Any]:
    """The ended tasks of ``cases`` (:data:`DONE_COLUMNS`), oldest first, as
    :func:`returned_work` takes them."""
    ids = sorted(set(cases))
    if len(ids) > _KEPT_COUNTS:
        return list(conn.execute(_DONE_IN, {"ids": ids}).all())
    return _done_read(len(ids)).all(conn, {f"case_{i}": n for i, n in enumerate(ids)})


def returned_work(rows: Sequence[TaskRow], done: Sequence[Any],
                  meta: Callable[[int], Analysis]) -> dict[str, ReturnedWork]:  # fmt: skip
    """The returned ones among ``rows`` (ready tasks), by task id, from ``done``: the ended
    tasks of their cases (:data:`DONE_COLUMNS`, :data:`ENDED`; those not completed are passed
    over), oldest first (by completion, then task id). Why apart from the read: the inbox reads
    ``done`` in its one statement (:meth:`engine.queries.Queries.inbox_and_counts`),
    :meth:`Returns.for_tasks` alone."""
    by_instance: dict[int, list[Any]] = {}
    for d in done:
        if d.state == TaskState.COMPLETED:
            by_instance.setdefault(d.instance_id, []).append(d)
    out: dict[str, ReturnedWork] = {}
    for row in rows:
        if row.state != TaskState.READY:
            continue
        found = _returned(row, by_instance.get(row.instance_id, []), meta)
        if found is not None:
            out[row.id] = found
    return out


def _returned(row: TaskRow, done: list[Any], meta: Callable[[int], Analysis]
              ) -> ReturnedWork | None:  # fmt: skip
    before = [d for d in done if d.completed <= row.created]
    if not before:
        return None
    # the completion that created the task: the latest one (several at one instant only
    # on a stopped test clock; then the one that went back)
    last = [d for d in before if d.completed == before[-1].completed]
    found = [
        (d, o) for d in last
        if (o := backward_option(meta(d.definition_id), d.element_id, d.decision))
    ]  # fmt: skip
    if not found:
        return None
    rejection, option = found[-1]
    earlier = [d for d in before if d is not rejection]
    if not any(d.role == row.role or d.element_id == row.element_id for d in earlier):
        return None
    return ReturnedWork(
        task_id=row.id,
        by=rejection.completed_by or "",
        role=rejection.role,
        at=rejection.completed,
        comment=rejection.comment or "",
        decision=rejection.decision,
        decision_label=option.label,
        step=rejection.name,
    )


def backward_option(meta: Analysis, element_id: str | None, decision: str | None
                    ) -> DecisionOption | None:  # fmt: skip
    """The option ``decision`` of step ``element_id`` when its branch sends the case back
    (Tidak setuju, Perlu revisi, ...); None for an approval or a step without decisions."""
    if not element_id or not decision:
        return None
    info = meta.tasks.get(element_id)
    option = info.decision.option(decision) if info is not None and info.decision else None
    return option if option is not None and option.needs_comment else None


def as_input(form_field: FormField, value: Any) -> str:
    """A typed process variable as the text its form input shows (the inverse of
    :func:`engine.forms.coerce`): booleans as "true"/"false", the rest as their text."""
    if form_field.type == "boolean":
        return "true" if value else "false"
    return str(value)
