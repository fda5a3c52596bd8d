"""A small thread-safe least-recently-used cache of rendered bytes.

Pages ask for the same pictures again and again (a definition's diagram on every task page,
a draft's preview after every save); drawing them runs Graphviz. Each user of this cache keeps
its own instance with its own size, so one kind of picture never pushes out another.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class BytesCache:
    """``get(key, make)`` returns the cached bytes or makes, keeps and returns them.

    ``make`` runs outside the lock: two requests for a new key may both draw it (the second
    result wins), which is cheaper than holding every other page back while Graphviz runs.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        data = make()
        with self._lock:
            self._items[key] = data
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return data

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
