"""Errors the engine raises for callers (CLI, web UI).

Each carries a one-line Indonesian ``message`` meant for the user and the HTTP status the web
UI should answer with, so no caller has to map engine failures itself and no SpiffWorkflow or
database exception ever reaches a user raw.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any


class EngineError(Exception):
    """Base of all engine errors; ``str(e) == e.message``."""

    http_status: int = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(EngineError):
    """The user, definition, instance or task does not exist."""

    http_status = 404


class NotAllowed(EngineError):
    """Not your role, not your task, or not an administrator."""

    http_status = 403


class AlreadyCompleted(EngineError):
    """Someone else finished the task first (optimistic locking lost the race)."""

    http_status = 409

    def __init__(self, by: str | None, at: datetime | None = None, message: str = "") -> None:
        who = by or "pengguna lain"
        super().__init__(message or f"Tugas ini sudah diselesaikan oleh {who}")
        self.by = by
        self.at = at


class TaskNotReady(EngineError):
    """The task exists but cannot be worked on now (cancelled, or the instance ended)."""

    http_status = 409


class InvalidDecision(EngineError):
    """The decision is not one of the values the task's form allows."""

    http_status = 400

    def __init__(self, message: str, allowed: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.allowed = tuple(allowed)


class CommentRequired(EngineError):
    """A reject (any decision value but the first) needs a comment explaining what to fix."""

    http_status = 400


class DefinitionInvalid(EngineError):
    """The BPMN cannot be deployed; ``problems`` lists *every* problem found."""

    http_status = 400

    def __init__(self, problems: Sequence[Any], message: str = "") -> None:
        problems = list(problems)
        if not message:
            first = problems[0].message if problems else "BPMN tidak valid"
            more = f" (dan {len(problems) - 1} masalah lain)" if len(problems) > 1 else ""
            message = f"BPMN tidak dapat dipasang: {first}{more}"
        super().__init__(message)
        self.problems = problems


class Conflict(EngineError):
    """An optimistic-lock loss that could not be resolved by retrying."""

    http_status = 409


class BadInput(EngineError):
    """A request argument is missing or malformed (e.g. a cancel without a reason)."""

    http_status = 400


class ExecutionFailed(EngineError):
    """SpiffWorkflow could not continue the process (e.g. no gateway condition matched).

    The change is rolled back; the message names the cause without SpiffWorkflow's traceback.
    """

    http_status = 422


class Busy(EngineError):
    """The database stayed locked by other writers past the wait (SQLite "database is
    locked"). Nothing was changed; the same call may simply be tried again (``retryable``)."""

    http_status = 503
    retryable = True

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "Basis data sedang sibuk melayani penulisan lain; tidak ada yang berubah, "
            "coba lagi sebentar lagi (database busy, retry)"
        )
