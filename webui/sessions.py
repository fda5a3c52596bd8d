"""The session cookie: Flask's own signed cookie, its signing serializer made once per key.

Why: Flask's ``SecureCookieSessionInterface`` builds a new ``URLSafeTimedSerializer`` each
time a request opens or saves its session (twice per request, four times for a completion
and the inbox it redirects to), and building one checks its payload serializer by
serializing an empty dict: about 10 µs each, for an object that depends on nothing but the
secret keys. The cookie itself (format, signature, salt, lifetime) is Flask's unchanged, so
every web process reads every other's cookies (``docs/deployment.md``), and a changed
``SECRET_KEY`` or ``SECRET_KEY_FALLBACKS`` makes a new serializer at the next request.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie session, its serializer kept while the keys stay the same."""

    def __init__(self) -> None:
        self._made: tuple[tuple[Any, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        made = self._made
        if made is not None and made[0] == keys:
            return made[1]
        serializer = super().get_signing_serializer(app)
        self._made = (keys, serializer)
        return serializer


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessions()
