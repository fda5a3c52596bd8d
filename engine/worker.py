"""The periodic job behind ``alur worker``: fire due BPMN timers.

Several workers (on several hosts) may run against one database: each instance is handled in
its own transaction, locked with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (a busy instance is
skipped, not waited for) and serialized by SQLite's write lock, and the optimistic
``version_counter`` check rejects a stale write, so a timer never fires twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from engine.runtime import Runtime


def run_worker(
    runtime: Runtime,
    *,
    once: bool = False,
    interval: float = 30.0,
    stop: threading.Event | None = None,
    log: Callable[[str], None] | None = None,
    now: Callable[[], datetime] | None = None,
) -> int:
    """Fire due timers every ``interval`` seconds until ``stop`` is set (or once).

    Returns the number of timers fired. ``now`` overrides the clock (tests).
    """
    stop = stop or threading.Event()
    total = 0
    while True:
        fired = runtime.fire_timers(now() if now else None)
        total += fired
        if log and fired:
            log(f"{fired} timer dijalankan")
        if log:
            for instance_id, message in runtime.timer_errors:
                log(f"instansi #{instance_id}: {message}")
        if once or stop.wait(max(interval, 0.1)):
            return total
