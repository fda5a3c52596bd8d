"""Failed logins, counted in the database (table ``login_failures``, migration 0009).

Why not in memory: several ``alur serve`` processes (hosts behind one load balancer, or one
host restarted) answer the same people; a count kept in one process's memory lets a guesser
multiply the allowed tries by the number of processes and starts from zero after a restart.
Kept in the database, every process sees the same failures. Same rule as before: a key (a
client address, a username) is blocked once it has ``max_failures`` failures within the last
``window_seconds``; a successful login clears its keys.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from engine.store import Store, login_failures, utcnow

MAX_KEY = 200
"""Keys are cut to the column's width (a username typed into the form may be longer)."""


class LoginFailures:
    """The login limiter's counts (``retry_after``/``fail``/``succeed``, as
    ``webui.security.LoginLimiter``), shared by every process on the database."""

    def __init__(
        self,
        store: Store,
        max_failures: int = 5,
        window_seconds: int = 300,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock

    def retry_after(self, *keys: str) -> int:
        """Seconds until these keys may try again; 0 when none is blocked."""
        now = self._clock()
        since = now - timedelta(seconds=self.window)
        query = (
            sa.select(sa.func.count().label("n"), sa.func.min(login_failures.c.at).label("first"))
            .where(login_failures.c.key.in_(_cut(keys)), login_failures.c.at > since)
            .group_by(login_failures.c.key)
        )
        with self.store.begin(write=False, snapshot=False) as conn:
            rows = conn.execute(query).all()
        wait = 0.0
        for row in rows:
            if row.n >= self.max_failures:
                wait = max(wait, self.window - (now - row.first).total_seconds())
        return int(wait) + (1 if wait > 0 else 0)

    def fail(self, *keys: str) -> None:
        """One more failure for each key (and the key's failures past the window dropped)."""
        now = self._clock()
        cut = _cut(keys)
        with self.store.begin() as conn:
            conn.execute(
                login_failures.delete().where(
                    login_failures.c.key.in_(cut),
                    login_failures.c.at <= now - timedelta(seconds=self.window),
                )
            )
            conn.execute(login_failures.insert(), [{"key": key, "at": now} for key in cut])

    def succeed(self, *keys: str) -> None:
        with self.store.begin() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.key.in_(_cut(keys))))


def _cut(keys: tuple[str, ...]) -> list[str]:
    return sorted({key[:MAX_KEY] for key in keys})
