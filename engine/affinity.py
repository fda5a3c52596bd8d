"""One CPU core for a process and for the PostgreSQL server processes that serve it (opt-in).

Why: a completion is a ping-pong between this process and its database backend: Alur works,
sends the one write statement, sleeps; the backend works, answers, sleeps. Only one of the two
runs at a time. When several such pairs share a few cores and the server runs on the same
host, the kernel wakes a backend on whichever core looks free, often the one the *other* pair
is using, so the woken process waits for a core while its own pair's core idles. Putting each
process and its backends on one core of their own (``ALUR_CPU_CORE``, a different core per
process) removes those cross-core wake-ups: on this project's 2-core machine, two processes
completing tasks against a local PostgreSQL did 7-22 % more completions per second pinned than
not, in each of four runs (1.64-1.92x the throughput of one process, against 1.56-1.81x), and
one process alone lost nothing (``bench/issue14.py --only workers --pin``;
``docs/deployment.md``).

Pinning only one side of the pair is worse than none (the backend then always wakes on the
other core: 1.64-1.69x in the same runs), so when the backends cannot be pinned (a remote
server, or no permission to set a server process's affinity: run as the server's user or with
CAP_SYS_NICE) the process gives its own pin back and says why, once. SQLite has no server
process: the setting pins the process alone.

Not for a single process with many threads on a many-core host (``alur serve --threads``):
its backends would lose the other cores. The setting is off unless ``ALUR_CPU_CORE`` is set.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

CPU_CORE_ENV = "ALUR_CPU_CORE"
"""Environment variable: the number of the core (as ``taskset`` and ``/proc/cpuinfo`` count
them) this process and its database backends keep to; unset or empty: no pinning."""

LOOPBACK = ("localhost", "127.0.0.1", "::1")


def core_setting() -> int | None:
    """:data:`CPU_CORE_ENV` as a core this process may run on; None when unset. A clear error
    (Indonesian, then English) when it is not such a core."""
    raw = os.environ.get(CPU_CORE_ENV, "").strip()
    if not raw:
        return None
    allowed = sorted(os.sched_getaffinity(0))
    if not raw.isdigit() or int(raw) not in allowed:
        cores = ", ".join(map(str, allowed))
        raise ValueError(
            f"{CPU_CORE_ENV} harus nomor inti CPU yang tersedia ({cores}) "
            f"(must be one of this machine's CPU cores: {cores}): {raw!r}"
        )
    return int(raw)


def _warn(message: str) -> None:
    print(f"alur: {message}", file=sys.stderr, flush=True)


@dataclass
class CorePin:
    """Keeps this process, and each database backend its engine connects to, on ``core``.

    ``setaffinity`` and ``warn`` are the operating system's call and the one-line notice
    (tests replace them)."""

    core: int
    warn: Callable[[str], None] = _warn
    setaffinity: Callable[[int, set[int]], None] = os.sched_setaffinity
    given_back: bool = False
    _before: set[int] = field(default_factory=set)

    def hold(self, engine: Engine) -> None:
        """Pin this process now and every backend of ``engine`` as it connects (so call it
        before the engine's first connection)."""
        self._before = set(os.sched_getaffinity(0))
        self.setaffinity(0, {self.core})
        if engine.dialect.name != "postgresql":
            return

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            self.pin_backend(dbapi_conn)

    def pin_backend(self, dbapi_conn: Any) -> bool:
        """Put the backend of ``dbapi_conn`` (a psycopg connection) on the core; where that
        cannot be done, give this process's pin back (see the module text). True if pinned."""
        if self.given_back:
            return False
        info = dbapi_conn.info
        host = str(info.host or "")
        local = host.startswith("/") or host in LOOPBACK  # a Unix socket or the loopback
        pid = int(info.backend_pid)
        if not local or not _is_server_process(pid):
            self._give_back(
                f"{CPU_CORE_ENV}: server basis data tidak di mesin ini ({host}); proses ini "
                f"tidak dipasang pada satu inti (the database server is not on this host: "
                f"this process is not pinned either)"
            )
            return False
        try:
            self.setaffinity(pid, {self.core})
        except OSError as exc:
            self._give_back(
                f"{CPU_CORE_ENV}: proses server basis data {pid} tidak dapat dipasang pada "
                f"inti {self.core} ({exc.strerror or exc}); jalankan sebagai pengguna server "
                f"atau dengan CAP_SYS_NICE. Proses ini tidak dipasang (the database server's "
                f"process cannot be pinned: run as the server's user or with CAP_SYS_NICE; "
                f"this process is not pinned either)"
            )
            return False
        return True

    def _give_back(self, message: str) -> None:
        self.given_back = True
        self.setaffinity(0, self._before or set(os.sched_getaffinity(0)))
        self.warn(message)


def _is_server_process(pid: int) -> bool:
    """A process of this host running PostgreSQL (a remote server's backend number may be the
    number of any local process)."""
    try:
        with open(f"/proc/{pid}/comm", encoding="ascii", errors="replace") as comm:
            return comm.read().strip().startswith("postgres")
    except OSError:
        return False


def hold_core_from_env(engine: Engine) -> CorePin | None:
    """Apply :data:`CPU_CORE_ENV` to this process and ``engine``'s backends, if it is set."""
    core = core_setting()
    if core is None:
        return None
    pin = CorePin(core)
    pin.hold(engine)
    return pin
