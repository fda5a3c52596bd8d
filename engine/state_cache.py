"""What this process last wrote of an instance, so its next completion need not read it back.

Why: on PostgreSQL a completion was two round trips, the read (task, instance state, user,
the instance's ready task ids) and one write statement; the read is the larger part of what
the engine adds to SpiffWorkflow's own work. The write statement already checks everything
the read told it (the instance still at the version read, the task still ready with the
same holder) and, when a completion works from this cache, also the user (active, holding
the task or its role): a stale entry or a changed user can only make that statement write
nothing, and the completion then takes the read path, which gives the exact error or
completes. So the cache is a guess that is always verified, never a second source of truth.

What an entry holds is plain data (the serialized state text, never a SpiffWorkflow object,
which a completion mutates): every use deserializes its own workflow, so a failed write
cannot leave a half-changed workflow behind. Entries are frozen and replaced whole; a lock
guards the maps, so one :class:`StateCache` serves every thread of a process.
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
time, and an entry is one serialized state (tens of kB)."""


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

    def put(self, entry: CachedInstance) -> None:
        """Remember ``entry`` in place of whatever was known of its instance."""
        if self.size <= 0:
            return
        with self._lock:
            self._drop(entry.id)
            self._entries[entry.id] = entry
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

    def _drop(self, instance_id: int) -> None:
        entry = self._entries.pop(instance_id, None)
        if entry is None:
            return
        for task_id in entry.ready_ids:
            if self._by_task.get(task_id) == instance_id:
                del self._by_task[task_id]
