"""What this process last wrote of an instance, so its next completion need not read it back.

Why: on PostgreSQL a completion was two round trips, the read (task, instance state, user,
the instance's ready task ids) and one write statement; the read is the larger part of what
the engine adds to SpiffWorkflow's own work. The write statement already checks everything
the read told it (the instance still at the version read, the task still ready with the
same holder) and, when a completion works from this cache, also the user (active, holding
the task or its role): a stale entry or a changed user can only make that statement write
nothing, and the completion then takes the read path, which gives the exact error or
completes. So the cache is a guess that is always verified, never a second source of truth.

What an entry holds is plain data (the serialized state text), frozen and replaced whole; a
lock guards the maps, so one :class:`StateCache` serves every thread of a process.

Beside an entry the cache may keep the live SpiffWorkflow workflow whose state the entry
holds (the object the write serialized; for a start made from its version's template, the
object that state deserializes to, built by :mod:`engine.start_template`): deserializing
is the one step of SpiffWorkflow's cycle (deserialize, complete, serialize) a completion
can skip, since this process has just produced the very object it would rebuild.
SpiffWorkflow changes a workflow in place, so such an object is never shared: a completion
TAKES it out
(:meth:`StateCache.take_workflow`; another thread finds none and deserializes the entry's
text), and only a completion whose write succeeded puts back the workflow it advanced, with
the entry of what it wrote. Any failure leaves it out (it may be half changed): the next
use deserializes. The object is tied to its entry by identity, so a
workflow is only ever used with the state text, version and rows it belongs to.

A workflow the cache lets go of (replaced, evicted, pushed out of the LRU, or handed to a
cache that keeps none) goes through :func:`release`. SpiffWorkflow's workflow and its tasks
refer to each other, so, left as they are, only the cyclic garbage collector frees them: a
process that completes one case after another left one such workflow (about 65 tracked
objects) per completion, and the collector ran a young collection every eight completions
and a full one (100-150 ms, every object of the process walked) about every thousand, 0.12
to 0.15 ms of client CPU a completion on average. Released, reference counting frees them
at once and the collector has next to nothing to do.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from SpiffWorkflow.workflow import Workflow

DEFAULT_SIZE = 256
"""Instances remembered per process: a worker or a web process works on a few cases at a
time. An entry is one serialized state (a few kB: the spec is a reference) plus, at most,
its live workflow, about 2.3 times the text in memory (its task objects and their data; the
process spec object is shared by every instance): the surat_keluar fixture, 4-6 kB of text,
10-14 kB live, so a full cache is a few MB."""


@dataclass(frozen=True)
class CachedInstance:
    """An instance as this process last wrote it: the columns of ``instances`` a completion
    works from, its version counter, and its ready task rows (``ready_ids``: every ready
    task row at that version; ``rows``: those whose whole row this process wrote, by id)."""

    id: int
    definition_id: int
    process_key: str
    title: str
    business_key: str
    status: str
    state: str
    version_counter: int
    ready_ids: frozenset[str]
    rows: Mapping[str, Mapping[str, Any]]

    @staticmethod
    def frozen_rows(rows: Mapping[str, Mapping[str, Any]]) -> Mapping[str, Mapping[str, Any]]:
        """Read-only copies of task rows (column name → value), safe to share."""
        return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in rows.items()})


def release(workflow: Any) -> None:
    """Break the reference cycles of a SpiffWorkflow workflow nobody will use again, so that
    reference counting frees it and its tasks as soon as the last reference goes.

    The cycles (SpiffWorkflow 3.2): the workflow's task map and tree root and its last task
    hold the tasks, each task holds its workflow; its event manager holds it back; a
    subprocess holds its top workflow, which holds it in ``subprocesses``. A task refers to
    its parent and children by id, so with the workflow's references to its tasks gone no
    cycle is left. Only the workflow object's own attributes are changed (the tasks and
    their data stay as they are, for whoever still holds one), and only to make it unusable:
    call this on a workflow that was handed over and is being dropped, never on one in use.
    Anything but a SpiffWorkflow workflow (a test's stand-in) is left as it is.
    """
    if not isinstance(workflow, Workflow):
        return
    subprocesses = getattr(workflow, "subprocesses", None) or {}
    for each in (workflow, *subprocesses.values()):
        each.tasks = {}
        each.task_tree = None
        each.last_task = None
        each.event_manager = None
    if subprocesses:
        workflow.subprocesses = {}


class StateCache:
    """A bounded LRU map instance id → :class:`CachedInstance`, found by a ready task's id."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[int, CachedInstance] = OrderedDict()
        self._by_task: dict[str, int] = {}  # ready task id → its instance's entry
        # instance id → (its entry, the live workflow whose state the entry holds)
        self._live: dict[int, tuple[CachedInstance, Any]] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def for_task(self, task_id: str) -> CachedInstance | None:
        """The entry holding ``task_id`` among its ready tasks, if any (now most recent)."""
        with self._lock:
            instance_id = self._by_task.get(task_id)
            if instance_id is None:
                return None
            self._entries.move_to_end(instance_id)
            return self._entries[instance_id]

    def take_workflow(self, entry: CachedInstance) -> Any | None:
        """The live workflow kept with ``entry``, now the caller's alone (no longer kept):
        None when there is none, or it belongs to another entry of the instance."""
        with self._lock:
            kept = self._live.get(entry.id)
            if kept is None or kept[0] is not entry:
                return None
            del self._live[entry.id]
            return kept[1]

    def put(self, entry: CachedInstance, workflow: Any = None) -> None:
        """Remember ``entry`` in place of whatever was known of its instance; ``workflow``:
        the live workflow whose serialized state is ``entry.state``, handed over (the
        caller must not touch it again)."""
        if self.size <= 0:
            if workflow is not None:
                release(workflow)
            return
        with self._lock:
            dropped = [self._drop(entry.id)]
            self._entries[entry.id] = entry
            if workflow is not None:
                self._live[entry.id] = (entry, workflow)
            for task_id in entry.ready_ids:
                self._by_task[task_id] = entry.id
            while len(self._entries) > self.size:
                dropped.append(self._drop(next(iter(self._entries))))
        for old in dropped:  # outside the lock: the objects are freed as the cycles go
            if old is not None and old is not workflow:
                release(old)

    def evict(self, instance_id: int) -> None:
        """Forget the instance (its entry is stale or about to be)."""
        with self._lock:
            dropped = self._drop(instance_id)
        if dropped is not None:
            release(dropped)

    def evict_task(self, task_id: str) -> None:
        """Forget the instance of ``task_id``, if it is known."""
        with self._lock:
            instance_id = self._by_task.get(task_id)
            dropped = self._drop(instance_id) if instance_id is not None else None
        if dropped is not None:
            release(dropped)

    def clear(self) -> None:
        with self._lock:
            dropped = [workflow for _, workflow in self._live.values()]
            self._entries.clear()
            self._by_task.clear()
            self._live.clear()
        for workflow in dropped:
            release(workflow)

    def live(self) -> int:
        """How many entries have their live workflow kept."""
        with self._lock:
            return len(self._live)

    def _drop(self, instance_id: int) -> Any | None:
        """Forget the instance (the lock held); its live workflow, if one was kept, for the
        caller to :func:`release` once the lock is let go."""
        live = self._live.pop(instance_id, None)
        entry = self._entries.pop(instance_id, None)
        if entry is not None:
            for task_id in entry.ready_ids:
                if self._by_task.get(task_id) == instance_id:
                    del self._by_task[task_id]
        return None if live is None else live[1]
