"""The inbox's "Diterima" column: how long a task has waited, in the page's language.

The text is built from the request's catalogue (looked up once, not per row), so these pin
the words and the plural forms in both languages.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask_babel import force_locale

from webui.blueprints.tasks import received_age


def ages(app: Flask, locale: str) -> list[str]:
    now = datetime.now(UTC)
    waits = (timedelta(0), timedelta(minutes=1), timedelta(minutes=5), timedelta(hours=1),
             timedelta(hours=3), timedelta(days=1), timedelta(days=4))  # fmt: skip
    with app.test_request_context("/"), force_locale(locale):
        return [received_age(now - w) for w in waits] + [received_age(None)]


def test_received_age_in_indonesian_and_english(real_app: Flask) -> None:
    assert ages(real_app, "id") == [
        "baru saja", "1 menit", "5 menit", "1 jam", "3 jam", "1 hari", "4 hari", "–"]
    assert ages(real_app, "en") == [
        "just now", "1 minute", "5 minutes", "1 hour", "3 hours", "1 day", "4 days", "–"]


def test_a_naive_time_is_taken_as_utc(real_app: Flask) -> None:
    naive = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=2, minutes=5)
    with real_app.test_request_context("/"), force_locale("id"):
        assert received_age(naive) == "2 jam"
