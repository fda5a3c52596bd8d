"""Integers from URLs, bounded before they reach the database.

Flask's ``int`` converter accepts any number of digits, and SQLite raises OverflowError on
anything past 64 bits (PostgreSQL a DataError past 32): ``/kasus/99999999999999999999999``
was an HTTP 500. Every id and page number in a route or query string passes through here,
so an absurd one is a 404 (no such thing) or a 400 (a malformed request), never a 500.
"""

from __future__ import annotations

from typing import Any

from flask import abort, request
from werkzeug.routing import IntegerConverter, ValidationError

MAX_ID = 2**31 - 1
"""The largest id the store's INTEGER columns hold on every supported database."""


class BoundedInt(IntegerConverter):
    """The ``int`` converter, limited to 0..MAX_ID: larger values match no route (404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        if len(value) > len(str(MAX_ID)):  # do not even build a huge int
            raise ValidationError()
        return int(super().to_python(value))


def query_int(name: str, default: int | None = None, *, lenient: bool = False) -> int | None:
    """The query parameter ``name`` as an int in 1..MAX_ID, ``default`` when absent.

    Out of range is a 400. Text that is no number is a 400 too, unless ``lenient`` (a page
    number a person edited: falling back to ``default`` is kinder)."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    raw = raw.strip()
    if not raw.lstrip("-").isdigit() or len(raw) > 12:
        if lenient and not raw.lstrip("-").isdigit():
            return default
        abort(400)
    value = int(raw)
    if value < 1:
        if lenient:
            return default
        abort(400)
    if value > MAX_ID:
        abort(400)
    return value


def init_app(app: Any) -> None:
    """Install the bounded converter; must run before any blueprint adds its rules."""
    app.url_map.converters["int"] = BoundedInt
