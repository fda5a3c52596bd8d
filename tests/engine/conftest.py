"""Engine test fixtures: a fresh store per test, on SQLite and on the real PostgreSQL.

The PostgreSQL variant uses its own database (``alur_engine_test``, created when missing) and a
new schema per test, so other helpers sharing the server's ``test`` database are never touched;
it skips with a message when 127.0.0.1:5432 cannot be reached.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.store import Store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_SERVER = os.environ.get("ALUR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
PG_DB = "alur_engine_test"
_pg_state: dict[str, str | None] = {}


def pg_available() -> str | None:
    """None when usable, else the reason to skip (checked once per session)."""
    if "reason" in _pg_state:
        return _pg_state["reason"]
    reason: str | None = None
    try:
        import psycopg

        dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn + "/postgres", autocommit=True, connect_timeout=3) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DB,))
            if found.fetchone() is None:
                with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                    conn.execute(f'CREATE DATABASE "{PG_DB}"')
    except Exception as exc:  # any failure means: no usable server here
        reason = f"PostgreSQL tidak tersedia di {PG_SERVER}: {type(exc).__name__}"
    _pg_state["reason"] = reason
    return reason


def pg_schema_url(schema: str) -> str:
    return f"{PG_SERVER}/{PG_DB}?options=-csearch_path%3D{schema}"


def make_store(kind: str, tmp_path: Path) -> tuple[Store, str | None]:
    if kind == "sqlite":
        store = Store.from_url(f"sqlite:///{tmp_path / 'alur.db'}")
        store.upgrade()
        return store, None
    reason = pg_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/" + PG_DB
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    store = Store.from_url(pg_schema_url(schema))
    store.upgrade()
    return store, schema


def drop_schema(schema: str) -> None:
    import psycopg

    dsn = PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/" + PG_DB
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    store, schema = make_store(request.param, tmp_path)
    try:
        yield store
    finally:
        store.dispose()
        if schema:
            drop_schema(schema)


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store, _ = make_store("sqlite", tmp_path)
    yield store
    store.dispose()
