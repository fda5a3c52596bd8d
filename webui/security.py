"""Security headers and login rate limiting.

The content security policy allows nothing inline: every script and style is a file under
``static/``, so an injected ``<script>`` in an SOP text or a comment cannot run even if some
escaping were missed. The login limiter slows down password guessing per client address and
per username. ``LoginLimiter`` here counts in memory; with a database backend the app wraps
it in ``webui.backend.SharedLoginLimiter``, which counts in the database so that every
``alur serve`` process on one database refuses the same guesser (docs/deployment.md).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from flask import Flask, Response, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


_EVERY_RESPONSE = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
_HSTS = ("Strict-Transport-Security", "max-age=31536000")
_NO_STORE = ("Cache-Control", "no-store")


def add_security_headers(response: Response) -> Response:
    """Each header unless the view set its own (the modeler's CSP), appended in this order.

    The names already present are read once: ``Headers.setdefault`` scans every header
    (lower-casing each name) and raises a KeyError inside for each one missing, eight times
    per response."""
    present = {name.lower() for name, _value in response.headers.items()}
    wanted = list(_EVERY_RESPONSE)
    if request.is_secure:  # behind HTTPS only: never pin plain-http localhost to HTTPS
        wanted.append(_HSTS)
    if response.mimetype == "text/html":
        wanted.append(_NO_STORE)
    for name, value in wanted:
        if name.lower() not in present:
            response.headers.add(name, value)
    return response


class LoginLimiter:
    """Counts failed logins per key in a sliding window; blocks a key after ``max_failures``.

    Keys are the client address and the username separately, so neither one guessing
    machine nor a distributed guess at one account gets unlimited tries.
    """

    def __init__(
        self,
        max_failures: int = 5,
        window_seconds: int = 300,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and now - q[0] >= self.window:
            q.popleft()
        return q

    def retry_after(self, *keys: str) -> int:
        """Seconds until these keys may try again; 0 when not blocked."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                q = self._recent(key, now)
                if len(q) >= self.max_failures:
                    wait = max(wait, self.window - (now - q[0]))
        return int(wait) + (1 if wait else 0)

    def fail(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeed(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.extensions["alur.login_limiter"] = LoginLimiter(
        app.config["ALUR_LOGIN_MAX_FAILURES"], app.config["ALUR_LOGIN_WINDOW_SECONDS"]
    )
