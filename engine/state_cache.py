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
holds (the object the write serialized): deserializing is the one step of SpiffWorkflow's
cycle (deserialize, complete, serialize) a completion can skip, since this process has just
produced the very object it would rebuild. SpiffWorkflow changes a workflow in place, so
such an object is never shared: a completion TAKES it out
(:meth:`StateCache.take_workflow`; another thread finds none and deserializes the entry's
text), and only a completion whose write succeeded puts back the workflow it advanced, with
the entry of what it wrote. Any failure leaves it out (it may be half changed): the next
use deserializes. The object is tied to its entry by identity, so a
workflow is only ever used with the state text, version and rows it belongs to.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

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
            return
        with self._lock:
            self._drop(entry.id)
            self._entries[entry.id] = entry
            if workflow is not None:
                self._live[entry.id] = (entry, workflow)
            for task_id in entry.ready_ids:
                self._by_task[task_id] = entry.id
            while len(self._entries) > self.size:
                self._drop(next(iter(self._entries)))

    def evict(self, instance_id: int) -> None:
        """Forget the instance (its entry is stale or about to be)."""
        with self._lock:
            self._drop(instance_id)

    def evict_task(self, task_id: str) -> None:
        """Forget the instance of ``task_id``, if it is known."""
        with self._lock:
            instance_id = self._by_task.get(task_id)
            if instance_id is not None:
                self._drop(instance_id)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._by_task.clear()
            self._live.clear()

    def live(self) -> int:
        """How many entries have their live workflow kept."""
        with self._lock:
            return len(self._live)

    def _drop(self, instance_id: int) -> None:
        self._live.pop(instance_id, None)
        entry = self._entries.pop(instance_id, None)
        if entry is None:
            return
        for task_id in entry.ready_ids:
            if self._by_task.get(task_id) == instance_id:
                del self._by_task[task_id]
