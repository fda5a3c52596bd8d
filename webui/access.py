"""Who is logged in and what they may see: checked on the server for every route.

Hiding a button is not authorization. Each view calls one of these helpers before it reads or
changes anything; the engine checks again when it acts (claim, complete, cancel), so a forged
form is refused twice.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for

from engine.queries import InstanceScope
from engine.records import KnownUser, known_user
from webui.backend import backend

F = TypeVar("F", bound=Callable[..., Any])
NO_DATABASE = frozenset({"static", "healthz"})
"""Endpoints that show nobody's data: no user read, no database work at all."""


def load_user() -> None:
    """Before each request: ``g.user`` is the logged-in, still active user or None.

    Static files and ``/healthz`` show nobody's data: no user lookup (no database) there.
    The one read of the user row serves the whole request: the engine's reads on the user's
    behalf (inbox, badge counts) take its roles from it (:func:`engine.records.known_user`)
    until :func:`forget_user` at the request's end."""
    forget_user()
    g.user = None
    if request.endpoint in NO_DATABASE:
        return
    user_id = session.get("uid")
    if user_id is None:
        return
    try:
        user = backend().users.get_by_id(user_id)
    except Exception:  # deleted user or engine NotFound: treat as logged out
        session.clear()
        return
    if not getattr(user, "active", True) or not session_current(user):
        session.clear()  # deactivated, or logged out / password changed since: session over
        return
    g.user = user
    stack = ExitStack()
    stack.enter_context(known_user(KnownUser(user.username, tuple(user.roles))))
    g.alur_known_user = stack


def forget_user(_exc: BaseException | None = None) -> None:
    """At the end of a request (and before a reload of the user): the engine no longer
    takes this user as known."""
    stack = g.pop("alur_known_user", None)
    if stack is not None:
        stack.close()


def session_current(user: Any) -> bool:
    """Whether the session was issued under the user's current session generation.

    The cookie is signed, not stored: without this check a copied cookie would outlive the
    logout for its whole lifetime. A session from before generations existed reads as 0."""
    return int(session.get("gen", 0)) == int(getattr(user, "session_generation", 0))


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def admin_required(view: F) -> F:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not g.user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def is_analyst(user: Any) -> bool:
    """Analysts deploy processes: admins and holders of the configured analyst role."""
    if user is None:
        return False
    return bool(user.is_admin) or current_app.config["ALUR_ANALYST_ROLE"] in user.roles


def analyst_required(view: F) -> F:
    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_analyst(g.user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def can_see_task(user: Any, task: Any) -> bool:
    if user.is_admin:
        return True
    return (
        task.role in user.roles
        or task.assignee == user.username
        or task.completed_by == user.username
    )


def can_see_instance(user: Any, instance: Any) -> bool:
    """Admins and analysts see every case; staff the cases they started or whose lanes they
    hold, and the fixed ``camunda:assignee`` of one of its tasks (the people who may get a
    task of it)."""
    if is_analyst(user) or instance.started_by == user.username:
        return True
    return _works_on_definition(user, instance.definition_id)


def _works_on_definition(user: Any, definition_id: int) -> bool:
    """Does one of the user's roles have a lane in the definition, or is the user the fixed
    assignee of one of its tasks?"""
    definitions = backend().definitions
    try:
        lanes = definitions.get_by_id(definition_id).lanes
        if set(lanes) & set(user.roles):
            return True
        tasks = definitions.meta(definition_id).tasks.values()  # memoised per id
    except Exception:
        return False
    return any(t.assignee == user.username for t in tasks)


def instance_scope(user: Any) -> InstanceScope | None:
    """The cases a staff user may see, as a filter for the case query (None: every case),
    so that lists and their counts follow :func:`can_see_instance` inside the query."""
    if is_analyst(user):
        return None
    definitions = backend().definitions
    ids = frozenset(
        d.id
        for latest in definitions.list()
        for d in definitions.versions(latest.key)
        if _works_on_definition(user, d.id)
    )
    return InstanceScope(user.username, ids)


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths: ``next=https://evil`` must not become an open redirect."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def back(default: str) -> str:
    """The page the user came from, when it is on this site; else ``default``."""
    ref = request.referrer
    if not ref:
        return default
    parts = urlsplit(ref)
    if parts.netloc and parts.netloc != request.host:
        return default
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_next(path, default)
