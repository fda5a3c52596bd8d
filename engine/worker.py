"""The periodic job behind ``alur worker``: fire due BPMN timers, then the notification pass.

Several workers (on several hosts) may run against one database: each instance is handled in
its own transaction, locked with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (a busy instance is
skipped, not waited for) and serialized by SQLite's write lock, and the optimistic
``version_counter`` check rejects a stale write, so a timer never fires twice.

After the timers, each round derives notifications and sends the e-mail outbox
(:mod:`engine.notifier`); a failure there is logged and never stops the timers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from engine.notifier import NotificationPass
from engine.runtime import Runtime


def run_worker(
    runtime: Runtime,
    *,
    once: bool = False,
    interval: float = 30.0,
    stop: threading.Event | None = None,
    log: Callable[[str], None] | None = None,
    now: Callable[[], datetime] | None = None,
    notify: NotificationPass | None = None,
) -> int:
    """Fire due timers every ``interval`` seconds until ``stop`` is set (or once).

    Returns the number of timers fired. ``now`` overrides the clock (tests); ``notify`` the
    notification pass (default: built from the ``ALUR_*`` environment, see README).
    """
    stop = stop or threading.Event()
    if notify is None:
        notify = NotificationPass.from_env(runtime)
    total = 0
    while True:
        at = now() if now else None
        fired = runtime.fire_timers(at)
        total += fired
        if log and fired:
            log(f"{fired} timer dijalankan")
        if log:
            for instance_id, message in runtime.timer_errors:
                log(f"kasus #{instance_id}: {message}")
        _notification_round(notify, at, log)
        if once or stop.wait(max(interval, 0.1)):
            return total


def _notification_round(
    notify: NotificationPass, at: datetime | None, log: Callable[[str], None] | None
) -> None:
    try:
        report = notify.run(at)
    except Exception as exc:  # a broken pass must not stop the timers: log, go on
        if log:
            log(f"notifikasi gagal: {type(exc).__name__}: {exc}")
        return
    if not log:
        return
    if report.recorded:
        log(f"{report.recorded} notifikasi baru")
    mail = report.mail
    if mail.sent:
        log(f"{mail.sent} surel terkirim")
    if mail.retrying or mail.failed:
        log(f"surel: {mail.retrying} dicoba lagi nanti, {mail.failed} gagal ({mail.error})")
