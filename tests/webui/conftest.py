"""Fixtures for the web UI's Flask test-client tests.

Users live in the real engine store (a temporary SQLite file); definitions and runtime are
the in-memory fake of the agreed contract (tests/webui/fake_engine.py), so these tests check
the web layer alone and run in well under a second each.
"""

from __future__ import annotations

import re
import shutil
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


FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the schema and the test users, built once; each test gets a copy
    (hashing six passwords and running the migrations per test would cost seconds)."""
    from engine.store import Store
    from engine.users import Users

    path = tmp_path_factory.mktemp("template") / "alur.db"
    store = Store.from_url(f"sqlite:///{path}")
    store.upgrade()
    users = Users(store)
    for name, roles in ROLES.items():
        users.add(name, roles, password=PASSWORD, full_name=name.title(), is_admin=name == "admin")
    store.dispose()
    return path


def _store_copy(template: Path, tmp_path: Path) -> Any:
    from engine.store import Store

    target = tmp_path / "alur.db"
    shutil.copyfile(template, target)
    return Store.from_url(f"sqlite:///{target}")


@pytest.fixture()
def backend(template_db: Path, tmp_path: Path) -> Backend:
    """Real users, fake definitions/runtime (tests/webui/fake_engine.py)."""
    from engine.users import Users
    from tests.webui.fake_engine import FakeDefinitions, FakeRuntime, FakeStep

    store = _store_copy(template_db, tmp_path)
    users = Users(store)
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


@pytest.fixture()
def real_backend(template_db: Path, tmp_path: Path) -> Backend:
    """The real engine on a copy of the template database, with fixtures/iku.bpmn deployed."""
    from engine.definitions import Definitions
    from engine.runtime import Runtime
    from engine.users import Users

    store = _store_copy(template_db, tmp_path)
    definitions = Definitions(store)
    definitions.deploy((FIXTURES / "iku.bpmn").read_bytes(), "iku.bpmn", "analis")
    return Backend(
        store=store,
        users=Users(store),
        definitions=definitions,
        runtime=Runtime(store, definitions),
    )


@pytest.fixture()
def real_app(tmp_path: Path, real_backend: Backend) -> Flask:
    return make_app(tmp_path, real_backend)


def session_client(app: Flask, username: str) -> FlaskClient:
    """A client already logged in as ``username`` (session set directly: no password hash)."""
    backend = app.config["ALUR_BACKEND"]
    c = app.test_client()
    with c.session_transaction() as s:
        s["uid"] = backend.users.get(username).id
    return c


def make_app(tmp_path: Path, backend: Backend, **extra: Any) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "ALUR_BACKEND": backend,
        "ALUR_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "INSTANCE_PATH": str(tmp_path / "instance"),
        # an upload waits for its reading as before reading jobs, however busy the machine
        # (a test of the job page sets a short wait itself)
        "ALUR_READING_WAIT": 120.0,
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
