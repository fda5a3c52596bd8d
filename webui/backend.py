"""The engine objects one app talks to, built once per app from its settings.

The web UI holds no business rules: every decision (who may claim, what a reject needs, where
the case goes next) is the engine's. This module only wires ``engine.store.Store``,
``Users``, ``Definitions`` and ``Runtime`` together, lazily, so the app factory stays cheap and
tests can hand in their own backend through ``ALUR_BACKEND``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:  # the engine (SQLAlchemy, SpiffWorkflow) is imported on first use only
    from engine.definitions import Definitions
    from engine.login_failures import LoginFailures
    from engine.runtime import Runtime
    from engine.store import Store
    from engine.users import Users
    from webui.security import LoginLimiter


COUNT_LIMIT = 1000
"""Inbox totals and badges count at most this many tasks ("1000+"): a page costs the same
with 100 or 100,000 open tasks in the user's lanes. ``ALUR_COUNT_LIMIT`` changes it."""


@dataclass(frozen=True)
class Backend:
    """The engine services of one app."""

    store: Store
    users: Users
    definitions: Definitions
    runtime: Runtime

    @classmethod
    def from_url(cls, url: str | None, count_limit: int | None = COUNT_LIMIT) -> Backend:
        from engine import definitions as defs_mod
        from engine import runtime as runtime_mod
        from engine import store as store_mod
        from engine import users as users_mod

        store = store_mod.Store.from_url(url)
        definitions = defs_mod.Definitions(store)
        return cls(
            store=store,
            users=users_mod.Users(store),
            definitions=definitions,
            runtime=runtime_mod.Runtime(store, definitions, count_limit=count_limit),
        )


def init_app(app: Flask) -> None:
    injected = app.config.get("ALUR_BACKEND")
    app.extensions["alur.backend"] = injected
    # after webui.security: its in-memory limiter stays for a backend without a database
    app.extensions["alur.login_limiter"] = SharedLoginLimiter(
        app, app.extensions["alur.login_limiter"]
    )


class SharedLoginLimiter:
    """The login limiter, counted in the backend's database (``engine.login_failures``): every
    ``alur serve`` process on one database refuses the same guesser, and a restart forgets
    nothing. A backend without a store (the web tests' fake engine) keeps ``memory``."""

    def __init__(self, app: Flask, memory: LoginLimiter) -> None:
        self.app = app
        self.memory = memory
        self._shared: LoginFailures | None = None

    def _counts(self) -> LoginFailures | LoginLimiter:
        if self._shared is None:
            from engine.login_failures import LoginFailures
            from engine.store import Store

            store = getattr(backend(self.app), "store", None)
            if not isinstance(store, Store):
                return self.memory
            self._shared = LoginFailures(store, self.memory.max_failures, self.memory.window)
        return self._shared

    def retry_after(self, *keys: str) -> int:
        return self._counts().retry_after(*keys)

    def fail(self, *keys: str) -> None:
        self._counts().fail(*keys)

    def succeed(self, *keys: str) -> None:
        self._counts().succeed(*keys)


def backend(app: Flask | None = None) -> Backend:
    """The app's backend, built on first use (so ``create_app`` needs no database)."""
    app = app or current_app
    found: Backend | None = app.extensions.get("alur.backend")
    if found is None:
        limit = int(app.config.get("ALUR_COUNT_LIMIT") or COUNT_LIMIT)
        found = Backend.from_url(app.config.get("ALUR_DATABASE_URL"), limit)
        app.extensions["alur.backend"] = found
    return found
