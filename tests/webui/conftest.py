"""Fixtures for the web UI's Flask test-client tests.

Users live in the real engine store (a temporary SQLite file); definitions and runtime are
the in-memory fake of the agreed contract (tests/webui/fake_engine.py), so these tests check
the web layer alone and run in well under a second each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webui.app import create_app
from webui.backend import Backend

PASSWORD = "rahasia-123"

ROLES = {
    "admin": (),
    "kasubbag": ("Kasubbag PEKK",),
    "pengadm": ("Pengadministrasian Umum",),
    "kadis": ("Kepala Dinas",),
    "analis": ("Analis",),
    "bendahara": ("Bendahara",),
}


@pytest.fixture()
def backend(tmp_path: Path) -> Backend:
    from engine.store import Store
    from engine.users import Users
    from tests.webui.fake_engine import FakeDefinitions, FakeRuntime, FakeStep

    store = Store.from_url(f"sqlite:///{tmp_path / 'alur.db'}")
    store.upgrade()
    users = Users(store)
    for name, roles in ROLES.items():
        users.add(name, roles, password=PASSWORD, full_name=name.title(), is_admin=name == "admin")
    definitions = FakeDefinitions(users)
    definitions.add(
        "penyusunan-iku",
        "Penyusunan IKU",
        [
            FakeStep("Task_1", "Menerima konsep IKU", "Kasubbag PEKK"),
            FakeStep("Task_2", "Merekapitulasi hasil", "Pengadministrasian Umum"),
            FakeStep(
                "Task_3", "Meneliti konsep IKU", "Kasubbag PEKK", ("Setuju", "Tidak setuju"), 1
            ),
            FakeStep("Task_4", "Menandatangani IKU", "Kepala Dinas", ("Setuju", "Tidak setuju"), 1),
        ],
        user="analis",
    )
    runtime = FakeRuntime(definitions, users)
    return Backend(store=store, users=users, definitions=definitions, runtime=runtime)


def make_app(tmp_path: Path, backend: Backend, **extra: Any) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "ALUR_BACKEND": backend,
        "ALUR_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "INSTANCE_PATH": str(tmp_path / "instance"),
    }
    config.update(extra)
    return create_app(config)


@pytest.fixture()
def app(tmp_path: Path, backend: Backend) -> Flask:
    return make_app(tmp_path, backend)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    return client.post("/masuk", data={"username": username, "password": password})


@pytest.fixture()
def as_user(app: Flask) -> Iterator[Any]:
    """``as_user("kadis")`` → a test client logged in as that demo user."""

    def make(username: str) -> FlaskClient:
        c = app.test_client()
        r = login(c, username)
        assert r.status_code == 302, r.data
        return c

    yield make


def text(response: Any) -> str:
    """The page's visible text, tags dropped, whitespace collapsed (for message asserts)."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
